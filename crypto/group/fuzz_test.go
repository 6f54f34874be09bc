package group_test

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// addSeeds seeds a fuzz target with every vector in testdata and a few
// lengths around 32.
func addSeeds(f *testing.F, files ...string) {
	for _, name := range files {
		for _, v := range readHexVectors(f, name) {
			f.Add(v.b)
		}
	}
	g := group.Generator().Bytes()
	f.Add([]byte{})
	f.Add(g[:31])
	f.Add(append(bytes.Clone(g), 0))
}

func FuzzDecodePoint(f *testing.F) {
	addSeeds(f, "good_points.txt", "fail_points.txt")
	f.Fuzz(func(t *testing.T, b []byte) {
		in := bytes.Clone(b)
		p, err := group.DecodePointOrIdentity(b)
		q, errStrict := group.DecodePoint(b)
		if !bytes.Equal(b, in) {
			t.Fatal("decoding changed its input")
		}
		if err != nil {
			if p != nil || errStrict == nil {
				t.Fatalf("failed decode returned %v; DecodePoint err %v", p, errStrict)
			}
			if len(b) != group.PointSize && !errors.Is(err, group.ErrLength) {
				t.Fatalf("%d bytes: %v, want ErrLength", len(b), err)
			}
			return
		}
		// Necessary conditions of RFC 9496 decoding, checked independently.
		if len(b) != 32 || b[0]&1 != 0 || b[31]&0x80 != 0 {
			t.Fatalf("accepted %x: wrong length, negative or ≥ 2^255", b)
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("%x re-encodes as %x", b, p.Bytes())
		}
		// The encoding is not merely remembered: a computed copy agrees.
		if fresh := new(group.Point).Add(p, group.NewIdentity()); !bytes.Equal(fresh.Bytes(), b) {
			t.Fatalf("%x: computed encoding %x", b, fresh.Bytes())
		}
		if p.IsIdentity() {
			if !errors.Is(errStrict, group.ErrIdentity) {
				t.Fatalf("DecodePoint(identity) err = %v", errStrict)
			}
		} else if errStrict != nil || !q.Equal(p) {
			t.Fatalf("DecodePoint disagrees with DecodePointOrIdentity: %v", errStrict)
		}
	})
}

// order is ℓ, the group order, for an independent range check.
var order, _ = new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)

func FuzzDecodeScalar(f *testing.F) {
	addSeeds(f, "good_scalars.txt", "fail_scalars.txt")
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := group.DecodeScalar(b)
		inRange := false
		if len(b) == 32 {
			be := bytes.Clone(b)
			reverse(be)
			inRange = new(big.Int).SetBytes(be).Cmp(order) < 0
		}
		if inRange != (err == nil) {
			t.Fatalf("%x: in range %v, but err = %v", b, inRange, err)
		}
		if err != nil {
			return
		}
		if !bytes.Equal(s.Bytes(), b) {
			t.Fatalf("%x re-encodes as %x", b, s.Bytes())
		}
	})
}

// FuzzKyberUnmarshal checks that the kyber adapter's decoders accept exactly
// what the group's decoders accept.
func FuzzKyberUnmarshal(f *testing.F) {
	addSeeds(f, "good_points.txt", "fail_points.txt", "good_scalars.txt", "fail_scalars.txt")
	f.Fuzz(func(t *testing.T, b []byte) {
		kp := suite.Point()
		_, perr := group.DecodePointOrIdentity(b)
		if err := kp.UnmarshalBinary(b); (err == nil) != (perr == nil) {
			t.Fatalf("%x: kyber point err %v, DecodePointOrIdentity err %v", b, err, perr)
		} else if err == nil {
			if enc, _ := kp.MarshalBinary(); !bytes.Equal(enc, b) {
				t.Fatalf("%x: kyber point re-encodes as %x", b, enc)
			}
		}
		ks := suite.Scalar()
		_, serr := group.DecodeScalar(b)
		if err := ks.UnmarshalBinary(b); (err == nil) != (serr == nil) {
			t.Fatalf("%x: kyber scalar err %v, DecodeScalar err %v", b, err, serr)
		} else if err == nil {
			if enc, _ := ks.MarshalBinary(); !bytes.Equal(enc, b) {
				t.Fatalf("%x: kyber scalar re-encodes as %x", b, enc)
			}
		}
	})
}

// FuzzDecodePoints: the batch decoder agrees with DecodePointOrIdentity on
// any run of 32-byte chunks.
func FuzzDecodePoints(f *testing.F) {
	var all []byte
	for _, v := range readHexVectors(f, "good_points.txt") {
		all = append(all, v.b...)
	}
	f.Add(all)
	for _, v := range readHexVectors(f, "fail_points.txt") {
		f.Add(append(bytes.Clone(all[:64]), v.b...))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var src [][]byte
		for len(b) >= group.PointSize {
			src = append(src, b[:group.PointSize])
			b = b[group.PointSize:]
		}
		checkDecodePoints(t, "fuzzed", src)
	})
}
