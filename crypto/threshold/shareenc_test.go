package threshold

import (
	"bytes"
	"crypto/hpke"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

func TestEncryptionKeyRoundTrip(t *testing.T) {
	k, err := GenerateEncryptionKey(detRand("key"))
	if err != nil {
		t.Fatal(err)
	}
	k2, err := ParseEncryptionKey(k.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k2.Public().Bytes(), k.Public().Bytes()) {
		t.Error("private key round trip changed the public key")
	}
	pub, err := ParseEncryptionPublicKey(k.Public().Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(pub.Bytes(), k.Public().Bytes()) {
		t.Error("public key round trip changed it")
	}
	k3, err := GenerateEncryptionKey(detRand("key"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(k3.Bytes(), k.Bytes()) {
		t.Error("GenerateEncryptionKey is not deterministic in its reader")
	}
	if _, err := GenerateEncryptionKey(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Error("GenerateEncryptionKey accepted a short read")
	}
	for _, b := range [][]byte{nil, make([]byte, 31), make([]byte, 33)} {
		if _, err := ParseEncryptionKey(b); !errors.Is(err, ErrKey) {
			t.Errorf("ParseEncryptionKey(%d bytes): err = %v, want ErrKey", len(b), err)
		}
	}
}

// le returns the 32-byte little-endian encoding of a big-endian hex number.
func le(t *testing.T, beHex string) []byte {
	t.Helper()
	b, err := hex.DecodeString(beHex)
	if err != nil || len(b) > 32 {
		t.Fatalf("bad hex %q", beHex)
	}
	out := make([]byte, 32)
	for i := range b {
		out[i] = b[len(b)-1-i]
	}
	return out
}

func TestParseEncryptionPublicKeyRejects(t *testing.T) {
	const p = "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffed" // 2^255 − 19
	good, _ := GenerateEncryptionKey(detRand("pub"))
	topBit := good.Public().Bytes()
	topBit[31] |= 0x80
	for _, tc := range []struct {
		name, why string
		b         []byte
	}{
		{"empty", "length", nil},
		{"31 bytes", "length", make([]byte, 31)},
		{"33 bytes", "length", make([]byte, 33)},
		{"top bit set", "canonical", topBit},
		{"u = p", "canonical", le(t, p)},
		{"u = p + 1", "canonical", le(t, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffee")},
		{"u = 2^255 − 1", "canonical", le(t, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")},
		// The low-order points of Curve25519 with canonical u (RFC 7748 §7).
		{"u = 0", "low-order", le(t, "00")},
		{"u = 1", "low-order", le(t, "01")},
		{"u = p − 1", "low-order", le(t, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffec")},
		{"order 8, first", "low-order", le(t, "00b8495f16056286fdb1329ceb8d09da6ac49ff1fae35616aeb8413b7c7aebe0")},
		{"order 8, second", "low-order", le(t, "57119fd0dd4e22d8868e1c58c45c44045bef839c55b1d0b1248c50a3bc959c5f")},
	} {
		_, err := ParseEncryptionPublicKey(tc.b)
		if !errors.Is(err, ErrKey) || !strings.Contains(err.Error(), tc.why) {
			t.Errorf("%s: err = %v, want ErrKey for %s", tc.name, err, tc.why)
		}
	}
	if _, err := ParseEncryptionPublicKey(le(t, "09")); err != nil {
		t.Errorf("the base point u = 9 was rejected: %v", err)
	}
	if _, err := ParseEncryptionPublicKey(le(t, "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe9")); err != nil {
		// p − 4 is on the curve or its twist but not of low order; X25519 accepts it.
		t.Errorf("u = p − 4 was rejected: %v", err)
	}
}

// TestShareEncryption checks that a share opens only for its own recipient,
// dealer and election.
func TestShareEncryption(t *testing.T) {
	params := Params{N: 4, T: 2}
	ctx := testContext("hpke")
	keys := make([]*EncryptionKey, params.N+1)
	for j := 1; j <= params.N; j++ {
		var err error
		if keys[j], err = GenerateEncryptionKey(detRand("hpke key " + string(rune('0'+j)))); err != nil {
			t.Fatal(err)
		}
	}
	s := group.ScalarFromUint64(123456789)
	ct, err := EncryptShare(params, ctx, 1, 2, keys[2].Public(), s)
	if err != nil {
		t.Fatal(err)
	}
	if len(ct) != ShareCiphertextSize {
		t.Fatalf("ciphertext is %d bytes, want %d", len(ct), ShareCiphertextSize)
	}
	got, err := DecryptShare(params, ctx, 1, 2, keys[2], ct)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(s) {
		t.Fatal("decrypted share differs")
	}
	// Same recipient key, but the ciphertext was made for recipient 2.
	ct3, err := EncryptShare(params, ctx, 1, 3, keys[2].Public(), s)
	if err != nil {
		t.Fatal(err)
	}
	tampered := append([]byte(nil), ct...)
	tampered[40] ^= 1
	withBinding := ctx.With("round", []byte{2})
	for _, tc := range []struct {
		name              string
		ctx               proof.Context
		dealer, recipient int
		key               *EncryptionKey
		ct                []byte
		want              error
	}{
		{"replayed to another recipient", ctx, 1, 3, keys[3], ct, ErrShareDecrypt},
		{"replayed as recipient 3 with 2's key", ctx, 1, 3, keys[2], ct, ErrShareDecrypt},
		{"made for 3, opened as 2", ctx, 1, 2, keys[2], ct3, ErrShareDecrypt},
		{"replayed from another dealer", ctx, 4, 2, keys[2], ct, ErrShareDecrypt},
		{"replayed to another election", testContext("other"), 1, 2, keys[2], ct, ErrShareDecrypt},
		{"replayed under another binding", withBinding, 1, 2, keys[2], ct, ErrShareDecrypt},
		{"tampered", ctx, 1, 2, keys[2], tampered, ErrShareDecrypt},
		{"truncated", ctx, 1, 2, keys[2], ct[:len(ct)-1], ErrShareDecrypt},
		{"extended", ctx, 1, 2, keys[2], append(append([]byte(nil), ct...), 0), ErrShareDecrypt},
		{"empty", ctx, 1, 2, keys[2], nil, ErrShareDecrypt},
		{"to itself", ctx, 2, 2, keys[2], ct, ErrSelf},
		{"recipient out of range", ctx, 1, 5, keys[2], ct, ErrIndex},
		{"dealer out of range", ctx, 0, 2, keys[2], ct, ErrIndex},
		{"nil key", ctx, 1, 2, nil, ct, ErrMissing},
	} {
		if _, err := DecryptShare(params, tc.ctx, tc.dealer, tc.recipient, tc.key, tc.ct); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name              string
		dealer, recipient int
		want              error
	}{
		{"to itself", 3, 3, ErrSelf},
		{"recipient 0", 1, 0, ErrIndex},
		{"dealer n+1", 5, 1, ErrIndex},
	} {
		if _, err := EncryptShare(params, ctx, tc.dealer, tc.recipient, keys[2].Public(), s); !errors.Is(err, tc.want) {
			t.Errorf("EncryptShare %s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestDecryptShareRejectsUnreducedScalar seals bytes that are not a
// canonical scalar, as a malicious dealer could, and checks that they are
// rejected rather than reduced.
func TestDecryptShareRejectsUnreducedScalar(t *testing.T) {
	params := Params{N: 2, T: 1}
	ctx := testContext("unreduced")
	k, err := GenerateEncryptionKey(detRand("unreduced"))
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range [][]byte{allFF(32), make([]byte, 31), make([]byte, 33)} {
		ct, err := hpke.Seal(k.Public().hpke, shareKDF, shareAEAD, shareInfo(ctx, 1, 2), pt)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := DecryptShare(params, ctx, 1, 2, k, ct); !errors.Is(err, ErrShareDecrypt) {
			t.Errorf("plaintext of %d bytes %x…: err = %v, want ErrShareDecrypt", len(pt), pt[:1], err)
		}
	}
}

func TestVerifyShare(t *testing.T) {
	params := Params{N: 5, T: 3}
	f, c, err := NewDealing(params, 2, testContext("verify share"), detRand("verify share"))
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j <= params.N; j++ {
		s, _ := f.Share(j)
		if err := VerifyShare(params, 2, j, s, c); err != nil {
			t.Errorf("share for %d: %v", j, err)
		}
	}
	s3, _ := f.Share(3)
	s4, _ := f.Share(4)
	short := &Commitments{C: c.C[:2], PoK: c.PoK[:2]}
	for _, tc := range []struct {
		name              string
		params            Params
		dealer, recipient int
		s                 *group.Scalar
		c                 *Commitments
		want              error
	}{
		{"off by one", params, 2, 3, new(group.Scalar).Add(s3, group.ScalarFromUint64(1)), c, ErrShareMismatch},
		{"another recipient's share", params, 2, 3, s4, c, ErrShareMismatch},
		{"zero", params, 2, 3, group.NewScalar(), c, ErrShareMismatch},
		{"nil share", params, 2, 3, nil, c, ErrMissing},
		{"nil commitments", params, 2, 3, s3, nil, ErrMissing},
		{"short commitments", params, 2, 3, s3, short, ErrCommitmentCount},
		{"recipient 0", params, 2, 0, s3, c, ErrIndex},
		{"recipient n+1", params, 2, 6, s3, c, ErrIndex},
		{"dealer 0", params, 0, 3, s3, c, ErrIndex},
		{"bad params", Params{N: 5, T: 6}, 2, 3, s3, c, ErrParams},
	} {
		if err := VerifyShare(tc.params, tc.dealer, tc.recipient, tc.s, tc.c); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
