package tlog

import (
	"errors"
	"slices"
	"testing"
)

func TestInclusionProofsMatchReference(t *testing.T) {
	entries := testEntries(maxTestSize)
	nodes, _, err := buildLog(entries)
	if err != nil {
		t.Fatal(err)
	}
	for size := 1; size <= maxTestSize; size++ {
		root := refMTH(entries[:size])
		for index := 0; index < size; index++ {
			p, err := InclusionProof(nodes, uint64(index), uint64(size))
			if err != nil {
				t.Fatalf("InclusionProof(%d, %d): %v", index, size, err)
			}
			if want := refPath(index, entries[:size]); !slices.Equal(p, want) {
				t.Fatalf("InclusionProof(%d, %d) = %x, want %x", index, size, p, want)
			}
			if err := VerifyInclusion(uint64(index), uint64(size), LeafHash(entries[index]), p, root); err != nil {
				t.Fatalf("VerifyInclusion(%d, %d): %v", index, size, err)
			}
		}
	}
}

func TestConsistencyProofsMatchReference(t *testing.T) {
	entries := testEntries(maxTestSize)
	nodes, _, err := buildLog(entries)
	if err != nil {
		t.Fatal(err)
	}
	for size2 := 0; size2 <= maxTestSize; size2++ {
		root2 := refMTH(entries[:size2])
		for size1 := 0; size1 <= size2; size1++ {
			p, err := ConsistencyProof(nodes, uint64(size1), uint64(size2))
			if err != nil {
				t.Fatalf("ConsistencyProof(%d, %d): %v", size1, size2, err)
			}
			if want := refProof(size1, entries[:size2]); !slices.Equal(p, want) {
				t.Fatalf("ConsistencyProof(%d, %d) = %x, want %x", size1, size2, p, want)
			}
			if err := VerifyConsistency(uint64(size1), uint64(size2), p, refMTH(entries[:size1]), root2); err != nil {
				t.Fatalf("VerifyConsistency(%d, %d): %v", size1, size2, err)
			}
		}
	}
}

func flipBit(h [HashSize]byte, bit int) [HashSize]byte {
	h[bit/8%HashSize] ^= 1 << (bit % 8)
	return h
}

func TestTamperedInclusionProofsFail(t *testing.T) {
	entries := testEntries(maxTestSize)
	nodes, _, err := buildLog(entries)
	if err != nil {
		t.Fatal(err)
	}
	for size := 1; size <= maxTestSize; size++ {
		root := refMTH(entries[:size])
		for index := 0; index < size; index++ {
			i, n := uint64(index), uint64(size)
			leaf := LeafHash(entries[index])
			p, err := InclusionProof(nodes, i, n)
			if err != nil {
				t.Fatal(err)
			}
			for k := range p {
				bad := slices.Clone(p)
				bad[k] = flipBit(bad[k], k*37+index)
				wantMismatch(t, VerifyInclusion(i, n, leaf, bad, root), n, root)
			}
			wantMismatch(t, VerifyInclusion(i, n, flipBit(leaf, index), p, root), n, root)
			wantMismatch(t, VerifyInclusion(i, n, leaf, p, flipBit(root, size)), n, flipBit(root, size))
			if size > 1 {
				other := (index + 1) % size
				err := VerifyInclusion(uint64(other), n, leaf, p, root)
				var length *ProofLengthError
				if !errors.As(err, &length) {
					wantMismatch(t, err, n, root)
				}
			}
			wantLength(t, VerifyInclusion(i, n, leaf, append(slices.Clone(p), root), root), len(p)+1, len(p))
			if len(p) > 0 {
				wantLength(t, VerifyInclusion(i, n, leaf, p[:len(p)-1], root), len(p)-1, len(p))
			}
		}
		if err := VerifyInclusion(uint64(size), uint64(size), root, nil, root); !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("index = size %d: %v, want ErrOutOfRange", size, err)
		}
	}
}

