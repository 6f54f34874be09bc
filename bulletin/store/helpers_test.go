package store

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

var (
	elA = election.ID(sha256.Sum256([]byte("store test election A")))
	elB = election.ID(sha256.Sum256([]byte("store test election B")))
)

func openTest(t testing.TB, dir string) *Store {
	t.Helper()
	s, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// item returns a distinct entry of size bytes (at least 16) for seq.
func item(seq uint64, typ election.EntryType, size int) Item {
	b := make([]byte, size)
	binary.BigEndian.PutUint64(b, seq)
	b[8] = byte(typ)
	for i := 16; i < size; i++ {
		b[i] = byte(seq*7 + uint64(i))
	}
	return Item{ID: sha256.Sum256(b), Type: typ, Bytes: b}
}

// refTree is the tree of entries appended one by one, with its nodes.
type refTree struct {
	tree  *tlog.Tree
	nodes map[compact.NodeID][tlog.HashSize]byte
}

func newRefTree(t testing.TB, entries [][]byte) *refTree {
	t.Helper()
	r := &refTree{tree: tlog.NewTree(), nodes: map[compact.NodeID][tlog.HashSize]byte{}}
	leaves := make([][tlog.HashSize]byte, len(entries))
	for i, e := range entries {
		leaves[i] = tlog.LeafHash(e)
	}
	var err error
	r.tree, err = r.tree.Append(leaves, func(id compact.NodeID, h [tlog.HashSize]byte) { r.nodes[id] = h })
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// allEntries reads an election's whole log in pages of 7.
func allEntries(t testing.TB, s *Store, el election.ID) [][]byte {
	t.Helper()
	var out [][]byte
	for from := uint64(0); ; {
		page, err := s.Entries(context.Background(), el, 0, from, 7)
		if err != nil {
			t.Fatal(err)
		}
		for _, st := range page {
			if st.Index != uint64(len(out)) {
				t.Fatalf("entry at position %d has index %d", len(out), st.Index)
			}
			out = append(out, st.Bytes)
		}
		if len(page) < 7 {
			return out
		}
		from = page[len(page)-1].Index + 1
	}
}

// checkLog checks that el's head, roots and proofs match a reference tree
// built from the entries the store returns.
func checkLog(t testing.TB, s *Store, el election.ID) [][]byte {
	t.Helper()
	ctx := context.Background()
	entries := allEntries(t, s, el)
	ref := newRefTree(t, entries)
	size, root, err := s.Head(ctx, el)
	if err != nil {
		t.Fatal(err)
	}
	if size != uint64(len(entries)) || root != ref.tree.Root() {
		t.Fatalf("head: size %d root %x; entries give size %d root %x", size, root, len(entries), ref.tree.Root())
	}
	for _, st := range entries {
		id := sha256.Sum256(st)
		got, err := s.Entry(ctx, el, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != id {
			t.Fatalf("entry %x has id %x", id, got.ID)
		}
	}
	return entries
}

// refNodes is a tlog.NodeReader over a reference tree's nodes.
type refNodes map[compact.NodeID][tlog.HashSize]byte

func (r refNodes) Node(id compact.NodeID) ([tlog.HashSize]byte, error) {
	h, ok := r[id]
	if !ok {
		return h, ErrNotFound
	}
	return h, nil
}
