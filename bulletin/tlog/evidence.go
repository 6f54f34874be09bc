package tlog

import (
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
)

// Evidence is a pair of checkpoints that one node signed for one election
// and that cannot both describe one append-only log: a node that shows one
// log to some and another to others (equivocation).
//
// With equal sizes the two signed notes prove it on their own. With
// different sizes the evidence is the failing consistency Proof, which is
// not signed: a third party who doubts where it came from asks the node for
// a consistency proof between the two sizes, and for two inconsistent
// checkpoints no valid one exists.
type Evidence struct {
	// A and B are the two checkpoints with their signed notes; A.Size ≤ B.Size.
	A, B *bulletin.Checkpoint
	// Proof is the consistency proof from A.Size to B.Size that fails;
	// empty when the sizes are equal.
	Proof [][HashSize]byte
	// Reason says what is inconsistent, for people.
	Reason string
}

// ErrNotEvidence is wrapped by [Evidence.Verify] when the pair is
// consistent after all.
var ErrNotEvidence = errors.New("checkpoints are consistent")

// CheckConsistent returns nil, nil when checkpoints a and b can both be
// heads of one append-only log, given the consistency proof p between
// their sizes (ignored, and it must be empty, when the sizes are equal),
// and the [Evidence] when they cannot: equal sizes with different roots, or
// a proof that fails to verify. Precondition: a and b came from
// [ParseCheckpoint] with the verifier of the same node. It fails, without
// evidence, when a and b are about different elections.
func CheckConsistent(a, b *bulletin.Checkpoint, p [][HashSize]byte) (*Evidence, error) {
	if a.Election != b.Election {
		return nil, fmt.Errorf("tlog: consistency of checkpoints of two elections, %x… and %x…", a.Election[:4], b.Election[:4])
	}
	if a.Size > b.Size {
		a, b = b, a
	}
	err := VerifyConsistency(a.Size, b.Size, p, a.Root, b.Root)
	if err == nil {
		return nil, nil
	}
	var mismatch *RootMismatchError
	var length *ProofLengthError
	if !errors.As(err, &mismatch) && !errors.As(err, &length) {
		return nil, err
	}
	reason := fmt.Sprintf("checkpoints at sizes %d and %d: %v", a.Size, b.Size, err)
	if a.Size == b.Size {
		reason = fmt.Sprintf("two checkpoints at size %d with roots %x and %x", a.Size, a.Root, b.Root)
	}
	return &Evidence{A: a, B: b, Proof: append([][HashSize]byte(nil), p...), Reason: reason}, nil
}

// Verify re-checks the evidence from its signed notes alone: both open
// under v as checkpoints equal to A and B, and [CheckConsistent] finds
// them inconsistent with Proof. It fails wrapping [ErrNotEvidence] when
// they are consistent.
func (e *Evidence) Verify(v note.Verifier) error {
	if e.A == nil || e.B == nil {
		return fmt.Errorf("tlog: evidence: missing checkpoint")
	}
	a, err := reparse(e.A, v)
	if err != nil {
		return fmt.Errorf("tlog: evidence: first checkpoint: %w", err)
	}
	b, err := reparse(e.B, v)
	if err != nil {
		return fmt.Errorf("tlog: evidence: second checkpoint: %w", err)
	}
	ev, err := CheckConsistent(a, b, e.Proof)
	if err != nil {
		return fmt.Errorf("tlog: evidence: %w", err)
	}
	if ev == nil {
		return fmt.Errorf("tlog: evidence: %w", ErrNotEvidence)
	}
	return nil
}

// reparse opens cp's note and checks that it says what cp says.
func reparse(cp *bulletin.Checkpoint, v note.Verifier) (*bulletin.Checkpoint, error) {
	got, err := ParseCheckpoint(cp.Note, v)
	if err != nil {
		return nil, err
	}
	if got.Election != cp.Election || got.Size != cp.Size || got.Root != cp.Root {
		return nil, fmt.Errorf("the signed note says size %d root %x, not size %d root %x", got.Size, got.Root, cp.Size, cp.Root)
	}
	return got, nil
}
