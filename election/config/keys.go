package config

import (
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/evote/evote/keyfile"
)

// keyUse is which public key a config field holds, and so which key file
// role and which key in it the field takes.
type keyUse int

const (
	commissionKey keyUse = iota
	trusteeSigningKey
	trusteeEncryptionKey
	nodeSigningKey
)

func (u keyUse) role() keyfile.Role {
	switch u {
	case commissionKey:
		return keyfile.Commission
	case nodeSigningKey:
		return keyfile.Node
	}
	return keyfile.Trustee
}

// keySize is the length of every public key in a config: Ed25519 and X25519
// public keys are both 32 bytes.
const keySize = 32

// key returns the public key in field key: 64 hex digits, or the path of a
// .pub file written by `evote keygen`, relative to the config's directory.
// A key file must have the role the field needs; from a trustee's file,
// signing_key takes the signing key and encryption_key the encryption key.
func (f *fields) key(key string, use keyUse) []byte {
	n := f.get(key, true)
	if n == nil {
		return nil
	}
	path := join(f.path, key)
	s, ok := f.d.scalarString(path, n)
	if !ok {
		return nil
	}
	if strings.HasSuffix(s, ".pub") {
		return f.d.keyFromFile(path, n, s, use)
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != keySize {
		f.d.problemAt(n, path, "want a public key as %d hex digits or the path of a .pub key file, got %q", 2*keySize, s)
		return nil
	}
	return b
}

// keyFromFile loads the key for use from the public key file at name.
func (d *decoder) keyFromFile(path string, n *yaml.Node, name string, use keyUse) []byte {
	file := name
	if !filepath.IsAbs(file) {
		file = filepath.Join(d.dir, file)
	}
	// Stat first: opening a named pipe would block the loader forever.
	if fi, err := os.Stat(file); errors.Is(err, fs.ErrNotExist) {
		d.problemAt(n, path, "key file %s does not exist (paths are relative to the config file)", file)
		return nil
	} else if err == nil && !fi.Mode().IsRegular() {
		d.problemAt(n, path, "key file %s is not a regular file", file)
		return nil
	}
	pub, err := keyfile.LoadPublic(file)
	switch {
	case err != nil:
		d.problemAt(n, path, "%v", err)
		return nil
	case pub.Role != use.role():
		d.problemAt(n, path, "%s holds a %s key; this field needs a %s key", file, pub.Role, use.role())
		return nil
	case use == trusteeEncryptionKey:
		return pub.EncryptionKey
	}
	return pub.SigningKey
}
