package p2p

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/election"
)

func TestNewConfigErrors(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	loopback := []string{"/ip4/127.0.0.1/tcp/0"}
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no key", Config{ListenAddrs: loopback}, "node key is 0 bytes"},
		{"seed only", Config{Key: key.Seed(), ListenAddrs: loopback}, "node key is 32 bytes"},
		{"no listen address", Config{Key: key}, "no listen address"},
		{"bad multiaddr", Config{Key: key, ListenAddrs: []string{"127.0.0.1:4001"}}, `listen address "127.0.0.1:4001"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h, err := New(context.Background(), tc.cfg)
			if err == nil {
				h.Close()
				t.Fatal("New succeeded")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// The host's peer id is the libp2p id of the node key, as the manifest
// lists it (docs/SPEC.md: base58 of 00 24 08 01 12 20 ‖ public key).
func TestPeerIDFromNodeKey(t *testing.T) {
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	h, err := New(context.Background(), Config{Key: key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	want, err := peer.IDFromBytes(append([]byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, pub...))
	if err != nil {
		t.Fatal(err)
	}
	if h.ID() != want {
		t.Errorf("peer id %s, want %s", h.ID(), want)
	}
}

// By default the replication peers are exactly Config.Peers.
func TestAllowedDefaultsToPeers(t *testing.T) {
	cfg := Config{Peers: []peer.AddrInfo{{ID: "a"}, {ID: "self"}}}
	peers, allowed := cfg.replicationPeers("self")
	if len(peers) != 1 || peers[0].ID != "a" {
		t.Errorf("peers %v, want only a", peers)
	}
	if !allowed("a") || !allowed("self") || allowed("b") {
		t.Error("allowed does not match Peers and self")
	}
}

func TestCheckpointFetch(t *testing.T) {
	ra := newReplica()
	ra.note = []byte("evote board\n3\nroot\n\n— node sig\n")
	a := newNode(t, ra, manual)
	b := newNode(t, newReplica(), manual)
	link(t, a, b)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()

	note, err := b.FetchCheckpoint(ctx, a.ID(), testElection)
	if err != nil || string(note) != string(ra.note) {
		t.Errorf("got %q, %v; want a's note", note, err)
	}
	other := election.ID{1}
	if _, err := b.FetchCheckpoint(ctx, a.ID(), other); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown election: got %v, want ErrNotFound", err)
	}
	ra.mu.Lock()
	ra.note = make([]byte, maxCheckpointSize+1)
	ra.mu.Unlock()
	if _, err := b.FetchCheckpoint(ctx, a.ID(), testElection); !errors.Is(err, ErrPeerFailed) {
		t.Errorf("oversized note: got %v, want ErrPeerFailed", err)
	}
}

func TestCheckpointNoSource(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	b := newNode(t, newReplica(), manual)
	a, err := New(context.Background(), Config{Key: key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}, Allowed: func(peer.ID) bool { return true }, SyncInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b.allow.set(a.ID(), true)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := b.Connect(ctx, a.AddrInfo()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.FetchCheckpoint(ctx, a.ID(), testElection); !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
}

// Closing hosts that gossiped, synced and served checkpoints leaves no
// goroutine behind.
func TestCloseLeavesNoGoroutines(t *testing.T) {
	// libp2p starts a few process-wide goroutines on first use; a host
	// started and closed first lets the baseline include them.
	warm := newNode(t, newReplica())
	warm.Close()
	base := settledGoroutines(runtime.NumGoroutine())

	every := withInterval(50 * time.Millisecond)
	ra := newReplica(entries("ballot", 100)...)
	ra.note = []byte("note")
	a := newNode(t, ra, withSource, every)
	b := newNode(t, newReplica(), withSource, every)
	c := newNode(t, newReplica(), withSource, every)
	link(t, a, b)
	link(t, b, c)
	link(t, a, c)
	for _, n := range []*testNode{a, b, c} {
		n.join(t)
	}
	waitFor(t, "c to catch up", func() bool { return c.r.size() == 100 })
	waitTopicPeers(t, a, b, c)
	a.submit(t, "last")
	waitFor(t, "gossip", func() bool { return b.r.has("last") && c.r.has("last") })
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if _, err := c.FetchCheckpoint(ctx, a.ID(), testElection); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*testNode{a, b, c} {
		if err := n.Close(); err != nil {
			t.Fatalf("Close: %v", err)
		}
	}
	if !poll(testTimeout, func() bool { return runtime.NumGoroutine() <= base }) {
		buf := make([]byte, 1<<20)
		t.Fatalf("%d goroutines after Close, %d before:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
	}
}

// A host whose context is done stops, and Close still succeeds.
func TestContextDoneThenClose(t *testing.T) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h, err := New(ctx, Config{Key: key, ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Join(testElection, newReplica().handler()); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := h.Close(); err != nil {
		t.Errorf("Close after the context is done: %v", err)
	}
	if err := h.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// settledGoroutines waits briefly for the goroutine count to stop falling
// and returns it.
func settledGoroutines(n int) int {
	for range 100 {
		if !poll(20*time.Millisecond, func() bool { return runtime.NumGoroutine() < n }) {
			return n
		}
		n = runtime.NumGoroutine()
	}
	return n
}
