#!/bin/sh
# install-chromium.sh: make sure a headless-capable Chromium is on PATH for
# the kiosk's browser test (tests/kiosk_test.go). Idempotent: it does nothing
# when a chromium binary is already there; otherwise it installs Debian's
# chromium package (needs root, as the test machines run).
set -eu

for bin in chromium chromium-browser google-chrome google-chrome-stable headless-shell; do
	if command -v "$bin" >/dev/null 2>&1; then
		echo "install-chromium: $bin is already installed ($(command -v "$bin"))"
		exit 0
	fi
done

if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
else
	SUDO=
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends chromium fonts-noto-cjk
command -v chromium >/dev/null 2>&1 || { echo "install-chromium: chromium is still not on PATH" >&2; exit 1; }
echo "install-chromium: installed $(command -v chromium)"
