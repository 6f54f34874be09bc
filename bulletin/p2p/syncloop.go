package p2p

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
)

// dialTimeout bounds one attempt to reach a replication peer.
const dialTimeout = 10 * time.Second

// worker is the one goroutine that syncs with a peer; again asks it for
// another round once the current one ends, so that kicks coalesce.
type worker struct {
	again bool
}

// syncLoop kicks every replication peer each SyncInterval and a peer as
// soon as it connects.
func (h *Host) syncLoop() {
	defer h.wg.Done()
	tick := time.NewTicker(h.every)
	defer tick.Stop()
	h.kickAll()
	for {
		select {
		case <-h.ctx.Done():
			return
		case <-tick.C:
			h.kickAll()
		case p := <-h.connected:
			h.mu.Lock()
			h.kickLocked(p)
			h.mu.Unlock()
		}
	}
}

// protectTag marks replication peers' connections in the connection
// manager, so that readers never push them out.
const protectTag = "evote-replication"

// onConnected is the network notifiee's hook. It must not block: it only
// passes the peer to syncLoop, if it runs, and a full queue is caught up by
// the tick.
func (h *Host) onConnected(_ network.Network, c network.Conn) {
	p := c.RemotePeer()
	if !h.isAllowed(p) {
		return
	}
	h.host.ConnManager().Protect(p, protectTag)
	if h.every < 0 {
		return
	}
	select {
	case h.connected <- p:
	default:
	}
}

// kickAll kicks the configured peers and every connected replication peer.
func (h *Host) kickAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, p := range h.peers {
		h.kickLocked(p.ID)
	}
	for _, p := range h.host.Network().Peers() {
		if h.isAllowed(p) {
			h.kickLocked(p)
		}
	}
}

// kickLocked starts a sync round with p, or asks the running one for
// another. Callers hold h.mu.
func (h *Host) kickLocked(p peer.ID) {
	if w := h.workers[p]; w != nil {
		w.again = true
		return
	}
	w := &worker{}
	if h.spawnLocked(func() { h.work(p, w) }) {
		h.workers[p] = w
	}
}

// work runs sync rounds with p until no kick asks for another.
func (h *Host) work(p peer.ID, w *worker) {
	for {
		h.syncPeer(p)
		h.mu.Lock()
		if !w.again || h.closed || h.ctx.Err() != nil {
			delete(h.workers, p)
			h.mu.Unlock()
			return
		}
		w.again = false
		h.mu.Unlock()
	}
}

// syncPeer connects to p if need be and pulls every joined election from
// it. Failures are logged: the next round tries again.
func (h *Host) syncPeer(p peer.ID) {
	if !h.isAllowed(p) {
		return
	}
	if h.host.Network().Connectedness(p) != network.Connected {
		if !h.redial(p) {
			return
		}
	}
	for _, el := range h.joined() {
		st, err := h.SyncOnce(h.ctx, p, el)
		if err != nil {
			if h.ctx.Err() == nil {
				h.log.Warn("sync failed", "election", el, "peer", p, "err", err)
			}
			continue
		}
		if st.Fetched > 0 {
			h.log.Debug("synced", "election", el, "peer", p, "fetched", st.Fetched,
				"accepted", st.Accepted, "rejected", st.Rejected, "early", st.Early, "peer_size", st.PeerSize)
		}
	}
}

// redial connects to p and reports whether it succeeded. The swarm's dial
// backoff is cleared first: the sync interval is this host's backoff, and
// a peer that was unreachable during a partition must be retried as soon
// as the next round comes.
func (h *Host) redial(p peer.ID) bool {
	if len(h.host.Peerstore().Addrs(p)) == 0 {
		return false
	}
	if sw, ok := h.host.Network().(*swarm.Swarm); ok {
		sw.Backoff().Clear(p)
	}
	ctx, cancel := context.WithTimeout(h.ctx, dialTimeout)
	defer cancel()
	if err := h.host.Connect(ctx, peer.AddrInfo{ID: p}); err != nil {
		if h.ctx.Err() == nil {
			h.log.Debug("redial failed", "peer", p, "err", err)
		}
		return false
	}
	return true
}
