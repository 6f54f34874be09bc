package store

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/dgraph-io/badger/v4"
	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// view runs fn in a read transaction, unless the store is closed.
func (s *Store) view(ctx context.Context, fn func(txn *badger.Txn) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.db.View(fn)
}

// Head returns the size and root of election el's log.
func (s *Store) Head(ctx context.Context, el election.ID) (size uint64, root [tlog.HashSize]byte, err error) {
	err = s.view(ctx, func(txn *badger.Txn) error {
		h, err := readHead(txn, el)
		size, root = h.size, h.root
		return err
	})
	if err != nil {
		return 0, root, fmt.Errorf("store: head of %x…: %w", el[:4], err)
	}
	return size, root, nil
}

// Elections returns the ids of the elections that have entries, in
// increasing byte order.
func (s *Store) Elections(ctx context.Context) ([]election.ID, error) {
	var els []election.ID
	err := s.view(ctx, func(txn *badger.Txn) error {
		it := txn.NewIterator(badger.IteratorOptions{Prefix: []byte{tableHead}})
		defer it.Close()
		for it.Rewind(); it.Valid(); it.Next() {
			k := it.Item().Key()
			if len(k) != electionKeySize {
				return fmt.Errorf("head key of %d bytes", len(k))
			}
			els = append(els, election.ID(k[1:]))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: elections: %w", err)
	}
	return els, nil
}

// Entries returns up to limit entries of election el from log index from
// on, in log order: of type typ, or of every type when typ is 0. A page
// ends short only at the end of the log; the next page starts at the last
// index returned plus one. Requires limit > 0.
func (s *Store) Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) ([]bulletin.Stored, error) {
	if limit <= 0 {
		return nil, fmt.Errorf("store: entries of %x…: limit %d, want at least 1", el[:4], limit)
	}
	out := []bulletin.Stored{}
	err := s.view(ctx, func(txn *badger.Txn) error {
		if _, err := readHead(txn, el); err != nil {
			return err
		}
		if typ == 0 {
			return scanEntries(ctx, txn, el, from, limit, &out)
		}
		return scanType(ctx, txn, el, typ, from, limit, &out)
	})
	if err != nil {
		return nil, fmt.Errorf("store: entries of %x… from %d: %w", el[:4], from, err)
	}
	return out, nil
}

func scanEntries(ctx context.Context, txn *badger.Txn, el election.ID, from uint64, limit int, out *[]bulletin.Stored) error {
	it := txn.NewIterator(badger.IteratorOptions{
		Prefix: electionKey(tableEntry, el, 0), PrefetchValues: true, PrefetchSize: min(limit, 100),
	})
	defer it.Close()
	for it.Seek(entryKey(el, from)); it.Valid() && len(*out) < limit; it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		index := binary.BigEndian.Uint64(it.Item().Key()[electionKeySize:])
		st, err := decodeStored(it.Item(), index)
		if err != nil {
			return err
		}
		*out = append(*out, st)
	}
	return nil
}

func scanType(ctx context.Context, txn *badger.Txn, el election.ID, typ election.EntryType, from uint64, limit int, out *[]bulletin.Stored) error {
	it := txn.NewIterator(badger.IteratorOptions{Prefix: typePrefix(el, typ)})
	defer it.Close()
	for it.Seek(typeKey(el, typ, from)); it.Valid() && len(*out) < limit; it.Next() {
		if err := ctx.Err(); err != nil {
			return err
		}
		index := binary.BigEndian.Uint64(it.Item().Key()[electionKeySize+1:])
		st, err := readEntry(txn, el, index)
		if err != nil {
			return err
		}
		*out = append(*out, st)
	}
	return nil
}

