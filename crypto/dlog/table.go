package dlog

import (
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"sync"

	"github.com/evote/evote/crypto/group"
)

// reuseFactor is how many times sqrt(bound+1) NewTable makes its baby-step
// table. Log(m·G) takes ⌊m/n⌋+1 encodings, so solving points whose logarithms
// sum to S costs about n + S/n encodings in all, least at n = sqrt(S). A tally
// solves every option of a contest with one bound B (ballots times the most
// per option); S is B for a one-of-k contest and up to k·B for approval
// voting. Twice sqrt(B) is within 25% of the optimum for S from B to 16·B, and
// measured best or equal-best on a one-of-5 and a 16-option approval contest
// with B = 10^8.
const reuseFactor = 2

// minChunk is the fewest baby or giant steps worth handing to a goroutine of
// their own; below it the start-up cost (a scalar multiplication) and the
// scheduling outweigh the gain.
const minChunk = 1024

// fullKey keeps all 64 bits of an entry key; tests shorten it to force key
// collisions.
const fullKey = ^uint64(0)

// Table is a baby-step table for one bound: the keys of j·G for j in
// [0, babySteps). A key is the first 8 bytes of the point's encoding: it only
// narrows the search, and every match is confirmed by a full comparison, so a
// shared key costs time, never correctness. A Table is immutable once built, so
// Log may be called from many goroutines at once.
type Table struct {
	bound      uint64
	babySteps  uint64
	giantSteps uint64
	step       *group.Point // babySteps·G, subtracted at each giant step
	index      *index
	keyMask    uint64
}

// NewTable builds a table for finding m in [0, bound], with about
// 2·sqrt(bound) baby steps (capped at MaxBabySteps) so that each Log takes at
// most about sqrt(bound)/2 giant steps, fewer for smaller m. It uses all CPUs.
// For bound = 10^8 it holds 20002 entries (320 KiB); for MaxBound, 2^21
// entries (32 MiB), and takes seconds to build.
//
// Precondition: bound ≤ MaxBound.
func NewTable(bound uint64) (*Table, error) {
	return NewTableSize(bound, babyStepsFor(bound, reuseFactor))
}

// NewTableSize is NewTable with a chosen number of baby steps n: building costs
// n point encodings, and Log(m·G) ⌊m/n⌋+1 more, so a caller that will solve
// points whose logarithms sum to at most S does least work with n ≈ sqrt(S).
// A value of n above bound+1 is reduced to bound+1, since more would cover
// nothing.
//
// Preconditions: bound ≤ MaxBound; 1 ≤ n ≤ MaxBabySteps; ceil((bound+1)/n) ≤
// MaxGiantSteps.
func NewTableSize(bound, n uint64) (*Table, error) {
	return newTable(bound, n, fullKey)
}

func newTable(bound, n, keyMask uint64) (*Table, error) {
	n, giant, err := tableSize(bound, n)
	if err != nil {
		return nil, fmt.Errorf("dlog: new table: %w", err)
	}
	return &Table{
		bound:      bound,
		babySteps:  n,
		giantSteps: giant,
		step:       new(group.Point).ScalarBaseMult(group.ScalarFromUint64(n)),
		index:      newIndex(babyKeys(n, keyMask)),
		keyMask:    keyMask,
	}, nil
}

// tableSize checks NewTableSize's preconditions and returns the number of baby
// steps, reduced to bound+1, and of giant steps, ceil((bound+1)/n).
func tableSize(bound, n uint64) (baby, giant uint64, err error) {
	if bound > MaxBound {
		return 0, 0, fmt.Errorf("%w: %d > %d", ErrBoundTooLarge, bound, MaxBound)
	}
	if n == 0 || n > MaxBabySteps {
		return 0, 0, fmt.Errorf("%w: %d baby steps, want 1 to %d", ErrBabySteps, n, MaxBabySteps)
	}
	n = min(n, bound+1)
	giant = (bound + n) / n // no overflow: bound+n ≤ 2^40+2^21
	if giant > MaxGiantSteps {
		return 0, 0, fmt.Errorf("%w: %d baby steps for bound %d need %d giant steps, more than %d",
			ErrBabySteps, n, bound, giant, MaxGiantSteps)
	}
	return n, giant, nil
}

// Bound returns the largest m the table finds.
func (t *Table) Bound() uint64 { return t.bound }

// BabySteps returns the number of entries in the table.
func (t *Table) BabySteps() uint64 { return t.babySteps }

// GiantSteps returns the most giant steps (point encodings) one Log takes.
func (t *Table) GiantSteps() uint64 { return t.giantSteps }

// babyStepsFor returns factor·ceil(sqrt(bound+1)), capped at bound+1 and at
// MaxBabySteps. For a bound above MaxBound the result is meaningless, and
// tableSize rejects the bound.
func babyStepsFor(bound, factor uint64) uint64 {
	return min(factor*ceilSqrt(bound+1), bound+1, MaxBabySteps)
}

// ceilSqrt returns the least r with r·r ≥ x, for x ≤ 2^50 where float64 is
// within one of the answer.
func ceilSqrt(x uint64) uint64 {
	r := uint64(math.Sqrt(float64(x)))
	for r*r < x {
		r++
	}
	for r > 0 && (r-1)*(r-1) >= x {
		r--
	}
	return r
}

// babyKeys returns the keys of j·G, j in [0, n), computed in parallel: each
// worker starts from its own first multiple and adds G, since an addition costs
// a twentieth of an encoding.
func babyKeys(n, keyMask uint64) []uint64 {
	keys := make([]uint64, n)
	var wg sync.WaitGroup
	for lo, hi := range chunks(n) {
		wg.Go(func() { fillKeys(keys[lo:hi], lo, keyMask) })
	}
	wg.Wait()
	return keys
}

func fillKeys(dst []uint64, first, keyMask uint64) {
	G := group.Generator()
	P := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(first))
	var buf [group.PointSize]byte
	for i := range dst {
		dst[i] = pointKey(P, &buf) & keyMask
		P.Add(P, G)
	}
}

// pointKey returns the first 8 bytes of P's encoding, the costly step of the
// whole search (an inverse square root).
func pointKey(P *group.Point, buf *[group.PointSize]byte) uint64 {
	return binary.LittleEndian.Uint64(P.AppendBytes(buf[:0]))
}

// chunks splits [0, n) into up to GOMAXPROCS contiguous ranges of at least
// minChunk steps each, yielding each range's bounds.
func chunks(n uint64) func(yield func(lo, hi uint64) bool) {
	workers := max(1, min(uint64(runtime.GOMAXPROCS(0)), n/minChunk))
	return func(yield func(lo, hi uint64) bool) {
		for w := range workers {
			if !yield(n*w/workers, n*(w+1)/workers) {
				return
			}
		}
	}
}
