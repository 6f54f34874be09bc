package group

import (
	"encoding/binary"
	"math/bits"
	"runtime"
	"sync"

	"filippo.io/edwards25519/field"
	"github.com/gtank/ristretto255"
)

// Thresholds measured on a 2-core AMD EPYC with the sweeps of
// msm_tune_test.go (thread CPU time per point, fastest of many rounds, on a
// shared machine); they move the crossovers, never the result.
const (
	// pippengerMinPoints is the smallest n for which the bucket method is no
	// slower than ristretto255's Straus, on one core: both take 7.5 µs per
	// point at 128, and the bucket method is 2% faster at 144, 5% at 160,
	// 13% at 192, 18% at 256.
	pippengerMinPoints = 128
	// parallelMinPoints is the smallest n below pippengerMinPoints that is
	// split across goroutines, into chunks of at least half of it. On two
	// idle cores a 2-way split of Straus is 1.3× faster at n = 32, 1.55× at
	// 64; below 64 the gain is small, and callers that verify single ballots
	// already run many of them at once. The bucket method splits its windows
	// instead, with no extra work, whenever GOMAXPROCS allows.
	parallelMinPoints = 64
	// scalarBits bounds the length of every canonical scalar: ℓ < 2^253.
	scalarBits = 253
	// maxWindow bounds the window width so that digits, at most 2^(c-1) in
	// absolute value, fit in an int16, and the buckets of one goroutine
	// (2^(c-1) elements of 160 bytes) stay within a few megabytes.
	maxWindow = 15
	// fillCost and sumCost are the costs, in field multiplications, of
	// adding a point into a bucket (a mixed addition, 7) and of each of the
	// two additions per bucket that sum a window (extended coordinates, 9).
	// With them windowWidth picks the fastest width of BenchmarkTuneWidth,
	// or a neighbour within 4% of it, from 128 to 37,000 points.
	fillCost, sumCost = 7, 9
)

// VarTimeMultiScalarMult returns Σ s[i]·q[i], in variable time: for public
// values only (verification). It panics if the slices differ in length, a
// programming error; every element of s and q must be non-nil. For n = 0 it
// returns the identity. It does not modify its inputs and is safe to call
// concurrently.
//
// Small inputs use ristretto255's Straus method. Larger ones use Pippenger's
// bucket method with signed digits, whose cost grows with the bit length of
// the longest scalar, so short batch coefficients are cheaper. Both run on
// up to runtime.GOMAXPROCS(0) goroutines.
func VarTimeMultiScalarMult(s []*Scalar, q []*Point) *Point {
	if len(s) != len(q) {
		panic("group: VarTimeMultiScalarMult with slices of different lengths")
	}
	p := new(Point)
	varTimeMSM(&p.e, s, q, runtime.GOMAXPROCS(0))
	return p
}

// varTimeMSM sets out = Σ s[i]·q[i] on at most workers goroutines, choosing
// the method by size.
func varTimeMSM(out *ristretto255.Element, s []*Scalar, q []*Point, workers int) {
	if len(s) >= pippengerMinPoints {
		varTimePippenger(out, s, q, workers)
		return
	}
	workers = min(workers, len(s)/(parallelMinPoints/2))
	if workers <= 1 {
		varTimeStraus(out, s, q)
		return
	}
	varTimeStrausParallel(out, s, q, workers)
}

// varTimeStrausParallel sets out = Σ s[i]·q[i] by summing the results of
// workers goroutines, each running Straus over a contiguous chunk of the
// inputs.
func varTimeStrausParallel(out *ristretto255.Element, s []*Scalar, q []*Point, workers int) {
	partial := make([]ristretto255.Element, workers)
	parallelChunks(len(s), workers, func(k, lo, hi int) {
		varTimeStraus(&partial[k], s[lo:hi], q[lo:hi])
	})
	out.Set(&partial[0])
	for i := 1; i < workers; i++ {
		out.Add(out, &partial[i])
	}
}

