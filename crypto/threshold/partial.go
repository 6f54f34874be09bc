package threshold

import (
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// PartialDecryptionSize is the length of an encoded partial decryption:
// D ‖ R1 ‖ R2 ‖ z.
const PartialDecryptionSize = group.PointSize + proof.EqualDLSize

// PartialDecryption is trustee j's share of the decryption of a ciphertext
// (A, B): D = s_j·A, with a Chaum–Pedersen proof that log_G V_j = log_A D,
// bound to the election context and j.
type PartialDecryption struct {
	D     *group.Point
	Proof *proof.EqualDL
}

// PartialDecrypt computes trustee's partial decryption of a ciphertext whose
// first component is A, with proof nonces from rand (crypto/rand when nil).
// ctx is the election context; PartialDecrypt adds the trustee binding.
// Preconditions, checked: trustee in 1..MaxTrustees, V = s·G (V is the
// trustee's verification key from Qualify), A not the identity (an aggregate
// with A = 0 needs no trustee: see Decrypt).
func PartialDecrypt(ctx proof.Context, trustee int, s *group.Scalar, V, A *group.Point, rand io.Reader) (*PartialDecryption, error) {
	if err := checkTrustee(trustee); err != nil {
		return nil, err
	}
	if s == nil || V == nil || A == nil {
		return nil, fmt.Errorf("partial decryption by trustee %d: %w: nil argument", trustee, ErrMissing)
	}
	if A.IsIdentity() {
		return nil, fmt.Errorf("partial decryption by trustee %d: A: %w", trustee, ErrIdentity)
	}
	if !new(group.Point).ScalarBaseMult(s).Equal(V) {
		return nil, fmt.Errorf("partial decryption by trustee %d: %w: s·G ≠ V", trustee, ErrShareMismatch)
	}
	D := new(group.Point).ScalarMult(s, A)
	pi, err := proof.ProveEqualDL(partialContext(ctx, trustee), s, group.Generator(), V, A, D, rand)
	if err != nil {
		return nil, fmt.Errorf("partial decryption by trustee %d: %w", trustee, err)
	}
	return &PartialDecryption{D: D, Proof: pi}, nil
}

// checkTrustee checks an index where no Params are at hand.
func checkTrustee(j int) error {
	if j < 1 || j > MaxTrustees {
		return fmt.Errorf("trustee %d: %w: want 1..%d", j, ErrIndex, MaxTrustees)
	}
	return nil
}

// PartialClaim returns the check of pd as trustee's partial decryption of a
// ciphertext with first component A, against trustee's verification key V,
// for a proof.Batch. A malformed statement gives a claim that fails.
func PartialClaim(ctx proof.Context, trustee int, V, A *group.Point, pd *PartialDecryption) *proof.Claim {
	const kind = "partial decryption"
	label := fmt.Sprintf("trustee %d", trustee)
	if err := checkTrustee(trustee); err != nil {
		return proof.FailedClaim(kind, err).Named(label)
	}
	if V == nil || A == nil || pd == nil || pd.D == nil || pd.Proof == nil ||
		pd.Proof.R1 == nil || pd.Proof.R2 == nil || pd.Proof.Z == nil {
		return proof.FailedClaim(kind, fmt.Errorf("%w: nil key, ciphertext or proof", ErrMissing)).Named(label)
	}
	return pd.Proof.Claim(partialContext(ctx, trustee), group.Generator(), V, A, pd.D).Named(label)
}

// VerifyPartial checks pd as trustee's partial decryption of a ciphertext
// with first component A, against trustee's verification key V. Both
// equations of the proof are checked at once, in one random linear
// combination; a failure names the failing one.
func VerifyPartial(ctx proof.Context, trustee int, V, A *group.Point, pd *PartialDecryption) error {
	return proof.VerifyAll(PartialClaim(ctx, trustee, V, A, pd))
}

// Bytes returns D ‖ R1 ‖ R2 ‖ z.
func (pd *PartialDecryption) Bytes() []byte {
	return append(pd.D.AppendBytes(make([]byte, 0, PartialDecryptionSize)), pd.Proof.Bytes()...)
}

// DecodePartialDecryption parses D ‖ R1 ‖ R2 ‖ z strictly: exactly
// PartialDecryptionSize bytes, canonical points, none the identity, z < ℓ.
func DecodePartialDecryption(b []byte) (*PartialDecryption, error) {
	if len(b) != PartialDecryptionSize {
		return nil, fmt.Errorf("partial decryption: %w: %d bytes, want %d", ErrEncoding, len(b), PartialDecryptionSize)
	}
	D, err := group.DecodePoint(b[:group.PointSize])
	if err != nil {
		return nil, fmt.Errorf("partial decryption: D: %w", err)
	}
	pi, err := proof.DecodeEqualDL(b[group.PointSize:])
	if err != nil {
		return nil, fmt.Errorf("partial decryption: %w", err)
	}
	return &PartialDecryption{D: D, Proof: pi}, nil
}
