package p2p

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"

	"github.com/evote/evote/election"
)

// Three hosts, each connected to the others, serving no logs: an entry one
// of them publishes reaches the other two by gossip alone.
func TestGossipReachesAll(t *testing.T) {
	a, b, c := newNode(t, newReplica()), newNode(t, newReplica()), newNode(t, newReplica())
	link(t, a, b)
	link(t, b, c)
	link(t, a, c)
	for _, n := range []*testNode{a, b, c} {
		n.join(t)
	}
	waitTopicPeers(t, a, b, c)
	waitTopicPeers(t, b, a, c)
	waitTopicPeers(t, c, a, b)

	a.submit(t, "ballot-1")
	for _, n := range []*testNode{b, c} {
		waitFor(t, "ballot-1 stored and delivered", func() bool {
			return n.r.has("ballot-1") && n.r.deliveredEntry("ballot-1")
		})
	}
	if a.r.sawEntry("ballot-1") {
		t.Error("the publisher's own Validate was called on its publication")
	}
	if got := b.Stats().GossipAccepted + c.Stats().GossipAccepted; got != 2 {
		t.Errorf("gossip accepted %d times, want 2", got)
	}
}

// A line a–b–c: c hears a only through b. An entry that b rejects never
// reaches c, while a valid one published after it does.
func TestGossipRejectedNotForwarded(t *testing.T) {
	a, b, c := newNode(t, newReplica()), newNode(t, newReplica()), newNode(t, newReplica())
	link(t, a, b)
	link(t, b, c)
	for _, n := range []*testNode{a, b, c} {
		n.join(t)
	}
	waitTopicPeers(t, b, a, c)
	waitTopicPeers(t, c, b)
	// b grafts c into its mesh on a heartbeat; until then b forwards
	// nothing to c. Publish probes until one gets through.
	for i := 0; ; i++ {
		probe := fmt.Sprintf("probe-%d", i)
		a.submit(t, probe)
		if poll(500*time.Millisecond, func() bool { return c.r.has(probe) }) {
			break
		}
		if i == 50 {
			t.Fatal("no probe reached c through b")
		}
	}

	a.submit(t, "bad-ballot")
	waitFor(t, "b to reject bad-ballot", func() bool { return b.r.rejectedEntry("bad-ballot") })
	a.submit(t, "ballot-after")
	waitFor(t, "ballot-after at c", func() bool { return c.r.has("ballot-after") })
	if c.r.sawEntry("bad-ballot") {
		t.Error("c was offered an entry that b rejected")
	}
	if b.r.deliveredEntry("bad-ballot") {
		t.Error("b delivered an entry it rejected")
	}
	if b.Stats().GossipRejected == 0 {
		t.Error("b counted no rejection")
	}
}

// A host that is not a replication peer may connect as a reader, but what
// it gossips is dropped before validation, it cannot pull-sync, and it can
// still fetch checkpoints.
func TestOutsiderCannotInject(t *testing.T) {
	ra := newReplica("ballot-1")
	ra.note = []byte("checkpoint of a")
	a := newNode(t, ra, withReaders, withSource)
	o := newNode(t, newReplica())
	a.join(t)
	o.join(t)
	o.allow.set(a.ID(), true) // o believes a is its peer; a does not agree
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	if err := o.Connect(ctx, a.AddrInfo()); err != nil {
		t.Fatalf("reader could not connect: %v", err)
	}
	waitTopicPeers(t, o, a)

	o.submit(t, "forged-ballot")
	waitFor(t, "a to drop o's gossip", func() bool { return a.Stats().OutsiderRPCs > 0 })
	if a.r.sawEntry("forged-ballot") || a.r.has("forged-ballot") {
		t.Fatal("a validated gossip from a peer outside the replication set")
	}
	for _, p := range a.topic.Peers() {
		if p == o.ID() {
			t.Error("a lists the outsider as a topic peer")
		}
	}

	if _, err := o.SyncOnce(ctx, a.ID(), testElection); !errors.Is(err, ErrRefused) {
		t.Errorf("outsider's SyncOnce: got %v, want ErrRefused", err)
	}
	if o.r.has("ballot-1") {
		t.Error("outsider got entries by sync")
	}
	if a.Stats().SyncRefused == 0 {
		t.Error("a counted no refused sync")
	}
	note, err := o.FetchCheckpoint(ctx, a.ID(), testElection)
	if err != nil || string(note) != "checkpoint of a" {
		t.Errorf("reader's checkpoint fetch: %q, %v", note, err)
	}
}

