package p2p

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/election"
)

// testTimeout bounds every wait in these tests; the conditions they wait
// for normally hold within a second or two.
const testTimeout = 20 * time.Second

var testElection = election.ID(sha256.Sum256([]byte("p2p test election")))

// replica is an in-memory node: a log of opaque entries with the rules the
// tests need. An entry starting with "bad" is invalid; "needs:X|..." is too
// early until entry X is held.
type replica struct {
	mu        sync.Mutex
	log       [][]byte
	held      map[string]bool
	seen      [][]byte // every entry Validate was called with
	rejected  [][]byte
	delivered [][]byte
	note      []byte // the checkpoint served, nil for none
}

func newReplica(entries ...string) *replica {
	r := &replica{held: make(map[string]bool)}
	for _, e := range entries {
		r.add([]byte(e))
	}
	return r
}

// add puts an entry in the log as the node does for a client's submission.
func (r *replica) add(e []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.held[string(e)] {
		r.held[string(e)] = true
		r.log = append(r.log, e)
	}
}

// Validate is the replica's Handler.Validate.
func (r *replica) Validate(_ context.Context, _ peer.ID, e []byte) Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, e)
	switch {
	case bytes.HasPrefix(e, []byte("bad")):
		r.rejected = append(r.rejected, e)
		return Reject
	case r.held[string(e)]:
		return Ignore
	case bytes.HasPrefix(e, []byte("needs:")):
		dep, _, _ := bytes.Cut(e[len("needs:"):], []byte("|"))
		if !r.held[string(dep)] {
			return Retry
		}
	}
	r.held[string(e)] = true
	r.log = append(r.log, e)
	return Accept
}

// Deliver is the replica's Handler.Deliver.
func (r *replica) Deliver(_ peer.ID, e []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delivered = append(r.delivered, e)
}

func (r *replica) handler() Handler { return Handler{Validate: r.Validate, Deliver: r.Deliver} }

func (r *replica) Size(el election.ID) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if el != testElection {
		return 0
	}
	return uint64(len(r.log))
}

func (r *replica) EntriesFrom(_ context.Context, el election.ID, from uint64, limit int) ([][]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if el != testElection || from >= uint64(len(r.log)) {
		return nil, nil
	}
	return slices.Clone(r.log[from:min(uint64(len(r.log)), from+uint64(limit))]), nil
}

func (r *replica) LatestCheckpoint(_ context.Context, el election.ID) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if el != testElection {
		return nil, nil
	}
	return r.note, nil
}

func (r *replica) has(e string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.held[e]
}

func (r *replica) size() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.log)
}

// set returns the held entries, sorted.
func (r *replica) set() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var s []string
	for e := range r.held {
		s = append(s, e)
	}
	slices.Sort(s)
	return s
}

func (r *replica) sawEntry(e string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.seen, func(b []byte) bool { return string(b) == e })
}

func (r *replica) rejectedEntry(e string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.rejected, func(b []byte) bool { return string(b) == e })
}

func (r *replica) deliveredEntry(e string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.ContainsFunc(r.delivered, func(b []byte) bool { return string(b) == e })
}

// allowSet is a Config.Allowed that a test changes, to cut and heal links.
type allowSet struct {
	mu  sync.Mutex
	ids map[peer.ID]bool
}

func newAllowSet() *allowSet { return &allowSet{ids: make(map[peer.ID]bool)} }

func (a *allowSet) allowed(p peer.ID) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.ids[p]
}

func (a *allowSet) set(p peer.ID, ok bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.ids[p] = ok
}

// testNode is a host with its replica and allow set.
type testNode struct {
	*Host
	r     *replica
	allow *allowSet
	topic *Topic
}

type nodeOpt func(*Config, *replica)

// withSource serves the replica's log to peers' pull-sync.
func withSource(c *Config, r *replica) { c.Source = r }

// withReaders lets peers that are not replication peers connect.
func withReaders(c *Config, _ *replica) { c.Readers = true }

// withInterval sets the sync interval, an hour otherwise.
func withInterval(d time.Duration) nodeOpt {
	return func(c *Config, _ *replica) { c.SyncInterval = d }
}

// newNode starts a host on loopback TCP and QUIC with a fresh key, closed
// at the end of the test. Without withSource it serves no logs, so entries
// reach it by gossip only. It does not join the test election.
func newNode(t testing.TB, r *replica, opts ...nodeOpt) *testNode {
	t.Helper()
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	allow := newAllowSet()
	cfg := Config{
		Key:          key,
		ListenAddrs:  []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"},
		Allowed:      allow.allowed,
		Checkpoints:  r,
		SyncInterval: time.Hour,
		Logger:       testLogger(),
	}
	for _, o := range opts {
		o(&cfg, r)
	}
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		if err := h.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return &testNode{Host: h, r: r, allow: allow}
}

// join joins the test election with the node's replica as handler.
func (n *testNode) join(t testing.TB) *Topic {
	t.Helper()
	tp, err := n.Join(testElection, n.r.handler())
	if err != nil {
		t.Fatalf("Join: %v", err)
	}
	n.topic = tp
	return tp
}

// submit stores an entry at this node and gossips it, as the node does for
// a client's submission.
func (n *testNode) submit(t testing.TB, e string) {
	t.Helper()
	n.r.add([]byte(e))
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := n.topic.Publish(ctx, []byte(e)); err != nil {
		t.Fatalf("Publish %q: %v", e, err)
	}
}

// link lets a and b replicate with each other and connects them.
func link(t testing.TB, a, b *testNode) {
	t.Helper()
	a.allow.set(b.ID(), true)
	b.allow.set(a.ID(), true)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := a.Connect(ctx, b.AddrInfo()); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits until cond holds, failing the test at testTimeout.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	if !poll(testTimeout, cond) {
		t.Fatalf("timed out waiting for %s", what)
	}
}

// poll reports whether cond holds within d. It polls because the
// conditions are on other hosts' state, which has no channel to wait on.
func poll(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}

// waitTopicPeers waits until n's topic lists want peers.
func waitTopicPeers(t testing.TB, n *testNode, want ...*testNode) {
	t.Helper()
	waitFor(t, fmt.Sprintf("%d topic peers", len(want)), func() bool {
		got := n.topic.Peers()
		for _, w := range want {
			if !slices.Contains(got, w.ID()) {
				return false
			}
		}
		return true
	})
}

func entries(prefix string, n int) []string {
	s := make([]string, n)
	for i := range s {
		s[i] = fmt.Sprintf("%s-%05d", prefix, i)
	}
	return s
}
