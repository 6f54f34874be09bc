package tlog

import (
	"crypto/ed25519"
	"fmt"

	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/election"
)

// KeyName returns the note key name of a node's checkpoints: the libp2p
// peer id of its Ed25519 signing key ("12D3KooW…"), which the manifest
// lists beside the key. Requires len(pub) == ed25519.PublicKeySize.
func KeyName(pub ed25519.PublicKey) string {
	return election.PeerID(pub)
}

// NewVerifier returns the note verifier of a node's checkpoints from its
// Ed25519 public key, named [KeyName]: the verifier key is
// "<name>+<key hash>+<base64(0x01 ‖ pub)>" as note defines it.
func NewVerifier(pub ed25519.PublicKey) (note.Verifier, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("tlog: verifier: public key is %d bytes, want %d", len(pub), ed25519.PublicKeySize)
	}
	vkey, err := note.NewEd25519VerifierKey(KeyName(pub), pub)
	if err != nil {
		return nil, fmt.Errorf("tlog: verifier: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("tlog: verifier: %w", err)
	}
	return v, nil
}

// signer signs notes with a node's Ed25519 key. It is built from the key
// directly rather than from note's "PRIVATE+KEY+…" string, so the seed
// never passes through a string.
type signer struct {
	name string
	hash uint32
	key  ed25519.PrivateKey
}

// NewSigner returns the note signer of a node's checkpoints: its Ed25519
// private key under the name [KeyName] of its public key, with the key hash
// that [NewVerifier] of the public key expects. Requires len(key) ==
// ed25519.PrivateKeySize.
func NewSigner(key ed25519.PrivateKey) (note.Signer, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("tlog: signer: private key is %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	v, err := NewVerifier(key.Public().(ed25519.PublicKey))
	if err != nil {
		return nil, fmt.Errorf("tlog: signer: %w", err)
	}
	return &signer{name: v.Name(), hash: v.KeyHash(), key: key}, nil
}

func (s *signer) Name() string    { return s.name }
func (s *signer) KeyHash() uint32 { return s.hash }

func (s *signer) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.key, msg), nil }
