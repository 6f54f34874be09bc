# evote — build, test, benchmark, fuzz, lint.
# `make help` lists the targets.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

GO        ?= go
VERSION   ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS   := -X main.version=$(VERSION)
# Per-benchmark time; slow benchmarks still run at least once.
BENCHTIME ?= 200ms
BENCHPKGS ?= ./...
BENCH     ?= .
FUZZTIME  ?= 10s

.PHONY: help build demo test test-deps bench fuzz lint clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

build: ## build bin/evote with the version from git describe
	$(GO) build -ldflags '$(LDFLAGS)' -o bin/evote ./cmd/evote

# DEMOARGS passes flags to evote demo, e.g.
#   make demo DEMOARGS='--config election-configs/municipal.yaml --voters 500'
DEMOARGS ?=
demo: build ## run a whole election on this machine (evote demo; flags in DEMOARGS)
	bin/evote demo $(DEMOARGS)

# test-deps installs everything a fresh machine needs to run `make test`.
# Keep every step idempotent: it runs before each `make test`.
test-deps: ## install what the tests need
	@command -v $(GO) >/dev/null || { echo "make: '$(GO)' not found; install Go (see go.mod for the version) and put it on PATH" >&2; exit 1; }
	@command -v "$$($(GO) env CC)" >/dev/null || { \
	  echo "make: no C compiler for 'go test -race'; installing gcc" >&2; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q gcc libc6-dev; }
	$(GO) mod download
	@scripts/install-chromium.sh # the kiosk's end-to-end test drives a real headless Chromium

test: test-deps ## run every test, with the race detector (the kiosk test fails, not skips, without Chromium)
	EVOTE_REQUIRE_BROWSER=1 $(GO) test -race -count=1 ./...

# Benchmarks run one package at a time (-p 1) with the table tool built
# beforehand, so that no compiler competes with them for the CPU. The raw
# output goes to stderr as it arrives, and only the table to stdout, so that
# `make bench > bench.md` keeps just the table.
BENCHCMD = $(GO) test -p 1 -run '^$$' -bench '$(BENCH)' -benchmem -benchtime $(BENCHTIME) -count 1 $(BENCHPKGS)
bench: ## run every benchmark (BENCHPKGS, BENCH) and print them as a Markdown table
	@mkdir -p bin
	@$(GO) build -o bin/benchtable ./internal/benchtable
	@echo "$(BENCHCMD)" >&2
	@$(BENCHCMD) | bin/benchtable -echo

# Go fuzzes one target in one package per run, so list every Fuzz* function
# of every package and run them one after the other.
fuzz: ## run every Fuzz* target for FUZZTIME each (default 10s)
	@targets=$$($(GO) test -list '^Fuzz' ./... | awk '/^Fuzz/ { names[++n] = $$1; next } /^ok/ { for (i = 1; i <= n; i++) print $$2, names[i]; n = 0 }'); \
	if [[ -z "$$targets" ]]; then echo "make fuzz: no Fuzz* targets found" >&2; exit 1; fi; \
	while read -r pkg name; do \
	  echo "=== $$name in $$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) "$$pkg" </dev/null; \
	done <<< "$$targets"

lint: ## gofmt must have nothing to say about tracked Go files; go vet
	@files=$$(git ls-files '*.go'); \
	if [[ -n "$$files" ]]; then \
	  bad=$$(gofmt -l $$files); \
	  if [[ -n "$$bad" ]]; then echo "make lint: not gofmt-formatted (run gofmt -w on them):" >&2; echo "$$bad" >&2; exit 1; fi; \
	fi
	$(GO) vet ./...

clean: ## remove build outputs
	rm -rf bin