func TestTamperedConsistencyProofsFail(t *testing.T) {
	entries := testEntries(maxTestSize)
	nodes, _, err := buildLog(entries)
	if err != nil {
		t.Fatal(err)
	}
	for size2 := 1; size2 <= maxTestSize; size2++ {
		root2 := refMTH(entries[:size2])
		for size1 := 1; size1 < size2; size1++ {
			n1, n2 := uint64(size1), uint64(size2)
			root1 := refMTH(entries[:size1])
			p, err := ConsistencyProof(nodes, n1, n2)
			if err != nil {
				t.Fatal(err)
			}
			for k := range p {
				bad := slices.Clone(p)
				bad[k] = flipBit(bad[k], k*29+size1)
				if err := VerifyConsistency(n1, n2, bad, root1, root2); err == nil {
					t.Fatalf("%d→%d: proof with hash %d changed verified", size1, size2, k)
				} else {
					var mismatch *RootMismatchError
					if !errors.As(err, &mismatch) {
						t.Fatalf("%d→%d: hash %d changed: %v, want a RootMismatchError", size1, size2, k, err)
					}
				}
			}
			wantMismatch(t, VerifyConsistency(n1, n2, p, root1, flipBit(root2, 5)), n2, flipBit(root2, 5))
			wantMismatch(t, VerifyConsistency(n1, n2, p, root1, root1), n2, root1)
			if size1&(size1-1) == 0 {
				// The proof starts from root1 itself, so a wrong root1
				// leads to a wrong root2.
				wantMismatch(t, VerifyConsistency(n1, n2, p, flipBit(root1, 3), root2), n2, root2)
				wantMismatch(t, VerifyConsistency(n1, n2, p, root2, root2), n2, root2)
			} else {
				wantMismatch(t, VerifyConsistency(n1, n2, p, flipBit(root1, 3), root2), n1, flipBit(root1, 3))
				// Equal roots are told apart by the second run of whichRoot.
				wantMismatch(t, VerifyConsistency(n1, n2, p, root2, root2), n1, root2)
			}
			wantLength(t, VerifyConsistency(n1, n2, append(slices.Clone(p), root1), root1, root2), len(p)+1, len(p))
			wantLength(t, VerifyConsistency(n1, n2, p[:len(p)-1], root1, root2), len(p)-1, len(p))
		}
		wantMismatch(t, VerifyConsistency(uint64(size2), uint64(size2), nil, flipBit(root2, 1), root2), uint64(size2), root2)
		wantLength(t, VerifyConsistency(uint64(size2), uint64(size2), [][HashSize]byte{root2}, root2, root2), 1, 0)
		wantLength(t, VerifyConsistency(0, uint64(size2), [][HashSize]byte{root2}, EmptyRoot(), root2), 1, 0)
		if err := VerifyConsistency(uint64(size2), uint64(size2-1), nil, root2, root2); !errors.Is(err, ErrOutOfRange) {
			t.Fatalf("size1 > size2: %v, want ErrOutOfRange", err)
		}
	}
}

func wantMismatch(t *testing.T, err error, size uint64, expected [HashSize]byte) {
	t.Helper()
	var mismatch *RootMismatchError
	if !errors.As(err, &mismatch) {
		t.Fatalf("got %v, want a RootMismatchError", err)
	}
	if mismatch.Size != size || mismatch.Expected != expected || mismatch.Calculated == expected {
		t.Fatalf("RootMismatchError{Size %d, Expected %x, Calculated %x}, want size %d, expected %x",
			mismatch.Size, mismatch.Expected, mismatch.Calculated, size, expected)
	}
}

func wantLength(t *testing.T, err error, got, want int) {
	t.Helper()
	var length *ProofLengthError
	if !errors.As(err, &length) {
		t.Fatalf("got %v, want a ProofLengthError", err)
	}
	if length.Got != got || length.Want != want {
		t.Fatalf("ProofLengthError{%d, %d}, want {%d, %d}", length.Got, length.Want, got, want)
	}
}
