// Package p2p is the board's replication layer: a libp2p host that keeps a
// node connected to the other nodes of the manifest, gossips each
// election's entries, lets a node that was down or cut off catch up by
// pulling its peers' logs, and fetches peers' signed checkpoints.
//
// # Transport and gating
//
// New starts a host with the node's Ed25519 key as its libp2p identity,
// Noise security, TCP and QUIC transports and a resource manager with fixed
// limits. Replication peers are those Config.Allowed admits (by default
// exactly Config.Peers): the connection gater dials and accepts only them,
// unless Config.Readers lets anyone connect, and even then gossip (peer
// filter, RPC inspector, validator) and pull-sync (stream handler) serve
// and hear replication peers only. Replication peers' connections are
// protected from the connection manager's trimming. The host redials lost
// peers (Config.Peers and AddPeer) every Config.SyncInterval.
//
// # Gossip
//
// Join subscribes to an election's gossipsub topic, TopicName(el). Every
// entry a peer gossips goes through Handler.Validate — the node's full
// record check, which also stores the entry — and is forwarded only if it
// returns Accept: an invalid entry (Reject) is neither stored nor passed on,
// a duplicate (Ignore) is dropped quietly, and a too-early entry (Retry) is
// kept and offered again whenever another entry is accepted. A gossip
// message is the entry's canonical bytes and nothing else; its message id
// is the entry's id, SHA-256 of those bytes, so gossipsub itself drops
// copies. Topic.Publish gossips an entry the node has already stored.
//
// # Pull-sync
//
// SyncProtocol ("/evote/sync/1.0.0") asks a peer for its log of an election
// from an index on; the peer answers from its Source, at most 1024 entries
// or 16 MiB at a time, with its log's size. SyncOnce reads one peer's log
// up to its end through the same Handler.Validate, several entries at once;
// entries that come back Retry are offered again after each batch, since
// two nodes' logs hold the same set in different orders. The host runs
// SyncOnce for every joined election with every replication peer when the
// peer connects, when the election is joined, and every
// Config.SyncInterval. The read position in each peer's log is kept in
// memory; after a restart the node reads its peers' logs from the start
// and the entries it already holds come back Ignore.
//
// # Checkpoints
//
// CheckpointProtocol ("/evote/checkpoint/1.0.0") fetches a peer's latest
// signed checkpoint of an election from its CheckpointSource, as opaque
// bytes: FetchCheckpoint. Verifying it, checking consistency and keeping
// evidence are the node's job.
//
// # Wiring
//
//	h, err := p2p.New(ctx, p2p.Config{Key: nodeKey, ListenAddrs: addrs,
//		Peers: manifestNodes, Source: store, Checkpoints: tlog, Logger: log})
//	topic, err := h.Join(electionID, p2p.Handler{Validate: node.applyFromPeer})
//	...                              // on submission: check, store, then
//	topic.Publish(ctx, entryBytes)
//	note, err := h.FetchCheckpoint(ctx, peerID, electionID)
//	st, err := h.SyncOnce(ctx, peerID, electionID) // e.g. before sealing
//	defer h.Close()
//
// A node implements Source and CheckpointSource over its store and log,
// passes them in Config, and calls Join for each election it serves with a
// Handler whose Validate runs election.Record's check under the node's lock
// and stores the entry: Accept for a new entry, Ignore for
// election.ErrDuplicate and election.ErrTooLate (a peer that took a ballot
// before it saw the close entry is not faulty; the seals settle the final
// set), Retry for election.ErrTooEarly, Reject for every other failure.
// Entries clients submit over HTTP are checked and stored by
// the node, then passed to Topic.Publish. Host.Stats gives counters for the
// node's metrics; Config.Registerer takes libp2p's own.
package p2p
