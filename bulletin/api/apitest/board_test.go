package apitest

import (
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

var _ bulletin.Board = (*Board)(nil)

// TestBoardContract checks the parts of the bulletin.Board contract that
// the API relies on: duplicates, unknown elections and entries, proofs
// beyond the log, nothing stored on error.
func TestBoardContract(t *testing.T) {
	ctx := t.Context()
	b := NewBoard(1)
	m := Entry(Key(0), election.ID{}, election.TypeManifest, []byte("m"))
	rc, err := b.Submit(ctx, m)
	if err != nil {
		t.Fatal(err)
	}
	el := election.ID(sha256.Sum256(m))
	if rc.Election != el || rc.Entry != el || rc.Index != 0 {
		t.Errorf("manifest receipt %+v", rc)
	}
	ballot := Entry(Key(1), el, election.TypeBallot, nil)
	if _, err := b.Submit(ctx, ballot); err != nil {
		t.Fatal(err)
	}
	dup, err := b.Submit(ctx, ballot)
	if !errors.Is(err, election.ErrDuplicate) || dup == nil || dup.Index != 1 {
		t.Errorf("duplicate: %+v, %v; want the stored copy's receipt and ErrDuplicate", dup, err)
	}
	if _, err := b.Submit(ctx, Entry(Key(1), election.ID{1}, election.TypeBallot, nil)); !errors.Is(err, bulletin.ErrUnknownElection) {
		t.Errorf("unknown election: %v", err)
	}
	var ce *election.CheckError
	if _, err := b.Submit(ctx, []byte("junk")); !errors.As(err, &ce) || ce.Check != election.CheckEncoding {
		t.Errorf("junk: %v", err)
	}
	b.SetReject(func(*election.Entry) error { return errors.New("no") })
	if _, err := b.Submit(ctx, Entry(Key(2), el, election.TypeBallot, nil)); err == nil {
		t.Error("the reject rule was not applied")
	}
	if b.Len(el) != 2 {
		t.Errorf("%d entries stored, want 2", b.Len(el))
	}
	if _, err := b.Entry(ctx, el, election.ID{3}); !errors.Is(err, bulletin.ErrNotFound) {
		t.Errorf("unknown entry: %v", err)
	}
	if _, err := b.InclusionProof(ctx, el, 0, 3); !errors.Is(err, tlog.ErrOutOfRange) {
		t.Errorf("inclusion beyond the log: %v", err)
	}
	if _, err := b.ConsistencyProof(ctx, el, 1, 3); !errors.Is(err, tlog.ErrOutOfRange) {
		t.Errorf("consistency beyond the log: %v", err)
	}
	cp, err := b.Checkpoint(ctx, el)
	if err != nil {
		t.Fatal(err)
	}
	p, err := b.InclusionProof(ctx, el, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.VerifyInclusion(1, 2, tlog.LeafHash(ballot), p, cp.Root); err != nil {
		t.Errorf("the board's proof does not verify with tlog: %v", err)
	}
	if _, err := tlog.ParseCheckpoint(cp.Note, b.Verifier()); err != nil {
		t.Errorf("the board's checkpoint does not open: %v", err)
	}
}
