package group

import (
	"bytes"
	"fmt"
	"math/big"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/gtank/ristretto255"
)

// msmEllMinusOne is ℓ−1, the largest canonical scalar, little-endian.
var msmEllMinusOne = [ScalarSize]byte{
	0xec, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
}

// msmRand is a deterministic source, so that a failure reproduces.
func msmRand(t testing.TB, seed uint64) *rand.ChaCha8 {
	t.Helper()
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func msmRandomPoints(t testing.TB, r *rand.ChaCha8, n int) []*Point {
	t.Helper()
	q := make([]*Point, n)
	var b [64]byte
	for i := range q {
		r.Read(b[:])
		q[i] = new(Point)
		q[i].e.FromUniformBytes(b[:])
	}
	return q
}

func msmRandomScalars(t testing.TB, r *rand.ChaCha8, n int) []*Scalar {
	t.Helper()
	s := make([]*Scalar, n)
	for i := range s {
		x, err := RandomScalar(r)
		if err != nil {
			t.Fatal(err)
		}
		s[i] = x
	}
	return s
}

// msmShortScalars returns n random scalars below 2^bits, as batch verification
// draws its coefficients.
func msmShortScalars(t testing.TB, r *rand.ChaCha8, n, bits int) []*Scalar {
	t.Helper()
	s := make([]*Scalar, n)
	for i := range s {
		var b [ScalarSize]byte
		r.Read(b[:bits/8])
		x, err := DecodeScalar(b[:])
		if err != nil {
			t.Fatal(err)
		}
		s[i] = x
	}
	return s
}

func msmConstScalars(t testing.TB, n int, enc [ScalarSize]byte) []*Scalar {
	t.Helper()
	s := make([]*Scalar, n)
	for i := range s {
		x, err := DecodeScalar(enc[:])
		if err != nil {
			t.Fatal(err)
		}
		s[i] = x
	}
	return s
}

// msmNaive is the reference: Σ s[i]·q[i] one constant-time product at a time.
func msmNaive(s []*Scalar, q []*Point) *Point {
	sum := NewIdentity()
	for i := range s {
		sum.Add(sum, new(Point).ScalarMult(s[i], q[i]))
	}
	return sum
}

// msmCheck compares got with want and checks that got carries no cached
// encoding that could be stale.
func msmCheck(t *testing.T, name string, got, want *Point) {
	t.Helper()
	if got.hasEnc {
		t.Errorf("%s: result claims a cached encoding", name)
	}
	if !bytes.Equal(got.Bytes(), got.e.Bytes()) {
		t.Errorf("%s: Bytes() = %x, fresh encoding %x", name, got.Bytes(), got.e.Bytes())
	}
	if !got.Equal(want) {
		t.Errorf("%s: got %v, want %v", name, got, want)
	}
}

// msmSizes covers the edges of every method: empty, tiny, both sides of the
// parallel threshold, of the Straus/Pippenger crossover (serially and per
// chunk of a 2-way split), and a few thousand.
var msmSizes = []int{
	0, 1, 2, 3, 7, 31,
	parallelMinPoints - 1, parallelMinPoints, parallelMinPoints + 1,
	pippengerMinPoints - 1, pippengerMinPoints, pippengerMinPoints + 1,
	2*pippengerMinPoints - 1, 2 * pippengerMinPoints, 2*pippengerMinPoints + 1,
	3001,
}

// msmCheckAllPaths checks the public function, whatever GOMAXPROCS is, and
// the internal paths on one and on two goroutines, against the naive sum.
func msmCheckAllPaths(t *testing.T, name string, s []*Scalar, q []*Point) {
	t.Helper()
	want := msmNaive(s, q)
	msmCheck(t, name+": public", VarTimeMultiScalarMult(s, q), want)
	for _, workers := range []int{1, 2} {
		got := new(Point)
		varTimeMSM(&got.e, s, q, workers)
		msmCheck(t, fmt.Sprintf("%s: %d workers", name, workers), got, want)
	}
	if len(s) >= 2 {
		split := new(Point)
		varTimeStrausParallel(&split.e, s, q, 2)
		msmCheck(t, name+": Straus split", split, want)
	}
}

func TestVarTimeMultiScalarMultRandom(t *testing.T) {
	for _, n := range msmSizes {
		r := msmRand(t, uint64(n))
		s, q := msmRandomScalars(t, r, n), msmRandomPoints(t, r, n)
		msmCheckAllPaths(t, fmt.Sprintf("random n=%d", n), s, q)
	}
}

func TestVarTimeMultiScalarMultScalarShapes(t *testing.T) {
	const n = 2*pippengerMinPoints + 5 // every path: split chunks run Pippenger
	r := msmRand(t, 1)
	q := msmRandomPoints(t, r, n)
	mixed := msmRandomScalars(t, r, n)
	for i := 0; i < n; i += 3 {
		mixed[i] = NewScalar()
	}
	one := msmConstScalars(t, 1, [ScalarSize]byte{1})[0]
	for i := 1; i < n; i += 7 {
		mixed[i] = one
	}
	shapes := map[string][]*Scalar{
		"zero":     msmConstScalars(t, n, [ScalarSize]byte{}),
		"ℓ-1":      msmConstScalars(t, n, msmEllMinusOne),
		"128-bit":  msmShortScalars(t, r, n, 128),
		"64-bit":   msmShortScalars(t, r, n, 64),
		"8-bit":    msmShortScalars(t, r, n, 8),
		"mixed":    mixed,
		"all-ones": msmAllOnesScalars(t, n),
	}
	for name, s := range shapes {
		for _, m := range []int{1, parallelMinPoints + 1, pippengerMinPoints + 1, len(s)} {
			m = min(m, len(s))
			msmCheckAllPaths(t, fmt.Sprintf("%s n=%d", name, m), s[:m], q[:m])
		}
	}
}

// msmAllOnesScalars returns scalars 2^k − 1 for k = 1…252 in turn, whose signed
// digits carry through every window.
func msmAllOnesScalars(t testing.TB, n int) []*Scalar {
	t.Helper()
	s := make([]*Scalar, n)
	for i := range s {
		k := 1 + i%252
		v := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(k)), big.NewInt(1))
		s[i] = msmBigScalar(t, v)
	}
	return s
}

