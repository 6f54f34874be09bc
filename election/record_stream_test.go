package election

import (
	"crypto/sha256"
	"errors"
	"os"
	"testing"
)

// streamReplay replays the good vector record with StreamBallots and fetch.
func streamReplay(t *testing.T, fetch func([]ID) (map[ID][]byte, error)) (*Record, []error) {
	t.Helper()
	b, err := os.ReadFile("testdata/record/good_referendum.rec")
	if err != nil {
		t.Fatal(err)
	}
	entries, err := DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[ID][]byte{}
	for _, e := range entries {
		byID[sha256.Sum256(e)] = e
	}
	first, err := DecodeEntry(entries[0])
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRecord(first)
	if err != nil {
		t.Fatal(err)
	}
	var asked []ID
	r.StreamBallots(func(ids []ID) (map[ID][]byte, error) {
		asked = append(asked, ids...)
		if fetch != nil {
			return fetch(ids)
		}
		out := map[ID][]byte{}
		for _, id := range ids {
			out[id] = byID[id]
		}
		return out, nil
	})
	_, errs := r.ApplyBytesBatch(entries[1:])
	var failed []error
	for _, err := range errs {
		if err != nil {
			failed = append(failed, err)
		}
	}
	// The vector has one revote: its first ballot is the one to take out.
	if len(asked) != 1 {
		t.Errorf("fetch was asked for %d ballots, want the one revoted ballot", len(asked))
	}
	return r, failed
}

// TestStreamBallots: a streaming record reaches the same aggregates and
// counts as one that keeps every counted ballot.
func TestStreamBallots(t *testing.T) {
	b, _ := os.ReadFile("testdata/record/good_referendum.rec")
	entries, _ := DecodeRecordFile(b)
	want, errs := Replay(entries)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	got, errs := streamReplay(t, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if err := got.Complete(); err != nil {
		t.Fatal(err)
	}
	for c := range want.Aggregates() {
		for o, ct := range want.Aggregates()[c] {
			g := got.Aggregates()[c][o]
			if !g.A.Equal(ct.A) || !g.B.Equal(ct.B) {
				t.Errorf("contest %d option %d: the streamed aggregate differs", c, o)
			}
			if got.Counts()[c][o] != want.Counts()[c][o] {
				t.Errorf("contest %d option %d: count %d, want %d", c, o, got.Counts()[c][o], want.Counts()[c][o])
			}
		}
	}
}

// TestStreamBallotsFetchFails: without the superseded ballot the record
// cannot decrypt, and says so under check 44 on every decryption entry.
func TestStreamBallotsFetchFails(t *testing.T) {
	gone := errors.New("the archive lost it")
	for name, fetch := range map[string]func([]ID) (map[ID][]byte, error){
		"error":       func([]ID) (map[ID][]byte, error) { return nil, gone },
		"wrong bytes": func(ids []ID) (map[ID][]byte, error) { return map[ID][]byte{ids[0]: []byte("not it")}, nil },
	} {
		t.Run(name, func(t *testing.T) {
			r, errs := streamReplay(t, fetch)
			if len(errs) == 0 || r.Aggregates() != nil || r.Phase() != PhaseClosed {
				t.Fatalf("%d failures, phase %v", len(errs), r.Phase())
			}
			for _, err := range errs {
				var ce *CheckError
				if !errors.As(err, &ce) || ce.Check != CheckSealQuorum {
					t.Errorf("%v: want check 44", err)
				}
			}
		})
	}
}