// Entry returns election el's entry with id id.
func (s *Store) Entry(ctx context.Context, el, id election.ID) (*bulletin.Stored, error) {
	var st bulletin.Stored
	err := s.view(ctx, func(txn *badger.Txn) error {
		index, ok, err := existing(txn, el, id)
		if err != nil {
			return err
		}
		if !ok {
			return ErrNotFound
		}
		st, err = readEntry(txn, el, index)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: entry %x… of %x…: %w", id[:4], el[:4], err)
	}
	return &st, nil
}

// EntryAt returns election el's entry at log index index.
func (s *Store) EntryAt(ctx context.Context, el election.ID, index uint64) (*bulletin.Stored, error) {
	var st bulletin.Stored
	err := s.view(ctx, func(txn *badger.Txn) error {
		h, err := readHead(txn, el)
		if err != nil {
			return err
		}
		if index >= h.size {
			return fmt.Errorf("index %d, log size %d: %w", index, h.size, ErrOutOfRange)
		}
		st, err = readEntry(txn, el, index)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: entry %d of %x…: %w", index, el[:4], err)
	}
	return &st, nil
}

// Root returns the root of election el's tree of the given size. Requires
// size ≤ the log's size.
func (s *Store) Root(ctx context.Context, el election.ID, size uint64) ([tlog.HashSize]byte, error) {
	var root [tlog.HashSize]byte
	err := s.view(ctx, func(txn *badger.Txn) error {
		if err := checkSize(txn, el, size); err != nil {
			return err
		}
		var err error
		root, err = tlog.RootAt(txnNodes{txn, el}, size)
		return err
	})
	if err != nil {
		return root, fmt.Errorf("store: root of %x… at size %d: %w", el[:4], size, err)
	}
	return root, nil
}

// InclusionProof proves that election el's entry at index is in its tree
// of the given size (see tlog.InclusionProof). Requires index < size ≤ the
// log's size.
func (s *Store) InclusionProof(ctx context.Context, el election.ID, index, size uint64) ([][tlog.HashSize]byte, error) {
	var p [][tlog.HashSize]byte
	err := s.view(ctx, func(txn *badger.Txn) error {
		if err := checkSize(txn, el, size); err != nil {
			return err
		}
		var err error
		p, err = tlog.InclusionProof(txnNodes{txn, el}, index, size)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: %x…: %w", el[:4], err)
	}
	return p, nil
}

// ConsistencyProof proves that election el's tree of size1 is a prefix of
// its tree of size2 (see tlog.ConsistencyProof). Requires size1 ≤ size2 ≤
// the log's size.
func (s *Store) ConsistencyProof(ctx context.Context, el election.ID, size1, size2 uint64) ([][tlog.HashSize]byte, error) {
	var p [][tlog.HashSize]byte
	err := s.view(ctx, func(txn *badger.Txn) error {
		if err := checkSize(txn, el, size2); err != nil {
			return err
		}
		var err error
		p, err = tlog.ConsistencyProof(txnNodes{txn, el}, size1, size2)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: %x…: %w", el[:4], err)
	}
	return p, nil
}

func checkSize(txn *badger.Txn, el election.ID, size uint64) error {
	h, err := readHead(txn, el)
	if err != nil {
		return err
	}
	if size > h.size {
		return fmt.Errorf("size %d beyond the log's %d: %w", size, h.size, ErrOutOfRange)
	}
	return nil
}

func readHead(txn *badger.Txn, el election.ID) (head, error) {
	item, err := txn.Get(headKey(el))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return head{}, fmt.Errorf("election %x…: %w", el[:4], ErrNotFound)
	}
	if err != nil {
		return head{}, err
	}
	var h head
	err = item.Value(func(v []byte) error {
		var ok bool
		if h, ok = decodeHead(v); !ok {
			return fmt.Errorf("election %x…: head of %d bytes", el[:4], len(v))
		}
		return nil
	})
	return h, err
}

func readEntry(txn *badger.Txn, el election.ID, index uint64) (bulletin.Stored, error) {
	item, err := txn.Get(entryKey(el, index))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return bulletin.Stored{}, fmt.Errorf("entry %d missing below the log's size: %w", index, ErrNotFound)
	}
	if err != nil {
		return bulletin.Stored{}, err
	}
	return decodeStored(item, index)
}

func decodeStored(item *badger.Item, index uint64) (bulletin.Stored, error) {
	v, err := item.ValueCopy(nil)
	if err != nil {
		return bulletin.Stored{}, fmt.Errorf("entry %d: %w", index, err)
	}
	return decodeEntry(v, index)
}

// decodeEntry decodes the value under entryKey; it keeps v.
func decodeEntry(v []byte, index uint64) (bulletin.Stored, error) {
	if len(v) <= entryHeaderSize || v[0] == 0 {
		return bulletin.Stored{}, fmt.Errorf("entry %d: stored value of %d bytes is not type ‖ id ‖ entry", index, len(v))
	}
	return bulletin.Stored{
		Index: index,
		Type:  election.EntryType(v[0]),
		ID:    election.ID(v[1:entryHeaderSize]),
		Bytes: v[entryHeaderSize:],
	}, nil
}

// txnNodes reads election el's tree nodes in a transaction.
type txnNodes struct {
	txn *badger.Txn
	el  election.ID
}

func (n txnNodes) Node(id compact.NodeID) ([tlog.HashSize]byte, error) {
	var h [tlog.HashSize]byte
	item, err := n.txn.Get(nodeKey(n.el, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return h, ErrNotFound
	}
	if err != nil {
		return h, err
	}
	err = item.Value(func(v []byte) error {
		if len(v) != tlog.HashSize {
			return fmt.Errorf("node hash of %d bytes", len(v))
		}
		h = [tlog.HashSize]byte(v)
		return nil
	})
	return h, err
}
