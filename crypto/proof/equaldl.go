package proof

import (
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
)

// EqualDLSize is the length of an encoded Chaum–Pedersen proof: R1 ‖ R2 ‖ z.
const EqualDLSize = 2*group.PointSize + group.ScalarSize

// EqualDL is a Chaum–Pedersen proof that log_G1 H1 = log_G2 H2. The prover
// commits R1 = w·G1, R2 = w·G2; c = H(context, G1, H1, G2, H2, R1, R2);
// z = w + c·x. The verifier checks R1 + c·H1 = z·G1 and R2 + c·H2 = z·G2.
//
// A trustee's partial decryption D = s·A of an aggregate A is proved with
// G1 = G, H1 = its verification key s·G, G2 = A, H2 = D.
type EqualDL struct {
	R1, R2 *group.Point
	Z      *group.Scalar
}

// ProveEqualDL proves H1 = x·G1 and H2 = x·G2 for the secret x, with nonces
// from rand (crypto/rand when nil). Pass group.Generator() or any other point
// as G1. Precondition: the statement holds and G2 is not the identity.
func ProveEqualDL(ctx Context, x *group.Scalar, G1, H1, G2, H2 *group.Point, rand io.Reader) (*EqualDL, error) {
	if G2.IsIdentity() || G1.IsIdentity() {
		return nil, fmt.Errorf("equal-dl proof: %w: a base is the identity", ErrStatement)
	}
	w, err := group.RandomScalar(rand)
	if err != nil {
		return nil, err
	}
	R1 := new(group.Point)
	if G1.Equal(basepoint) {
		R1.ScalarBaseMult(w) // the common case, about twice as fast
	} else {
		R1.ScalarMult(w, G1)
	}
	R2 := new(group.Point).ScalarMult(w, G2)
	c := equalDLChallenge(ctx, G1, H1, G2, H2, R1, R2)
	z := new(group.Scalar).Multiply(c, x)
	z.Add(z, w)
	return &EqualDL{R1: R1, R2: R2, Z: z}, nil
}

func equalDLChallenge(ctx Context, G1, H1, G2, H2, R1, R2 *group.Point) *group.Scalar {
	t := ctx.transcript(DomainEqualDL)
	t.AppendPoint("G1", G1)
	t.AppendPoint("H1", H1)
	t.AppendPoint("G2", G2)
	t.AppendPoint("H2", H2)
	t.AppendPoint("R1", R1)
	t.AppendPoint("R2", R2)
	return t.Challenge()
}

// Claim returns the proof's checks for the statement log_G1 H1 = log_G2 H2.
// When G1 is the generator, pass the pointer from group.Generator() or any
// equal point; equal points are merged in a Batch only when they are the same
// pointer, which is faster but not needed for correctness.
func (p *EqualDL) Claim(ctx Context, G1, H1, G2, H2 *group.Point) *Claim {
	const kind = "equal-dl proof"
	if G1.IsIdentity() || G2.IsIdentity() {
		return FailedClaim(kind, fmt.Errorf("%w: a base is the identity", ErrStatement))
	}
	c := equalDLChallenge(ctx, G1, H1, G2, H2, p.R1, p.R2)
	nz := new(group.Scalar).Negate(p.Z)
	if G1.Equal(basepoint) {
		G1 = basepoint
	}
	return &Claim{kind: kind, eqs: []equation{
		{name: "R1 + c·H1 = z·G1", terms: []term{{nil, p.R1}, {c, H1}, {nz, G1}}},
		{name: "R2 + c·H2 = z·G2", terms: []term{{nil, p.R2}, {c, H2}, {nz, G2}}},
	}}
}

// Verify checks the proof alone.
func (p *EqualDL) Verify(ctx Context, G1, H1, G2, H2 *group.Point) error {
	return p.Claim(ctx, G1, H1, G2, H2).Verify()
}

// Bytes returns R1 ‖ R2 ‖ z.
func (p *EqualDL) Bytes() []byte {
	b := make([]byte, 0, EqualDLSize)
	b = p.R1.AppendBytes(b)
	b = p.R2.AppendBytes(b)
	return append(b, p.Z.Bytes()...)
}

// DecodeEqualDL parses R1 ‖ R2 ‖ z strictly: canonical encodings, neither
// commitment the identity, z < ℓ.
func DecodeEqualDL(b []byte) (*EqualDL, error) {
	if len(b) != EqualDLSize {
		return nil, fmt.Errorf("equal-dl proof: %w: %d bytes, want %d", ErrEncoding, len(b), EqualDLSize)
	}
	R1, err := group.DecodePoint(b[:32])
	if err != nil {
		return nil, fmt.Errorf("equal-dl proof: R1: %w", err)
	}
	R2, err := group.DecodePoint(b[32:64])
	if err != nil {
		return nil, fmt.Errorf("equal-dl proof: R2: %w", err)
	}
	z, err := group.DecodeScalar(b[64:])
	if err != nil {
		return nil, fmt.Errorf("equal-dl proof: z: %w", err)
	}
	return &EqualDL{R1: R1, R2: R2, Z: z}, nil
}
