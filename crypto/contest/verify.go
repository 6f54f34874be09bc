package contest

import (
	"fmt"

	"github.com/evote/evote/crypto/elgamal"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// Claims returns every check of e: a zero-or-one claim per option and the
// range claim on their sum. A shape that does not fit spec gives one failed
// claim.
func (e *Encrypted) Claims(b Binding, spec Spec, K *group.Point) []*proof.Claim {
	if err := spec.Validate(); err != nil {
		return []*proof.Claim{proof.FailedClaim("contest", err)}
	}
	if len(e.Options) != spec.Options || e.Range == nil {
		return []*proof.Claim{proof.FailedClaim("contest", fmt.Errorf("%d options, want %d", len(e.Options), spec.Options))}
	}
	claims := make([]*proof.Claim, 0, len(e.Options)+1)
	cts := make([]*elgamal.Ciphertext, len(e.Options))
	for i, o := range e.Options {
		claims = append(claims, o.Proof.ZeroOrOneClaim(b.optionContext(i), K, o.Ciphertext).Named(fmt.Sprintf("option %d", i)))
		cts[i] = o.Ciphertext
	}
	if e.sum != nil {
		return append(claims, e.Range.RangeClaimOfSummed(b.contestContext(), K, cts, e.sum, spec.Min, spec.Max))
	}
	return append(claims, e.Range.RangeClaimOfSum(b.contestContext(), K, cts, spec.Min, spec.Max))
}

// PrepareSums computes, for each contest, the sum of its options'
// ciphertexts that its range proof is about, with the sum's encoding for
// the transcript, eight encodings at a time (group.EncodePoints); Claims
// then uses them. Encoding a computed point costs a square root, so a
// verifier of many ballots saves most of it. Every contest must hold as
// many options as its spec; no other goroutine may use es meanwhile.
func PrepareSums(es []*Encrypted) {
	pts := make([]*group.Point, 0, 2*len(es))
	for _, e := range es {
		if e.sum == nil {
			cts := make([]*elgamal.Ciphertext, len(e.Options))
			for i, o := range e.Options {
				cts[i] = o.Ciphertext
			}
			e.sum = elgamal.Sum(cts)
		}
		pts = append(pts, e.sum.A, e.sum.B)
	}
	group.EncodePoints(pts)
}

// Verify checks all of e's proofs, alone, and names the first failing check.
func (e *Encrypted) Verify(b Binding, spec Spec, K *group.Point) error {
	return proof.VerifyAll(e.Claims(b, spec, K.Encoded())...)
}

// Item is one encrypted contest with what it is bound to, for VerifyBatch.
type Item struct {
	Binding   Binding
	Encrypted *Encrypted
}

// VerifyBatch checks many encrypted contests of the same spec under the same
// key at once, building their claims on all cores, and returns one error per
// item (nil if all are good).
func VerifyBatch(spec Spec, K *group.Point, items []Item) []error {
	K = K.Encoded() // one pointer, hashed from one encoding, merged in the batch
	claims := make([][]*proof.Claim, len(items))
	parallel(len(items), func(i int) {
		claims[i] = items[i].Encrypted.Claims(items[i].Binding, spec, K)
	})
	var batch proof.Batch
	for _, c := range claims {
		batch.Add(c...)
	}
	return batch.Verify()
}
