package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/election"
	"github.com/evote/evote/election/config"
	"github.com/evote/evote/keyfile"
)

const (
	municipalConfig = "../../election-configs/municipal.yaml"
	demoKeys        = "../../election-configs/demo-keys"
)

// runElection runs `evote election ARGS…` in an app whose only command is
// electionCommand, so that it is tested before app.go lists it.
func runElection(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp("test", &out, &errOut)
	app.Commands = []*cli.Command{electionCommand()}
	err = app.Run(append([]string{"evote", "election"}, args...))
	return out.String(), errOut.String(), err
}

// dirFiles lists the names in dir, to show that a failed command left no
// file behind, not even a temporary one.
func dirFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestElectionInit(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "e.yaml")
	out, _, err := runElection(t, "init", "--out", path)
	if err != nil {
		t.Fatalf("init: %v", err)
	}
	if !strings.Contains(out, "wrote "+path) {
		t.Errorf("init printed %q", out)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, config.Template()) {
		t.Fatalf("init wrote %d bytes (err %v), want the template", len(got), err)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}

	// An existing file is never overwritten without --force.
	if err := os.WriteFile(path, []byte("mine\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runElection(t, "init", "--out", path)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("init over an existing file: %v, want a refusal naming --force", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "mine\n" {
		t.Errorf("init without --force changed the existing file to %q", got)
	}
	if names := dirFiles(t, dir); !slices.Equal(names, []string{"e.yaml"}) {
		t.Errorf("refused init left files %q", names)
	}
	if _, _, err := runElection(t, "init", "--out", path, "--force"); err != nil {
		t.Fatalf("init --force: %v", err)
	}
	if got, _ := os.ReadFile(path); !bytes.Equal(got, config.Template()) {
		t.Error("init --force did not replace the file with the template")
	}

	out, _, err = runElection(t, "init", "--out", "-")
	if err != nil || out != string(config.Template()) {
		t.Errorf("init --out - printed %d bytes, err %v; want the template", len(out), err)
	}
	_, _, err = runElection(t, "init", "extra")
	if exitCode(err) != exitUsage {
		t.Errorf("init with an argument: %v, want exit status %d", err, exitUsage)
	}
}

func TestElectionValidate(t *testing.T) {
	out, _, err := runElection(t, "validate", municipalConfig)
	if err != nil {
		t.Fatalf("validate %s: %v", municipalConfig, err)
	}
	want := "ok: Springfield Municipal Election 2027: 2 contests, 13 options; 3 trustees, threshold 2; 3 board nodes, seal quorum 3; opens 2027-11-03T07:00:00Z, closes 2027-11-03T20:00:00Z\n"
	if out != want {
		t.Errorf("validate printed\n%q\nwant\n%q", out, want)
	}
	out, _, err = runElection(t, "validate", "../../election-configs/board.yaml")
	if err != nil || !strings.Contains(out, "4 contests, 14 options, 2 ballot styles; 5 trustees, threshold 3") {
		t.Errorf("validate board.yaml: %q, %v", out, err)
	}
}

func TestElectionValidateBad(t *testing.T) {
	bad := "../../election/config/testdata/fail_many.yaml"
	out, errOut, err := runElection(t, "validate", bad)
	if err == nil {
		t.Fatalf("validate %s succeeded: %q", bad, out)
	}
	if exitCode(err) != 1 {
		t.Errorf("exit status %d, want 1", exitCode(err))
	}
	if out != "" {
		t.Errorf("validate printed %q on standard output for a bad config", out)
	}
	for _, w := range []string{
		bad + ":7:1: descripton: unknown field",
		bad + ":11:21: contests[0].max_selections: 3 exceeds the 2 options",
		bad + ":40:20: trustees.members[1].signing_key: want a public key",
		bad + ":58:14: seal_quorum: 1 is not more than two thirds of the 3 nodes",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("validate output lacks %q:\n%s", w, errOut)
		}
	}
	if n := strings.Count(errOut, "\n"); n != 4 {
		t.Errorf("%d lines of problems, want 4:\n%s", n, errOut)
	}
	if !strings.Contains(err.Error(), "4 problems") {
		t.Errorf("error %q does not count the problems", err)
	}

	// The template is not valid until its placeholders are filled in.
	tmpl := filepath.Join(t.TempDir(), "e.yaml")
	if _, _, err := runElection(t, "init", "--out", tmpl); err != nil {
		t.Fatal(err)
	}
	_, errOut, err = runElection(t, "validate", tmpl)
	if err == nil || !strings.Contains(errOut, tmpl+":20:8: title: placeholder <") {
		t.Errorf("validate of the template: %v\n%s", err, errOut)
	}

	for _, args := range [][]string{{"validate"}, {"validate", "a", "b"}} {
		if _, _, err := runElection(t, args...); exitCode(err) != exitUsage {
			t.Errorf("%q: %v, want exit status %d", args, err, exitUsage)
		}
	}
	_, _, err = runElection(t, "validate", filepath.Join(t.TempDir(), "none.yaml"))
	if err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("validate of a missing file: %v", err)
	}
}

