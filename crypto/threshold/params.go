package threshold

import (
	"errors"
	"fmt"
)

// MaxTrustees bounds n. It keeps every vector and every loop over trustees
// small and lets an index fit in the 2-byte count of the encodings.
const MaxTrustees = 255

// Errors wrapped by this package's failures; test with errors.Is.
var (
	ErrParams          = errors.New("invalid threshold parameters")
	ErrIndex           = errors.New("trustee index out of range")
	ErrDuplicateIndex  = errors.New("duplicate trustee index")
	ErrSelf            = errors.New("recipient is the dealer")
	ErrCommitmentCount = errors.New("wrong number of coefficient commitments")
	ErrIdentity        = errors.New("identity element not allowed")
	ErrShareMismatch   = errors.New("share does not match the dealer's commitments")
	ErrShareDecrypt    = errors.New("share ciphertext does not decrypt")
	ErrEncoding        = errors.New("malformed encoding")
	ErrKey             = errors.New("invalid encryption key")
	ErrTooFew          = errors.New("fewer than t")
	ErrMissing         = errors.New("missing input")
)

// Params are the threshold parameters: n trustees, indexed 1..n, of whom any
// t decrypt.
type Params struct {
	N, T int
}

// Validate checks 1 ≤ t ≤ n ≤ MaxTrustees.
func (p Params) Validate() error {
	if p.N < 1 || p.N > MaxTrustees {
		return fmt.Errorf("%w: n = %d, want 1..%d", ErrParams, p.N, MaxTrustees)
	}
	if p.T < 1 || p.T > p.N {
		return fmt.Errorf("%w: t = %d, want 1..n = 1..%d", ErrParams, p.T, p.N)
	}
	return nil
}

// checkIndex checks that the trustee index i, in the role named by role
// ("dealer", "recipient", …), lies in 1..n.
func (p Params) checkIndex(role string, i int) error {
	if i < 1 || i > p.N {
		return fmt.Errorf("%s %d: %w: want 1..%d", role, i, ErrIndex, p.N)
	}
	return nil
}

// checkPair checks a dealer and a recipient of one share: both in 1..n and
// distinct, since a dealer never sends, complains about or reveals a share
// to itself.
func (p Params) checkPair(dealer, recipient int) error {
	if err := p.checkIndex("dealer", dealer); err != nil {
		return err
	}
	if err := p.checkIndex("recipient", recipient); err != nil {
		return err
	}
	if dealer == recipient {
		return fmt.Errorf("dealer %d, recipient %d: %w", dealer, recipient, ErrSelf)
	}
	return nil
}
