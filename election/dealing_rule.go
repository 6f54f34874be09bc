package election

import (
	"github.com/evote/evote/crypto/threshold"
)

// checkDealing is the payload rule of a dealing entry: check 28 (strict
// encoding, and the dealer is the author), check 30 (the dealer has not
// dealt before) and check 29 (the commitments and their proofs of
// knowledge verify, C9). The share ciphertexts are checked by their
// recipients, who complain if one fails.
func checkDealing(r *Record, in *incoming) (func(), error) {
	d, err := DecodeDealing(r.params, in.e.Payload)
	if err != nil {
		return nil, checkError(CheckDealingEncoding, err)
	}
	if d.Dealer != in.trustee {
		return nil, failf(CheckDealingEncoding, "%w: dealing by dealer %d, signed by trustee %d", ErrTrusteeEntry, d.Dealer, in.trustee)
	}
	if prev, ok := r.dealings[d.Dealer]; ok {
		return nil, failf(CheckDealingOnce, "trustee %d has already dealt (entry %s)", d.Dealer, prev)
	}
	if err := threshold.VerifyCommitments(r.params, d.Dealer, r.ctx, d.Commitments); err != nil {
		return nil, failf(CheckDealingProofs, "%w", err)
	}
	return func() {
		r.commitments[d.Dealer] = d.Commitments
		r.dealings[d.Dealer] = in.id
	}, nil
}
