package election

import (
	"bytes"
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/election/wire"
)

// Result is the payload of the result entry, signed by the commission: how
// many ballots were counted and the count of every option. It carries no
// proof: a verifier recomputes the aggregates from the sealed ballots and
// combines the trustees' partial decryptions on the record, and the counts
// must match (CheckResultCounts).
//
// Encoding, exactly 8 + 8·(total options) bytes:
//
//	u64 ballots ‖ for each contest in manifest order, for each option: u64 count
type Result struct {
	// Ballots is the number of ballots counted: one per credential that
	// cast a ballot, by the last-ballot rule.
	Ballots uint64
	// Counts[c][o] is the number of counted ballots that select option o of
	// manifest contest c.
	Counts [][]uint64
}

// Bytes returns the canonical encoding.
func (r *Result) Bytes() []byte {
	w := &wire.Writer{}
	w.U64(r.Ballots)
	for _, c := range r.Counts {
		for _, n := range c {
			w.U64(n)
		}
	}
	return w.Bytes()
}

// DecodeResult parses a result payload strictly: the exact length for m's
// contests, and counts that could be true: no option counted more often
// than there are ballots, no contest with more selections than its maximum
// allows for that many ballots.
func DecodeResult(m *Manifest, payload []byte) (*Result, error) {
	size := 8 + 8*totalOptions(m)
	if len(payload) != size {
		return nil, decodeError(TypeResult, fmt.Errorf("%d bytes, want %d", len(payload), size))
	}
	rd := wire.NewReader(payload)
	r := &Result{Ballots: rd.U64("ballots"), Counts: make([][]uint64, len(m.Contests))}
	for c, ct := range m.Contests {
		r.Counts[c] = make([]uint64, len(ct.Options))
		for o := range ct.Options {
			r.Counts[c][o] = rd.U64("count")
		}
	}
	if err := rd.Finish(); err != nil {
		return nil, decodeError(TypeResult, err)
	}
	if err := r.plausible(m); err != nil {
		return nil, decodeError(TypeResult, err)
	}
	return r, nil
}

// plausible checks the bounds that any true result meets. Ballots is at
// most dlog.MaxBound, the largest count a tally can decrypt, which also
// keeps the sums below from overflowing.
func (r *Result) plausible(m *Manifest) error {
	if r.Ballots > dlog.MaxBound {
		return fmt.Errorf("%d ballots, more than the %d a tally can count", r.Ballots, uint64(dlog.MaxBound))
	}
	for c, ct := range m.Contests {
		var sum uint64
		for o, n := range r.Counts[c] {
			if n > r.Ballots {
				return fmt.Errorf("contest %s: option %s: count %d exceeds the %d ballots", ct.ID, ct.Options[o].ID, n, r.Ballots)
			}
			sum += n
		}
		if sum > uint64(ct.MaxSelections)*r.Ballots {
			return fmt.Errorf("contest %s: %d selections, more than %d ballots × at most %d each", ct.ID, sum, r.Ballots, ct.MaxSelections)
		}
	}
	return nil
}

// NewResult signs r as the result of the election with the commission's
// key. It checks r's shape against m.
func NewResult(m *Manifest, election ID, commission ed25519.PrivateKey, r *Result) (*Entry, error) {
	if len(commission) != ed25519.PrivateKeySize || !bytes.Equal(commission.Public().(ed25519.PublicKey), m.Commission) {
		return nil, fmt.Errorf("result: the key is not the manifest's commission key")
	}
	if err := r.checkShape(m); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	if err := r.plausible(m); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	return signEntry(TypeResult, election, r.Bytes(), commission), nil
}

func (r *Result) checkShape(m *Manifest) error {
	if len(r.Counts) != len(m.Contests) {
		return fmt.Errorf("%w: %d contests, the manifest has %d", ErrTrusteeEntry, len(r.Counts), len(m.Contests))
	}
	for c, ct := range m.Contests {
		if len(r.Counts[c]) != len(ct.Options) {
			return fmt.Errorf("%w: contest %s: %d counts, it has %d options", ErrTrusteeEntry, ct.ID, len(r.Counts[c]), len(ct.Options))
		}
	}
	return nil
}

// ResultMismatchError says where a posted result differs from the one the
// record gives. Contest and Option are ids; both are empty when the number
// of ballots differs.
type ResultMismatchError struct {
	Contest, Option string
	Posted, Record  uint64
}

func (e *ResultMismatchError) Error() string {
	if e.Contest == "" {
		return fmt.Sprintf("result counts %d ballots, the record %d", e.Posted, e.Record)
	}
	return fmt.Sprintf("contest %s: option %s: result says %d, the record gives %d", e.Contest, e.Option, e.Posted, e.Record)
}

// Compare returns nil if r equals want, the result computed from the
// record, and otherwise a *ResultMismatchError for the first difference, in
// manifest order. Precondition: both have m's shape (DecodeResult).
func (r *Result) Compare(m *Manifest, want *Result) error {
	if r.Ballots != want.Ballots {
		return &ResultMismatchError{Posted: r.Ballots, Record: want.Ballots}
	}
	for c, ct := range m.Contests {
		for o, opt := range ct.Options {
			if r.Counts[c][o] != want.Counts[c][o] {
				return &ResultMismatchError{Contest: ct.ID, Option: opt.ID, Posted: r.Counts[c][o], Record: want.Counts[c][o]}
			}
		}
	}
	return nil
}
