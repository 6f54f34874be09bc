package field8

import (
	"crypto/rand"
	"testing"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
)

func randomPoint(t testing.TB) *edwards25519.Point {
	var b [64]byte
	rand.Read(b[:])
	s, err := edwards25519.NewScalar().SetUniformBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return new(edwards25519.Point).ScalarBaseMult(s)
}

var curveD = func() *field.Element {
	// d = −121665/121666
	num := new(field.Element).Mult32(new(field.Element).One(), 121665)
	num.Negate(num)
	den := new(field.Element).Mult32(new(field.Element).One(), 121666)
	return new(field.Element).Multiply(num, new(field.Element).Invert(den))
}()

// halvedNiels returns ((y+x)/2, (y−x)/2, d·xy) of p.
func halvedNiels(p *edwards25519.Point) (yPlusX, yMinusX, xyd *field.Element) {
	X, Y, Z, _ := p.ExtendedCoordinates()
	zInv := new(field.Element).Invert(Z)
	x := new(field.Element).Multiply(X, zInv)
	y := new(field.Element).Multiply(Y, zInv)
	half := new(field.Element).Invert(new(field.Element).Add(new(field.Element).One(), new(field.Element).One()))
	yPlusX = new(field.Element).Add(y, x)
	yPlusX.Multiply(yPlusX, half)
	yMinusX = new(field.Element).Subtract(y, x)
	yMinusX.Multiply(yMinusX, half)
	xyd = new(field.Element).Multiply(x, y)
	xyd.Multiply(xyd, curveD)
	return
}

// AddAffine against edwards25519's own addition, including adding a point
// to itself, its negation (reaching the identity) and the identity.
func TestAddAffine(t *testing.T) {
	requireIFMA(t)
	const steps = 5
	var acc Ext
	var q [steps]Affine
	want := make([]*edwards25519.Point, Lanes)
	for j := range Lanes {
		start := randomPoint(t)
		X, Y, Z, T := start.ExtendedCoordinates()
		acc.SetLane(j, X, Y, Z, T)
		want[j] = new(edwards25519.Point).Set(start)
		for s := range steps {
			var p *edwards25519.Point
			switch {
			case j == 1 && s == 0:
				p = new(edwards25519.Point).Set(start) // doubling
			case j == 2 && s == 2:
				p = new(edwards25519.Point).Negate(want[j]) // to the identity
			case j == 3:
				p = edwards25519.NewIdentityPoint()
			default:
				p = randomPoint(t)
			}
			a, b, c := halvedNiels(p)
			q[s].SetLane(j, a, b, c)
			want[j].Add(want[j], p)
		}
	}
	AddAffine(&acc, q[:])
	for j := range Lanes {
		var X, Y, Z, T field.Element
		acc.Lane(j, &X, &Y, &Z, &T)
		got, err := new(edwards25519.Point).SetExtendedCoordinates(&X, &Y, &Z, &T)
		if err != nil {
			t.Fatalf("lane %d: off the curve: %v", j, err)
		}
		if got.Equal(want[j]) != 1 {
			t.Fatalf("lane %d: wrong sum", j)
		}
		for _, l := range [][5]uint64{*limbsOf(&X), *limbsOf(&Y), *limbsOf(&Z), *limbsOf(&T)} {
			for i, v := range l {
				if v >= 1<<52 {
					t.Fatalf("lane %d limb %d = %#x, not below 2^52", j, i, v)
				}
			}
		}
	}
}

func BenchmarkAddAffine(b *testing.B) {
	if !hasIFMA {
		b.Skip("no AVX-512 IFMA")
	}
	var acc Ext
	q := make([]Affine, 64)
	for j := range Lanes {
		X, Y, Z, T := randomPoint(b).ExtendedCoordinates()
		acc.SetLane(j, X, Y, Z, T)
		for s := range q {
			a, c, d := halvedNiels(randomPoint(b))
			q[s].SetLane(j, a, c, d)
		}
	}
	for b.Loop() {
		AddAffine(&acc, q)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(q)*Lanes), "ns/addition")
}

// Double against edwards25519's own doubling, from random points and the
// identity.
func TestDouble(t *testing.T) {
	requireIFMA(t)
	var acc Ext
	want := make([]*edwards25519.Point, Lanes)
	for j := range Lanes {
		p := randomPoint(t)
		if j == 5 {
			p = edwards25519.NewIdentityPoint()
		}
		X, Y, Z, T := p.ExtendedCoordinates()
		acc.SetLane(j, X, Y, Z, T)
		want[j] = p
	}
	for _, n := range []int{1, 4, 7} {
		Double(&acc, n)
		for j := range Lanes {
			for range n {
				want[j] = new(edwards25519.Point).Add(want[j], want[j])
			}
			var X, Y, Z, T field.Element
			acc.Lane(j, &X, &Y, &Z, &T)
			got, err := new(edwards25519.Point).SetExtendedCoordinates(&X, &Y, &Z, &T)
			if err != nil || got.Equal(want[j]) != 1 {
				t.Fatalf("n=%d lane %d: wrong double (%v)", n, j, err)
			}
		}
	}
}

func BenchmarkDouble(b *testing.B) {
	if !hasIFMA {
		b.Skip("no AVX-512 IFMA")
	}
	var acc Ext
	for j := range Lanes {
		X, Y, Z, T := randomPoint(b).ExtendedCoordinates()
		acc.SetLane(j, X, Y, Z, T)
	}
	for b.Loop() {
		Double(&acc, 64)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*64*Lanes), "ns/doubling")
}
