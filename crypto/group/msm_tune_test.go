//go:build linux

package group

import (
	"flag"
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
	"unsafe"

	"github.com/gtank/ristretto255"
)

// The sweeps below set the constants of msm.go. They are long, so they run
// only when asked, for a fixed number of rounds:
//
//	go test ./crypto/group/ -run '^$' -bench Tune -msmtune -benchtime 20x
//
// Each runs its variants in turn and reports, per variant, the fastest round
// per point (variant-ns/point): in thread CPU time for one goroutine, which
// other processes on a shared machine disturb far less than wall time, and
// in wall time for several.
var msmTune = flag.Bool("msmtune", false, "run the MSM tuning sweeps (BenchmarkTune*)")

// clockThreadCPUTime is CLOCK_THREAD_CPUTIME_ID, which package syscall does
// not name; getrusage(RUSAGE_THREAD) is too coarse for runs of a millisecond.
const clockThreadCPUTime = 3

func msmThreadCPU(b *testing.B) int64 {
	var ts syscall.Timespec
	if _, _, errno := syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTime,
		uintptr(unsafe.Pointer(&ts)), 0); errno != 0 {
		b.Fatalf("clock_gettime: %v", errno)
	}
	return ts.Nano()
}

// msmTuneSkip skips a sweep unless -msmtune asks for it, before it spends
// seconds making its inputs.
func msmTuneSkip(b *testing.B) {
	if !*msmTune {
		b.Skip("tuning sweep: run with -msmtune")
	}
}

// msmTuneCompare runs the variants in turn, each serially on one locked
// thread, for as many rounds as the benchmark asks, and reports per point
// (n points) the fastest thread CPU time of each: interference only ever adds
// time, and taking turns exposes every variant to the same drift.
func msmTuneCompare(b *testing.B, n int, names []string, fns []func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	msmTuneFastest(b, n, names, fns, msmThreadCPU)
}

// msmTuneCompareWall is msmTuneCompare in wall time, for variants that run
// on several goroutines.
func msmTuneCompareWall(b *testing.B, n int, names []string, fns []func()) {
	msmTuneFastest(b, n, names, fns, func(*testing.B) int64 { return time.Now().UnixNano() })
}

func msmTuneFastest(b *testing.B, n int, names []string, fns []func(), clock func(*testing.B) int64) {
	fastest := make([]int64, len(fns))
	for b.Loop() {
		for k, f := range fns {
			start := clock(b)
			f()
			if d := clock(b) - start; fastest[k] == 0 || d < fastest[k] {
				fastest[k] = d
			}
		}
	}
	for k, name := range names {
		b.ReportMetric(float64(fastest[k])/float64(n), name+"-ns/point")
	}
}

// BenchmarkTuneParallel compares VarTimeMultiScalarMult with msmRefVarTime,
// the implementation before msm_field.go, in wall time on GOMAXPROCS cores.
func BenchmarkTuneParallel(b *testing.B) {
	msmTuneSkip(b)
	for _, n := range []int{64, 128, 192, 256, 1024, 37000} {
		for _, bits := range []int{128, scalarBits} {
			r := msmRand(b, uint64(n))
			s, q := msmTuneScalars(b, r, n, bits), msmRandomPoints(b, r, n)
			b.Run(fmt.Sprintf("n=%d/bits=%d", n, bits), func(b *testing.B) {
				msmTuneCompareWall(b, n, []string{"element", "field"}, []func(){
					func() { msmRefVarTime(s, q) },
					func() { VarTimeMultiScalarMult(s, q) },
				})
			})
		}
	}
}

// BenchmarkTuneWidth runs the bucket method at the width windowWidth picks
// and at its neighbours (reported as c-2 … c+2), for the sizes a worker sees.
func BenchmarkTuneWidth(b *testing.B) {
	msmTuneSkip(b)
	for _, n := range []int{128, 256, 512, 1024, 4096, 18500, 37000} {
		for _, bits := range []int{128, scalarBits} {
			r := msmRand(b, uint64(n))
			s, q := msmTuneScalars(b, r, n, bits), msmRandomPoints(b, r, n)
			limbs, maxBits := scalarLimbs(s)
			picked := windowWidth(n, maxBits, 1)
			var names []string
			var fns []func()
			for c := max(picked, 3) - 2; c <= min(picked+2, maxWindow); c++ {
				names = append(names, fmt.Sprintf("c=%d", c))
				fns = append(fns, func() {
					var out ristretto255.Element
					pippengerWithWidth(&out, limbs, q, c, 1)
				})
			}
			b.Run(fmt.Sprintf("n=%d/bits=%d/picked=%d", n, bits, picked), func(b *testing.B) {
				msmTuneCompare(b, n, names, fns)
			})
		}
	}
}

// BenchmarkTuneCrossover compares Straus and the bucket method on one thread
// around pippengerMinPoints.
func BenchmarkTuneCrossover(b *testing.B) {
	msmTuneSkip(b)
	for _, n := range []int{96, 112, 128, 144, 160, 192} {
		r := msmRand(b, uint64(n))
		s, q := msmRandomScalars(b, r, n), msmRandomPoints(b, r, n)
		var out ristretto255.Element
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			msmTuneCompare(b, n, []string{"straus", "pippenger"}, []func(){
				func() { varTimeStraus(&out, s, q) },
				func() { varTimePippenger(&out, s, q, 1) },
			})
		})
	}
}

// BenchmarkTuneCrossoverParallel is BenchmarkTuneCrossover on GOMAXPROCS
// goroutines, in wall time: Straus on chunks of points, the bucket method on
// ranges of windows.
func BenchmarkTuneCrossoverParallel(b *testing.B) {
	msmTuneSkip(b)
	workers := runtime.GOMAXPROCS(0)
	for _, n := range []int{24, 32, 48, 64, 96, 128} {
		r := msmRand(b, uint64(n))
		s, q := msmRandomScalars(b, r, n), msmRandomPoints(b, r, n)
		var out ristretto255.Element
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			msmTuneCompareWall(b, n, []string{"straus", "straus-split", "pippenger"}, []func(){
				func() { varTimeStraus(&out, s, q) },
				func() { varTimeStrausParallel(&out, s, q, workers) },
				func() { varTimePippenger(&out, s, q, workers) },
			})
		})
	}
}

// BenchmarkTuneElementAdd compares, on one thread, the field-level bucket
// method with msmRefPippenger, each at its own best width.
func BenchmarkTuneElementAdd(b *testing.B) {
	msmTuneSkip(b)
	for _, n := range []int{1024, 18500} {
		for _, bits := range []int{128, scalarBits} {
			r := msmRand(b, uint64(n))
			s, q := msmTuneScalars(b, r, n, bits), msmRandomPoints(b, r, n)
			limbs, maxBits := scalarLimbs(s)
			var out ristretto255.Element
			b.Run(fmt.Sprintf("n=%d/bits=%d", n, bits), func(b *testing.B) {
				msmTuneCompare(b, n, []string{"element", "field"}, []func(){
					func() { msmRefPippenger(&out, limbs, q, msmRefWindowWidth(n, maxBits)) },
					func() { pippengerWithWidth(&out, limbs, q, windowWidth(n, maxBits, 1), 1) },
				})
			})
		}
	}
}

// msmTuneScalars returns n random scalars of the given bit length: 128 for
// batch coefficients, scalarBits for full scalars.
func msmTuneScalars(b *testing.B, r *rand.ChaCha8, n, bits int) []*Scalar {
	b.Helper()
	if bits == scalarBits {
		return msmRandomScalars(b, r, n)
	}
	return msmShortScalars(b, r, n, bits)
}
