package threshold

import (
	"testing"

	"github.com/evote/evote/crypto/group"
)

func TestLagrangeAtZero(t *testing.T) {
	// f(x) = 5 + 3x + 2x²; any three points interpolate f(0) = 5.
	f := func(x int) *group.Scalar { return group.ScalarFromUint64(uint64(5 + 3*x + 2*x*x)) }
	for _, idx := range [][]int{{1, 2, 3}, {2, 4, 5}, {5, 1, 3}, {7, 100, 255}, {1, 2, 3, 4}} {
		got := group.NewScalar()
		for k, l := range lagrangeAtZero(idx) {
			got.Add(got, new(group.Scalar).Multiply(l, f(idx[k])))
		}
		if !got.Equal(group.ScalarFromUint64(5)) {
			t.Errorf("indices %v: interpolation at 0 ≠ 5", idx)
		}
	}
	// One index: λ = 1 (t = 1, the share is the secret).
	if l := lagrangeAtZero([]int{3}); !l[0].Equal(group.ScalarFromUint64(1)) {
		t.Error("λ for a single index ≠ 1")
	}
}

func TestBatchInvert(t *testing.T) {
	xs := []*group.Scalar{group.ScalarFromUint64(2), group.ScalarFromInt64(-7), group.ScalarFromUint64(12345)}
	for k, inv := range batchInvert(xs) {
		if !new(group.Scalar).Multiply(inv, xs[k]).Equal(group.ScalarFromUint64(1)) {
			t.Errorf("x[%d]·inv ≠ 1", k)
		}
	}
}
