package store

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/evote/evote/election"
)

// BenchmarkAppend appends 3.5 KB entries (a ballot's size), one entry a
// call, durably, from 1 or 64 concurrent callers: an op is one entry.
// entries/s and syncs/s show the group commit at work.
func BenchmarkAppend(b *testing.B) {
	for _, callers := range []int{1, 64} {
		b.Run(fmt.Sprintf("concurrent=%d", callers), func(b *testing.B) {
			s := openTest(b, b.TempDir())
			defer s.Close()
			items := make([]Item, b.N)
			for i := range items {
				items[i] = item(uint64(i), election.TypeBallot, 3500)
			}
			var next atomic.Int64
			var wg sync.WaitGroup
			b.SetBytes(3500)
			b.ResetTimer()
			for range callers {
				wg.Go(func() {
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						if _, err := s.Append(context.Background(), elA, items[i:i+1]); err != nil {
							b.Error(err)
							return
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			st := s.Stats()
			secs := b.Elapsed().Seconds()
			b.ReportMetric(float64(st.Entries)/secs, "entries/s")
			b.ReportMetric(float64(st.Commits)/secs, "syncs/s")
			b.ReportMetric(float64(st.Entries)/float64(st.Commits), "entries/sync")
		})
	}
}

// BenchmarkInclusionProof reads the nodes of a proof from badger in a log
// of 65,536 entries.
func BenchmarkInclusionProof(b *testing.B) {
	s := openTest(b, b.TempDir())
	defer s.Close()
	ctx := context.Background()
	const size = 1 << 16
	for start := 0; start < size; start += 1000 {
		items := make([]Item, min(1000, size-start))
		for i := range items {
			items[i] = item(uint64(start+i), election.TypeBallot, 64)
		}
		if _, err := s.Append(ctx, elA, items); err != nil {
			b.Fatal(err)
		}
	}
	i := uint64(0)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.InclusionProof(ctx, elA, i%size, size); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}
