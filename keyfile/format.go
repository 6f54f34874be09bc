package keyfile

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"

	"filippo.io/edwards25519"
	"github.com/evote/evote/crypto/threshold"
)

// The first line of every file is "<magic> <formatVersion> <role>".
const (
	secretMagic   = "evote-secret-key"
	publicMagic   = "evote-public-key"
	formatVersion = "v1"
)

// Field names, in the order they appear.
const (
	fieldName          = "name"
	fieldSigningSeed   = "signing-seed"   // secret: base64 of the 32-byte Ed25519 seed
	fieldEncryptionKey = "encryption-key" // secret: base64 of the 32-byte X25519 key; public: hex
	fieldSigningKey    = "signing-key"    // public: hex of the 32-byte Ed25519 public key
	fieldPeerID        = "peer-id"        // public, nodes: libp2p peer id
)

// maxFileSize bounds what a loader reads; real files are under 300 bytes.
const maxFileSize = 4096

var b64 = base64.StdEncoding.Strict()

func secretFields(r Role) []string {
	if r == Trustee {
		return []string{fieldName, fieldSigningSeed, fieldEncryptionKey}
	}
	return []string{fieldName, fieldSigningSeed}
}

func publicFields(r Role) []string {
	switch r {
	case Trustee:
		return []string{fieldName, fieldSigningKey, fieldEncryptionKey}
	case Node:
		return []string{fieldName, fieldSigningKey, fieldPeerID}
	}
	return []string{fieldName, fieldSigningKey}
}

func writeFile(magic string, r Role, fields []string, values map[string]string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\n", magic, formatVersion, r)
	for _, f := range fields {
		fmt.Fprintf(&b, "%s: %s\n", f, values[f])
	}
	return b.Bytes()
}

// Bytes returns the secret file's contents.
func (s *Secret) Bytes() []byte {
	v := map[string]string{fieldName: s.Name, fieldSigningSeed: b64.EncodeToString(s.SigningKey.Seed())}
	if s.Role == Trustee {
		v[fieldEncryptionKey] = b64.EncodeToString(s.EncryptionKey.Bytes())
	}
	return writeFile(secretMagic, s.Role, secretFields(s.Role), v)
}

// Bytes returns the public file's contents.
func (p *Public) Bytes() []byte {
	v := map[string]string{fieldName: p.Name, fieldSigningKey: hex.EncodeToString(p.SigningKey),
		fieldEncryptionKey: hex.EncodeToString(p.EncryptionKey), fieldPeerID: p.PeerID}
	return writeFile(publicMagic, p.Role, publicFields(p.Role), v)
}

// formatError is a format problem at a line. It never quotes the line,
// which in a secret file may hold key material.
func formatError(line int, format string, args ...any) error {
	return fmt.Errorf("%w: line %d: %s", ErrFormat, line, fmt.Sprintf(format, args...))
}

