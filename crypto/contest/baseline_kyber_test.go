package contest

// This file is a baseline, not part of evote. design.md chose ristretto255
// (gtank/ristretto255 on filippo.io/edwards25519) over go.dedis.ch/kyber/v3's
// stock edwards25519 suite for two reasons: kyber's decoding is lax (it
// accepts small-order, mixed-order and non-canonical points and unreduced
// scalars), and it is slower. The first is a matter of correctness; this file
// measures the second, for the operation that matters most to voters and
// verifiers: encrypting and proving one contest, and verifying it.
//
// It repeats BenchmarkEncryptContest and BenchmarkVerifyContest/batch=1 with
// the same computation written generically over kyber.Group: the same
// ciphertexts, the same disjunctive proof algorithm (proof.proveOneOf and
// Disjunctive.claim), the same transcript byte layout (package transcript,
// with kyber's point encoding), the same bindings, and the same parallelism
// (options and the range proof on all cores via parallel). What differs is
// only what kyber lacks: it has no multi-scalar multiplication, so where our
// Verify folds a ballot's equations into one random linear combination and
// one multi-scalar multiplication (proof.VerifyAll), the baseline checks
// every equation on its own with Mul and Add, as a kyber user would write
// it. The verifier opts into kyber's variable-time multiplication (its inputs
// are public, as ours are in the VarTime functions), so the baseline is kyber
// at its best. make bench pairs BenchmarkX_KyberEd25519 with BenchmarkX and
// prints the ratio.
//
// Decoding is not measured here, on either side: both verifiers start from
// decoded values.

import (
	"crypto/cipher"
	"crypto/sha512"
	"crypto/subtle"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"testing"

	"go.dedis.ch/kyber/v3"
	"go.dedis.ch/kyber/v3/group/edwards25519"

	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/transcript"
)

// kyberSuite is the stock suite that design.md compares against.
var kyberSuite = edwards25519.NewBlakeSHA256Ed25519()

var (
	errKyberChallenge = errors.New("kyber baseline: challenge mismatch")
	errKyberEquation  = errors.New("kyber baseline: verification equation fails")
)

// kyberTranscript writes the same bytes as transcript.Transcript, with kyber's
// point encoding in place of ristretto255's: the prefix, the domain, the
// version and the election context, then labelled fields, every
// variable-length item prefixed by its 8-byte big-endian length.
type kyberTranscript struct {
	h hash.Hash
}

func newKyberTranscript(domain string, ctx proof.Context) *kyberTranscript {
	t := &kyberTranscript{h: sha512.New()}
	t.write([]byte("evote/transcript"))
	t.write([]byte(domain))
	var v [4]byte
	binary.BigEndian.PutUint32(v[:], transcript.ProtocolVersion)
	t.h.Write(v[:])
	t.write(ctx.Election)
	for _, b := range ctx.Bind {
		t.appendBytes(b.Label, b.Value)
	}
	return t
}

func (t *kyberTranscript) write(b []byte) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(b)))
	t.h.Write(n[:])
	t.h.Write(b)
}

func (t *kyberTranscript) appendBytes(label string, b []byte) {
	t.write([]byte(label))
	t.write(b)
}

func (t *kyberTranscript) appendUint64(label string, v uint64) {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], v)
	t.appendBytes(label, b[:])
}

func (t *kyberTranscript) appendPoint(label string, p kyber.Point) {
	b, err := p.MarshalBinary()
	if err != nil {
		// edwards25519 points always encode; a failure is a broken library.
		panic(fmt.Sprintf("kyber baseline: encoding a point: %v", err))
	}
	t.appendBytes(label, b)
}

// challenge reduces the 64-byte digest modulo the order: kyber's
// edwards25519 SetBytes reads little-endian and reduces, as
// ScalarFromUniformBytes does.
func (t *kyberTranscript) challenge(g kyber.Group) kyber.Scalar {
	return g.Scalar().SetBytes(t.h.Sum(nil))
}

type kyberCiphertext struct {
	A, B kyber.Point
}

// kyberEncrypt returns (r·G, m·G + r·K).
func kyberEncrypt(g kyber.Group, K kyber.Point, m, r kyber.Scalar) *kyberCiphertext {
	B := g.Point().Mul(m, nil)
	B.Add(B, g.Point().Mul(r, K))
	return &kyberCiphertext{A: g.Point().Mul(r, nil), B: B}
}

