package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/election"
)

// Bounds on one batch of an election's queue: what one record check and
// one group commit take at most.
const (
	maxBatchEntries = 1024
	maxBatchBytes   = 64 << 20
)

// errVotingClosed refuses a client's new ballot after the close entry.
var errVotingClosed = fmt.Errorf("voting is closed: this node takes no new ballots from clients after the close entry: %w", election.ErrTooLate)

// job is one entry waiting in an election's queue.
type job struct {
	src   source
	entry []byte
	id    election.ID
	typ   election.EntryType
	done  chan outcome // buffered: the worker never waits for the caller
}

func (j *job) finish(el election.ID, index uint64, fresh bool, err error) {
	j.finishIn(el, index, fresh, err, 0)
}

func (j *job) finishIn(el election.ID, index uint64, fresh bool, err error, before election.Phase) {
	j.done <- outcome{el: el, id: j.id, typ: j.typ, index: index, fresh: fresh, err: err, before: before}
}

// work is an election's worker: it takes every entry waiting, checks them
// together and stores those that pass, until the node stops.
func (n *Node) work(es *electionState) {
	defer n.workers.Done()
	// Two stages: this goroutine collects a batch and prechecks it on all
	// cores (signatures, decoding, batched proofs) while the applier
	// applies the batch before it to the record and waits for its disk
	// sync, so that neither the sync nor the in-order apply leaves the
	// cores idle. Batches stay in arrival order.
	ready := make(chan *batch, 1)
	applied := make(chan struct{})
	go func() {
		defer close(applied)
		for b := range ready {
			n.process(es, b)
		}
	}()
	defer func() {
		close(ready)
		<-applied
	}()
	recent := newRecentIDs(recentPrechecked)
	for {
		select {
		case j := <-es.queue:
			ready <- n.prepare(es, n.collect(es, j), recent)
		case <-n.stopping:
			for {
				select {
				case j := <-es.queue:
					j.finish(es.id, 0, false, errClosed)
				default:
					return
				}
			}
		}
	}
}

// batch is a collected batch of jobs, prechecked if the record was open.
type batch struct {
	jobs []*job
	pc   *election.Prechecked // nil: not prechecked
}

// prepare prechecks the jobs' entries with the record's Prechecker, if
// the record is open, except those it prechecked recently; it does not
// touch the record itself.
func (n *Node) prepare(es *electionState, jobs []*job, recent *recentIDs) *batch {
	b := &batch{jobs: jobs}
	if p := es.pre.Load(); p != nil {
		bs := make([][]byte, len(jobs))
		for i, j := range jobs {
			bs[i] = j.entry
		}
		b.pc = p.PrecheckBytes(bs, recent.has)
		for _, id := range b.pc.IDs() {
			recent.add(id)
		}
	}
	return b
}

// recentPrechecked is how many entry ids the first stage remembers: a
// copy of an entry that arrives again within that many (gossip from a
// second peer, a pull racing the gossip) is not prechecked again; the
// record finds it a duplicate at once.
const recentPrechecked = 1 << 16

// recentIDs is a set of the last ids added, owned by one goroutine.
type recentIDs struct {
	set  map[election.ID]struct{}
	ring []election.ID
	next int
	full bool
}

func newRecentIDs(n int) *recentIDs {
	return &recentIDs{set: make(map[election.ID]struct{}, n), ring: make([]election.ID, n)}
}

func (r *recentIDs) has(id election.ID) bool {
	_, ok := r.set[id]
	return ok
}

// add remembers id, forgetting the oldest once the set is full.
func (r *recentIDs) add(id election.ID) {
	if r.has(id) {
		return
	}
	if r.full {
		delete(r.set, r.ring[r.next])
	}
	r.ring[r.next] = id
	r.set[id] = struct{}{}
	if r.next++; r.next == len(r.ring) {
		r.next, r.full = 0, true
	}
}

const (
	linger    = time.Millisecond
	maxLinger = 5 * time.Millisecond
)

// collect returns first and the jobs waiting behind it, within the batch
// bounds, in causal order.
func (n *Node) collect(es *electionState, first *job) []*job {
	batch := []*job{first}
	size := len(first.entry)
	var quiet, deadline <-chan time.Time
	if first.src == sourcePeer {
		deadline = time.After(maxLinger)
	}
	for len(batch) < maxBatchEntries && size < maxBatchBytes {
		select {
		case j := <-es.queue:
			batch = append(batch, j)
			size += len(j.entry)
			continue
		default:
		}
		if deadline == nil {
			break
		}
		quiet = time.After(linger)
		select {
		case j := <-es.queue:
			batch = append(batch, j)
			size += len(j.entry)
			continue
		case <-quiet:
		case <-deadline:
		}
		break
	}
	slices.SortStableFunc(batch, func(a, b *job) int { return causalRank(a.typ) - causalRank(b.typ) })
	return batch
}

