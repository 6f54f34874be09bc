package keyfile

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/election"
)

var update = flag.Bool("update", false, "rewrite the good_* vectors in testdata")

// fixedRand returns a reader of the bytes seed, seed+1, seed+2, … (mod 256).
func fixedRand(seed byte) *bytes.Reader {
	b := make([]byte, 64)
	for i := range b {
		b[i] = seed + byte(i)
	}
	return bytes.NewReader(b)
}

func TestRoundTrip(t *testing.T) {
	for _, role := range []Role{Commission, Trustee, Node} {
		t.Run(role.String(), func(t *testing.T) {
			dir := t.TempDir()
			pubPath, secPath, err := Generate(role, dir, "k-"+role.String(), false)
			if err != nil {
				t.Fatal(err)
			}
			if want, _ := Paths(dir, "k-"+role.String()); pubPath != want {
				t.Errorf("public path %s, want %s", pubPath, want)
			}
			checkMode(t, secPath, 0o600)
			checkMode(t, pubPath, 0o644)
			s, err := LoadRole(secPath, role)
			if err != nil {
				t.Fatal(err)
			}
			p, err := LoadPublic(pubPath)
			if err != nil {
				t.Fatal(err)
			}
			if p.Role != role || s.Role != role || p.Name != s.Name {
				t.Errorf("role/name: secret %v %q, public %v %q", s.Role, s.Name, p.Role, p.Name)
			}
			if !p.SigningKey.Equal(s.SigningKey.Public()) {
				t.Error("public signing key does not match the secret one")
			}
			sk, err := LoadSigningKey(secPath)
			if err != nil || !sk.Equal(s.SigningKey) {
				t.Errorf("LoadSigningKey: %v", err)
			}
			switch role {
			case Trustee:
				if !bytes.Equal(p.EncryptionKey, s.EncryptionKey.Public().Bytes()) {
					t.Error("public encryption key does not match the secret one")
				}
				sk2, ek, err := LoadTrustee(secPath)
				if err != nil || !sk2.Equal(s.SigningKey) || !bytes.Equal(ek.Bytes(), s.EncryptionKey.Bytes()) {
					t.Errorf("LoadTrustee: %v", err)
				}
			case Node:
				id, _ := PeerID(p.SigningKey)
				if p.PeerID != id || !strings.HasPrefix(id, "12D3KooW") {
					t.Errorf("peer id %q, want %q (12D3KooW…)", p.PeerID, id)
				}
			default:
				if p.EncryptionKey != nil || p.PeerID != "" {
					t.Errorf("commission public key has encryption key %x, peer id %q", p.EncryptionKey, p.PeerID)
				}
			}
		})
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %04o, want %04o", path, fi.Mode().Perm(), want)
	}
}

func TestNewDeterministic(t *testing.T) {
	a, err := New(Trustee, "t", fixedRand(7))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := New(Trustee, "t", fixedRand(7))
	c, _ := New(Trustee, "t", fixedRand(8))
	if !bytes.Equal(a.Bytes(), b.Bytes()) || bytes.Equal(a.Bytes(), c.Bytes()) {
		t.Error("New is not a function of its randomness")
	}
	if _, err := New(Trustee, "t", bytes.NewReader(make([]byte, 40))); err == nil {
		t.Error("New succeeded with 40 bytes of randomness; a trustee needs 64")
	}
	if _, err := New(Role(9), "t", nil); !errors.Is(err, ErrRole) {
		t.Errorf("New(role 9): %v, want ErrRole", err)
	}
}

func TestWrongModeRefused(t *testing.T) {
	dir := t.TempDir()
	_, sec, err := Generate(Commission, dir, "c", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o640, 0o604, 0o620, 0o602, 0o610} {
		if err := os.Chmod(sec, mode); err != nil {
			t.Fatal(err)
		}
		_, err := Load(sec)
		if !errors.Is(err, ErrMode) || !strings.Contains(err.Error(), "chmod 600 "+sec) {
			t.Errorf("mode %04o: %v, want ErrMode naming the fix", mode, err)
		}
	}
	if err := os.Chmod(sec, 0o400); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(sec); err != nil {
		t.Errorf("mode 0400: %v", err)
	}
}

func TestOverwriteRefused(t *testing.T) {
	dir := t.TempDir()
	pub, sec, err := Generate(Node, dir, "n", false)
	if err != nil {
		t.Fatal(err)
	}
	oldPub, _ := os.ReadFile(pub)
	oldSec, _ := os.ReadFile(sec)
	if _, _, err := Generate(Node, dir, "n", false); !errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("second Generate: %v, want ErrExists", err)
	}
	// Only one of the two files present still blocks both.
	os.Remove(pub)
	if _, _, err := Generate(Node, dir, "n", false); !errors.Is(err, ErrExists) {
		t.Fatalf("Generate with the secret file present: %v, want ErrExists", err)
	}
	if _, err := os.Stat(pub); !os.IsNotExist(err) {
		t.Error("a refused Generate wrote the public file")
	}
	if b, _ := os.ReadFile(sec); !bytes.Equal(b, oldSec) {
		t.Error("a refused Generate changed the secret file")
	}
	if _, _, err := Generate(Node, dir, "n", true); err != nil {
		t.Fatalf("Generate with force: %v", err)
	}
	if b, _ := os.ReadFile(sec); bytes.Equal(b, oldSec) {
		t.Error("Generate with force did not replace the secret file")
	}
	checkMode(t, sec, 0o600)
	if _, err := LoadPublic(pub); err != nil || bytes.Equal(oldPub, nil) {
		t.Error(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("directory holds %d files after the writes, want 2 (temporary files left behind?)", len(entries))
	}
}

