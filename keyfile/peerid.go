package keyfile

import (
	"crypto/ed25519"
	"fmt"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
)

// PeerID returns the libp2p peer id of an Ed25519 public key, as libp2p
// prints it: the identity multihash of the protobuf-encoded public key, in
// base58btc ("12D3KooW…"). A board node's signing key is its libp2p
// identity, so the manifest's peer ids can be checked against its keys.
func PeerID(pub ed25519.PublicKey) (string, error) {
	if len(pub) != ed25519.PublicKeySize {
		return "", fmt.Errorf("peer id: public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	k, err := crypto.UnmarshalEd25519PublicKey(pub)
	if err != nil {
		return "", fmt.Errorf("peer id: %w", err)
	}
	id, err := peer.IDFromPublicKey(k)
	if err != nil {
		return "", fmt.Errorf("peer id: %w", err)
	}
	return id.String(), nil
}
