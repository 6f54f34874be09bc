package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/election"
)

// asPeer returns the node as another node's config lists it.
func (r *running) asPeer(t testing.TB) Peer {
	t.Helper()
	p := Peer{ID: r.PeerID(), HTTP: "http://" + r.HTTPAddr()}
	for _, a := range r.P2PAddrs() {
		info, err := peer.AddrInfoFromP2pAddr(a)
		if err != nil {
			t.Fatal(err)
		}
		p.Addrs = append(p.Addrs, info.Addrs...)
	}
	return p
}

// ids returns the ids of the entries in the node's log of el.
func (r *running) ids(t testing.TB, el election.ID) []election.ID {
	t.Helper()
	page, err := r.Entries(context.Background(), el, 0, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]election.ID, len(page))
	for i := range page {
		out[i] = page[i].ID
	}
	slices.SortFunc(out, func(a, b election.ID) int { return bytes.Compare(a[:], b[:]) })
	return out
}

// TestThreeNodesReplicate runs the good referendum record on the three
// nodes its manifest lists, each entry submitted to one node: the
// manifest reaches the others by announcement, every entry by gossip or
// sync, and on close each node seals on its own; the seal quorum opens
// decryption, and the three logs end with the same entries. A fourth node,
// not in the manifest, reads the others' checkpoints, but its gossip and
// sync are refused.
func TestThreeNodesReplicate(t *testing.T) {
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	ctx := context.Background()
	var nodes []*running
	for i := range 3 {
		nodes = append(nodes, startNode(t, testConfig(t, testKey(fmt.Sprintf("node/%d", i)))))
	}
	// The outsider's syncs are refused all along: only its errors show.
	outsiderCfg := testConfig(t, testKey("outsider-node"))
	outsiderCfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	outsider := startNode(t, outsiderCfg)
	for _, a := range nodes {
		for _, b := range nodes {
			if a != b {
				a.addPeer(b.asPeer(t))
			}
		}
		outsider.addPeer(a.asPeer(t))
	}
	allHold := func(b []byte) func() bool {
		return func() bool {
			for _, n := range nodes {
				if !n.holds(el, b) {
					return false
				}
			}
			return true
		}
	}

	// The commission reaches one node; it announces the election.
	if _, err := nodes[0].client.Submit(ctx, good[0]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "every node to serve the election", allHold(good[0]))

	// The setup and voting entries, each to one node, in record order;
	// revote/2 (12) is held back for the outsider.
	for i := 1; i <= 9; i++ {
		n := nodes[i%3]
		rc, err := n.client.Submit(ctx, good[i])
		if err != nil {
			t.Fatalf("entry %d to node %d: %v", i, i%3, err)
		}
		if err := VerifyReceipt(rc, n.PublicKey()); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		waitFor(t, fmt.Sprintf("entry %d on every node", i), allHold(good[i]))
	}

	// Node 2 is down for ballots 10 and 11, and catches up by pull-sync
	// when it comes back on the same data dir and addresses.
	nodes[2].stop(t)
	up := nodes[:2]
	for i := 10; i <= 11; i++ {
		if _, err := up[i%2].client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		waitFor(t, fmt.Sprintf("entry %d on nodes 0 and 1", i), func() bool {
			return up[0].holds(el, good[i]) && up[1].holds(el, good[i])
		})
	}
	nodes[2] = nodes[2].restart(t, []Peer{nodes[0].asPeer(t), nodes[1].asPeer(t)})
	// Ballots 10 and 11 may come from different peers in different
	// batches, so wait for both rather than infer one from the other.
	waitFor(t, "node 2 to catch up with ballots 10 and 11", func() bool {
		return allHold(good[10])() && allHold(good[11])()
	})

	t.Run("outsider", func(t *testing.T) {
		for i := 0; i <= 12; i++ {
			if _, err := outsider.client.Submit(ctx, good[i]); err != nil {
				t.Fatalf("entry %d to the outsider: %v", i, err)
			}
		}
		key0 := nodes[0].PublicKey()
		waitFor(t, "the outsider to read node 0's checkpoint", func() bool {
			note, err := outsider.audit.peerCheckpoint(el, key0)
			return err == nil && note != nil
		})
		waitFor(t, "node 0 to drop the outsider's gossip and refuse its sync", func() bool {
			st := nodes[0].host.Stats()
			return st.OutsiderRPCs > 0 && st.SyncRefused > 0
		})
		for i, n := range nodes {
			if n.holds(el, good[12]) {
				t.Errorf("node %d took the outsider's entry", i)
			}
		}
	})

	if _, err := nodes[0].client.Submit(ctx, good[12]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "revote/2 on every node", allHold(good[12]))

	// Close: each node syncs and seals; the three seals open decryption.
	if _, err := nodes[1].client.Submit(ctx, good[13]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the seal quorum on every node", func() bool {
		for _, n := range nodes {
			if n.phase(el) != election.PhaseDecryption {
				return false
			}
		}
		return true
	})
	t.Run("seals", func(t *testing.T) {
		for i, n := range nodes {
			seals, err := n.client.Seals(ctx, el)
			if err != nil || len(seals) != 3 {
				t.Fatalf("node %d: %d seals, %v", i, len(seals), err)
			}
			var authors []ed25519.PublicKey
			for _, s := range seals {
				if s.Seal.Count != 4 || s.Seal.Ballots != seals[0].Seal.Ballots {
					t.Errorf("node %d: seal by %x names %d ballots (%x)", i, s.Node[:4], s.Seal.Count, s.Seal.Ballots[:4])
				}
				authors = append(authors, s.Node)
			}
			for _, m := range nodes {
				if !slices.ContainsFunc(authors, func(k ed25519.PublicKey) bool { return k.Equal(m.PublicKey()) }) {
					t.Errorf("node %d lacks the seal of %x", i, m.PublicKey()[:4])
				}
			}
		}
	})

	// Decryption: each trustee's partial to one node, then the result.
	for i := 17; i <= 19; i++ {
		if _, err := nodes[i%3].client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	for i := 17; i <= 19; i++ {
		waitFor(t, fmt.Sprintf("entry %d on every node", i), allHold(good[i]))
	}
	if _, err := nodes[2].client.Submit(ctx, good[20]); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the result on every node", allHold(good[20]))

	want := nodes[0].ids(t, el)
	if len(want) != len(good) {
		t.Errorf("node 0 holds %d entries, want %d (the record's, with the nodes' own seals)", len(want), len(good))
	}
	for i, n := range nodes {
		if p := n.phase(el); p != election.PhaseDone {
			t.Errorf("node %d in phase %s", i, p)
		}
		if got := n.ids(t, el); !slices.Equal(got, want) {
			t.Errorf("node %d holds another set of entries", i)
		}
	}

	t.Run("audit", func(t *testing.T) {
		for i, n := range nodes {
			for j, m := range nodes {
				if i == j {
					continue
				}
				waitFor(t, fmt.Sprintf("node %d to hold node %d's final checkpoint", i, j), func() bool {
					note, err := n.audit.peerCheckpoint(el, m.PublicKey())
					if err != nil || note == nil {
						return false
					}
					cp, err := parseNote(note, m.PublicKey())
					return err == nil && cp.Size == uint64(len(good))
				})
			}
			evs, err := n.client.Evidence(ctx)
			if err != nil || len(evs) != 0 {
				t.Errorf("node %d: evidence %v, %v", i, evs, err)
			}
		}
	})

	t.Run("metrics", func(t *testing.T) {
		resp, err := http.Get("http://" + nodes[0].HTTPAddr() + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		for _, m := range []string{
			`evote_node_entries_total{result="accepted",source="peer"}`,
			`evote_node_entries_total{result="accepted",source="self"} 1`,
			`evote_node_replication_lag_entries{election="` + el.String() + `",peer="node-1"}`,
			`evote_node_checkpoint_size{election="` + el.String() + `"}`,
			`evote_node_peers 2`,
			`evote_api_requests_total`,
		} {
			if !strings.Contains(string(body), m) {
				t.Errorf("metrics lack %s", m)
			}
		}
	})
}