// parallelChunks runs f(k, lo, hi) on its own goroutine for each of the
// workers contiguous chunks [lo, hi) of [0, n), and waits for all of them.
func parallelChunks(n, workers int, f func(k, lo, hi int)) {
	if workers <= 1 {
		f(0, 0, n)
		return
	}
	var wg sync.WaitGroup
	for k := range workers {
		lo, hi := k*n/workers, (k+1)*n/workers
		wg.Go(func() { f(k, lo, hi) })
	}
	wg.Wait()
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

// pippenger holds, for Pippenger's bucket method, the signed digits of every
// scalar window by window and the points in affine form, shared read-only
// by the goroutines that each sum a range of windows.
type pippenger struct {
	c       uint    // window width in bits
	n       int     // number of points
	windows int     // number of windows that hold a nonzero digit
	digits  []int16 // digits[w*n+i] is digit w of scalar i, in (-2^(c-1), 2^(c-1)]
	nonzero []int   // nonzero[w] counts the nonzero digits of window w
	points  []affineNiels
	negXYD  []field.Element // −d·xy of every point, for the vector fill
}

// varTimePippenger sets out = Σ s[i]·q[i] with Pippenger's bucket method on
// at most workers goroutines.
func varTimePippenger(out *ristretto255.Element, s []*Scalar, q []*Point, workers int) {
	limbs, maxBits := scalarLimbs(s)
	pippengerWithWidth(out, limbs, q, windowWidth(len(s), maxBits, workers), workers)
}

// pippengerWithWidth is varTimePippenger with the scalars as limbs and a
// given window width c in [1, maxWindow]: for each window of c bits, point i
// goes into the bucket of its digit, and Σ_j j·bucket[j] is computed with two
// running sums; the windows are combined by Horner's rule with c doublings
// each. The points are prepared in chunks, one per goroutine; then each
// goroutine sums a range of windows over all the points, so that the
// per-window cost of summing the buckets is paid once, not once per chunk.
func pippengerWithWidth(out *ristretto255.Element, limbs [][4]uint64, q []*Point, c uint, workers int) {
	m := &pippenger{c: c, n: len(limbs)}
	m.prepare(limbs, q, max(1, min(workers, m.n/(parallelMinPoints/2))))
	bounds := m.split(workers)
	partial := make([]extPoint, len(bounds)-1)
	found := make([]bool, len(bounds)-1)
	parallelChunks(len(partial), len(partial), func(k, _, _ int) {
		found[k] = m.windowRange(&partial[k], bounds[k], bounds[k+1])
	})
	var acc extPoint
	acc.setIdentity()
	started := false // whether acc is nonzero yet, to skip doubling the identity
	for k := len(partial) - 1; k >= 0; k-- {
		if started {
			for range c * uint(bounds[k+1]-bounds[k]) {
				acc.double()
			}
		}
		if found[k] {
			addOrSet(&acc, &partial[k], started)
			started = true
		}
	}
	acc.element(out)
}

// prepare recodes the scalars and converts the points, in chunks on
// workers goroutines.
func (m *pippenger) prepare(limbs [][4]uint64, q []*Point, workers int) {
	// One window more than the bits need, for a final carry. Below ℓ it never
	// happens (a set bit 252 implies zero bits 125–251, which stop the carry),
	// but the spare window costs nothing when it stays empty.
	total := (scalarBits+int(m.c)-1)/int(m.c) + 1
	m.digits = make([]int16, total*m.n)
	m.points = make([]affineNiels, m.n)
	counts := make([][]int, workers)
	parallelChunks(m.n, workers, func(k, lo, hi int) {
		counts[k] = m.recode(limbs, lo, hi, total)
		affineNielsFromPoints(m.points[lo:hi], q[lo:hi])
	})
	if useVectorFill {
		m.negXYD = negatedXYD(m.points)
	}
	m.nonzero = make([]int, total)
	for _, count := range counts {
		for w, x := range count {
			m.nonzero[w] += x
		}
	}
	for w, x := range m.nonzero {
		if x > 0 {
			m.windows = w + 1
		}
	}
}

// split returns the bounds of at most workers contiguous ranges of windows,
// [bounds[k], bounds[k+1]), of about equal estimated cost.
func (m *pippenger) split(workers int) []int {
	cost := func(w int) int {
		if m.nonzero[w] == 0 {
			return 0
		}
		fill, sum := costs()
		return int(fill*float64(m.nonzero[w]) + sum*float64(int(1)<<m.c))
	}
	total := 0
	for w := range m.windows {
		total += cost(w)
	}
	bounds := []int{0}
	done := 0
	for w := range m.windows {
		// Cut after window w if that lands nearer the next share than
		// cutting after w+1 would.
		done += cost(w)
		k := len(bounds)
		if k < workers && w+1 < m.windows && 2*done*workers >= (2*total*k-cost(w+1)*workers) {
			bounds = append(bounds, w+1)
		}
	}
	return append(bounds, m.windows)
}

// windowRange sets sum = Σ_{lo≤w<hi} 2^(c(w−lo))·Σ_i digit_w(s[i])·q[i], with
// its own buckets, and reports whether any of those digits is nonzero; when
// it is false, sum is unchanged.
func (m *pippenger) windowRange(sum *extPoint, lo, hi int) bool {
	b := &buckets{points: make([]extPoint, 1<<(m.c-1)), filled: make([]bool, 1<<(m.c-1))}
	if useVectorFill {
		b.vec = newVectorBuckets(len(b.points))
	}
	var window extPoint
	started := false
	for w := hi - 1; w >= lo; w-- {
		if started {
			for range m.c {
				sum.double()
			}
		}
		if m.nonzero[w] > 0 && b.window(&window, m.digits[w*m.n:(w+1)*m.n], m.points, m.negXYD) {
			addOrSet(sum, &window, started)
			started = true
		}
	}
	return started
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

// windowWidth returns the c that minimises the estimated cost, in field
// multiplications, of the bucket method for n scalars of at most bits bits
// whose ⌈(bits+1)/c⌉ windows (one more bit for the final carry of the signed
// digits) are shared among workers goroutines: per window, n mixed additions
// and two additions per bucket for its sum.
func windowWidth(n, bits, workers int) uint {
	best, bestCost := uint(1), -1
	for c := uint(1); c <= maxWindow; c++ {
		windows := (bits + 1 + int(c) - 1) / int(c)
		perWorker := (windows + workers - 1) / workers
		fill, sum := costs()
		cost := perWorker * int(fill*float64(n)+sum*float64(int(1)<<c))
		if bestCost < 0 || cost < bestCost {
			best, bestCost = c, cost
		}
	}
	return best
}

// recode writes the signed base-2^c digits of scalars [lo, hi) into
// m.digits, for total windows, and returns how many of them are nonzero in
// each window.
func (m *pippenger) recode(limbs [][4]uint64, lo, hi, total int) []int {
	nonzero := make([]int, total)
	half, full := uint64(1)<<(m.c-1), uint64(1)<<m.c
	for i := lo; i < hi; i++ {
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
				nonzero[w]++
			}
		}
	}
	return nonzero
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

// buckets are the 2^(c-1) buckets of one goroutine.
type buckets struct {
	points []extPoint
	filled []bool         // filled[j] reports whether points[j] holds a point
	vec    *vectorBuckets // set when useVectorFill
}

// window sets sum = Σ_i digits[i]·q[i], where q holds the points in affine
// form, and reports whether any digit is nonzero; when it is false, sum is
// unchanged.
func (b *buckets) window(sum *extPoint, digits []int16, q []affineNiels, negXYD []field.Element) bool {
	var top int
	if b.vec != nil {
		top = b.fillVector(digits, q, negXYD)
	} else {
		top = b.fill(digits, q)
	}
	if top < 0 {
		return false
	}
	// Σ_j (j+1)·bucket[j] = Σ_j running_j, where running_j = Σ_{k≥j} bucket[k].
	var running extPoint
	haveRunning, haveSum := false, false
	for j := top; j >= 0; j-- {
		if b.filled[j] {
			addOrSet(&running, &b.points[j], haveRunning)
			haveRunning = true
		}
		if haveRunning {
			addOrSet(sum, &running, haveSum)
			haveSum = true
		}
	}
	return haveSum
}

// fill adds or subtracts every point into the bucket of its digit and
// returns the highest bucket index that it filled, or -1 if all digits are 0.
func (b *buckets) fill(digits []int16, q []affineNiels) int {
	clear(b.filled)
	top := -1
	for i, d := range digits {
		if d == 0 {
			continue
		}
		neg := d < 0
		j := int(d) - 1
		if neg {
			j = int(-d) - 1
		}
		switch p := &b.points[j]; {
		case !b.filled[j]:
			// Setting an empty bucket costs one multiplication; starting
			// it at the identity would cost an addition.
			p.setAffine(&q[i], neg)
			b.filled[j] = true
			top = max(top, j)
		case neg:
			p.subAffine(&q[i])
		default:
			p.addAffine(&q[i])
		}
	}
	return top
}

// addOrSet sets acc = acc + x if have, else acc = x: an empty accumulator is
// tracked by a flag instead of holding the identity, which saves an addition.
func addOrSet(acc, x *extPoint, have bool) {
	if have {
		acc.add(x)
	} else {
		*acc = *x
	}
}
