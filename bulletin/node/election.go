package node

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/election"
)

// queueSize bounds the entries waiting for one election's worker; callers
// beyond it wait (backpressure on clients and peers).
const queueSize = 4096

// electionState is one election as the node serves it.
type electionState struct {
	id       election.ID
	manifest *election.Manifest
	peers    map[peer.ID]*manifestPeer // the other manifest nodes
	listed   bool                      // this node is one of the manifest's nodes
	queue    chan *job
	topic    atomic.Pointer[p2p.Topic]
	size     atomic.Uint64 // entries durable in the store

	// mu is held by the worker from the record check to the append, so the
	// record and the stored log always hold the same entries in the same
	// order outside it.
	mu      sync.Mutex
	rec     *election.Record
	closed  bool  // the close entry is applied
	sealed  bool  // the log holds this node's seal
	sealing bool  // a sealer is running
	broken  error // the record could not be rebuilt from the log; also in health

	health atomic.Pointer[error] // broken, for readers that must not wait for mu

	// pre is rec's Prechecker once rec is open: the worker's first stage
	// prechecks the next batch with it while the second holds mu.
	pre atomic.Pointer[election.Prechecker]

	ckptMu   sync.Mutex
	ckpt     *bulletin.Checkpoint // the latest signed
	signedAt time.Time
	dirty    bool // entries appended since ckpt
}

func (n *Node) newElectionState(rec *election.Record) *electionState {
	m := rec.Manifest()
	es := &electionState{
		id:       rec.ID(),
		manifest: m,
		peers:    n.manifestPeers(m),
		queue:    make(chan *job, queueSize),
		rec:      rec,
	}
	es.pre.Store(rec.Prechecker())
	for _, node := range m.Nodes {
		if bytes.Equal(node.SigningKey, n.pub) {
			es.listed = true
		}
	}
	return es
}

// addElection makes es served: its peers allowed, its worker started, its
// topic joined (once the host runs) and its first checkpoint signed.
func (n *Node) addElection(es *electionState) error {
	n.mu.Lock()
	n.elections[es.id] = es
	for id := range es.peers {
		n.allowed[id] = true
	}
	n.mu.Unlock()
	n.workers.Add(1)
	go n.work(es)
	// Not a client's context: the election is served from now on.
	if err := n.signCheckpoint(context.Background(), es); err != nil {
		return err
	}
	if n.host != nil {
		return n.join(es)
	}
	return nil
}

// startElection is the ingest path of a manifest entry: a new election
// starts once its manifest is checked and durable.
func (n *Node) startElection(ctx context.Context, b []byte, id election.ID) outcome {
	n.startMu.Lock()
	defer n.startMu.Unlock()
	o := outcome{el: id, id: id, typ: election.TypeManifest}
	if n.election(id) != nil {
		o.err = duplicateError(id, election.TypeManifest)
		return o
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		check := election.CheckEncoding
		if errors.Is(err, election.ErrVersion) {
			check = election.CheckVersion
		}
		o.err = &election.CheckError{Check: check, Entry: id, Type: election.TypeManifest, Err: err}
		return o
	}
	if !n.servesCommission(e.Author) {
		o.err = fmt.Errorf("manifest %s is signed by commission key %x, which this node does not serve: %w",
			id, []byte(e.Author), bulletin.ErrUnknownElection)
		return o
	}
	rec, err := n.newRecord(e, id)
	if err != nil {
		o.err = err
		return o
	}
	es := n.newElectionState(rec)
	res, err := n.store.Append(ctx, id, []store.Item{{ID: id, Type: election.TypeManifest, Bytes: b}})
	if err != nil {
		o.err = fmt.Errorf("node: storing manifest %s: %w", id, err)
		return o
	}
	es.size.Store(res[0].Index + 1)
	o.index, o.fresh = res[0].Index, true
	if err := n.addElection(es); err != nil {
		n.log.Error("starting election", "election", id, "err", err)
	}
	n.log.Info("election started", "election", id, "title", es.manifest.Title, "listed", es.listed,
		"nodes", len(es.manifest.Nodes))
	return o
}

// servesCommission reports whether Config.Commissions admits key.
func (n *Node) servesCommission(key []byte) bool {
	if len(n.cfg.Commissions) == 0 {
		return true
	}
	for _, k := range n.cfg.Commissions {
		if bytes.Equal(k, key) {
			return true
		}
	}
	return false
}

