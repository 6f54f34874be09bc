package node

import (
	"context"
	"fmt"
	"time"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
)

// checkpoint returns the latest checkpoint the node signed for es.
func (es *electionState) checkpoint() *bulletin.Checkpoint {
	es.ckptMu.Lock()
	defer es.ckptMu.Unlock()
	return es.ckpt
}

// signCheckpoint signs a checkpoint of es's log as the store holds it now.
// Two signers racing keep the larger one: a log only grows.
func (n *Node) signCheckpoint(ctx context.Context, es *electionState) error {
	size, root, err := n.store.Head(ctx, es.id)
	if err != nil {
		return fmt.Errorf("node: checkpoint of %s: %w", es.id, err)
	}
	cp, err := tlog.SignCheckpoint(es.id, size, root, n.signer)
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	es.ckptMu.Lock()
	defer es.ckptMu.Unlock()
	if es.ckpt != nil && es.ckpt.Size > cp.Size {
		return nil
	}
	es.ckpt, es.signedAt = cp, n.now()
	es.dirty = es.size.Load() > size
	n.m.ckptSize.WithLabelValues(es.id.String()).Set(float64(size))
	return nil
}

// checkpointAfterAppend signs a checkpoint at once if the last one is at
// least CheckpointInterval old, and otherwise leaves it to checkpointLoop.
func (n *Node) checkpointAfterAppend(es *electionState) {
	es.ckptMu.Lock()
	due := n.now().Sub(es.signedAt) >= n.cfg.CheckpointInterval
	es.dirty = true
	es.ckptMu.Unlock()
	if due {
		if err := n.signCheckpoint(context.Background(), es); err != nil {
			n.log.Error("signing checkpoint", "election", es.id, "err", err)
		}
	}
}

// checkpointLoop signs the checkpoints that appends left for later, once
// their interval has passed.
func (n *Node) checkpointLoop(ctx context.Context) {
	tick := time.NewTicker(max(n.cfg.CheckpointInterval/2, time.Millisecond))
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			for _, es := range n.electionList() {
				es.ckptMu.Lock()
				due := es.dirty && n.now().Sub(es.signedAt) >= n.cfg.CheckpointInterval
				es.ckptMu.Unlock()
				if due {
					if err := n.signCheckpoint(ctx, es); err != nil {
						n.log.Error("signing checkpoint", "election", es.id, "err", err)
					}
				}
			}
		}
	}
}

// signDirty signs a last checkpoint of every election appended to since
// its latest, so that what the node served last covers its whole log.
func (n *Node) signDirty() {
	for _, es := range n.electionList() {
		es.ckptMu.Lock()
		dirty := es.dirty
		es.ckptMu.Unlock()
		if dirty {
			if err := n.signCheckpoint(context.Background(), es); err != nil {
				n.log.Error("signing checkpoint", "election", es.id, "err", err)
			}
		}
	}
}
