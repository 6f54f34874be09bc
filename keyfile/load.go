package keyfile

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"os"

	"github.com/evote/evote/crypto/threshold"
)

// readFile reads a key file of at most maxFileSize bytes. For a secret
// file it first checks, on the open file, that group and others have no
// access, so that a key that may already have leaked is never used
// silently.
func readFile(path string, secret bool) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("key file %s: %w: not a regular file", path, ErrFormat)
	}
	if secret && fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("key file %s: %w: mode %04o lets group or others read it; if nobody else could have read it, run: chmod 600 %s",
			path, ErrMode, fi.Mode().Perm(), path)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	if len(b) > maxFileSize {
		return nil, fmt.Errorf("key file %s: %w: larger than %d bytes", path, ErrFormat, maxFileSize)
	}
	return b, nil
}

// Load reads and parses a secret key file of any role.
func Load(path string) (*Secret, error) {
	b, err := readFile(path, true)
	if err != nil {
		return nil, err
	}
	s, err := ParseSecret(b)
	clear(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return s, nil
}

// LoadRole reads a secret key file and checks that it holds a key for role.
func LoadRole(path string, role Role) (*Secret, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	if s.Role != role {
		return nil, fmt.Errorf("key file %s: %w: it holds a %s key, want a %s key", path, ErrRole, s.Role, role)
	}
	return s, nil
}

// LoadSigningKey reads a secret key file of any role and returns its
// signing key: the commission's, a node's, or a trustee's. Callers that
// know which role they need should use LoadRole.
func LoadSigningKey(path string) (ed25519.PrivateKey, error) {
	s, err := Load(path)
	if err != nil {
		return nil, err
	}
	return s.SigningKey, nil
}

// LoadTrustee reads a trustee's secret key file.
func LoadTrustee(path string) (ed25519.PrivateKey, *threshold.EncryptionKey, error) {
	s, err := LoadRole(path, Trustee)
	if err != nil {
		return nil, nil, err
	}
	return s.SigningKey, s.EncryptionKey, nil
}

// LoadPublic reads and parses a public key file.
func LoadPublic(path string) (*Public, error) {
	b, err := readFile(path, false)
	if err != nil {
		return nil, err
	}
	p, err := ParsePublic(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return p, nil
}
