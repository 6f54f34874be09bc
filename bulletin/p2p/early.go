package p2p

import (
	"crypto/sha256"
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"
)

// Bounds on the entries a topic keeps for a later retry. Past them the
// oldest are dropped: pull-sync fetches them again from the peers' logs,
// so dropping loses time, not entries.
const (
	maxEarlyEntries = 1024
	maxEarlyBytes   = 64 << 20
)

// early is an entry that was too early when it arrived.
type early struct {
	id    [sha256.Size]byte
	from  peer.ID
	entry []byte
}

// earlySet keeps the too-early entries of one topic, oldest first.
type earlySet struct {
	mu    sync.Mutex
	order []*early
	ids   map[[sha256.Size]byte]*early
	bytes int
}

func newEarlySet() *earlySet {
	return &earlySet{ids: make(map[[sha256.Size]byte]*early)}
}

// add keeps entry, unless it is kept already, dropping the oldest entries
// to stay within the bounds.
func (s *earlySet) add(from peer.ID, entry []byte) {
	e := &early{id: sha256.Sum256(entry), from: from, entry: entry}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ids[e.id] != nil {
		return
	}
	s.order = append(s.order, e)
	s.ids[e.id] = e
	s.bytes += len(entry)
	for len(s.order) > maxEarlyEntries || s.bytes > maxEarlyBytes {
		s.removeLocked(s.order[0])
	}
}

// all returns the kept entries, oldest first.
func (s *earlySet) all() []*early {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]*early(nil), s.order...)
}

// len returns how many entries are kept.
func (s *earlySet) len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.order)
}

// remove forgets e, if it is still kept.
func (s *earlySet) remove(e *early) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.removeLocked(e)
}

func (s *earlySet) removeLocked(e *early) {
	if s.ids[e.id] != e {
		return
	}
	delete(s.ids, e.id)
	s.bytes -= len(e.entry)
	for i, o := range s.order {
		if o == e {
			s.order = append(s.order[:i], s.order[i+1:]...)
			break
		}
	}
}
