package field8

import (
	"unsafe"

	"filippo.io/edwards25519/field"
)

// Ext is eight edwards25519 points in extended coordinates, lane by lane.
type Ext struct{ X, Y, Z, T elements }

// Affine is eight points in the halved affine Niels form of crypto/group's
// bucket method: ((y+x)/2, (y−x)/2, d·xy).
type Affine struct{ YPlusX, YMinusX, XYD elements }

// Available reports whether the vector code runs on this CPU; without it
// every vector operation panics.
func Available() bool { return useIFMA }

// limbsOf views a field.Element as its five 51-bit limbs.
//
// Why unsafe: filippo.io/edwards25519/field keeps the limbs private, and
// going through Bytes and SetBytes would cost more than the additions this
// package speeds up. The layout is checked at init.
func limbsOf(v *field.Element) *[5]uint64 { return (*[5]uint64)(unsafe.Pointer(v)) }

func init() {
	// 2^51·3 + 5 has limbs (5, 3, 0, 0, 0) in radix 2^51.
	b := make([]byte, 32)
	b[0] = 5
	b[6] = 3 << 3
	v, err := new(field.Element).SetBytes(b)
	if err != nil || unsafe.Sizeof(field.Element{}) != 40 || *limbsOf(v) != [5]uint64{5, 3, 0, 0, 0} {
		panic("field8: filippo.io/edwards25519/field.Element is no longer five 51-bit limbs")
	}
}

func (e *elements) set(j int, v *field.Element) {
	l := limbsOf(v)
	e.limbs[0][j], e.limbs[1][j], e.limbs[2][j], e.limbs[3][j], e.limbs[4][j] = l[0], l[1], l[2], l[3], l[4]
}

// get sets v to lane j; the limbs are below 2^52, as field expects.
func (e *elements) get(j int, v *field.Element) {
	*limbsOf(v) = [5]uint64{e.limbs[0][j], e.limbs[1][j], e.limbs[2][j], e.limbs[3][j], e.limbs[4][j]}
}

// SetLane sets lane j of e.
func (e *Ext) SetLane(j int, X, Y, Z, T *field.Element) {
	e.X.set(j, X)
	e.Y.set(j, Y)
	e.Z.set(j, Z)
	e.T.set(j, T)
}

// Lane reads lane j of e.
func (e *Ext) Lane(j int, X, Y, Z, T *field.Element) {
	e.X.get(j, X)
	e.Y.get(j, Y)
	e.Z.get(j, Z)
	e.T.get(j, T)
}

// SetLane sets lane j of a.
func (a *Affine) SetLane(j int, yPlusX, yMinusX, xyd *field.Element) {
	a.YPlusX.set(j, yPlusX)
	a.YMinusX.set(j, yMinusX)
	a.XYD.set(j, xyd)
}

// AddAffine adds q[0], q[1], … to acc in turn, lane by lane, with the
// complete formulas (madd-2008-hwcd-3 for a = −1), so the identity or equal
// points need no special case. It panics without the vector unit.
func AddAffine(acc *Ext, q []Affine) {
	if !useIFMA {
		panic("field8: AddAffine without AVX-512 IFMA")
	}
	if len(q) > 0 {
		addAffine(acc, &q[0], len(q))
	}
}

// Double doubles acc n times, lane by lane; n = 0 does nothing. It panics
// without the vector unit.
func Double(acc *Ext, n int) {
	if !useIFMA {
		panic("field8: Double without AVX-512 IFMA")
	}
	if n > 0 {
		double(acc, n)
	}
}
