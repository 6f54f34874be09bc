package config

import (
	"bytes"
	"crypto/sha512"
	"encoding/hex"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/evote/evote/keyfile"
)

var updateDemoKeys = flag.Bool("update-demo-keys", false, "rewrite election-configs/demo-keys and testdata/keys from their derivation")

// demoKeys are the keys of election-configs/demo-keys, by name.
var demoKeys = []struct {
	role keyfile.Role
	name string
}{
	{keyfile.Commission, "demo-commission"},
	{keyfile.Trustee, "demo-trustee-1"}, {keyfile.Trustee, "demo-trustee-2"}, {keyfile.Trustee, "demo-trustee-3"},
	{keyfile.Trustee, "demo-trustee-4"}, {keyfile.Trustee, "demo-trustee-5"},
	{keyfile.Node, "demo-node-1"}, {keyfile.Node, "demo-node-2"}, {keyfile.Node, "demo-node-3"},
}

// demoKey derives a demo key as election-configs/README.md documents:
// keyfile.New reading the SHA-512 of a fixed label and the key's name. The
// label says what the key is, should one ever turn up where it must not.
func demoKey(t *testing.T, role keyfile.Role, name string) *keyfile.Secret {
	seed := sha512.Sum512([]byte("evote demo key, never for a real election: " + name))
	s, err := keyfile.New(role, name, bytes.NewReader(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDemoKeys checks that the demo key files are what their derivation
// gives, that testdata/keys holds copies of the public files, and that
// every key in the example configs is a demo public key, so the configs,
// the key files and the README never drift apart.
func TestDemoKeys(t *testing.T) {
	dir := filepath.Join(configsDir, "demo-keys")
	public := map[string]bool{}
	for _, k := range demoKeys {
		s := demoKey(t, k.role, k.name)
		pub, err := s.Public()
		if err != nil {
			t.Fatal(err)
		}
		public[hex.EncodeToString(pub.SigningKey)] = true
		if pub.EncryptionKey != nil {
			public[hex.EncodeToString(pub.EncryptionKey)] = true
		}
		if *updateDemoKeys {
			if _, _, err := s.Write(dir, true); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata/keys", k.name+".pub"), pub.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pubPath, secretPath := keyfile.Paths(dir, k.name)
		for path, want := range map[string][]byte{
			pubPath: pub.Bytes(), secretPath: s.Bytes(),
			filepath.Join("testdata/keys", k.name+".pub"): pub.Bytes(),
		} {
			got, err := os.ReadFile(path)
			if err != nil {
				t.Errorf("%v (run go test -run TestDemoKeys -update-demo-keys)", err)
			} else if !bytes.Equal(got, want) {
				t.Errorf("%s differs from its derivation (run go test -run TestDemoKeys -update-demo-keys)", path)
			}
		}
	}
	configs, _ := filepath.Glob(filepath.Join(configsDir, "*.yaml"))
	hexKeys := regexp.MustCompile(`\b[0-9a-fA-F]{64}\b`)
	for _, c := range configs {
		data, err := os.ReadFile(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range hexKeys.FindAllString(string(data), -1) {
			if !public[strings.ToLower(k)] {
				t.Errorf("%s: key %s is not a demo public key", c, k)
			}
		}
	}
}
