package tlog

import (
	"errors"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
)

// ErrOutOfRange is wrapped by every error about an index or size that the
// tree or the proof does not cover (index ≥ size, size1 > size2, a size
// beyond the log).
var ErrOutOfRange = errors.New("out of range")

// NodeReader reads the stored hash of a node that roots a perfect subtree
// of the log: a node that [Tree.Append] reported to its visitor.
type NodeReader interface {
	// Node returns the hash of node id. It fails when the node was never
	// stored: a caller asked about a size beyond the log, or the storage
	// lost it.
	Node(id compact.NodeID) ([HashSize]byte, error)
}

// rangeFactory builds compact ranges with RFC 6962's interior hash.
var rangeFactory = &compact.RangeFactory{Hash: hashChildren}

// Tree is the right border of a log of some size: the roots of the perfect
// subtrees that cover leaves [0, size), and the root of the whole tree. It
// is immutable, so a committer may compute the next tree and drop it if its
// transaction fails. The zero Tree is not valid; use [NewTree] or
// [LoadTree].
type Tree struct {
	rng  *compact.Range
	root [HashSize]byte
}

// NewTree returns the tree of size 0.
func NewTree() *Tree {
	return &Tree{rng: rangeFactory.NewEmptyRange(0), root: EmptyRoot()}
}

// LoadTree reads the right border of the log of the given size from r: the
// at most 64 nodes of compact range [0, size). Requires that r holds every
// node that appending size leaves reported.
func LoadTree(r NodeReader, size uint64) (*Tree, error) {
	hashes, err := readNodes(r, compact.RangeNodes(0, size, nil))
	if err != nil {
		return nil, fmt.Errorf("tlog: loading tree of size %d: %w", size, err)
	}
	rng, err := rangeFactory.NewRange(0, size, hashes)
	if err != nil {
		return nil, fmt.Errorf("tlog: loading tree of size %d: %w", size, err)
	}
	return newTree(rng)
}

func newTree(rng *compact.Range) (*Tree, error) {
	if rng.End() == 0 {
		return NewTree(), nil
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		return nil, fmt.Errorf("tlog: root of tree of size %d: %w", rng.End(), err)
	}
	return &Tree{rng: rng, root: [HashSize]byte(root)}, nil
}

// Size returns the number of leaves.
func (t *Tree) Size() uint64 { return t.rng.End() }

// Root returns the tree's root hash; [EmptyRoot] for size 0.
func (t *Tree) Root() [HashSize]byte { return t.root }

// Append returns the tree with the given leaf hashes (see [LeafHash]) added
// in order, and leaves t as it was. It calls visit, if not nil, with every
// node that now roots a perfect subtree and did not before — each new leaf
// and each new complete parent — which are exactly the nodes a
// [NodeReader] must later return.
func (t *Tree) Append(leaves [][HashSize]byte, visit func(id compact.NodeID, hash [HashSize]byte)) (*Tree, error) {
	// A fresh outer slice: the range appends in place, and t must not change.
	border := append(make([][]byte, 0, len(t.rng.Hashes())+1), t.rng.Hashes()...)
	rng, err := rangeFactory.NewRange(0, t.Size(), border)
	if err != nil {
		return nil, fmt.Errorf("tlog: append: %w", err)
	}
	var visitor compact.VisitFn
	if visit != nil {
		visitor = func(id compact.NodeID, hash []byte) { visit(id, [HashSize]byte(hash)) }
	}
	for i := range leaves {
		if err := rng.Append(leaves[i][:], visitor); err != nil {
			return nil, fmt.Errorf("tlog: append leaf %d: %w", t.Size()+uint64(i), err)
		}
	}
	return newTree(rng)
}

func readNodes(r NodeReader, ids []compact.NodeID) ([][]byte, error) {
	hashes := make([][]byte, len(ids))
	for i, id := range ids {
		h, err := r.Node(id)
		if err != nil {
			return nil, fmt.Errorf("node (level %d, index %d): %w", id.Level, id.Index, err)
		}
		hashes[i] = h[:]
	}
	return hashes, nil
}
