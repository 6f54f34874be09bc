package proof

import (
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
)

// SchnorrSize is the length of an encoded Schnorr proof: R ‖ z.
const SchnorrSize = group.PointSize + group.ScalarSize

// Schnorr proves knowledge of x with X = x·G. The prover commits R = w·G;
// the challenge is c = H(context, X, R); the response is z = w + c·x; the
// verifier checks R + c·X − z·G = 0.
type Schnorr struct {
	R *group.Point
	Z *group.Scalar
}

// ProveSchnorr proves knowledge of x for X = x·G, with nonces from rand
// (crypto/rand when nil). Precondition: X = x·G.
func ProveSchnorr(ctx Context, x *group.Scalar, X *group.Point, rand io.Reader) (*Schnorr, error) {
	w, err := group.RandomScalar(rand)
	if err != nil {
		return nil, err
	}
	R := new(group.Point).ScalarBaseMult(w)
	c := schnorrChallenge(ctx, X, R)
	z := new(group.Scalar).Multiply(c, x)
	z.Add(z, w)
	return &Schnorr{R: R, Z: z}, nil
}

func schnorrChallenge(ctx Context, X, R *group.Point) *group.Scalar {
	t := ctx.transcript(DomainSchnorr)
	t.AppendPoint("X", X)
	t.AppendPoint("R", R)
	return t.Challenge()
}

// Claim returns the proof's check against the public key X.
func (p *Schnorr) Claim(ctx Context, X *group.Point) *Claim {
	c := schnorrChallenge(ctx, X, p.R)
	return &Claim{kind: "schnorr proof", eqs: []equation{{
		name:  "R + c·X = z·G",
		terms: []term{{nil, p.R}, {c, X}, {new(group.Scalar).Negate(p.Z), basepoint}},
	}}}
}

// Verify checks the proof alone.
func (p *Schnorr) Verify(ctx Context, X *group.Point) error { return p.Claim(ctx, X).Verify() }

// Bytes returns R ‖ z.
func (p *Schnorr) Bytes() []byte {
	return append(p.R.AppendBytes(make([]byte, 0, SchnorrSize)), p.Z.Bytes()...)
}

// DecodeSchnorr parses R ‖ z strictly: canonical encodings, R not the
// identity, z < ℓ.
func DecodeSchnorr(b []byte) (*Schnorr, error) {
	if len(b) != SchnorrSize {
		return nil, fmt.Errorf("schnorr proof: %w: %d bytes, want %d", ErrEncoding, len(b), SchnorrSize)
	}
	R, err := group.DecodePoint(b[:group.PointSize])
	if err != nil {
		return nil, fmt.Errorf("schnorr proof: R: %w", err)
	}
	z, err := group.DecodeScalar(b[group.PointSize:])
	if err != nil {
		return nil, fmt.Errorf("schnorr proof: z: %w", err)
	}
	return &Schnorr{R: R, Z: z}, nil
}
