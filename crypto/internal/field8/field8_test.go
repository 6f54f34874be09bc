package field8

import (
	"crypto/rand"
	"math/big"
	"testing"

	"filippo.io/edwards25519/field"
)

var p = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 255), big.NewInt(19))

func randomElement(t testing.TB) *field.Element {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	v, err := new(field.Element).SetBytes(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// value returns lane j as an integer mod p.
func (e *elements) value(j int) *big.Int {
	v := new(big.Int)
	for i := 4; i >= 0; i-- {
		v.Lsh(v, 51)
		v.Add(v, new(big.Int).SetUint64(e.limbs[i][j]))
	}
	return v.Mod(v, p)
}

func requireIFMA(t *testing.T) {
	if !hasIFMA {
		t.Skip("no AVX-512 IFMA on this CPU: callers take the scalar libraries instead")
	}
}

// The vector mul and sqr against big.Int arithmetic, with limbs at the
// largest values the code promises to accept (2^52 − 1) as well as random ones.
func TestMulSqrBounds(t *testing.T) {
	requireIFMA(t)
	for round := range 200 {
		var a, x elements
		for i := range a.limbs {
			for j := range a.limbs[i] {
				var r [16]byte
				rand.Read(r[:])
				a.limbs[i][j] = (uint64(r[0]) | uint64(r[1])<<8 | uint64(r[2])<<16 | uint64(r[3])<<24 | uint64(r[4])<<32 | uint64(r[5])<<40 | uint64(r[6])<<48) & (1<<52 - 1)
				x.limbs[i][j] = (uint64(r[8]) | uint64(r[9])<<8 | uint64(r[10])<<16 | uint64(r[11])<<24 | uint64(r[12])<<32 | uint64(r[13])<<40 | uint64(r[14])<<48) & (1<<52 - 1)
				if round%3 == 0 {
					a.limbs[i][j] = 1<<52 - 1
				}
				if round%5 == 0 {
					x.limbs[i][j] = 1<<52 - 1
				}
			}
		}
		var m, s, s3 elements
		mul(&m, &a, &x)
		sqr(&s, &a, 1)
		sqr(&s3, &a, 3)
		for j := range Lanes {
			av, xv := a.value(j), x.value(j)
			want := new(big.Int).Mul(av, xv)
			want.Mod(want, p)
			if m.value(j).Cmp(want) != 0 {
				t.Fatalf("round %d lane %d: mul wrong", round, j)
			}
			want.Mul(av, av).Mod(want, p)
			if s.value(j).Cmp(want) != 0 {
				t.Fatalf("round %d lane %d: sqr wrong", round, j)
			}
			want.Exp(av, big.NewInt(8), p)
			if s3.value(j).Cmp(want) != 0 {
				t.Fatalf("round %d lane %d: sqr×3 wrong", round, j)
			}
			for i := range 5 {
				if m.limbs[i][j] >= 1<<52 || s.limbs[i][j] >= 1<<52 || s3.limbs[i][j] >= 1<<52 {
					t.Fatalf("round %d lane %d limb %d: output not below 2^52", round, j, i)
				}
			}
		}
	}
}

func BenchmarkPow22523x8(b *testing.B) {
	var src, dst [Lanes]field.Element
	var v Vec
	for j := range src {
		src[j] = *randomElement(b)
		v.Set(j, &src[j])
	}
	b.Run("vector", func(b *testing.B) {
		if !hasIFMA {
			b.Skip("no AVX-512 IFMA")
		}
		for b.Loop() {
			v.Pow22523(&v)
		}
	})
	b.Run("scalar", func(b *testing.B) {
		for b.Loop() {
			for j := range src {
				dst[j].Pow22523(&src[j])
			}
		}
	})
}
