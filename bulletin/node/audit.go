package node

import (
	"context"
	"errors"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/bulletin/tlog"
)

// Results of checking one peer checkpoint, the "result" label of
// evote_node_peer_checkpoints_total.
const (
	auditConsistent   = "consistent"
	auditUnreachable  = "unreachable"
	auditBadSignature = "bad_signature"
	auditUnproven     = "unproven"
	auditInconsistent = "inconsistent"
)

// auditLoop checks the other manifest nodes' checkpoints every
// AuditInterval.
func (n *Node) auditLoop(ctx context.Context) {
	if n.cfg.AuditInterval < 0 {
		return
	}
	tick := time.NewTicker(n.cfg.AuditInterval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			n.auditAll(ctx)
		}
	}
}

// auditParallelism bounds the peers audited at once, so that unreachable
// ones (each costing up to peerTimeout) do not hold up a round.
const auditParallelism = 8

// auditAll checks every manifest node's checkpoint of every election.
func (n *Node) auditAll(ctx context.Context) {
	sem := make(chan struct{}, auditParallelism)
	var wg sync.WaitGroup
	for _, es := range n.electionList() {
		for _, mp := range es.peers {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				n.auditPeer(ctx, es, mp)
			}()
		}
	}
	wg.Wait()
}

// auditPeer fetches a peer's latest checkpoint of es, checks its signature
// with the manifest's key, and checks it against the last one kept from
// that peer: equal sizes must have equal roots, and a larger one must be
// proved consistent by the peer's own consistency proof (over HTTP). A
// pair that cannot be consistent is kept as evidence. A peer that does not
// know the election is sent the manifest.
func (n *Node) auditPeer(ctx context.Context, es *electionState, mp *manifestPeer) {
	fctx, cancel := context.WithTimeout(ctx, peerTimeout)
	defer cancel()
	note, err := n.host.FetchCheckpoint(fctx, mp.info.ID, es.id)
	if errors.Is(err, p2p.ErrNotFound) {
		n.announce(ctx, es, mp)
		return
	}
	if err != nil {
		n.m.audits.WithLabelValues(auditUnreachable).Inc()
		n.log.Debug("audit: no checkpoint from peer", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	v, err := tlog.NewVerifier(mp.node.SigningKey)
	if err != nil {
		n.log.Error("audit: manifest key", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	cp, err := tlog.ParseCheckpoint(note, v)
	if err == nil && cp.Election != es.id {
		err = errors.New("checkpoint of another election")
	}
	if err != nil {
		n.m.audits.WithLabelValues(auditBadSignature).Inc()
		n.log.Warn("audit: peer served a checkpoint that is not its own", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	n.m.lag.WithLabelValues(es.id.String(), mp.node.Name).Set(float64(cp.Size) - float64(es.size.Load()))
	n.compare(ctx, es, mp, cp, v)
}

// compare checks cp against the last checkpoint kept from the same peer
// and keeps the larger one once they are shown consistent.
func (n *Node) compare(ctx context.Context, es *electionState, mp *manifestPeer, cp *bulletin.Checkpoint, v note.Verifier) {
	prevNote, err := n.audit.peerCheckpoint(es.id, mp.node.SigningKey)
	if err != nil {
		n.log.Error("audit", "err", err)
		return
	}
	var prev *bulletin.Checkpoint
	if prevNote != nil {
		if prev, err = tlog.ParseCheckpoint(prevNote, v); err != nil {
			n.log.Error("audit: kept checkpoint no longer opens; replacing it", "election", es.id, "peer", mp.node.Name, "err", err)
			prev = nil
		}
	}
	if prev == nil {
		n.keepPeerCheckpoint(es, mp, cp)
		n.m.audits.WithLabelValues(auditConsistent).Inc()
		return
	}
	if prev.Size == cp.Size && prev.Root == cp.Root {
		n.m.audits.WithLabelValues(auditConsistent).Inc()
		return
	}
	var ev *tlog.Evidence
	if prev.Size == cp.Size {
		ev, err = tlog.CheckConsistent(prev, cp, nil)
	} else {
		ev, err = n.checkWithProof(ctx, mp, prev, cp)
	}
	if err != nil {
		n.m.audits.WithLabelValues(auditUnproven).Inc()
		n.log.Debug("audit: consistency not proven yet", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	if ev != nil {
		n.keepEvidence(es, mp, ev)
	} else {
		n.m.audits.WithLabelValues(auditConsistent).Inc()
	}
	if cp.Size > prev.Size {
		n.keepPeerCheckpoint(es, mp, cp)
	}
}

// checkWithProof asks the peer's HTTP API for the consistency proof
// between its two checkpoints and checks it.
func (n *Node) checkWithProof(ctx context.Context, mp *manifestPeer, a, b *bulletin.Checkpoint) (*tlog.Evidence, error) {
	c, err := n.httpClient(mp)
	if err != nil {
		return nil, err
	}
	return c.CheckConsistent(ctx, a, b)
}

func (n *Node) keepPeerCheckpoint(es *electionState, mp *manifestPeer, cp *bulletin.Checkpoint) {
	if err := n.audit.setPeerCheckpoint(es.id, mp.node.SigningKey, cp.Note); err != nil {
		n.log.Error("audit", "err", err)
	}
}

func (n *Node) keepEvidence(es *electionState, mp *manifestPeer, ev *tlog.Evidence) {
	n.m.audits.WithLabelValues(auditInconsistent).Inc()
	added, err := n.audit.addEvidence(mp.node.SigningKey, ev)
	if err != nil {
		n.log.Error("audit", "err", err)
		return
	}
	if added {
		n.m.evidence.Inc()
		n.log.Error("audit: peer equivocated; evidence kept", "election", es.id, "peer", mp.node.Name,
			"size_a", ev.A.Size, "size_b", ev.B.Size, "reason", ev.Reason)
	}
}

// announce sends the election's manifest to a manifest node that does not
// serve the election yet, over its HTTP API.
func (n *Node) announce(ctx context.Context, es *electionState, mp *manifestPeer) {
	first, err := n.store.EntryAt(ctx, es.id, 0)
	if err != nil {
		n.log.Error("announcing election", "election", es.id, "err", err)
		return
	}
	c, err := n.httpClient(mp)
	if err != nil {
		n.log.Debug("announcing election", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	if _, err := c.Submit(ctx, first.Bytes); err != nil {
		n.log.Warn("announcing election: peer refused the manifest", "election", es.id, "peer", mp.node.Name, "err", err)
		return
	}
	n.log.Info("announced election to peer", "election", es.id, "peer", mp.node.Name)
}
