package proof

import (
	"errors"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

var testCtx = Context{Election: []byte("election-1")}

func mustScalar(t testing.TB) *group.Scalar {
	t.Helper()
	s, err := group.RandomScalar(nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSchnorr(t *testing.T) {
	x := mustScalar(t)
	X := new(group.Point).ScalarBaseMult(x)
	p, err := ProveSchnorr(testCtx, x, X, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(testCtx, X); err != nil {
		t.Fatalf("valid proof rejected: %v", err)
	}
	q, err := DecodeSchnorr(p.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(testCtx, X); err != nil {
		t.Fatalf("decoded proof rejected: %v", err)
	}
	other := new(group.Point).ScalarBaseMult(mustScalar(t))
	bad := map[string]error{
		"other key":      p.Verify(testCtx, other),
		"other context":  p.Verify(testCtx.WithUint64("dealer", 2), X),
		"other election": p.Verify(Context{Election: []byte("election-2")}, X),
		"tampered z":     (&Schnorr{R: p.R, Z: new(group.Scalar).Add(p.Z, group.ScalarFromUint64(1))}).Verify(testCtx, X),
		"tampered R":     (&Schnorr{R: new(group.Point).Add(p.R, group.Generator()), Z: p.Z}).Verify(testCtx, X),
	}
	for name, err := range bad {
		if !errors.Is(err, ErrEquation) {
			t.Errorf("%s: got %v, want ErrEquation", name, err)
		}
	}
}

func TestEqualDL(t *testing.T) {
	x := mustScalar(t)
	G := group.Generator()
	H1 := new(group.Point).ScalarBaseMult(x)
	G2 := new(group.Point).ScalarBaseMult(mustScalar(t))
	H2 := new(group.Point).ScalarMult(x, G2)
	p, err := ProveEqualDL(testCtx, x, G, H1, G2, H2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(testCtx, G, H1, G2, H2); err != nil {
		t.Fatalf("valid proof rejected: %v", err)
	}
	wrongH2 := new(group.Point).ScalarMult(mustScalar(t), G2)
	if err := p.Verify(testCtx, G, H1, G2, wrongH2); !errors.Is(err, ErrEquation) {
		t.Errorf("other H2: got %v", err)
	}
	// A proof honestly made for a false statement (wrong secret for H2) fails.
	q, err := ProveEqualDL(testCtx, x, G, H1, G2, wrongH2, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(testCtx, G, H1, G2, wrongH2); !errors.Is(err, ErrEquation) {
		t.Errorf("false statement: got %v", err)
	}
	if err := p.Verify(testCtx, G, H1, group.NewIdentity(), H2); !errors.Is(err, ErrStatement) {
		t.Errorf("identity base: got %v", err)
	}
}

func encrypt(t testing.TB, K *group.Point, m uint64) (*elgamal.Ciphertext, *group.Scalar) {
	t.Helper()
	ct, r, err := elgamal.EncryptRandom(K, group.ScalarFromUint64(m), nil)
	if err != nil {
		t.Fatal(err)
	}
	return ct, r
}

func TestZeroOrOne(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	for m := uint64(0); m <= 1; m++ {
		ct, r := encrypt(t, K, m)
		p, err := ProveZeroOrOne(testCtx, pk, ct, m, r, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.VerifyZeroOrOne(testCtx, K, ct); err != nil {
			t.Fatalf("m=%d: valid proof rejected: %v", m, err)
		}
		q, err := DecodeDisjunctive(p.Bytes(), 2)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.VerifyZeroOrOne(testCtx, K, ct); err != nil {
			t.Fatalf("m=%d: decoded proof rejected: %v", m, err)
		}
		if err := p.VerifyZeroOrOne(testCtx.WithUint64("option", 1), K, ct); !errors.Is(err, ErrChallenge) {
			t.Errorf("m=%d: moved to another option: got %v", m, err)
		}
	}
	// A ciphertext of 2 with a proof forced through the 0/1 machinery fails.
	ct, r := encrypt(t, K, 2)
	forged, err := proveOneOf(DomainZeroOrOne, testCtx, pk, ct, 0, 1, 1, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := forged.VerifyZeroOrOne(testCtx, K, ct); !errors.Is(err, ErrEquation) {
		t.Errorf("encryption of 2: got %v", err)
	}
}

func TestRange(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	for m := uint64(1); m <= 3; m++ {
		ct, r := encrypt(t, K, m)
		p, err := ProveRange(testCtx, pk, ct, 1, 3, m, r, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.VerifyRange(testCtx, K, ct, 1, 3); err != nil {
			t.Fatalf("m=%d: %v", m, err)
		}
		if err := p.VerifyRange(testCtx, K, ct, 0, 2); err == nil {
			t.Errorf("m=%d: proof accepted for another range", m)
		}
	}
	ct, r := encrypt(t, K, 4)
	if _, err := ProveRange(testCtx, pk, ct, 1, 3, 4, r, nil); !errors.Is(err, ErrStatement) {
		t.Errorf("prove out of range: got %v", err)
	}
	forged, err := proveOneOf(DomainRange, testCtx, pk, ct, 1, 3, 3, r, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := forged.VerifyRange(testCtx, K, ct, 1, 3); !errors.Is(err, ErrEquation) {
		t.Errorf("encryption of 4 in [1,3]: got %v", err)
	}
}

func TestBatchFindsBadItems(t *testing.T) {
	_, K, _ := elgamal.GenerateKey(nil)
	pk := elgamal.NewPublicKey(K)
	var b Batch
	const n = 40
	bad := map[int]bool{3: true, 17: true, 18: true, 39: true}
	for i := 0; i < n; i++ {
		m := uint64(i % 2)
		ct, r := encrypt(t, K, m)
		p, err := ProveZeroOrOne(testCtx, pk, ct, m, r, nil)
		if err != nil {
			t.Fatal(err)
		}
		if bad[i] {
			ct = &elgamal.Ciphertext{A: ct.A, B: new(group.Point).Add(ct.B, group.Generator())}
			// Keep the challenge valid so that only the equations fail.
			p, _ = proveOneOf(DomainZeroOrOne, testCtx, pk, ct, 0, 1, m, r, nil)
		}
		b.Add(p.ZeroOrOneClaim(testCtx, K, ct))
	}
	errs := b.Verify()
	if errs == nil {
		t.Fatal("batch with bad items passed")
	}
	for i := 0; i < n; i++ {
		if got := errs[i] != nil; got != bad[i] {
			t.Errorf("item %d: failed=%v, want %v (%v)", i, got, bad[i], errs[i])
		}
		if bad[i] && !errors.Is(errs[i], ErrEquation) {
			t.Errorf("item %d: got %v, want ErrEquation", i, errs[i])
		}
	}
}
