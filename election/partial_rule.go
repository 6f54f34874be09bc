package election

// checkPartial is the payload rule of a partial entry: check 45 (strict
// encoding for the manifest's contests, and the trustee is the author) and
// check 46 (the trustee has not posted a partial before, and every partial
// decryption's proof holds against the trustee's verification key, C13).
func checkPartial(r *Record, in *incoming) (func(), error) {
	p, err := DecodePartial(r.manifest, in.e.Payload)
	if err != nil {
		return nil, checkError(CheckPartialEncoding, err)
	}
	if p.Trustee != in.trustee {
		return nil, failf(CheckPartialEncoding, "%w: partial by trustee %d, signed by trustee %d", ErrTrusteeEntry, p.Trustee, in.trustee)
	}
	if _, ok := r.partials[p.Trustee]; ok {
		return nil, failf(CheckPartialProofs, "%w: trustee %d has already posted its partial decryptions", ErrTrusteeEntry, p.Trustee)
	}
	V, err := r.ceremony.VerificationKey(p.Trustee)
	if err != nil {
		return nil, failf(CheckPartialProofs, "%w", err)
	}
	if err := p.Verify(r.manifest, r.id, r.aggregates, V); err != nil {
		return nil, failf(CheckPartialProofs, "trustee %d: %w", p.Trustee, err)
	}
	return func() { r.partials[p.Trustee] = p }, nil
}
