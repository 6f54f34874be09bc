package election

import "slices"

// checkComplaint is the payload rule of a complaint entry (check 31):
// strict encoding, the accuser is the author, the accused dealer's dealing
// is on the record (ErrTooEarly otherwise: it may still arrive), and the
// accuser has not complained about that dealer before.
func checkComplaint(r *Record, in *incoming) (func(), error) {
	c, err := DecodeComplaint(r.params, in.e.Payload)
	if err != nil {
		return nil, checkError(CheckComplaint, err)
	}
	if c.Accuser != in.trustee {
		return nil, failf(CheckComplaint, "%w: complaint by trustee %d, signed by trustee %d", ErrTrusteeEntry, c.Accuser, in.trustee)
	}
	if _, ok := r.dealings[c.Dealer]; !ok {
		return nil, failf(CheckComplaint, "%w: trustee %d has not dealt", ErrTooEarly, c.Dealer)
	}
	tc := c.Threshold()
	if slices.Contains(r.complaints, tc) {
		return nil, failf(CheckComplaint, "%w: trustee %d has already complained about dealer %d", ErrTrusteeEntry, c.Accuser, c.Dealer)
	}
	return func() { r.complaints = append(r.complaints, tc) }, nil
}
