package tests

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evote/evote/demo"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tests/cluster"
)

// background is an evote process a test leaves running (a trustee).
type background struct {
	name string
	cmd  *exec.Cmd
	out  *strings.Builder
	done chan error
}

// startBackground starts `evote args…`; it is killed at the end of the test
// if still running.
func startBackground(t *testing.T, c *cluster.Cluster, name string, args ...string) *background {
	t.Helper()
	b := &background{name: name, cmd: exec.Command(c.Bin, args...), out: &strings.Builder{}, done: make(chan error, 1)}
	b.cmd.Dir = c.Dir
	b.cmd.Stdout, b.cmd.Stderr = b.out, b.out
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { b.done <- b.cmd.Wait() }()
	t.Cleanup(func() {
		if b.cmd.ProcessState == nil {
			b.cmd.Process.Kill()
			<-b.done
		}
	})
	return b
}

func (b *background) wait(t *testing.T) {
	t.Helper()
	select {
	case err := <-b.done:
		if err != nil {
			t.Fatalf("%s: %v\n%s", b.name, err, b.out)
		}
	case <-time.After(3 * cluster.Timeout):
		t.Fatalf("%s still running:\n%s", b.name, b.out)
	}
}

// walkChoice is voter i's choice in contest ct: a deterministic spread
// over the options within the contest's limits, blank for every fifth
// voter where blank is allowed.
func walkChoice(ct *election.Contest, i int) []int {
	n := len(ct.Options)
	count := 1 + i%int(ct.MaxSelections)
	if ct.MinSelections == 0 && i%5 == 4 {
		count = 0
	}
	count = max(count, int(ct.MinSelections))
	var picks []int
	for k := range count {
		picks = append(picks, (i+k)%n)
	}
	return picks
}

