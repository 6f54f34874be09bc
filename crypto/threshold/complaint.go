package threshold

import (
	"fmt"

	"github.com/evote/evote/crypto/group"
)

// Complaint is trustee Accuser's public claim that the share Dealer sent it
// failed to decrypt (DecryptShare) or to verify (VerifyShare). Dealer must
// answer with a Reveal or be disqualified.
type Complaint struct {
	Accuser, Dealer int
}

// Validate checks that both indices are in 1..n and distinct.
func (c Complaint) Validate(params Params) error {
	if err := params.checkPair(c.Dealer, c.Accuser); err != nil {
		return fmt.Errorf("complaint: %w", err)
	}
	return nil
}

// Reveal is Dealer's answer to a Complaint by Accuser: the share
// s = f_Dealer(Accuser) in the clear, which everyone checks against the
// dealer's commitments and which the accuser uses instead of what it
// received.
type Reveal struct {
	Dealer, Accuser int
	Share           *group.Scalar
}

// CheckReveal checks a revealed share: dealer and accuser in 1..n and
// distinct, and share·G = Σ_k accuser^k·C[k] for the dealer's commitments c.
// Precondition: params valid.
func CheckReveal(params Params, dealer, accuser int, share *group.Scalar, c *Commitments) error {
	if err := params.Validate(); err != nil {
		return err
	}
	if err := params.checkPair(dealer, accuser); err != nil {
		return fmt.Errorf("reveal: %w", err)
	}
	if err := VerifyShare(params, dealer, accuser, share, c); err != nil {
		return fmt.Errorf("reveal: %w", err)
	}
	return nil
}
