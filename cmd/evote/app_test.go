package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// run executes the app in-process with args (without the program name) and
// returns what it wrote to stdout and stderr and the error Run returned.
func run(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp("v9.8.7-test", &out, &errOut)
	err = app.Run(append([]string{"evote"}, args...))
	return out.String(), errOut.String(), err
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		out, _, err := run(t, flag)
		if err != nil {
			t.Fatalf("evote %s: %v", flag, err)
		}
		if want := "evote version v9.8.7-test\n"; out != want {
			t.Errorf("evote %s printed %q, want %q", flag, out, want)
		}
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"help"}, {}} {
		out, _, err := run(t, args...)
		if err != nil {
			t.Fatalf("evote %v: %v", args, err)
		}
		for _, want := range []string{"evote", "USAGE:", "--version"} {
			if !strings.Contains(out, want) {
				t.Errorf("evote %v: help output lacks %q:\n%s", args, want, out)
			}
		}
	}
}

func TestUnknownCommandFails(t *testing.T) {
	out, _, err := run(t, "no-such-command")
	if err == nil {
		t.Fatalf("evote no-such-command succeeded, printed %q", out)
	}
	if got := exitCode(err); got != exitUsage {
		t.Errorf("exit code %d, want %d", got, exitUsage)
	}
	if !strings.Contains(err.Error(), `"no-such-command"`) {
		t.Errorf("error %q does not name the unknown command", err)
	}
}

func TestUnknownFlagFails(t *testing.T) {
	_, _, err := run(t, "--no-such-flag")
	if err == nil {
		t.Fatal("evote --no-such-flag succeeded")
	}
	if got := exitCode(err); got != exitUsage {
		t.Errorf("exit code %d, want %d", got, exitUsage)
	}
}

func TestExitCode(t *testing.T) {
	if got := exitCode(errors.New("plain")); got != 1 {
		t.Errorf("exitCode(plain error) = %d, want 1", got)
	}
	if got := exitCode(cli.Exit("x", 7)); got != 7 {
		t.Errorf("exitCode(cli.Exit(x, 7)) = %d, want 7", got)
	}
	if got := exitCode(cli.Exit("x", 0)); got != 1 {
		t.Errorf("exitCode(cli.Exit(x, 0)) = %d, want 1: an error must never exit 0", got)
	}
}

// TestLinkTimeVersion builds the real binary the way the Makefile does and
// checks that -X main.version reaches --version, so that renaming the
// variable cannot silently break release versions.
func TestLinkTimeVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary; skipped with -short")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go tool not in PATH")
	}
	bin := filepath.Join(t.TempDir(), "evote")
	build := exec.Command(gobin, "build", "-o", bin, "-ldflags", "-X main.version=v1.2.3-linktest", ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if msg, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, msg)
	}
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatalf("evote --version: %v", err)
	}
	if want := "evote version v1.2.3-linktest\n"; string(out) != want {
		t.Errorf("evote --version printed %q, want %q", out, want)
	}

	cmd := exec.Command(bin, "no-such-command")
	msg, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitUsage {
		t.Errorf("evote no-such-command: err %v, want exit status %d; output %q", err, exitUsage, msg)
	}
}
