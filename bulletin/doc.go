// Package bulletin is the bulletin board: a node that stores every election's
// entries in an append-only, Merkle-verifiable log on badger, replicates them
// over libp2p among the nodes the manifest lists, and serves them over HTTP.
//
// Subpackages, one job each:
//
//	store   badger storage: entries by election, log index, id and type; group commit
//	tlog    the RFC 6962 Merkle tree over a log, signed checkpoints, proofs
//	p2p     libp2p host, gossipsub per election, pull-sync, connection gating
//	api     the HTTP API (JSON) over a Board
//	client  the Go client of the HTTP API, used by every other command
//	node    wires them into `evote node run`
//
// Every entry is checked by election.Record — the same rules the observer's
// verifier replays — before it is stored or forwarded.
package bulletin

import (
	"context"
	"errors"

	"github.com/evote/evote/election"
)

// Errors a Board wraps so that its views (the HTTP API, pull-sync) can say
// what went wrong without parsing messages. A proof or page about indexes or
// sizes beyond the log wraps tlog.ErrOutOfRange.
var (
	// ErrUnknownElection: the node serves no election with this id.
	ErrUnknownElection = errors.New("unknown election")
	// ErrNotFound: the election has no such entry, or no checkpoint yet.
	ErrNotFound = errors.New("not found")
)

// Receipt is a node's signed promise that it holds an entry durably at a
// log index: a voter's evidence against a node that later drops the ballot.
type Receipt struct {
	Election  election.ID
	Entry     election.ID
	Index     uint64 // position in the node's log of that election
	Time      int64  // Unix seconds when it was stored
	Node      []byte // the node's Ed25519 public key
	Signature []byte // Ed25519 over the receipt's canonical encoding (docs/SPEC.md)
}

// Checkpoint is a signed statement of a log's size and root, in the C2SP
// tlog-checkpoint signed-note format.
type Checkpoint struct {
	Election election.ID
	Size     uint64
	Root     [32]byte
	Note     []byte // the signed note, as served
}

// Stored is an entry as a node keeps it.
type Stored struct {
	Index uint64
	ID    election.ID
	Type  election.EntryType
	Bytes []byte // the canonical entry
}

// Board is what a node offers its clients and its peers; the HTTP API and
// the pull-sync protocol are both views of it. Every method that takes an
// election id fails wrapping ErrUnknownElection when the node does not
// serve that election.
type Board interface {
	// Submit checks an entry with the election's record rules, stores it
	// durably and returns the node's receipt. Nothing is stored on error.
	// A rule that fails is a *election.CheckError. A duplicate returns the
	// receipt of the stored copy together with an error wrapping
	// election.ErrDuplicate, so that callers can tell it from a new entry
	// (the HTTP API answers 200 rather than 201); an entry for an election
	// the node does not serve wraps ErrUnknownElection.
	Submit(ctx context.Context, entry []byte) (*Receipt, error)
	// Entries lists an election's entries from log index from, at most
	// limit, of one type or of every type when typ is 0.
	Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) ([]Stored, error)
	// Entry returns one entry by id, or an error wrapping ErrNotFound.
	Entry(ctx context.Context, el election.ID, id election.ID) (*Stored, error)
	// Checkpoint returns the latest signed checkpoint of an election's log.
	Checkpoint(ctx context.Context, el election.ID) (*Checkpoint, error)
	// InclusionProof proves that the entry at index is in the tree of size.
	InclusionProof(ctx context.Context, el election.ID, index, size uint64) ([][32]byte, error)
	// ConsistencyProof proves that the tree of size1 is a prefix of size2.
	ConsistencyProof(ctx context.Context, el election.ID, size1, size2 uint64) ([][32]byte, error)
	// Elections lists the elections the node serves.
	Elections(ctx context.Context) ([]election.ID, error)
}
