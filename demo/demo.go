// Package demo runs a whole election on one machine, as `evote demo` and
// `make demo` do: board nodes and trustees as separate evote processes on
// loopback, the commission's steps, a few hundred voters casting through
// the voter's client code (voter/cast), a node killed and restarted during
// voting, close, seals, the tally and a full verification of the record,
// exported to a directory that stays for inspection.
//
// It exists to show the system working, and it is also an end-to-end
// test: Run fails unless the verified result equals the votes it cast.
package demo

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/verify"
	"github.com/evote/evote/voter/credential"
)

// Options shape a demo election. Zero values take the defaults.
type Options struct {
	// Config is the election config to run (default
	// election-configs/referendum.yaml); its commission, trustees and
	// nodes are replaced by the demo's own keys.
	Config    string
	Voters    int // default 300
	Nodes     int // board nodes, default 3
	Trustees  int // default 3
	Threshold int // trustees needed to decrypt, default 2
	// Dir is the working directory, created if needed (default: a new
	// temporary directory). Keys, logs, the credentials and the exported
	// record stay there.
	Dir string
	// Bin is the evote binary to run the nodes and trustees with
	// (default: this executable).
	Bin string
	// Out receives the progress and the final report (default: stdout).
	Out io.Writer
	// Seed makes the voters' choices reproducible (0: random).
	Seed uint64
}

// Summary is what a demo election did and found.
type Summary struct {
	Dir       string
	RecordDir string
	Election  election.ID
	Cast      int // ballots accepted, revotes included
	Revotes   int
	Refused   int // invalid ballots the board refused, as it should
	Challenge bool
	// Expected holds, per manifest contest and option, the votes the demo
	// cast (last ballot per voter); Verified the counts the verifier
	// checked on the exported record.
	Expected [][]uint64
	Verified *verify.Report
	Elapsed  time.Duration
}

// step prints one numbered stage and times it.
type stepper struct {
	out   io.Writer
	n, of int
	start time.Time
	t0    time.Time
}

func (s *stepper) step(format string, args ...any) {
	s.n++
	s.t0 = time.Now()
	fmt.Fprintf(s.out, "[%2d/%d] %s\n", s.n, s.of, fmt.Sprintf(format, args...))
}

func (s *stepper) done(format string, args ...any) {
	fmt.Fprintf(s.out, "       %s (%.1fs)\n", fmt.Sprintf(format, args...), time.Since(s.t0).Seconds())
}

// Run runs the demo election. It stops every process it started before
// returning, also when ctx is cancelled.
func Run(ctx context.Context, o Options) (*Summary, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	d := &run{o: o, st: &stepper{out: o.Out, of: 12, start: time.Now()}, ps: &procs{bin: o.Bin, dir: o.Dir}}
	defer d.ps.stopAll()
	sum, err := d.run(ctx)
	if sum != nil {
		sum.Elapsed = time.Since(d.st.start)
	}
	if err != nil && ctx.Err() != nil {
		return sum, fmt.Errorf("demo: interrupted; every process it started is stopped (keys, logs and data are in %s)", o.Dir)
	}
	if err != nil {
		return sum, fmt.Errorf("demo: %w (keys, logs and data are in %s)", err, o.Dir)
	}
	return sum, nil
}

func (o *Options) defaults() error {
	if o.Config == "" {
		o.Config = filepath.Join("election-configs", "referendum.yaml")
	}
	if o.Voters == 0 {
		o.Voters = 300
	}
	if o.Nodes == 0 {
		o.Nodes = 3
	}
	if o.Trustees == 0 {
		o.Trustees = 3
	}
	if o.Threshold == 0 {
		o.Threshold = 2
	}
	switch {
	case o.Voters < 5:
		return fmt.Errorf("demo: --voters %d: at least 5 (one challenges, some revote)", o.Voters)
	case o.Nodes < 2:
		return fmt.Errorf("demo: --nodes %d: at least 2 (one is killed during voting)", o.Nodes)
	case o.Threshold < 1 || o.Threshold > o.Trustees:
		return fmt.Errorf("demo: --threshold %d with %d trustees: want 1 … %d", o.Threshold, o.Trustees, o.Trustees)
	}
	if o.Out == nil {
		o.Out = os.Stdout
	}
	if o.Bin == "" {
		bin, err := os.Executable()
		if err != nil {
			return fmt.Errorf("demo: finding the evote binary: %w", err)
		}
		o.Bin = bin
	}
	if o.Dir == "" {
		dir, err := os.MkdirTemp("", "evote-demo-")
		if err != nil {
			return err
		}
		o.Dir = dir
	} else if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return err
	}
	abs, err := filepath.Abs(o.Dir)
	if err != nil {
		return err
	}
	o.Dir = abs
	return nil
}