func msmBigScalar(t testing.TB, v *big.Int) *Scalar {
	t.Helper()
	var b [ScalarSize]byte
	v.FillBytes(b[:])
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	x, err := DecodeScalar(b[:])
	if err != nil {
		t.Fatal(err)
	}
	return x
}

func TestVarTimeMultiScalarMultPointShapes(t *testing.T) {
	const n = 2*pippengerMinPoints + 5
	r := msmRand(t, 2)
	s := msmRandomScalars(t, r, n)
	same := make([]*Point, n)
	g := Generator() // carries a cached encoding, which the result must not inherit
	for i := range same {
		same[i] = g
	}
	withIdentity := msmRandomPoints(t, r, n)
	for i := 0; i < n; i += 5 {
		withIdentity[i] = NewIdentity()
	}
	identity := make([]*Point, n)
	for i := range identity {
		identity[i] = NewIdentity()
	}
	// Point i equals point i+1 and its negation is point i+2, so buckets
	// receive P+P and P−P.
	pairs := msmRandomPoints(t, r, n)
	for i := 0; i+2 < n; i += 3 {
		pairs[i+1] = pairs[i]
		pairs[i+2] = new(Point).Negate(pairs[i])
	}
	shapes := map[string][]*Point{
		"same point":    same,
		"with identity": withIdentity,
		"all identity":  identity,
		"pairs":         pairs,
	}
	for name, q := range shapes {
		for _, m := range []int{1, 3, parallelMinPoints + 1, pippengerMinPoints + 1, len(q)} {
			msmCheckAllPaths(t, fmt.Sprintf("%s n=%d", name, m), s[:m], q[:m])
		}
		// The same scalar everywhere puts equal points in the same bucket.
		sameScalar := msmConstScalars(t, len(q), msmEllMinusOne)
		msmCheckAllPaths(t, name+" ℓ-1", sameScalar, q)
	}
}

