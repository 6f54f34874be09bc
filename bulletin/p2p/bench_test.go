package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"testing"
)

// benchEntrySize is about the size of a ballot entry of a short election.
const benchEntrySize = 2 << 10

func randomEntries(b *testing.B, n int) []string {
	s := make([]string, n)
	for i := range s {
		e := make([]byte, benchEntrySize)
		rand.Read(e)
		s[i] = fmt.Sprintf("%08d%s", i, e)
	}
	return s
}

// BenchmarkSyncOnce10k measures catching up on a peer's log of 10,000
// entries over loopback, with a Validate that costs nothing: the transport's
// share of a catch-up.
func BenchmarkSyncOnce10k(b *testing.B) {
	log := randomEntries(b, 10_000)
	a := newNode(b, newReplica(log...), withSource, manual)
	for b.Loop() {
		b.StopTimer()
		c := newNode(b, newReplica(), manual)
		link(b, a, c)
		c.join(b)
		b.StartTimer()
		st, err := c.SyncOnce(context.Background(), a.ID(), testElection)
		if err != nil || st.Accepted != len(log) {
			b.Fatalf("SyncOnce: %+v, %v", st, err)
		}
		b.StopTimer()
		c.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.N*len(log))/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkGossip3 measures entries published by one host reaching two
// others by gossip. The publisher keeps at most gossipWindow entries in
// flight: gossipsub drops what overflows a peer's queue (pull-sync repairs
// it), so an unpaced publisher measures drops, not throughput.
func BenchmarkGossip3(b *testing.B) {
	a, x, y := newNode(b, newReplica()), newNode(b, newReplica()), newNode(b, newReplica())
	link(b, a, x)
	link(b, a, y)
	link(b, x, y)
	for _, n := range []*testNode{a, x, y} {
		n.join(b)
	}
	waitTopicPeers(b, a, x, y)
	entries := randomEntries(b, b.N)
	b.ResetTimer()
	for i, e := range entries {
		if i%256 == 0 {
			waitFor(b, "the window to drain", func() bool {
				return x.r.size() > i-gossipWindow && y.r.size() > i-gossipWindow
			})
		}
		a.submit(b, e)
	}
	waitFor(b, "gossip to reach both", func() bool { return x.r.size() == b.N && y.r.size() == b.N })
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "entries/s")
}

const gossipWindow = 1024

// BenchmarkReadSyncResponse decodes a full response of 1024 entries.
func BenchmarkReadSyncResponse(b *testing.B) {
	resp := &syncResponse{Size: maxSyncEntries}
	for range maxSyncEntries {
		resp.Entries = append(resp.Entries, make([]byte, benchEntrySize))
	}
	enc := encodeSyncResponse(b, resp)
	b.SetBytes(int64(len(enc)))
	for b.Loop() {
		if _, err := readSyncResponse(bytes.NewReader(enc)); err != nil {
			b.Fatal(err)
		}
	}
}
