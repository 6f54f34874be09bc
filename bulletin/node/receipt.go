package node

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election/wire"
)

// ReceiptDomain starts every receipt message a node signs (docs/SPEC.md
// §8.1), so that a receipt signature is never a valid signature of an
// entry, a checkpoint or anything else the node's key signs.
const ReceiptDomain = "evote/receipt/v1"

// ErrReceipt is wrapped by VerifyReceipt's failures.
var ErrReceipt = errors.New("invalid receipt")

// ReceiptMessage returns the bytes a node signs for a receipt:
//
//	"evote/receipt/v1" ‖ 32 election ‖ 32 entry ‖ u64 index ‖ i64 time ‖ 32 node
//
// Requires len(r.Node) == ed25519.PublicKeySize.
func ReceiptMessage(r *bulletin.Receipt) []byte {
	w := &wire.Writer{}
	w.Fixed([]byte(ReceiptDomain))
	w.Fixed(r.Election[:])
	w.Fixed(r.Entry[:])
	w.U64(r.Index)
	w.I64(r.Time)
	w.Fixed(r.Node)
	return w.Bytes()
}

// signReceipt fills r.Node and r.Signature with key's.
func signReceipt(r *bulletin.Receipt, key ed25519.PrivateKey) {
	r.Node = key.Public().(ed25519.PublicKey)
	r.Signature = ed25519.Sign(key, ReceiptMessage(r))
}

// VerifyReceipt checks that r is signed by the node whose key is node (the
// manifest's signing key of the node that gave the receipt). It fails
// wrapping ErrReceipt when r.Node is not that key or the signature does
// not verify.
func VerifyReceipt(r *bulletin.Receipt, node ed25519.PublicKey) error {
	if len(node) != ed25519.PublicKeySize {
		return fmt.Errorf("receipt: node key of %d bytes, want %d", len(node), ed25519.PublicKeySize)
	}
	if !bytes.Equal(r.Node, node) {
		return fmt.Errorf("%w: signed by %x, not by the node %x", ErrReceipt, r.Node, []byte(node))
	}
	if len(r.Signature) != ed25519.SignatureSize || !ed25519.Verify(node, ReceiptMessage(r), r.Signature) {
		return fmt.Errorf("%w: entry %s at index %d: bad signature", ErrReceipt, r.Entry, r.Index)
	}
	return nil
}
