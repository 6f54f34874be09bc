package field8

import "filippo.io/edwards25519/field"

// Vec is eight field elements, one per lane, for code that runs the same
// formula on eight inputs. Its arithmetic needs the vector unit (see
// Available) and panics without it. Every result has limbs below 2^52, as
// field.Element's, so lanes move freely between the two.
type Vec struct{ e elements }

// Set sets lane j to x.
func (v *Vec) Set(j int, x *field.Element) *Vec { v.e.set(j, x); return v }

// Get sets x to lane j.
func (v *Vec) Get(j int, x *field.Element) { v.e.get(j, x) }

// Broadcast sets every lane to x.
func (v *Vec) Broadcast(x *field.Element) *Vec {
	for j := range Lanes {
		v.e.set(j, x)
	}
	return v
}

func vector() {
	if !useIFMA {
		panic("field8: vector arithmetic without AVX-512 IFMA")
	}
}

// Multiply sets v = a·b.
func (v *Vec) Multiply(a, b *Vec) *Vec { vector(); mul(&v.e, &a.e, &b.e); return v }

// Square sets v = a².
func (v *Vec) Square(a *Vec) *Vec { vector(); sqr(&v.e, &a.e, 1); return v }

// Add sets v = a + b.
func (v *Vec) Add(a, b *Vec) *Vec { vector(); add(&v.e, &a.e, &b.e); return v }

// Subtract sets v = a − b.
func (v *Vec) Subtract(a, b *Vec) *Vec { vector(); sub(&v.e, &a.e, &b.e); return v }

// Pow22523 sets v = a^((p−5)/8).
func (v *Vec) Pow22523(a *Vec) *Vec { vector(); pow22523(&v.e, &a.e); return v }
