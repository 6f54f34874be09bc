package election

import (
	"bytes"
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/election/wire"
)

// MaxCredentialsPerEntry bounds one credentials entry; a larger roll is
// published in several parts.
const MaxCredentialsPerEntry = 100_000

// Credential is one eligible voter's public key and the ballot style it
// votes with (an index into Manifest.Styles; 0 when there are no styles).
type Credential struct {
	Key   ed25519.PublicKey
	Style uint16
}

// CredentialList is the payload of a credentials entry: one part of the
// public credential list. Keys are in strictly increasing byte order, within
// a part and across parts in part order, so the list reveals nothing about
// the roll's order and has no duplicates.
//
// Encoding: u32 part ‖ u32 parts ‖ u32 count ‖ count × (32 key ‖ u16 style).
type CredentialList struct {
	Part, Parts uint32 // this part's number, from 0, and how many there are
	Credentials []Credential
}

// Bytes returns the canonical encoding.
func (c *CredentialList) Bytes() []byte {
	w := &wire.Writer{}
	w.U32(c.Part)
	w.U32(c.Parts)
	w.Count(len(c.Credentials))
	for _, cr := range c.Credentials {
		w.Fixed(cr.Key)
		w.U16(cr.Style)
	}
	return w.Bytes()
}

// DecodeCredentialList parses a credentials payload strictly, including the
// ordering rule; the style indices are checked against the manifest by the
// record's rules.
func DecodeCredentialList(b []byte) (*CredentialList, error) {
	r := wire.NewReader(b)
	c := &CredentialList{Part: r.U32("part"), Parts: r.U32("parts")}
	n := r.Count("credentials", MaxCredentialsPerEntry, ed25519.PublicKeySize+2)
	c.Credentials = make([]Credential, n)
	for i := range c.Credentials {
		c.Credentials[i] = Credential{Key: r.Fixed("credential key", ed25519.PublicKeySize), Style: r.U16("credential style")}
	}
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("credentials: %w", err)
	}
	if c.Parts == 0 || c.Part >= c.Parts {
		return nil, fmt.Errorf("credentials: part %d of %d", c.Part, c.Parts)
	}
	for i := 1; i < n; i++ {
		if bytes.Compare(c.Credentials[i-1].Key, c.Credentials[i].Key) >= 0 {
			return nil, fmt.Errorf("credentials: entry %d is not in increasing order (or repeats entry %d)", i, i-1)
		}
	}
	return c, nil
}
