package proof

import (
	"bytes"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

func seedProofs(f *testing.F) {
	x := group.ScalarFromUint64(7)
	X := new(group.Point).ScalarBaseMult(x)
	s, _ := ProveSchnorr(testCtx, x, X, nil)
	f.Add(s.Bytes())
	e, _ := ProveEqualDL(testCtx, x, group.Generator(), X, X, new(group.Point).ScalarMult(x, X), nil)
	f.Add(e.Bytes())
	ct, r, _ := elgamal.EncryptRandom(X, group.ScalarFromUint64(1), nil)
	d, _ := ProveZeroOrOne(testCtx, elgamal.NewPublicKey(X), ct, 1, r, nil)
	f.Add(d.Bytes())
	f.Add([]byte{})
}

// FuzzDecodeProofs checks that every proof decoder either rejects its input or
// re-encodes it to exactly the same bytes, and never panics.
func FuzzDecodeProofs(f *testing.F) {
	seedProofs(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, err := DecodeSchnorr(b); err == nil && !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("schnorr re-encodes differently")
		}
		if p, err := DecodeEqualDL(b); err == nil && !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("equal-dl re-encodes differently")
		}
		for k := 1; k <= 4; k++ {
			if p, err := DecodeDisjunctive(b, k); err == nil && !bytes.Equal(p.Bytes(), b) {
				t.Fatalf("disjunctive(%d) re-encodes differently", k)
			}
		}
	})
}
