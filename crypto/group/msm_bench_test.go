package group

import (
	"fmt"
	"sync"
	"testing"

	"github.com/gtank/ristretto255"
)

// msmBenchSizes are one ballot's proofs, a small batch, and a batch of 1,024
// ballots of about 36 points each.
var msmBenchSizes = []int{64, 1024, 37000}

func BenchmarkVarTimeMSM(b *testing.B) {
	for _, n := range msmBenchSizes {
		r := msmRand(b, uint64(n))
		s, q := msmRandomScalars(b, r, n), msmRandomPoints(b, r, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				VarTimeMultiScalarMult(s, q)
			}
			msmReportPerPoint(b, n)
		})
	}
}

// BenchmarkVarTimeMSM_Straus is the baseline: ristretto255's Straus method.
func BenchmarkVarTimeMSM_Straus(b *testing.B) {
	for _, n := range msmBenchSizes {
		r := msmRand(b, uint64(n))
		s, q := msmRandomScalars(b, r, n), msmRandomPoints(b, r, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			var out ristretto255.Element
			for b.Loop() {
				varTimeStraus(&out, s, q)
			}
			msmReportPerPoint(b, n)
		})
	}
}

// BenchmarkVarTimeMSM_128bit uses 128-bit scalars, the random coefficients
// of batch verification.
func BenchmarkVarTimeMSM_128bit(b *testing.B) {
	for _, n := range msmBenchSizes {
		r := msmRand(b, uint64(n))
		s, q := msmShortScalars(b, r, n, 128), msmRandomPoints(b, r, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			for b.Loop() {
				VarTimeMultiScalarMult(s, q)
			}
			msmReportPerPoint(b, n)
		})
	}
}

func msmReportPerPoint(b *testing.B, n int) {
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/point")
}

// BenchmarkVarTimeMSM_ElementAdd is the bucket method as it was before
// msm_field.go (msmRefVarTime, on ristretto255.Element.Add), for a ratio
// measured within one run on a shared machine.
func BenchmarkVarTimeMSM_ElementAdd(b *testing.B) {
	for _, bits := range []int{128, 253} {
		for _, n := range msmBenchSizes {
			r := msmRand(b, uint64(n))
			s, q := msmShortScalars(b, r, n, bits), msmRandomPoints(b, r, n)
			if bits == scalarBits {
				s = msmRandomScalars(b, r, n)
			}
			b.Run(fmt.Sprintf("bits=%d/n=%d", bits, n), func(b *testing.B) {
				for b.Loop() {
					msmRefVarTime(s, q)
				}
				msmReportPerPoint(b, n)
			})
		}
	}
}

// BenchmarkVarTimeMSM_BatchShape has the shape of the multi-scalar
// multiplications of contest.VerifyBatch at batch=1024 (measured): two
// concurrent calls of 18,433 points each, of which 5,121 have full-length
// scalars and the rest 128-bit batch coefficients. element is msmRefVarTime,
// the implementation before msm_field.go, for a ratio within one run.
func BenchmarkVarTimeMSM_BatchShape(b *testing.B) {
	const n, full = 18433, 5121
	r := msmRand(b, n)
	q := msmRandomPoints(b, r, n)
	s := msmShortScalars(b, r, n, 128)
	long := msmRandomScalars(b, r, full)
	for i := range long {
		s[i*n/full] = long[i]
	}
	for _, impl := range []struct {
		name string
		f    func([]*Scalar, []*Point) *Point
	}{{"field", VarTimeMultiScalarMult}, {"element", msmRefVarTime}} {
		b.Run(impl.name, func(b *testing.B) {
			for b.Loop() {
				var wg sync.WaitGroup
				wg.Go(func() { impl.f(s, q) })
				wg.Go(func() { impl.f(s, q) })
				wg.Wait()
			}
			msmReportPerPoint(b, 2*n)
		})
	}
}
