package threshold

import (
	"bytes"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// Every decoder either rejects its input or returns a value that encodes
// back to exactly that input.

func FuzzDecodeCommitments(f *testing.F) {
	for t := 1; t <= 3; t++ {
		params := Params{N: 3, T: t}
		_, c, err := NewDealing(params, 1, testContext("fuzz"), detRand("fuzz"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(c.Bytes(), uint8(t))
	}
	f.Add([]byte{0, 1}, uint8(1))
	f.Fuzz(func(t *testing.T, b []byte, threshold uint8) {
		params := Params{N: MaxTrustees, T: 1 + int(threshold)%4}
		c, err := DecodeCommitments(params, b)
		if err != nil {
			return
		}
		if !bytes.Equal(c.Bytes(), b) {
			t.Fatalf("round trip changed %x", b)
		}
		// Verification of decoded garbage fails cleanly, never panics.
		_ = VerifyCommitments(params, 1, testContext("fuzz"), c)
	})
}

func FuzzDecodePartialDecryption(f *testing.F) {
	fx := newTallyFixture(f)
	f.Add(fx.partials[1].Bytes())
	f.Add(make([]byte, PartialDecryptionSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		pd, err := DecodePartialDecryption(b)
		if err != nil {
			return
		}
		if !bytes.Equal(pd.Bytes(), b) {
			t.Fatalf("round trip changed %x", b)
		}
		_ = VerifyPartial(fx.ctx, 1, fx.c.result.VerificationKeys[0], fx.ct.A, pd)
	})
}

func FuzzParseEncryptionPublicKey(f *testing.F) {
	k, err := GenerateEncryptionKey(detRand("fuzz key"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(k.Public().Bytes())
	f.Add(make([]byte, EncryptionKeySize))
	f.Fuzz(func(t *testing.T, b []byte) {
		pub, err := ParseEncryptionPublicKey(b)
		if err != nil {
			return
		}
		if !bytes.Equal(pub.Bytes(), b) {
			t.Fatalf("round trip changed %x", b)
		}
	})
}

func FuzzParseEncryptionKey(f *testing.F) {
	f.Add(make([]byte, EncryptionKeySize))
	f.Fuzz(func(t *testing.T, b []byte) {
		k, err := ParseEncryptionKey(b)
		if err != nil {
			return
		}
		if !bytes.Equal(k.Bytes(), b) {
			t.Fatalf("round trip changed %x", b)
		}
		if _, err := ParseEncryptionPublicKey(k.Public().Bytes()); err != nil {
			t.Fatalf("public key of %x does not parse: %v", b, err)
		}
	})
}

func FuzzDecryptShare(f *testing.F) {
	params := Params{N: 3, T: 2}
	ctx := testContext("fuzz share")
	k, err := GenerateEncryptionKey(detRand("fuzz share"))
	if err != nil {
		f.Fatal(err)
	}
	s := group.ScalarFromUint64(42)
	ct, err := EncryptShare(params, ctx, 1, 2, k.Public(), s)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(ct)
	f.Add(make([]byte, ShareCiphertextSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := DecryptShare(params, ctx, 1, 2, k, b)
		if err != nil {
			return
		}
		// Only a genuine encryption of s can open (the seed is made afresh
		// in each fuzzing process, so it cannot be compared byte for byte).
		if !got.Equal(s) {
			t.Fatalf("forged ciphertext %x opened to another share", b)
		}
	})
}