// loadElections rebuilds the record of every election in the store.
func (n *Node) loadElections(ctx context.Context) error {
	els, err := n.store.Elections(ctx)
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	for _, el := range els {
		start := time.Now()
		rec, st, err := n.replay(ctx, el)
		if err != nil {
			if rec == nil {
				return fmt.Errorf("node: election %s: %w", el, err)
			}
			n.log.Error("election's log does not replay; it is served read-only", "election", el, "err", err)
		}
		es := n.newElectionState(rec)
		es.setBroken(err)
		es.size.Store(st.size)
		es.closed, es.sealed = st.closed, st.sealed
		if err := n.addElection(es); err != nil {
			return err
		}
		n.log.Info("election loaded", "election", el, "entries", st.size, "phase", rec.Phase(), "took", time.Since(start))
	}
	return nil
}

// replayed is what replaying a log learns beside the record.
type replayed struct {
	size           uint64
	closed, sealed bool
}

// replay rebuilds election el's record from its stored log, in log order.
// It returns a nil record only when the log does not start with a valid
// manifest; otherwise an error says which stored entry the record
// refused, and the record holds the entries before it.
func (n *Node) replay(ctx context.Context, el election.ID) (*election.Record, replayed, error) {
	var st replayed
	first, err := n.store.EntryAt(ctx, el, 0)
	if err != nil {
		return nil, st, err
	}
	e, err := election.DecodeEntry(first.Bytes)
	if err != nil {
		return nil, st, fmt.Errorf("stored manifest: %w", err)
	}
	rec, err := n.newRecord(e, el)
	if err != nil {
		return nil, st, fmt.Errorf("stored manifest: %w", err)
	}
	st.size = 1
	const page = 1024
	for from := uint64(1); ; {
		entries, err := n.store.Entries(ctx, el, 0, from, page)
		if err != nil {
			return rec, st, err
		}
		bs := make([][]byte, len(entries))
		for i := range entries {
			bs[i] = entries[i].Bytes
		}
		var applied []*election.Entry
		var errs []error
		if p := rec.Prechecker(); p != nil {
			// The node checked every stored entry in full before storing
			// it; its signatures and proofs are not verified again.
			applied, errs = rec.ApplyBytesPrechecked(p.TrustStored(bs))
		} else {
			applied, errs = applyBatch(rec, bs)
		}
		for i, err := range errs {
			if err != nil {
				return rec, st, fmt.Errorf("stored entry %d (%s): %w", entries[i].Index, entries[i].ID, err)
			}
			st.closed = st.closed || applied[i].Type == election.TypeClose
			st.sealed = st.sealed || n.isOwnSeal(applied[i])
			st.size++
		}
		if len(entries) < page {
			return rec, st, nil
		}
		from = entries[len(entries)-1].Index + 1
	}
}

// newRecord returns the record of the election of manifest entry e (id
// el). It keeps running sums of the counted ballots rather than every
// ballot's ciphertexts, so that a node's memory does not grow with the
// ballots' size; the few ballots a revote supersedes are read back from
// the store at the seal quorum.
func (n *Node) newRecord(e *election.Entry, el election.ID) (*election.Record, error) {
	rec, err := election.NewRecord(e)
	if err != nil {
		return nil, err
	}
	rec.StreamBallots(func(ids []election.ID) (map[election.ID][]byte, error) {
		out := make(map[election.ID][]byte, len(ids))
		for _, id := range ids {
			st, err := n.store.Entry(context.Background(), el, id)
			if err != nil {
				return nil, fmt.Errorf("reading superseded ballot %s: %w", id, err)
			}
			out[id] = st.Bytes
		}
		return out, nil
	})
	return rec, nil
}

// rebuildLocked replaces es's record by a replay of its stored log, after
// an append failed with the record ahead of the store. Callers hold es.mu.
func (n *Node) rebuildLocked(es *electionState) {
	rec, st, err := n.replay(context.Background(), es.id)
	if rec == nil || err != nil {
		es.setBroken(fmt.Errorf("rebuilding the record after a failed append: %w", err))
		n.log.Error("election broken", "election", es.id, "err", es.broken)
		return
	}
	es.rec, es.closed, es.sealed = rec, st.closed, st.sealed
	es.pre.Store(rec.Prechecker())
	es.size.Store(st.size)
}

// setBroken records that es's record cannot take entries (err != nil).
// Callers hold es.mu or own es alone.
func (es *electionState) setBroken(err error) {
	es.broken = err
	if err != nil {
		es.health.Store(&err)
	}
}

// isOwnSeal reports whether e is this node's seal.
func (n *Node) isOwnSeal(e *election.Entry) bool {
	return e.Type == election.TypeSeal && bytes.Equal(e.Author, n.pub)
}

// applyBatch checks entries, in order, against rec and adds each one that
// passes; applied[i] is the decoded entry when errs[i] is nil. Ballots are
// verified together (election.Record.ApplyBytesBatch): one batch of
// proofs, signatures on all cores.
func applyBatch(rec *election.Record, entries [][]byte) (applied []*election.Entry, errs []error) {
	return rec.ApplyBytesBatch(entries)
}
