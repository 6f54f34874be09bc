package tests

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/tests/cluster"
	"github.com/evote/evote/trustee"
)

// trusteeEnv is a published referendum on a three-node board whose trustees
// run as evote processes, each with its own state file.
type trusteeEnv struct {
	c        *cluster.Cluster
	e        *cluster.Election
	states   []string // state file of trustee j at j-1
	passFile string
}

// newTrusteeEnv publishes the referendum for n trustees of whom th decrypt.
// With future, the ceremony deadline lies far ahead, so that the election
// opens only when every trustee has dealt; else it has passed, so that it
// opens with whoever qualified.
func newTrusteeEnv(t *testing.T, n, th, voters int, future bool) *trusteeEnv {
	t.Helper()
	c := cluster.New(t, cluster.Options{Nodes: 3, Trustees: n, Threshold: th})
	cfg := c.ElectionConfig(t, "referendum.yaml")
	// The schedule's year, whatever the config's: 2099 or long past.
	year := "2020"
	if future {
		year = "2099"
	}
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	b = regexp.MustCompile(`(ceremony_deadline|opens|closes): \d{4}-`).ReplaceAll(b, []byte("${1}: "+year+"-"))
	if err := os.WriteFile(cfg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	env := &trusteeEnv{c: c, e: c.Publish(t, cfg, voters), passFile: filepath.Join(c.Dir, "passphrase")}
	if err := os.WriteFile(env.passFile, []byte("a passphrase for the tests\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for j := 1; j <= n; j++ {
		env.states = append(env.states, filepath.Join(c.Dir, fmt.Sprintf("trustee-%d.state", j)))
	}
	return env
}

// args returns the flags every trustee command of trustee j takes.
func (env *trusteeEnv) args(j int) []string {
	return []string{"--manifest", env.e.ManifestFile, "--key", env.c.Trustees[j-1].KeyFile,
		"--state", env.states[j-1], "--passphrase-file", env.passFile}
}

// trusteeProc is a running `evote trustee run`.
type trusteeProc struct {
	cmd  *exec.Cmd
	stop context.CancelFunc
	done chan error
	log  string
}

// start starts `evote trustee run` for trustee j; it is killed when the test
// ends if it is still running.
func (env *trusteeEnv) start(t *testing.T, j int) *trusteeProc {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	args := append(append([]string{"trustee", "run"}, env.args(j)...), "--poll", "200ms")
	cmd := exec.CommandContext(ctx, env.c.Bin, append(args, env.c.NodeArgs()...)...)
	cmd.Dir = env.c.Dir
	p := &trusteeProc{cmd: cmd, stop: cancel, done: make(chan error, 1), log: filepath.Join(env.c.Dir, fmt.Sprintf("trustee-%d.log", j))}
	f, err := os.Create(p.log)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait(); f.Close() }()
	t.Cleanup(func() {
		cancel()
		<-p.done
		if t.Failed() {
			b, _ := os.ReadFile(p.log)
			t.Logf("trustee %d's log:\n%s", j, tail(string(b), 40))
		}
	})
	return p
}

// wait waits for the trustee process to end by itself and fails the test if
// it failed.
func (p *trusteeProc) wait(t *testing.T) {
	t.Helper()
	var err error
	cluster.WaitFor(t, "the trustee process to finish", func() bool {
		select {
		case err = <-p.done:
			p.done <- err
			return true
		default:
			return false
		}
	})
	if err != nil {
		b, _ := os.ReadFile(p.log)
		t.Fatalf("trustee run: %v\n%s", err, tail(string(b), 40))
	}
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// open runs `evote election open`, waiting for the ceremony, and returns
// its output; it also sets the election key for ballots.
func (env *trusteeEnv) open(t *testing.T) string {
	t.Helper()
	out := env.c.MustEvote(append([]string{"election", "open", "--manifest", env.e.ManifestFile,
		"--commission-key", env.c.CommissionKey, "--wait", "60s", "--poll", "200ms"}, env.c.NodeArgs()...)...)
	m := regexp.MustCompile(`election key: ([0-9a-f]{64})`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("election open printed no key:\n%s", out)
	}
	b, _ := hex.DecodeString(m[1])
	K, err := group.DecodePoint(b)
	if err != nil {
		t.Fatal(err)
	}
	env.e.Key = elgamal.NewPublicKey(K)
	env.waitAll(t, election.TypeOpen, 1)
	return out
}

// waitAll waits until every node holds at least n entries of type typ.
func (env *trusteeEnv) waitAll(t *testing.T, typ election.EntryType, n int) {
	t.Helper()
	cluster.WaitFor(t, fmt.Sprintf("every node to hold %d %s entries", n, typ), func() bool {
		for _, node := range env.c.Nodes {
			if len(env.entries(t, node.Client(t), typ)) < n {
				return false
			}
		}
		return true
	})
}

// entries returns the entries of type typ that the node of cl holds.
func (env *trusteeEnv) entries(t *testing.T, cl *client.Client, typ election.EntryType) [][]byte {
	t.Helper()
	page, err := cl.Entries(context.Background(), env.e.ID, typ, 0, 1000)
	if err != nil {
		return nil
	}
	var out [][]byte
	for _, s := range page.Entries {
		out = append(out, s.Bytes)
	}
	return out
}

// vote casts voter i's ballot choosing option choice of the referendum
// (0 yes, 1 no, -1 blank) with the given revote counter.
func (env *trusteeEnv) vote(t *testing.T, i int, counter uint32, choice int) {
	t.Helper()
	sel := []uint64{0, 0}
	if choice >= 0 {
		sel[choice] = 1
	}
	b, _, err := election.NewBallot(env.e.Manifest, env.e.ID, env.e.Key, env.e.Voter(t, i), 0, counter, [][]uint64{sel}, nil)
	if err != nil {
		t.Fatal(err)
	}
	env.c.Submit(t, b.Bytes())
}

// close closes voting and waits for the seal quorum on every node.
func (env *trusteeEnv) close(t *testing.T) {
	t.Helper()
	env.c.MustEvote(append([]string{"election", "close", "--manifest", env.e.ManifestFile, "--commission-key", env.c.CommissionKey}, env.c.NodeArgs()...)...)
	env.waitAll(t, election.TypeSeal, int(env.e.Manifest.SealQuorum))
}

// tally runs `evote tally` with the commission key and extra args.
func (env *trusteeEnv) tally(t *testing.T, extra ...string) (string, error) {
	t.Helper()
	args := append([]string{"tally", "--manifest", env.e.ManifestFile, "--commission-key", env.c.CommissionKey, "--poll", "200ms"}, extra...)
	return env.c.Evote(t, append(args, env.c.NodeArgs()...)...)
}

// counts reads the yes and no counts from tally's output.
func counts(t *testing.T, out string) (yes, no uint64) {
	t.Helper()
	get := func(opt string) uint64 {
		m := regexp.MustCompile(`(?m)^\s+` + opt + `\s+(\d+)$`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no count for %s in:\n%s", opt, out)
		}
		v, _ := strconv.ParseUint(m[1], 10, 64)
		return v
	}
	return get("yes"), get("no")
}

// boardResult returns the result entry's counts from every node, failing
// unless all nodes hold the same one.
func (env *trusteeEnv) boardResult(t *testing.T) *election.Result {
	t.Helper()
	env.waitAll(t, election.TypeResult, 1)
	var res *election.Result
	for _, node := range env.c.Nodes {
		raw := env.entries(t, node.Client(t), election.TypeResult)
		e, err := election.DecodeEntry(raw[0])
		if err != nil {
			t.Fatal(err)
		}
		r, err := election.DecodeResult(env.e.Manifest, e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if res != nil && (r.Ballots != res.Ballots || !slices.Equal(r.Counts[0], res.Counts[0])) {
			t.Fatalf("nodes hold different results: %v and %v", res, r)
		}
		res = r
	}
	return res
}

// writeBadDealing makes trustee j's state file holding a dealing whose share
// for recipient is wrong, and returns that dealing entry: the trustee's run
// posts it and then answers the complaint with the right share.
func (env *trusteeEnv) writeBadDealing(t *testing.T, j, recipient int) []byte {
	t.Helper()
	key, err := keyfile.LoadRole(env.c.Trustees[j-1].KeyFile, keyfile.Trustee)
	if err != nil {
		t.Fatal(err)
	}
	st, err := trustee.NewState(env.e.ID, j)
	if err != nil {
		t.Fatal(err)
	}
	pass, err := os.ReadFile(env.passFile)
	if err != nil {
		t.Fatal(err)
	}
	store, err := trustee.Create(env.states[j-1], pass[:len(pass)-1], trustee.KDF{Time: 1, Memory: 64, Threads: 1}, st)
	if err != nil {
		t.Fatal(err)
	}
	m := env.e.Manifest
	good, _, err := st.MakeDealing(m, key.SigningKey)
	if err != nil {
		t.Fatal(err)
	}
	params := threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)}
	d, err := election.DecodeDealing(params, good.Payload)
	if err != nil {
		t.Fatal(err)
	}
	to, err := threshold.ParseEncryptionPublicKey(m.Trustees.Members[recipient-1].EncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	k := recipient - 1
	if recipient > j {
		k--
	}
	if d.Shares[k], err = threshold.EncryptShare(params, proof.Context{Election: env.e.ID[:]}, j, recipient, to, group.ScalarFromUint64(42)); err != nil {
		t.Fatal(err)
	}
	bad := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeDealing, Election: env.e.ID, Payload: d.Bytes()}
	bad.Sign(key.SigningKey)
	st.Dealing = bad.Bytes()
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
	return st.Dealing
}

// lines returns the lines of out that contain s.
func lines(out, s string) []string {
	var got []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.Contains(sc.Text(), s) {
			got = append(got, sc.Text())
		}
	}
	return got
}

