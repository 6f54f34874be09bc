package tests

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tests/cluster"
)

// logIDs returns the ids of every entry in n's log of e, sorted.
func logIDs(t testing.TB, n *cluster.Node, e *cluster.Election) []election.ID {
	t.Helper()
	var ids []election.ID
	for st, err := range n.Client(t).All(context.Background(), e.ID, 0) {
		if err != nil {
			t.Fatalf("%s: %v", n.Name, err)
		}
		ids = append(ids, st.ID)
	}
	slices.SortFunc(ids, func(a, b election.ID) int { return bytes.Compare(a[:], b[:]) })
	return ids
}

// logSize returns the size of n's log of e (0 on error).
func logSize(t testing.TB, n *cluster.Node, e *cluster.Election) uint64 {
	t.Helper()
	var size uint64
	for _, err := range n.Client(t).All(context.Background(), e.ID, 0) {
		if err != nil {
			return 0
		}
		size++
	}
	return size
}

// waitSameLogs waits until every running node holds want entries and then
// checks that they hold the same set.
func waitSameLogs(t testing.TB, c *cluster.Cluster, e *cluster.Election, want int) {
	t.Helper()
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		cluster.WaitFor(t, fmt.Sprintf("%s to hold %d entries", n.Name, want), func() bool {
			return logSize(t, n, e) == uint64(want)
		})
	}
	var first []election.ID
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		ids := logIDs(t, n, e)
		if first == nil {
			first = ids
		} else if !slices.Equal(first, ids) {
			t.Fatalf("%s holds a different set of %d entries", n.Name, len(ids))
		}
	}
}

// openElection publishes a referendum with voters on c and opens it.
func openElection(t *testing.T, c *cluster.Cluster, voters int) *cluster.Election {
	t.Helper()
	e := c.Publish(t, c.ElectionConfig(t, "referendum.yaml"), voters)
	c.OpenDirect(t, e)
	return e
}

// retitled rewrites the title of the election config at path, so that it
// defines another election, and returns path.
func retitled(t *testing.T, path, title string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`(?m)^title: .*$`).ReplaceAll(b, []byte("title: "+strconv.Quote(title)))
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// setupEntries is the number of entries before the first ballot: the
// manifest, one credential list, three dealings and the open entry.
const setupEntries = 1 + 1 + 3 + 1

// TestReplicateAndLateJoin: three node processes replicate every entry,
// whichever node it was posted to; a fourth node, listed in the manifest
// but started only after voting began, catches up to the same log.
func TestReplicateAndLateJoin(t *testing.T) {
	c := cluster.New(t, cluster.Options{Nodes: 4, Idle: 1})
	e := openElection(t, c, 30)
	ctx := context.Background()
	for i := range 30 {
		n := c.Nodes[i%3]
		rc, err := n.Client(t).Submit(ctx, e.Ballot(t, i, 0))
		if err != nil {
			t.Fatalf("ballot %d to %s: %v", i, n.Name, err)
		}
		if err := node.VerifyReceipt(rc, n.PublicKey()); err != nil {
			t.Fatal(err)
		}
	}
	waitSameLogs(t, c, e, setupEntries+30)
	c.Nodes[3].Start(t)
	waitSameLogs(t, c, e, setupEntries+30)
}

// TestStopRestartConverges: a node stopped with SIGTERM during voting and
// restarted on the same data directory catches up with what it missed and
// loses nothing it held.
func TestStopRestartConverges(t *testing.T) {
	c := cluster.New(t, cluster.Options{})
	e := openElection(t, c, 60)
	ctx := context.Background()
	post := func(from, to int, nodes []*cluster.Node) {
		for i := from; i < to; i++ {
			n := nodes[i%len(nodes)]
			if _, err := n.Client(t).Submit(ctx, e.Ballot(t, i, 0)); err != nil {
				t.Fatalf("ballot %d to %s: %v", i, n.Name, err)
			}
		}
	}
	post(0, 20, c.Nodes)
	waitSameLogs(t, c, e, setupEntries+20)
	before := logIDs(t, c.Nodes[2], e)
	c.Nodes[2].Stop(t)
	post(20, 40, c.Nodes[:2])
	c.Nodes[2].Start(t)
	for _, id := range before {
		if _, err := c.Nodes[2].Client(t).Entry(ctx, e.ID, id); err != nil {
			t.Fatalf("after restart %s lost entry %x: %v", c.Nodes[2].Name, id[:6], err)
		}
	}
	post(40, 60, c.Nodes)
	waitSameLogs(t, c, e, setupEntries+60)
}