func TestVarTimeMultiScalarMultNoStaleEncoding(t *testing.T) {
	// A single decoded point times one: the result equals the input but must
	// be a fresh Point, and changing it must change its encoding.
	g := Generator()
	q, err := DecodePoint(g.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	one := msmConstScalars(t, 1, [ScalarSize]byte{1})
	for _, n := range []int{1, parallelMinPoints, pippengerMinPoints, 2 * pippengerMinPoints} {
		s, qs := make([]*Scalar, n), make([]*Point, n)
		for i := range s {
			s[i], qs[i] = one[0], q
		}
		got := VarTimeMultiScalarMult(s, qs)
		msmCheck(t, fmt.Sprintf("decoded n=%d", n), got, msmNaive(s, qs))
		before := got.Bytes()
		got.Add(got, g)
		if bytes.Equal(got.Bytes(), before) {
			t.Errorf("n=%d: encoding did not change after Add", n)
		}
		if q.hasEnc == false || !bytes.Equal(q.Bytes(), g.Bytes()) {
			t.Errorf("n=%d: input point was modified", n)
		}
	}
}

func TestVarTimeMultiScalarMultLengthMismatch(t *testing.T) {
	r := msmRand(t, 3)
	for _, c := range []struct{ ns, nq int }{{1, 0}, {0, 1}, {5, 4}, {1000, 1001}} {
		s, q := msmRandomScalars(t, r, c.ns), msmRandomPoints(t, r, c.nq)
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("len(s)=%d len(q)=%d: no panic", c.ns, c.nq)
				}
			}()
			VarTimeMultiScalarMult(s, q)
		}()
	}
}

// TestPippengerEveryWidth runs the bucket method with every window width,
// including those windowWidth never picks for these sizes, on one to three
// goroutines in turn. The widest windows cost 2^c additions each whatever n
// is, so they run on the smallest inputs only, to keep -race quick.
func TestPippengerEveryWidth(t *testing.T) {
	r := msmRand(t, 4)
	for _, n := range []int{1, 2, 5, 40} {
		q := msmRandomPoints(t, r, n)
		for _, s := range [][]*Scalar{
			msmRandomScalars(t, r, n),
			msmConstScalars(t, n, msmEllMinusOne),
			msmShortScalars(t, r, n, 128),
			msmConstScalars(t, n, [ScalarSize]byte{}),
		} {
			limbs, _ := scalarLimbs(s)
			want := msmNaive(s, q)
			for c := uint(1); c <= maxWindow; c++ {
				if c > 11 && n > 2 {
					continue
				}
				workers := 1 + (n+int(c))%3
				got := new(Point)
				pippengerWithWidth(&got.e, limbs, q, c, workers)
				if !got.Equal(want) {
					t.Errorf("n=%d c=%d workers=%d: got %v, want %v", n, c, workers, got, want)
				}
			}
		}
	}
}

