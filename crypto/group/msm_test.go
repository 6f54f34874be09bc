package group

import (
	"bytes"
	"fmt"
	"math/big"
	"math/rand/v2"
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

// msmCheckAllPaths checks the public function, whatever GOMAXPROCS is, and both
// internal paths, serial and split in two, against the naive sum.
func msmCheckAllPaths(t *testing.T, name string, s []*Scalar, q []*Point) {
	t.Helper()
	want := msmNaive(s, q)
	msmCheck(t, name+": public", VarTimeMultiScalarMult(s, q), want)
	serial := new(Point)
	varTimeMSM(&serial.e, s, q)
	msmCheck(t, name+": serial", serial, want)
	if len(s) >= 2 {
		split := new(Point)
		varTimeMSMParallel(&split.e, s, q, 2)
		msmCheck(t, name+": split", split, want)
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
// including those windowWidth never picks for these sizes.
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
				got := new(Point)
				pippengerWithWidth(&got.e, limbs, q, c)
				if !got.Equal(want) {
					t.Errorf("n=%d c=%d: got %v, want %v", n, c, got, want)
				}
			}
		}
	}
}

// TestVarTimeMSMParallelChunks splits into more chunks than this machine may
// have cores, including chunks of one point.
func TestVarTimeMSMParallelChunks(t *testing.T) {
	r := msmRand(t, 5)
	for _, n := range []int{2, 3, 10, 200} {
		s, q := msmRandomScalars(t, r, n), msmRandomPoints(t, r, n)
		want := msmNaive(s, q)
		for _, workers := range []int{2, 3, min(n, 7)} {
			got := new(Point)
			varTimeMSMParallel(&got.e, s, q, workers)
			if !got.Equal(want) {
				t.Errorf("n=%d workers=%d: got %v, want %v", n, workers, got, want)
			}
		}
	}
}

// TestRecode checks the signed digits against the scalar itself:
// Σ_w d_w·2^(c·w) = s and −2^(c-1) < d_w ≤ 2^(c-1), for every width.
func TestRecode(t *testing.T) {
	r := msmRand(t, 6)
	s := append(msmRandomScalars(t, r, 50), msmConstScalars(t, 1, msmEllMinusOne)[0],
		msmConstScalars(t, 1, [ScalarSize]byte{})[0])
	s = append(s, msmAllOnesScalars(t, 252)...)
	limbs, _ := scalarLimbs(s)
	for c := uint(1); c <= maxWindow; c++ {
		m := &pippenger{c: c, n: len(s)}
		m.recode(limbs)
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
			m := &pippenger{c: c, n: len(s)}
			m.recode(limbs)
			if limit := bits/int(c) + 1; m.windows > limit {
				t.Errorf("%d-bit scalars, c=%d: %d windows, want at most %d", bits, c, m.windows, limit)
			}
		}
	}
	m := &pippenger{c: 4, n: 3}
	m.recode(make([][4]uint64, 3))
	if m.windows != 0 {
		t.Errorf("zero scalars: %d windows, want 0", m.windows)
	}
}

func TestWindowWidth(t *testing.T) {
	prev := uint(0)
	for _, n := range []int{1, 10, 100, 1000, 10000, 100000, 1 << 30} {
		c := windowWidth(n, scalarBits)
		if c < 1 || c > maxWindow {
			t.Fatalf("n=%d: width %d outside [1, %d]", n, c, maxWindow)
		}
		if c < prev {
			t.Errorf("n=%d: width %d shrank from %d", n, c, prev)
		}
		prev = c
	}
	if c := windowWidth(1<<30, scalarBits); c != maxWindow {
		t.Errorf("huge n: width %d, want the cap %d", c, maxWindow)
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
		pippengerWithWidth(&got.e, limbs, q[:len(s)], c)
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