// TestKillKeepsAcknowledged: a node process killed with SIGKILL while
// ballots stream in still holds, after restart, every ballot it had
// acknowledged, at the log index its receipt promised.
func TestKillKeepsAcknowledged(t *testing.T) {
	const voters = 400
	c := cluster.New(t, cluster.Options{})
	e := openElection(t, c, voters)
	ballots := make([][]byte, voters)
	for i := range ballots {
		ballots[i] = e.Ballot(t, i, 0)
	}
	victim := c.Nodes[0]
	cl, err := client.New([]string{victim.URL()}, client.Options{Timeout: cluster.Timeout})
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		receipts []*bulletin.Receipt
		next     int
	)
	killed := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= voters {
					return
				}
				rc, err := cl.Submit(context.Background(), ballots[i])
				if err != nil {
					select {
					case <-killed:
						return // refused or cut off by the kill
					default:
						t.Errorf("ballot %d before the kill: %v", i, err)
						return
					}
				}
				mu.Lock()
				receipts = append(receipts, rc)
				mu.Unlock()
			}
		}()
	}
	cluster.WaitFor(t, "150 acknowledged ballots", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(receipts) >= 150
	})
	close(killed)
	victim.Kill(t)
	wg.Wait()
	mu.Lock()
	acked := slices.Clone(receipts)
	mu.Unlock()
	if len(acked) >= voters {
		t.Fatal("every ballot was acknowledged before the kill: the test killed nothing in flight")
	}
	t.Logf("%d ballots acknowledged before SIGKILL", len(acked))

	victim.Start(t)
	vc := victim.Client(t)
	for _, rc := range acked {
		if err := node.VerifyReceipt(rc, victim.PublicKey()); err != nil {
			t.Fatal(err)
		}
		st, err := vc.Entry(context.Background(), e.ID, rc.Entry)
		if err != nil {
			t.Fatalf("acknowledged ballot %x lost after SIGKILL: %v", rc.Entry[:6], err)
		}
		if st.Index != rc.Index {
			t.Fatalf("ballot %x at index %d after restart, receipt promised %d", rc.Entry[:6], st.Index, rc.Index)
		}
	}
}

// refusal checks that err is a node's 4xx refusal whose message contains
// want.
func refusal(t *testing.T, what string, err error, want string) {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("%s: got %v, want a node's refusal", what, err)
	}
	if ce.Status < 400 || ce.Status > 499 {
		t.Fatalf("%s: status %d (%s), want 4xx", what, ce.Status, ce.Message)
	}
	if !bytes.Contains([]byte(ce.Message), []byte(want)) {
		t.Fatalf("%s: refusal %q does not mention %q", what, ce.Message, want)
	}
}

// badEntry is an invalid entry and a word its refusal must contain.
type badEntry struct {
	name  string
	entry []byte
	want  string
}

