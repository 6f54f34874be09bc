package tally_test

import (
	"errors"
	"testing"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/tally/tallytest"
)

// dealt returns a 2-of-3 election with every dealing on the board and its
// open entry, which is not posted.
func dealt(t *testing.T) (*tallytest.Election, *election.Entry) {
	t.Helper()
	e := tallytest.New(t, 3, 2, 2, 1)
	for j := range 3 {
		d, _, err := election.NewDealing(e.Manifest, e.ID, e.Signing[j], nil)
		if err != nil {
			t.Fatal(err)
		}
		e.MustPost(t, d)
	}
	r, err := tally.NewReplica(e.ManifestEntry)
	if err != nil {
		t.Fatal(err)
	}
	r.Add(e.Board)
	res, err := r.Ceremony()
	if err != nil {
		t.Fatal(err)
	}
	return e, e.Sign(e.Commission, election.TypeOpen, election.NewOpen(res).Bytes())
}

func TestReplicaOutOfOrderAndDuplicates(t *testing.T) {
	e, open := dealt(t)
	r, err := tally.NewReplica(e.ManifestEntry)
	if err != nil {
		t.Fatal(err)
	}
	// The open entry arrives before the dealings it names: too early, kept.
	if errs := r.Add([]*election.Entry{open}); len(errs) != 0 || r.Pending() != 1 || r.Open() != nil {
		t.Fatalf("errors %v, pending %d: want the open entry kept for later", errs, r.Pending())
	}
	if errs := r.Add(e.Board); len(errs) != 0 {
		t.Fatal(errs)
	}
	if r.Open() == nil || r.Pending() != 0 || r.Phase() != election.PhaseVoting {
		t.Fatalf("after the dealings the open entry was not applied: phase %v, pending %d", r.Phase(), r.Pending())
	}
	// Everything again: duplicates are no error.
	if errs := r.Add(append(e.Board, open)); len(errs) != 0 {
		t.Fatalf("duplicates: %v", errs)
	}
	if r.Dealers() != 3 || len(r.Rejected()) != 0 {
		t.Fatalf("%d dealers, rejected %v", r.Dealers(), r.Rejected())
	}
}

func TestReplicaRejects(t *testing.T) {
	e, open := dealt(t)
	r, err := tally.NewReplica(e.ManifestEntry)
	if err != nil {
		t.Fatal(err)
	}
	forged := *open
	forged.Signature = append([]byte(nil), open.Signature...)
	forged.Signature[0] ^= 1
	errs := r.Add(append(e.Board, &forged))
	var ce *election.CheckError
	if len(errs) != 1 || !errors.As(errs[0], &ce) || ce.Check != election.CheckSignature || len(r.Rejected()) != 1 {
		t.Fatalf("errors %v, want one check 21 failure", errs)
	}
}

func TestSolveOutOfRange(t *testing.T) {
	e := tallytest.New(t, 1, 1, 2, 1)
	five := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(5))
	pts := [][]*group.Point{{group.NewIdentity(), five}}
	if _, err := tally.Solve(e.Manifest, pts, 4); !errors.Is(err, dlog.ErrNotFound) {
		t.Fatalf("a count of 5 with 4 ballots: %v, want not found", err)
	}
	counts, err := tally.Solve(e.Manifest, pts, 5)
	if err != nil || counts[0][0] != 0 || counts[0][1] != 5 {
		t.Fatalf("counts %v, %v", counts, err)
	}
}
