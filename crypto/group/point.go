package group

import (
	"encoding/hex"

	"github.com/gtank/ristretto255"
)

// PointSize is the length of an encoded point.
const PointSize = 32

// Point is an element of the ristretto255 group. The zero value is not valid:
// use NewIdentity, Generator, or a constructor that sets it.
//
// A point decoded from bytes remembers its encoding, so transcripts that hash
// decoded points do not pay for re-encoding. Every method that changes the point
// forgets it.
type Point struct {
	e      ristretto255.Element
	enc    [PointSize]byte
	hasEnc bool
}

var generatorEncoding = ristretto255.NewGeneratorElement().Bytes()

// NewIdentity returns the identity element.
func NewIdentity() *Point {
	p := new(Point)
	p.e.Zero()
	return p
}

// Generator returns the standard ristretto255 generator G.
func Generator() *Point {
	p := new(Point)
	p.e.Base()
	copy(p.enc[:], generatorEncoding)
	p.hasEnc = true
	return p
}

func (p *Point) changed() *Point { p.hasEnc = false; return p }

// Set sets p = q and returns p.
func (p *Point) Set(q *Point) *Point { *p = *q; return p }

// Add sets p = q + r and returns p.
func (p *Point) Add(q, r *Point) *Point { p.e.Add(&q.e, &r.e); return p.changed() }

// Subtract sets p = q - r and returns p.
func (p *Point) Subtract(q, r *Point) *Point { p.e.Subtract(&q.e, &r.e); return p.changed() }

// Negate sets p = -q and returns p.
func (p *Point) Negate(q *Point) *Point { p.e.Negate(&q.e); return p.changed() }

// ScalarBaseMult sets p = s·G and returns p, in constant time.
func (p *Point) ScalarBaseMult(s *Scalar) *Point { p.e.ScalarBaseMult(&s.s); return p.changed() }

// ScalarMult sets p = s·q and returns p, in constant time.
func (p *Point) ScalarMult(s *Scalar, q *Point) *Point {
	p.e.ScalarMult(&s.s, &q.e)
	return p.changed()
}

// MultiScalarMult sets p = Σ s[i]·q[i] and returns p, in constant time. It
// panics if the slices differ in length, a programming error.
func (p *Point) MultiScalarMult(s []*Scalar, q []*Point) *Point {
	if len(s) != len(q) {
		panic("group: MultiScalarMult with slices of different lengths")
	}
	ss := make([]*ristretto255.Scalar, len(s))
	qq := make([]*ristretto255.Element, len(q))
	for i := range s {
		ss[i], qq[i] = &s[i].s, &q[i].e
	}
	p.e.MultiScalarMult(ss, qq)
	return p.changed()
}

// VarTimeDoubleScalarBaseMult sets p = a·A + b·G and returns p, in variable
// time: for public values only.
func (p *Point) VarTimeDoubleScalarBaseMult(a *Scalar, A *Point, b *Scalar) *Point {
	p.e.VarTimeDoubleScalarBaseMult(&a.s, &A.e, &b.s)
	return p.changed()
}

// Equal reports whether p == q, in constant time.
func (p *Point) Equal(q *Point) bool { return p.e.Equal(&q.e) == 1 }

// IsIdentity reports whether p is the identity, in constant time.
func (p *Point) IsIdentity() bool { return p.e.Equal(ristretto255.NewIdentityElement()) == 1 }

// Encoded returns a copy of p that carries its encoding, so that hashing it
// many times (an election key in every ballot's transcripts) costs one
// encoding instead of one per use.
func (p *Point) Encoded() *Point {
	q := *p
	if !q.hasEnc {
		q.e.Encode(q.enc[:0])
		q.hasEnc = true
	}
	return &q
}

// Bytes returns the 32-byte canonical encoding of p.
func (p *Point) Bytes() []byte {
	if p.hasEnc {
		b := p.enc
		return b[:]
	}
	return p.e.Bytes()
}

// AppendBytes appends the 32-byte canonical encoding of p to b.
func (p *Point) AppendBytes(b []byte) []byte {
	if p.hasEnc {
		return append(b, p.enc[:]...)
	}
	return p.e.Encode(b)
}

// String returns the hex encoding of p.
func (p *Point) String() string { return hex.EncodeToString(p.Bytes()) }
