package group

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"sync"

	"github.com/gtank/ristretto255"
)

// Thresholds measured on a 2-core AMD EPYC (thread CPU time per point, and
// msm_bench_test.go); they move the crossovers, never the result.
const (
	// pippengerMinPoints is the smallest n for which the bucket method is no
	// slower than ristretto255's Straus: both take 8.3 µs per point at 192,
	// and Pippenger is 11% faster at 256, 21% at 384, 40% at 1024.
	pippengerMinPoints = 192
	// parallelMinPoints is the smallest n that is split across goroutines,
	// into chunks of at least half of it. On two idle cores a 2-way split
	// is 1.3× faster at n = 32, 1.55× at 64, 1.95× at 37,000; below 64 the
	// gain is small, and callers that verify single ballots already run
	// many of them at once.
	parallelMinPoints = 64
	// scalarBits bounds the length of every canonical scalar: ℓ < 2^253.
	scalarBits = 253
	// maxWindow bounds the window width so that digits, at most 2^(c-1) in
	// absolute value, fit in an int16, and the buckets of one goroutine
	// (2^(c-1) elements of 160 bytes) stay within a few megabytes.
	maxWindow = 15
)

// VarTimeMultiScalarMult returns Σ s[i]·q[i], in variable time: for public
// values only (verification). It panics if the slices differ in length, a
// programming error; every element of s and q must be non-nil. For n = 0 it
// returns the identity. It does not modify its inputs and is safe to call
// concurrently.
//
// Small inputs use ristretto255's Straus method. Larger ones use Pippenger's
// bucket method with signed digits, whose cost grows with the bit length of
// the longest scalar, so short batch coefficients are cheaper; large inputs
// are split across runtime.GOMAXPROCS(0) goroutines.
func VarTimeMultiScalarMult(s []*Scalar, q []*Point) *Point {
	if len(s) != len(q) {
		panic("group: VarTimeMultiScalarMult with slices of different lengths")
	}
	p := new(Point)
	workers := min(runtime.GOMAXPROCS(0), len(s)/(parallelMinPoints/2))
	if workers <= 1 {
		varTimeMSM(&p.e, s, q)
		return p
	}
	varTimeMSMParallel(&p.e, s, q, workers)
	return p
}

// varTimeMSMParallel sets out = Σ s[i]·q[i] by summing the results of
// workers goroutines, each over a contiguous chunk of the inputs.
func varTimeMSMParallel(out *ristretto255.Element, s []*Scalar, q []*Point, workers int) {
	partial := make([]ristretto255.Element, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(s)/workers, (w+1)*len(s)/workers
		wg.Go(func() { varTimeMSM(&partial[w], s[lo:hi], q[lo:hi]) })
	}
	wg.Wait()
	out.Set(&partial[0])
	for i := 1; i < workers; i++ {
		out.Add(out, &partial[i])
	}
}

// varTimeMSM sets out = Σ s[i]·q[i] on the calling goroutine, choosing the
// method by size.
func varTimeMSM(out *ristretto255.Element, s []*Scalar, q []*Point) {
	if len(s) < pippengerMinPoints {
		varTimeStraus(out, s, q)
		return
	}
	varTimePippenger(out, s, q)
}

// varTimeStraus sets out = Σ s[i]·q[i] with ristretto255's Straus method.
func varTimeStraus(out *ristretto255.Element, s []*Scalar, q []*Point) {
	ss := make([]*ristretto255.Scalar, len(s))
	qq := make([]*ristretto255.Element, len(q))
	for i := range s {
		ss[i], qq[i] = &s[i].s, &q[i].e
	}
	// Element.VarTimeMultiScalarMult of nothing is the identity.
	out.VarTimeMultiScalarMult(ss, qq)
}

// pippenger holds the signed digits of every scalar, window by window, and
// the buckets of one window.
type pippenger struct {
	c       uint    // window width in bits
	n       int     // number of points
	windows int     // number of windows that hold a nonzero digit
	digits  []int16 // digits[w*n+i] is digit w of scalar i, in (-2^(c-1), 2^(c-1)]
	buckets []ristretto255.Element
	filled  []bool // filled[j] reports whether buckets[j] holds a point
}

// varTimePippenger sets out = Σ s[i]·q[i] with Pippenger's bucket method:
// for each window of c bits, point i goes into the bucket of its digit, and
// Σ_j j·bucket[j] is computed with two running sums; the windows are then
// combined by Horner's rule with c doublings each.
func varTimePippenger(out *ristretto255.Element, s []*Scalar, q []*Point) {
	limbs, maxBits := scalarLimbs(s)
	pippengerWithWidth(out, limbs, q, windowWidth(len(s), maxBits))
}

// pippengerWithWidth is varTimePippenger with the scalars as limbs and a
// given window width c in [1, maxWindow].
func pippengerWithWidth(out *ristretto255.Element, limbs [][4]uint64, q []*Point, c uint) {
	m := &pippenger{c: c, n: len(limbs)}
	m.recode(limbs)
	m.buckets = make([]ristretto255.Element, 1<<(c-1))
	m.filled = make([]bool, 1<<(c-1))

	out.Set(ristretto255.NewIdentityElement())
	var sum ristretto255.Element
	started := false // whether out is nonzero yet, to skip doubling the identity
	for w := m.windows - 1; w >= 0; w-- {
		if started {
			for range c {
				out.Add(out, out)
			}
		}
		if m.window(w, q, &sum) {
			out.Add(out, &sum)
			started = true
		}
	}
}

