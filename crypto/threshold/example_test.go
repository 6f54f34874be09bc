package threshold_test

import (
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// Example runs a 2-of-3 key ceremony in memory, with every trustee honest,
// and decrypts a sum of votes with trustees 1 and 3.
func Example() {
	params := threshold.Params{N: 3, T: 2}
	ctx := proof.Context{Election: []byte("example election id")}

	// Each trustee publishes an encryption key and its commitments.
	keys := make(map[int]*threshold.EncryptionKey)
	polys := make(map[int]*threshold.Polynomial)
	commitments := make(map[int]*threshold.Commitments)
	for i := 1; i <= params.N; i++ {
		keys[i], _ = threshold.GenerateEncryptionKey(nil)
		f, c, err := threshold.NewDealing(params, i, ctx, nil)
		if err != nil {
			panic(err)
		}
		if err := threshold.VerifyCommitments(params, i, ctx, c); err != nil {
			panic(err)
		}
		polys[i], commitments[i] = f, c
	}

	// Shares travel encrypted; each recipient decrypts and checks them.
	received := make(map[int]map[int]*group.Scalar)
	for j := 1; j <= params.N; j++ {
		received[j] = make(map[int]*group.Scalar)
		for i := 1; i <= params.N; i++ {
			s, _ := polys[i].Share(j)
			if i != j {
				ct, _ := threshold.EncryptShare(params, ctx, i, j, keys[j].Public(), s)
				s, _ = threshold.DecryptShare(params, ctx, i, j, keys[j], ct)
			}
			if err := threshold.VerifyShare(params, i, j, s, commitments[i]); err != nil {
				panic(err) // in a real ceremony: post a Complaint
			}
			received[j][i] = s
		}
	}

	// Everyone computes the same outcome from the public record.
	res, err := threshold.Qualify(params, commitments, nil, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("qualified:", res.QUAL)

	// Voters encrypt under the joint key; the ciphertexts add up.
	var ballots []*elgamal.Ciphertext
	for _, v := range []uint64{1, 0, 1, 1} {
		ct, _, _ := elgamal.EncryptRandom(res.Key, group.ScalarFromUint64(v), nil)
		ballots = append(ballots, ct)
	}
	sum := elgamal.Sum(ballots)

	// Trustees 1 and 3 decrypt their part; anyone verifies and combines.
	var cands []threshold.Candidate
	for _, j := range []int{1, 3} {
		s, err := threshold.CombineShares(res, j, received[j])
		if err != nil {
			panic(err)
		}
		pd, err := threshold.PartialDecrypt(ctx, j, s, res.VerificationKeys[j-1], sum.A, nil)
		if err != nil {
			panic(err)
		}
		cands = append(cands, threshold.Candidate{Trustee: j, Partial: pd})
	}
	d, err := threshold.Decrypt(ctx, res, sum, cands)
	if err != nil {
		panic(err)
	}
	fmt.Println("used:", d.Used)
	fmt.Println("sum is 3:", d.M.Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(3))))
	// Output:
	// qualified: [1 2 3]
	// used: [1 3]
	// sum is 3: true
}