// TestVarTimeMSMParallelChunks splits into more chunks than this machine may
// have cores, including chunks of one point, and more workers than windows.
func TestVarTimeMSMParallelChunks(t *testing.T) {
	r := msmRand(t, 5)
	for _, n := range []int{2, 3, 10, 200, 2*pippengerMinPoints + 1} {
		s, q := msmRandomScalars(t, r, n), msmRandomPoints(t, r, n)
		want := msmNaive(s, q)
		for _, workers := range []int{2, 3, min(n, 7)} {
			got := new(Point)
			varTimeStrausParallel(&got.e, s, q, workers)
			if !got.Equal(want) {
				t.Errorf("Straus n=%d workers=%d: got %v, want %v", n, workers, got, want)
			}
			limbs, _ := scalarLimbs(s)
			for _, c := range []uint{4, 13} {
				got := new(Point)
				pippengerWithWidth(&got.e, limbs, q, c, workers)
				if !got.Equal(want) {
					t.Errorf("Pippenger n=%d c=%d workers=%d: got %v, want %v", n, c, workers, got, want)
				}
			}
		}
	}
}

// msmRecoded returns the bucket method's state for these scalars at width c,
// prepared on workers goroutines, with points that are all the identity.
func msmRecoded(limbs [][4]uint64, c uint, workers int) *pippenger {
	q := make([]*Point, len(limbs))
	for i := range q {
		q[i] = NewIdentity()
	}
	m := &pippenger{c: c, n: len(limbs)}
	m.prepare(limbs, q, workers)
	return m
}

// TestRecode checks the signed digits against the scalar itself:
// Σ_w d_w·2^(c·w) = s and −2^(c-1) < d_w ≤ 2^(c-1), for every width, and
// the count of nonzero digits in each window, whether recoded in one chunk
// or several.
func TestRecode(t *testing.T) {
	r := msmRand(t, 6)
	s := append(msmRandomScalars(t, r, 50), msmConstScalars(t, 1, msmEllMinusOne)[0],
		msmConstScalars(t, 1, [ScalarSize]byte{})[0])
	s = append(s, msmAllOnesScalars(t, 252)...)
	limbs, _ := scalarLimbs(s)
	for c := uint(1); c <= maxWindow; c++ {
		for _, workers := range []int{1, 3} {
			m := msmRecoded(limbs, c, workers)
			for i := range s {
				sum := new(big.Int)
				for w := m.windows - 1; w >= 0; w-- {
					d := m.digits[w*m.n+i]
					if d > 1<<(c-1) || d <= -(1<<(c-1)) {
						t.Fatalf("c=%d scalar %d window %d: digit %d out of range", c, i, w, d)
					}
					sum.Lsh(sum, c).Add(sum, big.NewInt(int64(d)))
				}
				if want := msmScalarBig(s[i]); sum.Cmp(want) != 0 {
					t.Fatalf("c=%d scalar %d: digits give %v, want %v", c, i, sum, want)
				}
			}
			for w := range m.nonzero {
				count := 0
				for _, d := range m.digits[w*m.n : (w+1)*m.n] {
					if d != 0 {
						count++
					}
				}
				if m.nonzero[w] != count {
					t.Fatalf("c=%d workers=%d window %d: nonzero = %d, want %d", c, workers, w, m.nonzero[w], count)
				}
				if count > 0 && w >= m.windows {
					t.Fatalf("c=%d workers=%d: window %d has digits, windows = %d", c, workers, w, m.windows)
				}
			}
		}
	}
}

func msmScalarBig(s *Scalar) *big.Int {
	b := s.Bytes()
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return new(big.Int).SetBytes(b)
}

// TestRecodeSkipsEmptyWindows checks that short scalars leave the high
// windows out, which is what makes 128-bit coefficients cheaper.
func TestRecodeSkipsEmptyWindows(t *testing.T) {
	r := msmRand(t, 7)
	for _, bits := range []int{8, 64, 128} {
		s := msmShortScalars(t, r, 100, bits)
		limbs, maxBits := scalarLimbs(s)
		if maxBits > bits {
			t.Fatalf("%d-bit scalars: maxBits = %d", bits, maxBits)
		}
		for c := uint(1); c <= maxWindow; c++ {
			m := msmRecoded(limbs, c, 1)
			if limit := bits/int(c) + 1; m.windows > limit {
				t.Errorf("%d-bit scalars, c=%d: %d windows, want at most %d", bits, c, m.windows, limit)
			}
		}
	}
	if m := msmRecoded(make([][4]uint64, 3), 4, 1); m.windows != 0 {
		t.Errorf("zero scalars: %d windows, want 0", m.windows)
	}
}

