package contest

import (
	"bytes"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// The batched decoder (decodeFast) and the element-by-element one must agree
// on every input: the same points for a good contest, and for a bad one the
// fast path must give up so that the error is the one-by-one decoder's.
func TestDecodeFastAgrees(t *testing.T) {
	spec := Spec{Options: 5, Min: 0, Max: 2}
	_, K := testKey(t)
	e, _, err := Encrypt(binding, spec, elgamal.NewPublicKey(K), []uint64{1, 0, 1, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := e.Bytes()
	fast := decodeFast(good, spec)
	if fast == nil {
		t.Fatal("decodeFast refused a good contest")
	}
	slow, err := decodeOneByOne(good, spec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fast.Bytes(), good) || !bytes.Equal(slow.Bytes(), good) {
		t.Fatal("a decoder does not re-encode to the input")
	}
	for i := range fast.Options {
		if !fast.Options[i].Ciphertext.A.Equal(slow.Options[i].Ciphertext.A) || !fast.Options[i].Ciphertext.B.Equal(slow.Options[i].Ciphertext.B) {
			t.Fatalf("option %d: the decoders give different ciphertexts", i)
		}
	}

	identity := group.NewIdentity().Bytes()
	notCanonical := bytes.Repeat([]byte{0xff}, 32) // ≥ p
	overOrder := bytes.Repeat([]byte{0xff}, 32)    // a scalar ≥ ℓ
	refused := 0
	for off := 0; off < len(good); off += 32 {
		for _, bad := range [][]byte{identity, notCanonical, overOrder} {
			b := bytes.Clone(good)
			copy(b[off:], bad)
			_, wantErr := decodeOneByOne(b, spec)
			got, gotErr := Decode(b, spec)
			if (wantErr == nil) != (gotErr == nil) || (wantErr != nil && wantErr.Error() != gotErr.Error()) {
				t.Fatalf("offset %d: Decode error %v, one by one %v", off, gotErr, wantErr)
			}
			if wantErr != nil {
				refused++
				if decodeFast(b, spec) != nil {
					t.Fatalf("offset %d: decodeFast accepted what decodeOneByOne refuses: %v", off, wantErr)
				}
			} else if !bytes.Equal(got.Bytes(), b) {
				t.Fatalf("offset %d: accepted but re-encodes differently", off)
			}
		}
	}
	if refused == 0 {
		t.Fatal("no mutation was refused: the test checks nothing")
	}
}

// Claims after PrepareSums hold exactly when they hold without it: on a good
// contest, and on one whose option ciphertext was swapped for another
// encryption (the range proof no longer fits the sum).
func TestPrepareSums(t *testing.T) {
	spec := Spec{Options: 5, Min: 1, Max: 1}
	_, K := testKey(t)
	pk := elgamal.NewPublicKey(K)
	e, _, err := Encrypt(binding, spec, pk, []uint64{0, 0, 1, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := Encrypt(binding, spec, pk, []uint64{0, 1, 0, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	good := e.Bytes()
	bad := bytes.Clone(good)
	copy(bad[optionSize:], other.Bytes()[optionSize:2*optionSize]) // option 1 now encrypts 1 too
	for name, b := range map[string][]byte{"good": good, "swapped option": bad} {
		plain, err := Decode(b, spec)
		if err != nil {
			t.Fatal(err)
		}
		prepared, _ := Decode(b, spec)
		PrepareSums([]*Encrypted{prepared})
		if prepared.sum == nil || !prepared.sum.A.Equal(elgamal.Sum(ciphertexts(plain)).A) {
			t.Fatalf("%s: PrepareSums left no sum or a wrong one", name)
		}
		errPlain := plain.Verify(binding, spec, K)
		errPrepared := prepared.Verify(binding, spec, K)
		if (errPlain == nil) != (name == "good") || (errPrepared == nil) != (errPlain == nil) {
			t.Fatalf("%s: Verify %v without PrepareSums, %v with", name, errPlain, errPrepared)
		}
	}
}

func ciphertexts(e *Encrypted) []*elgamal.Ciphertext {
	out := make([]*elgamal.Ciphertext, len(e.Options))
	for i, o := range e.Options {
		out[i] = o.Ciphertext
	}
	return out
}
