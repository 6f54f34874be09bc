package election

import (
	"fmt"
	"maps"
	"slices"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
)

// checkResult is the payload rule of the result entry: check 47 (strict
// encoding, plausible counts) and check 48 (the number of ballots is the
// number of counted ballots, and every count is what combining the
// trustees' partial decryptions on the record gives, C14 and C15). The
// commit ends the election.
func checkResult(r *Record, in *incoming) (func(), error) {
	res, err := DecodeResult(r.manifest, in.e.Payload)
	if err != nil {
		return nil, checkError(CheckResultEncoding, err)
	}
	if want := uint64(len(r.last)); res.Ballots != want {
		return nil, failf(CheckResultCounts, "%w", &ResultMismatchError{Posted: res.Ballots, Record: want})
	}
	if len(r.partials) < r.params.T {
		return nil, failf(CheckResultCounts, "%w: partial decryptions from %d trustees, need t = %d", ErrTooEarly, len(r.partials), r.params.T)
	}
	for c, ct := range r.manifest.Contests {
		for o, opt := range ct.Options {
			M, err := r.decryptAggregate(c, o)
			if err != nil {
				return nil, failf(CheckResultCounts, "contest %s: option %s: %w", ct.ID, opt.ID, err)
			}
			if !M.Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(res.Counts[c][o]))) {
				return nil, failf(CheckResultCounts, "%w", countMismatch(ct.ID, opt.ID, res.Counts[c][o], M, res.Ballots))
			}
		}
	}
	return func() {
		r.counts = res.Counts
		r.phase = PhaseDone
	}, nil
}

// decryptAggregate returns the plaintext point of the aggregate of option o
// of contest c, combining the verified partial decryptions on the record
// (threshold.Combine uses the t of smallest index).
func (r *Record) decryptAggregate(c, o int) (*group.Point, error) {
	agg := r.aggregates[c][o]
	if agg.A.IsIdentity() {
		return agg.B, nil
	}
	return combinePartials(r.params, r.partials, c, o, agg)
}

// combinePartials combines the partial decryptions of option o of contest c
// by the trustees in partials.
func combinePartials(params threshold.Params, partials map[int]*Partial, c, o int, agg *elgamal.Ciphertext) (*group.Point, error) {
	var shares []threshold.DecryptionShare
	for _, j := range slices.Sorted(maps.Keys(partials)) {
		shares = append(shares, threshold.DecryptionShare{Trustee: j, D: partials[j].Decryptions[c][o].D})
	}
	return threshold.Combine(params, agg.B, shares)
}

// countMismatch returns the evidence of a wrong count: the count that the
// decrypted aggregate M encodes, found by a search bounded by the number of
// counted ballots, or that M encodes none in range.
func countMismatch(contest, option string, posted uint64, M *group.Point, ballots uint64) error {
	m, err := dlog.Solve(M, min(ballots, dlog.MaxBound))
	if err != nil {
		return fmt.Errorf("contest %s: option %s: result says %d, the decrypted aggregate is no count up to %d: %w", contest, option, posted, ballots, err)
	}
	return &ResultMismatchError{Contest: contest, Option: option, Posted: posted, Record: m}
}