func TestWindowWidth(t *testing.T) {
	for _, workers := range []int{1, 2, 8} {
		prev := uint(0)
		for _, n := range []int{1, 10, 100, 1000, 10000, 100000, 1 << 30} {
			c := windowWidth(n, scalarBits, workers)
			if c < 1 || c > maxWindow {
				t.Fatalf("n=%d workers=%d: width %d outside [1, %d]", n, workers, c, maxWindow)
			}
			if c < prev {
				t.Errorf("n=%d workers=%d: width %d shrank from %d", n, workers, c, prev)
			}
			prev = c
		}
		// With 8 workers, width 11 (24 windows, 3 each) beats 15 (17 windows,
		// still 3 for some).
		if c := windowWidth(1<<30, scalarBits, workers); c != maxWindow && workers <= 2 {
			t.Errorf("huge n, workers=%d: width %d, want the cap %d", workers, c, maxWindow)
		}
	}
}

// TestSplit checks that the windows are cut into at most workers contiguous
// ranges that cover them all, none costing more than its share plus one
// window.
func TestSplit(t *testing.T) {
	r := msmRand(t, 11)
	for _, shape := range []struct {
		name string
		s    []*Scalar
	}{
		{"253-bit", msmRandomScalars(t, r, 300)},
		{"128-bit", msmShortScalars(t, r, 300, 128)},
		{"mixed", append(msmRandomScalars(t, r, 150), msmShortScalars(t, r, 150, 128)...)},
		{"one", msmConstScalars(t, 5, [ScalarSize]byte{1})},
		{"zero", msmConstScalars(t, 5, [ScalarSize]byte{})},
	} {
		limbs, _ := scalarLimbs(shape.s)
		for _, c := range []uint{1, 5, 11} {
			m := msmRecoded(limbs, c, 1)
			cost := func(w int) int {
				if m.nonzero[w] == 0 {
					return 0
				}
				fill, sum := costs()
				return int(fill*float64(m.nonzero[w]) + sum*float64(int(1)<<c))
			}
			total, most := 0, 0
			for w := range m.windows {
				total += cost(w)
				most = max(most, cost(w))
			}
			for _, workers := range []int{1, 2, 3, 7, 100} {
				name := fmt.Sprintf("%s c=%d workers=%d", shape.name, c, workers)
				b := m.split(workers)
				if len(b) < 2 || len(b) > workers+1 || b[0] != 0 || b[len(b)-1] != m.windows {
					t.Errorf("%s: bounds %v for %d windows", name, b, m.windows)
					continue
				}
				for k := 1; k < len(b); k++ {
					if b[k] < b[k-1] || (b[k] == b[k-1] && m.windows > 0) {
						t.Errorf("%s: bounds %v not increasing", name, b)
					}
					rangeCost := 0
					for w := b[k-1]; w < b[k]; w++ {
						rangeCost += cost(w)
					}
					if rangeCost > total/workers+most {
						t.Errorf("%s: range %d costs %d, share %d + %d", name, k-1, rangeCost, total/workers, most)
					}
				}
			}
		}
	}
}

