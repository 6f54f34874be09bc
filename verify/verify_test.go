package verify

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

const vectors = "../election/testdata/record"

func TestGoodVector(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(vectors, "good_referendum.rec"))
	if err != nil {
		t.Fatal(err)
	}
	es, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	rep := verifyDir(t, writeDir(t, es, nil))
	if !rep.OK() {
		t.Fatalf("the good record does not verify:\n%s", text(t, rep))
	}
	want := map[string]uint64{"yes": 1, "no": 2}
	for _, o := range rep.Result[0].Options {
		if o.Count != want[o.Option] {
			t.Errorf("option %s: %d, want %d", o.Option, o.Count, want[o.Option])
		}
	}
	for _, c := range []int{election.CheckBallotProofs, election.CheckPartialProofs, election.CheckResultCounts, election.CheckComplete, election.CheckReveal} {
		if l := rep.Line(c); l.Status != Pass {
			t.Errorf("check %d: %s, want pass", c, l.Status)
		}
	}
	if l := rep.Line(CheckLogCheckpoint); l.Status != Skip || l.Note == "" {
		t.Errorf("no checkpoint: check 50 is %s (%q), want a skip that says why", l.Status, l.Note)
	}
}

// TestFailVectors verifies every tampered vector of docs/SPEC.md §7.10: the
// report fails, its first failure in record order is the vector's check,
// and the text names the check and the entry.
func TestFailVectors(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(vectors, "fail_*.rec"))
	if len(files) < 30 {
		t.Fatalf("%d fail vectors", len(files))
	}
	re := regexp.MustCompile(`^fail_(\d+)_`)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			check, _ := strconv.Atoi(re.FindStringSubmatch(filepath.Base(f))[1])
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			es, err := election.DecodeRecordFile(b)
			if err != nil {
				t.Fatal(err)
			}
			rep := verifyDir(t, writeDir(t, es, nil))
			if rep.OK() {
				t.Fatal("the tampered record verifies")
			}
			first := firstFailure(rep)
			if first.Check != check {
				t.Fatalf("first failure is check %d, want %d:\n%s", first.Check, check, text(t, rep))
			}
			if rep.Line(check).Status != Fail {
				t.Errorf("check %d's line says %s", check, rep.Line(check).Status)
			}
			out := text(t, rep)
			if !strings.Contains(out, fmt.Sprintf("check %d (", check)) || (first.Entry != "" && !strings.Contains(out, first.Entry)) {
				t.Errorf("the report does not name check %d and entry %s:\n%s", check, first.Entry, out)
			}
		})
	}
}

func TestSyntheticVerifies(t *testing.T) {
	el, dir, _ := synthetic(t)
	rep := verifyDir(t, Dir(dir))
	if !rep.OK() {
		t.Fatalf("the synthetic record does not verify:\n%s", text(t, rep))
	}
	for o, n := range el.Counts {
		if got := rep.Result[0].Options[o].Count; got != n {
			t.Errorf("option %d: %d, want %d", o, got, n)
		}
	}
	for _, c := range []int{CheckLogCheckpoint, CheckLogConsistent, CheckSealAgreement} {
		if l := rep.Line(c); l.Status != Pass {
			t.Errorf("check %d: %s", c, l.Status)
		}
	}
	if rep.Counted != 30 || rep.Ballots != 32 {
		t.Errorf("%d ballots, %d counted; want 32 and 30", rep.Ballots, rep.Counted)
	}
}

