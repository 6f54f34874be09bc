package threshold

import (
	"fmt"
	"slices"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// Candidate is a partial decryption as posted by Trustee, not yet verified.
type Candidate struct {
	Trustee int
	Partial *PartialDecryption
}

// Exclusion says why a candidate was not used.
type Exclusion struct {
	Trustee int
	Reason  error
}

// Decryption is the outcome of Decrypt.
type Decryption struct {
	// M is the plaintext point m·G.
	M *group.Point
	// Used lists the trustees whose shares were combined, sorted.
	Used []int
	// Excluded lists, in input order, every candidate that failed a check.
	Excluded []Exclusion
}

// DecryptError is returned when fewer than t candidates are valid; it
// carries the evidence and wraps ErrTooFew.
type DecryptError struct {
	Valid    []int
	T        int
	Excluded []Exclusion
}

func (e *DecryptError) Error() string {
	msg := fmt.Sprintf("%v valid partial decryptions: trustees %v, need t = %d", ErrTooFew, e.Valid, e.T)
	for _, x := range e.Excluded {
		msg += fmt.Sprintf("; excluded %v", x.Reason) // each reason names its trustee
	}
	return msg
}

func (e *DecryptError) Unwrap() error { return ErrTooFew }

// Decrypt verifies every candidate partial decryption of ct against the
// verification keys in res (in one batch), excludes each invalid one with a
// named reason, and combines the valid ones (see Combine). A candidate is
// excluded when its trustee index is outside 1..n, when its proof fails,
// or when an earlier candidate of the same trustee was already valid.
//
// If ct.A is the identity, M = ct.B and no share is needed: x·A is the
// identity for every x. Preconditions: res came from Qualify, ct not nil.
func Decrypt(ctx proof.Context, res *Result, ct *elgamal.Ciphertext, candidates []Candidate) (*Decryption, error) {
	if res == nil || ct == nil || ct.A == nil || ct.B == nil {
		return nil, fmt.Errorf("decrypt: %w: nil result or ciphertext", ErrMissing)
	}
	if ct.A.IsIdentity() {
		return &Decryption{M: new(group.Point).Set(ct.B)}, nil
	}
	d := &Decryption{}
	valid := d.verifyCandidates(ctx, res, ct.A, candidates)
	if len(valid) < res.Params.T {
		indices := make([]int, len(valid))
		for k, s := range valid {
			indices[k] = s.Trustee
		}
		slices.Sort(indices)
		return nil, &DecryptError{Valid: indices, T: res.Params.T, Excluded: d.Excluded}
	}
	M, err := Combine(res.Params, ct.B, valid)
	if err != nil {
		return nil, fmt.Errorf("decrypt: %w", err)
	}
	d.M = M
	for _, s := range valid {
		d.Used = append(d.Used, s.Trustee)
	}
	slices.Sort(d.Used)
	d.Used = d.Used[:res.Params.T]
	return d, nil
}

// verifyCandidates returns the valid candidates as decryption shares, at
// most one per trustee, and records the exclusions in d in input order.
func (d *Decryption) verifyCandidates(ctx proof.Context, res *Result, A *group.Point, candidates []Candidate) []DecryptionShare {
	var batch proof.Batch
	reasons := make([]error, len(candidates))
	item := make([]int, len(candidates)) // batch item of each candidate
	for k, c := range candidates {
		V, err := res.VerificationKey(c.Trustee)
		if err != nil {
			reasons[k] = err
			continue
		}
		item[k] = batch.Add(PartialClaim(ctx, c.Trustee, V, A, c.Partial))
	}
	errs := batch.Verify()
	seen := make(map[int]bool)
	var valid []DecryptionShare
	for k, c := range candidates {
		switch {
		case reasons[k] != nil:
		case errs != nil && errs[item[k]] != nil:
			reasons[k] = errs[item[k]]
		case seen[c.Trustee]:
			reasons[k] = fmt.Errorf("trustee %d: %w partial decryption", c.Trustee, ErrDuplicate)
		default:
			seen[c.Trustee] = true
			valid = append(valid, DecryptionShare{Trustee: c.Trustee, D: c.Partial.D})
			continue
		}
		d.Excluded = append(d.Excluded, Exclusion{Trustee: c.Trustee, Reason: reasons[k]})
	}
	return valid
}
