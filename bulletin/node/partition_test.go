package node

import (
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"

	"github.com/evote/evote/election"
)

// cut severs (or, with on false, restores) the libp2p link between a and
// b in both directions: each one's connection gater turns the other away
// and open connections are closed. Their HTTP APIs stay up, as a network
// partition between board operators would leave voters' access alone.
func cut(t *testing.T, a, b *running, on bool) {
	t.Helper()
	for _, x := range []struct{ from, to *running }{{a, b}, {b, a}} {
		x.from.mu.Lock()
		x.from.allowed[x.to.PeerID()] = !on
		x.from.mu.Unlock()
		if on {
			if err := x.from.host.Disconnect(x.to.PeerID()); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestPartitionHeals: with the record's setup on all three nodes, node 2
// is cut off from nodes 0 and 1 while ballots arrive on both sides of the
// partition; each side holds only its own; once the link is back, the
// background sync makes all three hold the identical set.
func TestPartitionHeals(t *testing.T) {
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	ctx := context.Background()
	var nodes []*running
	for i := range 3 {
		nodes = append(nodes, startNode(t, testConfig(t, testKey(fmt.Sprintf("node/%d", i)))))
	}
	for _, a := range nodes {
		for _, b := range nodes {
			if a != b {
				a.addPeer(b.asPeer(t))
			}
		}
	}
	holds := func(ns []*running, b []byte) func() bool {
		return func() bool {
			for _, n := range ns {
				if !n.holds(el, b) {
					return false
				}
			}
			return true
		}
	}
	for i := 0; i <= 7; i++ {
		if _, err := nodes[i%3].client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		waitFor(t, fmt.Sprintf("entry %d everywhere", i), holds(nodes, good[i]))
	}

	cut(t, nodes[0], nodes[2], true)
	cut(t, nodes[1], nodes[2], true)
	waitFor(t, "node 2 to be cut off", func() bool { return len(nodes[2].host.ConnectedPeers()) == 0 })
	// Ballot 0 and the spoiled ballot on the majority side, ballots 1 and
	// 2 on node 2.
	for _, i := range []int{8, 9} {
		if _, err := nodes[0].client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	for _, i := range []int{10, 11} {
		if _, err := nodes[2].client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	waitFor(t, "node 1 to hear node 0 during the partition", holds(nodes[:2], good[9]))
	if nodes[2].holds(el, good[8]) || nodes[0].holds(el, good[10]) || nodes[1].holds(el, good[11]) {
		t.Fatal("entries crossed the partition")
	}

	cut(t, nodes[0], nodes[2], false)
	cut(t, nodes[1], nodes[2], false)
	for _, i := range []int{8, 9, 10, 11} {
		waitFor(t, fmt.Sprintf("entry %d everywhere after healing", i), holds(nodes, good[i]))
	}
	want := nodes[0].ids(t, el)
	if len(want) != 12 {
		t.Fatalf("node 0 holds %d entries, want 12", len(want))
	}
	for _, n := range nodes[1:] {
		if !slices.Equal(n.ids(t, el), want) {
			t.Fatal("the nodes hold different sets after healing")
		}
	}
}
