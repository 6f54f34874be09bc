package group

import "github.com/gtank/ristretto255"

// VarTimeMultiScalarMult returns Σ s[i]·q[i], in variable time: for public
// values only (verification). It panics if the slices differ in length, a
// programming error.
func VarTimeMultiScalarMult(s []*Scalar, q []*Point) *Point {
	if len(s) != len(q) {
		panic("group: VarTimeMultiScalarMult with slices of different lengths")
	}
	ss := make([]*ristretto255.Scalar, len(s))
	qq := make([]*ristretto255.Element, len(q))
	for i := range s {
		ss[i], qq[i] = &s[i].s, &q[i].e
	}
	p := new(Point)
	p.e.VarTimeMultiScalarMult(ss, qq)
	return p
}
