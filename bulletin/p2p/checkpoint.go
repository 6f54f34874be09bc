package p2p

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"

	"github.com/evote/evote/election"
)

// CheckpointProtocol fetches a peer's latest signed checkpoint of an
// election. Checkpoints are public, so any peer the gater lets in may ask,
// readers included.
const CheckpointProtocol protocol.ID = "/evote/checkpoint/1.0.0"

// CheckpointSource is a node's latest checkpoints as its peers fetch them.
type CheckpointSource interface {
	// LatestCheckpoint returns the node's latest signed checkpoint of el,
	// as served (a signed note of at most 64 KiB), or nil if it has none.
	LatestCheckpoint(ctx context.Context, el election.ID) ([]byte, error)
}

// FetchCheckpoint returns peer p's latest signed checkpoint of el as the
// peer served it, unchecked: the caller verifies the signature and the
// consistency with what it holds. It wraps ErrNotFound when the peer has
// no checkpoint of el.
func (h *Host) FetchCheckpoint(ctx context.Context, p peer.ID, el election.ID) ([]byte, error) {
	s, err := h.host.NewStream(ctx, p, CheckpointProtocol)
	if err != nil {
		return nil, fmt.Errorf("p2p: checkpoint of election %s from %s: opening stream: %w", el, p, err)
	}
	note, err := exchange(ctx, s, el[:], readCheckpointResponse)
	if err != nil {
		return nil, fmt.Errorf("p2p: checkpoint of election %s from %s: %w", el, p, err)
	}
	return note, nil
}

// serveCheckpoint answers one checkpoint request.
func (h *Host) serveCheckpoint(s network.Stream) {
	defer s.Close()
	s.SetDeadline(time.Now().Add(streamTimeout))
	w := bufio.NewWriter(s)
	// One byte more than a request, to notice trailing bytes.
	b, err := io.ReadAll(io.LimitReader(s, checkpointRequestSize+1))
	if err != nil {
		s.Reset()
		return
	}
	if len(b) != checkpointRequestSize {
		writeFailure(w, statusBad, fmt.Sprintf("checkpoint request is %d bytes, want %d", len(b), checkpointRequestSize))
		return
	}
	el := election.ID(b)
	note, err := h.latestCheckpoint(el)
	if err != nil {
		h.log.Error("checkpoint: reading", "election", el, "peer", s.Conn().RemotePeer(), "err", err)
		writeFailure(w, statusFailed, "reading the checkpoint failed")
		return
	}
	if note == nil {
		writeFailure(w, statusNotFound, "no checkpoint of this election")
		return
	}
	if err := writeCheckpointResponse(w, note); err != nil {
		s.Reset()
	}
}

// latestCheckpoint asks the CheckpointSource, checking its answer's size.
func (h *Host) latestCheckpoint(el election.ID) ([]byte, error) {
	if h.ckpts == nil {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(h.ctx, streamTimeout)
	defer cancel()
	note, err := h.ckpts.LatestCheckpoint(ctx, el)
	if err != nil {
		return nil, err
	}
	if len(note) > maxCheckpointSize {
		return nil, fmt.Errorf("checkpoint of %d bytes, at most %d can be served", len(note), maxCheckpointSize)
	}
	if len(note) == 0 {
		return nil, nil
	}
	return note, nil
}
