package tests

import (
	"context"
	"crypto/ed25519"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/tests/cluster"
	"github.com/evote/evote/voter/cast"
)

// voteEnv is an open referendum on a three-node board, with a code file per
// voter.
type voteEnv struct {
	c     *cluster.Cluster
	e     *cluster.Election
	codes []string // code file paths
}

func newVoteEnv(t *testing.T, voters int) *voteEnv {
	t.Helper()
	c := cluster.New(t, cluster.Options{Nodes: 3, Trustees: 3, Threshold: 2})
	e := c.Publish(t, c.ElectionConfig(t, "referendum.yaml"), voters)
	c.OpenDirect(t, e)
	env := &voteEnv{c: c, e: e}
	for i, code := range e.Codes {
		p := filepath.Join(c.Dir, "code-"+string(rune('a'+i)))
		if err := os.WriteFile(p, []byte(code+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env.codes = append(env.codes, p)
	}
	return env
}

// vote runs `evote vote` for voter i with extra args.
func (v *voteEnv) vote(t *testing.T, i int, args ...string) (string, error) {
	t.Helper()
	all := append([]string{"vote", "--election", v.e.ID.String(), "--code-file", v.codes[i]}, v.c.NodeArgs()...)
	return v.c.Evote(t, append(all, args...)...)
}

var (
	voteTrackerLine    = regexp.MustCompile(`Tracker: ([0-9a-f]{64})`)
	voteChallengedLine = regexp.MustCompile(`Challenged ballot tracker: ([0-9a-f]{64})`)
)

// voteMatch returns re's first group in out, failing the test without one.
func voteMatch(t *testing.T, re *regexp.Regexp, out string) string {
	t.Helper()
	m := re.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %v in output:\n%s", re, out)
	}
	return m[1]
}

func voteContains(t *testing.T, out string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
}

// voteFails checks that err is a failure whose message says want.
func voteFails(t *testing.T, what string, err error, want string) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: succeeded, want an error saying %q", what, want)
	} else if !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v\nwant it to say %q", what, err, want)
	}
}

// TestVoteCLI casts, checks, challenges and audits, revotes, and checks
// after the close, all through `evote vote` against a three-node board.
func TestVoteCLI(t *testing.T) {
	v := newVoteEnv(t, 4)
	c, e := v.c, v.e
	dir := c.Dir

	// Scripted cast with a receipt; then the receipt's check.
	first := filepath.Join(dir, "first.json")
	out, err := v.vote(t, 0, "--select", "library-bond=yes", "--receipt", first)
	if err != nil {
		t.Fatal(err)
	}
	voteContains(t, out, "Ballot cast.", "library-bond: Yes, issue the bonds (yes)", "Receipt saved to "+first)
	tracker := voteMatch(t, voteTrackerLine, out)
	out = c.MustEvote(append([]string{"vote", "check", "--receipt", first}, c.NodeArgs()...)...)
	voteContains(t, out, "Your ballot "+tracker+" IS on the board.", "Voting is still open")
	if n := strings.Count(out, "included at index"); n != 3 {
		t.Errorf("%d of 3 nodes proved the ballot:\n%s", n, out)
	}

	// Challenge, audit from "another device", then vote again.
	out, err = v.vote(t, 1, "--select", "library-bond=no", "--challenge")
	if err != nil {
		t.Fatal(err)
	}
	spoiled := voteMatch(t, voteChallengedLine, out)
	voteContains(t, out, "will never count", "evote vote audit --election "+e.ID.String())
	out = c.MustEvote(append([]string{"vote", "audit", "--election", e.ID.String(), "--tracker", spoiled}, c.NodeArgs()...)...)
	voteContains(t, out, "opens correctly", "library-bond: No, do not issue the bonds (no)")
	if _, err := v.vote(t, 1, "--select", "library-bond=no", "--receipt", filepath.Join(dir, "v1.json")); err != nil {
		t.Fatal(err)
	}
	// A cast ballot is never opened.
	_, err = c.Evote(t, append([]string{"vote", "audit", "--election", e.ID.String(), "--tracker", tracker}, c.NodeArgs()...)...)
	voteFails(t, "auditing a cast ballot", err, "a cast ballot stays secret")

	// Interactive: a mistake, then choices, a change of mind, then cast.
	out = v.interactive(t, 2, "3\n1\nchange\n2\ncast\n")
	voteContains(t, out, "Choose up to 1", `"3" is not an option number from 1 to 2`, "Ballot cast.")

	// Revote: the same credential again; the new ballot has counter 1.
	second := filepath.Join(dir, "second.json")
	out, err = v.vote(t, 0, "--select", "library-bond=no", "--receipt", second)
	if err != nil {
		t.Fatal(err)
	}
	if ctr := voteBallotCounter(t, e, second); ctr != 1 {
		t.Fatalf("revote has counter %d, want 1", ctr)
	}

	v.errorCases(t)

	// Close; once the nodes have sealed, the revote counts and the first
	// ballot is in the sealed set but replaced.
	voteClose(t, c, e)
	cluster.WaitFor(t, "3 seals", func() bool {
		s, err := c.Client(t).Seals(context.Background(), e.ID)
		return err == nil && len(s) == 3
	})
	_, err = v.vote(t, 3, "--select", "library-bond=yes")
	voteFails(t, "voting after the close", err, "voting has closed")
	out = c.MustEvote(append([]string{"vote", "check", "--receipt", second}, c.NodeArgs()...)...)
	voteContains(t, out, "IS on the board", "the ballot IS in the set of 5 ballots sealed by node-1, node-2, node-3", "It counts")
	out = c.MustEvote(append([]string{"vote", "check", "--receipt", first}, c.NodeArgs()...)...)
	voteContains(t, out, "IS in the set", "It does not count", "replaces it")
}

