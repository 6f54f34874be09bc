package dlog

import (
	"errors"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/evote/evote/crypto/group"
)

func checkFound(t *testing.T, what string, m uint64, err error, want uint64) {
	t.Helper()
	if err != nil || m != want {
		t.Errorf("%s: got %d, %v; want %d", what, m, err, want)
	}
}

func checkOutOfRange(t *testing.T, what string, m uint64, err error, bound uint64) {
	t.Helper()
	var oor *OutOfRangeError
	if !errors.As(err, &oor) || oor.Bound != bound || !errors.Is(err, ErrNotFound) {
		t.Errorf("%s: got %d, %v; want *OutOfRangeError{Bound: %d}", what, m, err, bound)
	}
}

// randomPoint returns a point whose logarithm is a random scalar, so almost
// surely far outside any bound.
func randomPoint(t *testing.T) *group.Point {
	t.Helper()
	s, err := group.RandomScalar(nil)
	if err != nil {
		t.Fatal(err)
	}
	return new(group.Point).ScalarBaseMult(s)
}

// testValues returns the edges of [0, bound] and a few random values in it.
func testValues(rng *rand.Rand, bound uint64) []uint64 {
	ms := []uint64{0, bound}
	if bound >= 1 {
		ms = append(ms, 1, bound-1)
	}
	for range 5 {
		ms = append(ms, rng.Uint64N(bound+1))
	}
	return ms
}

func TestTableLog(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{1}))
	for _, tc := range []struct {
		name     string
		bound, n uint64 // n = 0 means NewTable's choice
	}{
		{"bound=0", 0, 0},
		{"bound=1", 1, 0},
		{"bound=2", 2, 0},
		{"bound=99/not square", 99, 0},
		{"bound=100/square", 100, 0},
		{"bound=1000/n=1", 1000, 1},
		{"bound=1000/n=7", 1000, 7},
		{"bound=1000/n=bound", 1000, 1000},
		{"bound=1000/n=bound+1", 1000, 1001},
		{"bound=1000/n>bound+1", 1000, 5000},
		{"bound=1e6+7/not square", 1e6 + 7, 0},
		{"bound=1e5/n divides bound+1", 99_999, 100},
		// Giant-step offsets i·n beyond 2^32.
		{"bound=2^32+5", 1<<32 + 5, 1 << 18},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.bound > 1<<32 && (testing.Short() || raceEnabled) {
				t.Skip("builds a table of 2^18 entries: too slow for -short and -race")
			}
			var tab *Table
			var err error
			if tc.n == 0 {
				tab, err = NewTable(tc.bound)
			} else {
				tab, err = NewTableSize(tc.bound, tc.n)
			}
			if err != nil {
				t.Fatal(err)
			}
			if tab.Bound() != tc.bound || tab.BabySteps() > tc.bound+1 || tab.BabySteps()*tab.GiantSteps() <= tc.bound {
				t.Fatalf("table covers [0, %d) with %d·%d for bound %d",
					tab.BabySteps()*tab.GiantSteps(), tab.BabySteps(), tab.GiantSteps(), tc.bound)
			}
			// One table for every value: reuse must not disturb it.
			for _, m := range testValues(rng, tc.bound) {
				got, err := tab.Log(mulG(m))
				checkFound(t, "Log(m·G)", got, err, m)
			}
			for _, m := range []uint64{tc.bound + 1, tc.bound + 2, tab.BabySteps() * tab.GiantSteps(), 1 << 62} {
				got, err := tab.Log(mulG(m))
				checkOutOfRange(t, "Log(m·G) past the bound", got, err, tc.bound)
			}
			got, err := tab.Log(randomPoint(t))
			checkOutOfRange(t, "Log(random point)", got, err, tc.bound)
			got, err = tab.Log(new(group.Point).Negate(group.Generator()))
			checkOutOfRange(t, "Log(-G)", got, err, tc.bound)
		})
	}
}

