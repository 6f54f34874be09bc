package node

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/election"
)

// isAllowed is the host's Config.Allowed: the configured peers and every
// node of every manifest the node serves. Each election then hears only
// its own manifest's nodes (validator).
func (n *Node) isAllowed(p peer.ID) bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.allowed[p]
}

// configPeers returns Config.Peers as the host takes them.
func (n *Node) configPeers() []peer.AddrInfo {
	out := make([]peer.AddrInfo, 0, len(n.cfg.Peers))
	for _, p := range n.cfg.Peers {
		out = append(out, peer.AddrInfo{ID: p.ID, Addrs: p.Addrs})
	}
	return out
}

// addPeer adds a node to Config.Peers while the node runs: it becomes a
// replication peer, is dialled, and its addresses and HTTP URL override a
// manifest's for elections that start from now on.
func (n *Node) addPeer(p Peer) {
	n.mu.Lock()
	n.book[p.ID] = p
	n.allowed[p.ID] = true
	n.mu.Unlock()
	n.host.AddPeer(peer.AddrInfo{ID: p.ID, Addrs: p.Addrs})
}

// manifestPeer is one node of a manifest as this node reaches it.
type manifestPeer struct {
	pos  int // position in the manifest's node list
	node *election.Node
	info peer.AddrInfo // the configured addresses if any, else the manifest's
	http string        // the configured HTTP URL if any, else the manifest's
}

// manifestPeers resolves a manifest's nodes, this node left out. A node
// whose peer id does not parse is skipped (the manifest's rules derive the
// peer id from the key, so this does not happen with a valid manifest).
func (n *Node) manifestPeers(m *election.Manifest) map[peer.ID]*manifestPeer {
	n.mu.RLock()
	defer n.mu.RUnlock()
	out := map[peer.ID]*manifestPeer{}
	for i := range m.Nodes {
		node := &m.Nodes[i]
		id, err := peer.Decode(node.PeerID)
		if err != nil {
			n.log.Warn("manifest node with a bad peer id", "node", node.Name, "err", err)
			continue
		}
		if id == n.self {
			continue
		}
		mp := &manifestPeer{pos: i, node: node, info: peer.AddrInfo{ID: id}, http: node.HTTP}
		if p, ok := n.book[id]; ok {
			mp.info.Addrs = p.Addrs
			if p.HTTP != "" {
				mp.http = p.HTTP
			}
		} else {
			for _, s := range node.Addrs {
				if a, err := multiaddr.NewMultiaddr(s); err == nil {
					mp.info.Addrs = append(mp.info.Addrs, a)
				}
			}
		}
		out[id] = mp
	}
	return out
}

// httpClient returns a client of a manifest peer's HTTP API.
func (n *Node) httpClient(mp *manifestPeer) (*client.Client, error) {
	return client.New([]string{mp.http}, client.Options{HTTPClient: n.httpc, Timeout: peerTimeout,
		UserAgent: "evote-node/" + n.self.String()})
}

// peerTimeout bounds one request to a peer, by HTTP or p2p.
const peerTimeout = 10 * time.Second

// join subscribes the host to an election and adds its manifest's nodes
// as peers to keep connected to.
func (n *Node) join(es *electionState) error {
	t, err := n.host.Join(es.id, p2p.Handler{Validate: n.validator(es)})
	if err != nil {
		return fmt.Errorf("node: election %s: %w", es.id, err)
	}
	es.topic.Store(t)
	for _, mp := range es.peers {
		n.host.AddPeer(mp.info)
	}
	return nil
}

// validator is an election's p2p Handler.Validate: the ingest path for
// entries from the election's manifest nodes.
func (n *Node) validator(es *electionState) func(ctx context.Context, from peer.ID, b []byte) p2p.Result {
	return func(ctx context.Context, from peer.ID, b []byte) p2p.Result {
		if _, ok := es.peers[from]; !ok {
			// A replication peer of another election: not a voice in this one.
			n.m.entries.WithLabelValues(sourcePeer.String(), resultRejected).Inc()
			return p2p.Reject
		}
		o := n.ingestTo(ctx, es, sourcePeer, b)
		var ce *election.CheckError
		switch {
		case o.err == nil:
			return p2p.Accept
		case errors.Is(o.err, election.ErrDuplicate), errors.Is(o.err, election.ErrTooLate):
			// Too late is not the peer's fault: it may have held the entry
			// in time while this node's record moved on.
			return p2p.Ignore
		case errors.Is(o.err, election.ErrTooEarly):
			return p2p.Retry
		case errors.As(o.err, &ce) && orderDependent(ce, o.before):
			return p2p.Retry
		case errors.As(o.err, &ce):
			n.log.Warn("entry from a peer rejected", "election", es.id, "peer", es.peers[from].node.Name, "err", o.err)
			return p2p.Reject
		default:
			// Our failure (storage, shutdown), not the entry's: offer it again.
			return p2p.Retry
		}
	}
}

// orderDependent reports whether a peer's entry may have failed only
// because entries before it in the peer's log have not reached this node
// yet: gossip does not keep the order, and pull-sync checks a page's
// entries concurrently. The record says so for most such cases
// (election.ErrTooEarly), but not for these two, which are retried rather
// than rejected for good:
//
//   - check 22 for a ballot or spoiled ballot checked in a batch that began
//     during setup: its credential may be on a part of the credential list
//     that had not arrived;
//   - check 35 for the open entry: a dealing, complaint or reveal that the
//     commission's outcome counts may not have arrived.
//
// A peer that serves such an entry and never the ones it needs costs this
// node a retry slot and a re-read of its log from that entry on each sync,
// not a wrong record.
func orderDependent(ce *election.CheckError, before election.Phase) bool {
	switch ce.Check {
	case election.CheckOpenCeremony:
		return true
	case election.CheckAuthor:
		return (ce.Type == election.TypeBallot || ce.Type == election.TypeSpoiled) && before == election.PhaseSetup
	}
	return false
}

// logSource serves the node's logs and checkpoints to its peers.
type logSource struct{ n *Node }

// Size implements p2p.Source.
func (s logSource) Size(el election.ID) uint64 {
	if es := s.n.election(el); es != nil {
		return es.size.Load()
	}
	return 0
}

// EntriesFrom implements p2p.Source.
func (s logSource) EntriesFrom(ctx context.Context, el election.ID, from uint64, limit int) ([][]byte, error) {
	page, err := s.n.store.Entries(ctx, el, 0, from, limit)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, len(page))
	for i := range page {
		out[i] = page[i].Bytes
	}
	return out, nil
}

// LatestCheckpoint implements p2p.CheckpointSource.
func (s logSource) LatestCheckpoint(_ context.Context, el election.ID) ([]byte, error) {
	es := s.n.election(el)
	if es == nil {
		return nil, nil
	}
	if cp := es.checkpoint(); cp != nil {
		return cp.Note, nil
	}
	return nil, nil
}