// run is one demo election in progress.
type run struct {
	o  Options
	st *stepper
	ps *procs

	commission *keyfile.Secret
	commFile   string
	trustees   []*keyfile.Secret
	trustFiles []string
	nodes      []*demoNode

	manifestEntry []byte
	manifestFile  string
	m             *election.Manifest
	id            election.ID
	issue         *credential.Issue
	board         *client.Client
}

// demoNode is one board node process and its addresses.
type demoNode struct {
	name                       string
	secret                     *keyfile.Secret
	keyFile, config, dataDir   string
	httpPort, tcpPort, udpPort int
	p                          *proc
	ready                      int
}

func (n *demoNode) url() string { return fmt.Sprintf("http://127.0.0.1:%d", n.httpPort) }

func (d *run) run(ctx context.Context) (*Summary, error) {
	sum := &Summary{Dir: d.o.Dir}
	d.st.step("keys: a commission, %d trustees (any %d decrypt), %d board nodes", d.o.Trustees, d.o.Threshold, d.o.Nodes)
	if err := d.makeKeys(); err != nil {
		return sum, err
	}
	d.st.done("in %s", filepath.Join(d.o.Dir, "keys"))

	d.st.step("board: starting %d node processes on loopback", d.o.Nodes)
	if err := d.startNodes(ctx); err != nil {
		return sum, err
	}
	d.st.done("%s", strings.Join(d.urls(), " "))

	d.st.step("commission: election from %s, %d voter credentials, published", d.o.Config, d.o.Voters)
	if err := d.publish(ctx); err != nil {
		return sum, err
	}
	sum.Election = d.id
	d.st.done("election %s: %q", d.id, d.m.Title)

	d.st.step("trustees: %d 'evote trustee run' processes run the key ceremony through the board", d.o.Trustees)
	if err := d.startTrustees(); err != nil {
		return sum, err
	}
	d.st.done("started")

	d.st.step("commission: 'evote election open' once the ceremony is final")
	if err := d.evote(ctx, "open", 2*time.Minute, append([]string{"election", "open", "--manifest", d.manifestFile,
		"--commission-key", d.commFile, "--wait", "90s", "--poll", "300ms"}, d.nodeArgs()...)...); err != nil {
		return sum, err
	}
	d.st.done("voting is open under the joint key")

	d.st.step("voters: %d cast through the voter client; one challenges, some revote, a node is killed", d.o.Voters)
	v, err := d.vote(ctx)
	if v != nil {
		sum.Cast, sum.Revotes, sum.Refused, sum.Challenge, sum.Expected = v.cast, v.revotes, v.refused, v.challenged, v.expected
	}
	if err != nil {
		return sum, err
	}
	d.st.done("%d ballots (%d revotes) accepted, %d invalid ballots refused, 1 challenge audited", v.cast, v.revotes, v.refused)

	d.st.step("commission: close; every node seals its final ballot set")
	if err := d.closeAndSeal(ctx); err != nil {
		return sum, err
	}
	d.st.done("seal quorum of %d formed", 2*d.o.Nodes/3+1)

	d.st.step("tally: 'evote tally' waits for the trustees' partial decryptions, combines, posts the result")
	if err := d.evote(ctx, "tally", 3*time.Minute, append([]string{"tally", "--manifest", d.manifestFile,
		"--commission-key", d.commFile, "--wait", "150s", "--poll", "300ms"}, d.nodeArgs()...)...); err != nil {
		return sum, err
	}
	d.st.done("result posted")

	d.st.step("trustees: their part done, the processes exit")
	for _, p := range d.trusteeProcs() {
		if err := p.wait(ctx); err != nil {
			return sum, err
		}
	}
	d.st.done("all %d exited cleanly", d.o.Trustees)

	sum.RecordDir = filepath.Join(d.o.Dir, "record")
	d.st.step("observer: 'evote record export' writes the whole record to %s", sum.RecordDir)
	if err := d.evote(ctx, "export", 2*time.Minute, append([]string{"record", "export", "--election", d.id.String(),
		"--out", sum.RecordDir, "--quiet"}, d.nodeArgs()...)...); err != nil {
		return sum, err
	}
	d.st.done("exported")

	d.st.step("observer: 'evote verify' against the live nodes")
	if err := d.evote(ctx, "verify-nodes", 3*time.Minute, append([]string{"verify", "--election", d.id.String(), "--quiet"}, d.nodeArgs()...)...); err != nil {
		return sum, err
	}
	d.st.done("every check holds (report: %s)", filepath.Join(d.o.Dir, "logs", "verify-nodes.log"))

	d.st.step("observer: the exported record verified offline, and its result compared with the votes cast")
	rep := verify.Run(ctx, verify.Dir(sum.RecordDir), verify.Options{})
	sum.Verified = rep
	if !rep.OK() {
		var b strings.Builder
		rep.WriteText(&b)
		return sum, fmt.Errorf("the exported record does not verify:\n%s", b.String())
	}
	if err := d.compare(rep, v.expected); err != nil {
		return sum, err
	}
	d.st.done("%s; the verified counts equal the votes cast", checksHeld(rep))
	d.report(sum)
	return sum, nil
}

