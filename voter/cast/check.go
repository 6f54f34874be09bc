package cast

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Report is the outcome of Check: what each node proves about a voter's
// entry, and after the close whether the sealed ballot set holds it.
type Report struct {
	Tracker election.ID
	Type    election.EntryType
	// Receipt is nil when the receipt is signed by a node of the manifest
	// (or there is none because the entry was queued), else why not.
	Receipt error
	// Nodes holds one answer per node asked, in the order of the board's
	// URLs.
	Nodes []NodeCheck
	// Closed says whether voting has closed.
	Closed bool
	// Sealed is the check against the sealed ballot set; nil before a
	// quorum of nodes has sealed, or for a spoiled entry (never in the set).
	Sealed *SealCheck
}

// NodeCheck is one node's proof that it holds the entry.
type NodeCheck struct {
	URL string
	// Name is the manifest's name of the node whose key signed the node's
	// checkpoint; empty when no key of the manifest did.
	Name string
	// Index is where the node's log holds the entry; Size the size of the
	// signed checkpoint the inclusion proof is against.
	Index, Size uint64
	// Err is nil when the inclusion proof verified against the signed
	// checkpoint; otherwise why the node proved nothing.
	Err error
}

// SealCheck is a check of the entry against the ballot set that a quorum of
// nodes sealed after the close.
type SealCheck struct {
	// Count and Ballots are the sealed set: its size and BallotSetHash.
	Count   uint64
	Ballots [32]byte
	// Nodes are the names of the nodes whose seals agree on it.
	Nodes []string
	// InSet says the ballot is in the sealed set: the ballots a node
	// served hash to the sealed set, and the ballot is one of them.
	InSet bool
	// Counted says the last-ballot rule counts it; when it does not,
	// Superseded is the ballot that replaced it and Reason why.
	Counted    bool
	Superseded election.ID
	Reason     error
	// Proofs maps a sealing node's name to the check of the ballot's
	// inclusion proof against the checkpoint in that node's seal (nil: it
	// verified).
	Proofs map[string]error
	// Err is set when the set could not be checked at all.
	Err error
}

// ErrNotCovered is wrapped by a NodeCheck whose node's latest checkpoint
// does not reach the entry yet: nodes sign a checkpoint at most once a
// second or so, so a check right after casting may need a moment.
var ErrNotCovered = errors.New("the node's latest signed checkpoint does not cover the entry yet")

// OnBoard reports whether at least one node proved, against a checkpoint it
// signed, that its log holds the entry.
func (r *Report) OnBoard() bool {
	return slices.ContainsFunc(r.Nodes, func(n NodeCheck) bool { return n.Err == nil })
}

// Check fetches, from every node of the board's client, an inclusion proof
// of the receipt's entry against that node's latest signed checkpoint, and
// after the close checks the entry against the ballot set that a quorum of
// nodes sealed. It waits up to wait for checkpoints that do not cover the
// entry yet. Errors about single nodes go into the Report; Check fails only
// when it cannot check anything.
func (e *Election) Check(ctx context.Context, r *Receipt, wait time.Duration) (*Report, error) {
	if r.Election != e.ID {
		return nil, fmt.Errorf("the receipt is for election %s, not %s", short(r.Election), short(e.ID))
	}
	rep := &Report{Tracker: r.Tracker, Type: r.Type}
	if r.Node != nil {
		_, rep.Receipt = e.verifyReceipt(r.Node)
	}
	entry := r.Entry
	if len(entry) == 0 {
		st, err := e.board.Entry(ctx, e.ID, r.Tracker)
		if err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("fetching entry %s: %w", short(r.Tracker), boardError(err))
		}
		if err == nil {
			entry = st.Bytes
		}
	}
	promised := r.Node
	if rep.Receipt != nil {
		promised = nil // a receipt that does not verify promises nothing
	}
	for _, nc := range e.board.Nodes() {
		rep.Nodes = append(rep.Nodes, e.checkNode(ctx, nc, r.Tracker, promised, entry, wait))
	}
	closed, err := hasClose(ctx, e.board, e.ID, e.Manifest.Commission)
	if err != nil {
		return nil, err
	}
	rep.Closed = closed || e.closed
	if rep.Closed && r.Type == election.TypeBallot && len(entry) > 0 {
		rep.Sealed = e.checkSealed(ctx, r.Tracker, entry, rep.Nodes)
	}
	return rep, nil
}

