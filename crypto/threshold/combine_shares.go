package threshold

import (
	"fmt"

	"github.com/evote/evote/crypto/group"
)

// CombineShares returns trustee's share of the joint secret,
// s_j = Σ_{i∈QUAL} s_ij, where s_ij is the share that dealer i revealed for
// trustee j if there is one in res.Reveals and received[i] otherwise, and
// checks it against the verification key: s_j·G = V_j.
//
// received holds, by dealer, the shares the trustee decrypted and verified,
// including its own f_j(j) when it is in QUAL; a dealer in QUAL with neither
// a received nor a revealed share is an error. Shares from dealers outside
// QUAL are ignored. Precondition: res came from Qualify.
func CombineShares(res *Result, trustee int, received map[int]*group.Scalar) (*group.Scalar, error) {
	if res == nil {
		return nil, fmt.Errorf("combine shares: %w: nil result", ErrMissing)
	}
	V, err := res.VerificationKey(trustee)
	if err != nil {
		return nil, fmt.Errorf("combine shares: %w", err)
	}
	revealed := make(map[int]*group.Scalar)
	for _, rv := range res.Reveals {
		if rv.Accuser == trustee {
			revealed[rv.Dealer] = rv.Share
		}
	}
	s := group.NewScalar()
	for _, i := range res.QUAL {
		sij := revealed[i]
		if sij == nil {
			sij = received[i]
		}
		if sij == nil {
			return nil, fmt.Errorf("combine shares: trustee %d: %w: no share from dealer %d", trustee, ErrMissing, i)
		}
		s.Add(s, sij)
	}
	if !new(group.Point).ScalarBaseMult(s).Equal(V) {
		return nil, fmt.Errorf("combine shares: trustee %d: %w: s_j·G ≠ V_j", trustee, ErrShareMismatch)
	}
	return s, nil
}
