package election

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
)

// checkCredentials is the payload rule of a credentials entry (checks 26
// and 27): the part decodes strictly, comes next in order, agrees on the
// number of parts, continues the increasing key order, gives only styles
// that exist, and holds no key of the commission, a trustee or a node.
func checkCredentials(r *Record, in *incoming) (func(), error) {
	c, err := DecodeCredentialList(in.e.Payload)
	if err != nil {
		return nil, checkError(CheckCredentialsEncoding, err)
	}
	if err := r.checkCredentialPart(c); err != nil {
		return nil, checkError(CheckCredentialsParts, err)
	}
	return func() {
		if r.creds.parts == 0 {
			r.reserve(int(c.Parts) * len(c.Credentials))
		}
		r.creds.parts++
		r.creds.total = c.Parts
		for _, cr := range c.Credentials {
			r.creds.styles[[ed25519.PublicKeySize]byte(cr.Key)] = cr.Style
		}
		if n := len(c.Credentials); n > 0 {
			r.creds.lastKey = c.Credentials[n-1].Key
		}
	}, nil
}

func (r *Record) checkCredentialPart(c *CredentialList) error {
	s := &r.creds
	if s.total != 0 && s.parts == s.total {
		return fmt.Errorf("the credential list is complete (%d parts); part %d is one too many", s.total, c.Part)
	}
	if c.Part < s.parts {
		return fmt.Errorf("part %d is already on the record", c.Part)
	}
	if c.Part > s.parts {
		return fmt.Errorf("%w: part %d, the next part is %d", ErrTooEarly, c.Part, s.parts)
	}
	if s.total != 0 && c.Parts != s.total {
		return fmt.Errorf("part %d says the list has %d parts, part 0 said %d", c.Part, c.Parts, s.total)
	}
	if len(c.Credentials) > 0 && s.lastKey != nil && bytes.Compare(c.Credentials[0].Key, s.lastKey) <= 0 {
		return fmt.Errorf("part %d: its first key is not greater than the previous part's last key", c.Part)
	}
	styles := max(len(r.manifest.Styles), 1)
	for i, cr := range c.Credentials {
		if int(cr.Style) >= styles {
			return fmt.Errorf("part %d: credential %d: style %d, the election has %d", c.Part, i, cr.Style, styles)
		}
		if role := r.roleOf(cr.Key); role != "" {
			return fmt.Errorf("part %d: credential %d is the signing key of %s", c.Part, i, role)
		}
	}
	return nil
}

// roleOf names the manifest role whose signing key k is, or returns "".
func (r *Record) roleOf(k []byte) string {
	key := [ed25519.PublicKeySize]byte(k)
	if bytes.Equal(k, r.manifest.Commission) {
		return "the commission"
	}
	if i, ok := r.trusteeIndex[key]; ok {
		return fmt.Sprintf("trustee %d", i)
	}
	if i, ok := r.nodeIndex[key]; ok {
		return fmt.Sprintf("node %d", i)
	}
	return ""
}

// Eligible reports whether key is on the credential list, and its style.
func (r *Record) Eligible(key ed25519.PublicKey) (style uint16, ok bool) {
	if len(key) != ed25519.PublicKeySize {
		return 0, false
	}
	style, ok = r.creds.styles[[ed25519.PublicKeySize]byte(key)]
	return style, ok
}

// Credentials returns how many credentials the record lists.
func (r *Record) Credentials() int { return len(r.creds.styles) }

// reserve sizes the maps that grow with the voters for about n of them,
// once the first part of the credential list tells how many to expect: a
// million-voter record otherwise rehashes each map some twenty times. The
// estimate comes from the list's own claim of how many parts it has, so it
// is capped: a record that claims more does not reserve more.
const reserveMax = 1 << 21

func (r *Record) reserve(n int) {
	n = min(n, reserveMax)
	styles := make(map[[ed25519.PublicKeySize]byte]uint16, n)
	for k, v := range r.creds.styles {
		styles[k] = v
	}
	r.creds.styles = styles
	seen := make(map[ID]struct{}, n+len(r.seen))
	for k := range r.seen {
		seen[k] = struct{}{}
	}
	r.seen = seen
	if len(r.last) == 0 {
		r.last = make(map[[ed25519.PublicKeySize]byte]*castBallot, n)
	}
}
