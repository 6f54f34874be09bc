package group

import (
	"testing"

	"github.com/evote/evote/crypto/internal/field8"
)

// The vector fill (eight buckets at a time with field8) against the naive
// sum and the scalar fill, on inputs that stress its bookkeeping: one bucket
// holding every point (more than one field8 call of vectorSteps), negative
// digits only, repeated points, and a group of buckets smaller than eight.
func TestPippengerVectorFill(t *testing.T) {
	if !field8.Available() {
		t.Skip("no AVX-512 IFMA: the scalar fill is what runs, and the other MSM tests cover it")
	}
	defer func(saved bool) { useVectorFill = saved }(useVectorFill)
	r := msmRand(t, 11)
	minusOne := msmEllMinusOne
	one := [ScalarSize]byte{1}
	five := [ScalarSize]byte{5}
	for _, n := range []int{1, 3, 9, 130, 300, 1000} {
		q := msmRandomPoints(t, r, n)
		repeated := make([]*Point, n)
		for i := range repeated {
			repeated[i] = q[i%3]
		}
		for name, s := range map[string][]*Scalar{
			"random":   msmRandomScalars(t, r, n),
			"128-bit":  msmShortScalars(t, r, n, 128),
			"all one":  msmConstScalars(t, n, one),
			"all five": msmConstScalars(t, n, five),
			"all −1":   msmConstScalars(t, n, minusOne),
			"all zero": msmConstScalars(t, n, [ScalarSize]byte{}),
		} {
			limbs, _ := scalarLimbs(s)
			for _, points := range [][]*Point{q, repeated} {
				want := msmNaive(s, points)
				for _, c := range []uint{1, 4, 8, 11} {
					for _, vector := range []bool{false, true} {
						useVectorFill = vector
						got := new(Point)
						pippengerWithWidth(&got.e, limbs, points, c, 1+n%2)
						if !got.Equal(want) {
							t.Fatalf("%s, n=%d, c=%d, vector=%v: wrong sum", name, n, c, vector)
						}
					}
				}
			}
		}
	}
}
