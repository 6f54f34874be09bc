package node

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// The views of the Board: reads go to the store, which answers from one
// committed state; an election the node does not serve is
// bulletin.ErrUnknownElection.

// served returns es, or an error wrapping bulletin.ErrUnknownElection.
func (n *Node) served(el election.ID) (*electionState, error) {
	es := n.election(el)
	if es == nil {
		return nil, fmt.Errorf("election %s: %w", el, bulletin.ErrUnknownElection)
	}
	return es, nil
}

// storeError maps the store's not-found onto the Board's.
func storeError(err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("%w: %w", bulletin.ErrNotFound, err)
	}
	return err
}

// Entries implements bulletin.Board.
func (n *Node) Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) ([]bulletin.Stored, error) {
	if _, err := n.served(el); err != nil {
		return nil, err
	}
	out, err := n.store.Entries(ctx, el, typ, from, limit)
	return out, storeError(err)
}

// Entry implements bulletin.Board.
func (n *Node) Entry(ctx context.Context, el, id election.ID) (*bulletin.Stored, error) {
	if _, err := n.served(el); err != nil {
		return nil, err
	}
	st, err := n.store.Entry(ctx, el, id)
	return st, storeError(err)
}

// Checkpoint implements bulletin.Board: the latest checkpoint the node
// signed, which may trail the log by up to Config.CheckpointInterval.
func (n *Node) Checkpoint(ctx context.Context, el election.ID) (*bulletin.Checkpoint, error) {
	es, err := n.served(el)
	if err != nil {
		return nil, err
	}
	cp := es.checkpoint()
	if cp == nil {
		return nil, fmt.Errorf("election %s: no checkpoint yet: %w", el, bulletin.ErrNotFound)
	}
	return cp, nil
}

// InclusionProof implements bulletin.Board.
func (n *Node) InclusionProof(ctx context.Context, el election.ID, index, size uint64) ([][tlog.HashSize]byte, error) {
	if _, err := n.served(el); err != nil {
		return nil, err
	}
	p, err := n.store.InclusionProof(ctx, el, index, size)
	return p, storeError(err)
}

// ConsistencyProof implements bulletin.Board.
func (n *Node) ConsistencyProof(ctx context.Context, el election.ID, size1, size2 uint64) ([][tlog.HashSize]byte, error) {
	if _, err := n.served(el); err != nil {
		return nil, err
	}
	p, err := n.store.ConsistencyProof(ctx, el, size1, size2)
	return p, storeError(err)
}

// Elections implements bulletin.Board, in id order.
func (n *Node) Elections(ctx context.Context) ([]election.ID, error) {
	list := n.electionList()
	out := make([]election.ID, len(list))
	for i, es := range list {
		out[i] = es.id
	}
	return out, nil
}

// Evidence implements api.EvidenceSource: every pair of inconsistent
// checkpoints the node found among its peers'.
func (n *Node) Evidence(ctx context.Context) ([]*tlog.Evidence, error) {
	return n.audit.evidence()
}

// Health implements api.HealthChecker: the node is unhealthy when an
// election's log does not replay, so that it cannot take entries.
func (n *Node) Health(ctx context.Context) error {
	var errs []error
	for _, es := range n.electionList() {
		if broken := es.health.Load(); broken != nil {
			errs = append(errs, fmt.Errorf("election %s: %w", es.id, *broken))
		}
	}
	return errors.Join(errs...)
}

// CountedBallot implements api.CountedBallots: the stored ballot that the
// last-ballot rule counts for credential now, or an error wrapping
// bulletin.ErrNotFound if the credential has cast none.
func (n *Node) CountedBallot(ctx context.Context, el election.ID, credential ed25519.PublicKey) (*bulletin.Stored, error) {
	es, err := n.served(el)
	if err != nil {
		return nil, err
	}
	es.mu.Lock()
	id, _, ok := es.rec.CountedBallot(credential)
	es.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("election %s: credential %x has cast no ballot: %w", el, []byte(credential), bulletin.ErrNotFound)
	}
	return n.store.Entry(ctx, el, id)
}