// FuzzVarTimeMultiScalarMult compares the bucket method, at a width taken
// from the input, with the naive sum, for scalars taken from the input.
func FuzzVarTimeMultiScalarMult(f *testing.F) {
	f.Add(uint8(4), msmEllMinusOne[:])
	f.Add(uint8(1), bytes.Repeat([]byte{0xff}, 100))
	f.Add(uint8(15), []byte{1, 2, 3})
	r := msmRand(f, 8)
	q := msmRandomPoints(f, r, 8)
	f.Fuzz(func(t *testing.T, width uint8, data []byte) {
		c := 1 + uint(width)%maxWindow
		var s []*Scalar
		for len(data) > 0 && len(s) < len(q) {
			var b [64]byte
			data = data[copy(b[:ScalarSize], data):]
			x := new(Scalar)
			x.s.FromUniformBytes(b[:])
			s = append(s, x)
		}
		limbs, _ := scalarLimbs(s)
		got := new(Point)
		pippengerWithWidth(&got.e, limbs, q[:len(s)], c, 1+int(width)%3)
		if want := msmNaive(s, q[:len(s)]); !got.Equal(want) {
			t.Errorf("c=%d n=%d: got %v, want %v", c, len(s), got, want)
		}
	})
}

// The Point of an empty sum is the identity, not a zero Element.
func TestVarTimeMultiScalarMultEmpty(t *testing.T) {
	got := VarTimeMultiScalarMult(nil, nil)
	if !got.IsIdentity() || !bytes.Equal(got.Bytes(), ristretto255.NewIdentityElement().Bytes()) {
		t.Errorf("empty sum = %v, want the identity", got)
	}
}

// msmRefPippenger is the bucket method as it was before msm_field.go, on
// ristretto255.Element.Add: the reference for the field-level code, and the
// baseline of its benchmarks. It shares only the signed-digit recoding.
func msmRefPippenger(out *ristretto255.Element, limbs [][4]uint64, q []*Point, c uint) {
	m := msmRecoded(limbs, c, 1)
	buckets := make([]ristretto255.Element, 1<<(c-1))
	filled := make([]bool, 1<<(c-1))
	addOrSet := func(acc, x *ristretto255.Element, have bool) {
		if have {
			acc.Add(acc, x)
		} else {
			acc.Set(x)
		}
	}
	out.Set(ristretto255.NewIdentityElement())
	started := false
	for w := m.windows - 1; w >= 0; w-- {
		if started {
			for range c {
				out.Add(out, out)
			}
		}
		clear(filled)
		top := -1
		for i, d := range m.digits[w*m.n : (w+1)*m.n] {
			switch {
			case d > 0:
				j := int(d) - 1
				addOrSet(&buckets[j], &q[i].e, filled[j])
				filled[j] = true
				top = max(top, j)
			case d < 0:
				j := int(-d) - 1
				if filled[j] {
					buckets[j].Subtract(&buckets[j], &q[i].e)
				} else {
					buckets[j].Negate(&q[i].e)
					filled[j] = true
				}
				top = max(top, j)
			}
		}
		var running, sum ristretto255.Element
		haveRunning, haveSum := false, false
		for j := top; j >= 0; j-- {
			if filled[j] {
				addOrSet(&running, &buckets[j], haveRunning)
				haveRunning = true
			}
			if haveRunning {
				addOrSet(&sum, &running, haveSum)
				haveSum = true
			}
		}
		if haveSum {
			addOrSet(out, &sum, started)
			started = true
		}
	}
}

