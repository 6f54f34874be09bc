package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/keyfile"
)

// runNode runs `evote node ARGS…` in an app whose only command is
// nodeCommand, so that it is tested before app.go lists it.
func runNode(ctx context.Context, args ...string) (stdout, stderr string, err error) {
	var out, errOut bytes.Buffer
	app := newApp("test", &out, &errOut)
	app.Commands = []*cli.Command{nodeCommand()}
	err = app.RunContext(ctx, append([]string{"evote", "node"}, args...))
	return out.String(), errOut.String(), err
}

func TestNodeInit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "node.yaml")
	out, _, err := runNode(context.Background(), "init", "--out", path)
	if err != nil || !strings.Contains(out, "wrote "+path) {
		t.Fatalf("init: %q, %v", out, err)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, node.Template()) {
		t.Fatalf("init wrote something else than the template (%v)", err)
	}
	if _, _, err := runNode(context.Background(), "init", "--out", path); err == nil {
		t.Error("init replaced a file without --force")
	}
	if _, _, err := runNode(context.Background(), "init", "--out", path, "--force"); err != nil {
		t.Errorf("init --force: %v", err)
	}
	out, _, err = runNode(context.Background(), "init", "--out", "-")
	if err != nil || out != string(node.Template()) {
		t.Errorf("init --out -: %v", err)
	}
}

func TestNodeRunRefusesABadConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "node.yaml")
	if err := os.WriteFile(path, node.Template(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, _, err := runNode(context.Background(), "run", "--config", path)
	if err == nil || !strings.Contains(err.Error(), "node.yaml:9:11: key_file: placeholder") {
		t.Errorf("run with placeholders: %v", err)
	}
	if _, _, err := runNode(context.Background(), "run"); err == nil {
		t.Error("run without --config accepted")
	}
}

// TestNodeRun starts a node, waits for its ready file, asks its health and
// stops it with SIGTERM.
func TestNodeRun(t *testing.T) {
	dir := t.TempDir()
	seed := sha256.Sum256([]byte("cmd/evote node test"))
	sec := &keyfile.Secret{Role: keyfile.Node, Name: "node-test", SigningKey: ed25519.NewKeyFromSeed(seed[:])}
	if _, _, err := sec.Write(dir, false); err != nil {
		t.Fatal(err)
	}
	cfg := strings.NewReplacer(
		"<path to NAME.key>", "node-test.key",
		"<directory>", "data",
		"127.0.0.1:8101", "127.0.0.1:0",
		"/ip4/0.0.0.0/tcp/4101", "/ip4/127.0.0.1/tcp/0",
		"/ip4/0.0.0.0/udp/4101/quic-v1", "/ip4/127.0.0.1/udp/0/quic-v1",
		"log_level: info", "log_level: error",
	).Replace(string(node.Template()))
	path := filepath.Join(dir, "node.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(dir, "ready")

	type result struct {
		out string
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, _, err := runNode(context.Background(), "run", "--config", path, "--ready-file", ready)
		done <- result{out, err}
	}()
	var fields string
	deadline := time.Now().Add(30 * time.Second)
	for tick := time.NewTicker(10 * time.Millisecond); ; <-tick.C {
		if b, err := os.ReadFile(ready); err == nil {
			fields = string(b)
			break
		}
		select {
		case r := <-done:
			t.Fatalf("node stopped before it was ready: %v", r.err)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("no ready file in time")
		}
	}
	var httpAddr string
	for _, line := range strings.Split(strings.TrimSpace(fields), "\n") {
		if a, ok := strings.CutPrefix(line, "http="); ok {
			httpAddr = a
		}
	}
	if httpAddr == "" || !strings.Contains(fields, "\npeer=12D3KooW") || !strings.Contains(fields, "/p2p/12D3KooW") {
		t.Fatalf("ready file:\n%s", fields)
	}
	resp, err := http.Get("http://" + httpAddr + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("healthz: %v, %v", resp, err)
	}
	resp.Body.Close()

	if err := syscall.Kill(os.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r.err != nil {
			t.Errorf("run after SIGTERM: %v", r.err)
		}
		if !strings.HasPrefix(r.out, "ready http="+httpAddr+" peer=12D3KooW") {
			t.Errorf("run printed %q", r.out)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("node did not stop after SIGTERM")
	}
}
