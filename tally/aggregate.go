package tally

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election"
)

// Ballot is one counted ballot's ciphertexts: Ballot[c][o] is option o of
// manifest contest c, and Ballot[c] is nil for a contest that the ballot's
// style does not hold.
type Ballot [][]*elgamal.Ciphertext

// CountedBallots applies the last-ballot rule (election.LastBallots) to the
// ballot entries of a sealed set and returns the ciphertexts of the ballots
// that count, decoded on all cores, and the ballots that do not count with
// their reasons. Precondition: every entry passed the record's ballot checks
// (it came from a Replica).
func CountedBallots(m *election.Manifest, entries []*election.Entry) ([]Ballot, []election.SupersededBallot, error) {
	layout, err := election.NewBallotLayout(m)
	if err != nil {
		return nil, nil, err
	}
	counted, superseded := election.LastBallots(entries)
	out := make([]Ballot, len(counted))
	errs := make([]error, len(counted))
	parallel(len(counted), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i], errs[i] = ballotCiphertexts(m, layout, counted[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return out, superseded, nil
}

// ballotCiphertexts decodes one ballot entry into its ciphertexts by
// manifest contest.
func ballotCiphertexts(m *election.Manifest, layout *election.BallotLayout, e *election.Entry) (Ballot, error) {
	b, err := election.DecodeBallot(layout, e.Payload)
	if err != nil {
		return nil, fmt.Errorf("ballot %x: %w", shortID(e.ID()), err)
	}
	positions, err := layout.StyleContests(b.Style)
	if err != nil {
		return nil, fmt.Errorf("ballot %x: %w", shortID(e.ID()), err)
	}
	out := make(Ballot, len(m.Contests))
	for k, c := range positions {
		opts := b.Contests[k].Options
		out[c] = make([]*elgamal.Ciphertext, len(opts))
		for o, opt := range opts {
			out[c][o] = opt.Ciphertext
		}
	}
	return out, nil
}

// Aggregate returns, for every manifest contest and option, the sum of that
// option's ciphertexts over ballots, starting from (identity, identity) as
// docs/SPEC.md §7.6 defines the aggregates. The sums run on all cores, each
// over a slice of the ballots, and are then added together: point addition
// is commutative, so the sums are the same group elements whatever the split.
// Precondition: every ballot has the manifest's shape (from CountedBallots).
func Aggregate(m *election.Manifest, ballots []Ballot) [][]*elgamal.Ciphertext {
	var mu sync.Mutex
	total := zeroAggregates(m)
	parallel(len(ballots), func(lo, hi int) {
		part := zeroAggregates(m)
		for _, b := range ballots[lo:hi] {
			for c, opts := range b {
				for o, ct := range opts {
					part[c][o].A.Add(part[c][o].A, ct.A)
					part[c][o].B.Add(part[c][o].B, ct.B)
				}
			}
		}
		mu.Lock()
		defer mu.Unlock()
		for c := range part {
			for o := range part[c] {
				total[c][o].A.Add(total[c][o].A, part[c][o].A)
				total[c][o].B.Add(total[c][o].B, part[c][o].B)
			}
		}
	})
	return total
}

// zeroAggregates returns (identity, identity) for every option.
func zeroAggregates(m *election.Manifest) [][]*elgamal.Ciphertext {
	agg := make([][]*elgamal.Ciphertext, len(m.Contests))
	for c, ct := range m.Contests {
		agg[c] = make([]*elgamal.Ciphertext, len(ct.Options))
		for o := range agg[c] {
			agg[c][o] = elgamal.Zero()
		}
	}
	return agg
}

// EqualAggregates reports where two sets of aggregates differ: nil when they
// are the same group elements, else an error naming the first contest and
// option that differs.
func EqualAggregates(m *election.Manifest, a, b [][]*elgamal.Ciphertext) error {
	if len(a) != len(m.Contests) || len(b) != len(m.Contests) {
		return fmt.Errorf("aggregates for %d and %d contests, the manifest has %d", len(a), len(b), len(m.Contests))
	}
	for c, ct := range m.Contests {
		if len(a[c]) != len(ct.Options) || len(b[c]) != len(ct.Options) {
			return fmt.Errorf("contest %s: aggregates for %d and %d options, it has %d", ct.ID, len(a[c]), len(b[c]), len(ct.Options))
		}
		for o, opt := range ct.Options {
			if !a[c][o].A.Equal(b[c][o].A) || !a[c][o].B.Equal(b[c][o].B) {
				return fmt.Errorf("contest %s: option %s: the aggregates differ", ct.ID, opt.ID)
			}
		}
	}
	return nil
}

// parallel calls work on consecutive slices [lo, hi) of 0..n, one per CPU,
// and waits for all of them.
func parallel(n int, work func(lo, hi int)) {
	if n == 0 {
		return
	}
	workers := min(runtime.GOMAXPROCS(0), n)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := n*w/workers, n*(w+1)/workers
		wg.Add(1)
		go func() {
			defer wg.Done()
			work(lo, hi)
		}()
	}
	wg.Wait()
}

// shortID is the first 6 bytes of an entry id, as the record's errors print
// them.
func shortID(id election.ID) []byte { return id[:6] }
