package verify

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"
	"sort"
	"sync/atomic"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Source is where a record comes from: a record directory (Dir) or live
// nodes (Nodes).
type Source interface {
	// Name says where the record comes from, for the report.
	Name() string
	// Entries yields the election's entries in one node's log order, and
	// ends with an error if the source fails before the end.
	Entries(ctx context.Context) iter.Seq2[[]byte, error]
	// Observe makes the checks only the source can show (C50–C52) on the
	// log that Entries yielded.
	Observe(ctx context.Context, log *Log) []Observation
	// Fetch returns the bytes of the entries with the given ids, which
	// Entries yielded before: the record asks for the few counted
	// ballots that a revote superseded (election.Record.StreamBallots).
	Fetch(ctx context.Context, ids []election.ID) (map[election.ID][]byte, error)
}

// Log is what the verifier read, for a Source's observations.
type Log struct {
	Election election.ID
	Manifest *election.Manifest
	// Leaves holds the RFC 6962 leaf hash of every entry read, in order.
	Leaves [][tlog.HashSize]byte
	// Seals holds the seal entries the record accepted, by node position.
	Seals map[int]SealEntry
}

// SealEntry is a seal on the record and where it is.
type SealEntry struct {
	Seal  *election.Seal
	ID    election.ID
	Index int
}

// Observation is the outcome of one observer check about one node: Err is
// nil when it held. Skipped says the check could not be made, and why.
type Observation struct {
	Check   int
	Node    string
	Err     error
	Skipped string
}

// RootAt returns the root of the tree of the first size leaves.
func (l *Log) RootAt(size uint64) ([tlog.HashSize]byte, error) {
	if size > uint64(len(l.Leaves)) {
		return [tlog.HashSize]byte{}, fmt.Errorf("a tree of %d entries, but %d were read", size, len(l.Leaves))
	}
	t, err := tlog.NewTree().Append(l.Leaves[:size], nil)
	if err != nil {
		return [tlog.HashSize]byte{}, err
	}
	return t.Root(), nil
}

// Options tunes Run. The zero value is usable.
type Options struct {
	// Progress, when set, is called after each batch with the number of
	// entries read so far.
	Progress func(entries int)
	// Batch is how many entries go to Record.ApplyBytesBatch at once
	// (0: 4096).
	Batch int
}

// Run verifies the record that src yields and returns the report. It never
// panics on bad input: whatever is wrong with the record is a failure in
// the report, and a source that fails or a first entry that is not a valid
// manifest stops the run with Report.Fatal set.
func Run(ctx context.Context, src Source, opts Options) *Report {
	v := &run{rep: &Report{Source: src.Name(), Phase: "none"}, passed: map[int]int{}, failed: map[int][]Failure{},
		skipped: map[int]string{}, opts: opts, log: &Log{Seals: map[int]SealEntry{}}}
	v.src, v.ctx = src, ctx
	if v.opts.Batch <= 0 {
		v.opts.Batch = 4096
	}
	v.read(ctx, src)
	if v.r != nil {
		v.finish(ctx, src)
	}
	v.lines()
	return v.rep
}

type run struct {
	rep     *Report
	opts    Options
	r       *election.Record
	log     *Log
	nodes   map[[ed25519.PublicKeySize]byte]int
	passed  map[int]int
	failed  map[int][]Failure
	skipped map[int]string
	src     Source
	ctx     context.Context
}

