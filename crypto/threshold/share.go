package threshold

import (
	"fmt"

	"github.com/evote/evote/crypto/group"
)

// VerifyShare checks that s is f_dealer(recipient) for the polynomial that
// dealer committed to: s·G = Σ_k recipient^k·C[k]. s·G is computed in
// constant time, since s is the recipient's secret; the right-hand side is
// public. recipient = dealer is allowed (a dealer checking its own share).
// Preconditions: params valid, both indices in 1..n, c verified or at least
// of length t.
func VerifyShare(params Params, dealer, recipient int, s *group.Scalar, c *Commitments) error {
	if err := params.Validate(); err != nil {
		return err
	}
	if err := params.checkIndex("dealer", dealer); err != nil {
		return err
	}
	if err := params.checkIndex("recipient", recipient); err != nil {
		return err
	}
	if s == nil {
		return fmt.Errorf("share %d→%d: %w: nil share", dealer, recipient, ErrMissing)
	}
	if err := checkCommitmentShape(params, c); err != nil {
		return fmt.Errorf("share %d→%d: dealer's %w", dealer, recipient, err)
	}
	if !shareMatches(s, c, recipient) {
		return fmt.Errorf("share %d→%d: %w", dealer, recipient, ErrShareMismatch)
	}
	return nil
}

func shareMatches(s *group.Scalar, c *Commitments, recipient int) bool {
	lhs := new(group.Point).ScalarBaseMult(s)
	return lhs.Equal(varTimeEvalCommitments(c.C, recipient))
}