// Without Readers the gater turns away a peer that is not a replication
// peer, and a host refuses to sync from one.
func TestGaterRefusesOutsider(t *testing.T) {
	a := newNode(t, newReplica())
	a.r.note = []byte("checkpoint of a")
	o := newNode(t, newReplica())
	o.allow.set(a.ID(), true)
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	// The dialer may finish its side of the handshake before a's gater
	// closes the connection, so Connect's result proves nothing; no stream
	// gets through, and a never counts o as connected.
	o.Connect(ctx, a.AddrInfo())
	if _, err := o.FetchCheckpoint(ctx, a.ID(), testElection); err == nil {
		t.Error("outsider fetched a checkpoint from a host without Readers")
	}
	if a.host.Network().Connectedness(o.ID()) == network.Connected {
		t.Error("a holds a connection to the outsider")
	}
	a.join(t)
	if _, err := a.SyncOnce(ctx, o.ID(), testElection); !errors.Is(err, ErrNotReplicating) {
		t.Errorf("SyncOnce from an outsider: got %v, want ErrNotReplicating", err)
	}
	// The refusal is the gater's: once a admits o, the same request works.
	// o may still hold its side of the gated connection for a moment; a
	// stream on it fails, so retry until o dials afresh.
	a.allow.set(o.ID(), true)
	var last error
	waitFor(t, "the admitted peer's checkpoint fetch", func() bool {
		if last = o.Connect(ctx, a.AddrInfo()); last != nil {
			return false
		}
		_, last = o.FetchCheckpoint(ctx, a.ID(), testElection)
		return last == nil
	})
}

// An entry that arrives too early is kept and accepted once the entry it
// needs arrives.
func TestGossipEarlyEntryRetried(t *testing.T) {
	a, b := newNode(t, newReplica()), newNode(t, newReplica())
	link(t, a, b)
	a.join(t)
	b.join(t)
	waitTopicPeers(t, a, b)

	a.submit(t, "needs:open|ballot-1")
	waitFor(t, "b to keep the early entry", func() bool { return b.topic.early.len() == 1 })
	if b.r.has("needs:open|ballot-1") {
		t.Fatal("b stored an entry that was too early")
	}
	a.submit(t, "open")
	waitFor(t, "the early entry at b", func() bool { return b.r.has("needs:open|ballot-1") })
	if !b.r.deliveredEntry("needs:open|ballot-1") {
		t.Error("the retried entry was not delivered")
	}
	if n := b.topic.early.len(); n != 0 {
		t.Errorf("%d entries still kept", n)
	}
}

func TestJoinErrors(t *testing.T) {
	a := newNode(t, newReplica())
	if _, err := a.Join(testElection, Handler{}); !errors.Is(err, ErrNoHandler) {
		t.Errorf("Join without Validate: %v", err)
	}
	a.join(t)
	if _, err := a.Join(testElection, a.r.handler()); !errors.Is(err, ErrJoined) {
		t.Errorf("second Join: %v", err)
	}
	if err := a.topic.Close(); err != nil {
		t.Fatalf("topic Close: %v", err)
	}
	if _, err := a.SyncOnce(context.Background(), a.ID(), testElection); !errors.Is(err, ErrNotJoined) {
		t.Errorf("SyncOnce after leaving: %v", err)
	}
	a.join(t) // leaving frees the election for a new Join
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Join(testElection, a.r.handler()); !errors.Is(err, ErrClosed) {
		t.Errorf("Join after Close: %v", err)
	}
}

func TestPublishBounds(t *testing.T) {
	a := newNode(t, newReplica())
	tp := a.join(t)
	if err := tp.Publish(context.Background(), nil); err == nil {
		t.Error("published an empty entry")
	}
	if err := tp.Publish(context.Background(), make([]byte, election.MaxEntrySize+1)); err == nil {
		t.Error("published an entry over election.MaxEntrySize")
	}
}

// Entries of the largest size the record allows travel by gossip (over
// gossipsub's default 1 MiB limit) and by sync (two of them take two
// responses).
func TestLargestEntries(t *testing.T) {
	big := func(c byte) string { return string(bytes.Repeat([]byte{c}, election.MaxEntrySize)) }
	a := newNode(t, newReplica(big('x'), big('y')), withSource, manual)
	b := newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	waitTopicPeers(t, a, b)
	a.submit(t, big('z'))
	waitFor(t, "the largest entry by gossip", func() bool { return b.r.has(big('z')) })

	st := syncOnce(t, b, a)
	if st.Fetched != 3 || st.Accepted != 2 {
		t.Errorf("sync %+v, want 3 fetched, 2 accepted", st)
	}
}
