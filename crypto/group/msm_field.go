package group

import (
	"filippo.io/edwards25519/field"
	"github.com/gtank/ristretto255"
)

// extPoint is an edwards25519 point in extended coordinates (X:Y:Z:T), with
// x = X/Z, y = Y/Z and xy = T/Z: the buckets and sums of the bucket method.
//
// Why not edwards25519.Point: its Add converts the addend to cached form on
// every call, and the inputs of a multi-scalar multiplication can be made
// affine once, with one inversion for all of them, so that each bucket
// addition costs 7 multiplications instead of 9.
//
// The formulas are those of Hisil, Wong, Carter and Dawson (2008) for
// a = −1, which are complete on edwards25519: they hold for the identity and
// for P + P alike, so no input needs a special case.
type extPoint struct{ X, Y, Z, T field.Element }

// affineNiels is an affine point (x, y) as the mixed addition reads it,
// ((y+x)/2, (y−x)/2, d·xy): fixedbase.go's niels form, halved. Halving the
// point's three products halves all four of the addition's, which is the
// same projective point, and saves doubling Z in every addition.
type affineNiels struct{ yPlusX, yMinusX, xyd field.Element }

var (
	feTwo  = new(field.Element).Add(new(field.Element).One(), new(field.Element).One())
	feHalf = new(field.Element).Invert(feTwo)
	feD4   = new(field.Element).Add(curveD2, curveD2)
	// feInvD = 2/(2d) and feNegInvD turn d·xy back into xy and −xy.
	feInvD    = new(field.Element).Multiply(feTwo, new(field.Element).Invert(curveD2))
	feNegInvD = new(field.Element).Negate(feInvD)
)

func (p *extPoint) setIdentity() {
	p.X.Zero()
	p.Y.One()
	p.Z.One()
	p.T.Zero()
}

func (p *extPoint) fromElement(e *ristretto255.Element) {
	X, Y, Z, T := edwardsOf(e).ExtendedCoordinates()
	p.X, p.Y, p.Z, p.T = *X, *Y, *Z, *T
}

// element writes p into e, which then is a fresh ristretto255 element.
func (p *extPoint) element(e *ristretto255.Element) {
	if _, err := edwardsOf(e).SetExtendedCoordinates(&p.X, &p.Y, &p.Z, &p.T); err != nil {
		panic("group: multi-scalar multiplication left the curve") // unreachable
	}
}

// setAffine sets p = q, or −q if neg, with one multiplication.
func (p *extPoint) setAffine(q *affineNiels, neg bool) {
	p.Y.Add(&q.yPlusX, &q.yMinusX)
	p.Z.One()
	if neg {
		p.X.Subtract(&q.yMinusX, &q.yPlusX)
		p.T.Multiply(&q.xyd, feNegInvD)
		return
	}
	p.X.Subtract(&q.yPlusX, &q.yMinusX)
	p.T.Multiply(&q.xyd, feInvD)
}

// addAffine sets p = p + q ("madd-2008-hwcd-3", 7 multiplications), with A,
// B, C, D halved by q's form.
func (p *extPoint) addAffine(q *affineNiels) {
	var a, b, c field.Element
	a.Subtract(&p.Y, &p.X)
	a.Multiply(&a, &q.yMinusX)
	b.Add(&p.Y, &p.X)
	b.Multiply(&b, &q.yPlusX)
	c.Multiply(&p.T, &q.xyd)
	p.fromABCD(&a, &b, &c, &p.Z, false)
}

// subAffine sets p = p − q: addAffine with −q = ((y−x)/2, (y+x)/2, −d·xy).
func (p *extPoint) subAffine(q *affineNiels) {
	var a, b, c field.Element
	a.Subtract(&p.Y, &p.X)
	a.Multiply(&a, &q.yPlusX)
	b.Add(&p.Y, &p.X)
	b.Multiply(&b, &q.yMinusX)
	c.Multiply(&p.T, &q.xyd)
	p.fromABCD(&a, &b, &c, &p.Z, true)
}

