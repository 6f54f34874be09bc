package node

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/evote/evote/election"
)

// maybeSeal starts the sealer of a closed election that this node must
// still seal.
func (n *Node) maybeSeal(es *electionState) {
	es.mu.Lock()
	defer es.mu.Unlock()
	n.maybeSealLocked(es)
}

// maybeSealLocked starts the sealer if es is closed, lists this node, has
// no seal of it yet and no sealer running; before the host runs (while
// loading), Run calls maybeSeal again later. Callers hold es.mu.
func (n *Node) maybeSealLocked(es *electionState) {
	if !es.closed || !es.listed || es.sealed || es.sealing || es.broken != nil || n.host == nil {
		return
	}
	es.sealing = true
	n.spawn(func(ctx context.Context) {
		defer func() {
			es.mu.Lock()
			es.sealing = false
			es.mu.Unlock()
		}()
		n.seal(ctx, es)
	})
}

// seal pulls the election once from each reachable manifest node, so that
// the node holds every ballot its peers took before the close, then posts
// its seal through the ingest path and publishes it.
func (n *Node) seal(ctx context.Context, es *electionState) {
	for _, mp := range es.peers {
		if ctx.Err() != nil {
			return
		}
		n.syncBeforeSeal(ctx, es, mp)
	}
	b, err := n.sealEntry(ctx, es)
	if err != nil || b == nil {
		if err != nil {
			n.log.Error("sealing", "election", es.id, "err", err)
		}
		return
	}
	o := n.ingestTo(ctx, es, sourceSelf, b)
	switch {
	case o.err == nil:
		// A checkpoint at once, not after CheckpointInterval: an observer
		// who reads the seal checks its tree against the node's latest
		// checkpoint, which must not be older than the seal.
		if err := n.signCheckpoint(ctx, es); err != nil {
			n.log.Error("signing checkpoint", "election", es.id, "err", err)
		}
		n.publish(ctx, es.id, b)
		n.log.Info("sealed", "election", es.id, "seal", o.id, "index", o.index)
	case errors.Is(o.err, election.ErrDuplicate):
	default:
		n.log.Error("sealing: the seal was refused", "election", es.id, "err", o.err)
	}
}

// sealSyncAttempts is how many times the node tries to pull from a
// reachable peer before it seals without that peer's log.
const sealSyncAttempts = 3

// syncBeforeSeal pulls es from one manifest node, connecting first if need
// be, within SealSyncTimeout; a node that cannot be reached is skipped, one
// whose sync fails is tried again a few times.
func (n *Node) syncBeforeSeal(ctx context.Context, es *electionState, mp *manifestPeer) {
	ctx, cancel := context.WithTimeout(ctx, n.cfg.SealSyncTimeout)
	defer cancel()
	id := mp.info.ID
	if !slices.Contains(n.host.ConnectedPeers(), id) {
		if err := n.host.Connect(ctx, mp.info); err != nil {
			n.log.Warn("sealing: peer unreachable, sealing without it", "election", es.id, "peer", mp.node.Name, "err", err)
			return
		}
	}
	for attempt := 1; ; attempt++ {
		st, err := n.host.SyncOnce(ctx, id, es.id)
		if err == nil {
			n.log.Info("sealing: synced", "election", es.id, "peer", mp.node.Name, "fetched", st.Fetched, "accepted", st.Accepted)
			return
		}
		if attempt == sealSyncAttempts || ctx.Err() != nil {
			n.log.Warn("sealing: sync failed, sealing without it", "election", es.id, "peer", mp.node.Name, "err", err)
			return
		}
		select {
		case <-time.After(time.Duration(attempt) * 200 * time.Millisecond):
		case <-ctx.Done():
		}
	}
}

// sealEntry returns this node's signed seal entry of the ballot set its
// record holds, at its log's current size and root; nil if it has sealed
// already. The record and the log agree while es.mu is held.
func (n *Node) sealEntry(ctx context.Context, es *electionState) ([]byte, error) {
	es.mu.Lock()
	defer es.mu.Unlock()
	if es.sealed {
		return nil, nil
	}
	size, root, err := n.store.Head(ctx, es.id)
	if err != nil {
		return nil, fmt.Errorf("node: sealing %s: %w", es.id, err)
	}
	seal := es.rec.NewSeal(size, root)
	e := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeSeal, Election: es.id, Payload: seal.Bytes()}
	e.Sign(n.key)
	n.log.Info("sealing", "election", es.id, "ballots", seal.Count, "tree_size", size)
	return e.Bytes(), nil
}
