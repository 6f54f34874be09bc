package tlog

import (
	"fmt"

	"github.com/transparency-dev/merkle/compact"
	"github.com/transparency-dev/merkle/proof"
)

// RootAt returns the root of the log's tree of the given size from the
// stored nodes. Requires size ≤ the log's size.
func RootAt(r NodeReader, size uint64) ([HashSize]byte, error) {
	if size == 0 {
		return EmptyRoot(), nil
	}
	hashes, err := readNodes(r, compact.RangeNodes(0, size, nil))
	if err != nil {
		return [HashSize]byte{}, fmt.Errorf("tlog: root at size %d: %w", size, err)
	}
	rng, err := rangeFactory.NewRange(0, size, hashes)
	if err != nil {
		return [HashSize]byte{}, fmt.Errorf("tlog: root at size %d: %w", size, err)
	}
	root, err := rng.GetRootHash(nil)
	if err != nil {
		return [HashSize]byte{}, fmt.Errorf("tlog: root at size %d: %w", size, err)
	}
	return [HashSize]byte(root), nil
}

// InclusionProof returns the RFC 6962 audit path of leaf index in the tree
// of the given size, from the lowest level up. Requires index < size ≤ the
// log's size.
func InclusionProof(r NodeReader, index, size uint64) ([][HashSize]byte, error) {
	if index >= size {
		return nil, fmt.Errorf("tlog: inclusion proof: index %d not below size %d: %w", index, size, ErrOutOfRange)
	}
	nodes, err := proof.Inclusion(index, size)
	if err != nil {
		return nil, fmt.Errorf("tlog: inclusion proof of %d in %d: %w", index, size, err)
	}
	p, err := rehash(r, nodes)
	if err != nil {
		return nil, fmt.Errorf("tlog: inclusion proof of %d in %d: %w", index, size, err)
	}
	return p, nil
}

// ConsistencyProof returns the RFC 6962 consistency proof that the tree of
// size1 is a prefix of the tree of size2; it is empty when size1 is 0 or
// equal to size2. Requires size1 ≤ size2 ≤ the log's size.
func ConsistencyProof(r NodeReader, size1, size2 uint64) ([][HashSize]byte, error) {
	if size1 > size2 {
		return nil, fmt.Errorf("tlog: consistency proof: size1 %d above size2 %d: %w", size1, size2, ErrOutOfRange)
	}
	nodes, err := proof.Consistency(size1, size2)
	if err != nil {
		return nil, fmt.Errorf("tlog: consistency proof %d→%d: %w", size1, size2, err)
	}
	p, err := rehash(r, nodes)
	if err != nil {
		return nil, fmt.Errorf("tlog: consistency proof %d→%d: %w", size1, size2, err)
	}
	return p, nil
}

// rehash reads the nodes a proof needs and folds the ones that cover an
// ephemeral node (one that roots no perfect subtree, so is never stored)
// into its hash.
func rehash(r NodeReader, nodes proof.Nodes) ([][HashSize]byte, error) {
	hashes, err := readNodes(r, nodes.IDs)
	if err != nil {
		return nil, err
	}
	hashes, err = nodes.Rehash(hashes, hashChildren)
	if err != nil {
		return nil, err
	}
	return toArrays(hashes), nil
}