// evote runs one evote command to completion, its output in logs/name.log.
func (d *run) evote(ctx context.Context, name string, limit time.Duration, args ...string) error {
	p, err := d.ps.start(name, args...)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := p.wait(ctx); err != nil {
		p.signal(syscall.SIGTERM)
		return fmt.Errorf("evote %s: %w\n%s", strings.Join(args[:min(2, len(args))], " "), err, tail(p.logFile))
	}
	return nil
}

func (d *run) urls() []string {
	var urls []string
	for _, n := range d.nodes {
		urls = append(urls, n.url())
	}
	return urls
}

func (d *run) nodeArgs() []string {
	var args []string
	for _, u := range d.urls() {
		args = append(args, "--node", u)
	}
	return args
}

func (d *run) trusteeProcs() []*proc {
	var out []*proc
	for _, p := range d.ps.all {
		if strings.HasPrefix(p.name, "trustee-") {
			out = append(out, p)
		}
	}
	return out
}

// compare checks the verified counts against the votes cast.
func (d *run) compare(rep *verify.Report, expected [][]uint64) error {
	if len(rep.Result) != len(d.m.Contests) {
		return fmt.Errorf("the verified result has %d contests, the manifest %d", len(rep.Result), len(d.m.Contests))
	}
	for c, cs := range rep.Result {
		for o, oc := range cs.Options {
			if oc.Count != expected[c][o] {
				return fmt.Errorf("contest %s option %s: verified count %d, but the demo cast %d", cs.Contest, oc.Option, oc.Count, expected[c][o])
			}
		}
	}
	return nil
}

// report prints the result table and where everything is.
func (d *run) report(sum *Summary) {
	w := d.o.Out
	fmt.Fprintf(w, "\nResult of %q (election %s), verified:\n", d.m.Title, d.id)
	for c, cs := range sum.Verified.Result {
		fmt.Fprintf(w, "  %s — %s\n", cs.Contest, d.m.Contests[c].Title)
		for o, oc := range cs.Options {
			fmt.Fprintf(w, "    %-40s %6d\n", d.m.Contests[c].Options[o].Title, oc.Count)
		}
	}
	fmt.Fprintf(w, "\nVerification: %s over %d entries (%d ballots read, %d counted).\n",
		checksHeld(sum.Verified), sum.Verified.Entries, sum.Verified.Ballots, sum.Verified.Counted)
	fmt.Fprintf(w, "Record:       %s (check it again with: evote verify --record %s)\n", sum.RecordDir, sum.RecordDir)
	fmt.Fprintf(w, "Logs, keys:   %s\n", d.o.Dir)
	fmt.Fprintf(w, "Time:         %.1fs\n", time.Since(d.st.start).Seconds())
}

// checksHeld says how many numbered checks held and how many had nothing
// to check (no complaint on the record, say).
func checksHeld(rep *verify.Report) string {
	held, idle := 0, 0
	for _, l := range rep.Checks {
		switch l.Status {
		case verify.Pass:
			held++
		default:
			idle++
		}
	}
	return fmt.Sprintf("%d numbered checks hold, %d had nothing to check", held, idle)
}
