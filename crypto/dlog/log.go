package dlog

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/evote/evote/crypto/group"
)

// Log returns the m in [0, t.Bound()] with M = m·G, where G =
// group.Generator(), in variable time: for public values only. It takes at most
// t.GiantSteps() point encodings, spread over all CPUs when there are many,
// and fewer the smaller m is. It is safe to call from many goroutines at once.
//
// Preconditions: t comes from NewTable or NewTableSize; M is not nil. If no
// such m exists, it returns an *OutOfRangeError.
func (t *Table) Log(M *group.Point) (uint64, error) {
	if t == nil || t.babySteps == 0 {
		return 0, fmt.Errorf("dlog: log: %w", ErrNoTable)
	}
	if M == nil {
		return 0, fmt.Errorf("dlog: log: %w", ErrNilPoint)
	}
	m, ok := t.searchAll(M)
	// A match past the bound is still the true logarithm (it is unique, as
	// the group order exceeds any table's range), so M is out of range.
	if !ok || m > t.bound {
		return 0, &OutOfRangeError{Bound: t.bound}
	}
	return m, nil
}

// searchAll runs the giant steps [0, t.giantSteps) in parallel chunks and
// stops every chunk as soon as one finds the logarithm.
func (t *Table) searchAll(M *group.Point) (uint64, bool) {
	var (
		wg    sync.WaitGroup
		stop  atomic.Bool
		found atomic.Uint64 // m+1, so that 0 means not found
	)
	for lo, hi := range chunks(t.giantSteps) {
		wg.Go(func() {
			if m, ok := t.search(M, lo, hi, &stop); ok {
				found.Store(m + 1)
				stop.Store(true)
			}
		})
	}
	wg.Wait()
	m := found.Load()
	return m - 1, m != 0
}

// search tries the giant steps i in [from, to): M - i·n·G against the table.
func (t *Table) search(M *group.Point, from, to uint64, stop *atomic.Bool) (uint64, bool) {
	P := new(group.Point).Set(M)
	if from > 0 {
		P.Subtract(M, new(group.Point).ScalarMult(group.ScalarFromUint64(from), t.step))
	}
	var buf [group.PointSize]byte
	for i := from; i < to && !stop.Load(); i++ {
		if j, ok := t.lookup(P, &buf); ok {
			return i*t.babySteps + j, true
		}
		P.Subtract(P, t.step)
	}
	return 0, false
}

// lookup returns j if P = j·G for some j in the table.
func (t *Table) lookup(P *group.Point, buf *[group.PointSize]byte) (uint64, bool) {
	key := pointKey(P, buf) & t.keyMask
	keys, js := t.index.bucket(key)
	for i, k := range keys {
		if k != key {
			continue
		}
		j := uint64(js[i])
		if P.Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(j))) {
			return j, true
		}
	}
	return 0, false
}