// causalRank orders entry types as an election's phases do: the entries an
// entry may depend on come first (credentials before ballots, the key
// ceremony before the open entry, the close before seals, seals before
// partial decryptions, those before the result). A batch is checked in
// this order, arrival order within a type, so that entries that reach the
// node out of order — gossip keeps no order, and pull-sync checks a page
// concurrently — are taken as their log had them. Ballots rank before the
// close: a ballot the record takes after the close it takes before it too.
func causalRank(t election.EntryType) int {
	switch t {
	case election.TypeCredentials:
		return 1
	case election.TypeDealing:
		return 2
	case election.TypeComplaint:
		return 3
	case election.TypeReveal:
		return 4
	case election.TypeOpen:
		return 5
	case election.TypeBallot, election.TypeSpoiled:
		return 6
	case election.TypeClose:
		return 7
	case election.TypeSeal:
		return 8
	case election.TypePartial:
		return 9
	case election.TypeResult:
		return 10
	}
	return 0
}

// process checks a batch against the record and appends the entries that
// pass, in the order the record took them, in one group commit; then it
// answers every job.
func (n *Node) process(es *electionState, b *batch) {
	jobs := b.jobs
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.broken != nil {
		for _, j := range jobs {
			j.finish(es.id, 0, false, fmt.Errorf("node: election %s takes no entries: %w", es.id, es.broken))
		}
		return
	}
	todo := n.admit(es, jobs)
	before := es.rec.Phase()
	n.m.batch.Observe(float64(len(todo)))
	bs := make([][]byte, len(todo))
	for i, j := range todo {
		bs[i] = j.entry
	}
	start := time.Now()
	var applied []*election.Entry
	var errs []error
	if b.pc != nil && len(todo) == len(jobs) {
		applied, errs = es.rec.ApplyBytesPrechecked(b.pc)
	} else {
		// Not prechecked, or admit turned some away: check it all here.
		applied, errs = applyBatch(es.rec, bs)
	}
	if es.pre.Load() == nil {
		es.pre.Store(es.rec.Prechecker())
	}
	n.m.apply.Observe(time.Since(start).Seconds())

	var items []store.Item
	var passed []int
	for i, err := range errs {
		if err == nil {
			items = append(items, store.Item{ID: todo[i].id, Type: applied[i].Type, Bytes: todo[i].entry})
			passed = append(passed, i)
		}
	}
	indexes := make([]uint64, len(todo))
	fresh := make([]bool, len(todo))
	if len(items) > 0 {
		n.appendLocked(es, items, passed, applied, errs, indexes, fresh)
	}
	for i, j := range todo {
		if errors.Is(errs[i], election.ErrDuplicate) {
			indexes[i], errs[i] = n.storedIndex(es, j)
		}
		j.finishIn(es.id, indexes[i], fresh[i], errs[i], before)
	}
}

// admit refuses, by node policy, a client's new ballots once the election
// is closed: the record still takes ballots then, since a replica may
// receive late the ones its peers held before the close. It returns the
// jobs left.
func (n *Node) admit(es *electionState, jobs []*job) []*job {
	if !es.closed {
		return jobs
	}
	todo := jobs[:0:0]
	for _, j := range jobs {
		if j.src == sourceHTTP && (j.typ == election.TypeBallot || j.typ == election.TypeSpoiled) && !es.rec.Has(j.id) {
			j.finish(es.id, 0, false, &election.CheckError{Check: election.CheckPhase, Entry: j.id, Type: j.typ, Err: errVotingClosed})
			continue
		}
		todo = append(todo, j)
	}
	return todo
}

// appendLocked stores the entries that passed (items, at positions passed
// of the batch) and fills in their indexes; on failure it sets their
// errors and rebuilds the record, which is then ahead of the store.
// Callers hold es.mu.
func (n *Node) appendLocked(es *electionState, items []store.Item, passed []int, applied []*election.Entry,
	errs []error, indexes []uint64, fresh []bool) {
	start := time.Now()
	// Not the callers' contexts: the batch serves many, and once the record
	// holds the entries they must reach the store.
	res, err := n.store.Append(context.Background(), es.id, items)
	n.m.append.Observe(time.Since(start).Seconds())
	if err != nil {
		n.log.Error("append failed", "election", es.id, "entries", len(items), "err", err)
		for _, i := range passed {
			errs[i] = fmt.Errorf("node: storing the entry: %w", err)
		}
		n.rebuildLocked(es)
		return
	}
	for k, i := range passed {
		indexes[i] = res[k].Index
		if res[k].Existing {
			errs[i] = duplicateError(items[k].ID, items[k].Type)
			continue
		}
		fresh[i] = true
		es.size.Store(max(es.size.Load(), res[k].Index+1))
		n.applied(es, applied[i])
	}
	n.checkpointAfterAppend(es)
}

// applied notes what a stored entry changes for the node: the close entry
// starts sealing, the node's own seal ends it. Callers hold es.mu.
func (n *Node) applied(es *electionState, e *election.Entry) {
	switch {
	case e.Type == election.TypeClose:
		es.closed = true
		n.log.Info("election closed", "election", es.id)
		n.maybeSealLocked(es)
	case n.isOwnSeal(e):
		es.sealed = true
	}
}

// storedIndex returns the log index of a duplicate.
func (n *Node) storedIndex(es *electionState, j *job) (uint64, error) {
	st, err := n.store.Entry(context.Background(), es.id, j.id)
	if err != nil {
		return 0, fmt.Errorf("node: finding the stored copy of %s: %w", j.id, err)
	}
	return st.Index, duplicateError(j.id, j.typ)
}
