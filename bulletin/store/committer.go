package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// committer is the one goroutine that writes: it owns the in-memory tree
// of every election it has appended to, which is always the committed one.
type committer struct {
	db         *badger.DB
	log        *slog.Logger
	trees      map[election.ID]*tlog.Tree
	maxEntries int

	commits, entries *atomic.Uint64
}

// run commits requests until the channel is closed and drained. Each round
// takes every request already waiting (up to maxEntries entries): those
// that arrived during the previous round's sync share the next one.
func (c *committer) run(requests <-chan *request) {
	var batch []*request
	for r := range requests {
		batch = append(batch[:0], r)
		n := len(r.items)
	drain:
		for n < c.maxEntries {
			select {
			case r, ok := <-requests:
				if !ok {
					break drain
				}
				batch = append(batch, r)
				n += len(r.items)
			default:
				break drain
			}
		}
		for len(batch) > 0 {
			batch = batch[c.commitSome(batch):]
		}
	}
}

// write is one key-value pair of a transaction.
type write struct{ key, value []byte }

// prepared is what a request will write, and the tree after it.
type prepared struct {
	writes []write
	result []Appended
	tree   *tlog.Tree
	added  int
}

// txnBudget tracks a transaction's size as badger counts it (txn.checkSize),
// so that requests are split between transactions only at their borders:
// badger cannot take back half of a request's writes.
type txnBudget struct {
	size, count       int64
	maxSize, maxCount int64
	threshold         int64
}

func newBudget(db *badger.DB, threshold int64) txnBudget {
	// A tenth of headroom against any count badger adds that we do not.
	return txnBudget{maxSize: db.MaxBatchSize() * 9 / 10, maxCount: db.MaxBatchCount() * 9 / 10, threshold: threshold}
}

func (b *txnBudget) cost(ws []write) (size, count int64) {
	for _, w := range ws {
		v := int64(len(w.value))
		if v >= b.threshold {
			v = 12 // a value pointer
		}
		size += int64(len(w.key)) + v + 2 + 10
	}
	return size, int64(len(ws))
}

func (b *txnBudget) fits(size, count int64) bool {
	return b.size+size < b.maxSize && b.count+count < b.maxCount
}

// commitSome commits the longest prefix of batch that fits in one
// transaction and returns its length (at least 1: a request that fits in
// no transaction fails alone).
func (c *committer) commitSome(batch []*request) int {
	txn := c.db.NewTransaction(true)
	defer txn.Discard()
	budget := newBudget(c.db, c.db.Opts().ValueThreshold)
	pending := map[election.ID]*tlog.Tree{}
	var included []*request
	var results [][]Appended
	added := 0
	n := 0
	for _, r := range batch {
		p, err := c.prepare(txn, pending, r)
		if err != nil {
			r.finish(nil, err)
			n++
			continue
		}
		size, count := budget.cost(p.writes)
		if !budget.fits(size, count) {
			if len(included) == 0 {
				r.finish(nil, fmt.Errorf("store: append to %x…: %d items, %d bytes of keys: %w", r.el[:4], len(r.items), size, ErrTooLarge))
				n++
				continue
			}
			break
		}
		if err := setAll(txn, p.writes); err != nil {
			// Half of r may be in txn now, so nothing in it can commit.
			err = fmt.Errorf("store: append to %x…: %w", r.el[:4], err)
			r.finish(nil, err)
			finishAll(included, nil, err)
			return n + 1
		}
		budget.size += size
		budget.count += count
		pending[r.el] = p.tree
		included = append(included, r)
		results = append(results, p.result)
		added += p.added
		n++
	}
	if len(included) == 0 {
		return n
	}
	if err := txn.Commit(); err != nil {
		c.log.Error("store: commit failed", "requests", len(included), "err", err)
		finishAll(included, nil, fmt.Errorf("store: commit: %w", err))
		return n
	}
	c.commits.Add(1)
	c.entries.Add(uint64(added))
	for el, t := range pending {
		c.trees[el] = t
	}
	for i, r := range included {
		r.finish(results[i], nil)
	}
	return n
}