// commissionKey copies the demo commission key into dir with mode 0600,
// which git does not keep, and returns its path.
func commissionKey(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(demoKeys, "demo-commission.key"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "commission.key")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestElectionCreate(t *testing.T) {
	keyDir, dir := t.TempDir(), t.TempDir()
	key := commissionKey(t, keyDir)
	out := filepath.Join(dir, "manifest.entry")
	stdout, stderr, err := runElection(t, "create", municipalConfig, "--commission-key", key, "--out", out)
	if err != nil {
		t.Fatalf("create: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		t.Fatalf("DecodeEntry: %v", err)
	}
	if err := e.VerifySignature(); err != nil {
		t.Fatalf("signature: %v", err)
	}
	if e.Type != election.TypeManifest || e.Election != (election.ID{}) {
		t.Errorf("entry type %v election %v, want a manifest entry with a zero election", e.Type, e.Election)
	}
	if stdout != e.ID().String()+"\n" {
		t.Errorf("create printed %q, want the election id %s", stdout, e.ID())
	}
	m, err := config.Load(municipalConfig)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Commission.Equal(e.Author) {
		t.Error("the entry's author is not the config's commission key")
	}
	if !bytes.Equal(e.Payload, m.Bytes()) {
		t.Error("the entry's payload is not the config's manifest")
	}
	if _, err := election.DecodeManifest(e.Payload); err != nil {
		t.Errorf("DecodeManifest: %v", err)
	}

	// Never overwritten without --force; with it, the same bytes again
	// (Ed25519 signatures are deterministic).
	if err := os.WriteFile(out, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, err = runElection(t, "create", municipalConfig, "--commission-key", key, "--out", out)
	if err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("create over an existing file: %v", err)
	}
	if got, _ := os.ReadFile(out); string(got) != "old" {
		t.Error("create without --force changed the existing file")
	}
	if _, _, err := runElection(t, "create", municipalConfig, "--commission-key", key, "--out", out, "--force"); err != nil {
		t.Fatalf("create --force: %v", err)
	}
	if got, _ := os.ReadFile(out); !bytes.Equal(got, b) {
		t.Error("create --force did not write the same entry")
	}
	if names := dirFiles(t, dir); !slices.Equal(names, []string{"manifest.entry"}) {
		t.Errorf("files left: %q", names)
	}
}

func TestElectionCreateWritesNothingOnError(t *testing.T) {
	keyDir := t.TempDir()
	key := commissionKey(t, keyDir)
	_, otherKey, err := keyfile.Generate(keyfile.Commission, keyDir, "other", false)
	if err != nil {
		t.Fatal(err)
	}
	_, nodeKey, err := keyfile.Generate(keyfile.Node, keyDir, "node", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, config, key, want string
	}{
		{"key does not match", municipalConfig, otherKey, "is not the commission key of"},
		{"not a commission key", municipalConfig, nodeKey, "wrong key role"},
		{"no such key", municipalConfig, filepath.Join(keyDir, "none.key"), "no such file"},
		{"invalid config", "../../election/config/testdata/fail_many.yaml", key, "4 problems; nothing done"},
		{"no such config", filepath.Join(keyDir, "none.yaml"), key, "no such file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "manifest.entry")
			stdout, _, err := runElection(t, "create", c.config, "--commission-key", c.key, "--out", out)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("create: %v, want an error containing %q", err, c.want)
			}
			if stdout != "" {
				t.Errorf("create printed %q", stdout)
			}
			if names := dirFiles(t, dir); len(names) != 0 {
				t.Errorf("failed create left %q", names)
			}
		})
	}
	if _, _, err := runElection(t, "create", municipalConfig); err == nil {
		t.Error("create without --commission-key succeeded")
	}
	if _, _, err := runElection(t, "create", "--commission-key", key); exitCode(err) != exitUsage {
		t.Errorf("create without FILE: %v, want exit status %d", err, exitUsage)
	}
}

// TestFlagsAfterArgs: create takes its flags before or after FILE, under
// any of their names, and still refuses unknown ones.
func TestFlagsAfterArgs(t *testing.T) {
	key := commissionKey(t, t.TempDir())
	for i, args := range [][]string{
		{"create", "--commission-key", key, "-o", "OUT", municipalConfig},
		{"create", municipalConfig, "-o", "OUT", "--commission-key=" + key},
		{"create", "--commission-key", key, municipalConfig, "--out", "OUT", "--force"},
	} {
		out := filepath.Join(t.TempDir(), "m.entry")
		for j := range args {
			if args[j] == "OUT" {
				args[j] = out
			}
		}
		if _, stderr, err := runElection(t, args...); err != nil {
			t.Errorf("%d: %q: %v\n%s", i, args, err, stderr)
		} else if _, err := os.Stat(out); err != nil {
			t.Errorf("%d: %q wrote no entry: %v", i, args, err)
		}
	}
	_, _, err := runElection(t, "create", municipalConfig, "--commission-key", key, "--bogus")
	if exitCode(err) != exitUsage || !strings.Contains(err.Error(), "bogus") {
		t.Errorf("unknown flag after FILE: %v, want a usage error naming it", err)
	}
	stdout, _, err := runElection(t, "create", municipalConfig, "--help")
	if err != nil || !strings.Contains(stdout, "--commission-key") {
		t.Errorf("create FILE --help: %v, printed %q", err, stdout)
	}
}
