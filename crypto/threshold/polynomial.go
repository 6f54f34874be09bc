package threshold

import (
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
)

// Polynomial is a dealer's secret polynomial
// f(x) = a_0 + a_1·x + … + a_{t−1}·x^{t−1}; a_0 is the dealer's contribution
// to the joint secret. It never leaves the dealer.
type Polynomial struct {
	params Params
	dealer int
	coeffs []*group.Scalar // a_0..a_{t−1}
}

// randomPolynomial draws t nonzero coefficients from rand, in order a_0..a_{t−1}.
func randomPolynomial(params Params, dealer int, rand io.Reader) (*Polynomial, error) {
	f := &Polynomial{params: params, dealer: dealer, coeffs: make([]*group.Scalar, params.T)}
	for k := range f.coeffs {
		a, err := randomNonzeroScalar(rand)
		if err != nil {
			return nil, fmt.Errorf("dealer %d: coefficient %d: %w", dealer, k, err)
		}
		f.coeffs[k] = a
	}
	return f, nil
}

// randomNonzeroScalar draws a uniform nonzero scalar. Zero comes up with
// probability 2^-252, but would make an identity commitment that verifiers
// reject, so an honest dealer redraws.
func randomNonzeroScalar(rand io.Reader) (*group.Scalar, error) {
	for {
		a, err := group.RandomScalar(rand)
		if err != nil {
			return nil, err
		}
		if !a.IsZero() {
			return a, nil
		}
	}
}

// Share returns s = f(recipient), the share for trustee recipient, by
// Horner's rule in constant time. The dealer's own share f(dealer) is
// allowed: it is part of the dealer's share of the joint secret.
// Precondition: recipient in 1..n.
func (f *Polynomial) Share(recipient int) (*group.Scalar, error) {
	if err := f.params.checkIndex("recipient", recipient); err != nil {
		return nil, err
	}
	x := group.ScalarFromUint64(uint64(recipient))
	s := new(group.Scalar).Set(f.coeffs[len(f.coeffs)-1])
	for k := len(f.coeffs) - 2; k >= 0; k-- {
		s.Multiply(s, x)
		s.Add(s, f.coeffs[k])
	}
	return s, nil
}

// Dealer returns the index of the dealer that owns f.
func (f *Polynomial) Dealer() int { return f.dealer }

// varTimeEvalCommitments returns Σ_k x^k·C[k], the public image f(x)·G of a
// committed polynomial, in variable time: C and x are public.
func varTimeEvalCommitments(C []*group.Point, x int) *group.Point {
	powers := make([]*group.Scalar, len(C))
	xs := group.ScalarFromUint64(uint64(x))
	powers[0] = group.ScalarFromUint64(1)
	for k := 1; k < len(C); k++ {
		powers[k] = new(group.Scalar).Multiply(powers[k-1], xs)
	}
	return group.VarTimeMultiScalarMult(powers, C)
}
