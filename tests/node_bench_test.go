package tests

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/internal/synth"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/tests/cluster"
)

// BenchmarkNodeHolding measures one node process that ingests a whole
// synthetic election (one contest, 5 options) over HTTP from 64
// concurrent clients, with full verification and durable storage, and
// reports its ingest rate and its memory once it holds every ballot:
// resident now and at peak, and after a restart (which replays the log).
// EVOTE_BENCH_NODE_BALLOTS sets the ballots (default 20000); the
// million-ballot figure:
//
//	EVOTE_BENCH_NODE_BALLOTS=1000000 go test -run '^$' -bench NodeHolding -benchtime 1x -timeout 60m ./tests
func BenchmarkNodeHolding(b *testing.B) {
	n := 20000
	if s := os.Getenv("EVOTE_BENCH_NODE_BALLOTS"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 {
			b.Fatalf("EVOTE_BENCH_NODE_BALLOTS=%q: want a positive number", s)
		}
		n = v
	}
	dir := b.TempDir()
	el, err := synth.Write(filepath.Join(dir, "record"), synth.Params{Ballots: n})
	if err != nil {
		b.Fatal(err)
	}
	// The setup entries, then the ballots; nothing from the close on.
	setup, ballots, err := synth.ReadForIngest(filepath.Join(dir, "record"))
	if err != nil {
		b.Fatal(err)
	}
	os.RemoveAll(filepath.Join(dir, "record"))

	sec := &keyfile.Secret{Role: keyfile.Node, Name: "node-0", SigningKey: el.Nodes[0]}
	_, keyPath, err := sec.Write(dir, false)
	if err != nil {
		b.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cfg := filepath.Join(dir, "node.yaml")
	conf := fmt.Sprintf("key_file: %s\ndata_dir: %s\nhttp_listen: 127.0.0.1:%d\np2p_listen: [/ip4/127.0.0.1/tcp/0]\naudit_interval: -1s\nsync_interval: -1s\nlog_level: warn\n",
		keyPath, filepath.Join(dir, "data"), port)
	if err := os.WriteFile(cfg, []byte(conf), 0o600); err != nil {
		b.Fatal(err)
	}
	var running []*exec.Cmd
	defer func() {
		for _, cmd := range running {
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	start := func(k int) *exec.Cmd {
		ready := filepath.Join(dir, fmt.Sprintf("ready-%d", k))
		cmd := exec.Command(cluster.Binary(b), "node", "run", "--config", cfg, "--ready-file", ready)
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		running = append(running, cmd)
		// A restart replays the whole log, checking every entry: minutes
		// for a million ballots.
		wait := time.Duration(1+len(ballots)/2000) * time.Minute
		deadline := time.Now().Add(wait)
		for {
			if _, err := os.Stat(ready); err == nil {
				return cmd
			}
			if time.Now().After(deadline) {
				b.Fatalf("node start %d: not serving after %v", k, wait)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	stop := func(cmd *exec.Cmd) {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	cmd := start(1)
	cl, err := client.New([]string{fmt.Sprintf("http://127.0.0.1:%d", port)}, client.Options{Timeout: 2 * cluster.Timeout})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, e := range setup {
		if _, err := cl.Submit(ctx, e); err != nil {
			b.Fatal(err)
		}
	}

	b.ResetTimer()
	t0 := time.Now()
	var wg sync.WaitGroup
	const clients = 64
	for i := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := i; j < len(ballots); j += clients {
				if _, err := cl.Submit(ctx, ballots[j]); err != nil {
					b.Errorf("ballot %d: %v", j, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	b.StopTimer()
	rss, peak, anon := cluster.ProcMemory(cmd.Process.Pid)
	b.Logf("%d ballots at %.0f/s; RSS %d MiB (anonymous %d MiB), peak %d MiB", len(ballots),
		float64(len(ballots))/elapsed.Seconds(), rss>>20, anon>>20, peak>>20)
	stop(cmd)
	t1 := time.Now()
	cmd = start(2)
	restart := time.Since(t1)
	rss2, _, anon2 := cluster.ProcMemory(cmd.Process.Pid)

	b.ReportMetric(float64(len(ballots))/elapsed.Seconds(), "ballots/s")
	b.ReportMetric(float64(rss)/(1<<20), "RSS-MiB")
	b.ReportMetric(float64(peak)/(1<<20), "peak-RSS-MiB")
	b.ReportMetric(float64(anon)/(1<<20), "anon-MiB")
	b.ReportMetric(float64(anon)/float64(len(ballots)), "anon-B/ballot")
	b.ReportMetric(float64(anon2)/(1<<20), "anon-after-restart-MiB")
	b.ReportMetric(restart.Seconds(), "restart-s")
	b.ReportMetric(float64(rss2)/(1<<20), "RSS-after-restart-MiB")
}
