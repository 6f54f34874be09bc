package field8

import (
	"testing"

	"filippo.io/edwards25519/field"
)

// Every Vec operation against field.Element's, lane by lane, including
// results fed back in (so outputs are valid inputs) and subtracting a
// larger value.
func TestVec(t *testing.T) {
	requireIFMA(t)
	var a, b Vec
	var xa, xb [Lanes]field.Element
	for j := range Lanes {
		xa[j], xb[j] = *randomElement(t), *randomElement(t)
		if j == 0 {
			xa[j].Zero()
		}
		a.Set(j, &xa[j])
		b.Set(j, &xb[j])
	}
	for round := range 20 {
		var m, s, sum, diff, pw Vec
		m.Multiply(&a, &b)
		s.Square(&a)
		sum.Add(&a, &b)
		diff.Subtract(&a, &b)
		pw.Pow22523(&a)
		for j := range Lanes {
			var got, want field.Element
			check := func(what string, v *Vec, w *field.Element) {
				v.Get(j, &got)
				if got.Equal(w) != 1 {
					t.Fatalf("round %d lane %d: %s wrong", round, j, what)
				}
			}
			check("Multiply", &m, want.Multiply(&xa[j], &xb[j]))
			check("Square", &s, want.Square(&xa[j]))
			check("Add", &sum, want.Add(&xa[j], &xb[j]))
			check("Subtract", &diff, want.Subtract(&xa[j], &xb[j]))
			check("Pow22523", &pw, want.Pow22523(&xa[j]))
		}
		// Feed outputs back as inputs.
		a, b = diff, m
		for j := range Lanes {
			a.Get(j, &xa[j])
			b.Get(j, &xb[j])
		}
	}
	var one field.Element
	one.One()
	var o Vec
	o.Broadcast(&one)
	for j := range Lanes {
		var got field.Element
		o.Get(j, &got)
		if got.Equal(&one) != 1 {
			t.Fatal("Broadcast")
		}
	}
}
