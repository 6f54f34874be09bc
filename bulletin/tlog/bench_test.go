package tlog

import (
	"github.com/transparency-dev/merkle/compact"
	"testing"
)

const benchLogSize = 1 << 16

func benchLog(b *testing.B) (memNodes, *Tree) {
	b.Helper()
	nodes := memNodes{}
	leaves := make([][HashSize]byte, benchLogSize)
	for i := range leaves {
		leaves[i] = LeafHash([]byte{byte(i), byte(i >> 8)})
	}
	tree, err := NewTree().Append(leaves, nodes.visit)
	if err != nil {
		b.Fatal(err)
	}
	return nodes, tree
}

// BenchmarkTreeAppend is the tree's share of the committer's work per
// entry: hash into the border, report the new nodes.
func BenchmarkTreeAppend(b *testing.B) {
	leaf := [][HashSize]byte{LeafHash([]byte("entry"))}
	tree := NewTree()
	n := 0
	visit := func(compact.NodeID, [HashSize]byte) { n++ }
	b.ReportAllocs()
	for b.Loop() {
		var err error
		if tree, err = tree.Append(leaf, visit); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInclusionProof builds a proof from in-memory nodes in a log of
// 65,536 entries (bulletin/store has the same over badger).
func BenchmarkInclusionProof(b *testing.B) {
	nodes, tree := benchLog(b)
	i := uint64(0)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := InclusionProof(nodes, i%tree.Size(), tree.Size()); err != nil {
			b.Fatal(err)
		}
		i += 7919
	}
}

func BenchmarkVerifyInclusion(b *testing.B) {
	nodes, tree := benchLog(b)
	const index = 12345
	p, err := InclusionProof(nodes, index, tree.Size())
	if err != nil {
		b.Fatal(err)
	}
	i := index
	leaf := LeafHash([]byte{byte(i), byte(i >> 8)})
	b.ReportAllocs()
	for b.Loop() {
		if err := VerifyInclusion(index, tree.Size(), leaf, p, tree.Root()); err != nil {
			b.Fatal(err)
		}
	}
}