// checkNode asks one node for its proof.
// promised is the node's verified receipt, or nil.
func (e *Election) checkNode(ctx context.Context, nc *client.Client, tracker election.ID, promised *bulletin.Receipt, entry []byte, wait time.Duration) NodeCheck {
	out := NodeCheck{URL: nc.URLs()[0]}
	if len(entry) == 0 {
		out.Err = errors.New("no node holds the entry")
		return out
	}
	n, cp, err := e.identify(ctx, nc)
	if err != nil {
		out.Err = err
		return out
	}
	out.Name = n.Name
	st, err := nc.Entry(ctx, e.ID, tracker)
	if err != nil {
		if isNotFound(err) {
			err = errors.New("the node does not hold the entry")
		}
		out.Err = boardError(err)
		return out
	}
	out.Index = st.Index
	if promised != nil && n.SigningKey.Equal(ed25519.PublicKey(promised.Node)) && st.Index != promised.Index {
		out.Err = fmt.Errorf("the node holds the entry at index %d but its receipt promised index %d: the receipt is evidence against it", st.Index, promised.Index)
		return out
	}
	cp, err = waitCovered(ctx, nc, e.ID, n, cp, st.Index, wait)
	if cp != nil {
		out.Size = cp.Size
	}
	if err != nil {
		out.Err = err
		return out
	}
	out.Err = nc.VerifyInclusion(ctx, cp, st.Index, entry)
	return out
}

// identify finds which node of the manifest nc is, by the key that signed
// its checkpoint: the node whose URL the manifest lists first, then the
// others.
func (e *Election) identify(ctx context.Context, nc *client.Client) (*election.Node, *bulletin.Checkpoint, error) {
	url := strings.TrimRight(nc.URLs()[0], "/")
	order := make([]*election.Node, 0, len(e.Manifest.Nodes))
	for i := range e.Manifest.Nodes {
		n := &e.Manifest.Nodes[i]
		if strings.TrimRight(n.HTTP, "/") == url {
			order = slices.Insert(order, 0, n)
		} else {
			order = append(order, n)
		}
	}
	var firstErr error
	for _, n := range order {
		v, err := tlog.NewVerifier(n.SigningKey)
		if err != nil {
			return nil, nil, err
		}
		cp, err := nc.Checkpoint(ctx, e.ID, v)
		if err == nil {
			return n, cp, nil
		}
		if firstErr == nil {
			firstErr = err
		}
		if !errors.Is(err, client.ErrBadAnswer) {
			break // unreachable or refusing: another key will not help
		}
	}
	return nil, nil, fmt.Errorf("no checkpoint signed by a node of the election: %w", boardError(firstErr))
}

// waitCovered returns a checkpoint of node n that covers index, polling for
// up to wait.
func waitCovered(ctx context.Context, nc *client.Client, el election.ID, n *election.Node, cp *bulletin.Checkpoint, index uint64, wait time.Duration) (*bulletin.Checkpoint, error) {
	if cp.Size > index {
		return cp, nil
	}
	v, err := tlog.NewVerifier(n.SigningKey)
	if err != nil {
		return cp, err
	}
	deadline := time.Now().Add(wait)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		select {
		case <-ctx.Done():
			return cp, ctx.Err()
		case <-tick.C:
		}
		next, err := nc.Checkpoint(ctx, el, v)
		if err != nil {
			return cp, boardError(err)
		}
		if next.Size > index {
			return next, nil
		}
	}
	return cp, fmt.Errorf("%w (size %d, entry at index %d): check again in a moment", ErrNotCovered, cp.Size, index)
}