func TestTrusteeCeremonyAndTally2of3(t *testing.T) {
	env := newTrusteeEnv(t, 3, 2, 3, true)
	// Before any trustee has dealt, the commission cannot open.
	_, err := env.c.Evote(t, append([]string{"election", "open", "--manifest", env.e.ManifestFile, "--commission-key", env.c.CommissionKey}, env.c.NodeArgs()...)...)
	if err == nil || !strings.Contains(err.Error(), "no dealing yet from trustees [1 2 3]") {
		t.Fatalf("election open before the ceremony: %v", err)
	}
	var procs []*trusteeProc
	for j := 1; j <= 3; j++ {
		procs = append(procs, env.start(t, j))
	}
	out := env.open(t)
	if !strings.Contains(out, "qualified trustees: [1 2 3]") {
		t.Fatalf("election open:\n%s", out)
	}
	env.vote(t, 0, 0, 0)
	env.vote(t, 0, 1, 1) // voter 0 revotes: only this ballot counts
	env.vote(t, 1, 0, 1)
	env.vote(t, 2, 0, 0)
	env.close(t)
	for _, p := range procs {
		p.wait(t)
	}
	out, err = env.tally(t, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 1 || no != 2 {
		t.Fatalf("yes %d no %d, want 1 and 2:\n%s", yes, no, out)
	}
	if !strings.Contains(out, "3 ballots counted (1 superseded by revotes)") || !strings.Contains(out, "posted the result entry") {
		t.Fatalf("tally:\n%s", out)
	}
	if res := env.boardResult(t); res.Ballots != 3 || !slices.Equal(res.Counts[0], []uint64{1, 2}) {
		t.Fatalf("the board's result %+v", res)
	}
	// A second tally finds the same result on the board and posts nothing.
	out, err = env.tally(t)
	if err != nil || !strings.Contains(out, "the board holds this result already") {
		t.Fatalf("second tally: %v\n%s", err, out)
	}
}

func TestTrusteeCeremony3of5TwoOffline(t *testing.T) {
	env := newTrusteeEnv(t, 5, 3, 4, true)
	var procs []*trusteeProc
	for j := 1; j <= 3; j++ {
		procs = append(procs, env.start(t, j))
	}
	// Trustee 4 works offline: the record goes to its machine as a file,
	// its dealing comes back as a file.
	rec := filepath.Join(env.c.Dir, "record.rec")
	env.c.MustEvote(append([]string{"trustee", "export", "--manifest", env.e.ManifestFile, "--out", rec}, env.c.NodeArgs()...)...)
	outDir := filepath.Join(env.c.Dir, "trustee-4-out")
	if err := os.Mkdir(outDir, 0o700); err != nil {
		t.Fatal(err)
	}
	out := env.c.MustEvote(append([]string{"trustee", "deal"}, append(env.args(4), "--record", rec, "--out", outDir)...)...)
	files, _ := filepath.Glob(filepath.Join(outDir, "dealing-*.entry"))
	if len(files) != 1 {
		t.Fatalf("trustee deal --out wrote %v:\n%s", files, out)
	}
	env.c.MustEvote(append(append([]string{"trustee", "post", "--manifest", env.e.ManifestFile}, env.c.NodeArgs()...), files...)...)
	// Trustee 5 deals online by hand.
	env.c.MustEvote(append(append([]string{"trustee", "deal"}, env.args(5)...), env.c.NodeArgs()...)...)
	out = env.open(t)
	if !strings.Contains(out, "qualified trustees: [1 2 3 4 5]") {
		t.Fatalf("election open:\n%s", out)
	}
	for i := range 4 {
		env.vote(t, i, 0, 1) // every voter chooses the same option
	}
	env.close(t)
	// Trustees 4 and 5 never decrypt.
	for _, p := range procs {
		p.wait(t)
	}
	out, err := env.tally(t, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 0 || no != 4 || !strings.Contains(out, "decrypted by trustees [1 2 3]") {
		t.Fatalf("tally:\n%s", out)
	}
	if res := env.boardResult(t); res.Ballots != 4 || !slices.Equal(res.Counts[0], []uint64{0, 4}) {
		t.Fatalf("the board's result %+v", res)
	}
}

func TestTrusteeBadShareRevealed(t *testing.T) {
	env := newTrusteeEnv(t, 3, 2, 2, true)
	env.writeBadDealing(t, 1, 2)
	var procs []*trusteeProc
	for j := 1; j <= 3; j++ {
		procs = append(procs, env.start(t, j))
	}
	// The commission opens only once the complaint is answered: wait for the
	// reveal, then for the ceremony.
	env.waitAll(t, election.TypeComplaint, 1)
	env.waitAll(t, election.TypeReveal, 1)
	out := env.open(t)
	if !strings.Contains(out, "qualified trustees: [1 2 3]") {
		t.Fatalf("election open:\n%s", out)
	}
	env.vote(t, 0, 0, 0)
	env.vote(t, 1, 0, 0)
	env.close(t)
	for _, p := range procs {
		p.wait(t)
	}
	out, err := env.tally(t, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 2 || no != 0 {
		t.Fatalf("tally:\n%s", out)
	}
	env.boardResult(t)
}

func TestTrusteeBadShareUnansweredAndBadCommitments(t *testing.T) {
	env := newTrusteeEnv(t, 4, 2, 1, false)
	// Trustee 1 deals a bad share to trustee 2 and goes silent.
	env.c.Submit(t, env.writeBadDealing(t, 1, 2))
	// Trustee 4's dealings break the commitment rules and are refused.
	badDir := filepath.Join(env.c.Dir, "bad")
	if err := os.Mkdir(badDir, 0o700); err != nil {
		t.Fatal(err)
	}
	for name, payload := range env.badCommitments(t, 4) {
		path := filepath.Join(badDir, name+".entry")
		if err := os.WriteFile(path, payload, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := env.c.Evote(t, append(append([]string{"trustee", "post", "--manifest", env.e.ManifestFile}, env.c.NodeArgs()...), path)...)
		if err == nil || !regexp.MustCompile(`check (28|29)`).MatchString(err.Error()) {
			t.Fatalf("%s: posting it: %v", name, err)
		}
	}
	procs := []*trusteeProc{env.start(t, 2), env.start(t, 3)}
	env.waitAll(t, election.TypeComplaint, 1)
	env.waitAll(t, election.TypeDealing, 3)
	// The deadline has passed: the election opens without trustees 1 and 4.
	out := env.open(t)
	if !strings.Contains(out, "qualified trustees: [2 3]") || len(lines(out, "left out: trustee 1")) != 1 || len(lines(out, "left out: trustee 4")) != 1 {
		t.Fatalf("election open:\n%s", out)
	}
	env.vote(t, 0, 0, 1)
	env.close(t)
	for _, p := range procs {
		p.wait(t)
	}
	out, err := env.tally(t, "--wait", "60s")
	if err != nil {
		t.Fatal(err)
	}
	if yes, no := counts(t, out); yes != 0 || no != 1 {
		t.Fatalf("tally:\n%s", out)
	}
}

// badCommitments returns trustee j's dealings with too few commitments and
// with a proof of knowledge that does not prove, signed by j.
func (env *trusteeEnv) badCommitments(t *testing.T, j int) map[string][]byte {
	t.Helper()
	key, err := keyfile.LoadRole(env.c.Trustees[j-1].KeyFile, keyfile.Trustee)
	if err != nil {
		t.Fatal(err)
	}
	m := env.e.Manifest
	good, _, err := election.NewDealing(m, env.e.ID, key.SigningKey, nil)
	if err != nil {
		t.Fatal(err)
	}
	params := threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)}
	d, err := election.DecodeDealing(params, good.Payload)
	if err != nil {
		t.Fatal(err)
	}
	short := *d.Commitments
	short.C, short.PoK = short.C[:1], short.PoK[:1]
	shortPayload := append([]byte{0, byte(j)}, short.Bytes()...)
	for _, s := range d.Shares {
		shortPayload = append(shortPayload, s...)
	}
	swapped := *d.Commitments
	swapped.PoK = []*proof.Schnorr{d.Commitments.PoK[1], d.Commitments.PoK[0]}
	bad := *d
	bad.Commitments = &swapped
	sign := func(p []byte) []byte {
		e := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeDealing, Election: env.e.ID, Payload: p}
		e.Sign(key.SigningKey)
		return e.Bytes()
	}
	return map[string][]byte{"wrong-length": sign(shortPayload), "invalid-proof": sign(bad.Bytes())}
}
