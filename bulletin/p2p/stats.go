package p2p

import "sync/atomic"

// Stats counts what a host has done since it started, for a node's metrics.
type Stats struct {
	GossipAccepted uint64 // entries from gossip that Validate accepted
	GossipIgnored  uint64 // entries from gossip that Validate ignored (duplicates)
	GossipRejected uint64 // entries from gossip that Validate rejected, or from a non-replication peer
	GossipEarly    uint64 // entries from gossip that were too early and kept for a retry
	OutsiderRPCs   uint64 // gossip RPCs from peers that are not replication peers, dropped unread
	SyncServed     uint64 // sync requests answered with entries
	SyncRefused    uint64 // sync requests refused: the asker is not a replication peer
}

// counters are a host's Stats as they are counted.
type counters struct {
	gossipAccepted, gossipIgnored, gossipRejected, gossipEarly atomic.Uint64
	outsiderRPCs, syncServed, syncRefused                      atomic.Uint64
}

// Stats returns the host's counts so far.
func (h *Host) Stats() Stats {
	c := &h.counts
	return Stats{
		GossipAccepted: c.gossipAccepted.Load(),
		GossipIgnored:  c.gossipIgnored.Load(),
		GossipRejected: c.gossipRejected.Load(),
		GossipEarly:    c.gossipEarly.Load(),
		OutsiderRPCs:   c.outsiderRPCs.Load(),
		SyncServed:     c.syncServed.Load(),
		SyncRefused:    c.syncRefused.Load(),
	}
}
