package tlog

import (
	"errors"
	"testing"
)

const maxTestSize = 70

func TestTreeMatchesReference(t *testing.T) {
	entries := testEntries(maxTestSize)
	nodes := memNodes{}
	tree := NewTree()
	if tree.Root() != refMTH(nil) || tree.Size() != 0 {
		t.Fatalf("empty tree: size %d root %x", tree.Size(), tree.Root())
	}
	for i, e := range entries {
		next, err := tree.Append([][HashSize]byte{LeafHash(e)}, nodes.visit)
		if err != nil {
			t.Fatal(err)
		}
		if tree.Size() != uint64(i) {
			t.Fatalf("Append changed the tree it was called on: size %d, want %d", tree.Size(), i)
		}
		tree = next
		if got, want := tree.Root(), refMTH(entries[:i+1]); got != want {
			t.Fatalf("size %d: root %x, want %x", i+1, got, want)
		}
	}
	for size := 0; size <= maxTestSize; size++ {
		want := refMTH(entries[:size])
		got, err := RootAt(nodes, uint64(size))
		if err != nil || got != want {
			t.Fatalf("RootAt(%d) = %x, %v; want %x", size, got, err, want)
		}
		loaded, err := LoadTree(nodes, uint64(size))
		if err != nil || loaded.Root() != want || loaded.Size() != uint64(size) {
			t.Fatalf("LoadTree(%d): %v", size, err)
		}
	}
}

func TestTreeBatchedAppendStoresSameNodes(t *testing.T) {
	entries := testEntries(maxTestSize)
	batched, tree, err := buildLog(entries)
	if err != nil {
		t.Fatal(err)
	}
	single := memNodes{}
	one := NewTree()
	for _, e := range entries {
		if one, err = one.Append([][HashSize]byte{LeafHash(e)}, single.visit); err != nil {
			t.Fatal(err)
		}
	}
	if len(single) != len(batched) {
		t.Fatalf("batched appends stored %d nodes, single appends %d", len(batched), len(single))
	}
	for id, h := range single {
		if batched[id] != h {
			t.Errorf("node %+v: batched %x, single %x", id, batched[id], h)
		}
	}
	// Two leaves per level-0 pair and so on: a perfect-subtree node for
	// every aligned power-of-two range inside [0, size).
	want := 0
	for level := 0; 1<<level <= maxTestSize; level++ {
		want += maxTestSize >> level
	}
	if len(batched) != want {
		t.Errorf("batched appends stored %d nodes, want %d", len(batched), want)
	}
	if tree.Root() != refMTH(entries) {
		t.Errorf("batched root %x, want %x", tree.Root(), refMTH(entries))
	}
}

func TestAppendDoesNotChangeTheTreeItExtends(t *testing.T) {
	entries := testEntries(9)
	_, base, err := buildLog(entries[:7])
	if err != nil {
		t.Fatal(err)
	}
	a, err := base.Append([][HashSize]byte{LeafHash(entries[7])}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := base.Append([][HashSize]byte{LeafHash(entries[8])}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if base.Size() != 7 || base.Root() != refMTH(entries[:7]) {
		t.Errorf("base changed: size %d", base.Size())
	}
	if a.Root() != refMTH(entries[:8]) {
		t.Errorf("first branch root wrong")
	}
	if b.Root() != refMTH(append(append([][]byte{}, entries[:7]...), entries[8])) {
		t.Errorf("second branch root wrong")
	}
}

func TestReadsBeyondTheLogFail(t *testing.T) {
	nodes, _, err := buildLog(testEntries(10))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := RootAt(nodes, 11); err == nil {
		t.Error("RootAt(11) of a log of 10 succeeded")
	}
	if _, err := LoadTree(nodes, 12); err == nil {
		t.Error("LoadTree(12) of a log of 10 succeeded")
	}
	if _, err := InclusionProof(nodes, 3, 13); err == nil {
		t.Error("InclusionProof(3, 13) of a log of 10 succeeded")
	}
	if _, err := InclusionProof(nodes, 10, 10); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("InclusionProof(10, 10): %v, want ErrOutOfRange", err)
	}
	if _, err := ConsistencyProof(nodes, 5, 11); err == nil {
		t.Error("ConsistencyProof(5, 11) of a log of 10 succeeded")
	}
	if _, err := ConsistencyProof(nodes, 6, 5); !errors.Is(err, ErrOutOfRange) {
		t.Errorf("ConsistencyProof(6, 5): %v, want ErrOutOfRange", err)
	}
}
