package threshold

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// tallyFixture is a finished 3-of-5 ceremony and an encrypted tally of 4.
type tallyFixture struct {
	c        *ceremony
	ctx      proof.Context
	ct       *elgamal.Ciphertext
	want     *group.Point
	partials map[int]*PartialDecryption
}

func newTallyFixture(t testing.TB) *tallyFixture {
	t.Helper()
	params := Params{N: 5, T: 3}
	ctx := testContext("tally")
	rand := detRand("tally")
	c := runCeremony(t, params, ctx, rand, misbehaviour{})
	ct, _, err := elgamal.EncryptRandom(c.result.Key, group.ScalarFromUint64(4), rand)
	if err != nil {
		t.Fatal(err)
	}
	f := &tallyFixture{c: c, ctx: ctx, ct: ct, want: mustPoint(t, group.ScalarFromUint64(4)), partials: make(map[int]*PartialDecryption)}
	for j := 1; j <= params.N; j++ {
		if f.partials[j], err = PartialDecrypt(ctx, j, c.secrets[j], c.result.VerificationKeys[j-1], ct.A, rand); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

// badPartials returns wrong partial decryptions for trustee 2, each made a
// different way, with the error VerifyPartial must give.
func (f *tallyFixture) badPartials(t *testing.T) map[string]struct {
	pd   *PartialDecryption
	want error
} {
	t.Helper()
	rand := detRand("bad partials")
	V2 := f.c.result.VerificationKeys[1]
	A := f.ct.A
	good := f.partials[2]
	out := make(map[string]struct {
		pd   *PartialDecryption
		want error
	})
	add := func(name string, pd *PartialDecryption, want error) {
		out[name] = struct {
			pd   *PartialDecryption
			want error
		}{pd, want}
	}

	// D' = s'·A, proved with the wrong secret s' against V_2.
	s := plusOne(f.c.secrets[2])
	D := new(group.Point).ScalarMult(s, A)
	pi, err := proof.ProveEqualDL(partialContext(f.ctx, 2), s, group.Generator(), V2, A, D, rand)
	if err != nil {
		t.Fatal(err)
	}
	add("wrong secret", &PartialDecryption{D: D, Proof: pi}, proof.ErrEquation)

	// D' = s'·A, proved honestly for the key V' = s'·G instead of V_2.
	pi, err = proof.ProveEqualDL(partialContext(f.ctx, 2), s, group.Generator(), mustPoint(t, s), A, D, rand)
	if err != nil {
		t.Fatal(err)
	}
	add("proof for another key", &PartialDecryption{D: D, Proof: pi}, proof.ErrEquation)

	// A valid partial decryption of another ciphertext.
	other, _, err := elgamal.EncryptRandom(f.c.result.Key, group.ScalarFromUint64(1), rand)
	if err != nil {
		t.Fatal(err)
	}
	pd, err := PartialDecrypt(f.ctx, 2, f.c.secrets[2], V2, other.A, rand)
	if err != nil {
		t.Fatal(err)
	}
	add("proof for another A", pd, proof.ErrEquation)
	add("right D, proof for another A", &PartialDecryption{D: good.D, Proof: pd.Proof}, proof.ErrEquation)

	add("tampered z", &PartialDecryption{D: good.D, Proof: &proof.EqualDL{R1: good.Proof.R1, R2: good.Proof.R2, Z: plusOne(good.Proof.Z)}}, proof.ErrEquation)
	add("tampered D", &PartialDecryption{D: new(group.Point).Add(good.D, group.Generator()), Proof: good.Proof}, proof.ErrEquation)
	add("swapped commitments", &PartialDecryption{D: good.D, Proof: &proof.EqualDL{R1: good.Proof.R2, R2: good.Proof.R1, Z: good.Proof.Z}}, proof.ErrEquation)
	add("trustee 3's partial", f.partials[3], proof.ErrEquation)

	pd, err = PartialDecrypt(testContext("other election"), 2, f.c.secrets[2], V2, A, rand)
	if err != nil {
		t.Fatal(err)
	}
	add("other election", pd, proof.ErrEquation)
	add("nil", nil, ErrMissing)
	add("nil proof", &PartialDecryption{D: good.D}, ErrMissing)
	return out
}

func TestVerifyPartialRejects(t *testing.T) {
	f := newTallyFixture(t)
	V2 := f.c.result.VerificationKeys[1]
	if err := VerifyPartial(f.ctx, 2, V2, f.ct.A, f.partials[2]); err != nil {
		t.Fatalf("good partial: %v", err)
	}
	for name, tc := range f.badPartials(t) {
		err := VerifyPartial(f.ctx, 2, V2, f.ct.A, tc.pd)
		if !errors.Is(err, tc.want) || !strings.Contains(fmt.Sprint(err), "trustee 2") {
			t.Errorf("%s: err = %v, want %v naming trustee 2", name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name    string
		trustee int
		V, A    *group.Point
		want    error
	}{
		{"trustee 0", 0, V2, f.ct.A, ErrIndex},
		{"trustee too large", MaxTrustees + 1, V2, f.ct.A, ErrIndex},
		{"identity A", 2, V2, group.NewIdentity(), proof.ErrStatement},
		{"nil A", 2, V2, nil, ErrMissing},
		{"nil V", 2, nil, f.ct.A, ErrMissing},
		{"another trustee's key", 2, f.c.result.VerificationKeys[2], f.ct.A, proof.ErrEquation},
	} {
		if err := VerifyPartial(f.ctx, tc.trustee, tc.V, tc.A, f.partials[2]); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

// TestDecryptExcludesBadPartial puts each bad partial among honest ones:
// it is excluded by name and the tally still comes out from the others.
func TestDecryptExcludesBadPartial(t *testing.T) {
	f := newTallyFixture(t)
	for name, tc := range f.badPartials(t) {
		t.Run(name, func(t *testing.T) {
			cands := []Candidate{
				{Trustee: 1, Partial: f.partials[1]},
				{Trustee: 2, Partial: tc.pd},
				{Trustee: 3, Partial: f.partials[3]},
				{Trustee: 5, Partial: f.partials[5]},
			}
			d, err := Decrypt(f.ctx, f.c.result, f.ct, cands)
			if err != nil {
				t.Fatal(err)
			}
			if !d.M.Equal(f.want) {
				t.Error("M ≠ 4·G")
			}
			if fmt.Sprint(d.Used) != "[1 3 5]" {
				t.Errorf("used %v, want [1 3 5]", d.Used)
			}
			if len(d.Excluded) != 1 || d.Excluded[0].Trustee != 2 || !errors.Is(d.Excluded[0].Reason, tc.want) {
				t.Errorf("excluded %v, want trustee 2 for %v", d.Excluded, tc.want)
			}

			// With only t candidates, one bad leaves too few.
			_, err = Decrypt(f.ctx, f.c.result, f.ct, cands[:3])
			var de *DecryptError
			if !errors.Is(err, ErrTooFew) || !errors.As(err, &de) || fmt.Sprint(de.Valid) != "[1 3]" || len(de.Excluded) != 1 {
				t.Errorf("t candidates with one bad: err = %v", err)
			}
		})
	}
}

func TestDecryptCandidates(t *testing.T) {
	f := newTallyFixture(t)
	p := f.partials
	for _, tc := range []struct {
		name     string
		cands    []Candidate
		used     string
		excluded []Exclusion
		tooFew   bool
	}{
		{"all five, first three used", []Candidate{{5, p[5]}, {4, p[4]}, {3, p[3]}, {2, p[2]}, {1, p[1]}}, "[1 2 3]", nil, false},
		{"duplicate valid", []Candidate{{1, p[1]}, {1, p[1]}, {2, p[2]}, {4, p[4]}}, "[1 2 4]", []Exclusion{{1, ErrDuplicate}}, false},
		{"bad then good for one trustee", []Candidate{{1, p[2]}, {1, p[1]}, {2, p[2]}, {4, p[4]}}, "[1 2 4]", []Exclusion{{1, proof.ErrEquation}}, false},
		{"index out of range", []Candidate{{0, p[1]}, {6, p[1]}, {1, p[1]}, {2, p[2]}, {4, p[4]}}, "[1 2 4]", []Exclusion{{0, ErrIndex}, {6, ErrIndex}}, false},
		{"duplicates do not make t", []Candidate{{1, p[1]}, {1, p[1]}, {2, p[2]}}, "", []Exclusion{{1, ErrDuplicate}}, true},
		{"none", nil, "", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Decrypt(f.ctx, f.c.result, f.ct, tc.cands)
			var excluded []Exclusion
			if tc.tooFew {
				var de *DecryptError
				if !errors.As(err, &de) {
					t.Fatalf("err = %v, want DecryptError", err)
				}
				excluded = de.Excluded
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if !d.M.Equal(f.want) || fmt.Sprint(d.Used) != tc.used {
					t.Errorf("used %v (want %s), M = 4·G: %v", d.Used, tc.used, d.M.Equal(f.want))
				}
				excluded = d.Excluded
			}
			if len(excluded) != len(tc.excluded) {
				t.Fatalf("excluded %v, want %v", excluded, tc.excluded)
			}
			for k, e := range excluded {
				if e.Trustee != tc.excluded[k].Trustee || !errors.Is(e.Reason, tc.excluded[k].Reason) {
					t.Errorf("exclusion %d: %v, want %v", k, e, tc.excluded[k])
				}
			}
		})
	}
	// An aggregate of nothing: A = 0, M = B, no trustee needed.
	empty := elgamal.Zero()
	d, err := Decrypt(f.ctx, f.c.result, empty, nil)
	if err != nil || !d.M.IsIdentity() || len(d.Used) != 0 {
		t.Errorf("empty aggregate: %v, %+v", err, d)
	}
	if _, err := Decrypt(f.ctx, nil, f.ct, nil); !errors.Is(err, ErrMissing) {
		t.Errorf("nil result: err = %v", err)
	}
	if _, err := Decrypt(f.ctx, f.c.result, nil, nil); !errors.Is(err, ErrMissing) {
		t.Errorf("nil ciphertext: err = %v", err)
	}
}

func TestPartialDecryptRejects(t *testing.T) {
	f := newTallyFixture(t)
	s2, V2, A := f.c.secrets[2], f.c.result.VerificationKeys[1], f.ct.A
	for _, tc := range []struct {
		name    string
		trustee int
		s       *group.Scalar
		V, A    *group.Point
		want    error
	}{
		{"trustee 0", 0, s2, V2, A, ErrIndex},
		{"identity A", 2, s2, V2, group.NewIdentity(), ErrIdentity},
		{"secret does not match V", 2, plusOne(s2), V2, A, ErrShareMismatch},
		{"nil secret", 2, nil, V2, A, ErrMissing},
		{"nil A", 2, s2, V2, nil, ErrMissing},
	} {
		if _, err := PartialDecrypt(f.ctx, tc.trustee, tc.s, tc.V, tc.A, detRand("x")); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestPartialDecryptionEncoding(t *testing.T) {
	f := newTallyFixture(t)
	b := f.partials[3].Bytes()
	if len(b) != PartialDecryptionSize {
		t.Fatalf("len = %d, want %d", len(b), PartialDecryptionSize)
	}
	pd, err := DecodePartialDecryption(b)
	if err != nil {
		t.Fatal(err)
	}
	if string(pd.Bytes()) != string(b) {
		t.Error("round trip changed the bytes")
	}
	if err := VerifyPartial(f.ctx, 3, f.c.result.VerificationKeys[2], f.ct.A, pd); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		name string
		b    []byte
		want error
	}{
		{"empty", nil, ErrEncoding},
		{"short", b[:len(b)-1], ErrEncoding},
		{"trailing", append(append([]byte(nil), b...), 0), ErrEncoding},
		{"identity D", patch(b, 0, make([]byte, 32)), group.ErrIdentity},
		{"non-canonical D", patch(b, 0, allFF(32)), group.ErrNonCanonical},
		{"identity R1", patch(b, 32, make([]byte, 32)), group.ErrIdentity},
		{"non-canonical R2", patch(b, 64, allFF(32)), group.ErrNonCanonical},
		{"unreduced z", patch(b, 96, allFF(32)), group.ErrScalarRange},
	} {
		if _, err := DecodePartialDecryption(tc.b); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCombine(t *testing.T) {
	f := newTallyFixture(t)
	params := f.c.result.Params
	sh := func(j int) DecryptionShare { return DecryptionShare{Trustee: j, D: f.partials[j].D} }
	bogus := func(j int) DecryptionShare { return DecryptionShare{Trustee: j, D: group.Generator()} }
	for _, tc := range []struct {
		name   string
		params Params
		B      *group.Point
		shares []DecryptionShare
		want   error // nil: M must be 4·G
	}{
		{"t shares", params, f.ct.B, []DecryptionShare{sh(4), sh(2), sh(5)}, nil},
		{"extra share beyond the t smallest is not used", params, f.ct.B, []DecryptionShare{sh(1), sh(2), sh(3), bogus(5)}, nil},
		{"duplicate index", params, f.ct.B, []DecryptionShare{sh(1), sh(2), sh(2), sh(3)}, ErrDuplicateIndex},
		{"index 0", params, f.ct.B, []DecryptionShare{{Trustee: 0, D: f.partials[1].D}, sh(2), sh(3)}, ErrIndex},
		{"index n+1", params, f.ct.B, []DecryptionShare{sh(1), sh(2), {Trustee: 6, D: f.partials[1].D}}, ErrIndex},
		{"negative index", params, f.ct.B, []DecryptionShare{sh(1), sh(2), {Trustee: -3, D: f.partials[3].D}}, ErrIndex},
		{"fewer than t", params, f.ct.B, []DecryptionShare{sh(1), sh(2)}, ErrTooFew},
		{"none", params, f.ct.B, nil, ErrTooFew},
		{"nil D", params, f.ct.B, []DecryptionShare{sh(1), sh(2), {Trustee: 3}}, ErrMissing},
		{"nil B", params, nil, []DecryptionShare{sh(1), sh(2), sh(3)}, ErrMissing},
		{"bad params", Params{N: 2, T: 3}, f.ct.B, []DecryptionShare{sh(1), sh(2), sh(3)}, ErrParams},
	} {
		M, err := Combine(tc.params, tc.B, tc.shares)
		if tc.want == nil {
			if err != nil || !M.Equal(f.want) {
				t.Errorf("%s: err = %v, M = 4·G: %v", tc.name, err, err == nil && M.Equal(f.want))
			}
			continue
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	// A bogus share among the t smallest changes M: Combine trusts its input.
	M, err := Combine(params, f.ct.B, []DecryptionShare{sh(1), bogus(2), sh(3), sh(4)})
	if err != nil || M.Equal(f.want) {
		t.Errorf("a bogus share among the first t went unnoticed: err = %v", err)
	}
}
