package election

import (
	"slices"

	"github.com/evote/evote/crypto/threshold"
)

// checkReveal is the payload rule of a reveal entry (check 32): strict
// encoding, the dealer is the author, it answers a complaint on the record
// (ErrTooEarly otherwise: the complaint may still arrive), and the dealer
// has not answered that complaint before. Whether the share matches the
// dealer's commitments (C11) is decided by threshold.Qualify when the open
// entry arrives: a bad reveal disqualifies its dealer, so the record keeps
// it as evidence.
func checkReveal(r *Record, in *incoming) (func(), error) {
	rv, err := DecodeReveal(r.params, in.e.Payload)
	if err != nil {
		return nil, checkError(CheckReveal, err)
	}
	if rv.Dealer != in.trustee {
		return nil, failf(CheckReveal, "%w: reveal by dealer %d, signed by trustee %d", ErrTrusteeEntry, rv.Dealer, in.trustee)
	}
	if !slices.Contains(r.complaints, threshold.Complaint{Accuser: rv.Accuser, Dealer: rv.Dealer}) {
		return nil, failf(CheckReveal, "%w: trustee %d has not complained about dealer %d", ErrTooEarly, rv.Accuser, rv.Dealer)
	}
	if slices.ContainsFunc(r.reveals, func(x threshold.Reveal) bool { return x.Dealer == rv.Dealer && x.Accuser == rv.Accuser }) {
		return nil, failf(CheckReveal, "%w: dealer %d has already revealed the share of trustee %d", ErrTrusteeEntry, rv.Dealer, rv.Accuser)
	}
	return func() { r.reveals = append(r.reveals, rv.Threshold()) }, nil
}
