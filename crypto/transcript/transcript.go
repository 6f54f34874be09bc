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

	"github.com/evote/evote/crypto/group"
)

// ProtocolVersion is the version of the evote protocol bound into every
// challenge; a proof made under one version never verifies under another.
const ProtocolVersion uint32 = 1

const prefix = "evote/transcript"

// Transcript accumulates the hash input of one challenge. Use New for each proof;
// a Transcript must not be shared between goroutines.
//
// It keeps the input and hashes it whole when asked for the challenge: a
// proof's transcript is a few hundred bytes, and hashing many small writes
// through hash.Hash cost an allocation and an interface call each, a tenth
// of checking a ballot.
type Transcript struct {
	buf []byte
}

// New starts a transcript for the proof type named by domain, bound to the
// protocol version and to the election context hash.
func New(domain string, context []byte) *Transcript {
	t := &Transcript{buf: make([]byte, 0, 1024)} // a ballot proof's is about 700 bytes
	t.writeString(prefix)
	t.writeString(domain)
	t.buf = binary.BigEndian.AppendUint32(t.buf, ProtocolVersion)
	t.write(context)
	return t
}

func (t *Transcript) write(b []byte) {
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(b)))
	t.buf = append(t.buf, b...)
}

func (t *Transcript) writeString(s string) {
	t.buf = binary.BigEndian.AppendUint64(t.buf, uint64(len(s)))
	t.buf = append(t.buf, s...)
}

// AppendBytes appends a labelled byte string.
func (t *Transcript) AppendBytes(label string, b []byte) {
	t.writeString(label)
	t.write(b)
}

// AppendUint64 appends a labelled integer as 8 big-endian bytes.
func (t *Transcript) AppendUint64(label string, v uint64) {
	t.writeString(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, 8)
	t.buf = binary.BigEndian.AppendUint64(t.buf, v)
}

// AppendPoint appends a labelled group element's canonical encoding.
func (t *Transcript) AppendPoint(label string, p *group.Point) {
	t.writeString(label)
	t.buf = binary.BigEndian.AppendUint64(t.buf, group.PointSize)
	t.buf = p.AppendBytes(t.buf)
}

// AppendScalar appends a labelled scalar's canonical encoding.
func (t *Transcript) AppendScalar(label string, s *group.Scalar) {
	t.AppendBytes(label, s.Bytes())
}

// Challenge returns the challenge scalar for everything appended so far. The
// transcript can still be appended to afterwards.
func (t *Transcript) Challenge() *group.Scalar {
	d := sha512.Sum512(t.buf)
	return group.ScalarFromUniformBytes(d[:])
}

// Digest returns the raw 64-byte SHA-512 digest of everything appended so far,
// for test vectors and for callers that need bytes rather than a scalar.
func (t *Transcript) Digest() []byte {
	d := sha512.Sum512(t.buf)
	return d[:]
}
