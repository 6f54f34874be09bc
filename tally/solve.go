package tally

import (
	"fmt"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
)

// Solve recovers every count from its plaintext point M = count·G with a
// baby-step giant-step search bounded by ballots, the most any option can
// get since each ballot selects an option at most once (check 15). One table
// serves every option. A point that is no count up to ballots is an error
// naming the contest and option, never a longer search.
func Solve(m *election.Manifest, plaintexts [][]*group.Point, ballots uint64) ([][]uint64, error) {
	if ballots > dlog.MaxBound {
		return nil, fmt.Errorf("%d ballots: more than the largest count a search may look for, %d", ballots, uint64(dlog.MaxBound))
	}
	table, err := dlog.NewTable(max(ballots, 1))
	if err != nil {
		return nil, err
	}
	counts := make([][]uint64, len(plaintexts))
	for c, opts := range plaintexts {
		counts[c] = make([]uint64, len(opts))
		for o, M := range opts {
			v, err := table.Log(M)
			if err == nil && v > ballots {
				err = &dlog.OutOfRangeError{Bound: ballots}
			}
			if err != nil {
				return nil, fmt.Errorf("contest %s: option %s: %w", m.Contests[c].ID, m.Contests[c].Options[o].ID, err)
			}
			counts[c][o] = v
		}
	}
	return counts, nil
}
