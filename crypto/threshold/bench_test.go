package threshold

import (
	"testing"
)

func BenchmarkNewDealing3of5(b *testing.B) {
	params := Params{N: 5, T: 3}
	ctx := testContext("bench")
	for b.Loop() {
		if _, _, err := NewDealing(params, 1, ctx, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyCommitments3of5(b *testing.B) {
	params := Params{N: 5, T: 3}
	ctx := testContext("bench")
	_, c, err := NewDealing(params, 1, ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if err := VerifyCommitments(params, 1, ctx, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyShare3of5(b *testing.B) {
	params := Params{N: 5, T: 3}
	f, c, err := NewDealing(params, 1, testContext("bench"), nil)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := f.Share(4)
	for b.Loop() {
		if err := VerifyShare(params, 1, 4, s, c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncryptDecryptShare(b *testing.B) {
	params := Params{N: 5, T: 3}
	ctx := testContext("bench")
	k, err := GenerateEncryptionKey(nil)
	if err != nil {
		b.Fatal(err)
	}
	f, _, err := NewDealing(params, 1, ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := f.Share(2)
	for b.Loop() {
		ct, err := EncryptShare(params, ctx, 1, 2, k.Public(), s)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DecryptShare(params, ctx, 1, 2, k, ct); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkQualify3of5(b *testing.B) {
	fx := newTallyFixture(b)
	for b.Loop() {
		if _, err := Qualify(fx.c.params, fx.c.commitments, nil, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPartialDecrypt(b *testing.B) {
	fx := newTallyFixture(b)
	s, V := fx.c.secrets[2], fx.c.result.VerificationKeys[1]
	for b.Loop() {
		if _, err := PartialDecrypt(fx.ctx, 2, s, V, fx.ct.A, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyPartial(b *testing.B) {
	fx := newTallyFixture(b)
	V := fx.c.result.VerificationKeys[1]
	for b.Loop() {
		if err := VerifyPartial(fx.ctx, 2, V, fx.ct.A, fx.partials[2]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCombine3of5 is the Lagrange combination of three verified shares.
func BenchmarkCombine3of5(b *testing.B) {
	fx := newTallyFixture(b)
	shares := []DecryptionShare{{1, fx.partials[1].D}, {3, fx.partials[3].D}, {5, fx.partials[5].D}}
	for b.Loop() {
		if _, err := Combine(fx.c.params, fx.ct.B, shares); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecrypt3of5 verifies five candidate partials in one batch and
// combines three.
func BenchmarkDecrypt3of5(b *testing.B) {
	fx := newTallyFixture(b)
	var cands []Candidate
	for j := 1; j <= 5; j++ {
		cands = append(cands, Candidate{Trustee: j, Partial: fx.partials[j]})
	}
	for b.Loop() {
		if _, err := Decrypt(fx.ctx, fx.c.result, fx.ct, cands); err != nil {
			b.Fatal(err)
		}
	}
}
