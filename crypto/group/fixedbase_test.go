package group

import "testing"

func TestFixedBaseMatchesScalarMult(t *testing.T) {
	P := new(Point).ScalarBaseMult(MustRandomScalar())
	fb := NewFixedBase(P)
	minusOne := new(Scalar).Negate(ScalarFromUint64(1))
	scalars := []*Scalar{NewScalar(), ScalarFromUint64(1), ScalarFromUint64(8), ScalarFromUint64(9),
		ScalarFromUint64(15), ScalarFromUint64(16), minusOne, new(Scalar).Subtract(minusOne, ScalarFromUint64(7))}
	for i := 0; i < 200; i++ {
		scalars = append(scalars, MustRandomScalar())
	}
	for _, s := range scalars {
		got := fb.Mult(s)
		want := new(Point).ScalarMult(s, P)
		if !got.Equal(want) {
			t.Fatalf("Mult(%s) = %s, want %s", s, got, want)
		}
		if got.String() != want.String() {
			t.Fatalf("Mult(%s) encodes differently", s)
		}
	}
	id := NewFixedBase(NewIdentity())
	if !id.Mult(MustRandomScalar()).IsIdentity() {
		t.Error("k·identity is not the identity")
	}
}

func BenchmarkFixedBaseMult(b *testing.B) {
	fb := NewFixedBase(new(Point).ScalarBaseMult(MustRandomScalar()))
	s := MustRandomScalar()
	for b.Loop() {
		fb.Mult(s)
	}
}

func BenchmarkScalarMult(b *testing.B) {
	P := new(Point).ScalarBaseMult(MustRandomScalar())
	s := MustRandomScalar()
	for b.Loop() {
		new(Point).ScalarMult(s, P)
	}
}

func BenchmarkScalarBaseMult(b *testing.B) {
	s := MustRandomScalar()
	for b.Loop() {
		new(Point).ScalarBaseMult(s)
	}
}

func BenchmarkNewFixedBase(b *testing.B) {
	P := new(Point).ScalarBaseMult(MustRandomScalar())
	for b.Loop() {
		NewFixedBase(P)
	}
}

func TestEncodedCarriesTheEncoding(t *testing.T) {
	p := new(Point).ScalarBaseMult(MustRandomScalar())
	q := p.Encoded()
	if !q.Equal(p) || q.String() != p.String() {
		t.Fatal("Encoded changed the point")
	}
	if !q.hasEnc {
		t.Fatal("Encoded point carries no encoding")
	}
	q.Add(q, Generator())
	if q.String() == p.String() || q.String() != new(Point).Add(p, Generator()).String() {
		t.Fatal("stale encoding after Add on an Encoded point")
	}
}
