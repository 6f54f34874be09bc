package proof

import (
	"crypto/subtle"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// BranchSize is the length of one encoded branch of a disjunctive proof:
// a ‖ b ‖ c ‖ z.
const BranchSize = 2*group.PointSize + 2*group.ScalarSize

// MaxRangeWidth bounds max − min + 1 of a range proof. A range proof has one
// branch per value, so its size and cost grow with the width.
const MaxRangeWidth = 256

// Disjunctive proves that an ElGamal ciphertext (A, B) under key K encrypts
// one of a public list of values v_0 … v_{k−1}, without saying which
// (Cramer–Damgård–Schoenmakers). Branch j holds commitments a_j, b_j, a
// challenge c_j and a response z_j; the verifier checks
//
//	Σ_j c_j = H(context, K, A, B, values, a_0, b_0, …)
//	a_j + c_j·A = z_j·G
//	b_j + c_j·(B − v_j·G) = z_j·K
type Disjunctive struct {
	Branches []Branch
}

// Branch is one value's part of a Disjunctive proof.
type Branch struct {
	A, B *group.Point  // commitments a_j, b_j
	C, Z *group.Scalar // challenge c_j, response z_j
}

// ProveZeroOrOne proves that ct = Enc(m; r) under pk encrypts 0 or 1. It runs in
// time independent of m. Precondition: ct was made with m and r.
func ProveZeroOrOne(ctx Context, pk *elgamal.PublicKey, ct *elgamal.Ciphertext, m uint64, r *group.Scalar, rand io.Reader) (*Disjunctive, error) {
	if m > 1 {
		return nil, fmt.Errorf("zero-or-one proof: %w: the plaintext is not 0 or 1", ErrStatement)
	}
	return proveOneOf(DomainZeroOrOne, ctx, pk, ct, 0, 1, m, r, rand)
}

// ProveRange proves that ct = Enc(m; r) under pk encrypts a value in [min, max].
// It runs in time independent of m. Preconditions: ct was made with m and r;
// max − min < MaxRangeWidth.
func ProveRange(ctx Context, pk *elgamal.PublicKey, ct *elgamal.Ciphertext, min, max, m uint64, r *group.Scalar, rand io.Reader) (*Disjunctive, error) {
	if err := checkRange(min, max); err != nil {
		return nil, err
	}
	if m < min || m > max {
		return nil, fmt.Errorf("range proof: %w: the plaintext is outside [%d, %d]", ErrStatement, min, max)
	}
	return proveOneOf(DomainRange, ctx, pk, ct, min, max, m, r, rand)
}

func checkRange(min, max uint64) error {
	if max < min || max-min >= MaxRangeWidth {
		return fmt.Errorf("range proof: %w: range [%d, %d] is empty or wider than %d", ErrStatement, min, max, MaxRangeWidth)
	}
	return nil
}

// proveOneOf makes every branch the same way, so that timing does not reveal
// which one is real: with u_j random and c_j random (0 for the real branch),
// a_j = u_j·G and b_j = u_j·K − c_j·(m − v_j)·G; once the real challenge is
// known, z_j = u_j + c_j·r for every branch. For a simulated branch this is
// the usual simulation; for the real one it is the honest Schnorr response.
func proveOneOf(domain string, ctx Context, pk *elgamal.PublicKey, ct *elgamal.Ciphertext, min, max, m uint64, r *group.Scalar, rand io.Reader) (*Disjunctive, error) {
	k := int(max-min) + 1
	branches := make([]Branch, k)
	u := make([]*group.Scalar, k)
	real := make([]*group.Scalar, k)
	mScalar := group.ScalarFromUint64(m)
	var err error
	for j := range branches {
		v := min + uint64(j)
		isReal := uint64(subtle.ConstantTimeEq(int32(m-min), int32(j)) & subtle.ConstantTimeEq(int32((m-min)>>32), 0))
		real[j] = group.ScalarFromUint64(isReal)
		notReal := group.ScalarFromUint64(1 - isReal)
		if u[j], err = group.RandomScalar(rand); err != nil {
			return nil, err
		}
		c, err := group.RandomScalar(rand)
		if err != nil {
			return nil, err
		}
		c.Multiply(c, notReal)
		delta := new(group.Scalar).Subtract(mScalar, group.ScalarFromUint64(v))
		cd := new(group.Scalar).Multiply(c, delta)
		cd.Negate(cd)
		b := pk.Mult(u[j])
		b.Add(b, new(group.Point).ScalarBaseMult(cd))
		branches[j] = Branch{A: new(group.Point).ScalarBaseMult(u[j]), B: b, C: c}
	}
	p := &Disjunctive{Branches: branches}
	cReal := disjunctiveChallenge(domain, ctx, pk.K, ct, min, max, branches)
	for j := range branches {
		cReal.Subtract(cReal, branches[j].C)
	}
	for j := range branches {
		b := &branches[j]
		b.C.Add(b.C, new(group.Scalar).Multiply(real[j], cReal))
		b.Z = new(group.Scalar).Multiply(b.C, r)
		b.Z.Add(b.Z, u[j])
	}
	return p, nil
}

func disjunctiveChallenge(domain string, ctx Context, K *group.Point, ct *elgamal.Ciphertext, min, max uint64, branches []Branch) *group.Scalar {
	t := ctx.transcript(domain)
	t.AppendPoint("K", K)
	t.AppendPoint("A", ct.A)
	t.AppendPoint("B", ct.B)
	t.AppendUint64("min", min)
	t.AppendUint64("max", max)
	for _, b := range branches {
		t.AppendPoint("a", b.A)
		t.AppendPoint("b", b.B)
	}
	return t.Challenge()
}

// ZeroOrOneClaim returns the checks that p proves ct encrypts 0 or 1.
func (p *Disjunctive) ZeroOrOneClaim(ctx Context, K *group.Point, ct *elgamal.Ciphertext) *Claim {
	return p.claim("zero-or-one proof", DomainZeroOrOne, ctx, K, ct, []*group.Point{ct.A}, []*group.Point{ct.B}, 0, 1)
}

// RangeClaim returns the checks that p proves ct encrypts a value in [min, max].
func (p *Disjunctive) RangeClaim(ctx Context, K *group.Point, ct *elgamal.Ciphertext, min, max uint64) *Claim {
	if err := checkRange(min, max); err != nil {
		return FailedClaim("range proof", err)
	}
	return p.claim("range proof", DomainRange, ctx, K, ct, []*group.Point{ct.A}, []*group.Point{ct.B}, min, max)
}

// RangeClaimOfSum returns the checks that p proves the sum of parts encrypts a
// value in [min, max]: the same statement as RangeClaim on the sum, whose
// equations refer to the parts, so that in a Batch they merge with the parts'
// own proofs instead of adding two more points.
func (p *Disjunctive) RangeClaimOfSum(ctx Context, K *group.Point, parts []*elgamal.Ciphertext, min, max uint64) *Claim {
	if err := checkRange(min, max); err != nil {
		return FailedClaim("range proof", err)
	}
	return p.RangeClaimOfSummed(ctx, K, parts, elgamal.Sum(parts), min, max)
}

// RangeClaimOfSummed is RangeClaimOfSum with the sum of parts given, for a
// verifier that computed it (and its encoding) beforehand. sum must be
// elgamal.Sum(parts).
func (p *Disjunctive) RangeClaimOfSummed(ctx Context, K *group.Point, parts []*elgamal.Ciphertext, sum *elgamal.Ciphertext, min, max uint64) *Claim {
	if err := checkRange(min, max); err != nil {
		return FailedClaim("range proof", err)
	}
	As := make([]*group.Point, len(parts))
	Bs := make([]*group.Point, len(parts))
	for i, ct := range parts {
		As[i], Bs[i] = ct.A, ct.B
	}
	return p.claim("range proof", DomainRange, ctx, K, sum, As, Bs, min, max)
}

// VerifyZeroOrOne checks alone that p proves ct encrypts 0 or 1.
func (p *Disjunctive) VerifyZeroOrOne(ctx Context, K *group.Point, ct *elgamal.Ciphertext) error {
	return p.ZeroOrOneClaim(ctx, K, ct).Verify()
}

// VerifyRange checks alone that p proves ct encrypts a value in [min, max].
func (p *Disjunctive) VerifyRange(ctx Context, K *group.Point, ct *elgamal.Ciphertext, min, max uint64) error {
	return p.RangeClaim(ctx, K, ct, min, max).Verify()
}

// claim builds the checks for ct, whose components are the sums of As and Bs
// (ct's own when there is one of each).
func (p *Disjunctive) claim(kind, domain string, ctx Context, K *group.Point, ct *elgamal.Ciphertext, As, Bs []*group.Point, min, max uint64) *Claim {
	k := int(max-min) + 1
	if len(p.Branches) != k {
		return FailedClaim(kind, fmt.Errorf("%w: %d branches, want %d", ErrEncoding, len(p.Branches), k))
	}
	c := disjunctiveChallenge(domain, ctx, K, ct, min, max, p.Branches)
	sum := group.NewScalar()
	for _, b := range p.Branches {
		sum.Add(sum, b.C)
	}
	if !sum.Equal(c) {
		return FailedClaim(kind, fmt.Errorf("%w: the branch challenges do not add up", ErrChallenge))
	}
	eqs := make([]equation, 0, 2*k)
	for j, b := range p.Branches {
		v := min + uint64(j)
		nz := new(group.Scalar).Negate(b.Z)
		cv := new(group.Scalar).Multiply(b.C, group.ScalarFromUint64(v))
		cv.Negate(cv)
		eq1 := make([]term, 0, 2+len(As))
		eq1 = append(eq1, term{nil, b.A}, term{nz, basepoint})
		for _, A := range As {
			eq1 = append(eq1, term{b.C, A})
		}
		eq2 := make([]term, 0, 3+len(Bs))
		eq2 = append(eq2, term{nil, b.B}, term{cv, basepoint}, term{nz, K})
		for _, B := range Bs {
			eq2 = append(eq2, term{b.C, B})
		}
		eqs = append(eqs,
			equation{name: fmt.Sprintf("branch %d (value %d): a + c·A = z·G", j, v), terms: eq1},
			equation{name: fmt.Sprintf("branch %d (value %d): b + c·(B − v·G) = z·K", j, v), terms: eq2})
	}
	return &Claim{kind: kind, eqs: eqs}
}

// Size returns the encoded length of a proof with k branches.
func Size(k int) int { return k * BranchSize }

// Bytes returns the branches in order, each a ‖ b ‖ c ‖ z.
func (p *Disjunctive) Bytes() []byte {
	out := make([]byte, 0, Size(len(p.Branches)))
	for _, b := range p.Branches {
		out = b.A.AppendBytes(out)
		out = b.B.AppendBytes(out)
		out = append(out, b.C.Bytes()...)
		out = append(out, b.Z.Bytes()...)
	}
	return out
}

// DecodeDisjunctive parses a proof of exactly k branches strictly: canonical
// encodings, no commitment the identity, scalars < ℓ, no trailing bytes.
func DecodeDisjunctive(b []byte, k int) (*Disjunctive, error) {
	if k < 1 || k > MaxRangeWidth || len(b) != Size(k) {
		return nil, fmt.Errorf("disjunctive proof: %w: %d bytes, want %d branches of %d", ErrEncoding, len(b), k, BranchSize)
	}
	p := &Disjunctive{Branches: make([]Branch, k)}
	for j := range p.Branches {
		if err := p.Branches[j].decode(b[j*BranchSize : (j+1)*BranchSize]); err != nil {
			return nil, fmt.Errorf("disjunctive proof: branch %d: %w", j, err)
		}
	}
	return p, nil
}

func (br *Branch) decode(b []byte) error {
	var err error
	if br.A, err = group.DecodePoint(b[0:32]); err != nil {
		return fmt.Errorf("a: %w", err)
	}
	if br.B, err = group.DecodePoint(b[32:64]); err != nil {
		return fmt.Errorf("b: %w", err)
	}
	if br.C, err = group.DecodeScalar(b[64:96]); err != nil {
		return fmt.Errorf("c: %w", err)
	}
	if br.Z, err = group.DecodeScalar(b[96:128]); err != nil {
		return fmt.Errorf("z: %w", err)
	}
	return nil
}