// scalarLimbs returns the scalars as little-endian 64-bit limbs and the bit
// length of the longest one.
func scalarLimbs(s []*Scalar) ([][4]uint64, int) {
	limbs := make([][4]uint64, len(s))
	maxBits := 0
	var buf [ScalarSize]byte
	for i, x := range s {
		b := x.s.Encode(buf[:0])
		for k := range limbs[i] {
			limbs[i][k] = binary.LittleEndian.Uint64(b[8*k:])
		}
		maxBits = max(maxBits, bitLen(&limbs[i]))
	}
	return limbs, maxBits
}

func bitLen(l *[4]uint64) int {
	for k := 3; k >= 0; k-- {
		if l[k] != 0 {
			return 64*k + bits.Len64(l[k])
		}
	}
	return 0
}

// windowWidth returns the c that minimises the estimated number of point
// additions for n scalars of at most bits bits: each of the ⌈(bits+1)/c⌉
// windows (one more bit for the final carry of the signed digits) costs n
// bucket additions and 2·2^(c-1) for the running sums.
func windowWidth(n, bits int) uint {
	best, bestCost := uint(1), -1
	for c := uint(1); c <= maxWindow; c++ {
		windows := (bits + 1 + int(c) - 1) / int(c)
		cost := windows * (n + 1<<c)
		if bestCost < 0 || cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return best
}

// recode fills m.digits with the signed base-2^c digits of every scalar and
// sets m.windows to one past the highest window with a nonzero digit.
func (m *pippenger) recode(limbs [][4]uint64) {
	// One window more than the bits need, for a final carry. Below ℓ it never
	// happens (a set bit 252 implies zero bits 125–251, which stop the carry),
	// but the spare window costs nothing when it stays empty.
	total := (scalarBits+int(m.c)-1)/int(m.c) + 1
	m.digits = make([]int16, total*m.n)
	half, full := uint64(1)<<(m.c-1), uint64(1)<<m.c
	for i := range limbs {
		carry := uint64(0)
		for w := range total {
			v := windowBits(&limbs[i], uint(w)*m.c, m.c) + carry
			carry = 0
			d := int16(v)
			if v > half { // digits stay within (-2^(c-1), 2^(c-1)]
				d, carry = int16(int64(v)-int64(full)), 1
			}
			if d != 0 {
				m.digits[w*m.n+i] = d
				m.windows = max(m.windows, w+1)
			}
		}
	}
}

// windowBits returns bits [off, off+c) of the 256-bit little-endian value l.
func windowBits(l *[4]uint64, off, c uint) uint64 {
	k, sh := off/64, off%64
	if k >= 4 {
		return 0
	}
	v := l[k] >> sh
	if sh+c > 64 && k+1 < 4 {
		v |= l[k+1] << (64 - sh)
	}
	return v & (1<<c - 1)
}

// window sets sum = Σ_i digit_w(s[i])·q[i] and reports whether any digit of
// window w is nonzero; when it is false, sum is unchanged.
func (m *pippenger) window(w int, q []*Point, sum *ristretto255.Element) bool {
	top := m.fillBuckets(m.digits[w*m.n:(w+1)*m.n], q)
	if top < 0 {
		return false
	}
	// Σ_j (j+1)·bucket[j] = Σ_j running_j, where running_j = Σ_{k≥j} bucket[k].
	var running ristretto255.Element
	haveRunning, haveSum := false, false
	for j := top; j >= 0; j-- {
		if m.filled[j] {
			addOrSet(&running, &m.buckets[j], haveRunning)
			haveRunning = true
		}
		if haveRunning {
			addOrSet(sum, &running, haveSum)
			haveSum = true
		}
	}
	return haveSum
}

// fillBuckets adds or subtracts every point into the bucket of its digit and
// returns the highest bucket index that it filled, or -1 if all digits are 0.
func (m *pippenger) fillBuckets(digits []int16, q []*Point) int {
	clear(m.filled)
	top := -1
	for i, d := range digits {
		switch {
		case d > 0:
			j := int(d) - 1
			addOrSet(&m.buckets[j], &q[i].e, m.filled[j])
			m.filled[j] = true
			top = max(top, j)
		case d < 0:
			j := int(-d) - 1
			if m.filled[j] {
				m.buckets[j].Subtract(&m.buckets[j], &q[i].e)
			} else {
				m.buckets[j].Negate(&q[i].e)
				m.filled[j] = true
			}
			top = max(top, j)
		}
	}
	return top
}

// addOrSet sets acc = acc + x if have, else acc = x: an empty accumulator is
// tracked by a flag instead of holding the identity, which saves an addition.
func addOrSet(acc, x *ristretto255.Element, have bool) {
	if have {
		acc.Add(acc, x)
	} else {
		acc.Set(x)
	}
}
