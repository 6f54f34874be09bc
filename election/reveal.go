package election

import (
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Reveal is the payload of a reveal entry: the author, dealer Dealer,
// answers trustee Accuser's complaint by publishing the share
// f_Dealer(Accuser) in the clear, for everyone to check against Dealer's
// commitments (threshold.CheckReveal, run by threshold.Qualify).
//
// Encoding, exactly 36 bytes: u16 dealer ‖ u16 accuser ‖ 32-byte share (a
// canonical scalar).
type Reveal struct {
	Dealer, Accuser int
	Share           *group.Scalar
}

// Bytes returns the canonical encoding. Precondition: indices in 1..n,
// Share not nil.
func (rv *Reveal) Bytes() []byte {
	w := &wire.Writer{}
	w.U16(uint16(rv.Dealer))
	w.U16(uint16(rv.Accuser))
	w.Fixed(rv.Share.Bytes())
	return w.Bytes()
}

// DecodeReveal parses a reveal payload strictly: 36 bytes, both indices in
// 1..n and distinct, the share a canonical scalar. It does not check the
// share against the commitments.
func DecodeReveal(params threshold.Params, payload []byte) (*Reveal, error) {
	r := wire.NewReader(payload)
	rv := &Reveal{Dealer: readTrusteeIndex(r, "dealer", params.N), Accuser: readTrusteeIndex(r, "accuser", params.N)}
	share := r.Fixed("share", group.ScalarSize)
	if err := r.Finish(); err != nil {
		return nil, decodeError(TypeReveal, err)
	}
	if rv.Dealer == rv.Accuser {
		return nil, decodeError(TypeReveal, fmt.Errorf("dealer %d reveals a share to itself", rv.Dealer))
	}
	s, err := group.DecodeScalar(share)
	if err != nil {
		return nil, decodeError(TypeReveal, fmt.Errorf("share: %w", err))
	}
	rv.Share = s
	return rv, nil
}

// Threshold returns rv as crypto/threshold states it.
func (rv *Reveal) Threshold() threshold.Reveal {
	return threshold.Reveal{Dealer: rv.Dealer, Accuser: rv.Accuser, Share: rv.Share}
}

// NewReveal makes the signed reveal by the dealer whose signing key is key
// of its share for accuser, from its secret polynomial f.
func NewReveal(m *Manifest, election ID, key ed25519.PrivateKey, f *threshold.Polynomial, accuser int) (*Entry, error) {
	dealer, err := trusteeKeyIndex(m, key)
	if err != nil {
		return nil, fmt.Errorf("reveal: %w", err)
	}
	if f.Dealer() != dealer {
		return nil, fmt.Errorf("reveal: %w: polynomial of dealer %d, key of trustee %d", ErrTrusteeEntry, f.Dealer(), dealer)
	}
	if accuser == dealer {
		return nil, fmt.Errorf("reveal: %w: dealer %d reveals a share to itself", ErrTrusteeEntry, dealer)
	}
	s, err := f.Share(accuser)
	if err != nil {
		return nil, fmt.Errorf("reveal: %w", err)
	}
	rv := &Reveal{Dealer: dealer, Accuser: accuser, Share: s}
	return signEntry(TypeReveal, election, rv.Bytes(), key), nil
}