// read streams the entries through the record as a board node does, in
// three stages: this goroutine reads and batches; once the record has its
// joint key, a second one prechecks batch k+1 on all cores (signatures,
// decoding, proofs: Record.Prechecker) while a third applies batch k in
// order (Record.ApplyBytesPrechecked, the same checks as ApplyBytesBatch).
// Before the key, batches are applied whole with ApplyBytesBatch.
func (v *run) read(ctx context.Context, src Source) {
	toCheck := make(chan [][]byte, 1)
	toApply := make(chan checkedBatch, 1)
	var prechecker atomic.Pointer[election.Prechecker]
	go func() {
		defer close(toApply)
		for batch := range toCheck {
			c := checkedBatch{raw: batch}
			if p := prechecker.Load(); p != nil {
				c.pre = p.PrecheckBytes(batch, nil)
			}
			toApply <- c
		}
	}()
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		for c := range toApply {
			v.apply(c)
			if prechecker.Load() == nil {
				if p := v.r.Prechecker(); p != nil {
					prechecker.Store(p)
				}
			}
		}
	}()
	var batch [][]byte
	for b, err := range src.Entries(ctx) {
		if err != nil {
			v.rep.Fatal = fmt.Sprintf("reading the record: %v", err)
			break
		}
		v.log.Leaves = append(v.log.Leaves, tlog.LeafHash(b))
		if v.r == nil {
			if !v.start(b) {
				break
			}
			continue
		}
		batch = append(batch, b)
		if len(batch) == v.opts.Batch {
			toCheck <- batch
			batch = nil
		}
		if ctx.Err() != nil {
			v.rep.Fatal = fmt.Sprintf("stopped: %v", ctx.Err())
			break
		}
	}
	if len(batch) > 0 && v.r != nil {
		toCheck <- batch
	}
	close(toCheck)
	<-applied
	if v.r == nil && v.rep.Fatal == "" {
		v.rep.Fatal = "the record is empty: it starts with a manifest entry"
	}
}

// checkedBatch is a batch of entries' bytes, prechecked if pre is set.
type checkedBatch struct {
	raw [][]byte
	pre *election.Prechecked
}

// start takes the first entry, which must be the manifest, exactly as
// election.Replay does.
func (v *run) start(b []byte) bool {
	v.rep.Entries = 1
	r, errs := election.Replay([][]byte{b})
	if r == nil {
		for _, err := range errs {
			v.fail(err, 0)
		}
		v.rep.Fatal = "the first entry is not a valid manifest, so nothing else can be checked"
		return false
	}
	v.r = r
	r.StreamBallots(func(ids []election.ID) (map[election.ID][]byte, error) { return v.src.Fetch(v.ctx, ids) })
	id := r.ID()
	v.log.Election, v.log.Manifest = id, r.Manifest()
	v.rep.Election, v.rep.Title = id.String(), r.Manifest().Title
	v.nodes = map[[ed25519.PublicKeySize]byte]int{}
	for i, n := range r.Manifest().Nodes {
		v.nodes[[ed25519.PublicKeySize]byte(n.SigningKey)] = i
	}
	v.pass(append([]int{election.CheckEncoding, election.CheckElection, election.CheckVersion, election.CheckType,
		election.CheckSignature, election.CheckAuthor}, payloadChecks[election.TypeManifest]...)...)
	return true
}

// apply applies one batch in order and records each entry's outcome.
func (v *run) apply(c checkedBatch) {
	var entries []*election.Entry
	var errs []error
	if c.pre != nil {
		entries, errs = v.r.ApplyBytesPrechecked(c.pre)
	} else {
		entries, errs = v.r.ApplyBytesBatch(c.raw)
	}
	for k, e := range entries {
		index := v.rep.Entries + k
		if errs[k] != nil {
			v.fail(errs[k], index)
			continue
		}
		v.accepted(e, c.raw[k], index)
	}
	v.rep.Entries += len(c.raw)
	if v.opts.Progress != nil {
		v.opts.Progress(v.rep.Entries)
	}
}

func (v *run) accepted(e *election.Entry, b []byte, index int) {
	v.pass(envelopeChecks...)
	v.pass(payloadChecks[e.Type]...)
	switch e.Type {
	case election.TypeBallot:
		v.rep.Ballots++
	case election.TypeSeal:
		if s, err := election.DecodeSeal(e.Payload); err == nil {
			v.log.Seals[v.nodes[[ed25519.PublicKeySize]byte(e.Author)]] = SealEntry{Seal: s, ID: sha256.Sum256(b), Index: index}
		}
	case election.TypeResult:
		if res, err := election.DecodeResult(v.r.Manifest(), e.Payload); err == nil {
			v.rep.Counted = res.Ballots
		}
	}
}

