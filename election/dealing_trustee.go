package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// ErrTrusteeEntry is wrapped by the errors of the key ceremony and
// decryption entries (dealing, complaint, reveal, partial) and of the result
// that do not wrap a more specific error.
var ErrTrusteeEntry = errors.New("invalid trustee entry")

// trusteeIndexSize is the encoding of a trustee index: a u16, 1-based.
const trusteeIndexSize = 2

// electionContext is the proof context of every proof of the election: its
// id as the election context hash, no further bindings.
func electionContext(id ID) proof.Context {
	return proof.Context{Election: append([]byte(nil), id[:]...)}
}

// thresholdParams returns the manifest's n and t.
func thresholdParams(m *Manifest) threshold.Params {
	return threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)}
}

// trusteeIndexOf returns the 1-based index of the trustee whose signing key
// is key.
func trusteeIndexOf(m *Manifest, key ed25519.PublicKey) (int, error) {
	for i, t := range m.Trustees.Members {
		if bytes.Equal(t.SigningKey, key) {
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("%w: key %x is none of the manifest's trustees", ErrTrusteeEntry, []byte(key))
}

// trusteeKeyIndex is trusteeIndexOf for a private key.
func trusteeKeyIndex(m *Manifest, key ed25519.PrivateKey) (int, error) {
	if len(key) != ed25519.PrivateKeySize {
		return 0, fmt.Errorf("%w: signing key of %d bytes", ErrTrusteeEntry, len(key))
	}
	return trusteeIndexOf(m, key.Public().(ed25519.PublicKey))
}

// signEntry returns the entry of type typ with payload in election, signed
// by key.
func signEntry(typ EntryType, election ID, payload []byte, key ed25519.PrivateKey) *Entry {
	e := &Entry{Version: ProtocolVersion, Type: typ, Election: election, Payload: payload}
	e.Sign(key)
	return e
}

// readTrusteeIndex reads a u16 trustee index that must lie in 1..n.
func readTrusteeIndex(r *wire.Reader, field string, n int) int {
	i := int(r.U16(field))
	if r.Err() == nil && (i < 1 || i > n) {
		r.Fail(field, fmt.Errorf("%w: trustee %d, want 1..%d", wire.ErrMalformed, i, n))
	}
	return i
}

// decodeError wraps a payload decoding failure of an entry type.
func decodeError(typ EntryType, err error) error {
	return fmt.Errorf("%w: %s payload: %w", ErrEncoding, typ, err)
}
