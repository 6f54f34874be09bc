// Package keyfile stores the long-term keys of an election's parties in
// small text files: the commission's signing key, a trustee's signing and
// encryption keys, and a board node's signing key, which is also its libp2p
// identity.
//
// Each key has a secret file, NAME.key, readable by its owner only, and a
// public file, NAME.pub, to hand to the commission or paste into an election
// config. docs/KEYS.md specifies both formats line by line.
//
// Secret files are created with mode 0600, atomically, and never replace an
// existing file unless asked to; loading refuses a secret file that group or
// others may read, and any file that deviates from the format in the
// smallest way.
package keyfile

import (
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/internal/atomicfile"
)

// Role is what a key is for; a key file names its role, and loading a key
// for another role fails.
type Role uint8

// The roles.
const (
	Commission Role = iota + 1 // signs the manifest, credentials, open, close and result
	Trustee                    // signs ceremony and decryption entries; receives key shares
	Node                       // a bulletin-board node: signs seals; its libp2p identity
)

var roleNames = map[Role]string{Commission: "commission", Trustee: "trustee", Node: "node"}

// String returns the role's name as key files and the command line spell it.
func (r Role) String() string {
	if n, ok := roleNames[r]; ok {
		return n
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// ParseRole returns the role named s: "commission", "trustee" or "node".
func ParseRole(s string) (Role, error) {
	for r, n := range roleNames {
		if n == s {
			return r, nil
		}
	}
	return 0, fmt.Errorf("unknown key role %q (want commission, trustee or node)", s)
}

// Errors wrapped by the loaders, so that callers can tell a bad file from a
// missing one.
var (
	ErrFormat = errors.New("malformed key file")
	ErrMode   = errors.New("key file readable by others")
	ErrRole   = errors.New("wrong key role")
	ErrExists = atomicfile.ErrExists
)

// namePattern keeps names usable as file names on every system and free of
// anything a shell or a config file would need to quote.
var namePattern = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$`)

// CheckName reports whether name may name a key: 1–64 characters from
// [A-Za-z0-9._-], not starting with a dot.
func CheckName(name string) error {
	if !namePattern.MatchString(name) {
		return fmt.Errorf("key name %q: want 1–64 characters from A–Z, a–z, 0–9, '.', '_', '-', not starting with '.'", name)
	}
	return nil
}

// Secret is a party's secret key material. EncryptionKey is set for
// trustees only.
type Secret struct {
	Role          Role
	Name          string
	SigningKey    ed25519.PrivateKey
	EncryptionKey *threshold.EncryptionKey
}

// Public is what a party publishes: its signing public key, and for a
// trustee its encryption public key, for a node its libp2p peer id.
type Public struct {
	Role          Role
	Name          string
	SigningKey    ed25519.PublicKey
	EncryptionKey []byte // trustees: 32-byte X25519 public key; nil otherwise
	PeerID        string // nodes: libp2p peer id of SigningKey; "" otherwise
}

// New draws fresh keys for role from rand (crypto/rand when nil). It reads
// 32 bytes for the signing seed and, for a trustee, 32 more for the
// encryption key, so a fixed reader gives fixed keys.
func New(role Role, name string, rand io.Reader) (*Secret, error) {
	if _, ok := roleNames[role]; !ok {
		return nil, fmt.Errorf("new key: %w: %v", ErrRole, role)
	}
	if err := CheckName(name); err != nil {
		return nil, err
	}
	if rand == nil {
		rand = cryptoRand
	}
	seed := make([]byte, ed25519.SeedSize)
	if _, err := io.ReadFull(rand, seed); err != nil {
		return nil, fmt.Errorf("new %s key: reading randomness: %w", role, err)
	}
	s := &Secret{Role: role, Name: name, SigningKey: ed25519.NewKeyFromSeed(seed)}
	if role == Trustee {
		k, err := threshold.GenerateEncryptionKey(rand)
		if err != nil {
			return nil, fmt.Errorf("new trustee key: %w", err)
		}
		s.EncryptionKey = k
	}
	return s, nil
}

var cryptoRand = rand.Reader

// Public returns the public half of s.
func (s *Secret) Public() (*Public, error) {
	p := &Public{Role: s.Role, Name: s.Name, SigningKey: s.SigningKey.Public().(ed25519.PublicKey)}
	switch s.Role {
	case Trustee:
		p.EncryptionKey = s.EncryptionKey.Public().Bytes()
	case Node:
		id, err := PeerID(p.SigningKey)
		if err != nil {
			return nil, err
		}
		p.PeerID = id
	}
	return p, nil
}

// Paths returns where the public and secret files of the key called name
// live in dir.
func Paths(dir, name string) (pubPath, secretPath string) {
	return filepath.Join(dir, name+".pub"), filepath.Join(dir, name+".key")
}

// Generate draws fresh keys for role and writes them to dir/name.pub and
// dir/name.key, returning both paths. dir must exist. Unless force is set,
// it fails with ErrExists if either file exists, and writes nothing.
func Generate(role Role, dir, name string, force bool) (pubPath, secretPath string, err error) {
	s, err := New(role, name, nil)
	if err != nil {
		return "", "", err
	}
	return s.Write(dir, force)
}