func setAll(txn *badger.Txn, ws []write) error {
	for _, w := range ws {
		if err := txn.Set(w.key, w.value); err != nil {
			return err
		}
	}
	return nil
}

func finishAll(rs []*request, result []Appended, err error) {
	for _, r := range rs {
		r.finish(result, err)
	}
}

// prepare computes what r writes on top of txn's state: existing ids come
// back as they are, new items go to the end of the log.
func (c *committer) prepare(txn *badger.Txn, pending map[election.ID]*tlog.Tree, r *request) (*prepared, error) {
	tree, err := c.tree(txn, pending, r.el)
	if err != nil {
		return nil, err
	}
	p := &prepared{result: make([]Appended, len(r.items))}
	var leaves [][tlog.HashSize]byte
	seen := map[election.ID]uint64{}
	next := tree.Size()
	for i, it := range r.items {
		if index, ok, err := existing(txn, r.el, it.ID); err != nil {
			return nil, fmt.Errorf("store: append to %x…: %w", r.el[:4], err)
		} else if ok {
			p.result[i] = Appended{Index: index, Existing: true}
			continue
		}
		if index, ok := seen[it.ID]; ok {
			p.result[i] = Appended{Index: index, Existing: true}
			continue
		}
		seen[it.ID] = next
		p.result[i] = Appended{Index: next}
		p.writes = append(p.writes,
			write{entryKey(r.el, next), encodeEntry(it.Type, it.ID, it.Bytes)},
			write{idKey(r.el, it.ID), binary.BigEndian.AppendUint64(nil, next)},
			write{typeKey(r.el, it.Type, next), nil})
		leaves = append(leaves, r.leaves[i])
		next++
	}
	p.added = len(leaves)
	if len(leaves) == 0 {
		p.tree = tree
		return p, nil
	}
	p.tree, err = tree.Append(leaves, func(id compact.NodeID, h [tlog.HashSize]byte) {
		p.writes = append(p.writes, write{nodeKey(r.el, id), h[:]})
	})
	if err != nil {
		return nil, fmt.Errorf("store: append to %x…: %w", r.el[:4], err)
	}
	p.writes = append(p.writes, write{headKey(r.el), head{size: p.tree.Size(), root: p.tree.Root()}.encode()})
	return p, nil
}

// tree returns el's tree as of txn: this transaction's, the last
// committed one, or the one on disk for an election not yet touched since
// Open.
func (c *committer) tree(txn *badger.Txn, pending map[election.ID]*tlog.Tree, el election.ID) (*tlog.Tree, error) {
	if t, ok := pending[el]; ok {
		return t, nil
	}
	if t, ok := c.trees[el]; ok {
		return t, nil
	}
	h, err := readHead(txn, el)
	if errors.Is(err, ErrNotFound) {
		t := tlog.NewTree()
		c.trees[el] = t
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	t, err := tlog.LoadTree(txnNodes{txn, el}, h.size)
	if err != nil {
		return nil, fmt.Errorf("store: election %x…: %w", el[:4], err)
	}
	if t.Root() != h.root {
		return nil, fmt.Errorf("store: election %x…: stored nodes give root %x at size %d, head says %x", el[:4], t.Root(), h.size, h.root)
	}
	c.trees[el] = t
	return t, nil
}

// existing looks id up in el's log as of txn, which includes the writes of
// earlier requests in the same transaction.
func existing(txn *badger.Txn, el, id election.ID) (uint64, bool, error) {
	item, err := txn.Get(idKey(el, id))
	if errors.Is(err, badger.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("looking up %x…: %w", id[:4], err)
	}
	var index uint64
	err = item.Value(func(v []byte) error {
		if len(v) != 8 {
			return fmt.Errorf("index of %x… is %d bytes", id[:4], len(v))
		}
		index = binary.BigEndian.Uint64(v)
		return nil
	})
	return index, err == nil, err
}
