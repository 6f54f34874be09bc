package group_test

import (
	"bytes"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// EncodePoints against the one-by-one encoding, on both paths, for computed
// points (sums, differences, the identity, negations) in every count up to
// three vector widths.
func TestEncodePoints(t *testing.T) {
	for _, vector := range []bool{true, false} {
		restore := group.SetVectorDecode(vector)
		for n := 0; n <= 25; n++ {
			ps := make([]*group.Point, n)
			want := make([][]byte, n)
			for i := range ps {
				a, _ := group.DecodePoint(randomPointBytes(t))
				b, _ := group.DecodePoint(randomPointBytes(t))
				switch i % 4 {
				case 0:
					ps[i] = new(group.Point).Add(a, b)
				case 1:
					ps[i] = new(group.Point).Subtract(a, a) // the identity
				case 2:
					ps[i] = new(group.Point).Negate(new(group.Point).Add(a, b))
				default:
					ps[i] = new(group.Point).Add(a, group.NewIdentity())
				}
				// The reference: a fresh copy's own encoding.
				want[i] = new(group.Point).Add(ps[i], group.NewIdentity()).Bytes()
			}
			group.EncodePoints(ps)
			for i, p := range ps {
				if !bytes.Equal(p.Bytes(), want[i]) {
					t.Fatalf("vector=%v n=%d point %d: %x, want %x", vector, n, i, p.Bytes(), want[i])
				}
			}
		}
		restore()
	}
}

func BenchmarkEncodePoints(b *testing.B) {
	ps := make([]*group.Point, 64)
	for i := range ps {
		s, _ := group.RandomScalar(nil)
		ps[i] = new(group.Point).ScalarBaseMult(s)
	}
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			fresh := make([]*group.Point, len(ps))
			for i, p := range ps {
				fresh[i] = new(group.Point).Add(p, group.NewIdentity())
			}
			group.EncodePoints(fresh)
		}
	})
	b.Run("one-by-one", func(b *testing.B) {
		for b.Loop() {
			for _, p := range ps {
				new(group.Point).Add(p, group.NewIdentity()).Bytes()
			}
		}
	})
}