// badEntries makes one entry of each kind of invalid entry for open
// election e; other is another election on the same board.
func badEntries(t *testing.T, e, other *cluster.Election) []badEntry {
	t.Helper()
	layout, err := election.NewBallotLayout(e.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	resign := func(b []byte, i int, edit func(*election.Entry)) []byte {
		en, err := election.DecodeEntry(b)
		if err != nil {
			t.Fatal(err)
		}
		edit(en)
		en.Sign(e.Voter(t, i))
		return en.Bytes()
	}
	// A ballot whose range proof belongs to another encryption of the same
	// choices: well formed and signed, but the proof does not verify.
	a, b := e.Ballot(t, 0, 0), e.Ballot(t, 0, 0)
	badProof := resign(a, 0, func(en *election.Entry) {
		ba, err := election.DecodeBallot(layout, en.Payload)
		if err != nil {
			t.Fatal(err)
		}
		eb, _ := election.DecodeEntry(b)
		bb, err := election.DecodeBallot(layout, eb.Payload)
		if err != nil {
			t.Fatal(err)
		}
		ba.Contests[0].Range = bb.Contests[0].Range
		en.Payload = ba.Bytes(layout)
	})
	badSig := bytes.Clone(e.Ballot(t, 1, 0))
	badSig[len(badSig)-1] ^= 1
	// The same credential's ballot moved into another election: its key
	// (derived per election) is on the other's list only by chance.
	replayed := resign(e.Ballot(t, 2, 0), 2, func(en *election.Entry) { en.Election = other.ID })
	unknown := resign(e.Ballot(t, 2, 0), 2, func(en *election.Entry) { en.Election = election.ID{0xee} })
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	ineligible := func() []byte {
		en, err := election.DecodeEntry(e.Ballot(t, 3, 0))
		if err != nil {
			t.Fatal(err)
		}
		en.Author = stranger.Public().(ed25519.PublicKey)
		en.Sign(stranger)
		return en.Bytes()
	}()
	malformed := append(e.Ballot(t, 4, 0), 0)
	oversized := make([]byte, 13<<20)

	return []badEntry{
		{"bad proof", badProof, "proof"},
		{"bad signature", badSig, "signature"},
		{"replayed into another election", replayed, "not on the credential list"},
		{"unknown election", unknown, "election"},
		{"ineligible credential", ineligible, "credential"},
		{"malformed", malformed, "malformed"},
		{"oversized", oversized, "large"},
	}
}

// TestInvalidEntriesRefused: each kind of invalid entry is refused over
// HTTP with a 4xx naming the problem, and reaches no node, while a valid
// ballot posted after all of them reaches every node.
func TestInvalidEntriesRefused(t *testing.T) {
	c := cluster.New(t, cluster.Options{})
	e := openElection(t, c, 5)
	other := c.Publish(t, retitled(t, c.ElectionConfig(t, "referendum.yaml"), "Another referendum"), 3)
	ctx := context.Background()
	cases := badEntries(t, e, other)
	for _, tc := range cases {
		_, err := c.Nodes[0].Client(t).Submit(ctx, tc.entry)
		refusal(t, tc.name, err, tc.want)
	}
	marker := e.Ballot(t, 4, 0)
	c.Submit(t, marker)
	c.WaitAllHold(t, e, marker)
	for _, n := range c.Nodes {
		for _, tc := range cases {
			id := election.ID(sha256.Sum256(tc.entry))
			for _, el := range []election.ID{e.ID, other.ID} {
				if _, err := n.Client(t).Entry(ctx, el, id); err == nil {
					t.Errorf("%s holds the %s entry", n.Name, tc.name)
				}
			}
		}
	}

	// After close: the commission closes, and a ballot is refused.
	c.MustEvote(append([]string{"election", "close", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey}, c.NodeArgs()...)...)
	late := e.Ballot(t, 1, 0)
	for _, n := range c.Nodes {
		cluster.WaitFor(t, n.Name+" to refuse ballots after close", func() bool {
			_, err := n.Client(t).Submit(ctx, late)
			var ce *client.Error
			return errors.As(err, &ce) && ce.Status/100 == 4
		})
	}
	_, err := c.Nodes[1].Client(t).Submit(ctx, late)
	refusal(t, "after close", err, "clos")
}

// metric returns the sum of the samples of a Prometheus metric family on
// n's /metrics whose labels contain every one of labels.
func metric(t testing.TB, n *cluster.Node, name string, labels ...string) float64 {
	t.Helper()
	resp, err := http.Get(n.URL() + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return -1
	}
	var sum float64
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, name+"{") && !strings.HasPrefix(line, name+" ") {
			continue
		}
		ok := true
		for _, l := range labels {
			ok = ok && strings.Contains(line, l)
		}
		if !ok {
			continue
		}
		f := strings.Fields(line)
		v, err := strconv.ParseFloat(f[len(f)-1], 64)
		if err == nil {
			sum += v
		}
	}
	return sum
}

