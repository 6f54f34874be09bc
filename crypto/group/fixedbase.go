package group

import (
	"crypto/subtle"
	"unsafe"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
	"github.com/gtank/ristretto255"
)

// FixedBase multiplies one point, fixed in advance, by secret scalars about
// three times faster than ScalarMult, in constant time. Voters multiply the
// election key by fresh secrets several times per option, and this is where
// their device spends its time.
//
// It holds 64 windows of the multiples 1…8 of 16^i·P in affine Niels form
// (y+x, y−x, 2d·xy) and adds one ct-selected entry per signed radix-16 digit:
// 64 mixed additions and no doublings.
type FixedBase struct {
	table [64][8]niels
}

type niels struct{ yPlusX, yMinusX, xy2d field.Element }

// Why unsafe: ristretto255 v0.2.0 keeps its Edwards representative private.
// An Element is exactly one edwards25519.Point (checked at init), and any
// representative of P gives a representative of k·P, which is all a ristretto
// element is.
func edwardsOf(e *ristretto255.Element) *edwards25519.Point {
	return (*edwards25519.Point)(unsafe.Pointer(e))
}

func init() {
	if unsafe.Sizeof(ristretto255.Element{}) != unsafe.Sizeof(edwards25519.Point{}) {
		panic("group: ristretto255.Element is no longer a bare edwards25519.Point")
	}
	// coordinatesOf must see exactly what ExtendedCoordinates returns.
	P := new(edwards25519.Point).ScalarBaseMult(mustScalar(2))
	X, Y, Z, T := P.ExtendedCoordinates()
	c := coordinatesOf(P)
	if unsafe.Sizeof(*P) != unsafe.Sizeof(*c) || c[0].Equal(X) != 1 || c[1].Equal(Y) != 1 || c[2].Equal(Z) != 1 || c[3].Equal(T) != 1 {
		panic("group: edwards25519.Point is no longer (X, Y, Z, T)")
	}
}

func mustScalar(v byte) *edwards25519.Scalar {
	var b [32]byte
	b[0] = v
	s, err := edwards25519.NewScalar().SetCanonicalBytes(b[:])
	if err != nil {
		panic(err)
	}
	return s
}

// coordinatesOf views p as its extended coordinates (X, Y, Z, T), so that a
// decoder that has just computed a point's coordinates by the formulas that
// put it on the curve can set them without edwards25519's isOnCurve check
// (a fifth of decoding's remaining cost). Why unsafe: edwards25519.Point
// keeps them private; the layout is checked at init.
func coordinatesOf(p *edwards25519.Point) *[4]field.Element {
	return (*[4]field.Element)(unsafe.Pointer(p))
}

var curveD2 = func() *field.Element {
	// d = −121665/121666; the table needs 2d.
	num := new(field.Element).Mult32(new(field.Element).One(), 121665)
	num.Negate(num)
	den := new(field.Element).Mult32(new(field.Element).One(), 121666)
	d := new(field.Element).Multiply(num, new(field.Element).Invert(den))
	return d.Add(d, d)
}()

// NewFixedBase precomputes the table for P (a few milliseconds; do it once
// per key and share it: a FixedBase is safe for concurrent use).
func NewFixedBase(P *Point) *FixedBase {
	fb := new(FixedBase)
	window := new(edwards25519.Point).Set(edwardsOf(&P.e)) // 16^i·P
	acc := new(edwards25519.Point)
	for i := range fb.table {
		acc.Set(window)
		for j := range fb.table[i] {
			fb.table[i][j].set(acc)
			acc.Add(acc, window)
		}
		for k := 0; k < 4; k++ {
			window.Add(window, window)
		}
	}
	return fb
}

func (n *niels) set(p *edwards25519.Point) {
	X, Y, Z, T := p.ExtendedCoordinates()
	zInv := new(field.Element).Invert(Z)
	x := new(field.Element).Multiply(X, zInv)
	y := new(field.Element).Multiply(Y, zInv)
	t := new(field.Element).Multiply(T, zInv)
	n.yPlusX.Add(y, x)
	n.yMinusX.Subtract(y, x)
	n.xy2d.Multiply(t, curveD2)
}

// Mult returns s·P in constant time.
func (fb *FixedBase) Mult(s *Scalar) *Point {
	digits := signedRadix16(s.s.Bytes())
	var X, Y, Z, T field.Element
	X.Zero()
	Y.One()
	Z.One()
	T.Zero()
	var n niels
	var pp, mm, tt, z2, cx, cy, cz, ct field.Element
	for i := range digits {
		fb.lookup(&n, i, digits[i])
		// Mixed addition in completed coordinates, then back to extended.
		pp.Add(&Y, &X)
		pp.Multiply(&pp, &n.yPlusX)
		mm.Subtract(&Y, &X)
		mm.Multiply(&mm, &n.yMinusX)
		tt.Multiply(&T, &n.xy2d)
		z2.Add(&Z, &Z)
		cx.Subtract(&pp, &mm)
		cy.Add(&pp, &mm)
		cz.Add(&z2, &tt)
		ct.Subtract(&z2, &tt)
		X.Multiply(&cx, &ct)
		Y.Multiply(&cy, &cz)
		Z.Multiply(&cz, &ct)
		T.Multiply(&cx, &cy)
	}
	p := new(Point)
	if _, err := edwardsOf(&p.e).SetExtendedCoordinates(&X, &Y, &Z, &T); err != nil {
		panic("group: fixed-base multiplication left the curve") // unreachable
	}
	return p
}

// lookup sets n to digit·16^i·P for digit in [−8, 8], reading every entry of
// the window so that memory access does not depend on the secret digit.
func (fb *FixedBase) lookup(n *niels, i int, digit int8) {
	neg := int((digit >> 7) & 1)
	abs := int(digit) * (1 - 2*neg)
	n.yPlusX.One()
	n.yMinusX.One()
	n.xy2d.Zero()
	for j := range fb.table[i] {
		e := &fb.table[i][j]
		cond := subtle.ConstantTimeEq(int32(abs), int32(j+1))
		n.yPlusX.Select(&e.yPlusX, &n.yPlusX, cond)
		n.yMinusX.Select(&e.yMinusX, &n.yMinusX, cond)
		n.xy2d.Select(&e.xy2d, &n.xy2d, cond)
	}
	n.yPlusX.Swap(&n.yMinusX, neg)
	var negT field.Element
	negT.Negate(&n.xy2d)
	n.xy2d.Select(&negT, &n.xy2d, neg)
}

// signedRadix16 writes a canonical scalar (< 2^253) as 64 digits in [−8, 8)
// (the last in [−8, 8]) with Σ digit_i·16^i = s.
func signedRadix16(b []byte) [64]int8 {
	var digits [64]int8
	for i := 0; i < 32; i++ {
		digits[2*i] = int8(b[i] & 15)
		digits[2*i+1] = int8(b[i] >> 4)
	}
	for i := 0; i < 63; i++ {
		carry := (digits[i] + 8) >> 4
		digits[i] -= carry << 4
		digits[i+1] += carry
	}
	return digits
}
