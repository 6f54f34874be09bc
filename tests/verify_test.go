package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
	"github.com/evote/evote/tests/cluster"
	"github.com/evote/evote/verify"
)

// completeElection runs a referendum to its result on a three-node board:
// the ceremony, voters ballots (voter 0 revotes), the close through the CLI,
// the nodes' seals, every trustee's partial decryption and the result.
func completeElection(t *testing.T, c *cluster.Cluster, voters int) *cluster.Election {
	t.Helper()
	ctx := context.Background()
	e := c.Publish(t, c.ElectionConfig(t, "referendum.yaml"), voters)
	shares, _ := c.OpenDirect(t, e)
	var cast [][]byte
	for i := range voters {
		cast = append(cast, e.Ballot(t, i, 0))
	}
	cast = append(cast, e.Ballot(t, 0, 1))
	for _, b := range cast {
		c.Submit(t, b)
	}
	c.WaitAllHold(t, e, cast...)
	c.MustEvote(append([]string{"election", "close", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey}, c.NodeArgs()...)...)
	cluster.WaitFor(t, "every node's seal on every node", func() bool {
		for _, n := range c.Nodes {
			s, err := n.Client(t).Seals(ctx, e.ID)
			if err != nil || len(s) < len(c.Nodes) {
				return false
			}
		}
		return true
	})
	// The aggregates, as an observer computes them from the board.
	var log [][]byte
	for st, err := range c.Nodes[0].Client(t).All(ctx, e.ID, 0) {
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, st.Bytes)
	}
	r, _ := election.Replay(log)
	if r == nil || r.Aggregates() == nil {
		t.Fatalf("node-0's record has no seal quorum (phase %v)", r.Phase())
	}
	var posted [][]byte
	for i, tr := range c.Trustees {
		p, err := election.NewPartial(e.Manifest, e.ID, tr.Secret.SigningKey, shares[i+1], r.Aggregates(), nil)
		if err != nil {
			t.Fatal(err)
		}
		c.Submit(t, p.Bytes())
		posted = append(posted, p.Bytes())
		if err := r.Apply(p); err != nil {
			t.Fatal(err)
		}
	}
	res := &election.Result{Ballots: uint64(voters), Counts: tally(t, e, voters)}
	re, err := election.NewResult(e.Manifest, e.ID, c.Commission.SigningKey, res)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Apply(re); err != nil {
		t.Fatalf("the result the test computed is not the record's: %v", err)
	}
	c.Submit(t, re.Bytes())
	c.WaitAllHold(t, e, append(posted, re.Bytes())...)
	return e
}

// tally returns the counts of the ballots e.Ballot makes for voters 0 …
// voters−1, voter 0's revote being the same choice.
func tally(t *testing.T, e *cluster.Election, voters int) [][]uint64 {
	t.Helper()
	counts := make([][]uint64, len(e.Manifest.Contests))
	for c, ct := range e.Manifest.Contests {
		counts[c] = make([]uint64, len(ct.Options))
		for i := range voters {
			// e.Ballot: the first min options, plus option i mod #options
			// when the maximum allows it.
			sel := make([]bool, len(ct.Options))
			for o := 0; o < int(ct.MinSelections); o++ {
				sel[o] = true
			}
			if int(ct.MinSelections) < int(ct.MaxSelections) {
				sel[i%len(ct.Options)] = true
			}
			for o, s := range sel {
				if s {
					counts[c][o]++
				}
			}
		}
	}
	return counts
}

// TestVerifyLiveAndExported: a complete election on a real board verifies
// from the live nodes and from an exported record directory; a record
// directory whose checkpoint another node signed over another log, and one
// with a ballot dropped, do not, and the report names the check.
func TestVerifyLiveAndExported(t *testing.T) {
	c := cluster.New(t, cluster.Options{Nodes: 3, Trustees: 3, Threshold: 2})
	e := completeElection(t, c, 5)

	out, err := c.Evote(t, append([]string{"verify", "--json"}, c.NodeArgs()...)...)
	if err != nil {
		t.Fatalf("evote verify on the live nodes: %v\n%s", err, out)
	}
	var rep verify.Report
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Counted != 5 || rep.Election != e.ID.String() {
		t.Fatalf("report: ok %v, %d counted, election %s:\n%s", rep.OK(), rep.Counted, rep.Election, out)
	}
	for _, check := range []int{verify.CheckLogCheckpoint, verify.CheckLogConsistent, verify.CheckSealAgreement, election.CheckResultCounts} {
		if l := rep.Line(check); l.Status != verify.Pass {
			t.Errorf("check %d: %s (%s)", check, l.Status, l.Note)
		}
	}
	if l := rep.Line(verify.CheckLogConsistent); l.Count < len(c.Nodes) {
		t.Errorf("check 51 held %d times; want at least once per node's seal", l.Count)
	}

	dir := filepath.Join(t.TempDir(), "export")
	if out, err := c.Evote(t, append([]string{"record", "export", "--out", dir}, c.NodeArgs()...)...); err != nil {
		t.Fatalf("evote record export: %v\n%s", err, out)
	}
	html := filepath.Join(t.TempDir(), "report.html")
	out, err = c.Evote(t, "verify", "--record", dir, "--html", html)
	if err != nil || !strings.Contains(out, "VERIFIED") {
		t.Fatalf("evote verify --record: %v\n%s", err, out)
	}
	if b, err := os.ReadFile(html); err != nil || !strings.Contains(string(b), e.ID.String()) {
		t.Fatalf("the HTML report: %v", err)
	}

	// Another node's checkpoint over node-0's log: different order, so a
	// different root (or at least not this log's).
	other := filepath.Join(t.TempDir(), "other")
	if out, err := c.Evote(t, "record", "export", "--out", other, "--node", c.Nodes[1].URL()); err != nil {
		t.Fatalf("export from node-1: %v\n%s", err, out)
	}
	entries := readLog(t, filepath.Join(dir, record.EntriesFile))
	mixed := writeRecordDir(t, entries, filepath.Join(other, record.CheckpointFile))
	if sameLog(t, dir, other) {
		t.Log("node-0 and node-1 hold their logs in the same order; the mixed directory is a valid record")
	} else {
		out, err = c.Evote(t, "verify", "--record", mixed)
		if err == nil || !strings.Contains(out, "check 50 (log checkpoint)") {
			t.Fatalf("a checkpoint of another log verifies: %v\n%s", err, out)
		}
	}

	// A ballot dropped from the record.
	var dropped [][]byte
	skipped := false
	for _, b := range entries {
		if en, err := election.DecodeEntry(b); err == nil && en.Type == election.TypeBallot && !skipped {
			skipped = true
			continue
		}
		dropped = append(dropped, b)
	}
	out, err = c.Evote(t, "verify", "--record", writeRecordDir(t, dropped, ""))
	if err == nil || !strings.Contains(out, "check 44 (seal quorum)") {
		t.Fatalf("a record without one sealed ballot verifies: %v\n%s", err, out)
	}
}

func readLog(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	es, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func writeRecordDir(t *testing.T, entries [][]byte, checkpoint string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, record.EntriesFile), election.EncodeRecordFile(entries), 0o644); err != nil {
		t.Fatal(err)
	}
	if checkpoint != "" {
		b, err := os.ReadFile(checkpoint)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, record.CheckpointFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func sameLog(t *testing.T, a, b string) bool {
	t.Helper()
	x, y := readLog(t, filepath.Join(a, record.EntriesFile)), readLog(t, filepath.Join(b, record.EntriesFile))
	return fmt.Sprint(x) == fmt.Sprint(y)
}