// TestEquivocationEvidence: node-3's operator wipes its data and, while
// the other nodes are down, rebuilds its log with other ballots; node-3
// then signs a checkpoint that contradicts one it signed before. The
// other nodes keep the pair as evidence and expose it.
func TestEquivocationEvidence(t *testing.T) {
	c := cluster.New(t, cluster.Options{})
	e := openElection(t, c, 4)
	ctx := context.Background()
	n1, n2, n3 := c.Nodes[0], c.Nodes[1], c.Nodes[2]
	c.Submit(t, e.Ballot(t, 0, 0))
	c.Submit(t, e.Ballot(t, 1, 0))
	waitSameLogs(t, c, e, setupEntries+2)
	v3, err := tlog.NewVerifier(n3.PublicKey())
	if err != nil {
		t.Fatal(err)
	}
	cluster.WaitFor(t, "node-3 to sign a checkpoint of its whole log", func() bool {
		cp, err := n3.Client(t).Checkpoint(ctx, e.ID, v3)
		return err == nil && cp.Size == setupEntries+2
	})
	// Audit rounds check every peer; after four more consistent audits
	// node-1 has checked node-3's checkpoint of the whole log at least once.
	audited := func() float64 { return metric(t, n1, "evote_node_peer_checkpoints_total", `result="consistent"`) }
	base := audited()
	cluster.WaitFor(t, "node-1 to audit its peers twice", func() bool { return audited() >= base+4 })
	if ev, err := n1.Client(t).Evidence(ctx); err != nil || len(ev) != 0 {
		t.Fatalf("evidence before the wipe: %v, %v", ev, err)
	}

	var setup [][]byte
	for st, err := range n1.Client(t).All(ctx, e.ID, 0) {
		if err != nil {
			t.Fatal(err)
		}
		if st.Type != election.TypeBallot {
			setup = append(setup, st.Bytes)
		}
	}
	for _, n := range c.Nodes {
		n.Stop(t)
	}
	if err := os.RemoveAll(n3.DataDir); err != nil {
		t.Fatal(err)
	}
	n3.Start(t)
	for _, b := range append(setup, e.Ballot(t, 2, 0), e.Ballot(t, 3, 0)) {
		if _, err := n3.Client(t).Submit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	n1.Start(t)
	n2.Start(t)
	var found *tlog.Evidence
	cluster.WaitFor(t, "node-1 to expose evidence against node-3", func() bool {
		ev, err := n1.Client(t).Evidence(ctx)
		if err != nil {
			return false
		}
		for _, x := range ev {
			// Checkpoints signed by node-3 that cannot both hold.
			if x.Verify(v3) == nil {
				found = x
				return true
			}
		}
		return false
	})
	t.Logf("evidence against node-3: %s (sizes %d and %d)", found.Reason, found.A.Size, found.B.Size)
}

// TestSealQuorum: after close, every node seals the same ballot set and
// the quorum forms; a node that sealed while cut off from its peers holds
// a different set, and its seal is on every board for anyone to see.
func TestSealQuorum(t *testing.T) {
	c := cluster.New(t, cluster.Options{Nodes: 4, NodeConfig: "seal_sync_timeout: 3s\n"})
	e := openElection(t, c, 6)
	ctx := context.Background()
	for i := range 5 {
		c.Submit(t, e.Ballot(t, i, 0))
	}
	waitSameLogs(t, c, e, setupEntries+5)
	n4 := c.Nodes[3]
	n4.Stop(t)
	last := e.Ballot(t, 5, 0)
	c.Submit(t, last)
	c.MustEvote(append([]string{"election", "close", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey}, c.NodeArgs()[:6]...)...)
	seals := func(n *cluster.Node, want int) []client.Seal {
		var got []client.Seal
		cluster.WaitFor(t, fmt.Sprintf("%d seals on %s", want, n.Name), func() bool {
			s, err := n.Client(t).Seals(ctx, e.ID)
			got = s
			return err == nil && len(s) >= want
		})
		return got
	}
	quorum := seals(c.Nodes[0], 3)
	for _, s := range quorum[1:] {
		if s.Seal.Ballots != quorum[0].Seal.Ballots || s.Seal.Count != 6 {
			t.Fatalf("the three nodes sealed different sets: %+v", quorum)
		}
	}

	// node-4 comes back alone, hears of the close, and seals what it has.
	closeEntry := findType(t, c.Nodes[0], e, election.TypeClose)
	for _, n := range c.Nodes[:3] {
		n.Stop(t)
	}
	n4.Start(t)
	if _, err := n4.Client(t).Submit(ctx, closeEntry); err != nil {
		t.Fatal(err)
	}
	own := seals(n4, 1)
	if own[0].Seal.Count != 5 {
		t.Fatalf("node-4 sealed %d ballots, want the 5 it held", own[0].Seal.Count)
	}
	for _, n := range c.Nodes[:3] {
		n.Start(t)
	}
	all := seals(c.Nodes[0], 4)
	var odd []client.Seal
	for _, s := range all {
		if s.Seal.Ballots != quorum[0].Seal.Ballots {
			odd = append(odd, s)
		}
	}
	if len(odd) != 1 || !odd[0].Node.Equal(n4.PublicKey()) {
		t.Fatalf("want exactly node-4's seal to differ from the quorum's, got %d differing", len(odd))
	}
}

// findType returns the first entry of type typ in n's log of e.
func findType(t *testing.T, n *cluster.Node, e *cluster.Election, typ election.EntryType) []byte {
	t.Helper()
	for st, err := range n.Client(t).All(context.Background(), e.ID, typ) {
		if err != nil {
			t.Fatal(err)
		}
		return st.Bytes
	}
	t.Fatalf("no %v entry on %s", typ, n.Name)
	return nil
}

// TestInvalidOverGossip: a rogue process holding node-3's key (so the
// other nodes take it as a replication peer) publishes invalid entries on
// the election's gossip topic. Nodes 1 and 2 reject each one: none is
// stored or forwarded, and a valid ballot the rogue publishes after them
// reaches both, so the channel itself works.
func TestInvalidOverGossip(t *testing.T) {
	c := cluster.New(t, cluster.Options{Idle: 1})
	e := openElection(t, c, 5)
	other := c.Publish(t, retitled(t, c.ElectionConfig(t, "referendum.yaml"), "Another referendum"), 3)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	n3 := c.Nodes[2]
	var peers []peer.AddrInfo
	for _, n := range c.Nodes[:2] {
		info, err := peer.AddrInfoFromString(n.Addrs()[0] + "/p2p/" + n.PeerID())
		if err != nil {
			t.Fatal(err)
		}
		peers = append(peers, *info)
	}
	rogue, err := p2p.New(ctx, p2p.Config{Key: n3.Secret.SigningKey, ListenAddrs: n3.Addrs(), Peers: peers})
	if err != nil {
		t.Fatal(err)
	}
	defer rogue.Close()
	topic, err := rogue.Join(e.ID, p2p.Handler{Validate: func(context.Context, peer.ID, []byte) p2p.Result { return p2p.Accept }})
	if err != nil {
		t.Fatal(err)
	}
	cluster.WaitFor(t, "the rogue to join both nodes on the topic", func() bool { return len(topic.Peers()) == 2 })
	rejected := func() float64 {
		return metric(t, c.Nodes[0], "evote_node_rejections_total") + metric(t, c.Nodes[1], "evote_node_rejections_total")
	}
	before := rejected()
	var sent []badEntry
	for _, bad := range badEntries(t, e, other) {
		if len(bad.entry) > election.MaxEntrySize {
			continue // gossip refuses to carry it at all (bulletin/p2p TestPublishBounds)
		}
		if err := topic.Publish(ctx, bad.entry); err != nil {
			t.Fatalf("publishing the %s entry: %v", bad.name, err)
		}
		sent = append(sent, bad)
	}
	marker := e.Ballot(t, 4, 0)
	if err := topic.Publish(ctx, marker); err != nil {
		t.Fatal(err)
	}
	c.WaitAllHold(t, e, marker)
	cluster.WaitFor(t, "both nodes to count the rejections", func() bool { return rejected() >= before+float64(len(sent)) })
	for _, n := range c.Nodes[:2] {
		for _, bad := range sent {
			id := election.ID(sha256.Sum256(bad.entry))
			for _, el := range []election.ID{e.ID, other.ID} {
				if _, err := n.Client(t).Entry(context.Background(), el, id); err == nil {
					t.Errorf("%s took the %s entry from gossip", n.Name, bad.name)
				}
			}
		}
	}
}
