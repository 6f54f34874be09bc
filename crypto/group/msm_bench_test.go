package group

import (
	"fmt"
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
