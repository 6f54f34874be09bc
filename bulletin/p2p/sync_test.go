package p2p

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

// A host started after the others have stored entries catches up by
// pull-sync as soon as it connects, across several batches.
func TestLateHostCatchesUp(t *testing.T) {
	want := entries("ballot", 2*maxSyncEntries+100)
	a := newNode(t, newReplica(want...), withSource)
	b := newNode(t, newReplica(want...), withSource)
	link(t, a, b)
	a.join(t)
	b.join(t)

	c := newNode(t, newReplica(), withSource)
	c.join(t)
	link(t, c, a)
	waitFor(t, "c to hold every entry", func() bool { return c.r.size() == len(want) })
	if !slices.Equal(c.r.set(), a.r.set()) {
		t.Fatal("c holds another set than a")
	}
	if !c.r.deliveredEntry(want[0]) {
		t.Error("synced entries were not delivered")
	}
}

// Entries whose dependency comes later in the peer's log are kept and
// offered again after the batch holding the dependency.
func TestSyncRetriesEarlyEntries(t *testing.T) {
	log := entries("ballot", maxSyncEntries+10)
	// An entry that needs the last entry, in the first batch.
	log = slices.Insert(log, 3, "needs:"+log[len(log)-1]+"|x")
	// An entry that needs an entry in the same batch, after it.
	log = slices.Insert(log, 5, "needs:"+log[8]+"|y")
	a := newNode(t, newReplica(log...), withSource, manual)
	b := newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	st := syncOnce(t, b, a)
	if st.Fetched != len(log) || st.Accepted != len(log) || st.Early != 0 || st.Rejected != 0 {
		t.Errorf("stats %+v, want %d fetched and accepted", st, len(log))
	}
	if st.PeerSize != uint64(len(log)) {
		t.Errorf("peer size %d, want %d", st.PeerSize, len(log))
	}
	if !slices.Equal(b.r.set(), a.r.set()) {
		t.Error("b holds another set than a")
	}
}

// An entry that stays too early is fetched again by the next SyncOnce,
// and accepted once its dependency is there; invalid entries are counted.
func TestSyncKeepsCursorAtEarlyEntry(t *testing.T) {
	a := newNode(t, newReplica("one", "needs:open|b1", "bad-entry", "two"), withSource, manual)
	b := newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	st := syncOnce(t, b, a)
	if st.Accepted != 2 || st.Early != 1 || st.Rejected != 1 {
		t.Fatalf("first sync %+v, want 2 accepted, 1 early, 1 rejected", st)
	}
	if got := b.cursor(a.ID(), testElection).next; got != 1 {
		t.Errorf("cursor at %d, want 1 (the early entry)", got)
	}
	b.r.add([]byte("open"))
	st = syncOnce(t, b, a)
	if st.Fetched != 3 || st.Accepted != 1 || st.Early != 0 {
		t.Errorf("second sync %+v, want 3 fetched again, 1 accepted", st)
	}
	if got := b.cursor(a.ID(), testElection).next; got != 4 {
		t.Errorf("cursor at %d, want 4", got)
	}
	if st = syncOnce(t, b, a); st.Fetched != 0 {
		t.Errorf("third sync fetched %d, want 0", st.Fetched)
	}
}

// A peer whose log is shorter than what was read from it is reported, and
// read again from the start.
func TestSyncLogShrank(t *testing.T) {
	ra := newReplica("one", "two", "three")
	a := newNode(t, ra, withSource, manual)
	b := newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	syncOnce(t, b, a)
	ra.mu.Lock()
	ra.log = ra.log[:1]
	ra.mu.Unlock()
	_, err := b.SyncOnce(context.Background(), a.ID(), testElection)
	var shrank *LogShrankError
	if !errors.As(err, &shrank) || shrank.Read != 3 || shrank.Size != 1 || shrank.Peer != a.ID() {
		t.Fatalf("got %v, want LogShrankError from 3 to 1", err)
	}
	if got := b.cursor(a.ID(), testElection).next; got != 0 {
		t.Errorf("cursor at %d after shrinking, want 0", got)
	}
}

// A peer that serves no logs answers "not found".
func TestSyncNoSource(t *testing.T) {
	a, b := newNode(t, newReplica("one"), manual), newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	if _, err := b.SyncOnce(context.Background(), a.ID(), testElection); !errors.Is(err, ErrNotFound) {
		t.Errorf("got %v, want ErrNotFound", err)
	}
}

// A cancelled context ends a SyncOnce without moving the cursor.
func TestSyncCancelled(t *testing.T) {
	a, b := newNode(t, newReplica("one"), withSource, manual), newNode(t, newReplica(), manual)
	link(t, a, b)
	a.join(t)
	b.join(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.SyncOnce(ctx, a.ID(), testElection); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
	if b.r.size() != 0 || b.cursor(a.ID(), testElection).next != 0 {
		t.Error("a cancelled sync stored entries or moved the cursor")
	}
}

// Three hosts; c is cut off from a and b while each side stores entries,
// then the link heals and the background loop redials and syncs until all
// three hold the same set.
func TestPartitionHeals(t *testing.T) {
	every := withInterval(100 * time.Millisecond)
	a := newNode(t, newReplica(), withSource, every)
	b := newNode(t, newReplica(), withSource, every)
	c := newNode(t, newReplica(), withSource, every)
	nodes := []*testNode{a, b, c}
	for _, x := range nodes {
		for _, y := range nodes {
			if x != y {
				x.allow.set(y.ID(), true)
				x.AddPeer(y.AddrInfo())
			}
		}
		x.join(t)
	}
	waitTopicPeers(t, a, b, c)
	waitTopicPeers(t, c, a, b)
	a.submit(t, "before")
	waitFor(t, "'before' everywhere", func() bool { return b.r.has("before") && c.r.has("before") })

	cut := func(on bool) {
		for _, x := range []*testNode{a, b} {
			x.allow.set(c.ID(), !on)
			c.allow.set(x.ID(), !on)
		}
	}
	cut(true)
	for _, x := range []*testNode{a, b} {
		if err := c.Disconnect(x.ID()); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "c to be cut off", func() bool { return len(c.ConnectedPeers()) == 0 && len(c.host.Network().Peers()) == 0 })
	for _, e := range entries("ab-side", 20) {
		a.submit(t, e)
	}
	for _, e := range entries("c-side", 20) {
		c.submit(t, e)
	}
	waitFor(t, "b to hear a during the partition", func() bool { return b.r.has("ab-side-00019") })
	if c.r.has("ab-side-00000") || a.r.has("c-side-00000") || b.r.has("c-side-00000") {
		t.Fatal("entries crossed the partition")
	}

	cut(false)
	waitFor(t, "all three to hold the same 41 entries", func() bool {
		return a.r.size() == 41 && b.r.size() == 41 && c.r.size() == 41
	})
	if !slices.Equal(a.r.set(), c.r.set()) || !slices.Equal(b.r.set(), c.r.set()) {
		t.Error("the sets differ after healing")
	}
}

// manual turns the background sync off, so that a test's SyncOnce calls
// are the only ones.
var manual = withInterval(-1)

func syncOnce(t *testing.T, to, from *testNode) SyncStats {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	st, err := to.SyncOnce(ctx, from.ID(), testElection)
	if err != nil {
		t.Fatalf("SyncOnce: %v", err)
	}
	return st
}