// errorCases: every voter error of the issue, in plain words.
func (v *voteEnv) errorCases(t *testing.T) {
	c, e := v.c, v.e
	_, err := v.vote(t, 3, "--select", "library-bond=yes,no")
	voteFails(t, "two options in a one-option contest", err, "2 options chosen, at most 1 allowed")
	_, err = v.vote(t, 3, "--select", "library-bond=maybe")
	voteFails(t, "an unknown option", err, `option "maybe": no such option (options: yes, no)`)
	_, err = v.vote(t, 3, "--select", "mayor=yes")
	voteFails(t, "an unknown contest", err, `contest "mayor": not on this ballot`)

	code := []byte(e.Codes[3])
	code[0] = map[bool]byte{true: 'B', false: 'A'}[code[0] == 'A']
	args := append([]string{"vote", "--election", e.ID.String(), "--code", string(code), "--select", "library-bond=yes"}, c.NodeArgs()...)
	_, err = c.Evote(t, args...)
	voteFails(t, "a mistyped code", err, "checksum mismatch: a character is mistyped")

	other := c.Publish(t, voteRetitled(t, c, "referendum.yaml", "A referendum not open yet"), 1)
	args = append([]string{"vote", "--election", e.ID.String(), "--code", other.Codes[0], "--select", "library-bond=yes"}, c.NodeArgs()...)
	_, err = c.Evote(t, args...)
	voteFails(t, "another election's code", err, "not on the election's list of voters")

	args = append([]string{"vote", "--election", other.ID.String(), "--code", other.Codes[0], "--select", "library-bond=yes"}, c.NodeArgs()...)
	_, err = c.Evote(t, args...)
	voteFails(t, "an election not open yet", err, "the election is not open yet")

	_, err = v.vote(t, 3, "--challenge")
	voteFails(t, "--challenge without --select", err, "--challenge goes with --select")
	_, err = c.Evote(t, append([]string{"vote", "check", "--receipt", filepath.Join(c.Dir, "no-such-receipt.json")}, c.NodeArgs()...)...)
	voteFails(t, "checking a receipt that does not exist", err, "does not exist")
	_, err = c.Evote(t, append([]string{"vote", "--election", "abcd", "--code-file", v.codes[3]}, c.NodeArgs()...)...)
	voteFails(t, "a short election id", err, "want 64 hex digits")

	dead := voteDeadURL(t)
	_, err = c.Evote(t, "vote", "--election", e.ID.String(), "--code-file", v.codes[3], "--node", dead, "--select", "library-bond=yes")
	voteFails(t, "no node reachable", err, "no board node answered")
	// With a dead node first, the others are tried.
	args = append([]string{"vote", "--election", e.ID.String(), "--code-file", v.codes[3], "--node", dead}, c.NodeArgs()...)
	out, err := c.Evote(t, append(args, "--select", "library-bond=yes", "--receipt", filepath.Join(c.Dir, "failover.json"))...)
	if err != nil {
		t.Fatalf("voting with the first node down: %v", err)
	}
	voteContains(t, out, "Ballot cast.")
}

// interactive runs `evote vote` for voter i with input on its standard
// input, and returns its output.
func (v *voteEnv) interactive(t *testing.T, i int, input string) string {
	t.Helper()
	args := append([]string{"vote", "--election", v.e.ID.String(), "--code-file", v.codes[i], "--receipt", filepath.Join(v.c.Dir, "interactive.json")}, v.c.NodeArgs()...)
	cmd := exec.Command(v.c.Bin, args...)
	cmd.Dir = v.c.Dir
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("interactive vote: %v\n%s", err, out)
	}
	return string(out)
}

// voteBallotCounter returns the revote counter of the ballot in a receipt file.
func voteBallotCounter(t *testing.T, e *cluster.Election, path string) uint32 {
	t.Helper()
	r, err := cast.ReadReceipt(path)
	if err != nil {
		t.Fatal(err)
	}
	d, err := election.DecodeEntry(r.Entry)
	if err != nil {
		t.Fatal(err)
	}
	l, err := election.NewBallotLayout(e.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	b, err := election.DecodeBallot(l, d.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return b.Counter
}

// voteClose posts the commission's close entry.
func voteClose(t *testing.T, c *cluster.Cluster, e *cluster.Election) {
	t.Helper()
	key := c.Commission.SigningKey
	entry := &election.Entry{
		Version:  election.ProtocolVersion,
		Type:     election.TypeClose,
		Election: e.ID,
		Author:   key.Public().(ed25519.PublicKey),
		Payload:  (&election.Close{}).Bytes(),
	}
	entry.Sign(key)
	c.Submit(t, entry.Bytes())
}

// voteDeadURL returns the URL of a loopback port nothing listens on.
func voteDeadURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return "http://" + addr
}

// voteRetitled writes the cluster's copy of an election config under
// another title, which makes it another election.
func voteRetitled(t *testing.T, c *cluster.Cluster, name, title string) string {
	t.Helper()
	path := c.ElectionConfig(t, name)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`(?m)^title: .*$`)
	if !re.Match(b) {
		t.Fatalf("%s has no title line", path)
	}
	out := strings.TrimSuffix(path, ".yaml") + "-" + strings.ReplaceAll(strings.ToLower(title), " ", "-") + ".yaml"
	if err := os.WriteFile(out, re.ReplaceAll(b, []byte("title: "+strconv.Quote(title))), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}
