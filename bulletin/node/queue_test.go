package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/election"
)

// TestBatchIsOneCommit hands one worker batch the whole record after the
// manifest, with a duplicate and a bad entry among it: the record takes the
// entries in batch order (later ones depend on earlier ones), refuses only
// the bad one, and the store commits the batch in one transaction.
func TestBatchIsOneCommit(t *testing.T) {
	n := openNode(t)
	ctx := context.Background()
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	e, err := election.DecodeEntry(good[0])
	if err != nil {
		t.Fatal(err)
	}
	rec, err := election.NewRecord(e)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.store.Append(ctx, el, itemsOf(good[:1])); err != nil {
		t.Fatal(err)
	}
	// No worker: the test is the worker.
	es := n.newElectionState(rec)
	es.size.Store(1)
	n.elections[el] = es

	bad := extraEntries(t, "fail_37_ballot_options_swapped.rec", good)
	var batch []*job
	add := func(b []byte) *job {
		j := &job{src: sourcePeer, entry: b, id: sha256.Sum256(b), typ: election.EntryType(b[2]), done: make(chan outcome, 1)}
		batch = append(batch, j)
		return j
	}
	for i := 1; i < len(good); i++ {
		add(good[i])
		if i == 9 {
			add(good[8]) // a duplicate of an entry earlier in the batch
			add(bad[0])
		}
	}
	commits := n.store.Stats().Commits
	n.process(es, n.prepare(es, batch, newRecentIDs(16)))
	if got := n.store.Stats().Commits - commits; got != 1 {
		t.Errorf("%d commits for one batch", got)
	}
	index := uint64(1)
	for k, j := range batch {
		o := <-j.done
		switch {
		case k == 9: // the duplicate
			if !errors.Is(o.err, election.ErrDuplicate) || o.index != 8 || o.fresh {
				t.Errorf("duplicate in the batch: %+v", o)
			}
		case k == 10: // the bad ballot
			var ce *election.CheckError
			if !errors.As(o.err, &ce) || ce.Check != election.CheckBallotProofs {
				t.Errorf("bad ballot: %v, want check 37", o.err)
			}
		default:
			if o.err != nil || o.index != index || !o.fresh {
				t.Errorf("batch entry %d: %+v, want index %d", k, o, index)
			}
			index++
		}
	}
	if es.size.Load() != uint64(len(good)) || rec.Phase() != election.PhaseDone {
		t.Errorf("after the batch: %d entries, phase %s", es.size.Load(), rec.Phase())
	}
}

func TestHealth(t *testing.T) {
	n := openNode(t)
	es := &electionState{id: election.ID{1}}
	n.elections[es.id] = es
	if err := n.Health(context.Background()); err != nil {
		t.Fatalf("healthy node: %v", err)
	}
	es.setBroken(errors.New("stored entry 7 does not replay"))
	if err := n.Health(context.Background()); err == nil {
		t.Error("a broken election left the node healthy")
	}
}

// TestValidatorVerdicts checks what the node tells gossip and pull-sync
// about each kind of entry from a peer.
func TestValidatorVerdicts(t *testing.T) {
	n := openNode(t)
	ctx := context.Background()
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	if o := n.startElection(ctx, good[0], el); o.err != nil {
		t.Fatal(o.err)
	}
	t.Cleanup(n.stopWorkers)
	es := n.election(el)
	var from, stranger peer.ID
	for id := range es.peers {
		from = id
	}
	stranger, err := peer.Decode(election.PeerID(testKey("stranger").Public().(ed25519.PublicKey)))
	if err != nil {
		t.Fatal(err)
	}
	validate := n.validator(es)
	otherManifest := extraEntries(t, "fail_24_manifest_group.rec", good)
	badSignature := extraEntries(t, "fail_21_bad_signature.rec", good)
	ineligible := extraEntries(t, "fail_22_ineligible_credential.rec", good)
	for _, c := range []struct {
		name  string
		from  peer.ID
		entry []byte
		want  p2p.Result
	}{
		{"credentials", from, good[1], p2p.Accept},
		{"credentials again", from, good[1], p2p.Ignore},
		{"the election's manifest", from, good[0], p2p.Ignore},
		{"another manifest", from, otherManifest[0], p2p.Reject},
		// Entries that may be valid once the ones before them arrive.
		{"open before the ceremony", from, good[7], p2p.Retry},
		{"ballot by a credential not (yet) on the list", from, ineligible[0], p2p.Retry},
		{"ballot with a bad signature", from, badSignature[0], p2p.Reject},
		{"partial before decryption", from, good[17], p2p.Retry},
		{"from a peer not in the manifest", stranger, good[2], p2p.Reject},
		{"garbage", from, []byte("garbage"), p2p.Reject},
	} {
		if got := validate(ctx, c.from, c.entry); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	if n.holds(el, good[2]) {
		t.Error("an entry from a peer outside the manifest was stored")
	}
}

// Once the record is open, the worker's first stage prechecks a batch of
// ballots ahead of the record; the second stage applies it with the same
// outcomes as a check in full: a good ballot stored, a bad one refused
// with check 37, a repeat answered as a duplicate.
func TestPreparedBatch(t *testing.T) {
	n := openNode(t)
	ctx := context.Background()
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	rec, errs := election.Replay(good[:8]) // through the open entry
	if len(errs) != 1 {                    // only C49: no result yet
		t.Fatal(errs)
	}
	if _, err := n.store.Append(ctx, el, itemsOf(good[:8])); err != nil {
		t.Fatal(err)
	}
	es := n.newElectionState(rec)
	es.size.Store(8)
	if es.pre.Load() == nil {
		t.Fatal("no prechecker for an open record")
	}
	bad := extraEntries(t, "fail_37_ballot_options_swapped.rec", good)
	var jobs []*job
	for _, b := range [][]byte{good[8], bad[0], good[10], good[8]} {
		jobs = append(jobs, &job{src: sourceHTTP, entry: b, id: sha256.Sum256(b), typ: election.EntryType(b[2]), done: make(chan outcome, 1)})
	}
	b := n.prepare(es, jobs, newRecentIDs(16))
	if b.pc == nil {
		t.Fatal("the batch was not prechecked")
	}
	n.process(es, b)
	outs := make([]outcome, len(jobs))
	for i, j := range jobs {
		outs[i] = <-j.done
	}
	var ce *election.CheckError
	switch {
	case outs[0].err != nil || outs[0].index != 8 || !outs[0].fresh:
		t.Errorf("good ballot: %+v", outs[0])
	case !errors.As(outs[1].err, &ce) || ce.Check != election.CheckBallotProofs:
		t.Errorf("bad ballot: %v", outs[1].err)
	case outs[2].err != nil || outs[2].index != 9:
		t.Errorf("second good ballot: %+v", outs[2])
	case !errors.Is(outs[3].err, election.ErrDuplicate) || outs[3].index != 8:
		t.Errorf("repeat: %+v", outs[3])
	}
}

// recentIDs keeps the last n ids: older ones are forgotten in order.
func TestRecentIDs(t *testing.T) {
	r := newRecentIDs(3)
	id := func(i byte) election.ID { return election.ID{i} }
	for i := byte(1); i <= 4; i++ {
		r.add(id(i))
		r.add(id(i)) // a repeat takes no room
	}
	if r.has(id(1)) || !r.has(id(2)) || !r.has(id(3)) || !r.has(id(4)) {
		t.Fatalf("after 1…4 with room for 3: %v", r.set)
	}
	r.add(id(5))
	if r.has(id(2)) || !r.has(id(5)) || len(r.set) != 3 {
		t.Fatalf("after 5: %v", r.set)
	}
}
