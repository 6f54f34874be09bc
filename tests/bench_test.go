package tests

import (
	"context"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/tests/cluster"
)

// benchBallots is how many ballots BenchmarkClusterIngest submits
// (EVOTE_BENCH_BALLOTS overrides it): 10,000, about eight seconds, so that
// the nodes' warm-up (connections, first batches, the collector's first
// cycles) is a small part of the figure; with 3,000 runs ranged
// 850–1,220/s.
func benchBallots(b *testing.B) int {
	n := 10000
	if s := os.Getenv("EVOTE_BENCH_BALLOTS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("EVOTE_BENCH_BALLOTS=%q: want a positive number", s)
		}
		n = v
	}
	return n
}

// BenchmarkClusterIngest measures a three-node board of separate processes
// on this machine: valid ballots (one contest, referendum), made before the
// clock starts, posted by 240 concurrent clients spread over the three
// nodes; the clock stops when every node holds every ballot (its signed
// checkpoint covers the whole log). It reports accepted-and-replicated
// ballots per second, the 99th-percentile submit latency, and the nodes'
// peak resident memory per ballot held.
//
//	go test -run '^$' -bench ClusterIngest -benchtime 1x ./tests
//
// BenchmarkClusterIngest: three node processes on this machine, 240 clients
// submitting ballots of the shape (one contest of 5 options) or the
// referendum's (one of 2), until every node holds every ballot.
func BenchmarkClusterIngest(b *testing.B) {
	b.Run("options=5", func(b *testing.B) { benchmarkClusterIngest(b, fiveOptionConfig) })
	b.Run("options=2", func(b *testing.B) {
		benchmarkClusterIngest(b, func(b *testing.B, c *cluster.Cluster) string {
			return c.ElectionConfig(b, "referendum.yaml")
		})
	})
}

func benchmarkClusterIngest(b *testing.B, config func(*testing.B, *cluster.Cluster) string) {
	n := benchBallots(b)
	c := cluster.New(b, cluster.Options{NodeConfig: "log_level: warn\nsync_interval: 10s\n"})
	e := c.Publish(b, config(b, c), n)
	c.OpenDirect(b, e)
	ballots := make([][]byte, n)
	var wg sync.WaitGroup
	for w := range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += runtime.GOMAXPROCS(0) {
				ballots[i] = e.Ballot(b, i, 0)
			}
		}()
	}
	wg.Wait()
	ctx := context.Background()
	want := uint64(setupEntries + n)
	verifiers := make([]func() uint64, len(c.Nodes))
	for k, nd := range c.Nodes {
		v, err := tlog.NewVerifier(nd.PublicKey())
		if err != nil {
			b.Fatal(err)
		}
		cl := nd.Client(b)
		verifiers[k] = func() uint64 {
			cp, err := cl.Checkpoint(ctx, e.ID, v)
			if err != nil {
				return 0
			}
			return cp.Size
		}
	}

	const clients = 240
	lat := make([][]time.Duration, clients)
	cpu0 := make([]time.Duration, len(c.Nodes))
	for k, nd := range c.Nodes {
		cpu0[k] = nd.CPUTime()
	}
	b.ResetTimer()
	start := time.Now()
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := c.Nodes[i%len(c.Nodes)].Client(b)
			for j := i; j < n; j += clients {
				t0 := time.Now()
				if _, err := cl.Submit(ctx, ballots[j]); err != nil {
					b.Errorf("ballot %d: %v", j, err)
					return
				}
				lat[i] = append(lat[i], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	accepted := time.Since(start)
	for k, size := range verifiers {
		cluster.WaitFor(b, c.Nodes[k].Name+" to hold every ballot", func() bool { return size() >= want })
	}
	replicated := time.Since(start)
	b.StopTimer()
	var cpu time.Duration
	for k, nd := range c.Nodes {
		cpu += nd.CPUTime() - cpu0[k]
	}

	if os.Getenv("EVOTE_BENCH_METRICS") != "" {
		for _, nd := range c.Nodes {
			b.Logf("%s: batches %.0f of %.0f entries, commits %.0f, rejections %.0f", nd.Name,
				metric(b, nd, "evote_node_batch_entries_count"), metric(b, nd, "evote_node_batch_entries_sum"),
				metric(b, nd, "evote_store_commits_total"), metric(b, nd, "evote_node_rejections_total"))
		}
	}
	all := slices.Concat(lat...)
	slices.Sort(all)
	var rss uint64
	for _, nd := range c.Nodes {
		rss = max(rss, nd.PeakRSS())
	}
	b.ReportMetric(float64(n)/accepted.Seconds(), "accepted/s")
	b.ReportMetric(float64(n)/replicated.Seconds(), "replicated/s")
	b.ReportMetric(float64(all[len(all)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(all[len(all)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(rss)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(float64(cpu.Microseconds())/float64(n), "node-CPU-µs/ballot")
	b.ReportMetric(cpu.Seconds()/replicated.Seconds(), "node-cores")
	b.ReportMetric(float64(rss)/float64(n), "RSS-B/ballot")
}
