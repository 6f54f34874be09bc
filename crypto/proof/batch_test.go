package proof

import (
	"errors"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// mixedItem builds one item of every proof kind; bad selects which one to
// break: "" for none, or "schnorr", "equal-dl", "zero-or-one", "range".
func mixedItem(t *testing.T, pk *elgamal.PublicKey, bad string) []*Claim {
	t.Helper()
	x := mustScalar(t)
	X := new(group.Point).ScalarBaseMult(x)
	s, err := ProveSchnorr(testCtx, x, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bad == "schnorr" {
		s.Z.Add(s.Z, group.ScalarFromUint64(1))
	}
	A := new(group.Point).ScalarBaseMult(mustScalar(t))
	D := new(group.Point).ScalarMult(x, A)
	e, err := ProveEqualDL(testCtx, x, group.Generator(), X, A, D, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bad == "equal-dl" {
		D = new(group.Point).Add(D, group.Generator())
	}
	ct, r := encrypt(t, pk.K, 1)
	z, err := ProveZeroOrOne(testCtx, pk, ct, 1, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bad == "zero-or-one" {
		z.Branches[0].Z.Add(z.Branches[0].Z, group.ScalarFromUint64(1))
	}
	ct2, r2 := encrypt(t, pk.K, 3)
	rg, err := ProveRange(testCtx, pk, ct2, 2, 4, 3, r2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if bad == "range" {
		rg.Branches[2].Z.Add(rg.Branches[2].Z, group.ScalarFromUint64(1))
	}
	return []*Claim{
		s.Claim(testCtx, X),
		e.Claim(testCtx, group.Generator(), X, A, D),
		z.ZeroOrOneClaim(testCtx, pk.K, ct),
		rg.RangeClaim(testCtx, pk.K, ct2, 2, 4),
	}
}

func TestBatchMixedKinds(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	var b Batch
	wantKind := map[int]string{1: "schnorr", 4: "equal-dl", 6: "zero-or-one", 7: "range"}
	for i := 0; i < 10; i++ {
		b.Add(mixedItem(t, pk, wantKind[i])...)
	}
	errs := b.Verify()
	if errs == nil {
		t.Fatal("batch with bad items passed")
	}
	for i, err := range errs {
		kind, bad := wantKind[i]
		switch {
		case bad && !errors.Is(err, ErrEquation):
			t.Errorf("item %d (%s broken): got %v, want ErrEquation", i, kind, err)
		case !bad && err != nil:
			t.Errorf("good item %d rejected: %v", i, err)
		}
	}
	if err := VerifyAll(mixedItem(t, pk, "")...); err != nil {
		t.Errorf("VerifyAll rejected a good item: %v", err)
	}
	if err := VerifyAll(mixedItem(t, pk, "range")...); !errors.Is(err, ErrEquation) {
		t.Errorf("VerifyAll: got %v, want ErrEquation", err)
	}
}

// A claim whose challenge already failed is reported without any group work,
// and does not hide the good items beside it.
func TestBatchChallengeFailure(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	ct, r := encrypt(t, K, 0)
	p, err := ProveZeroOrOne(testCtx, pk, ct, 0, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	var b Batch
	b.Add(p.ZeroOrOneClaim(testCtx, K, ct))
	b.Add(p.ZeroOrOneClaim(testCtx.WithUint64("option", 9), K, ct))
	b.Add(p.ZeroOrOneClaim(testCtx, K, ct))
	errs := b.Verify()
	if errs == nil || errs[0] != nil || errs[2] != nil || !errors.Is(errs[1], ErrChallenge) {
		t.Fatalf("got %v, want only item 1 to fail with ErrChallenge", errs)
	}
	var empty Batch
	if empty.Verify() != nil {
		t.Error("an empty batch failed")
	}
}

func TestWrongBranchCount(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	ct, r := encrypt(t, K, 1)
	p, err := ProveZeroOrOne(testCtx, pk, ct, 1, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.VerifyRange(testCtx, K, ct, 0, 2); !errors.Is(err, ErrEncoding) {
		t.Errorf("2 branches for 3 values: got %v, want ErrEncoding", err)
	}
	if err := p.VerifyRange(testCtx, K, ct, 3, 1); !errors.Is(err, ErrStatement) {
		t.Errorf("empty range: got %v, want ErrStatement", err)
	}
	if _, err := DecodeDisjunctive(p.Bytes(), 3); !errors.Is(err, ErrEncoding) {
		t.Errorf("decode with wrong k: got %v", err)
	}
}
