// Package dlog recovers small discrete logarithms in group: given M = m·G for
// an m in [0, bound], it finds m by a baby-step giant-step search.
//
// Exponential ElGamal decrypts a tally to the point m·G; the count m is
// recovered here, with the bound the caller knows (the number of ballots times
// the most an option can get per ballot). The work is bounded by the bound: a
// point that is not m·G for any m in range is answered with an
// *OutOfRangeError after at most that work, never with a longer search.
//
// Everything in this package takes variable time and leaks m and M through
// timing and memory access; it is for public values only, such as a tally
// that is about to be published anyway.
//
// A Table is built once for a bound and answers Log for any number of points,
// from any number of goroutines; Solve is the one-off convenience.
package dlog

import (
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/group"
)

// MaxBound is the largest bound accepted. A search up to 2^40 takes seconds;
// beyond it the table or the search would grow without useful purpose, since
// no election tally comes near it.
const MaxBound = 1 << 40

// MaxBabySteps is the largest baby-step table accepted: 2^21 entries of 16
// bytes, 32 MiB.
const MaxBabySteps = 1 << 21

// MaxGiantSteps is the most giant steps a table may need for its bound, so that
// a table with too few baby steps cannot turn Log into an unbounded-looking
// search.
const MaxGiantSteps = 1 << 22

// Errors; test with errors.Is.
var (
	// ErrNotFound means that M is not m·G for any m in [0, bound]. Log and
	// Solve return it inside an *OutOfRangeError.
	ErrNotFound = errors.New("no discrete logarithm in range")
	// ErrBoundTooLarge means that the bound exceeds MaxBound.
	ErrBoundTooLarge = errors.New("bound too large")
	// ErrBabySteps means that the requested baby-step count is 0, exceeds
	// MaxBabySteps, or is so small that more than MaxGiantSteps giant steps
	// would be needed.
	ErrBabySteps = errors.New("invalid number of baby steps")
	// ErrNilPoint means that M is nil.
	ErrNilPoint = errors.New("nil point")
	// ErrNoTable means that Log was called on a nil or zero Table rather than
	// one from NewTable.
	ErrNoTable = errors.New("table not built by NewTable")
)

// OutOfRangeError reports that a point is not m·G for any m in [0, Bound]. It
// wraps ErrNotFound.
type OutOfRangeError struct {
	Bound uint64
}

func (e *OutOfRangeError) Error() string {
	return fmt.Sprintf("dlog: point is not m·G for any m in [0, %d]", e.Bound)
}

// Unwrap returns ErrNotFound.
func (e *OutOfRangeError) Unwrap() error { return ErrNotFound }

// Solve returns the m in [0, bound] with M = m·G, where G = group.Generator(),
// in variable time: for public values only. It builds a table of about
// sqrt(bound) entries for this one point; to solve several points with the same
// bound, build a Table once and call Log.
//
// Preconditions: M is not nil and bound ≤ MaxBound. If no such m exists it
// returns an *OutOfRangeError after about 2·sqrt(bound) group operations.
func Solve(M *group.Point, bound uint64) (uint64, error) {
	if M == nil {
		return 0, fmt.Errorf("dlog: solve: %w", ErrNilPoint)
	}
	if bound > MaxBound {
		return 0, fmt.Errorf("dlog: solve: %w: %d > %d", ErrBoundTooLarge, bound, MaxBound)
	}
	t, err := NewTableSize(bound, babyStepsFor(bound, 1))
	if err != nil {
		return 0, err
	}
	return t.Log(M)
}
