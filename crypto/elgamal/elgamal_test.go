package elgamal

import (
	"bytes"
	"errors"
	"testing"

	"github.com/evote/evote/crypto/group"
)

func TestEncryptAddDecrypt(t *testing.T) {
	k, K, err := GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !k.Public().Equal(K) {
		t.Fatal("Public() differs from the generated key")
	}
	var cts []*Ciphertext
	var total uint64
	for m := uint64(0); m < 5; m++ {
		ct, _, err := EncryptRandom(K, group.ScalarFromUint64(m), nil)
		if err != nil {
			t.Fatal(err)
		}
		if !k.Decrypt(ct).Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(m))) {
			t.Errorf("Dec(Enc(%d)) != %d·G", m, m)
		}
		cts = append(cts, ct)
		total += m
	}
	sum := Sum(cts)
	if !k.Decrypt(sum).Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(total))) {
		t.Error("the sum does not decrypt to the total")
	}
	if !k.Decrypt(Add(cts[1], cts[2])).Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(3))) {
		t.Error("Add(Enc(1), Enc(2)) does not decrypt to 3")
	}
	if !k.Decrypt(Sum(nil)).IsIdentity() {
		t.Error("the empty sum is not an encryption of 0")
	}
}

func TestEncryptGivenRandomness(t *testing.T) {
	_, K, _ := GenerateKey(nil)
	r := group.ScalarFromUint64(12345)
	a := Encrypt(K, group.ScalarFromUint64(1), r)
	b := Encrypt(K, group.ScalarFromUint64(1), r)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same randomness, different ciphertexts")
	}
	if !a.A.Equal(new(group.Point).ScalarBaseMult(r)) {
		t.Error("A != r·G")
	}
}

func TestDecodeStrict(t *testing.T) {
	_, K, _ := GenerateKey(nil)
	ct, _, _ := EncryptRandom(K, group.ScalarFromUint64(1), nil)
	good := ct.Bytes()
	if d, err := Decode(good); err != nil || !bytes.Equal(d.Bytes(), good) {
		t.Fatalf("round trip: %v", err)
	}
	idA := append(make([]byte, 32), good[32:]...)
	nonCanon := append(bytes.Repeat([]byte{0xff}, 32), good[32:]...)
	for name, b := range map[string][]byte{
		"short":         good[:63],
		"long":          append(append([]byte{}, good...), 0),
		"identity A":    idA,
		"non-canonical": nonCanon,
	} {
		if _, err := Decode(b); !errors.Is(err, ErrCiphertext) {
			t.Errorf("%s: got %v, want ErrCiphertext", name, err)
		}
	}
	idB := append(append([]byte{}, good[:32]...), make([]byte, 32)...)
	if _, err := Decode(idB); err != nil {
		t.Errorf("identity B (a valid ciphertext) rejected: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	_, K, _ := GenerateKey(nil)
	ct, _, _ := EncryptRandom(K, group.ScalarFromUint64(1), nil)
	f.Add(ct.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		if c, err := Decode(b); err == nil && !bytes.Equal(c.Bytes(), b) {
			t.Fatal("re-encodes differently")
		}
	})
}

func TestPublicKeyMatchesEncrypt(t *testing.T) {
	_, K, _ := GenerateKey(nil)
	pk := NewPublicKey(K)
	for i := 0; i < 20; i++ {
		r := group.MustRandomScalar()
		m := group.ScalarFromUint64(uint64(i % 3))
		if !bytes.Equal(pk.Encrypt(m, r).Bytes(), Encrypt(K, m, r).Bytes()) {
			t.Fatalf("PublicKey.Encrypt differs from Encrypt for m=%d", i%3)
		}
		if !pk.Mult(r).Equal(new(group.Point).ScalarMult(r, K)) {
			t.Fatal("PublicKey.Mult differs from ScalarMult")
		}
	}
}
