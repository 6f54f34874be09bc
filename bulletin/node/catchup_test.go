package node

import (
	"context"
	"crypto/sha256"
	"slices"
	"testing"

	"github.com/evote/evote/election"
)

// TestCatchUpFromScratch starts a manifest node after its peer has closed
// the election: given the manifest, it pulls the whole log in one sync
// (checked concurrently, so out of order), seals the same ballot set as
// the peer, and the two logs end with the same entries.
func TestCatchUpFromScratch(t *testing.T) {
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	ctx := context.Background()
	first := startNode(t, testConfig(t, testKey("node/0")))
	for i, e := range good[:14] {
		if _, err := first.client.Submit(ctx, e); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	// Node 0 sealed on its own after the close, at the same checkpoint as
	// the record's vector: the same entry, byte for byte (Ed25519 is
	// deterministic).
	waitFor(t, "node 0's own seal", func() bool { return first.logSize(el) == 15 })
	if !first.holds(el, good[14]) {
		t.Fatal("node 0's seal differs from the record's seal of node 0")
	}

	cfg := testConfig(t, testKey("node/1"))
	cfg.Peers = []Peer{first.asPeer(t)}
	late := startNode(t, cfg)
	if _, err := late.client.Submit(ctx, good[0]); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			return
		}
		a, b := first.ids(t, el), late.ids(t, el)
		for _, id := range a {
			if !slices.Contains(b, id) {
				t.Logf("the late node lacks %s", id)
			}
		}
		for _, id := range b {
			if !slices.Contains(a, id) {
				t.Logf("node 0 lacks %s", id)
			}
		}
	})
	waitFor(t, "both nodes to hold both seals", func() bool {
		a, b := first.ids(t, el), late.ids(t, el)
		return len(a) == 16 && slices.Equal(a, b)
	})
	for _, n := range []*running{first, late} {
		seals, err := n.client.Seals(ctx, el)
		if err != nil || len(seals) != 2 {
			t.Fatalf("%d seals, %v", len(seals), err)
		}
		if seals[0].Seal.Count != 4 || seals[0].Seal.Ballots != seals[1].Seal.Ballots || seals[0].Seal.Count != seals[1].Seal.Count {
			t.Errorf("the nodes sealed different ballot sets: %+v, %+v", seals[0].Seal, seals[1].Seal)
		}
	}
}
