package threshold

import (
	"errors"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

func TestParamsValidate(t *testing.T) {
	for _, tc := range []struct {
		p  Params
		ok bool
	}{
		{Params{N: 1, T: 1}, true},
		{Params{N: 5, T: 3}, true},
		{Params{N: MaxTrustees, T: MaxTrustees}, true},
		{Params{N: 0, T: 0}, false},
		{Params{N: 3, T: 0}, false},
		{Params{N: 3, T: 4}, false},
		{Params{N: -1, T: 1}, false},
		{Params{N: MaxTrustees + 1, T: 1}, false},
	} {
		err := tc.p.Validate()
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrParams)) {
			t.Errorf("%+v: Validate() = %v, want ok = %v", tc.p, err, tc.ok)
		}
	}
}

func TestNewDealingRejects(t *testing.T) {
	ctx := testContext("deal")
	for _, tc := range []struct {
		name   string
		params Params
		dealer int
		want   error
	}{
		{"bad params", Params{N: 2, T: 3}, 1, ErrParams},
		{"dealer 0", Params{N: 3, T: 2}, 0, ErrIndex},
		{"dealer n+1", Params{N: 3, T: 2}, 4, ErrIndex},
	} {
		if _, _, err := NewDealing(tc.params, tc.dealer, ctx, detRand("x")); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestPolynomialShare(t *testing.T) {
	params := Params{N: 5, T: 3}
	f, _, err := NewDealing(params, 2, testContext("poly"), detRand("poly"))
	if err != nil {
		t.Fatal(err)
	}
	for j := 1; j <= params.N; j++ {
		got, err := f.Share(j)
		if err != nil {
			t.Fatal(err)
		}
		// Naive evaluation: Σ a_k·j^k.
		want, x := group.NewScalar(), group.ScalarFromUint64(1)
		for _, a := range f.coeffs {
			want.Add(want, new(group.Scalar).Multiply(a, x))
			x.Multiply(x, group.ScalarFromUint64(uint64(j)))
		}
		if !got.Equal(want) {
			t.Errorf("f(%d) by Horner ≠ naive evaluation", j)
		}
	}
	for _, j := range []int{0, -1, params.N + 1} {
		if _, err := f.Share(j); !errors.Is(err, ErrIndex) {
			t.Errorf("Share(%d): err = %v, want ErrIndex", j, err)
		}
	}
}

// TestVerifyCommitments checks every way a commitment vector can be wrong.
func TestVerifyCommitments(t *testing.T) {
	params := Params{N: 3, T: 2}
	ctx := testContext("commitments")
	_, c, err := NewDealing(params, 1, ctx, detRand("commitments 1"))
	if err != nil {
		t.Fatal(err)
	}
	_, other, err := NewDealing(params, 2, ctx, detRand("commitments 2"))
	if err != nil {
		t.Fatal(err)
	}
	clone := func() *Commitments {
		return &Commitments{C: append([]*group.Point(nil), c.C...), PoK: append([]*proof.Schnorr(nil), c.PoK...)}
	}
	one := group.ScalarFromUint64(1)
	for _, tc := range []struct {
		name   string
		params Params
		dealer int
		ctx    proof.Context
		c      func() *Commitments
		want   error // nil for valid
	}{
		{"good", params, 1, ctx, clone, nil},
		{"too few", params, 1, ctx, func() *Commitments { x := clone(); x.C, x.PoK = x.C[:1], x.PoK[:1]; return x }, ErrCommitmentCount},
		{"too many", params, 1, ctx, func() *Commitments {
			x := clone()
			x.C, x.PoK = append(x.C, other.C[1]), append(x.PoK, other.PoK[1])
			return x
		}, ErrCommitmentCount},
		{"none", params, 1, ctx, func() *Commitments { return &Commitments{} }, ErrCommitmentCount},
		{"fewer proofs", params, 1, ctx, func() *Commitments { x := clone(); x.PoK = x.PoK[:1]; return x }, ErrCommitmentCount},
		{"nil", params, 1, ctx, func() *Commitments { return nil }, ErrMissing},
		{"nil point", params, 1, ctx, func() *Commitments { x := clone(); x.C[1] = nil; return x }, ErrMissing},
		{"identity", params, 1, ctx, func() *Commitments { x := clone(); x.C[0] = group.NewIdentity(); return x }, ErrIdentity},
		{"tampered z", params, 1, ctx, func() *Commitments {
			x := clone()
			x.PoK[1] = &proof.Schnorr{R: x.PoK[1].R, Z: new(group.Scalar).Add(x.PoK[1].Z, one)}
			return x
		}, proof.ErrEquation},
		{"tampered commitment", params, 1, ctx, func() *Commitments {
			x := clone()
			x.C[0] = new(group.Point).Add(x.C[0], group.Generator())
			return x
		}, proof.ErrEquation},
		{"coefficients swapped", params, 1, ctx, func() *Commitments {
			x := clone()
			x.C[0], x.C[1], x.PoK[0], x.PoK[1] = x.C[1], x.C[0], x.PoK[1], x.PoK[0]
			return x
		}, proof.ErrEquation},
		{"another dealer's proof", params, 1, ctx, func() *Commitments {
			x := clone()
			x.C[1], x.PoK[1] = other.C[1], other.PoK[1]
			return x
		}, proof.ErrEquation},
		{"claimed by another dealer", params, 2, ctx, clone, proof.ErrEquation},
		{"other election", params, 1, testContext("elsewhere"), clone, proof.ErrEquation},
		{"dealer out of range", params, 4, ctx, clone, ErrIndex},
		{"bad params", Params{N: 3, T: 4}, 1, ctx, clone, ErrParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := VerifyCommitments(tc.params, tc.dealer, tc.ctx, tc.c())
			if tc.want == nil {
				if err != nil {
					t.Fatalf("VerifyCommitments: %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) {
				t.Fatalf("VerifyCommitments: err = %v, want %v", err, tc.want)
			}
		})
	}
}

// TestCommitmentClaimsBatch checks that a batch of several dealers'
// commitments names exactly the bad dealer and coefficient.
func TestCommitmentClaimsBatch(t *testing.T) {
	params := Params{N: 4, T: 3}
	ctx := testContext("batch")
	var b proof.Batch
	for i := 1; i <= params.N; i++ {
		_, c, err := NewDealing(params, i, ctx, detRand("batch"))
		if err != nil {
			t.Fatal(err)
		}
		if i == 3 {
			c.PoK[2] = &proof.Schnorr{R: c.PoK[2].R, Z: new(group.Scalar).Add(c.PoK[2].Z, group.ScalarFromUint64(1))}
		}
		claims, err := CommitmentClaims(params, i, ctx, c)
		if err != nil {
			t.Fatal(err)
		}
		b.Add(claims...)
	}
	errs := b.Verify()
	if errs == nil {
		t.Fatal("batch with a bad proof passed")
	}
	for i, err := range errs {
		if (err != nil) != (i == 2) {
			t.Errorf("item %d: err = %v", i, err)
		}
	}
	if want := "dealer 3: coefficient 2: schnorr proof"; errs[2] == nil || !strings.Contains(errs[2].Error(), want) {
		t.Errorf("error %q does not name %q", errs[2], want)
	}
}

func TestCommitmentsEncoding(t *testing.T) {
	params := Params{N: 5, T: 3}
	_, c, err := NewDealing(params, 4, testContext("enc"), detRand("enc"))
	if err != nil {
		t.Fatal(err)
	}
	b := c.Bytes()
	if len(b) != CommitmentsSize(params.T) {
		t.Fatalf("len = %d, want %d", len(b), CommitmentsSize(params.T))
	}
	d, err := DecodeCommitments(params, b)
	if err != nil {
		t.Fatal(err)
	}
	if string(d.Bytes()) != string(b) {
		t.Error("decode then encode changed the bytes")
	}
	if err := VerifyCommitments(params, 4, testContext("enc"), d); err != nil {
		t.Error(err)
	}
	withCount := func(n uint16, body []byte) []byte { return append([]byte{byte(n >> 8), byte(n)}, body...) }
	for _, tc := range []struct {
		name   string
		params Params
		b      []byte
		want   error
	}{
		{"empty", params, nil, ErrEncoding},
		{"one byte", params, b[:1], ErrEncoding},
		{"count t−1", params, withCount(2, b[2:2+2*commitmentSize]), ErrCommitmentCount},
		{"count t+1", params, withCount(4, append(append([]byte(nil), b[2:]...), b[2:2+commitmentSize]...)), ErrCommitmentCount},
		{"count 0", params, withCount(0, nil), ErrCommitmentCount},
		{"count t, body short", params, b[:len(b)-1], ErrEncoding},
		{"trailing byte", params, append(append([]byte(nil), b...), 0), ErrEncoding},
		{"decoded under other t", Params{N: 5, T: 2}, b, ErrCommitmentCount},
		{"identity commitment", params, patch(b, 2, make([]byte, 32)), group.ErrIdentity},
		{"non-canonical commitment", params, patch(b, 2+commitmentSize, allFF(32)), group.ErrNonCanonical},
		{"identity R", params, patch(b, 2+32, make([]byte, 32)), group.ErrIdentity},
		{"unreduced z", params, patch(b, 2+2*commitmentSize+64, allFF(32)), group.ErrScalarRange},
		{"bad params", Params{N: 1, T: 2}, b, ErrParams},
	} {
		if _, err := DecodeCommitments(tc.params, tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// patch returns a copy of b with p written at off.
func patch(b []byte, off int, p []byte) []byte {
	out := append([]byte(nil), b...)
	copy(out[off:], p)
	return out
}

func allFF(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = 0xff
	}
	return b
}