func (v *run) pass(checks ...int) {
	for _, c := range checks {
		v.passed[c]++
	}
}

// fail records a record check's failure (a *election.CheckError).
func (v *run) fail(err error, index int) {
	f := Failure{Check: election.CheckEncoding, Index: index, Why: err.Error()}
	var ce *election.CheckError
	if errors.As(err, &ce) {
		f.Check, f.Entry, f.Why = ce.Check, ce.Entry.String(), ce.Err.Error()
		if ce.Type != 0 {
			f.Type = ce.Type.String()
		}
		if ce.Check == election.CheckComplete {
			f.Index = -1
		}
	}
	v.failed[f.Check] = append(v.failed[f.Check], f)
}

// finish makes the checks of the whole record: C49, the seals (C53) and
// the source's observations (C50–C52).
func (v *run) finish(ctx context.Context, src Source) {
	v.rep.Phase = v.r.Phase().String()
	if v.rep.Fatal == "" {
		if err := v.r.Complete(); err != nil {
			v.fail(err, -1)
		} else {
			v.pass(election.CheckComplete)
		}
	}
	if counts := v.r.Counts(); counts != nil {
		for c, ct := range v.r.Manifest().Contests {
			sum := ContestSum{Contest: ct.ID}
			for o, op := range ct.Options {
				sum.Options = append(sum.Options, OptionCount{Option: op.ID, Count: counts[c][o]})
			}
			v.rep.Result = append(v.rep.Result, sum)
		}
	}
	v.sealAgreement()
	if v.rep.Fatal != "" {
		return
	}
	for _, o := range src.Observe(ctx, v.log) {
		switch {
		case o.Skipped != "":
			if _, ok := v.skipped[o.Check]; !ok {
				v.skipped[o.Check] = o.Skipped
			}
		case o.Err != nil:
			v.failed[o.Check] = append(v.failed[o.Check], Failure{Check: o.Check, Index: -1, Node: o.Node, Why: o.Err.Error()})
		default:
			v.pass(o.Check)
		}
	}
}

// sealAgreement makes C53: every seal on the record names the set the
// quorum sealed. A dissenting seal does not stop the count (the quorum
// decides), but it is evidence against its node, so it fails the report.
func (v *run) sealAgreement() {
	sealed := v.r.Sealed()
	if sealed == nil {
		if len(v.log.Seals) > 0 {
			v.skipped[CheckSealAgreement] = "no quorum of seals agrees on the record's ballot set"
		}
		return
	}
	nodes := make([]int, 0, len(v.log.Seals))
	for n := range v.log.Seals {
		nodes = append(nodes, n)
	}
	sort.Ints(nodes)
	for _, n := range nodes {
		s := v.log.Seals[n]
		if s.Seal.Count == sealed.Count && s.Seal.Ballots == sealed.Ballots {
			v.pass(CheckSealAgreement)
			continue
		}
		v.failed[CheckSealAgreement] = append(v.failed[CheckSealAgreement], Failure{
			Check: CheckSealAgreement, Entry: s.ID.String(), Type: election.TypeSeal.String(), Index: s.Index,
			Node: v.r.Manifest().Nodes[n].Name,
			Why: fmt.Sprintf("sealed %d ballots (%x…), the quorum sealed %d (%x…)",
				s.Seal.Count, s.Seal.Ballots[:6], sealed.Count, sealed.Ballots[:6])})
	}
}

// lines turns the tallies into one line per check.
func (v *run) lines() {
	for c := firstCheck; c <= lastCheck; c++ {
		l := CheckLine{Check: c, Name: checkName(c), Count: v.passed[c], Failures: v.failed[c]}
		switch {
		case len(l.Failures) > 0:
			l.Status = Fail
		case l.Count > 0:
			l.Status = Pass
		default:
			l.Status, l.Note = Skip, v.skipped[c]
		}
		if l.Status != Skip && v.skipped[c] != "" {
			l.Note = v.skipped[c]
		}
		v.rep.Checks = append(v.rep.Checks, l)
	}
}
