package threshold

import (
	"crypto/ecdh"
	"crypto/hpke"
	"crypto/rand"
	"fmt"
	"io"
)

// EncryptionKeySize is the length of an encryption key, private or public
// (an X25519 scalar or u-coordinate).
const EncryptionKeySize = 32

// EncryptionKey is a trustee's private key for receiving shares:
// HPKE with DHKEM(X25519, HKDF-SHA256).
type EncryptionKey struct {
	priv *ecdh.PrivateKey
	hpke hpke.PrivateKey
	pub  *EncryptionPublicKey
}

// EncryptionPublicKey is the public half of an EncryptionKey, which the
// trustee publishes so that dealers can send it shares.
type EncryptionPublicKey struct {
	hpke hpke.PublicKey
	enc  [EncryptionKeySize]byte
}

// lowOrderProbe is a fixed X25519 private key used only to detect low-order
// public keys: X25519 clamps every scalar to a multiple of 8, so the shared
// secret is all zeros, and crypto/ecdh fails, exactly for those.
var lowOrderProbe, _ = ecdh.X25519().NewPrivateKey(make([]byte, EncryptionKeySize))

// GenerateEncryptionKey draws a new key from rand (crypto/rand when nil),
// reading exactly 32 bytes, so that a deterministic reader gives a
// deterministic key.
func GenerateEncryptionKey(r io.Reader) (*EncryptionKey, error) {
	if r == nil {
		r = rand.Reader
	}
	var b [EncryptionKeySize]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return nil, fmt.Errorf("encryption key: reading randomness: %w", err)
	}
	return ParseEncryptionKey(b[:])
}

// ParseEncryptionKey parses a private key written by EncryptionKey.Bytes:
// exactly 32 bytes (every such string is a valid X25519 private key).
func ParseEncryptionKey(b []byte) (*EncryptionKey, error) {
	if len(b) != EncryptionKeySize {
		return nil, fmt.Errorf("encryption key: %w: %d bytes, want %d", ErrKey, len(b), EncryptionKeySize)
	}
	priv, err := ecdh.X25519().NewPrivateKey(b)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w: %w", ErrKey, err)
	}
	hk, err := hpke.NewDHKEMPrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("encryption key: %w: %w", ErrKey, err)
	}
	pub, err := newPublicKey(priv.PublicKey())
	if err != nil {
		return nil, err
	}
	return &EncryptionKey{priv: priv, hpke: hk, pub: pub}, nil
}

// Bytes returns the 32-byte private key, for the trustee's own storage only.
func (k *EncryptionKey) Bytes() []byte { return k.priv.Bytes() }

// Public returns the public key.
func (k *EncryptionKey) Public() *EncryptionPublicKey { return k.pub }

// ParseEncryptionPublicKey parses a public key strictly: exactly 32 bytes, a
// canonical u-coordinate (top bit clear, below 2^255 − 19), and not of low
// order, since a share sealed to a low-order key would be readable by anyone.
func ParseEncryptionPublicKey(b []byte) (*EncryptionPublicKey, error) {
	if len(b) != EncryptionKeySize {
		return nil, fmt.Errorf("encryption public key: %w: length %d bytes, want %d", ErrKey, len(b), EncryptionKeySize)
	}
	if !canonicalU(b) {
		return nil, fmt.Errorf("encryption public key: %w: not a canonical X25519 u-coordinate", ErrKey)
	}
	pub, err := ecdh.X25519().NewPublicKey(b)
	if err != nil {
		return nil, fmt.Errorf("encryption public key: %w: %w", ErrKey, err)
	}
	if _, err := lowOrderProbe.ECDH(pub); err != nil {
		return nil, fmt.Errorf("encryption public key: %w: low-order point", ErrKey)
	}
	return newPublicKey(pub)
}

func newPublicKey(pub *ecdh.PublicKey) (*EncryptionPublicKey, error) {
	hk, err := hpke.NewDHKEMPublicKey(pub)
	if err != nil {
		return nil, fmt.Errorf("encryption public key: %w: %w", ErrKey, err)
	}
	k := &EncryptionPublicKey{hpke: hk}
	copy(k.enc[:], pub.Bytes())
	return k, nil
}

// Bytes returns the 32-byte public key.
func (k *EncryptionPublicKey) Bytes() []byte {
	b := k.enc
	return b[:]
}

// canonicalU reports whether the little-endian b encodes an integer below
// p = 2^255 − 19, which also requires the top bit, which X25519 ignores, to
// be clear.
func canonicalU(b []byte) bool {
	if b[31] < 0x7f {
		return true
	}
	if b[31] > 0x7f {
		return false
	}
	for i := 30; i >= 1; i-- {
		if b[i] != 0xff {
			return true
		}
	}
	return b[0] < 0xed
}
