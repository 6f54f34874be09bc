package contest

import (
	"bytes"
	"github.com/evote/evote/crypto/elgamal"
	"testing"
)

// FuzzDecode checks that Decode either rejects its input or re-encodes it to
// the same bytes, and never panics.
func FuzzDecode(f *testing.F) {
	spec := Spec{Options: 2, Min: 0, Max: 1}
	_, K := testKey(f)
	pk := elgamal.NewPublicKey(K)
	e, _, err := Encrypt(binding, spec, pk, []uint64{0, 1}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(e.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := Decode(b, spec); err == nil && !bytes.Equal(d.Bytes(), b) {
			t.Fatal("re-encodes differently")
		}
	})
}