type kyberBranch struct {
	A, B kyber.Point
	C, Z kyber.Scalar
}

type kyberDisjunctive struct {
	Branches []kyberBranch
}

type kyberOption struct {
	Ciphertext *kyberCiphertext
	Proof      *kyberDisjunctive
}

type kyberEncrypted struct {
	Options []kyberOption
	Range   *kyberDisjunctive
}

// kyberEncryptContest is Encrypt over kyber: draw every option's randomness,
// then prove the options and the range on the sum in parallel.
func kyberEncryptContest(g kyber.Group, b Binding, spec Spec, K kyber.Point, selections []uint64, rand func() cipher.Stream) (*kyberEncrypted, []kyber.Scalar, error) {
	if err := spec.Validate(); err != nil {
		return nil, nil, err
	}
	if len(selections) != spec.Options {
		return nil, nil, fmt.Errorf("%w: %d selections for %d options", ErrSelections, len(selections), spec.Options)
	}
	var count uint64
	for i, s := range selections {
		if s > 1 {
			return nil, nil, fmt.Errorf("%w: option %d selected %d times", ErrSelections, i, s)
		}
		count += s
	}
	if count < spec.Min || count > spec.Max {
		return nil, nil, fmt.Errorf("%w: %d selected, allowed %d to %d", ErrSelections, count, spec.Min, spec.Max)
	}
	streams := make([]cipher.Stream, spec.Options+1)
	for i := range streams {
		streams[i] = rand()
	}
	rs := make([]kyber.Scalar, spec.Options)
	rSum := g.Scalar().Zero()
	for i := range rs {
		rs[i] = g.Scalar().Pick(streams[i])
		rSum.Add(rSum, rs[i])
	}
	e := &kyberEncrypted{Options: make([]kyberOption, spec.Options)}
	errs := make([]error, spec.Options+1)
	parallel(spec.Options+1, func(i int) {
		if i == spec.Options {
			sum := kyberEncrypt(g, K, kyberUint(g, count), rSum)
			e.Range, errs[i] = kyberProveOneOf(g, proof.DomainRange, b.contestContext(), K, sum, spec.Min, spec.Max, count, rSum, streams[i])
			return
		}
		ct := kyberEncrypt(g, K, kyberUint(g, selections[i]), rs[i])
		p, err := kyberProveOneOf(g, proof.DomainZeroOrOne, b.optionContext(i), K, ct, 0, 1, selections[i], rs[i], streams[i])
		e.Options[i], errs[i] = kyberOption{Ciphertext: ct, Proof: p}, err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return e, rs, nil
}

func kyberUint(g kyber.Group, v uint64) kyber.Scalar {
	return g.Scalar().SetInt64(int64(v))
}

// kyberProveOneOf is proof.proveOneOf over kyber: every branch is made the
// same way, with c_j = 0 for the real branch, then the real branch takes
// what is left of the challenge. Unlike ProveZeroOrOne it does not check
// that m is in [min, max], and it trusts m to be the plaintext of ct, so that
// a test can forge a proof with a false m.
func kyberProveOneOf(g kyber.Group, domain string, ctx proof.Context, K kyber.Point, ct *kyberCiphertext, min, max, m uint64, r kyber.Scalar, rand cipher.Stream) (*kyberDisjunctive, error) {
	if max < min || max-min >= proof.MaxRangeWidth {
		return nil, fmt.Errorf("kyber baseline: range [%d, %d] is empty or too wide", min, max)
	}
	k := int(max-min) + 1
	branches := make([]kyberBranch, k)
	u := make([]kyber.Scalar, k)
	real := make([]kyber.Scalar, k)
	mScalar := kyberUint(g, m)
	for j := range branches {
		v := min + uint64(j)
		isReal := int64(subtle.ConstantTimeEq(int32(m-min), int32(j)) & subtle.ConstantTimeEq(int32((m-min)>>32), 0))
		real[j] = g.Scalar().SetInt64(isReal)
		u[j] = g.Scalar().Pick(rand)
		c := g.Scalar().Pick(rand)
		c.Mul(c, g.Scalar().SetInt64(1-isReal))
		cd := g.Scalar().Sub(mScalar, kyberUint(g, v))
		cd.Mul(cd, c)
		cd.Neg(cd)
		B := g.Point().Mul(u[j], K)
		B.Add(B, g.Point().Mul(cd, nil))
		branches[j] = kyberBranch{A: g.Point().Mul(u[j], nil), B: B, C: c}
	}
	cReal := kyberChallenge(g, domain, ctx, K, ct, min, max, branches)
	for j := range branches {
		cReal.Sub(cReal, branches[j].C)
	}
	for j := range branches {
		br := &branches[j]
		br.C.Add(br.C, g.Scalar().Mul(real[j], cReal))
		br.Z = g.Scalar().Mul(br.C, r)
		br.Z.Add(br.Z, u[j])
	}
	return &kyberDisjunctive{Branches: branches}, nil
}

func kyberChallenge(g kyber.Group, domain string, ctx proof.Context, K kyber.Point, ct *kyberCiphertext, min, max uint64, branches []kyberBranch) kyber.Scalar {
	t := newKyberTranscript(domain, ctx)
	t.appendPoint("K", K)
	t.appendPoint("A", ct.A)
	t.appendPoint("B", ct.B)
	t.appendUint64("min", min)
	t.appendUint64("max", max)
	for _, b := range branches {
		t.appendPoint("a", b.A)
		t.appendPoint("b", b.B)
	}
	return t.challenge(g)
}

// kyberVerify is Encrypted.Verify over kyber: each option's zero-or-one
// proof, then the range proof on the sum, one equation at a time.
func (e *kyberEncrypted) kyberVerify(g kyber.Group, b Binding, spec Spec, K kyber.Point) error {
	if len(e.Options) != spec.Options || e.Range == nil {
		return fmt.Errorf("kyber baseline: %d options, want %d", len(e.Options), spec.Options)
	}
	sum := &kyberCiphertext{A: g.Point().Null(), B: g.Point().Null()}
	for i, o := range e.Options {
		if err := o.Proof.verify(g, proof.DomainZeroOrOne, b.optionContext(i), K, o.Ciphertext, 0, 1); err != nil {
			return fmt.Errorf("option %d: zero-or-one proof: %w", i, err)
		}
		sum.A.Add(sum.A, o.Ciphertext.A)
		sum.B.Add(sum.B, o.Ciphertext.B)
	}
	if err := e.Range.verify(g, proof.DomainRange, b.contestContext(), K, sum, spec.Min, spec.Max); err != nil {
		return fmt.Errorf("range proof: %w", err)
	}
	return nil
}

// verify checks Σ c_j = H(…), then for every branch
// a_j + c_j·A = z_j·G and b_j + c_j·(B − v_j·G) = z_j·K.
func (p *kyberDisjunctive) verify(g kyber.Group, domain string, ctx proof.Context, K kyber.Point, ct *kyberCiphertext, min, max uint64) error {
	k := int(max-min) + 1
	if len(p.Branches) != k {
		return fmt.Errorf("kyber baseline: %d branches, want %d", len(p.Branches), k)
	}
	c := kyberChallenge(g, domain, ctx, K, ct, min, max, p.Branches)
	sum := g.Scalar().Zero()
	for _, b := range p.Branches {
		sum.Add(sum, b.C)
	}
	if !sum.Equal(c) {
		return errKyberChallenge
	}
	// v_j·G by one multiplication for min and one addition per branch,
	// rather than a multiplication per branch: kyber at its best.
	vG := g.Point().Mul(kyberUint(g, min), nil)
	base := g.Point().Base()
	for j, b := range p.Branches {
		if j > 0 {
			vG.Add(vG, base)
		}
		lhs := kyberVarTimePoint(g).Mul(b.C, ct.A)
		lhs.Add(lhs, b.A)
		if !lhs.Equal(g.Point().Mul(b.Z, nil)) {
			return fmt.Errorf("branch %d: a + c·A = z·G: %w", j, errKyberEquation)
		}
		lhs = kyberVarTimePoint(g).Mul(b.C, g.Point().Sub(ct.B, vG))
		lhs.Add(lhs, b.B)
		if !lhs.Equal(kyberVarTimePoint(g).Mul(b.Z, K)) {
			return fmt.Errorf("branch %d: b + c·(B − v·G) = z·K: %w", j, errKyberEquation)
		}
	}
	return nil
}

// kyberVarTimePoint returns a point whose Mul may run in variable time, for
// public inputs only; kyber's edwards25519 points support it.
func kyberVarTimePoint(g kyber.Group) kyber.Point {
	p := g.Point()
	if vt, ok := p.(kyber.AllowsVarTime); ok {
		vt.AllowVarTime(true)
	}
	return p
}

// kyberRandom returns kyber's stream over crypto/rand, as our Encrypt uses
// crypto/rand when given no reader.
func kyberRandom() cipher.Stream { return kyberSuite.RandomStream() }

// kyberKey returns an election secret key x and K = x·G.
func kyberKey() (kyber.Scalar, kyber.Point) {
	x := kyberSuite.Scalar().Pick(kyberRandom())
	return x, kyberSuite.Point().Mul(x, nil)
}

func TestKyberBaseline(t *testing.T) {
	g := kyberSuite
	x, K := kyberKey()
	sel := []uint64{0, 1, 0, 1, 0}
	fresh := func(t *testing.T) *kyberEncrypted {
		e, _, err := kyberEncryptContest(g, binding, spec5of2, K, sel, kyberRandom)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}

	t.Run("good", func(t *testing.T) {
		e := fresh(t)
		if err := e.kyberVerify(g, binding, spec5of2, K); err != nil {
			t.Fatalf("valid contest rejected: %v", err)
		}
		// The ciphertexts really encrypt the selections: B − x·A = m·G.
		for i, o := range e.Options {
			mG := g.Point().Sub(o.Ciphertext.B, g.Point().Mul(x, o.Ciphertext.A))
			if !mG.Equal(g.Point().Mul(kyberUint(g, sel[i]), nil)) {
				t.Errorf("option %d does not decrypt to %d", i, sel[i])
			}
		}
	})

	t.Run("tampered response", func(t *testing.T) {
		e := fresh(t)
		z := e.Options[1].Proof.Branches[0].Z
		z.Add(z, g.Scalar().One())
		err := e.kyberVerify(g, binding, spec5of2, K)
		if !errors.Is(err, errKyberEquation) {
			t.Fatalf("got %v, want an equation failure", err)
		}
	})

	// Option 2 encrypts 2, and the prover claims it is 1: the challenge is
	// honest, so only the equations can catch it.
	t.Run("ciphertext of 2", func(t *testing.T) {
		e := fresh(t)
		r := g.Scalar().Pick(kyberRandom())
		ct := kyberEncrypt(g, K, kyberUint(g, 2), r)
		p, err := kyberProveOneOf(g, proof.DomainZeroOrOne, binding.optionContext(2), K, ct, 0, 1, 1, r, kyberRandom())
		if err != nil {
			t.Fatal(err)
		}
		e.Options[2] = kyberOption{Ciphertext: ct, Proof: p}
		err = e.kyberVerify(g, binding, spec5of2, K)
		if !errors.Is(err, errKyberEquation) {
			t.Fatalf("got %v, want an equation failure", err)
		}
	})

	// Swapping options 0 and 1 keeps the sum, so the range proof still
	// holds; each option proof is bound to its index and fails.
	t.Run("moved option", func(t *testing.T) {
		e := fresh(t)
		e.Options[0], e.Options[1] = e.Options[1], e.Options[0]
		err := e.kyberVerify(g, binding, spec5of2, K)
		if !errors.Is(err, errKyberChallenge) {
			t.Fatalf("got %v, want a challenge mismatch", err)
		}
	})
}

// BenchmarkEncryptContest_KyberEd25519 is BenchmarkEncryptContest on kyber's
// edwards25519 suite.
func BenchmarkEncryptContest_KyberEd25519(b *testing.B) {
	_, K := kyberKey()
	sel := []uint64{0, 1, 0, 1, 0}
	for b.Loop() {
		if _, _, err := kyberEncryptContest(kyberSuite, binding, spec5of2, K, sel, kyberRandom); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyContest_KyberEd25519 is BenchmarkVerifyContest/batch=1 on
// kyber's edwards25519 suite; kyber has no multi-scalar multiplication to
// batch with, so there is no batch=64 or batch=1024.
func BenchmarkVerifyContest_KyberEd25519(b *testing.B) {
	b.Run("batch=1", func(b *testing.B) {
		_, K := kyberKey()
		e, _, err := kyberEncryptContest(kyberSuite, binding, spec5of2, K, []uint64{0, 1, 0, 1, 0}, kyberRandom)
		if err != nil {
			b.Fatal(err)
		}
		const n = 1
		b.ResetTimer()
		for b.Loop() {
			if err := e.kyberVerify(kyberSuite, binding, spec5of2, K); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/ballot")
	})
}
