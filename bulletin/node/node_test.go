package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election"
)

// extraEntries returns the entries of a fail_ record file that the good
// record does not hold: the bad ones it inserts (none for the vectors that
// repeat or leave out a good entry).
func extraEntries(t testing.TB, name string, good [][]byte) [][]byte {
	t.Helper()
	held := map[[32]byte]bool{}
	for _, e := range good {
		held[sha256.Sum256(e)] = true
	}
	var out [][]byte
	for _, e := range readRecord(t, name) {
		if !held[sha256.Sum256(e)] {
			out = append(out, e)
		}
	}
	return out
}

// TestOneNodeWholeRecord runs the good referendum record through one
// node's HTTP API, checks receipts, refusals, checkpoints and proofs, and
// restarts the node on its data dir. The node is not one of the
// manifest's, so it posts no seal of its own and its log is the record.
func TestOneNodeWholeRecord(t *testing.T) {
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	cfg := testConfig(t, testKey("observer-node"))
	n := startNode(t, cfg)
	ctx := context.Background()

	t.Run("before the manifest", func(t *testing.T) {
		_, err := n.client.Submit(ctx, good[1])
		if ce := refusal(t, err); ce.Status != http.StatusNotFound {
			t.Errorf("entry of an unknown election: %v, want 404", ce)
		}
		_, err = n.client.Submit(ctx, []byte("not an entry"))
		if ce := refusal(t, err); ce.Status != http.StatusBadRequest || ce.Check != election.CheckEncoding {
			t.Errorf("garbage: %v, want 400 check 16", ce)
		}
		if els, _ := n.Elections(ctx); len(els) != 0 {
			t.Errorf("refused entries started elections %v", els)
		}
	})

	badSignature := extraEntries(t, "fail_21_bad_signature.rec", good)
	lateBallot := extraEntries(t, "fail_23_ballot_before_open.rec", good)
	if len(badSignature) != 1 || len(lateBallot) != 1 {
		t.Fatalf("fail vectors insert %d and %d entries, want 1 each", len(badSignature), len(lateBallot))
	}
	for i, e := range good {
		rc, err := n.client.Submit(ctx, e)
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if rc.Index != uint64(i) || rc.Entry != sha256.Sum256(e) || rc.Election != el {
			t.Fatalf("entry %d: receipt for %s at %d of %s", i, rc.Entry, rc.Index, rc.Election)
		}
		if err := VerifyReceipt(rc, n.PublicKey()); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		switch i {
		case 8: // voting: a ballot with a bad signature, a partial too early
			_, err := n.client.Submit(ctx, badSignature[0])
			if ce := refusal(t, err); ce.Status != http.StatusUnprocessableEntity || ce.Check != election.CheckSignature {
				t.Errorf("bad signature: %v, want 422 check 21", ce)
			}
			_, err = n.client.Submit(ctx, good[17])
			if ce := refusal(t, err); ce.Status != http.StatusConflict || ce.Check != election.CheckPhase || ce.RetryAfter == 0 {
				t.Errorf("partial during voting: %v, want 409 check 23 with a retry hint", ce)
			}
		case 13: // closed: the record takes ballots, the node not from clients
			_, err := n.client.Submit(ctx, lateBallot[0])
			if ce := refusal(t, err); ce.Status != http.StatusConflict || ce.Check != election.CheckPhase {
				t.Errorf("ballot after close: %v, want 409 check 23", ce)
			}
		}
		if got := n.logSize(el); got != uint64(i+1) {
			t.Fatalf("after entry %d the log has %d entries", i, got)
		}
	}
	if p := n.phase(el); p != election.PhaseDone {
		t.Fatalf("record in phase %s after the whole record", p)
	}

	t.Run("duplicate", func(t *testing.T) {
		rc, err := n.client.Submit(ctx, good[8])
		if err != nil {
			t.Fatal(err)
		}
		if rc.Index != 8 || VerifyReceipt(rc, n.PublicKey()) != nil {
			t.Errorf("duplicate's receipt: index %d", rc.Index)
		}
		// Through the Board, the duplicate is marked as such.
		if _, err := n.Submit(ctx, good[8]); !strings.Contains(err.Error(), "duplicate") {
			t.Errorf("Board.Submit of a duplicate: %v", err)
		}
	})

	t.Run("bad entries are refused and not stored", func(t *testing.T) {
		files, err := filepath.Glob(filepath.Join(recordDir, "fail_*.rec"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no fail vectors: %v", err)
		}
		refused := 0
		for _, f := range files {
			for _, e := range extraEntries(t, filepath.Base(f), good) {
				refused++
				_, err := n.client.Submit(ctx, e)
				if ce := refusal(t, err); ce.Status < 400 || ce.Status > 499 {
					t.Errorf("%s: %v, want a 4xx", filepath.Base(f), ce)
				}
			}
		}
		if refused < 25 {
			t.Errorf("only %d bad entries in %d fail vectors", refused, len(files))
		}
		if got := n.logSize(el); got != uint64(len(good)) {
			t.Errorf("log has %d entries after %d refusals, want %d", got, refused, len(good))
		}
	})

	var cp *bulletin.Checkpoint
	t.Run("checkpoint and proofs", func(t *testing.T) {
		v := verifierOf(t, n.PublicKey())
		waitFor(t, "a checkpoint of the whole log", func() bool {
			c, err := n.client.Checkpoint(ctx, el, v)
			cp = c
			return err == nil && c.Size == uint64(len(good))
		})
		for i, e := range good {
			if err := n.client.VerifyInclusion(ctx, cp, uint64(i), e); err != nil {
				t.Fatalf("entry %d: %v", i, err)
			}
		}
		seals, err := n.client.Seals(ctx, el)
		if err != nil || len(seals) != 3 {
			t.Errorf("seals: %d, %v", len(seals), err)
		}
	})

	n.stop(t)
	n = startNode(t, cfg)
	t.Run("restart", func(t *testing.T) {
		var i int
		for st, err := range n.client.All(ctx, el, 0) {
			if err != nil {
				t.Fatal(err)
			}
			if st.Index != uint64(i) || !bytes.Equal(st.Bytes, good[i]) {
				t.Fatalf("entry %d after restart differs", i)
			}
			i++
		}
		if i != len(good) {
			t.Fatalf("%d entries after restart, want %d", i, len(good))
		}
		got, err := n.client.Checkpoint(ctx, el, verifierOf(t, n.PublicKey()))
		if err != nil {
			t.Fatal(err)
		}
		if got.Size != cp.Size || got.Root != cp.Root {
			t.Errorf("checkpoint after restart: size %d root %x, before: size %d root %x", got.Size, got.Root, cp.Size, cp.Root)
		}
		if p := n.phase(el); p != election.PhaseDone {
			t.Errorf("rebuilt record in phase %s", p)
		}
		rc, err := n.client.Submit(ctx, good[12])
		if err != nil || rc.Index != 12 {
			t.Errorf("duplicate after restart: %+v, %v", rc, err)
		}
		_, err = n.client.Submit(ctx, lateBallot[0])
		if ce := refusal(t, err); ce.Status != http.StatusConflict {
			t.Errorf("ballot after the result: %v, want 409", ce)
		}
	})
}

// TestConfigFromExample loads the example configs of the demo nodes.
func TestConfigFromExample(t *testing.T) {
	files, err := filepath.Glob("../../election-configs/nodes/*.yaml")
	if err != nil || len(files) != 3 {
		t.Fatalf("example node configs: %v, %v", files, err)
	}
	for _, f := range files {
		cfg, err := LoadConfig(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := os.Stat(cfg.KeyFile); err != nil {
			t.Errorf("%s: key file: %v", f, err)
		}
	}
}
