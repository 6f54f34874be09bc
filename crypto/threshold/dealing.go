package threshold

import (
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// Commitments is what a dealer publishes about its polynomial: C[k] = a_k·G
// for k = 0..t−1, and PoK[k], a Schnorr proof of knowledge of a_k bound to
// the election context, the dealer and k. The proofs stop a dealer from
// choosing its C[0] as a function of the others' (a rogue-key attack on the
// joint key).
type Commitments struct {
	C   []*group.Point
	PoK []*proof.Schnorr
}

// NewDealing draws dealer's secret polynomial of degree t−1 and its public
// commitments, with all randomness from rand (crypto/rand when nil), read in
// a fixed order: the t coefficients a_0..a_{t−1}, then the t proof nonces.
// ctx is the election context; NewDealing adds the dealer and coefficient
// bindings itself. Preconditions: params valid, dealer in 1..n.
func NewDealing(params Params, dealer int, ctx proof.Context, rand io.Reader) (*Polynomial, *Commitments, error) {
	if err := params.Validate(); err != nil {
		return nil, nil, err
	}
	if err := params.checkIndex("dealer", dealer); err != nil {
		return nil, nil, err
	}
	f, err := randomPolynomial(params, dealer, rand)
	if err != nil {
		return nil, nil, err
	}
	c := &Commitments{C: make([]*group.Point, params.T), PoK: make([]*proof.Schnorr, params.T)}
	for k, a := range f.coeffs {
		c.C[k] = new(group.Point).ScalarBaseMult(a)
	}
	for k, a := range f.coeffs {
		c.PoK[k], err = proof.ProveSchnorr(coefficientContext(ctx, dealer, k), a, c.C[k], rand)
		if err != nil {
			return nil, nil, fmt.Errorf("dealer %d: coefficient %d: proof: %w", dealer, k, err)
		}
	}
	return f, c, nil
}

// CommitmentClaims checks the shape of dealer's commitments (exactly t
// coefficients, each a non-identity point with a proof) and returns the
// claims of their proofs of knowledge, one per coefficient, for a
// proof.Batch. The commitments are valid when the shape check passes and
// every claim holds.
func CommitmentClaims(params Params, dealer int, ctx proof.Context, c *Commitments) ([]*proof.Claim, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if err := params.checkIndex("dealer", dealer); err != nil {
		return nil, err
	}
	if err := checkCommitmentShape(params, c); err != nil {
		return nil, fmt.Errorf("dealer %d: %w", dealer, err)
	}
	claims := make([]*proof.Claim, params.T)
	for k := range claims {
		claims[k] = c.PoK[k].Claim(coefficientContext(ctx, dealer, k), c.C[k]).
			Named(fmt.Sprintf("dealer %d: coefficient %d", dealer, k))
	}
	return claims, nil
}

// checkCommitmentShape checks that c holds exactly t commitments, none the
// identity, each with a proof.
func checkCommitmentShape(params Params, c *Commitments) error {
	if c == nil {
		return fmt.Errorf("commitments: %w: nil", ErrMissing)
	}
	if len(c.C) != params.T {
		return fmt.Errorf("%w: %d commitments, want t = %d", ErrCommitmentCount, len(c.C), params.T)
	}
	if len(c.PoK) != params.T {
		return fmt.Errorf("%w: %d proofs of knowledge, want t = %d", ErrCommitmentCount, len(c.PoK), params.T)
	}
	for k := range c.C {
		if c.C[k] == nil || c.PoK[k] == nil || c.PoK[k].R == nil || c.PoK[k].Z == nil {
			return fmt.Errorf("coefficient %d: %w: nil commitment or proof", k, ErrMissing)
		}
		if c.C[k].IsIdentity() {
			return fmt.Errorf("coefficient %d: commitment: %w", k, ErrIdentity)
		}
	}
	return nil
}

// VerifyCommitments checks dealer's commitments: exactly t of them, none the
// identity, and every proof of knowledge valid under ctx. The error names the
// first failing coefficient.
func VerifyCommitments(params Params, dealer int, ctx proof.Context, c *Commitments) error {
	claims, err := CommitmentClaims(params, dealer, ctx, c)
	if err != nil {
		return err
	}
	return proof.VerifyAll(claims...)
}
