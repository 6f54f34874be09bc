package election

import (
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Complaint is the payload of a complaint entry: the author, trustee
// Accuser, says that the share dealer Dealer sent it did not decrypt or did
// not match Dealer's commitments. Dealer must answer with a reveal or be
// disqualified.
//
// Encoding, exactly 4 bytes: u16 accuser ‖ u16 dealer.
type Complaint struct {
	Accuser, Dealer int
}

// Bytes returns the canonical encoding. Precondition: both indices in 1..n.
func (c *Complaint) Bytes() []byte {
	w := &wire.Writer{}
	w.U16(uint16(c.Accuser))
	w.U16(uint16(c.Dealer))
	return w.Bytes()
}

// DecodeComplaint parses a complaint payload strictly: 4 bytes, both indices
// in 1..n, and distinct.
func DecodeComplaint(params threshold.Params, payload []byte) (*Complaint, error) {
	r := wire.NewReader(payload)
	c := &Complaint{Accuser: readTrusteeIndex(r, "accuser", params.N), Dealer: readTrusteeIndex(r, "dealer", params.N)}
	if err := r.Finish(); err != nil {
		return nil, decodeError(TypeComplaint, err)
	}
	if err := c.Threshold().Validate(params); err != nil {
		return nil, decodeError(TypeComplaint, err)
	}
	return c, nil
}

// Threshold returns c as crypto/threshold states it.
func (c *Complaint) Threshold() threshold.Complaint {
	return threshold.Complaint{Accuser: c.Accuser, Dealer: c.Dealer}
}

// NewComplaint makes the signed complaint of the trustee whose signing key
// is key against dealer.
func NewComplaint(m *Manifest, election ID, key ed25519.PrivateKey, dealer int) (*Entry, error) {
	accuser, err := trusteeKeyIndex(m, key)
	if err != nil {
		return nil, fmt.Errorf("complaint: %w", err)
	}
	c := &Complaint{Accuser: accuser, Dealer: dealer}
	if err := c.Threshold().Validate(thresholdParams(m)); err != nil {
		return nil, err
	}
	return signEntry(TypeComplaint, election, c.Bytes(), key), nil
}