func TestWriteNeedsDirectory(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "nope")
	if _, _, err := Generate(Commission, missing, "c", false); err == nil || !strings.Contains(err.Error(), "mkdir") {
		t.Errorf("Generate into a missing directory: %v, want an error suggesting mkdir", err)
	}
	if _, _, err := Generate(Commission, t.TempDir(), "../c", false); err == nil {
		t.Error("Generate accepted the name ../c")
	}
}

func TestWrongRoleRefused(t *testing.T) {
	dir := t.TempDir()
	_, sec, err := Generate(Node, dir, "n", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := LoadRole(sec, Commission); !errors.Is(err, ErrRole) || !strings.Contains(err.Error(), "holds a node key, want a commission key") {
		t.Errorf("LoadRole(node file, commission): %v", err)
	}
	if _, _, err := LoadTrustee(sec); !errors.Is(err, ErrRole) {
		t.Errorf("LoadTrustee(node file): %v", err)
	}
	if _, err := ParseRole("admin"); err == nil {
		t.Error(`ParseRole("admin") succeeded`)
	}
}

func TestLoadPublicAsSecret(t *testing.T) {
	dir := t.TempDir()
	pub, _, err := Generate(Commission, dir, "c", false)
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(pub, 0o600)
	if _, err := Load(pub); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), `"evote-secret-key"`) {
		t.Errorf("Load(public file): %v", err)
	}
}

func TestPeerIDKnownAnswer(t *testing.T) {
	// A peer id seen in the wild, decoded by hand below: an identity
	// multihash (0x00, length 36) of the protobuf PublicKey
	// {Type: Ed25519 (08 01), Data: 32 bytes (12 20 …)}.
	const known = "12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK"
	raw := base58Decode(t, known)
	prefix := []byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}
	if len(raw) != 38 || !bytes.Equal(raw[:6], prefix) {
		t.Fatalf("test vector decodes to %x, want prefix %x and 38 bytes", raw, prefix)
	}
	got, err := PeerID(raw[6:])
	if err != nil {
		t.Fatal(err)
	}
	if got != known {
		t.Errorf("PeerID = %s, want %s", got, known)
	}
	// And for the key of seed 0…31, computed by hand.
	pub := ed25519.NewKeyFromSeed(fixedSeed()).Public().(ed25519.PublicKey)
	want := base58Encode(append(prefix, pub...))
	if got, _ := PeerID(pub); got != want {
		t.Errorf("PeerID = %s, want %s", got, want)
	}
	if _, err := PeerID(pub[:31]); err == nil {
		t.Error("PeerID accepted a 31-byte key")
	}
}

func fixedSeed() []byte {
	b := make([]byte, 32)
	for i := range b {
		b[i] = byte(i)
	}
	return b
}

const b58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Encode and base58Decode are the textbook big-number conversions,
// written here so that the peer id test does not trust libp2p's own.
func base58Encode(b []byte) string {
	digits := []byte{}
	for _, c := range b {
		carry := int(c)
		for i := range digits {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits = append(digits, byte(carry%58))
			carry /= 58
		}
	}
	var s []byte
	for _, c := range b {
		if c != 0 {
			break
		}
		s = append(s, '1')
	}
	for i := len(digits) - 1; i >= 0; i-- {
		s = append(s, b58[digits[i]])
	}
	return string(s)
}

func base58Decode(t *testing.T, s string) []byte {
	var out []byte // little-endian base 256
	for _, r := range s {
		carry := strings.IndexRune(b58, r)
		if carry < 0 {
			t.Fatalf("bad base58 %q", s)
		}
		for i := range out {
			carry += int(out[i]) * 58
			out[i] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			out = append(out, byte(carry))
			carry >>= 8
		}
	}
	for _, r := range s {
		if r != '1' {
			break
		}
		out = append(out, 0)
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return out
}

// TestPeerIDAgreesWithElection checks keyfile against the election
// package's own peer id code, which the manifest validation uses: a node key
// made by keygen must pass it.
func TestPeerIDAgreesWithElection(t *testing.T) {
	for seed := range byte(20) {
		s, err := New(Node, "n", fixedRand(seed))
		if err != nil {
			t.Fatal(err)
		}
		p, _ := s.Public()
		if want := election.PeerID(p.SigningKey); p.PeerID != want {
			t.Errorf("seed %d: keyfile peer id %s, election's %s", seed, p.PeerID, want)
		}
	}
}
