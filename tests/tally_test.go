package tests

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	tallylib "github.com/evote/evote/tally"
)

// wrongPartial returns trustee j's partial decryption of the board's
// aggregates made with a share of its own choosing: every proof in it is
// valid for that share, none for the trustee's verification key.
func (env *trusteeEnv) wrongPartial(t *testing.T, j int) []byte {
	t.Helper()
	me, err := election.DecodeEntry(env.e.Posted[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := tallylib.NewFollower(me, env.c.Client(t))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Sync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if f.Phase() != election.PhaseDecryption {
		t.Fatalf("the record is in the %v phase", f.Phase())
	}
	key, err := keyfile.LoadRole(env.c.Trustees[j-1].KeyFile, keyfile.Trustee)
	if err != nil {
		t.Fatal(err)
	}
	e, err := election.NewPartial(env.e.Manifest, env.e.ID, key.SigningKey, group.ScalarFromUint64(1234567), f.Record().Aggregates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return e.Bytes()
}

func TestTallyWrongPartialAndTooFew(t *testing.T) {
	env := newTrusteeEnv(t, 3, 2, 2, true)
	var procs []*trusteeProc
	for j := 1; j <= 3; j++ {
		procs = append(procs, env.start(t, j))
	}
	env.open(t)
	// The trustees stop after the ceremony and decrypt by hand below.
	for _, p := range procs {
		p.stop()
	}
	env.vote(t, 0, 0, 0)
	env.vote(t, 1, 0, 0)
	env.close(t)

	// No partial decryption yet: the tally stops and posts nothing.
	_, err := env.tally(t)
	if err == nil || !strings.Contains(err.Error(), "0 valid partial decryptions") {
		t.Fatalf("tally without partials: %v", err)
	}

	// Trustee 1's wrong partial: the board refuses it (check 46) …
	wrong := filepath.Join(env.c.Dir, "wrong-partial.entry")
	if err := os.WriteFile(wrong, env.wrongPartial(t, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = env.c.Evote(t, append(append([]string{"trustee", "post", "--manifest", env.e.ManifestFile}, env.c.NodeArgs()...), wrong)...)
	if err == nil || !strings.Contains(err.Error(), "check 46") {
		t.Fatalf("posting a wrong partial: %v", err)
	}
	// … and the tally, handed it as a file, leaves it out with the reason.
	env.c.MustEvote(append(append([]string{"trustee", "decrypt"}, env.args(2)...), env.c.NodeArgs()...)...)
	env.waitAll(t, election.TypePartial, 1)
	_, err = env.tally(t, "--partial", wrong)
	if err == nil || !regexp.MustCompile(`1 valid partial decryptions \(trustees \[2\]\), need t = 2; left out trustee 1: invalid partial decryption`).MatchString(err.Error()) {
		t.Fatalf("tally with one valid partial and a wrong one: %v", err)
	}
	if got := env.entries(t, env.c.Client(t), election.TypeResult); len(got) != 0 {
		t.Fatal("a failed tally posted a result")
	}

	// Trustee 3 resumes its run, which now decrypts: two valid partials.
	procs[2] = env.start(t, 3)
	procs[2].wait(t)
	out, err := env.tally(t, "--partial", wrong, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 2 || no != 0 {
		t.Fatalf("tally:\n%s", out)
	}
	if !strings.Contains(out, "decrypted by trustees [2 3]") || len(lines(out, "left out: trustee 1: invalid partial decryption")) != 1 {
		t.Fatalf("tally does not name the left-out partial:\n%s", out)
	}
	if res := env.boardResult(t); res.Ballots != 2 || !slices.Equal(res.Counts[0], []uint64{2, 0}) {
		t.Fatalf("the board's result %+v", res)
	}
}

func TestTallyZeroBallots(t *testing.T) {
	env := newTrusteeEnv(t, 3, 2, 1, true)
	var procs []*trusteeProc
	for j := 1; j <= 3; j++ {
		procs = append(procs, env.start(t, j))
	}
	env.open(t)
	env.close(t)
	for _, p := range procs {
		p.wait(t)
	}
	out, err := env.tally(t, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 0 || no != 0 || !strings.Contains(out, "0 ballots counted") {
		t.Fatalf("tally:\n%s", out)
	}
	if res := env.boardResult(t); res.Ballots != 0 {
		t.Fatalf("the board's result %+v", res)
	}
}
