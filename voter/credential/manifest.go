package credential

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"

	"github.com/evote/evote/election"
)

// ErrCommissionKey means the key offered to sign the credential list is
// not the commission key that the election's manifest names.
var ErrCommissionKey = errors.New("not the election's commission key")

// ForManifest issues credentials for the election whose signed manifest
// entry is manifestEntry (the bytes that 'evote election create' writes).
// It checks the manifest entry exactly as the board does, checks that
// commission is the key the manifest names, issues a credential per voter
// (see NewIssue; styles are the manifest's), and then applies the new
// credentials entries to a record of the election, so that an issue the
// board would refuse is never written.
func ForManifest(manifestEntry []byte, voters []Voter, commission ed25519.PrivateKey, rand io.Reader) (*Issue, error) {
	e, err := election.DecodeEntry(manifestEntry)
	if err != nil {
		return nil, fmt.Errorf("manifest entry: %w", err)
	}
	rec, err := election.NewRecord(e)
	if err != nil {
		return nil, fmt.Errorf("manifest entry: %w", err)
	}
	m := rec.Manifest()
	if pub := commission.Public().(ed25519.PublicKey); !bytes.Equal(pub, m.Commission) {
		return nil, fmt.Errorf("commission key %x: %w, which is %x", pub, ErrCommissionKey, m.Commission)
	}
	is, err := NewIssue(rec.ID(), voters, m.Styles, commission, rand)
	if err != nil {
		return nil, err
	}
	for p, ce := range is.Entries {
		if err := rec.Apply(ce); err != nil {
			return nil, fmt.Errorf("credentials part %d would be refused by the board: %w", p, err)
		}
	}
	return is, nil
}
