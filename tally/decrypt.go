package tally

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
)

// Reasons a partial decryption is left out, wrapped by Exclusion.Reason.
var (
	// ErrUnknownTrustee: the partial names no trustee of the manifest.
	ErrUnknownTrustee = errors.New("no such trustee")
	// ErrDuplicatePartial: a valid partial of the same trustee came first.
	ErrDuplicatePartial = errors.New("a valid partial decryption of this trustee came first")
	// ErrInvalidPartial: a proof or a slot of the partial does not check
	// out against the trustee's verification key and the aggregates.
	ErrInvalidPartial = errors.New("invalid partial decryption")
	// ErrTooFew: fewer than t valid partial decryptions.
	ErrTooFew = errors.New("fewer than t valid partial decryptions")
)

// Exclusion is a trustee's partial decryption that was left out, and why.
type Exclusion struct {
	Trustee int
	Reason  error
}

// Error says which trustee and why.
func (x Exclusion) Error() string { return fmt.Sprintf("trustee %d: %v", x.Trustee, x.Reason) }

// Decryption is the outcome of Decrypt.
type Decryption struct {
	// Plaintexts[c][o] is M = count·G for option o of manifest contest c.
	Plaintexts [][]*group.Point
	// Valid lists every trustee whose partial checked out, sorted; Used the
	// t of them with the smallest indices, whose shares were combined.
	Valid, Used []int
	// Excluded lists, in input order, every partial left out.
	Excluded []Exclusion
}

// TooFewError says that fewer than t partial decryptions are valid: it
// carries the valid ones and the reason for every one left out, and wraps
// ErrTooFew.
type TooFewError struct {
	Valid    []int
	T        int
	Excluded []Exclusion
}

func (e *TooFewError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d valid partial decryptions (trustees %v), need t = %d", len(e.Valid), e.Valid, e.T)
	for _, x := range e.Excluded {
		fmt.Fprintf(&b, "; left out %v", x)
	}
	return b.String()
}

// Unwrap returns ErrTooFew.
func (e *TooFewError) Unwrap() error { return ErrTooFew }

// Decrypt checks every candidate partial decryption of the aggregates against
// its trustee's verification key from the key ceremony (check 46), leaves out
// each one that fails with a named reason, and combines, for every aggregate,
// the valid shares of the t trustees with the smallest indices (checks 13,
// 14). An aggregate whose A is the identity holds no ballot and decrypts to
// its B without any share. With fewer than t valid partials it returns a
// *TooFewError and no plaintexts.
//
// Preconditions: ceremony came from the election's key ceremony and
// aggregates has the manifest's shape (Aggregate).
func Decrypt(m *election.Manifest, id election.ID, ceremony *threshold.Result, aggregates [][]*elgamal.Ciphertext, candidates []*election.Partial) (*Decryption, error) {
	valid, excluded := checkPartials(m, id, ceremony, aggregates, candidates)
	trustees := slices.Sorted(maps.Keys(valid))
	t := ceremony.Params.T
	if len(trustees) < t {
		return nil, &TooFewError{Valid: trustees, T: t, Excluded: excluded}
	}
	used := trustees[:t]
	d := &Decryption{Valid: trustees, Used: used, Excluded: excluded, Plaintexts: make([][]*group.Point, len(aggregates))}
	for c, opts := range aggregates {
		d.Plaintexts[c] = make([]*group.Point, len(opts))
		for o, agg := range opts {
			M, err := combine(ceremony.Params, agg, valid, used, c, o)
			if err != nil {
				return nil, fmt.Errorf("contest %s: option %s: %w", m.Contests[c].ID, m.Contests[c].Options[o].ID, err)
			}
			d.Plaintexts[c][o] = M
		}
	}
	return d, nil
}

// checkPartials verifies the candidates, on all cores, and returns the valid
// ones by trustee and the excluded ones in input order.
func checkPartials(m *election.Manifest, id election.ID, ceremony *threshold.Result, aggregates [][]*elgamal.Ciphertext, candidates []*election.Partial) (map[int]*election.Partial, []Exclusion) {
	n := ceremony.Params.N
	reasons := make([]error, len(candidates))
	parallel(len(candidates), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			p := candidates[k]
			if p == nil || p.Trustee < 1 || p.Trustee > n {
				reasons[k] = ErrUnknownTrustee
				continue
			}
			if err := p.Verify(m, id, aggregates, ceremony.VerificationKeys[p.Trustee-1]); err != nil {
				reasons[k] = fmt.Errorf("%w: %w", ErrInvalidPartial, err)
			}
		}
	})
	valid := make(map[int]*election.Partial)
	var excluded []Exclusion
	for k, p := range candidates {
		switch {
		case reasons[k] != nil:
			trustee := 0
			if p != nil {
				trustee = p.Trustee
			}
			excluded = append(excluded, Exclusion{Trustee: trustee, Reason: reasons[k]})
		case valid[p.Trustee] != nil:
			excluded = append(excluded, Exclusion{Trustee: p.Trustee, Reason: ErrDuplicatePartial})
		default:
			valid[p.Trustee] = p
		}
	}
	return valid, excluded
}

// combine returns the plaintext point of one aggregate from the used
// trustees' verified shares.
func combine(params threshold.Params, agg *elgamal.Ciphertext, valid map[int]*election.Partial, used []int, c, o int) (*group.Point, error) {
	if agg.A.IsIdentity() {
		return agg.B, nil
	}
	shares := make([]threshold.DecryptionShare, len(used))
	for k, j := range used {
		shares[k] = threshold.DecryptionShare{Trustee: j, D: valid[j].Decryptions[c][o].D}
	}
	return threshold.Combine(params, agg.B, shares)
}