// splitFile checks the header line and the field names, in order, and
// returns the role and the field values. The file must be exactly the
// header and one "field: value" line per field, each ending in "\n".
func splitFile(b []byte, magic string, fields func(Role) []string) (Role, map[string]string, error) {
	s := string(b)
	if !strings.HasSuffix(s, "\n") {
		return 0, nil, fmt.Errorf("%w: does not end with a newline (truncated?)", ErrFormat)
	}
	if strings.Contains(s, "\r") {
		return 0, nil, fmt.Errorf("%w: carriage return found: lines must end in \\n alone (was the file saved with Windows line endings?)", ErrFormat)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	head := strings.Split(lines[0], " ")
	if len(head) != 3 || head[0] != magic {
		return 0, nil, formatError(1, "want %q followed by the version and role", magic)
	}
	if head[1] != formatVersion {
		return 0, nil, formatError(1, "unsupported format version %q (this program reads %s)", head[1], formatVersion)
	}
	role, err := ParseRole(head[2])
	if err != nil {
		return 0, nil, formatError(1, "%v", err)
	}
	want := fields(role)
	if len(lines)-1 != len(want) {
		return 0, nil, fmt.Errorf("%w: %d lines after the header, want %d for a %s key (%s)",
			ErrFormat, len(lines)-1, len(want), role, strings.Join(want, ", "))
	}
	values := make(map[string]string, len(want))
	for i, f := range want {
		v, ok := strings.CutPrefix(lines[i+1], f+": ")
		if !ok {
			return 0, nil, formatError(i+2, "want field %q", f)
		}
		values[f] = v
	}
	return role, values, nil
}

// fieldLine returns the 1-based line number of field f in a file whose
// fields are fields.
func fieldLine(fields []string, f string) int {
	for i, g := range fields {
		if g == f {
			return i + 2
		}
	}
	return 0
}

func decode32(enc func(string) ([]byte, error), fields []string, f, v string) ([]byte, error) {
	b, err := enc(v)
	if err != nil || len(b) != 32 {
		return nil, formatError(fieldLine(fields, f), "%s: want 32 bytes, canonically encoded", f)
	}
	return b, nil
}

// ParseSecret parses a secret file's contents strictly.
func ParseSecret(b []byte) (*Secret, error) {
	role, v, err := splitFile(b, secretMagic, secretFields)
	if err != nil {
		return nil, err
	}
	fields := secretFields(role)
	if err := CheckName(v[fieldName]); err != nil {
		return nil, formatError(2, "%v", err)
	}
	seed, err := decode32(b64.DecodeString, fields, fieldSigningSeed, v[fieldSigningSeed])
	if err != nil {
		return nil, err
	}
	s := &Secret{Role: role, Name: v[fieldName], SigningKey: ed25519.NewKeyFromSeed(seed)}
	clear(seed)
	if role == Trustee {
		kb, err := decode32(b64.DecodeString, fields, fieldEncryptionKey, v[fieldEncryptionKey])
		if err != nil {
			return nil, err
		}
		if s.EncryptionKey, err = threshold.ParseEncryptionKey(kb); err != nil {
			return nil, formatError(fieldLine(fields, fieldEncryptionKey), "%v", err)
		}
		clear(kb)
	}
	return s, nil
}

// decodeHex decodes lower-case hex only, so that each key has one spelling.
func decodeHex(s string) ([]byte, error) {
	if strings.ToLower(s) != s {
		return nil, fmt.Errorf("upper-case hex")
	}
	return hex.DecodeString(s)
}

// ParsePublic parses a public file's contents strictly. It checks that a
// trustee's encryption key is a valid X25519 public key and that a node's
// peer id is the one its signing key gives.
func ParsePublic(b []byte) (*Public, error) {
	role, v, err := splitFile(b, publicMagic, publicFields)
	if err != nil {
		return nil, err
	}
	fields := publicFields(role)
	if err := CheckName(v[fieldName]); err != nil {
		return nil, formatError(2, "%v", err)
	}
	sk, err := decode32(decodeHex, fields, fieldSigningKey, v[fieldSigningKey])
	if err != nil {
		return nil, err
	}
	if _, err := new(edwards25519.Point).SetBytes(sk); err != nil {
		return nil, formatError(fieldLine(fields, fieldSigningKey), "signing-key: not an Ed25519 public key: %v", err)
	}
	p := &Public{Role: role, Name: v[fieldName], SigningKey: sk}
	switch role {
	case Trustee:
		ek, err := decode32(decodeHex, fields, fieldEncryptionKey, v[fieldEncryptionKey])
		if err != nil {
			return nil, err
		}
		if _, err := threshold.ParseEncryptionPublicKey(ek); err != nil {
			return nil, formatError(fieldLine(fields, fieldEncryptionKey), "%v", err)
		}
		p.EncryptionKey = ek
	case Node:
		id, err := PeerID(sk)
		if err != nil {
			return nil, formatError(fieldLine(fields, fieldSigningKey), "%v", err)
		}
		if v[fieldPeerID] != id {
			return nil, formatError(fieldLine(fields, fieldPeerID), "peer id %q is not that of the signing key (%s)", v[fieldPeerID], id)
		}
		p.PeerID = id
	}
	return p, nil
}
