package node

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
	"github.com/evote/evote/election/wire"
)

// auditDB keeps what the node learns of its peers' logs: the last
// checkpoint it verified from each peer for each election, and every pair
// of checkpoints that proves a peer equivocated. It is a small badger
// database of its own, beside the store, since the store holds only logs.
//
// Keys:
//
//	'c' el peer-key(32)     → the peer's latest verified signed note
//	'x' el SHA-256(record)  → an evidence record (encodeEvidence)
type auditDB struct {
	db *badger.DB
}

const (
	tablePeerCheckpoint = 'c'
	tableEvidence       = 'x'
)

func openAuditDB(dir string, log *slog.Logger) (*auditDB, error) {
	opts := badger.DefaultOptions(dir).
		WithSyncWrites(true).
		WithMemTableSize(4 << 20).
		WithValueThreshold(1 << 10).
		WithNumMemtables(1).
		WithNumLevelZeroTables(1).
		WithNumLevelZeroTablesStall(4).
		WithValueLogFileSize(16 << 20).
		WithCompression(options.None).
		WithBlockCacheSize(0).
		WithIndexCacheSize(0).
		WithNumCompactors(2).
		WithMetricsEnabled(false).
		WithLogger(nil)
	db, err := badger.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("audit database %s: %w", dir, err)
	}
	return &auditDB{db: db}, nil
}

func (a *auditDB) Close() error { return a.db.Close() }

func peerCheckpointKey(el election.ID, peerKey ed25519.PublicKey) []byte {
	k := append([]byte{tablePeerCheckpoint}, el[:]...)
	return append(k, peerKey...)
}

// peerCheckpoint returns the last checkpoint note verified from the peer
// with key peerKey for el, or nil.
func (a *auditDB) peerCheckpoint(el election.ID, peerKey ed25519.PublicKey) ([]byte, error) {
	var note []byte
	err := a.db.View(func(txn *badger.Txn) error {
		item, err := txn.Get(peerCheckpointKey(el, peerKey))
		if errors.Is(err, badger.ErrKeyNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		note, err = item.ValueCopy(nil)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("audit database: checkpoint of %x… for %x…: %w", peerKey[:4], el[:4], err)
	}
	return note, nil
}

func (a *auditDB) setPeerCheckpoint(el election.ID, peerKey ed25519.PublicKey, note []byte) error {
	err := a.db.Update(func(txn *badger.Txn) error {
		return txn.Set(peerCheckpointKey(el, peerKey), note)
	})
	if err != nil {
		return fmt.Errorf("audit database: keeping checkpoint of %x… for %x…: %w", peerKey[:4], el[:4], err)
	}
	return nil
}

// addEvidence keeps ev against the node with key peerKey; keeping the same
// evidence twice stores it once. It reports whether ev is new.
func (a *auditDB) addEvidence(peerKey ed25519.PublicKey, ev *tlog.Evidence) (bool, error) {
	rec := encodeEvidence(peerKey, ev)
	h := sha256.Sum256(rec)
	key := append(append([]byte{tableEvidence}, ev.A.Election[:]...), h[:]...)
	added := false
	err := a.db.Update(func(txn *badger.Txn) error {
		if _, err := txn.Get(key); err == nil {
			return nil
		} else if !errors.Is(err, badger.ErrKeyNotFound) {
			return err
		}
		added = true
		return txn.Set(key, rec)
	})
	if err != nil {
		return false, fmt.Errorf("audit database: keeping evidence: %w", err)
	}
	return added, nil
}

// evidence returns every evidence record kept, each re-opened with its
// node's key.
func (a *auditDB) evidence() ([]*tlog.Evidence, error) {
	var out []*tlog.Evidence
	err := a.db.View(func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{tableEvidence}, PrefetchValues: true})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			rec, err := it.Item().ValueCopy(nil)
			if err != nil {
				return err
			}
			ev, err := decodeEvidence(rec)
			if err != nil {
				return fmt.Errorf("evidence record %x: %w", it.Item().Key(), err)
			}
			out = append(out, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("audit database: reading evidence: %w", err)
	}
	return out, nil
}

// encodeEvidence is the stored form of evidence against a node:
//
//	32 node key ‖ str note A ‖ str note B ‖ u32 n ‖ n × 32 proof hash ‖ str reason
//
// The notes are kept as signed, so that the evidence is re-checked from
// them when it is read.
func encodeEvidence(peerKey ed25519.PublicKey, ev *tlog.Evidence) []byte {
	w := &wire.Writer{}
	w.Fixed(peerKey)
	w.Bytes32(ev.A.Note)
	w.Bytes32(ev.B.Note)
	w.Count(len(ev.Proof))
	for _, h := range ev.Proof {
		w.Fixed(h[:])
	}
	w.String(ev.Reason)
	return w.Bytes()
}

// maxEvidenceProof bounds a stored proof: a consistency proof in a tree of
// 2^64 leaves has at most 2·64 hashes.
const maxEvidenceProof = 128

func decodeEvidence(b []byte) (*tlog.Evidence, error) {
	r := wire.NewReader(b)
	key := ed25519.PublicKey(r.Fixed("node key", ed25519.PublicKeySize))
	noteA := r.Bytes32("note A", 64<<10)
	noteB := r.Bytes32("note B", 64<<10)
	n := r.Count("proof", maxEvidenceProof, tlog.HashSize)
	proof := make([][tlog.HashSize]byte, n)
	for i := range proof {
		copy(proof[i][:], r.Fixed("proof hash", tlog.HashSize))
	}
	reason := r.String("reason", 4096)
	if err := r.Finish(); err != nil {
		return nil, err
	}
	v, err := tlog.NewVerifier(key)
	if err != nil {
		return nil, err
	}
	a, err := tlog.ParseCheckpoint(noteA, v)
	if err != nil {
		return nil, err
	}
	bcp, err := tlog.ParseCheckpoint(noteB, v)
	if err != nil {
		return nil, err
	}
	return &tlog.Evidence{A: a, B: bcp, Proof: proof, Reason: reason}, nil
}
