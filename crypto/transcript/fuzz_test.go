package transcript_test

import (
	"bytes"
	"crypto/sha512"
	"testing"

	"github.com/evote/evote/crypto/transcript"
)

// FuzzLayout checks the package against the documented layout for arbitrary
// domains, contexts and two fields, and that moving the boundary between the
// two fields changes the digest.
func FuzzLayout(f *testing.F) {
	f.Add("d", []byte("ctx"), "ab", []byte("c"), "", []byte{})
	f.Add("", []byte{}, "", []byte{}, "", []byte{})
	f.Fuzz(func(t *testing.T, domain string, ctx []byte, l1 string, v1 []byte, l2 string, v2 []byte) {
		fields := []field{{l1, v1}, {l2, v2}}
		want := sha512.Sum512(referenceInput(transcript.ProtocolVersion, domain, ctx, fields...))
		tr := build(domain, ctx, fields...)
		if !bytes.Equal(tr.Digest(), want[:]) {
			t.Fatal("digest differs from the documented layout")
		}
		if !bytes.Equal(tr.Challenge().Bytes(), referenceChallenge(want[:])) {
			t.Fatal("challenge differs from the digest mod ℓ")
		}
		if len(v1) > 0 {
			// Move the last byte of v1 to the front of v2.
			shifted := build(domain, ctx, field{l1, v1[:len(v1)-1]}, field{l2, append([]byte{v1[len(v1)-1]}, v2...)})
			if bytes.Equal(shifted.Digest(), want[:]) {
				t.Fatal("shifting a byte across the field boundary kept the digest")
			}
		}
	})
}