// add sets p = p + q ("add-2008-hwcd-3" with k = 2d, 9 multiplications).
func (p *extPoint) add(q *extPoint) {
	var a, b, c, d, t field.Element
	a.Subtract(&p.Y, &p.X)
	t.Subtract(&q.Y, &q.X)
	a.Multiply(&a, &t)
	b.Add(&p.Y, &p.X)
	t.Add(&q.Y, &q.X)
	b.Multiply(&b, &t)
	c.Multiply(&p.T, &q.T)
	c.Multiply(&c, curveD2)
	d.Multiply(&p.Z, &q.Z)
	d.Add(&d, &d)
	p.fromABCD(&a, &b, &c, &d, false)
}

// fromABCD ends an addition from the products A, B, C, D of
// add-2008-hwcd-3, with C negated if negC.
func (p *extPoint) fromABCD(a, b, c, d *field.Element, negC bool) {
	var e, f, g, h field.Element
	e.Subtract(b, a)
	h.Add(b, a)
	if negC {
		f.Add(d, c)
		g.Subtract(d, c)
	} else {
		f.Subtract(d, c)
		g.Add(d, c)
	}
	p.fromCompleted(&e, &f, &g, &h)
}

// fromCompleted sets p from the completed point (E/G, H/F) as the formulas
// name it: X = EF, Y = GH, T = EH, Z = FG.
func (p *extPoint) fromCompleted(e, f, g, h *field.Element) {
	p.X.Multiply(e, f)
	p.Y.Multiply(g, h)
	p.T.Multiply(e, h)
	p.Z.Multiply(f, g)
}

// double sets p = 2p ("dbl-2008-hwcd" with a = −1, 4 multiplications and 4
// squarings).
func (p *extPoint) double() {
	var xx, yy, s, e, f, g, h field.Element
	xx.Square(&p.X)
	yy.Square(&p.Y)
	f.Square(&p.Z)
	f.Add(&f, &f)
	s.Add(&p.X, &p.Y)
	s.Square(&s)
	// F and H are the negatives of the paper's, as in edwards25519's own
	// doubling: all four coordinates change sign, the point does not.
	h.Add(&yy, &xx)
	g.Subtract(&yy, &xx)
	e.Subtract(&s, &h)
	f.Subtract(&f, &g)
	p.fromCompleted(&e, &f, &g, &h)
}

// affineNielsFromPoints sets dst[i] to the affine form of q[i], normalising
// every Z with one field inversion in all (Montgomery's trick: prefix
// products, one inversion, then a walk back), 7 multiplications per point.
// Points whose Z is exactly one, as decoding leaves them (DecodePoints), are
// already affine and cost 4. It requires len(dst) == len(q).
func affineNielsFromPoints(dst []affineNiels, q []*Point) {
	var todo []int // the points whose Z is not one
	var x, y field.Element
	for i := range q {
		c := coordinatesOf(edwardsOf(&q[i].e))
		if c[2] != *feOne {
			todo = append(todo, i)
			continue
		}
		x.Multiply(&c[0], feHalf)
		y.Multiply(&c[1], feHalf)
		dst[i].set(&x, &y)
	}
	if len(todo) == 0 {
		return
	}
	// dst[i].xyd holds Z_0 ⋯ Z_i (over todo) until the walk back reaches i.
	var acc field.Element
	acc.One()
	for _, i := range todo {
		_, _, Z, _ := edwardsOf(&q[i].e).ExtendedCoordinates()
		acc.Multiply(&acc, Z)
		dst[i].xyd.Set(&acc)
	}
	// inv is 1/(2·Z_0 ⋯ Z_k) at step k, so that x and y come out halved.
	// Z ≠ 0 for every valid point.
	var inv, zInv field.Element
	inv.Invert(&acc)
	inv.Multiply(&inv, feHalf)
	for k := len(todo) - 1; k >= 0; k-- {
		i := todo[k]
		X, Y, Z, _ := edwardsOf(&q[i].e).ExtendedCoordinates()
		if k > 0 {
			zInv.Multiply(&inv, &dst[todo[k-1]].xyd)
			inv.Multiply(&inv, Z)
		} else {
			zInv.Set(&inv)
		}
		x.Multiply(X, &zInv)
		y.Multiply(Y, &zInv)
		dst[i].set(&x, &y)
	}
}

// set sets n from the halved affine coordinates x/2, y/2.
func (n *affineNiels) set(x, y *field.Element) {
	n.yPlusX.Add(y, x)
	n.yMinusX.Subtract(y, x)
	n.xyd.Multiply(x, y) // xy/4
	n.xyd.Multiply(&n.xyd, feD4)
}