// msmRefWindowWidth is windowWidth as tuned for msmRefPippenger, where every
// addition cost the same.
func msmRefWindowWidth(n, bits int) uint {
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

// msmRefVarTime is VarTimeMultiScalarMult as it was before msm_field.go,
// with its thresholds then: Straus below 192 points, a split from 64.
func msmRefVarTime(s []*Scalar, q []*Point) *Point {
	serial := func(out *ristretto255.Element, s []*Scalar, q []*Point) {
		if len(s) < 192 {
			varTimeStraus(out, s, q)
			return
		}
		limbs, maxBits := scalarLimbs(s)
		msmRefPippenger(out, limbs, q, msmRefWindowWidth(len(s), maxBits))
	}
	p := new(Point)
	workers := min(runtime.GOMAXPROCS(0), len(s)/32)
	if workers <= 1 {
		serial(&p.e, s, q)
		return p
	}
	partial := make([]ristretto255.Element, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(s)/workers, (w+1)*len(s)/workers
		wg.Go(func() { serial(&partial[w], s[lo:hi], q[lo:hi]) })
	}
	wg.Wait()
	p.e.Set(&partial[0])
	for i := 1; i < workers; i++ {
		p.e.Add(&p.e, &partial[i])
	}
	return p
}

// msmTrickyPoints returns n points among which are the identity, repeats of
// one point, and pairs P, −P, so that buckets receive P + P (a doubling
// inside the addition formula) and P − P (the identity).
func msmTrickyPoints(t testing.TB, r *rand.ChaCha8, n int) []*Point {
	t.Helper()
	q := msmRandomPoints(t, r, n)
	for i := range q {
		switch i % 6 {
		case 1:
			q[i] = NewIdentity()
		case 2:
			q[i] = q[0]
		case 4:
			q[i] = new(Point).Negate(q[i-1])
		case 5:
			q[i] = new(Point).Set(q[i-2]) // equal, not the same pointer
		}
	}
	return q
}

// TestPippengerMatchesElementAdd runs the field-level bucket method against
// msmRefPippenger for every width, on tricky points and scalars of every
// length, and the public function against msmRefVarTime.
func TestPippengerMatchesElementAdd(t *testing.T) {
	r := msmRand(t, 9)
	for _, n := range []int{1, 2, 6, 61, 300} {
		q := msmTrickyPoints(t, r, n)
		shapes := map[string][]*Scalar{
			"8-bit":   msmShortScalars(t, r, n, 8),
			"64-bit":  msmShortScalars(t, r, n, 64),
			"128-bit": msmShortScalars(t, r, n, 128),
			"253-bit": msmRandomScalars(t, r, n),
			"ℓ-1":     msmConstScalars(t, n, msmEllMinusOne),
			"one":     msmConstScalars(t, n, [ScalarSize]byte{1}),
		}
		for name, s := range shapes {
			limbs, _ := scalarLimbs(s)
			// Widths up to 10 here; TestPippengerEveryWidth has the rest.
			for c := uint(1); c <= 10; c++ {
				if n > 61 && c%4 != 1 {
					continue
				}
				var want, got ristretto255.Element
				msmRefPippenger(&want, limbs, q, c)
				pippengerWithWidth(&got, limbs, q, c, 1+int(c)%3)
				if !bytes.Equal(got.Bytes(), want.Bytes()) {
					t.Errorf("%s n=%d c=%d: got %x, want %x", name, n, c, got.Bytes(), want.Bytes())
				}
			}
			got, want := VarTimeMultiScalarMult(s, q), msmRefVarTime(s, q)
			if !bytes.Equal(got.Bytes(), want.Bytes()) {
				t.Errorf("%s n=%d public: got %x, want %x", name, n, got.Bytes(), want.Bytes())
			}
		}
	}
}

// TestPippengerBucketDoubling puts P twice into one bucket, then P and −P,
// with nothing else in any window, so that the result hangs on those two
// additions alone.
func TestPippengerBucketDoubling(t *testing.T) {
	r := msmRand(t, 10)
	P := msmRandomPoints(t, r, 1)[0]
	three := msmConstScalars(t, 2, [ScalarSize]byte{3})
	for _, c := range []struct {
		name string
		q    []*Point
		want *Point
	}{
		{"P+P", []*Point{P, P}, new(Point).ScalarMult(ScalarFromUint64(6), P)},
		{"P-P", []*Point{P, new(Point).Negate(P)}, NewIdentity()},
	} {
		limbs, _ := scalarLimbs(three)
		for w := uint(2); w <= 4; w++ {
			got := new(Point)
			pippengerWithWidth(&got.e, limbs, c.q, w, 1)
			msmCheck(t, fmt.Sprintf("%s c=%d", c.name, w), got, c.want)
		}
	}
}

// msmExt returns p's Edwards representative in extended coordinates.
func msmExt(p *Point) *extPoint {
	var x extPoint
	x.fromElement(&p.e)
	return &x
}

// msmFromExt returns the Point that x represents.
func msmFromExt(x *extPoint) *Point {
	p := new(Point)
	x.element(&p.e)
	return p
}

// TestExtPointFormulas checks every field-level formula against ristretto255
// on the cases that complete formulas must survive: the identity, P + P,
// P − P, and representatives with Z ≠ 1.
func TestExtPointFormulas(t *testing.T) {
	r := msmRand(t, 12)
	rnd := msmRandomPoints(t, r, 3)
	P, Q := rnd[0], rnd[1]
	// A sum keeps Z ≠ 1; a decoded point has Z = 1.
	P.Add(P, rnd[2])
	id := NewIdentity()
	negP := new(Point).Negate(P)
	points := []*Point{P, Q, id, negP, Generator()}
	affine := make([]affineNiels, len(points))
	affineNielsFromPoints(affine, points)
	for i, a := range points {
		var set extPoint
		set.setAffine(&affine[i], false)
		msmCheck(t, fmt.Sprintf("setAffine(%d)", i), msmFromExt(&set), a)
		set.setAffine(&affine[i], true)
		msmCheck(t, fmt.Sprintf("setAffine(−%d)", i), msmFromExt(&set), new(Point).Negate(a))

		dbl := msmExt(a)
		dbl.double()
		msmCheck(t, fmt.Sprintf("double(%d)", i), msmFromExt(dbl), new(Point).Add(a, a))

		for j, b := range points {
			name := fmt.Sprintf("%d, %d", i, j)
			sum := msmExt(a)
			sum.add(msmExt(b))
			msmCheck(t, "add("+name+")", msmFromExt(sum), new(Point).Add(a, b))

			sum = msmExt(a)
			sum.addAffine(&affine[j])
			msmCheck(t, "addAffine("+name+")", msmFromExt(sum), new(Point).Add(a, b))

			diff := msmExt(a)
			diff.subAffine(&affine[j])
			msmCheck(t, "subAffine("+name+")", msmFromExt(diff), new(Point).Subtract(a, b))
		}
	}
	var idExt extPoint
	idExt.setIdentity()
	msmCheck(t, "setIdentity", msmFromExt(&idExt), id)
}

// TestAffineNielsFromPoints checks the batch conversion against converting
// each point alone, for lengths around every edge of the walk back.
func TestAffineNielsFromPoints(t *testing.T) {
	r := msmRand(t, 13)
	q := msmTrickyPoints(t, r, 9)
	for i := range q {
		q[i] = new(Point).Add(q[i], NewIdentity()) // Z ≠ 1 for most
		if i%3 == 1 {
			// Decoded points have Z = 1 exactly, which takes the short path.
			d, err := DecodePointOrIdentity(q[i].Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if coordinatesOf(edwardsOf(&d.e))[2] != *feOne {
				t.Fatal("a decoded point's Z is not exactly one: the short path goes untested")
			}
			q[i] = d
		}
	}
	for n := 0; n <= len(q); n++ {
		batch := make([]affineNiels, n)
		affineNielsFromPoints(batch, q[:n])
		for i := range n {
			var one [1]affineNiels
			affineNielsFromPoints(one[:], q[i:i+1])
			if batch[i].yPlusX.Equal(&one[0].yPlusX) != 1 || batch[i].yMinusX.Equal(&one[0].yMinusX) != 1 ||
				batch[i].xyd.Equal(&one[0].xyd) != 1 {
				t.Errorf("n=%d point %d: batch conversion differs from a single one", n, i)
			}
			var p extPoint
			p.setAffine(&batch[i], false)
			msmCheck(t, fmt.Sprintf("n=%d point %d", n, i), msmFromExt(&p), q[i])
		}
	}
}
