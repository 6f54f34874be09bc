package node

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election"
)

// source is where an entry came from; it decides what happens after it is
// stored (receipt, publication) and labels the metrics.
type source int

const (
	sourceHTTP source = iota + 1 // a client; published to gossip once stored
	sourcePeer                   // gossip or pull-sync; gossipsub forwards it itself
	sourceSelf                   // this node's own seal; published once stored
)

func (s source) String() string {
	switch s {
	case sourceHTTP:
		return "http"
	case sourcePeer:
		return "peer"
	case sourceSelf:
		return "self"
	}
	return "unknown"
}

// outcome is what the ingest path did with one entry.
type outcome struct {
	el, id election.ID
	typ    election.EntryType
	index  uint64 // log index, when err is nil or a duplicate
	fresh  bool   // stored by this call (not a duplicate)
	err    error
	// before is the record's phase when the batch that checked the entry
	// began (0 if no batch did).
	before election.Phase
}

// entryHeader is the size of an entry's version, type and election fields,
// which route it before it is decoded.
const entryHeader = 2 + 1 + election.IDSize

// Submit implements bulletin.Board: the ingest path for a client's entry.
// A new entry is published to the election's gossip topic once it is
// durable.
func (n *Node) Submit(ctx context.Context, b []byte) (*bulletin.Receipt, error) {
	o := n.ingest(ctx, sourceHTTP, b)
	dup := errors.Is(o.err, election.ErrDuplicate)
	if o.err != nil && !dup {
		return nil, o.err
	}
	if o.fresh && o.typ != election.TypeManifest {
		n.publish(ctx, o.el, b)
	}
	return n.receipt(o.el, o.id, o.index), o.err
}

// ingest routes an entry by its header: a manifest starts an election, any
// other entry goes to the election it names.
func (n *Node) ingest(ctx context.Context, src source, b []byte) outcome {
	id := election.ID(sha256.Sum256(b))
	if len(b) < entryHeader {
		o := outcome{id: id, err: &election.CheckError{Check: election.CheckEncoding, Entry: id,
			Err: fmt.Errorf("%w: %d bytes, shorter than an entry's header", election.ErrEncoding, len(b))}}
		n.count(src, o)
		return o
	}
	typ := election.EntryType(b[2])
	if typ == election.TypeManifest {
		o := n.startElection(ctx, b, id)
		n.count(src, o)
		return o
	}
	el := election.ID(b[3:entryHeader])
	es := n.election(el)
	if es == nil {
		o := outcome{el: el, id: id, typ: typ, err: fmt.Errorf("%s entry %s for election %s: %w", typ, id, el, bulletin.ErrUnknownElection)}
		n.count(src, o)
		return o
	}
	return n.ingestID(ctx, es, src, b, id)
}

// ingestTo runs an entry of election es through its queue, unless the log
// holds it already.
func (n *Node) ingestTo(ctx context.Context, es *electionState, src source, b []byte) outcome {
	return n.ingestID(ctx, es, src, b, sha256.Sum256(b))
}

// ingestID is ingestTo for an entry whose id, SHA-256 of b, is known.
func (n *Node) ingestID(ctx context.Context, es *electionState, src source, b []byte, id election.ID) outcome {
	o := n.enqueue(ctx, es, src, b, id)
	n.count(src, o)
	return o
}

func (n *Node) enqueue(ctx context.Context, es *electionState, src source, b []byte, id election.ID) outcome {
	var typ election.EntryType
	if len(b) > 2 {
		typ = election.EntryType(b[2])
	}
	if typ == election.TypeManifest {
		// Only the election's own manifest can be on its topic, and it is
		// the first entry of every log.
		if id == es.id {
			return outcome{el: es.id, id: id, typ: typ, err: duplicateError(id, typ)}
		}
		return outcome{el: es.id, id: id, typ: typ, err: &election.CheckError{Check: election.CheckElection, Entry: id, Type: typ,
			Err: fmt.Errorf("a manifest entry of another election (%s) in election %s", id, es.id)}}
	}
	if st, err := n.store.Entry(ctx, es.id, id); err == nil {
		return outcome{el: es.id, id: id, typ: typ, index: st.Index, err: duplicateError(id, typ)}
	}
	j := &job{src: src, entry: b, id: id, typ: typ, done: make(chan outcome, 1)}
	select {
	case es.queue <- j:
	case <-ctx.Done():
		return outcome{el: es.id, id: id, typ: typ, err: ctx.Err()}
	case <-n.stopping:
		return outcome{el: es.id, id: id, typ: typ, err: errClosed}
	}
	select {
	case o := <-j.done:
		return o
	case <-ctx.Done():
		// The worker will still decide on the entry; a client that asks
		// again gets the stored copy's receipt.
		return outcome{el: es.id, id: id, typ: typ, err: ctx.Err()}
	case <-n.stopping:
		select {
		case o := <-j.done:
			return o
		default:
			return outcome{el: es.id, id: id, typ: typ, err: errClosed}
		}
	}
}

// duplicateError is the error of an entry the election already holds.
func duplicateError(id election.ID, typ election.EntryType) error {
	return &election.CheckError{Check: election.CheckDuplicate, Entry: id, Type: typ,
		Err: fmt.Errorf("%w: %s", election.ErrDuplicate, id)}
}

// count records an outcome in the metrics.
func (n *Node) count(src source, o outcome) {
	var ce *election.CheckError
	result := resultRejected
	switch {
	case o.err == nil:
		result = resultAccepted
	case errors.Is(o.err, election.ErrDuplicate):
		result = resultDuplicate
	case errors.Is(o.err, election.ErrTooEarly):
		result = resultEarly
	case errors.As(o.err, &ce):
		n.m.rejected(ce.Check)
	default:
		n.m.rejected(0)
	}
	n.m.entries.WithLabelValues(src.String(), result).Inc()
}

// publish gossips a stored entry to its election's peers. Failure is not
// the client's problem: peers pull what gossip missed.
func (n *Node) publish(ctx context.Context, el election.ID, b []byte) {
	es := n.election(el)
	if es == nil {
		return
	}
	t := es.topic.Load()
	if t == nil {
		return
	}
	if err := t.Publish(ctx, b); err != nil {
		n.log.Debug("publishing entry", "election", el, "err", err)
	}
}

// receipt returns the node's signed receipt for an entry held at index.
func (n *Node) receipt(el, id election.ID, index uint64) *bulletin.Receipt {
	r := &bulletin.Receipt{Election: el, Entry: id, Index: index, Time: n.now().Unix()}
	signReceipt(r, n.key)
	return r
}
