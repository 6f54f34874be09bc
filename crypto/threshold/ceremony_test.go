package threshold

import (
	"fmt"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// TestCeremonyAndTally runs honest ceremonies, then encrypts a vote sum
// under the joint key and decrypts it with every subset of t trustees.
func TestCeremonyAndTally(t *testing.T) {
	for _, params := range []Params{{N: 1, T: 1}, {N: 3, T: 1}, {N: 3, T: 2}, {N: 3, T: 3}, {N: 5, T: 3}} {
		t.Run(fmt.Sprintf("%dof%d", params.T, params.N), func(t *testing.T) {
			rand := detRand(fmt.Sprintf("ceremony %d of %d", params.T, params.N))
			ctx := testContext("ceremony")
			c := runCeremony(t, params, ctx, rand, misbehaviour{})
			res := c.result
			if len(res.QUAL) != params.N || len(res.Disqualified) != 0 {
				t.Fatalf("QUAL = %v, disqualified %v; want everyone", res.QUAL, res.Disqualified)
			}
			checkKeys(t, c)

			// Encrypt a sum of votes 1+0+1+1+0+1+1+1+0+1 = 7 homomorphically.
			votes := []uint64{1, 0, 1, 1, 0, 1, 1, 1, 0, 1}
			var cts []*elgamal.Ciphertext
			for _, v := range votes {
				ct, _, err := elgamal.EncryptRandom(res.Key, group.ScalarFromUint64(v), rand)
				if err != nil {
					t.Fatal(err)
				}
				cts = append(cts, ct)
			}
			sum := elgamal.Sum(cts)
			want := mustPoint(t, group.ScalarFromUint64(7))

			partials := make(map[int]*PartialDecryption)
			for j := 1; j <= params.N; j++ {
				pd, err := PartialDecrypt(ctx, j, c.secrets[j], res.VerificationKeys[j-1], sum.A, rand)
				if err != nil {
					t.Fatal(err)
				}
				if err := VerifyPartial(ctx, j, res.VerificationKeys[j-1], sum.A, pd); err != nil {
					t.Fatalf("trustee %d: %v", j, err)
				}
				partials[j] = pd
			}
			for _, set := range subsets(params.N, params.T) {
				var cands []Candidate
				var shares []DecryptionShare
				for _, j := range set {
					cands = append(cands, Candidate{Trustee: j, Partial: partials[j]})
					shares = append(shares, DecryptionShare{Trustee: j, D: partials[j].D})
				}
				M, err := Combine(params, sum.B, shares)
				if err != nil {
					t.Fatalf("subset %v: %v", set, err)
				}
				if !M.Equal(want) {
					t.Errorf("subset %v: M ≠ 7·G", set)
				}
				d, err := Decrypt(ctx, res, sum, cands)
				if err != nil {
					t.Fatalf("subset %v: decrypt: %v", set, err)
				}
				if !d.M.Equal(want) || len(d.Excluded) != 0 || fmt.Sprint(d.Used) != fmt.Sprint(set) {
					t.Errorf("subset %v: decrypt used %v, excluded %v, M = 7·G: %v", set, d.Used, d.Excluded, d.M.Equal(want))
				}
			}
		})
	}
}

// checkKeys checks the ceremony's outputs against the secrets that only the
// test knows: K = (Σ a_i0)·G, V_j = s_j·G, and s_j = F(j) interpolates to
// the joint secret.
func checkKeys(t *testing.T, c *ceremony) {
	t.Helper()
	res := c.result
	if !res.Key.Equal(mustPoint(t, c.jointSecret())) {
		t.Error("joint key ≠ (Σ a_i0)·G")
	}
	sumC0 := group.NewIdentity()
	for _, i := range res.QUAL {
		sumC0.Add(sumC0, c.commitments[i].C[0])
	}
	if !res.Key.Equal(sumC0) {
		t.Error("joint key ≠ Σ C_i0")
	}
	for j := 1; j <= c.params.N; j++ {
		V, err := res.VerificationKey(j)
		if err != nil {
			t.Fatal(err)
		}
		if !V.Equal(mustPoint(t, c.secrets[j])) {
			t.Errorf("V_%d ≠ s_%d·G", j, j)
		}
	}
	// The first t secrets interpolate to the joint secret.
	idx := make([]int, c.params.T)
	for k := range idx {
		idx[k] = k + 1
	}
	x := group.NewScalar()
	for k, l := range lagrangeAtZero(idx) {
		x.Add(x, new(group.Scalar).Multiply(l, c.secrets[idx[k]]))
	}
	if !x.Equal(c.jointSecret()) {
		t.Error("the shares s_1..s_t do not interpolate to the joint secret")
	}
}

// TestQualifySameForEveryone runs Qualify as each trustee and an observer
// would, on the same public record, and gets the same outcome.
func TestQualifySameForEveryone(t *testing.T) {
	params := Params{N: 5, T: 3}
	mis := misbehaviour{
		badShare: map[pair]bool{{2, 4}: true, {5, 1}: true, {3, 1}: true},
		reveal:   map[pair]func(*group.Scalar) *group.Scalar{{5, 1}: noReveal},
	}
	c := runCeremony(t, params, testContext("same"), detRand("same"), mis)
	want := c.result
	for view := 0; view <= params.N; view++ {
		got, err := Qualify(params, cloneCommitments(c.commitments), c.complaints, c.reveals)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got.QUAL) != fmt.Sprint(want.QUAL) || !got.Key.Equal(want.Key) {
			t.Fatalf("view %d: QUAL %v, want %v; keys equal: %v", view, got.QUAL, want.QUAL, got.Key.Equal(want.Key))
		}
		for j := range got.VerificationKeys {
			if !got.VerificationKeys[j].Equal(want.VerificationKeys[j]) {
				t.Errorf("view %d: V_%d differs", view, j+1)
			}
		}
	}
	if fmt.Sprint(want.QUAL) != "[1 2 3 4]" {
		t.Errorf("QUAL = %v, want [1 2 3 4] (5 did not answer)", want.QUAL)
	}
	checkKeys(t, c)
}

func cloneCommitments(m map[int]*Commitments) map[int]*Commitments {
	out := make(map[int]*Commitments, len(m))
	for i, c := range m {
		out[i] = c
	}
	return out
}
