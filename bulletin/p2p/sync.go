package p2p

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/evote/evote/election"
)

// SyncProtocol is the pull-sync stream protocol: one request for a slice
// of a peer's log of an election, one response with the entries.
const SyncProtocol protocol.ID = "/evote/sync/1.0.0"

// streamTimeout bounds one request and its response on a stream.
const streamTimeout = 30 * time.Second

// syncParallelism bounds how many entries of one sync batch are offered to
// Handler.Validate at once. Entries of a batch are independent enough to
// check concurrently (ballots form a set); one that needs another of the
// same batch returns Retry and is offered again after the batch.
const syncParallelism = 64

// Source is a node's logs as its peers pull-sync them. Indices are
// positions in this node's log of the election, in arrival order; another
// node's log holds the same entries in another order.
type Source interface {
	// Size returns the number of entries in the node's log of el: 0 for
	// an election it holds nothing of.
	Size(el election.ID) uint64
	// EntriesFrom returns the canonical bytes of el's log entries from
	// index from in log order, at most limit of them (limit ≥ 1), fewer
	// at the end of the log and none when from ≥ Size(el).
	EntriesFrom(ctx context.Context, el election.ID, from uint64, limit int) ([][]byte, error)
}

// SyncStats describes one SyncOnce.
type SyncStats struct {
	PeerSize uint64 // the size of the peer's log, as it last said
	Fetched  int    // entries received
	Accepted int    // entries Handler.Validate accepted
	Rejected int    // invalid entries in the peer's log: a faulty or lying peer
	Early    int    // entries still too early at the end, fetched again next time
}

// Errors of SyncOnce.
var (
	ErrNotJoined      = errors.New("election not joined")
	ErrNotReplicating = errors.New("not a replication peer")
)

// LogShrankError reports that a peer's log of an election is shorter than
// what this node has already read from it. An append-only log never
// shrinks, so the peer has lost its data or is lying; the caller may keep
// the peer's checkpoints as evidence.
type LogShrankError struct {
	Peer     peer.ID
	Election election.ID
	Read     uint64 // entries this node had read
	Size     uint64 // the size the peer now claims
}

func (e *LogShrankError) Error() string {
	return fmt.Sprintf("p2p: peer %s: log of election %s shrank from at least %d entries to %d", e.Peer, e.Election, e.Read, e.Size)
}

// cursorKey names the read position in one peer's log of one election.
type cursorKey struct {
	peer peer.ID
	el   election.ID
}

// cursor is how far this node has settled a peer's log: every entry before
// next was accepted, was already held or was invalid. It lives in memory
// only, so a restarted node reads its peers' logs from the start again and
// gets duplicates back as Ignore.
type cursor struct {
	mu   sync.Mutex // held for a whole SyncOnce
	next uint64
}

func (h *Host) cursor(p peer.ID, el election.ID) *cursor {
	h.mu.Lock()
	defer h.mu.Unlock()
	k := cursorKey{p, el}
	c := h.cursors[k]
	if c == nil {
		c = &cursor{}
		h.cursors[k] = c
	}
	return c
}

// SyncOnce pulls the entries of election el that peer p holds and this node
// has not yet read from it, offering each to the election's
// Handler.Validate. It asks for at most maxSyncEntries at a time until it
// has read the peer's whole log. Entries that come back Retry are offered
// again after each batch; those still too early at the end are fetched
// again by the next SyncOnce. Preconditions: the host has joined el and p
// is a replication peer. Calls for the same peer and election run one at a
// time.
func (h *Host) SyncOnce(ctx context.Context, p peer.ID, el election.ID) (SyncStats, error) {
	if !h.isAllowed(p) {
		return SyncStats{}, fmt.Errorf("p2p: syncing election %s from %s: %w", el, p, ErrNotReplicating)
	}
	t := h.topic(el)
	if t == nil || !t.acquire() {
		return SyncStats{}, fmt.Errorf("p2p: syncing election %s from %s: %w", el, p, ErrNotJoined)
	}
	defer t.release()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	defer context.AfterFunc(t.ctx, cancel)()

	c := h.cursor(p, el)
	c.mu.Lock()
	defer c.mu.Unlock()
	st, err := t.pull(ctx, p, c)
	if err != nil {
		var shrank *LogShrankError
		if errors.As(err, &shrank) {
			return st, err
		}
		return st, fmt.Errorf("p2p: syncing election %s from %s: %w", el, p, err)
	}
	return st, nil
}

