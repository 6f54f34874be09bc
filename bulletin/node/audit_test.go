package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// openNode returns a node whose storage is open, without running it.
func openNode(t *testing.T) *Node {
	t.Helper()
	n, err := New(testConfig(t, testKey("auditor")))
	if err != nil {
		t.Fatal(err)
	}
	if err := n.open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(n.closeStorage)
	return n
}

// proofBoard is a peer's HTTP API whose consistency proofs are whatever
// the test sets.
type proofBoard struct {
	*apitest.Board
	mu    sync.Mutex
	proof [][32]byte
}

func (b *proofBoard) ConsistencyProof(ctx context.Context, el election.ID, size1, size2 uint64) ([][32]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.proof, nil
}

func (b *proofBoard) setProof(p [][32]byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.proof = p
}

// memTree is a log in memory: its tree and every node hash.
type memTree struct {
	tree  *tlog.Tree
	nodes map[compact.NodeID][32]byte
}

func newMemTree(t *testing.T, n int, salt byte) *memTree {
	m := &memTree{tree: tlog.NewTree(), nodes: map[compact.NodeID][32]byte{}}
	var leaves [][32]byte
	for i := range n {
		leaves = append(leaves, tlog.LeafHash([]byte{salt, byte(i)}))
	}
	var err error
	m.tree, err = m.tree.Append(leaves, func(id compact.NodeID, h [32]byte) { m.nodes[id] = h })
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func (m *memTree) Node(id compact.NodeID) ([32]byte, error) {
	h, ok := m.nodes[id]
	if !ok {
		return h, errors.New("no such node")
	}
	return h, nil
}

// TestAuditKeepsEvidence feeds a peer's checkpoints to the audit one by
// one: consistent ones move the kept checkpoint forward, and a fork at
// equal size or a growth that the peer cannot prove are kept as evidence
// that re-checks from the signed notes.
func TestAuditKeepsEvidence(t *testing.T) {
	n := openNode(t)
	ctx := context.Background()
	el := election.ID(sha256.Sum256([]byte("audited election")))
	es := &electionState{id: el}
	peerKey := testKey("node/1")
	pub := peerKey.Public().(ed25519.PublicKey)
	signer, err := tlog.NewSigner(peerKey)
	if err != nil {
		t.Fatal(err)
	}
	v := verifierOf(t, pub)
	board := &proofBoard{Board: apitest.NewBoard(1)}
	srv := httptest.NewServer(api.New(board, api.Options{}))
	defer srv.Close()
	mp := &manifestPeer{node: &election.Node{Name: "node-1", SigningKey: pub}, http: srv.URL}

	sign := func(size uint64, root [32]byte) *bulletin.Checkpoint {
		cp, err := tlog.SignCheckpoint(el, size, root, signer)
		if err != nil {
			t.Fatal(err)
		}
		return cp
	}
	kept := func() uint64 {
		note, err := n.audit.peerCheckpoint(el, pub)
		if err != nil || note == nil {
			t.Fatalf("kept checkpoint: %v", err)
		}
		cp, err := tlog.ParseCheckpoint(note, v)
		if err != nil {
			t.Fatal(err)
		}
		return cp.Size
	}
	evidence := func() int {
		evs, err := n.Evidence(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range evs {
			if err := ev.Verify(v); err != nil {
				t.Errorf("kept evidence does not verify: %v", err)
			}
		}
		return len(evs)
	}
	log := newMemTree(t, 5, 0)
	rootAt := func(size uint64) [32]byte {
		r, err := tlog.RootAt(log, size)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	n.compare(ctx, es, mp, sign(2, rootAt(2)), v)
	if kept() != 2 || evidence() != 0 {
		t.Fatalf("first checkpoint: kept %d, %d evidence", kept(), evidence())
	}
	n.compare(ctx, es, mp, sign(2, rootAt(2)), v)
	n.compare(ctx, es, mp, sign(2, sha256.Sum256([]byte("fork"))), v)
	if kept() != 2 || evidence() != 1 {
		t.Fatalf("fork at equal size: kept %d, %d evidence", kept(), evidence())
	}
	// The same fork again is the same evidence.
	n.compare(ctx, es, mp, sign(2, sha256.Sum256([]byte("fork"))), v)
	if evidence() != 1 {
		t.Fatalf("a repeated fork kept twice")
	}

	p, err := tlog.ConsistencyProof(log, 2, 3)
	if err != nil {
		t.Fatal(err)
	}
	board.setProof(p)
	n.compare(ctx, es, mp, sign(3, rootAt(3)), v)
	if kept() != 3 || evidence() != 1 {
		t.Fatalf("consistent growth: kept %d, %d evidence", kept(), evidence())
	}

	// A log of 5 entries that does not extend the 3 the peer signed before:
	// no proof can show it, and the one it serves fails.
	other := newMemTree(t, 5, 1)
	p, err = tlog.ConsistencyProof(other, 3, 5)
	if err != nil {
		t.Fatal(err)
	}
	board.setProof(p)
	otherRoot, err := tlog.RootAt(other, 5)
	if err != nil {
		t.Fatal(err)
	}
	n.compare(ctx, es, mp, sign(5, otherRoot), v)
	if evidence() != 2 {
		t.Fatalf("inconsistent growth: %d evidence", evidence())
	}

	// A peer whose API is down proves nothing either way.
	srv.Close()
	n.compare(ctx, es, mp, sign(6, sha256.Sum256([]byte("later"))), v)
	if kept() != 5 || evidence() != 2 {
		t.Fatalf("unreachable peer: kept %d, %d evidence", kept(), evidence())
	}
}

func FuzzDecodeEvidence(f *testing.F) {
	key := testKey("node/1")
	signer, err := tlog.NewSigner(key)
	if err != nil {
		f.Fatal(err)
	}
	el := election.ID(sha256.Sum256([]byte("fuzz")))
	a, _ := tlog.SignCheckpoint(el, 2, sha256.Sum256([]byte("a")), signer)
	b, _ := tlog.SignCheckpoint(el, 2, sha256.Sum256([]byte("b")), signer)
	pub := key.Public().(ed25519.PublicKey)
	f.Add(encodeEvidence(pub, &tlog.Evidence{A: a, B: b, Reason: "fork"}))
	f.Add(encodeEvidence(pub, &tlog.Evidence{A: a, B: b, Proof: [][32]byte{{1}, {2}}}))
	f.Fuzz(func(t *testing.T, rec []byte) {
		ev, err := decodeEvidence(rec)
		if err != nil {
			return
		}
		// What decodes re-encodes to the same record.
		got := encodeEvidence(rec[:ed25519.PublicKeySize], ev)
		if string(got) != string(rec) {
			t.Fatalf("re-encoding differs:\n%x\n%x", got, rec)
		}
	})
}
