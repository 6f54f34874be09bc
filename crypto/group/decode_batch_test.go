package group_test

import (
	"bytes"
	"crypto/rand"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// decodeOneByOne is the reference DecodePoints must agree with.
func decodeOneByOne(src [][]byte) ([]*group.Point, bool) {
	out := make([]*group.Point, len(src))
	for i, b := range src {
		p, err := group.DecodePointOrIdentity(b)
		if err != nil {
			return nil, false
		}
		out[i] = p
	}
	return out, true
}

// checkDecodePoints checks DecodePoints on both of its paths.
func checkDecodePoints(t *testing.T, what string, src [][]byte) {
	t.Helper()
	for _, vector := range []bool{true, false} {
		restore := group.SetVectorDecode(vector)
		checkDecodePointsOnce(t, what, src)
		restore()
	}
}

func checkDecodePointsOnce(t *testing.T, what string, src [][]byte) {
	t.Helper()
	want, wantOK := decodeOneByOne(src)
	dst := make([]group.Point, len(src))
	if ok := group.DecodePoints(dst, src); ok != wantOK {
		t.Fatalf("%s: DecodePoints = %v, one by one = %v", what, ok, wantOK)
	}
	if !wantOK {
		return
	}
	for i := range src {
		if !dst[i].Equal(want[i]) {
			t.Fatalf("%s: point %d decodes to another point", what, i)
		}
		// A computed copy, not the remembered encoding, must agree too.
		if fresh := new(group.Point).Add(&dst[i], group.NewIdentity()); !bytes.Equal(fresh.Bytes(), src[i]) {
			t.Fatalf("%s: point %d re-encodes as %x, want %x", what, i, fresh.Bytes(), src[i])
		}
	}
}

func randomPointBytes(t *testing.T) []byte {
	s, err := group.RandomScalar(nil)
	if err != nil {
		t.Fatal(err)
	}
	return new(group.Point).ScalarBaseMult(s).Bytes()
}

// Every count from 0 to 3 vector widths, all valid, and with one bad
// encoding of each kind at each position.
func TestDecodePointsAgrees(t *testing.T) {
	bad := readHexVectors(t, "fail_points.txt")
	good := readHexVectors(t, "good_points.txt")
	for n := 0; n <= 25; n++ {
		src := make([][]byte, n)
		for i := range src {
			src[i] = randomPointBytes(t)
		}
		checkDecodePoints(t, "random points", src)
		for i := 0; i < n; i++ {
			saved := src[i]
			src[i] = good[i%len(good)].b // includes the identity
			checkDecodePoints(t, "with a small multiple of G", src)
			src[i] = bad[(n+i)%len(bad)].b
			checkDecodePoints(t, "with "+bad[(n+i)%len(bad)].comment, src)
			src[i] = saved[:31]
			checkDecodePoints(t, "with a short encoding", src)
			src[i] = saved
		}
	}
}

// Random bytes are mostly not points; the ones that are must decode alike.
func TestDecodePointsRandomBytes(t *testing.T) {
	accepted := 0
	for range 4000 {
		b := make([]byte, 32)
		rand.Read(b)
		b[0] &^= 1    // non-negative
		b[31] &= 0x7f // below 2^255
		checkDecodePoints(t, "random bytes", [][]byte{b})
		if _, err := group.DecodePointOrIdentity(b); err == nil {
			accepted++
		}
	}
	if accepted == 0 {
		t.Error("no random encoding was a point (about 1 in 8 should be): the test checks only rejections")
	}
}

func BenchmarkDecodePoints(b *testing.B) {
	src := make([][]byte, 36) // one 5-option ballot's points
	for i := range src {
		s, _ := group.RandomScalar(nil)
		src[i] = new(group.Point).ScalarBaseMult(s).Bytes()
	}
	dst := make([]group.Point, len(src))
	b.Run("batch", func(b *testing.B) {
		for b.Loop() {
			if !group.DecodePoints(dst, src) {
				b.Fatal("refused")
			}
		}
	})
	b.Run("one-by-one", func(b *testing.B) {
		for b.Loop() {
			if _, ok := decodeOneByOne(src); !ok {
				b.Fatal("refused")
			}
		}
	})
}

// The byte-level range check at its edges: s from p − 20 to 2^255 − 1.
func TestDecodePointsNearP(t *testing.T) {
	for k := -20; k < 19; k++ {
		b := bytes.Repeat([]byte{0xff}, 32)
		b[31] = 0x7f
		b[0] = byte(0xed + k) // p + k, with p = 2^255 − 19 ending in 0xed
		checkDecodePoints(t, "near p", [][]byte{b})
	}
}