// pending is a fetched entry that was too early, with its index in the
// peer's log.
type pending struct {
	index uint64
	entry []byte
}

// pull reads the peer's log from c.next on and moves c.next past every
// entry it settles. Precondition: c.mu is held.
func (t *Topic) pull(ctx context.Context, p peer.ID, c *cursor) (SyncStats, error) {
	var st SyncStats
	var waiting []pending
	from := c.next
	for {
		resp, err := t.h.fetch(ctx, p, &syncRequest{Election: t.el, From: from, Limit: maxSyncEntries})
		if err != nil {
			return st, err
		}
		st.PeerSize = resp.Size
		if resp.Size < from {
			c.next = 0
			return st, &LogShrankError{Peer: p, Election: t.el, Read: from, Size: resp.Size}
		}
		if len(resp.Entries) == 0 {
			break
		}
		st.Fetched += len(resp.Entries)
		results := t.offerAll(ctx, p, resp.Entries)
		if err := ctx.Err(); err != nil {
			return st, err
		}
		for i, r := range results {
			switch r {
			case Accept:
				st.Accepted++
				t.deliver(p, resp.Entries[i])
			case Retry:
				waiting = append(waiting, pending{index: from + uint64(i), entry: resp.Entries[i]})
			case Ignore:
			default:
				st.Rejected++
				t.h.log.Warn("sync: peer served an invalid entry", "election", t.el, "peer", p, "index", from+uint64(i))
			}
		}
		waiting = t.offerAgain(ctx, p, waiting, &st)
		from += uint64(len(resp.Entries))
		c.next = settled(from, waiting)
		if from >= resp.Size || len(waiting) >= maxEarlyEntries {
			break
		}
	}
	st.Early = len(waiting)
	return st, nil
}

// settled returns the index before which the peer's log is settled: from,
// or the first entry still waiting.
func settled(from uint64, waiting []pending) uint64 {
	if len(waiting) > 0 {
		return waiting[0].index
	}
	return from
}

// offerAll offers a batch of entries to Handler.Validate concurrently and
// returns the results in the batch's order.
func (t *Topic) offerAll(ctx context.Context, p peer.ID, entries [][]byte) []Result {
	results := make([]Result, len(entries))
	sem := make(chan struct{}, syncParallelism)
	var wg sync.WaitGroup
	for i, e := range entries {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = t.offer(ctx, p, e)
			<-sem
		}()
	}
	wg.Wait()
	return results
}

// offerAgain offers the waiting entries, in log order, until a pass accepts
// none, and returns those still waiting.
func (t *Topic) offerAgain(ctx context.Context, p peer.ID, waiting []pending, st *SyncStats) []pending {
	for progress := true; progress && len(waiting) > 0 && ctx.Err() == nil; {
		progress = false
		kept := waiting[:0]
		for _, w := range waiting {
			switch t.offer(ctx, p, w.entry) {
			case Retry:
				kept = append(kept, w)
			case Accept:
				progress = true
				st.Accepted++
				t.deliver(p, w.entry)
			case Ignore:
			default:
				st.Rejected++
			}
		}
		waiting = kept
	}
	return waiting
}

