// Package node is a bulletin-board node: it wires the store
// (bulletin/store), the log and its checkpoints (bulletin/tlog), the libp2p
// replication (bulletin/p2p) and the HTTP API (bulletin/api) into one
// process that serves many elections. `evote node run` runs one;
// docs/NODE.md is the operator's guide.
//
// # Elections
//
// An election starts on a node when its manifest entry is submitted over
// HTTP: the node checks it (election.NewRecord), stores it, and joins the
// election's gossip topic. The manifest's nodes become replication peers
// for that election: the p2p host dials them and hears their gossip and
// pull-sync; every other peer is at most a reader. A node forwards a new
// manifest to every manifest node that says it does not know the election,
// so the commission needs to reach one node only. On restart the node
// rebuilds each election's election.Record by replaying its stored log in
// log order.
//
// # One ingest path
//
// Entries from clients (HTTP), from peers (gossip and pull-sync) and the
// node's own seals all enter through one path. An entry whose id the log
// already holds is answered from the store at once. Any other goes to its
// election's queue, where one worker takes every entry waiting, checks them
// together against the election's Record (the same rules the verifier
// replays; election.Record.ApplyBytesBatch verifies the ballots in one
// batch), and appends those that pass to the store in one group commit.
// Only then, with the entries durable, are the callers answered: a client
// gets a receipt signed by the node (docs/SPEC.md §8.1) and its entry is
// published to gossip; an entry that came by gossip is forwarded by
// gossipsub itself, and one that came by pull-sync is not republished (the
// other peers pull it the same way). The worker holds the election's lock
// from the check to the append, so the log order is the order in which the
// Record accepted the entries and a restart replays it without error.
//
// A duplicate gets the receipt of the stored copy; an entry that is too
// early (election.ErrTooEarly) is refused with 409 over HTTP and kept for a
// later retry when it came from a peer. After the close entry the node takes
// no new ballots from clients (it keeps taking those its peers held before
// the close).
//
// Entries from peers reach the node out of their log order: gossip keeps
// none, and pull-sync checks a page's entries concurrently. So a batch
// that starts with a peer's entry waits a moment for the rest of the page,
// and every batch is checked in causal order (causalRank: the credential
// list and the key ceremony before the open entry, ballots before the
// close, seals before partial decryptions). Two record checks that do not
// say ErrTooEarly when an earlier entry is missing — the open entry's key
// ceremony outcome (check 35) and a ballot's author during setup (check
// 22) — are retried rather than rejected when a peer's entry fails them.
//
// # Checkpoints and evidence
//
// After appends the node signs a new checkpoint of the election's log, at
// most once per Config.CheckpointInterval, and serves the latest one over
// HTTP and the p2p checkpoint protocol. Every Config.AuditInterval it
// fetches each manifest node's latest checkpoint, checks its signature with
// the manifest's key, and checks it against the one it kept from that node
// before, with a consistency proof fetched from the node's HTTP API. A pair
// that is not consistent is kept, in badger beside the store, as
// tlog.Evidence and served at GET /v1/evidence.
//
// # Closing
//
// When a node listed in the manifest applies the close entry, it pulls the
// election once from each reachable manifest node, then posts its own seal
// entry (election.Seal over the ballot set it holds, at its log's current
// size and root) through the same ingest path, so that the seal is
// gossiped; the Record decides when a quorum of seals agrees.
//
// # Shutdown
//
// Run returns once its context is done and everything has stopped, in this
// order: the background loops, the HTTP server (in-flight requests are
// answered), the p2p host, the election workers (queued entries are
// answered), and the store, whose every acknowledged entry is on disk.
package node
