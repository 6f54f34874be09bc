package main

import (
	"bytes"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/keyfile"
)

// runWith runs a one-command app made of cmd, so that a command can be
// tested before app.go lists it.
func runWith(t *testing.T, cmd *cli.Command, args ...string) (stdout string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	app := newApp("test", &out, &errOut)
	app.Commands = []*cli.Command{cmd}
	err = app.Run(append([]string{"evote"}, args...))
	return out.String(), err
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	for _, role := range []string{"commission", "trustee", "node"} {
		out, err := runWith(t, keygenCommand(), "keygen", "--role", role, "--out", dir, "--name", role+"1")
		if err != nil {
			t.Fatalf("keygen --role %s: %v", role, err)
		}
		pubPath, secPath := keyfile.Paths(dir, role+"1")
		pub, err := keyfile.LoadPublic(pubPath)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := keyfile.LoadRole(secPath, pub.Role); err != nil || pub.Role.String() != role {
			t.Errorf("role %s: secret file: %v", role, err)
		}
		for _, want := range []string{hex.EncodeToString(pub.SigningKey), pubPath, secPath} {
			if !strings.Contains(out, want) {
				t.Errorf("keygen --role %s output lacks %q:\n%s", role, want, out)
			}
		}
		if role == "trustee" && !strings.Contains(out, hex.EncodeToString(pub.EncryptionKey)) {
			t.Errorf("trustee output lacks the encryption key:\n%s", out)
		}
		if role == "node" && !strings.Contains(out, "peer id:        12D3KooW") {
			t.Errorf("node output lacks the peer id:\n%s", out)
		}
		seed, _ := os.ReadFile(secPath)
		if strings.Contains(out, strings.Split(string(seed), "\n")[2]) {
			t.Error("keygen printed the secret seed")
		}
	}
}

func TestKeygenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := runWith(t, keygenCommand(), "keygen", "--role", "node", "--out", dir, "--name", "n"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--role", "node", "--out", dir, "--name", "n"}, "--force", 1},
		{[]string{"--role", "voter", "--out", dir, "--name", "v"}, `unknown key role "voter"`, exitUsage},
		{[]string{"--role", "node", "--out", filepath.Join(dir, "missing"), "--name", "n"}, "mkdir", 1},
		{[]string{"--role", "node", "--out", dir, "--name", "a/b"}, `key name "a/b"`, 1},
		{[]string{"--role", "node", "--out", dir, "--name", "x", "extra"}, "no arguments", exitUsage},
		{[]string{"--role", "node", "--out", dir}, "name", 1},
	} {
		_, err := runWith(t, keygenCommand(), append([]string{"keygen"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("keygen %v: %v, want an error saying %q", tc.args, err, tc.want)
			continue
		}
		if got := exitCode(err); got != tc.code {
			t.Errorf("keygen %v: exit code %d, want %d", tc.args, got, tc.code)
		}
	}
	if _, err := runWith(t, keygenCommand(), "keygen", "--role", "node", "--out", dir, "--name", "n", "--force"); err != nil {
		t.Errorf("keygen --force: %v", err)
	}
}
