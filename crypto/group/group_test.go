package group_test

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/evote/evote/crypto/group"
)

func mul(s *group.Scalar) *group.Point { return new(group.Point).ScalarBaseMult(s) }

func TestScalarArithmetic(t *testing.T) {
	one := group.ScalarFromUint64(1)
	for range 16 {
		a, b := group.MustRandomScalar(), group.MustRandomScalar()
		sum := new(group.Scalar).Add(a, b)
		if diff := new(group.Scalar).Subtract(sum, b); !diff.Equal(a) {
			t.Fatalf("(a+b)-b != a for a=%v b=%v", a, b)
		}
		if z := new(group.Scalar).Add(a, new(group.Scalar).Negate(a)); !z.IsZero() {
			t.Fatalf("a + (-a) = %v", z)
		}
		inv := new(group.Scalar).Invert(a)
		if p := new(group.Scalar).Multiply(a, inv); !p.Equal(one) {
			t.Fatalf("a·a⁻¹ = %v", p)
		}
		// Distributivity ties Multiply to Add.
		c := group.MustRandomScalar()
		lhs := new(group.Scalar).Multiply(c, sum)
		rhs := new(group.Scalar).Add(new(group.Scalar).Multiply(c, a), new(group.Scalar).Multiply(c, b))
		if !lhs.Equal(rhs) {
			t.Fatal("c(a+b) != ca+cb")
		}
		if a.Equal(b) {
			t.Fatal("two random scalars are equal")
		}
	}
	if inv := new(group.Scalar).Invert(group.NewScalar()); !inv.IsZero() {
		t.Errorf("Invert(0) = %v, want 0 as documented", inv)
	}
	// Aliased receivers are the common case in loops.
	x := group.ScalarFromUint64(6)
	x.Multiply(x, x).Add(x, x).Subtract(x, one)
	if !x.Equal(group.ScalarFromUint64(71)) {
		t.Errorf("aliased (6·6)·2−1 = %v, want 71", x)
	}
}

func TestPointArithmetic(t *testing.T) {
	G := group.Generator()
	id := group.NewIdentity()
	if !id.IsIdentity() || G.IsIdentity() {
		t.Fatal("IsIdentity wrong for identity or generator")
	}
	if !new(group.Point).Add(G, id).Equal(G) {
		t.Error("G + 0 != G")
	}
	if !new(group.Point).Subtract(G, G).IsIdentity() {
		t.Error("G - G != 0")
	}
	if !new(group.Point).Add(G, new(group.Point).Negate(G)).IsIdentity() {
		t.Error("G + (-G) != 0")
	}
	if !mul(group.NewScalar()).IsIdentity() {
		t.Error("0·G != 0")
	}
	for range 8 {
		a, b := group.MustRandomScalar(), group.MustRandomScalar()
		A := mul(a)
		ab := new(group.Scalar).Multiply(a, b)
		if !new(group.Point).ScalarMult(b, A).Equal(mul(ab)) {
			t.Fatal("b·(a·G) != (ab)·G")
		}
		if !new(group.Point).Add(A, mul(b)).Equal(mul(new(group.Scalar).Add(a, b))) {
			t.Fatal("aG + bG != (a+b)G")
		}
		if !new(group.Point).VarTimeDoubleScalarBaseMult(b, A, a).Equal(new(group.Point).Add(mul(ab), A)) {
			t.Fatal("VarTimeDoubleScalarBaseMult(b, aG, a) != (ab)G + aG")
		}
		c := group.MustRandomScalar()
		C := mul(c)
		msm := new(group.Point).MultiScalarMult([]*group.Scalar{a, b}, []*group.Point{A, C})
		want := new(group.Point).Add(new(group.Point).ScalarMult(a, A), new(group.Point).ScalarMult(b, C))
		if !msm.Equal(want) {
			t.Fatal("MultiScalarMult != sum of ScalarMult")
		}
		if A.Equal(C) {
			t.Fatal("two random points are equal")
		}
	}
	if !new(group.Point).MultiScalarMult(nil, nil).IsIdentity() {
		t.Error("empty MultiScalarMult is not the identity")
	}
}

func TestMultiScalarMultLengthMismatchPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil || !strings.Contains(r.(string), "different lengths") {
			t.Errorf("recover() = %v, want a length panic", r)
		}
	}()
	new(group.Point).MultiScalarMult([]*group.Scalar{group.NewScalar()}, nil)
}

// TestBytesNotStale checks that every mutating method forgets the encoding a
// decoded point remembers; a stale encoding would put the wrong bytes into
// transcripts and records.
func TestBytesNotStale(t *testing.T) {
	two, three := group.ScalarFromUint64(2), group.ScalarFromUint64(3)
	G := group.Generator()
	cases := []struct {
		name string
		op   func(p *group.Point)
		want *group.Point // a freshly computed value with no remembered encoding
	}{
		{"Add", func(p *group.Point) { p.Add(p, G) }, mul(group.ScalarFromUint64(8))},
		{"Subtract", func(p *group.Point) { p.Subtract(p, G) }, mul(group.ScalarFromUint64(6))},
		{"Negate", func(p *group.Point) { p.Negate(p) }, mul(group.ScalarFromInt64(-7))},
		{"ScalarBaseMult", func(p *group.Point) { p.ScalarBaseMult(two) }, mul(two)},
		{"ScalarMult", func(p *group.Point) { p.ScalarMult(two, p) }, mul(group.ScalarFromUint64(14))},
		{"MultiScalarMult", func(p *group.Point) {
			p.MultiScalarMult([]*group.Scalar{two, three}, []*group.Point{p, G})
		}, mul(group.ScalarFromUint64(17))},
		{"VarTimeDoubleScalarBaseMult", func(p *group.Point) {
			p.VarTimeDoubleScalarBaseMult(two, p, three)
		}, mul(group.ScalarFromUint64(17))},
		{"Set", func(p *group.Point) { p.Set(mul(three)) }, mul(three)},
	}
	seven := mul(group.ScalarFromUint64(7)).Bytes()
	for _, c := range cases {
		p, err := group.DecodePoint(seven)
		if err != nil {
			t.Fatal(err)
		}
		_ = p.Bytes() // the remembered encoding is in use
		c.op(p)
		fresh := c.want.Bytes()
		if !bytes.Equal(p.Bytes(), fresh) {
			t.Errorf("%s: Bytes() = %x, want %x", c.name, p.Bytes(), fresh)
		}
		if got := p.AppendBytes([]byte{0xaa}); !bytes.Equal(got, append([]byte{0xaa}, fresh...)) {
			t.Errorf("%s: AppendBytes = %x", c.name, got)
		}
		if p.String() != c.want.String() {
			t.Errorf("%s: String() = %s, want %s", c.name, p, c.want)
		}
	}
}

