package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/synth"
)

// detRand is a deterministic stream for ballot randomness in benchmarks.
type detRand struct {
	seed  [32]byte
	block uint64
	buf   []byte
}

func (r *detRand) Read(p []byte) (int, error) {
	for n := 0; n < len(p); {
		if len(r.buf) == 0 {
			h := sha256.Sum256(binary.BigEndian.AppendUint64(r.seed[:], r.block))
			r.block++
			r.buf = h[:]
		}
		k := copy(p[n:], r.buf)
		r.buf, n = r.buf[k:], n+k
	}
	return len(p), nil
}

// revotes returns count new ballots of the good referendum record, cast by
// its three voters as revotes (all valid: the last-ballot rule keeps
// every ballot and picks one per credential).
func revotes(b testing.TB, good [][]byte, count int) [][]byte {
	rec, errs := election.Replay(good[:8]) // through open
	if len(errs) != 1 {                    // only C49: no result yet
		b.Fatal(errs)
	}
	pk := elgamal.NewPublicKey(rec.Key())
	out := make([][]byte, count)
	var wg sync.WaitGroup
	per := (count + runtime.NumCPU() - 1) / runtime.NumCPU()
	for w := 0; w*per < count; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rnd := &detRand{seed: sha256.Sum256([]byte(fmt.Sprintf("revotes %d", w)))}
			for i := w * per; i < min(count, (w+1)*per); i++ {
				voter := testKey(fmt.Sprintf("voter/%d", i%3))
				e, _, err := election.NewBallot(rec.Manifest(), rec.ID(), pk, voter, 0, uint32(10+i), [][]uint64{{uint64(i % 2), uint64(1 - i%2)}}, rnd)
				if err != nil {
					panic(err)
				}
				out[i] = e.Bytes()
			}
		}()
	}
	wg.Wait()
	return out
}

// BenchmarkIngestBallots measures one node's ingest of ballots that many
// clients submit at once, through the Board and through the HTTP API: the
// record check in batches (ApplyBytesBatch), the group commit to disk and
// the signed receipts. Each round ingests the same ballots into a fresh
// node.
func BenchmarkIngestBallots(b *testing.B) {
	const count = 2048
	good := readRecord(b, "good_referendum.rec")
	ballots := revotes(b, good, count)
	b.Run("board", func(b *testing.B) {
		benchmarkIngest(b, good, ballots, func(n *running) func(context.Context, []byte) error {
			return func(ctx context.Context, e []byte) error { _, err := n.Submit(ctx, e); return err }
		})
	})
	b.Run("http", func(b *testing.B) {
		benchmarkIngest(b, good, ballots, func(n *running) func(context.Context, []byte) error {
			return func(ctx context.Context, e []byte) error { _, err := n.client.Submit(ctx, e); return err }
		})
	})
}

func benchmarkIngest(b *testing.B, good, ballots [][]byte, via func(*running) func(context.Context, []byte) error) {
	benchmarkIngestWith(b, testKey("bench-node"), good[:8], ballots, via)
}

// benchmarkIngestWith starts a fresh node with key for each round, submits
// setup untimed, then times ballots from 128 clients.
func benchmarkIngestWith(b *testing.B, key ed25519.PrivateKey, setup, ballots [][]byte, via func(*running) func(context.Context, []byte) error) {
	const clients = 128
	count := len(ballots)
	ctx := context.Background()
	var elapsed time.Duration
	for b.Loop() {
		b.StopTimer()
		cfg := testConfig(b, key)
		cfg.Logger = nil
		cfg.LogLevel = 8 // above error: nothing
		n := startNode(b, cfg)
		for _, e := range setup {
			if _, err := n.Submit(ctx, e); err != nil {
				b.Fatal(err)
			}
		}
		work := make(chan []byte, count)
		for _, e := range ballots {
			work <- e
		}
		close(work)
		b.StartTimer()
		start := time.Now()
		var wg sync.WaitGroup
		submit := via(n)
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for e := range work {
					if err := submit(ctx, e); err != nil {
						b.Error(err)
						return
					}
				}
			}()
		}
		wg.Wait()
		elapsed += time.Since(start)
		b.StopTimer()
		n.stop(b)
		b.StartTimer()
	}
	b.ReportMetric(float64(count*b.N)/elapsed.Seconds(), "ballots/s")
	b.ReportMetric(0, "ns/op")
}

// BenchmarkIngestFiveOptions is BenchmarkIngestBallots with the issue's
// ballot — one contest of 5 options, from internal/synth — into one node in
// this process: full verification, group commit and receipts, 128 clients.
func BenchmarkIngestFiveOptions(b *testing.B) {
	const count = 4096
	dir := b.TempDir()
	el, err := synth.Write(filepath.Join(dir, "record"), synth.Params{Ballots: count})
	if err != nil {
		b.Fatal(err)
	}
	setup, ballots, err := synth.ReadForIngest(filepath.Join(dir, "record"))
	if err != nil {
		b.Fatal(err)
	}
	for _, via := range []string{"board", "http"} {
		b.Run(via, func(b *testing.B) {
			benchmarkIngestWith(b, el.Nodes[0], setup, ballots, func(n *running) func(context.Context, []byte) error {
				if via == "board" {
					return func(ctx context.Context, e []byte) error { _, err := n.Submit(ctx, e); return err }
				}
				return func(ctx context.Context, e []byte) error { _, err := n.client.Submit(ctx, e); return err }
			})
		})
	}
}
