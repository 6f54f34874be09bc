package verify

import (
	"context"
	"crypto/sha256"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/crypto/elgamal"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/synth"
	"github.com/evote/evote/record"
)

// synthetic returns a small complete synthetic election, made once per test
// binary, and its entries.
func synthetic(t testing.TB) (*synth.Election, string, [][]byte) {
	t.Helper()
	synthOnce.Do(func() {
		dir, err := os.MkdirTemp("", "evote-verify-test-")
		if err != nil {
			synthErr = err
			return
		}
		synthDir = dir
		synthEl, synthErr = synth.Write(dir, synth.Params{Ballots: 30, Revotes: 2, Spoiled: 1, Templates: 5, Nodes: 4})
	})
	if synthErr != nil {
		t.Fatal(synthErr)
	}
	return synthEl, synthDir, readEntries(t, synthDir)
}

var (
	synthOnce sync.Once
	synthEl   *synth.Election
	synthDir  string
	synthErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if synthDir != "" {
		os.RemoveAll(synthDir)
	}
	os.Exit(code)
}

func readEntries(t testing.TB, dir string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, record.EntriesFile))
	if err != nil {
		t.Fatal(err)
	}
	es, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// writeDir writes entries, and the checkpoint note when not nil, as a
// record directory.
func writeDir(t testing.TB, entries [][]byte, checkpoint []byte) Dir {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, record.EntriesFile), election.EncodeRecordFile(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	if checkpoint != nil {
		if err := os.WriteFile(filepath.Join(dir, record.CheckpointFile), checkpoint, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return Dir(dir)
}

func checkpointOf(t testing.TB, dir string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, record.CheckpointFile))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func verifyDir(t testing.TB, d Dir) *Report {
	t.Helper()
	return Run(context.Background(), d, Options{Batch: 7})
}

// firstFailure returns the failure of the lowest record index (−1 last).
func firstFailure(r *Report) *Failure {
	var first *Failure
	for _, f := range r.Failures() {
		if first == nil || (f.Index >= 0 && (first.Index < 0 || f.Index < first.Index)) {
			first = &f
		}
	}
	return first
}

func decode(t testing.TB, b []byte) *election.Entry {
	t.Helper()
	e, err := election.DecodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// indexOf returns the positions of the entries of type typ.
func indexOf(t testing.TB, entries [][]byte, typ election.EntryType) []int {
	t.Helper()
	var out []int
	for i, b := range entries {
		if decode(t, b).Type == typ {
			out = append(out, i)
		}
	}
	return out
}

func sha256Of(b []byte) [32]byte { return sha256.Sum256(b) }

// aggregates replays entries and returns the record's aggregates.
func aggregates(t testing.TB, entries [][]byte) [][]*elgamal.Ciphertext {
	t.Helper()
	r, _ := election.Replay(entries)
	if r == nil || r.Aggregates() == nil {
		t.Fatal("the record has no aggregates")
	}
	return r.Aggregates()
}

func rootOf(t testing.TB, entries [][]byte) [32]byte {
	t.Helper()
	tr := tlog.NewTree()
	for _, b := range entries {
		var err error
		if tr, err = tr.Append([][32]byte{tlog.LeafHash(b)}, nil); err != nil {
			t.Fatal(err)
		}
	}
	return tr.Root()
}

// resignCheckpoint returns node 0's checkpoint of entries.
func resignCheckpoint(t testing.TB, el *synth.Election, entries [][]byte) []byte {
	t.Helper()
	s, _ := tlog.NewSigner(el.Nodes[0])
	c, err := tlog.SignCheckpoint(el.ID, uint64(len(entries)), rootOf(t, entries), s)
	if err != nil {
		t.Fatal(err)
	}
	return c.Note
}
