package store

import (
	"context"
	"crypto/sha256"
	"fmt"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Item is an entry to append: its canonical bytes with their id and type.
type Item struct {
	ID    election.ID // SHA-256 of Bytes
	Type  election.EntryType
	Bytes []byte
}

// Appended is where an appended item is in the log.
type Appended struct {
	// Index is the item's log index.
	Index uint64
	// Existing says that the election already held an entry with the
	// item's id, at Index, and nothing was written for it.
	Existing bool
}

// request is one Append call on its way through the committer.
type request struct {
	el     election.ID
	items  []Item
	leaves [][tlog.HashSize]byte
	done   chan struct{}
	result []Appended
	err    error
}

func (r *request) finish(result []Appended, err error) {
	r.result, r.err = result, err
	close(r.done)
}

// Append stores items at the end of election el's log, in order, and
// returns their indexes once they are durable; an item whose id the log
// already holds (earlier, or earlier in items) is not stored again and
// comes back as Existing. The items are stored all together or not at all.
//
// Preconditions, checked: at least one item; each item's ID is SHA-256 of
// its Bytes, its Type is not 0 and its Bytes are 1 to
// election.MaxEntrySize long. The store does not check entries against the
// election's rules: that is the caller's job (election.Record) and must
// come first.
//
// ctx bounds only the wait to reach the committer. Once there, Append waits
// for the outcome whatever ctx says, so that a nil error always means
// durable and an error always means nothing was stored.
func (s *Store) Append(ctx context.Context, el election.ID, items []Item) ([]Appended, error) {
	r, err := newRequest(el, items)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, fmt.Errorf("store: append: %w", ErrClosed)
	}
	select {
	case s.requests <- r:
		s.mu.RUnlock()
	case <-ctx.Done():
		s.mu.RUnlock()
		return nil, fmt.Errorf("store: append: %w", ctx.Err())
	}
	<-r.done
	return r.result, r.err
}

// newRequest checks the items and hashes their leaves, in the caller's
// goroutine so that the committer only writes.
func newRequest(el election.ID, items []Item) (*request, error) {
	if len(items) == 0 {
		return nil, fmt.Errorf("store: append to %x…: no items", el[:4])
	}
	leaves := make([][tlog.HashSize]byte, len(items))
	for i, it := range items {
		switch {
		case it.Type == 0:
			return nil, fmt.Errorf("store: append to %x…: item %d (%x…): type 0", el[:4], i, it.ID[:4])
		case len(it.Bytes) == 0:
			return nil, fmt.Errorf("store: append to %x…: item %d (%x…): no bytes", el[:4], i, it.ID[:4])
		case len(it.Bytes) > election.MaxEntrySize:
			return nil, fmt.Errorf("store: append to %x…: item %d (%x…): %d bytes, at most %d", el[:4], i, it.ID[:4], len(it.Bytes), election.MaxEntrySize)
		case sha256.Sum256(it.Bytes) != it.ID:
			return nil, fmt.Errorf("store: append to %x…: item %d: id %x… is not SHA-256 of its bytes", el[:4], i, it.ID[:4])
		}
		leaves[i] = tlog.LeafHash(it.Bytes)
	}
	return &request{el: el, items: items, leaves: leaves, done: make(chan struct{})}, nil
}