// TestTampered breaks a synthetic record in the ways an observer must
// catch; each must fail the named check, naming the entry or node.
func TestTampered(t *testing.T) {
	el, dir, good := synthetic(t)
	cp := checkpointOf(t, dir)
	resign := func(b []byte, payload []byte, key ed25519.PrivateKey) []byte {
		e := decode(t, b)
		e.Payload = payload
		e.Sign(key)
		return e.Bytes()
	}
	replace := func(i int, b []byte) [][]byte {
		es := slices.Clone(good)
		es[i] = b
		return es
	}
	ballots := indexOf(t, good, election.TypeBallot)
	results := indexOf(t, good, election.TypeResult)
	partials := indexOf(t, good, election.TypePartial)
	seals := indexOf(t, good, election.TypeSeal)
	stranger := ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))

	changedCount := func() [][]byte {
		r, _ := election.DecodeResult(el.Manifest, decode(t, good[results[0]]).Payload)
		r.Counts[0][0]++
		r.Counts[0][1]--
		return replace(results[0], resign(good[results[0]], r.Bytes(), el.Commission))
	}
	swappedShare := func() [][]byte {
		// Trustee 1 decrypts with trustee 2's share.
		e, err := election.NewPartial(el.Manifest, el.ID, el.Trustees[0], el.Shares[1], aggregates(t, good), nil)
		if err != nil {
			t.Fatal(err)
		}
		return replace(partials[0], e.Bytes())
	}
	sealAt := func(node int, mut func(*election.Seal)) [][]byte {
		s, _ := election.DecodeSeal(decode(t, good[seals[node]]).Payload)
		mut(s)
		return replace(seals[node], resign(good[seals[node]], s.Bytes(), el.Nodes[node]))
	}
	ineligible := func() [][]byte {
		e := decode(t, good[ballots[0]])
		e.Sign(stranger)
		return slices.Insert(slices.Clone(good), ballots[0]+1, e.Bytes())
	}
	for _, tc := range []struct {
		name    string
		entries [][]byte
		check   int
		entry   int // index of the entry the failure names; −1: none
	}{
		{"changed count", changedCount(), election.CheckResultCounts, results[0]},
		{"dropped ballot", slices.Delete(slices.Clone(good), ballots[3], ballots[3]+1), election.CheckSealQuorum, partials[0] - 1},
		{"duplicated ballot", slices.Insert(slices.Clone(good), ballots[5]+1, good[ballots[5]]), election.CheckDuplicate, ballots[5] + 1},
		{"credential not on the list", ineligible(), election.CheckAuthor, ballots[0] + 1},
		{"swapped share", swappedShare(), election.CheckPartialProofs, partials[0]},
		{"result signed by a trustee", replace(results[0], resign(good[results[0]], decode(t, good[results[0]]).Payload, el.Trustees[0])), election.CheckAuthor, results[0]},
		{"dissenting seal", sealAt(1, func(s *election.Seal) { s.Count-- }), CheckSealAgreement, seals[1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := verifyDir(t, writeDir(t, tc.entries, nil))
			l := rep.Line(tc.check)
			if rep.OK() || l.Status != Fail {
				t.Fatalf("check %d is %s:\n%s", tc.check, l.Status, text(t, rep))
			}
			if tc.entry >= 0 {
				want := election.ID(sha256Of(tc.entries[tc.entry])).String()
				found := false
				for _, f := range l.Failures {
					found = found || f.Entry == want
				}
				if !found {
					t.Errorf("check %d does not name entry #%d %s:\n%s", tc.check, tc.entry, want, text(t, rep))
				}
			}
		})
	}

	t.Run("seal not in the node's log", func(t *testing.T) {
		es := sealAt(0, func(s *election.Seal) { s.Root[0] ^= 1 })
		rep := verifyDir(t, writeDir(t, es, resignCheckpoint(t, el, es)))
		if l := rep.Line(CheckLogConsistent); l.Status != Fail || l.Failures[0].Node != "node-0" {
			t.Fatalf("check 51: %s:\n%s", l.Status, text(t, rep))
		}
	})
	t.Run("checkpoint of another log", func(t *testing.T) {
		es := slices.Clone(good)
		es = append(es, es[ballots[0]]) // a duplicate: rejected, but in the log
		rep := verifyDir(t, writeDir(t, es, cp))
		if l := rep.Line(CheckLogCheckpoint); l.Status != Fail {
			t.Fatalf("check 50: %s:\n%s", l.Status, text(t, rep))
		}
	})
	t.Run("checkpoint by a stranger", func(t *testing.T) {
		s, _ := tlog.NewSigner(stranger)
		c, err := tlog.SignCheckpoint(el.ID, uint64(len(good)), rootOf(t, good), s)
		if err != nil {
			t.Fatal(err)
		}
		rep := verifyDir(t, writeDir(t, good, c.Note))
		if l := rep.Line(CheckLogCheckpoint); l.Status != Fail {
			t.Fatalf("check 50: %s:\n%s", l.Status, text(t, rep))
		}
	})
}

func TestMalformedRecords(t *testing.T) {
	_, dir, good := synthetic(t)
	file, err := os.ReadFile(filepath.Join(dir, "record.rec"))
	if err != nil {
		t.Fatal(err)
	}
	huge := append([]byte{0xff, 0xff, 0xff, 0xf0}, good[0]...)
	for name, b := range map[string][]byte{
		"empty":            {},
		"truncated":        file[:len(file)/2],
		"truncated length": file[:len(good[0])+4+2],
		"garbage":          bytes.Repeat([]byte{0x5a}, 1000),
		"huge length":      huge,
		"manifest only":    file[:len(good[0])+4],
		"garbage entry":    append(append([]byte(nil), file[:len(good[0])+4]...), 0, 0, 0, 3, 1, 2, 3),
	} {
		t.Run(name, func(t *testing.T) {
			d := t.TempDir()
			if err := os.WriteFile(filepath.Join(d, "record.rec"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			rep := verifyDir(t, Dir(d))
			if rep.OK() {
				t.Fatalf("verifies:\n%s", text(t, rep))
			}
			var buf bytes.Buffer
			if err := rep.WriteJSON(&buf); err != nil {
				t.Fatal(err)
			}
		})
	}
	rep := verifyDir(t, Dir(filepath.Join(t.TempDir(), "missing")))
	if rep.OK() || rep.Fatal == "" {
		t.Fatal("a missing directory verifies")
	}
}

func text(t testing.TB, r *Report) string {
	t.Helper()
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
