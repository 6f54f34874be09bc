package keyfile

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goodVectors are made by New from fixedRand(seed); go test -update
// rewrites them.
var goodVectors = []struct {
	name string
	role Role
	seed byte
}{
	{"commission", Commission, 1},
	{"trustee", Trustee, 2},
	{"node", Node, 3},
}

func TestGoodVectors(t *testing.T) {
	for _, v := range goodVectors {
		s, err := New(v.role, "example-"+v.name, fixedRand(v.seed))
		if err != nil {
			t.Fatal(err)
		}
		p, err := s.Public()
		if err != nil {
			t.Fatal(err)
		}
		secPath := filepath.Join("testdata", "good_"+v.name+".key")
		pubPath := filepath.Join("testdata", "good_"+v.name+".pub")
		if *update {
			os.WriteFile(secPath, s.Bytes(), 0o644)
			os.WriteFile(pubPath, p.Bytes(), 0o644)
		}
		secBytes, err := os.ReadFile(secPath)
		if err != nil {
			t.Fatal(err)
		}
		pubBytes, err := os.ReadFile(pubPath)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(secBytes, s.Bytes()) || !bytes.Equal(pubBytes, p.Bytes()) {
			t.Errorf("%s: the files in testdata differ from what New and Bytes give", v.name)
		}
		s2, err := ParseSecret(secBytes)
		if err != nil {
			t.Fatalf("%s: %v", secPath, err)
		}
		p2, err := ParsePublic(pubBytes)
		if err != nil {
			t.Fatalf("%s: %v", pubPath, err)
		}
		if !bytes.Equal(s2.Bytes(), secBytes) || !bytes.Equal(p2.Bytes(), pubBytes) {
			t.Errorf("%s: parse and re-encode changes the bytes", v.name)
		}
		if s2.Role != v.role || p2.Role != v.role {
			t.Errorf("%s: roles %v, %v", v.name, s2.Role, p2.Role)
		}
	}
}

// failVectors lists each fail_* file with what its error must say.
var failVectors = map[string]string{
	"fail_no_newline.key":              "does not end with a newline",
	"fail_crlf.key":                    "carriage return",
	"fail_magic.key":                   `want "evote-secret-key"`,
	"fail_version.key":                 `unsupported format version "v2"`,
	"fail_role.key":                    `unknown key role "admin"`,
	"fail_missing_encryption.key":      "2 lines after the header, want 3 for a trustee key",
	"fail_extra_line.key":              "3 lines after the header, want 2 for a node key",
	"fail_field_order.key":             `line 2: want field "name"`,
	"fail_seed_short.key":              "line 3: signing-seed: want 32 bytes",
	"fail_seed_padding.key":            "line 3: signing-seed: want 32 bytes",
	"fail_seed_bad_base64.key":         "line 3: signing-seed: want 32 bytes",
	"fail_name.key":                    "line 2: key name",
	"fail_trailing_space.key":          "line 3: signing-seed: want 32 bytes",
	"fail_public_as_secret.key":        `want "evote-secret-key"`,
	"fail_upper_hex.pub":               "line 3: signing-key: want 32 bytes",
	"fail_peer_id.pub":                 "line 4: peer id",
	"fail_low_order_encryption.pub":    "line 4: encryption public key",
	"fail_noncanonical_encryption.pub": "line 4: encryption public key",
	"fail_signing_key_not_point.pub":   "line 3: signing-key: not an Ed25519 public key",
	"fail_secret_as_public.pub":        `want "evote-public-key"`,
}

func TestFailVectors(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "fail_*"))
	if len(files) != len(failVectors) {
		t.Errorf("%d fail_* files in testdata, %d in the table", len(files), len(failVectors))
	}
	for name, want := range failVectors {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Error(err)
			continue
		}
		if strings.HasSuffix(name, ".key") {
			_, err = ParseSecret(b)
		} else {
			_, err = ParsePublic(b)
		}
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want ErrFormat saying %q", name, err, want)
			continue
		}
		// An error about a secret file must not quote its key material.
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "signing-seed: "); ok && len(v) > 8 && strings.Contains(err.Error(), v[:8]) {
				t.Errorf("%s: error %q quotes the seed", name, err)
			}
		}
	}
}

func FuzzParseSecret(f *testing.F) {
	addSeeds(f, "*.key")
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := ParseSecret(b)
		if err != nil {
			return
		}
		if !bytes.Equal(s.Bytes(), b) {
			t.Errorf("ParseSecret accepted a non-canonical file:\n%q\nre-encodes as\n%q", b, s.Bytes())
		}
	})
}

func FuzzParsePublic(f *testing.F) {
	addSeeds(f, "*.pub")
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePublic(b)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Errorf("ParsePublic accepted a non-canonical file:\n%q\nre-encodes as\n%q", b, p.Bytes())
		}
	})
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}