func TestSolve(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{2}))
	for _, bound := range []uint64{0, 1, 2, 3, 15, 16, 17, 1000, 1e6} {
		for _, m := range testValues(rng, bound) {
			got, err := Solve(mulG(m), bound)
			checkFound(t, "Solve", got, err, m)
		}
		got, err := Solve(mulG(bound+1), bound)
		checkOutOfRange(t, "Solve(bound+1)", got, err, bound)
		got, err = Solve(randomPoint(t), bound)
		checkOutOfRange(t, "Solve(random point)", got, err, bound)
	}
}

// TestSolveDecodedPoint checks that a point carrying its decoded encoding (the
// first giant step reuses it) is solved like a computed one.
func TestSolveDecodedPoint(t *testing.T) {
	for _, m := range []uint64{0, 1, 500, 1000, 1001} {
		M, err := group.DecodePointOrIdentity(mulG(m).Bytes())
		if err != nil {
			t.Fatal(err)
		}
		got, err := Solve(M, 1000)
		if m <= 1000 {
			checkFound(t, "Solve(decoded)", got, err, m)
		} else {
			checkOutOfRange(t, "Solve(decoded)", got, err, 1000)
		}
	}
}

func TestPreconditions(t *testing.T) {
	tab, err := NewTable(10)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"Solve(nil)", second(Solve(nil, 10)), ErrNilPoint},
		{"Log(nil)", second(tab.Log(nil)), ErrNilPoint},
		{"nil Table", second((*Table)(nil).Log(group.Generator())), ErrNoTable},
		{"zero Table", second(new(Table).Log(group.Generator())), ErrNoTable},
		{"Solve(MaxBound+1)", second(Solve(group.Generator(), MaxBound+1)), ErrBoundTooLarge},
		{"Solve(2^64-1)", second(Solve(group.Generator(), ^uint64(0))), ErrBoundTooLarge},
		{"NewTable(MaxBound+1)", second(NewTable(MaxBound + 1)), ErrBoundTooLarge},
		{"NewTableSize(MaxBound+1)", second(NewTableSize(MaxBound+1, 1)), ErrBoundTooLarge},
		{"NewTableSize(n=0)", second(NewTableSize(10, 0)), ErrBabySteps},
		{"NewTableSize(n=MaxBabySteps+1)", second(NewTableSize(10, MaxBabySteps+1)), ErrBabySteps},
		{"NewTableSize(too many giant steps)", second(NewTableSize(MaxGiantSteps, 1)), ErrBabySteps},
		{"NewTableSize(MaxBound, n=1)", second(NewTableSize(MaxBound, 1)), ErrBabySteps},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, tc.err, tc.want)
		}
	}
}

func second[T any](_ T, err error) error { return err }

// TestTableSizeLimits checks the accepted edges without building the largest
// tables, which take seconds.
func TestTableSizeLimits(t *testing.T) {
	for _, tc := range []struct {
		bound, n, baby, giant uint64
	}{
		{MaxBound, MaxBabySteps, MaxBabySteps, (MaxBound + MaxBabySteps) / MaxBabySteps},
		{MaxBound, babyStepsFor(MaxBound, 1), 1<<20 + 1, 1 << 20},
		{MaxBound, babyStepsFor(MaxBound, reuseFactor), MaxBabySteps, 1<<19 + 1},
		{MaxGiantSteps - 1, 1, 1, MaxGiantSteps},
		{0, MaxBabySteps, 1, 1},
	} {
		baby, giant, err := tableSize(tc.bound, tc.n)
		if err != nil || baby != tc.baby || giant != tc.giant {
			t.Errorf("tableSize(%d, %d) = %d, %d, %v; want %d, %d", tc.bound, tc.n, baby, giant, err, tc.baby, tc.giant)
		}
	}
}

