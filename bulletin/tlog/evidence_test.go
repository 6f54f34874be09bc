package tlog

import (
	"crypto/sha256"
	"errors"
	"slices"
	"testing"

	"github.com/evote/evote/bulletin"
)

// forkedLogs returns the nodes of an honest log of 40 entries and of a
// fork that agrees on the first 20 and then differs.
func forkedLogs(t *testing.T) (honest, fork memNodes, honestEntries, forkEntries [][]byte) {
	t.Helper()
	honestEntries = testEntries(40)
	forkEntries = slices.Clone(honestEntries)
	forkEntries[20] = []byte("a different entry 20")
	var err error
	if honest, _, err = buildLog(honestEntries); err != nil {
		t.Fatal(err)
	}
	if fork, _, err = buildLog(forkEntries); err != nil {
		t.Fatal(err)
	}
	return honest, fork, honestEntries, forkEntries
}

func signAt(t *testing.T, entries [][]byte, size int) *bulletin.Checkpoint {
	t.Helper()
	signed, err := SignCheckpoint(testElection, uint64(size), refMTH(entries[:size]), mustSigner(t, testNodeKey))
	if err != nil {
		t.Fatal(err)
	}
	cp, err := ParseCheckpoint(signed.Note, mustVerifier(t, testNodeKey))
	if err != nil {
		t.Fatal(err)
	}
	return cp
}

func TestConsistentCheckpointsGiveNoEvidence(t *testing.T) {
	honest, _, entries, _ := forkedLogs(t)
	for _, sizes := range [][2]int{{0, 40}, {10, 10}, {17, 33}, {33, 17}, {1, 40}, {32, 40}} {
		a, b := signAt(t, entries, sizes[0]), signAt(t, entries, sizes[1])
		lo, hi := min(sizes[0], sizes[1]), max(sizes[0], sizes[1])
		p, err := ConsistencyProof(honest, uint64(lo), uint64(hi))
		if err != nil {
			t.Fatal(err)
		}
		ev, err := CheckConsistent(a, b, p)
		if ev != nil || err != nil {
			t.Errorf("sizes %v: evidence %+v, %v", sizes, ev, err)
		}
	}
}

func TestEquivocationEvidence(t *testing.T) {
	honest, fork, honestEntries, forkEntries := forkedLogs(t)
	v := mustVerifier(t, testNodeKey)
	t.Run("same size different roots", func(t *testing.T) {
		a, b := signAt(t, honestEntries, 30), signAt(t, forkEntries, 30)
		ev, err := CheckConsistent(a, b, nil)
		if err != nil || ev == nil {
			t.Fatalf("evidence %v, %v", ev, err)
		}
		if len(ev.Proof) != 0 || ev.A.Root == ev.B.Root || ev.Reason == "" {
			t.Errorf("evidence %+v", ev)
		}
		if err := ev.Verify(v); err != nil {
			t.Errorf("Verify: %v", err)
		}
		if err := ev.Verify(mustVerifier(t, testOtherKey)); !errors.Is(err, ErrCheckpointSignature) {
			t.Errorf("Verify under another key: %v, want ErrCheckpointSignature", err)
		}
	})
	t.Run("consistency proof fails", func(t *testing.T) {
		// The node showed size 25 of its fork to one party and size 35 of
		// the honest log to another; either log's proof fails.
		a, b := signAt(t, forkEntries, 25), signAt(t, honestEntries, 35)
		for _, nodes := range []memNodes{honest, fork} {
			p, err := ConsistencyProof(nodes, 25, 35)
			if err != nil {
				t.Fatal(err)
			}
			ev, err := CheckConsistent(b, a, p)
			if err != nil || ev == nil {
				t.Fatalf("evidence %v, %v", ev, err)
			}
			if ev.A.Size != 25 || ev.B.Size != 35 || !slices.Equal(ev.Proof, p) {
				t.Errorf("evidence not ordered by size or proof not kept: %d %d", ev.A.Size, ev.B.Size)
			}
			if err := ev.Verify(v); err != nil {
				t.Errorf("Verify: %v", err)
			}
		}
		ev, err := CheckConsistent(a, b, nil)
		if err != nil || ev == nil {
			t.Fatalf("an empty proof is evidence too: %v, %v", ev, err)
		}
	})
}

func TestEvidenceVerifyRejects(t *testing.T) {
	honest, _, honestEntries, forkEntries := forkedLogs(t)
	v := mustVerifier(t, testNodeKey)
	a, b := signAt(t, honestEntries, 30), signAt(t, forkEntries, 30)
	ev, err := CheckConsistent(a, b, nil)
	if err != nil || ev == nil {
		t.Fatal(ev, err)
	}

	lying := *ev
	lying.B = &bulletin.Checkpoint{Election: b.Election, Size: b.Size, Root: a.Root, Note: b.Note}
	if err := lying.Verify(v); err == nil {
		t.Error("evidence whose checkpoint disagrees with its note verified")
	}

	c, d := signAt(t, honestEntries, 10), signAt(t, honestEntries, 30)
	p, err := ConsistencyProof(honest, 10, 30)
	if err != nil {
		t.Fatal(err)
	}
	consistent := Evidence{A: c, B: d, Proof: p}
	if err := consistent.Verify(v); !errors.Is(err, ErrNotEvidence) {
		t.Errorf("consistent pair: %v, want ErrNotEvidence", err)
	}
	if err := (&Evidence{A: c}).Verify(v); err == nil {
		t.Error("evidence with one checkpoint verified")
	}

	other, err := SignCheckpoint(sha256.Sum256([]byte("another election")), 30, a.Root, mustSigner(t, testNodeKey))
	if err != nil {
		t.Fatal(err)
	}
	if ev, err := CheckConsistent(a, other, nil); ev != nil || err == nil {
		t.Errorf("checkpoints of two elections: %v, %v; want an error", ev, err)
	}
}
