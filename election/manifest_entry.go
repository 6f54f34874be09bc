package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
)

// ErrCommissionKey is returned by NewManifestEntry when the signing key is
// not the manifest's commission key.
var ErrCommissionKey = errors.New("signing key is not the manifest's commission key")

// NewManifestEntry validates m and returns its manifest entry, signed by
// the commission, with the election id (the entry's id). Nothing is
// produced for an invalid manifest: the error is a *ValidationError listing
// every broken rule, or ErrCommissionKey.
// Precondition: commission is an Ed25519 private key.
func NewManifestEntry(m *Manifest, commission ed25519.PrivateKey) (*Entry, ID, error) {
	if errs := m.Validate(); len(errs) > 0 {
		return nil, ID{}, &ValidationError{Errors: errs}
	}
	if !bytes.Equal(commission.Public().(ed25519.PublicKey), m.Commission) {
		return nil, ID{}, fmt.Errorf("manifest entry: %w", ErrCommissionKey)
	}
	if _, err := NewBallotLayout(m); err != nil {
		return nil, ID{}, fmt.Errorf("manifest entry: %w", err)
	}
	e := &Entry{Version: ProtocolVersion, Type: TypeManifest, Payload: m.Bytes()}
	e.Sign(commission)
	return e, e.ID(), nil
}
