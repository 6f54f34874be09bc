package group

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
)

// Errors returned by the decoders; test with errors.Is.
var (
	ErrLength       = errors.New("wrong length")
	ErrNonCanonical = errors.New("not a canonical ristretto255 encoding")
	ErrScalarRange  = errors.New("scalar is not below the group order ℓ")
	ErrIdentity     = errors.New("identity element not allowed here")
)

// DecodePoint decodes a 32-byte canonical ristretto255 encoding and rejects the
// identity, which makes no sense as a key, commitment or ciphertext component.
func DecodePoint(b []byte) (*Point, error) {
	p, err := DecodePointOrIdentity(b)
	if err != nil {
		return nil, err
	}
	if p.IsIdentity() {
		return nil, fmt.Errorf("point: %w", ErrIdentity)
	}
	return p, nil
}

// DecodePointOrIdentity decodes a 32-byte canonical ristretto255 encoding,
// accepting the identity, for the few places where it can honestly occur
// (an aggregate of no ballots, a partial decryption of one).
func DecodePointOrIdentity(b []byte) (*Point, error) {
	if len(b) != PointSize {
		return nil, fmt.Errorf("point: %w: %d bytes, want %d", ErrLength, len(b), PointSize)
	}
	p := new(Point)
	if _, err := p.e.SetCanonicalBytes(b); err != nil {
		return nil, fmt.Errorf("point: %w", ErrNonCanonical)
	}
	copy(p.enc[:], b)
	p.hasEnc = true
	return p, nil
}

// DecodeScalar decodes a 32-byte little-endian scalar and rejects values ≥ ℓ.
func DecodeScalar(b []byte) (*Scalar, error) {
	if len(b) != ScalarSize {
		return nil, fmt.Errorf("scalar: %w: %d bytes, want %d", ErrLength, len(b), ScalarSize)
	}
	s := new(Scalar)
	if _, err := s.s.SetCanonicalBytes(b); err != nil {
		return nil, fmt.Errorf("scalar: %w", ErrScalarRange)
	}
	return s, nil
}

func readRandom(r io.Reader, b []byte) error {
	if r == nil {
		r = rand.Reader
	}
	if _, err := io.ReadFull(r, b); err != nil {
		return fmt.Errorf("group: reading randomness: %w", err)
	}
	return nil
}
