package threshold

import (
	"fmt"
	"slices"

	"github.com/evote/evote/crypto/group"
)

// DecryptionShare is trustee's verified share D = s_j·A of a decryption.
type DecryptionShare struct {
	Trustee int
	D       *group.Point
}

// Combine returns the plaintext point M = B − x·A of a ciphertext (A, B)
// from verified decryption shares D_j = s_j·A: x·A = Σ λ_j·D_j by Lagrange
// interpolation at 0. It uses exactly t shares, those with the t smallest
// trustee indices, so the result and its cost do not depend on how many
// more were given; any t honest shares give the same M.
//
// Preconditions, checked: params valid, B not nil, at least t shares, every
// trustee index in 1..n and distinct. Combine does not check the shares'
// proofs: that is VerifyPartial's job, or use Decrypt.
func Combine(params Params, B *group.Point, shares []DecryptionShare) (*group.Point, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	if B == nil {
		return nil, fmt.Errorf("combine: %w: nil B", ErrMissing)
	}
	sorted, err := checkShares(params, shares)
	if err != nil {
		return nil, fmt.Errorf("combine: %w", err)
	}
	use := sorted[:params.T]
	indices := make([]int, len(use))
	points := make([]*group.Point, len(use))
	for k, s := range use {
		indices[k], points[k] = s.Trustee, s.D
	}
	xA := group.VarTimeMultiScalarMult(lagrangeAtZero(indices), points)
	return new(group.Point).Subtract(B, xA), nil
}

// checkShares validates the indices and the count of shares and returns them
// sorted by trustee.
func checkShares(params Params, shares []DecryptionShare) ([]DecryptionShare, error) {
	sorted := slices.Clone(shares)
	slices.SortFunc(sorted, func(a, b DecryptionShare) int { return a.Trustee - b.Trustee })
	for k, s := range sorted {
		if err := params.checkIndex("trustee", s.Trustee); err != nil {
			return nil, fmt.Errorf("decryption share: %w", err)
		}
		if s.D == nil {
			return nil, fmt.Errorf("decryption share of trustee %d: %w: nil D", s.Trustee, ErrMissing)
		}
		if k > 0 && sorted[k-1].Trustee == s.Trustee {
			return nil, fmt.Errorf("decryption share of trustee %d: %w", s.Trustee, ErrDuplicateIndex)
		}
	}
	if len(sorted) < params.T {
		return nil, &TooFewSharesError{Have: len(sorted), T: params.T}
	}
	return sorted, nil
}

// TooFewSharesError says that fewer than t decryption shares are at hand;
// it wraps ErrTooFew.
type TooFewSharesError struct {
	Have, T int
}

func (e *TooFewSharesError) Error() string {
	return fmt.Sprintf("%v valid decryption shares: have %d, need t = %d", ErrTooFew, e.Have, e.T)
}

func (e *TooFewSharesError) Unwrap() error { return ErrTooFew }

// lagrangeAtZero returns λ_j = Π_{m≠j} m / (m − j) for every j in indices,
// the coefficients that interpolate a polynomial of degree < len(indices) at
// 0. The denominators share one inversion (Montgomery's trick): inversion
// costs as much as dozens of multiplications. Precondition: indices distinct
// and nonzero, so no denominator is 0.
func lagrangeAtZero(indices []int) []*group.Scalar {
	nums := make([]*group.Scalar, len(indices))
	dens := make([]*group.Scalar, len(indices))
	for k, j := range indices {
		nums[k], dens[k] = group.ScalarFromUint64(1), group.ScalarFromUint64(1)
		for _, m := range indices {
			if m == j {
				continue
			}
			nums[k].Multiply(nums[k], group.ScalarFromUint64(uint64(m)))
			dens[k].Multiply(dens[k], group.ScalarFromInt64(int64(m-j)))
		}
	}
	invs := batchInvert(dens)
	for k := range nums {
		nums[k].Multiply(nums[k], invs[k])
	}
	return nums
}

// batchInvert returns 1/x for every x in xs with one inversion:
// prefix[k] = x_0···x_{k−1}, then walking back from 1/(x_0···x_{n−1}).
// Precondition: no x is 0.
func batchInvert(xs []*group.Scalar) []*group.Scalar {
	out := make([]*group.Scalar, len(xs))
	acc := group.ScalarFromUint64(1)
	for k, x := range xs {
		out[k] = new(group.Scalar).Set(acc) // prefix product before x_k
		acc.Multiply(acc, x)
	}
	inv := new(group.Scalar).Invert(acc) // 1/(x_0···x_{n−1})
	for k := len(xs) - 1; k >= 0; k-- {
		out[k].Multiply(out[k], inv) // = 1/x_k
		inv.Multiply(inv, xs[k])     // = 1/(x_0···x_{k−1})
	}
	return out
}
