package synth

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
)

// TestWriteReplays generates a small election with revotes and spoiled
// ballots, and replays it with the record's own rules: no failure, and the
// counts the record derives are the generator's.
func TestWriteReplays(t *testing.T) {
	dir := t.TempDir()
	el, err := Write(dir, Params{Ballots: 40, Revotes: 3, Spoiled: 2, Templates: 7})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, record.EntriesFile))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != el.Entries {
		t.Fatalf("%d entries in the file, the generator wrote %d", len(entries), el.Entries)
	}
	r, errs := election.Replay(entries)
	for _, err := range errs {
		t.Error(err)
	}
	if r == nil || r.ID() != el.ID {
		t.Fatal("the record is not the generator's election")
	}
	got := r.Counts()[0]
	var sum uint64
	for o, n := range el.Counts {
		if got[o] != n {
			t.Errorf("option %d: the record counts %d, the generator %d", o, got[o], n)
		}
		sum += n
	}
	if sum != 40 {
		t.Errorf("the counts add up to %d, want one per voter (40)", sum)
	}
}

func TestParamsRejected(t *testing.T) {
	for _, p := range []Params{
		{Ballots: -1}, {Options: -2}, {Revotes: 5, Ballots: 2}, {Threshold: 4, Trustees: 3}, {Nodes: 65},
	} {
		if _, err := Write(t.TempDir(), p); err == nil {
			t.Errorf("%+v: no error", p)
		}
	}
}

// ReadForIngest gives the entries before the ballots, then every ballot
// (revotes included), and nothing from the close on.
func TestReadForIngest(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, Params{Ballots: 30, Revotes: 4}); err != nil {
		t.Fatal(err)
	}
	setup, ballots, err := ReadForIngest(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(ballots) != 34 {
		t.Errorf("%d ballots, want 30 + 4 revotes", len(ballots))
	}
	if len(setup) == 0 || election.EntryType(setup[0][2]) != election.TypeManifest {
		t.Fatal("setup does not start with the manifest")
	}
	r, errs := election.Replay(append(setup, ballots...))
	for _, err := range errs {
		// Only the end is missing: no close, seals or result.
		if ce, ok := errors.AsType[*election.CheckError](err); !ok || ce.Check != election.CheckComplete {
			t.Error(err)
		}
	}
	if r == nil || r.Phase() != election.PhaseVoting {
		t.Fatal("setup and ballots do not replay into an open election")
	}
	if _, _, err := ReadForIngest(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing directory was read")
	}
}