// fetch asks p for one slice of its log.
func (h *Host) fetch(ctx context.Context, p peer.ID, req *syncRequest) (*syncResponse, error) {
	s, err := h.host.NewStream(ctx, p, SyncProtocol)
	if err != nil {
		return nil, fmt.Errorf("opening stream: %w", err)
	}
	resp, err := exchange(ctx, s, req.encode(), readSyncResponse)
	if err != nil {
		return nil, fmt.Errorf("entries from %d: %w", req.From, err)
	}
	return resp, nil
}

// exchange writes a request on s, reads the response with read and closes
// s; it gives up at ctx's deadline or after streamTimeout.
func exchange[T any](ctx context.Context, s network.Stream, req []byte, read func(io.Reader) (T, error)) (T, error) {
	var zero T
	deadline := time.Now().Add(streamTimeout)
	if d, ok := ctx.Deadline(); ok && d.Before(deadline) {
		deadline = d
	}
	s.SetDeadline(deadline)
	// A cancelled ctx ends the exchange at once rather than at the deadline.
	defer context.AfterFunc(ctx, func() { s.Reset() })()
	if _, err := s.Write(req); err != nil {
		s.Reset()
		return zero, fmt.Errorf("sending request: %w", err)
	}
	if err := s.CloseWrite(); err != nil {
		s.Reset()
		return zero, fmt.Errorf("sending request: %w", err)
	}
	resp, err := read(s)
	if err != nil {
		s.Reset()
		if ctx.Err() != nil {
			return zero, ctx.Err()
		}
		return zero, err
	}
	s.Close()
	return resp, nil
}

// serveSync answers one sync request from a replication peer.
func (h *Host) serveSync(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(streamTimeout))
	w := bufio.NewWriter(s)
	p := s.Conn().RemotePeer()
	if !h.isAllowed(p) {
		h.counts.syncRefused.Add(1)
		writeFailure(w, statusRefused, "not a replication peer")
		return
	}
	// One byte more than a request, to notice trailing bytes.
	b, err := io.ReadAll(io.LimitReader(s, syncRequestSize+1))
	if err != nil {
		s.Reset()
		return
	}
	req, err := decodeSyncRequest(b)
	if err != nil {
		writeFailure(w, statusBad, err.Error())
		return
	}
	resp, err := h.syncResponse(req)
	if err != nil {
		h.log.Error("sync: reading log", "election", req.Election, "peer", p, "from", req.From, "err", err)
		writeFailure(w, statusFailed, "reading the log failed")
		return
	}
	if resp == nil {
		writeFailure(w, statusNotFound, "no such election")
		return
	}
	h.counts.syncServed.Add(1)
	if err := writeSyncResponse(w, resp); err != nil {
		h.log.Debug("sync: writing response", "peer", p, "err", err)
		s.Reset()
	}
}

// syncResponse reads the slice of the log that req asks for from the
// Source; nil means this node serves no logs.
func (h *Host) syncResponse(req *syncRequest) (*syncResponse, error) {
	if h.source == nil {
		return nil, nil
	}
	size := h.source.Size(req.Election)
	resp := &syncResponse{Size: size}
	if req.From >= size {
		return resp, nil
	}
	ctx, cancel := context.WithTimeout(h.ctx, streamTimeout)
	defer cancel()
	entries, err := h.source.EntriesFrom(ctx, req.Election, req.From, int(req.Limit))
	if err != nil {
		return nil, err
	}
	if len(entries) > int(req.Limit) {
		return nil, fmt.Errorf("source returned %d entries, %d asked for", len(entries), req.Limit)
	}
	for i, e := range entries {
		if len(e) == 0 || len(e) > election.MaxEntrySize {
			return nil, fmt.Errorf("source entry %d is %d bytes, want 1..%d", req.From+uint64(i), len(e), election.MaxEntrySize)
		}
	}
	resp.Entries = trimSyncEntries(entries)
	// The log may have grown between Size and EntriesFrom.
	resp.Size = max(size, req.From+uint64(len(resp.Entries)))
	return resp, nil
}