// TestSetKeepsOwnEncoding checks the other direction: a point Set from a
// decoded point carries that point's encoding, not a stale one of its own.
func TestSetKeepsOwnEncoding(t *testing.T) {
	p, err := group.DecodePoint(mul(group.ScalarFromUint64(5)).Bytes())
	if err != nil {
		t.Fatal(err)
	}
	q, err := group.DecodePoint(group.Generator().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	p.Set(q)
	q.Add(q, q)
	if !bytes.Equal(p.Bytes(), group.Generator().Bytes()) {
		t.Errorf("after Set(G) and changing G's copy, Bytes() = %x", p.Bytes())
	}
}

func TestScalarFromInt64(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 2, -2, 1 << 40, -(1 << 40), math.MaxInt64, math.MinInt64 + 1, math.MinInt64} {
		s := group.ScalarFromInt64(v)
		// v + |v|·(−sign) must be 0; with uint64 for |v| so MinInt64 works.
		var back *group.Scalar
		if v >= 0 {
			back = new(group.Scalar).Subtract(s, group.ScalarFromUint64(uint64(v)))
		} else {
			back = new(group.Scalar).Add(s, group.ScalarFromUint64(uint64(-(v+1))+1))
		}
		if !back.IsZero() {
			t.Errorf("ScalarFromInt64(%d) = %v", v, s)
		}
	}
	if !group.ScalarFromInt64(-1).Equal(new(group.Scalar).Negate(group.ScalarFromUint64(1))) {
		t.Error("ScalarFromInt64(-1) != -1")
	}
	// ℓ − 1, from RFC 9496's group order.
	if got := group.ScalarFromInt64(-1).String(); got != "ecd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010" {
		t.Errorf("ScalarFromInt64(-1) = %s, want ℓ−1", got)
	}
}

func TestUint64(t *testing.T) {
	for _, v := range []uint64{0, 1, 255, 256, 1 << 32, math.MaxUint64} {
		got, ok := group.ScalarFromUint64(v).Uint64()
		if !ok || got != v {
			t.Errorf("ScalarFromUint64(%d).Uint64() = %d, %v", v, got, ok)
		}
	}
	big := []*group.Scalar{
		new(group.Scalar).Add(group.ScalarFromUint64(math.MaxUint64), group.ScalarFromUint64(1)), // 2^64
		group.ScalarFromInt64(-1), // ℓ − 1
		new(group.Scalar).Multiply(group.ScalarFromUint64(1<<32), group.ScalarFromUint64(1<<32)),
	}
	for _, s := range big {
		if got, ok := s.Uint64(); ok {
			t.Errorf("%v.Uint64() = %d, true; want false", s, got)
		}
	}
}

func TestRandomScalar(t *testing.T) {
	a, err := group.RandomScalar(nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := group.RandomScalar(nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Equal(b) || a.IsZero() {
		t.Errorf("RandomScalar gave %v and %v", a, b)
	}
	// A fixed reader gives a fixed scalar: the 64 bytes are reduced, not
	// rejected or rehashed.
	seed := bytes.Repeat([]byte{1}, 64)
	c, err := group.RandomScalar(bytes.NewReader(seed))
	if err != nil || !c.Equal(group.ScalarFromUniformBytes(seed)) {
		t.Errorf("RandomScalar(fixed) = %v, %v", c, err)
	}
	boom := errors.New("boom")
	if _, err := group.RandomScalar(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("RandomScalar(failing reader) err = %v", err)
	}
	if _, err := group.RandomScalar(bytes.NewReader(seed[:63])); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("RandomScalar(63 bytes) err = %v", err)
	}
}

func TestScalarFromUniformBytesLengthPanics(t *testing.T) {
	defer func() {
		if r := recover(); r == nil {
			t.Error("ScalarFromUniformBytes(32 bytes) did not panic")
		}
	}()
	group.ScalarFromUniformBytes(make([]byte, 32))
}

// BenchmarkScalarBaseMult and BenchmarkScalarMult live in fixedbase_test.go.

func BenchmarkVarTimeDoubleScalarBaseMult(b *testing.B) {
	s, u := group.MustRandomScalar(), group.MustRandomScalar()
	q := mul(group.MustRandomScalar())
	p := new(group.Point)
	for b.Loop() {
		p.VarTimeDoubleScalarBaseMult(s, q, u)
	}
}

func BenchmarkPointBytes(b *testing.B) {
	p := mul(group.MustRandomScalar())
	for b.Loop() {
		_ = p.Bytes()
	}
}

func BenchmarkScalarInvert(b *testing.B) {
	s := group.MustRandomScalar()
	for b.Loop() {
		s.Invert(s)
	}
}
