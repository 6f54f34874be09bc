package election

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// ErrNotEligible is wrapped when a ballot's author is not on the public
// credential list.
var ErrNotEligible = errors.New("credential is not on the credential list")

// Eligibility says whether a credential may vote, and with which ballot
// style. Implementations must be safe for concurrent reads.
type Eligibility interface {
	CredentialStyle(key ed25519.PublicKey) (style uint16, ok bool)
}

// CredentialStyles is the public credential list as a lookup: credential
// public key → ballot style. It implements Eligibility.
type CredentialStyles map[[ed25519.PublicKeySize]byte]uint16

// NewCredentialStyles merges the parts of a credential list. It fails on a
// key that appears twice, in one part or in several.
func NewCredentialStyles(parts ...*CredentialList) (CredentialStyles, error) {
	c := make(CredentialStyles)
	for _, part := range parts {
		for _, cr := range part.Credentials {
			if len(cr.Key) != ed25519.PublicKeySize {
				return nil, fmt.Errorf("credentials part %d: key of %d bytes", part.Part, len(cr.Key))
			}
			k := [ed25519.PublicKeySize]byte(cr.Key)
			if _, dup := c[k]; dup {
				return nil, fmt.Errorf("credentials part %d: credential %x listed twice", part.Part, cr.Key)
			}
			c[k] = cr.Style
		}
	}
	return c, nil
}

// CredentialStyle returns the style of key, if key is on the list.
func (c CredentialStyles) CredentialStyle(key ed25519.PublicKey) (uint16, bool) {
	if len(key) != ed25519.PublicKeySize {
		return 0, false
	}
	s, ok := c[[ed25519.PublicKeySize]byte(key)]
	return s, ok
}
