package tlog_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// nodes is what a store keeps: every node hash Append reports.
type nodes map[compact.NodeID][tlog.HashSize]byte

func (n nodes) Node(id compact.NodeID) ([tlog.HashSize]byte, error) {
	h, ok := n[id]
	if !ok {
		return h, fmt.Errorf("node %+v not stored", id)
	}
	return h, nil
}

// A node appends entries, signs a checkpoint and proves an entry's
// inclusion; a client checks both with the node's public key.
func Example() {
	store := nodes{}
	entries := [][]byte{[]byte("manifest"), []byte("ballot 1"), []byte("ballot 2")}
	leaves := make([][tlog.HashSize]byte, len(entries))
	for i, e := range entries {
		leaves[i] = tlog.LeafHash(e)
	}
	tree, err := tlog.NewTree().Append(leaves, func(id compact.NodeID, h [tlog.HashSize]byte) { store[id] = h })
	if err != nil {
		panic(err)
	}

	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	signer, err := tlog.NewSigner(key)
	if err != nil {
		panic(err)
	}
	el := election.ID(sha256.Sum256(entries[0]))
	signed, err := tlog.SignCheckpoint(el, tree.Size(), tree.Root(), signer)
	if err != nil {
		panic(err)
	}
	proof, err := tlog.InclusionProof(store, 1, tree.Size())
	if err != nil {
		panic(err)
	}

	// The client side.
	verifier, err := tlog.NewVerifier(key.Public().(ed25519.PublicKey))
	if err != nil {
		panic(err)
	}
	cp, err := tlog.ParseCheckpoint(signed.Note, verifier)
	if err != nil {
		panic(err)
	}
	err = tlog.VerifyInclusion(1, cp.Size, tlog.LeafHash([]byte("ballot 1")), proof, cp.Root)
	fmt.Println("size", cp.Size, "inclusion:", err)
	err = tlog.VerifyInclusion(1, cp.Size, tlog.LeafHash([]byte("ballot 9")), proof, cp.Root)
	fmt.Println(err != nil)
	// Output:
	// size 3 inclusion: <nil>
	// true
}