// TestKeyCollisions shortens the keys so that many table entries share one,
// which must cost time only: every match is confirmed in full.
func TestKeyCollisions(t *testing.T) {
	// The lowest bit of an encoding is always 0, so 0x0e leaves 8 keys.
	const bound = 100
	rng := rand.New(rand.NewChaCha8([32]byte{4}))
	for _, mask := range []uint64{0, 0x0e, 0xfe} {
		tab, err := newTable(bound, 9, mask)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range testValues(rng, bound) {
			got, err := tab.Log(mulG(m))
			checkFound(t, "Log with short keys", got, err, m)
		}
		got, err := tab.Log(mulG(bound + 1))
		checkOutOfRange(t, "Log(bound+1) with short keys", got, err, bound)
		got, err = tab.Log(randomPoint(t))
		checkOutOfRange(t, "Log(random point) with short keys", got, err, bound)
	}
}

// TestParallelSearch makes Log split its giant steps among goroutines and
// checks values found by each of them, and a search that none finishes early.
func TestParallelSearch(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	const bound, n = 40_000, 8 // 5001 giant steps: 4 chunks of 1250
	tab, err := NewTableSize(bound, n)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []uint64{0, 7, 8, 1250*n - 1, 1250 * n, 2500*n + 3, 3750*n + 5, bound - 1, bound} {
		got, err := tab.Log(mulG(m))
		checkFound(t, "parallel Log", got, err, m)
	}
	got, err := tab.Log(mulG(bound + 1))
	checkOutOfRange(t, "parallel Log(bound+1)", got, err, bound)
	got, err = tab.Log(randomPoint(t))
	checkOutOfRange(t, "parallel Log(random point)", got, err, bound)
}

// TestConcurrentLog runs Log on one table from many goroutines; run it with
// -race.
func TestConcurrentLog(t *testing.T) {
	const bound = 100_000
	tab, err := NewTable(bound)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewChaCha8([32]byte{3, byte(g)}))
			for range 20 {
				m := rng.Uint64N(bound + 2) // bound+1 is out of range
				got, err := tab.Log(mulG(m))
				if m <= bound {
					checkFound(t, "concurrent Log", got, err, m)
				} else {
					checkOutOfRange(t, "concurrent Log", got, err, bound)
				}
			}
		})
	}
	wg.Wait()
}

func TestChunks(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(3))
	for _, tc := range []struct{ n, chunks uint64 }{
		{1, 1}, {minChunk - 1, 1}, {minChunk, 1}, {2*minChunk - 1, 1}, {2 * minChunk, 2}, {3 * minChunk, 3}, {1 << 30, 3},
	} {
		var next, count uint64
		for lo, hi := range chunks(tc.n) {
			if lo != next || hi <= lo || (tc.n >= minChunk && hi-lo < minChunk) {
				t.Errorf("chunks(%d): range [%d, %d) after %d", tc.n, lo, hi, next)
			}
			next, count = hi, count+1
		}
		if next != tc.n || count != tc.chunks {
			t.Errorf("chunks(%d): %d ranges ending at %d; want %d ending at %d", tc.n, count, next, tc.chunks, tc.n)
		}
	}
}

func TestCeilSqrt(t *testing.T) {
	for _, x := range []uint64{0, 1, 2, 3, 4, 5, 99, 100, 101, 1 << 40, 1<<40 + 1, 1<<40 - 1, (1<<20 + 1) * (1<<20 + 1), 1 << 50} {
		r := ceilSqrt(x)
		if r*r < x || (r > 0 && (r-1)*(r-1) >= x) {
			t.Errorf("ceilSqrt(%d) = %d", x, r)
		}
	}
}

// FuzzTableLog checks that Log finds exactly the m within the bound.
func FuzzTableLog(f *testing.F) {
	const bound = 10_000
	tab, err := NewTable(bound)
	if err != nil {
		f.Fatal(err)
	}
	for _, m := range []uint64{0, 1, bound, bound + 1, 1 << 63} {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, m uint64) {
		got, err := tab.Log(mulG(m))
		if m <= bound {
			checkFound(t, "Log", got, err, m)
		} else {
			checkOutOfRange(t, "Log", got, err, bound)
		}
	})
}
