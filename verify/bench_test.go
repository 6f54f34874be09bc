package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/evote/evote/internal/synth"
)

// BenchmarkVerify verifies a synthetic record of one contest with 5
// options (choose one), 3 trustees, 3 nodes, from a record directory, as
// `evote verify --record` does. It reports the wall time per ballot, the
// whole run (s/record), and the peak resident memory of the run (peak-MB,
// from /proc/self/status after resetting the peak; 0 where Linux's
// clear_refs is not available).
//
// The 1M row runs only with EVOTE_BENCH_1M=1 (it writes a 1.9 GB record
// to $TMPDIR/evote-bench-1m once and reuses it):
//
//	EVOTE_BENCH_1M=1 go test -run '^$' -bench 'Verify/ballots=1000000' -benchtime 1x -timeout 60m ./verify
func BenchmarkVerify(b *testing.B) {
	for _, n := range []int{1000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			dir := benchRecord(b, n)
			var peak float64
			for b.Loop() {
				resetPeak()
				start := time.Now()
				rep := Run(context.Background(), Dir(dir), Options{})
				if !rep.OK() {
					var s strings.Builder
					rep.WriteText(&s)
					b.Fatalf("the synthetic record does not verify:\n%s", s.String())
				}
				b.ReportMetric(time.Since(start).Seconds(), "s/record")
				peak = max(peak, peakMB())
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/ballot")
			b.ReportMetric(peak, "peak-MB")
		})
	}
}

// benchRecord returns a record directory of n ballots.
func benchRecord(b *testing.B, n int) string {
	b.Helper()
	p := synth.Params{Ballots: n, Revotes: n / 1000, Spoiled: 10}
	if n < 1_000_000 {
		dir := filepath.Join(b.TempDir(), "record")
		if _, err := synth.Write(dir, p); err != nil {
			b.Fatal(err)
		}
		return dir
	}
	if os.Getenv("EVOTE_BENCH_1M") == "" {
		b.Skip("set EVOTE_BENCH_1M=1 for the million-ballot row (it writes a 1.9 GB record once)")
	}
	dir := filepath.Join(os.TempDir(), "evote-bench-1m")
	done := filepath.Join(dir, "complete")
	if _, err := os.Stat(done); err != nil {
		if _, err := synth.Write(dir, p); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(done, nil, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// resetPeak resets the process's peak resident set size (Linux).
func resetPeak() {
	runtime.GC()
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakMB returns the process's peak resident set size in MB, or 0.
func peakMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}
