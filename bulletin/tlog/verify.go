package tlog

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/transparency-dev/merkle/proof"
)

// ProofLengthError is a proof with the wrong number of hashes for the
// sizes it claims to be about: the length is fixed by the index and sizes
// alone.
type ProofLengthError struct {
	Got, Want int
}

func (e *ProofLengthError) Error() string {
	return fmt.Sprintf("proof has %d hashes, want %d", e.Got, e.Want)
}

// RootMismatchError is a proof that leads to another root than the one it
// was checked against: Calculated is what the proof gives for the tree of
// Size, Expected what the caller (a signed checkpoint) says.
type RootMismatchError struct {
	Size       uint64
	Expected   [HashSize]byte
	Calculated [HashSize]byte
}

func (e *RootMismatchError) Error() string {
	return fmt.Sprintf("proof gives root %x for size %d, want %x", e.Calculated, e.Size, e.Expected)
}

// VerifyInclusion checks that proof shows the leaf with hash leaf (see
// [LeafHash]) at index in the tree of the given size and root. Requires
// index < size. It fails with an error wrapping [ErrOutOfRange], a
// [*ProofLengthError] or a [*RootMismatchError].
func VerifyInclusion(index, size uint64, leaf [HashSize]byte, p [][HashSize]byte, root [HashSize]byte) error {
	if index >= size {
		return fmt.Errorf("tlog: inclusion: index %d not below size %d: %w", index, size, ErrOutOfRange)
	}
	if want := inclusionLength(index, size); len(p) != want {
		return fmt.Errorf("tlog: inclusion of %d in %d: %w", index, size, &ProofLengthError{Got: len(p), Want: want})
	}
	calc, err := proof.RootFromInclusionProof(hasher, index, size, leaf[:], toSlices(p))
	if err != nil {
		return fmt.Errorf("tlog: inclusion of %d in %d: %w", index, size, err)
	}
	if [HashSize]byte(calc) != root {
		return fmt.Errorf("tlog: inclusion of %d in %d: %w", index, size,
			&RootMismatchError{Size: size, Expected: root, Calculated: [HashSize]byte(calc)})
	}
	return nil
}

// VerifyConsistency checks that proof shows the tree of size1 and root1 to
// be a prefix of the tree of size2 and root2. Requires size1 ≤ size2; with
// size1 = 0 any size2 is consistent and the proof must be empty, and with
// size1 = size2 the proof must be empty and the roots equal. It fails with
// an error wrapping [ErrOutOfRange], a [*ProofLengthError] or a
// [*RootMismatchError] whose Size says which root the proof contradicts.
// When size1 is a power of two the proof does not hold the smaller tree's
// root but starts from root1, so a wrong root1 shows as a mismatch at size2.
func VerifyConsistency(size1, size2 uint64, p [][HashSize]byte, root1, root2 [HashSize]byte) error {
	if size1 > size2 {
		return fmt.Errorf("tlog: consistency: size1 %d above size2 %d: %w", size1, size2, ErrOutOfRange)
	}
	if want := consistencyLength(size1, size2); len(p) != want {
		return fmt.Errorf("tlog: consistency %d→%d: %w", size1, size2, &ProofLengthError{Got: len(p), Want: want})
	}
	if size1 == size2 {
		if root1 != root2 {
			return fmt.Errorf("tlog: consistency %d→%d: %w", size1, size2,
				&RootMismatchError{Size: size2, Expected: root2, Calculated: root1})
		}
		return nil
	}
	err := proof.VerifyConsistency(hasher, size1, size2, toSlices(p), root1[:], root2[:])
	var m proof.RootMismatchError
	if errors.As(err, &m) {
		return fmt.Errorf("tlog: consistency %d→%d: %w", size1, size2, whichRoot(size1, size2, p, root1, root2, m))
	}
	if err != nil {
		return fmt.Errorf("tlog: consistency %d→%d: %w", size1, size2, err)
	}
	return nil
}

// whichRoot says which of the two roots the library's mismatch is about. It
// checks root1 first and stops there, and names the expected root but not
// its size; when the two roots are equal, a second run with root2 set to
// what the proof calculated passes only if root1 did.
func whichRoot(size1, size2 uint64, p [][HashSize]byte, root1, root2 [HashSize]byte, m proof.RootMismatchError) *RootMismatchError {
	calc := [HashSize]byte(m.CalculatedRoot)
	first := &RootMismatchError{Size: size1, Expected: root1, Calculated: calc}
	second := &RootMismatchError{Size: size2, Expected: root2, Calculated: calc}
	switch {
	case [HashSize]byte(m.ExpectedRoot) != root1:
		return second
	case root1 != root2:
		return first
	case proof.VerifyConsistency(hasher, size1, size2, toSlices(p), root1[:], calc[:]) == nil:
		return second
	default:
		return first
	}
}

// inclusionLength is the length of the audit path of index in a tree of
// size: the levels below the point where the paths to index and to size-1
// part, plus one hash per perfect subtree to the left above it.
// Requires index < size.
func inclusionLength(index, size uint64) int {
	inner := bits.Len64(index ^ (size - 1))
	return inner + bits.OnesCount64(index>>inner)
}

// consistencyLength is the length of the consistency proof from size1 to
// size2: the inclusion path of the subtree that ends the smaller tree,
// plus that subtree's hash unless the smaller tree is that subtree.
// Requires size1 ≤ size2.
func consistencyLength(size1, size2 uint64) int {
	if size1 == 0 || size1 == size2 {
		return 0
	}
	shift := bits.TrailingZeros64(size1)
	n := inclusionLength(size1-1, size2) - shift
	if size1 != 1<<shift {
		n++
	}
	return n
}
