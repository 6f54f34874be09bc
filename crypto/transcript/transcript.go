// Package transcript builds the Fiat–Shamir challenges of every evote proof.
//
// A challenge is SHA-512 over, in order: the fixed prefix "evote/transcript",
// the proof type's domain tag, the protocol version, the election context hash,
// and every labelled field the proof appends (its statement, then its
// commitments). Every variable-length item is preceded by its length as an
// 8-byte big-endian integer, so no two different sequences of fields produce
// the same hash input. The 64-byte digest is reduced modulo ℓ.
//
// docs/SPEC.md gives the exact byte layout and test vectors.
package transcript

import (
	"crypto/sha512"
	"encoding/binary"
	"hash"

	"github.com/evote/evote/crypto/group"
)

// ProtocolVersion is the version of the evote protocol bound into every
// challenge; a proof made under one version never verifies under another.
const ProtocolVersion uint32 = 1

const prefix = "evote/transcript"

// Transcript accumulates the hash input of one challenge. Use New for each proof;
// a Transcript must not be shared between goroutines.
type Transcript struct {
	h hash.Hash
}

// New starts a transcript for the proof type named by domain, bound to the
// protocol version and to the election context hash.
func New(domain string, context []byte) *Transcript {
	t := &Transcript{h: sha512.New()}
	t.write([]byte(prefix))
	t.write([]byte(domain))
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], ProtocolVersion)
	t.h.Write(v[:])
	t.write(context)
	return t
}

func (t *Transcript) write(b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	t.h.Write(n[:])
	t.h.Write(b)
}

// AppendBytes appends a labelled byte string.
func (t *Transcript) AppendBytes(label string, b []byte) {
	t.write([]byte(label))
	t.write(b)
}

// AppendUint64 appends a labelled integer as 8 big-endian bytes.
func (t *Transcript) AppendUint64(label string, v uint64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	t.AppendBytes(label, b[:])
}

// AppendPoint appends a labelled group element's canonical encoding.
func (t *Transcript) AppendPoint(label string, p *group.Point) {
	var b [group.PointSize]byte
	t.AppendBytes(label, p.AppendBytes(b[:0]))
}

// AppendScalar appends a labelled scalar's canonical encoding.
func (t *Transcript) AppendScalar(label string, s *group.Scalar) {
	t.AppendBytes(label, s.Bytes())
}

// Challenge returns the challenge scalar for everything appended so far. The
// transcript can still be appended to afterwards.
func (t *Transcript) Challenge() *group.Scalar {
	return group.ScalarFromUniformBytes(t.h.Sum(nil))
}

// Digest returns the raw 64-byte SHA-512 digest of everything appended so far,
// for test vectors and for callers that need bytes rather than a scalar.
func (t *Transcript) Digest() []byte {
	return t.h.Sum(nil)
}