// TestWalkthrough runs the README's walkthrough for every config in
// election-configs/, each command as its own evote process: keys, node
// processes, the election and credentials (a roll with every ballot style),
// trustees running the ceremony, open, voters casting with --select (one
// votes twice, one checks its receipt), close, tally, export and verify.
// The verified result must equal the votes the test cast.
func TestWalkthrough(t *testing.T) {
	configs, err := filepath.Glob(filepath.Join(cluster.ModuleRoot(t), "election-configs", "*.yaml"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no election configs: %v", err)
	}
	for _, path := range configs {
		t.Run(filepath.Base(path), func(t *testing.T) { walkthrough(t, filepath.Base(path)) })
	}
}

func walkthrough(t *testing.T, config string) {
	const voters = 6
	c := cluster.New(t, cluster.Options{})
	cfg := c.ElectionConfig(t, config)

	// The commission: a roll spreading the voters over the ballot styles.
	m := electionOf(t, c, cfg)
	roll := "voter_id,name\n"
	if len(m.Styles) > 0 {
		roll = "voter_id,name,style\n"
	}
	for i := range voters {
		roll += fmt.Sprintf("v%02d,Voter %d", i, i)
		if len(m.Styles) > 0 {
			roll += "," + m.Styles[i%len(m.Styles)].ID
		}
		roll += "\n"
	}
	rollPath := filepath.Join(c.Dir, "roll.csv")
	if err := os.WriteFile(rollPath, []byte(roll), 0o600); err != nil {
		t.Fatal(err)
	}
	e := c.Publish(t, cfg, 0, "--roll", rollPath)

	// The trustees, each running until its part is done.
	pass := filepath.Join(c.Dir, "passphrase")
	if err := os.WriteFile(pass, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var trustees []*background
	for _, tr := range c.Trustees {
		trustees = append(trustees, startBackground(t, c, tr.Name, append([]string{"trustee", "run", "--manifest", e.ManifestFile,
			"--key", tr.KeyFile, "--state", filepath.Join(c.Dir, tr.Name+".state"), "--passphrase-file", pass, "--poll", "300ms"}, c.NodeArgs()...)...))
	}
	c.MustEvote(append([]string{"election", "open", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey, "--wait", "60s", "--poll", "300ms"}, c.NodeArgs()...)...)

	// The voters. Voter 0 votes twice; only the second ballot counts.
	expected := make([][]uint64, len(e.Manifest.Contests))
	for k, ct := range e.Manifest.Contests {
		expected[k] = make([]uint64, len(ct.Options))
	}
	styleIndex := func(id string) uint16 {
		for s, st := range e.Manifest.Styles {
			if st.ID == id {
				return uint16(s)
			}
		}
		return 0
	}
	casts := 0
	cast := func(i, variant int) (string, [][2]int) {
		casts++
		codeFile := filepath.Join(c.Dir, fmt.Sprintf("code-%d", i))
		if err := os.WriteFile(codeFile, []byte(e.Codes[i]+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		receipt := filepath.Join(c.Dir, fmt.Sprintf("receipt-%d.json", casts))
		args := append([]string{"vote", "--election", e.ID.String(), "--code-file", codeFile, "--receipt", receipt}, c.NodeArgs()...)
		var chosen [][2]int
		for _, k := range e.Manifest.StyleContests(styleIndex(e.Styles[i])) {
			ct := &e.Manifest.Contests[k]
			var ids []string
			for _, o := range walkChoice(ct, i+variant) {
				ids = append(ids, ct.Options[o].ID)
				chosen = append(chosen, [2]int{k, o})
			}
			args = append(args, "--select", ct.ID+"="+strings.Join(ids, ","))
		}
		c.MustEvote(args...)
		return receipt, chosen
	}
	for i := range voters {
		_, chosen := cast(i, 0)
		if i == 0 {
			_, chosen = cast(i, 3) // the revote
		}
		for _, ko := range chosen {
			expected[ko[0]][ko[1]]++
		}
	}
	receipt, _ := cast(1, 0) // the same choices again: a revote too, counted once
	if out := c.MustEvote(append([]string{"vote", "check", "--receipt", receipt}, c.NodeArgs()...)...); !strings.Contains(strings.ToLower(out), "on the board") {
		t.Errorf("vote check says:\n%s", out)
	}

	// Close, tally, and the observer's checks.
	c.MustEvote(append([]string{"election", "close", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey}, c.NodeArgs()...)...)
	c.MustEvote(append([]string{"tally", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey, "--wait", "120s", "--poll", "300ms"}, c.NodeArgs()...)...)
	for _, tr := range trustees {
		tr.wait(t)
	}
	recordDir := filepath.Join(c.Dir, "record")
	c.MustEvote(append([]string{"record", "export", "--election", e.ID.String(), "--out", recordDir, "--quiet"}, c.NodeArgs()...)...)
	c.MustEvote(append([]string{"verify", "--election", e.ID.String(), "--quiet"}, c.NodeArgs()...)...)
	out := c.MustEvote("verify", "--record", recordDir, "--json", "--quiet")
	var rep struct {
		Result []struct {
			Contest string
			Options []struct {
				Option string
				Count  uint64
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("verify --json: %v\n%s", err, out)
	}
	if len(rep.Result) != len(expected) {
		t.Fatalf("verified result has %d contests, want %d", len(rep.Result), len(expected))
	}
	for k, cs := range rep.Result {
		for o, oc := range cs.Options {
			if oc.Count != expected[k][o] {
				t.Errorf("%s/%s: verified %d, cast %d", cs.Contest, oc.Option, oc.Count, expected[k][o])
			}
		}
	}
}

// electionOf reads the manifest a config gives, as `evote election
// validate` does.
func electionOf(t *testing.T, c *cluster.Cluster, cfg string) *election.Manifest {
	t.Helper()
	tmp := filepath.Join(t.TempDir(), "m.entry")
	c.MustEvote("election", "create", cfg, "--commission-key", c.CommissionKey, "--out", tmp)
	b, err := os.ReadFile(tmp)
	if err != nil {
		t.Fatal(err)
	}
	en, err := election.DecodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	m, err := election.DecodeManifest(en.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDemo runs `evote demo`'s election with each config and a few dozen
// voters; demo.Run itself fails unless the verified result equals the
// votes it cast.
func TestDemo(t *testing.T) {
	configs, err := filepath.Glob(filepath.Join(cluster.ModuleRoot(t), "election-configs", "*.yaml"))
	if err != nil || len(configs) == 0 {
		t.Fatalf("no election configs: %v", err)
	}
	bin := cluster.Binary(t)
	for _, path := range configs {
		t.Run(filepath.Base(path), func(t *testing.T) {
			var out strings.Builder
			sum, err := demo.Run(context.Background(), demo.Options{Config: path, Voters: 30, Dir: t.TempDir(), Bin: bin, Out: &out})
			if err != nil {
				t.Fatalf("%v\n%s", err, out.String())
			}
			if sum.Refused != 3 || !sum.Challenge || sum.Revotes != 3 || sum.Verified.Counted != 30 {
				t.Errorf("summary %+v\n%s", sum, out.String())
			}
		})
	}
}

// signalWriter collects output and closes seen once it contains mark.
type signalWriter struct {
	mu   sync.Mutex
	buf  strings.Builder
	mark string
	seen chan struct{}
	once sync.Once
}

func (w *signalWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if strings.Contains(w.buf.String(), w.mark) {
		w.once.Do(func() { close(w.seen) })
	}
	return len(p), nil
}

// TestDemoInterrupted: a demo cancelled while voters cast (Ctrl-C) says
// so and leaves no node or trustee process behind.
func TestDemoInterrupted(t *testing.T) {
	dir := t.TempDir()
	w := &signalWriter{mark: "[ 6/12]", seen: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := demo.Run(ctx, demo.Options{Voters: 400, Dir: dir, Bin: cluster.Binary(t), Out: w,
			Config: filepath.Join(cluster.ModuleRoot(t), "election-configs", "referendum.yaml")})
		done <- err
	}()
	select {
	case <-w.seen:
	case err := <-done:
		t.Fatalf("the demo ended before voting: %v", err)
	case <-time.After(3 * cluster.Timeout):
		t.Fatal("the demo did not reach voting")
	}
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(cluster.Timeout):
		t.Fatal("the demo did not stop after cancel")
	}
	if err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("error %v, want one saying it was interrupted", err)
	}
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err == nil && strings.Contains(string(b), dir) {
			t.Errorf("a process of the demo still runs: %s", strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
}
