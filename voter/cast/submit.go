package cast

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/election"
)

// Cast submits the ballot to the board and returns the voter's receipt: the
// node's signed promise to keep it, checked against the manifest's key for
// that node. The ballot's opening is forgotten first, whatever happens: a
// ballot that may have reached the board must never be challenged.
//
// When no node answers the error wraps ErrUnreachable and the ballot is
// still valid: the caller may keep b.Entry and submit it later (SubmitEntry),
// as the kiosk does.
func (e *Election) Cast(ctx context.Context, b *Ballot) (*Receipt, error) {
	if b.opening == nil {
		return nil, ErrSpent
	}
	b.Forget()
	return e.SubmitEntry(ctx, b.Entry.Bytes())
}

// Spoiled is a challenged ballot as posted to the board.
type Spoiled struct {
	// Tracker is the spoiled entry's id: any device audits it by this id
	// (Audit).
	Tracker election.ID
	// Ballot is the tracker of the ballot that was challenged.
	Ballot election.ID
	// Entry is the spoiled entry's bytes.
	Entry []byte
	// Receipt is the node's receipt for the spoiled entry; nil when no node
	// answered (the error wraps ErrUnreachable, and the caller may keep
	// Entry and submit it later).
	Receipt *Receipt
}

// Challenge spoils the ballot instead of casting it (a Benaloh challenge):
// it reveals the ballot's randomness in a spoiled entry, signed by the
// credential, and posts it, so that any other device can check what the
// ballot encrypted (Audit). The ballot can never be cast after; the voter
// encrypts the choices again (Encrypt) and casts or challenges that one.
// When no node answers it returns the Spoiled, without a receipt, together
// with an error wrapping ErrUnreachable, so that the caller can keep the
// entry and submit it later.
func (e *Election) Challenge(ctx context.Context, b *Ballot) (*Spoiled, error) {
	if b.opening == nil || b.voter == nil || b.voter.key == nil {
		return nil, ErrSpent
	}
	entry, err := election.NewSpoiled(e.Manifest, b.Entry, b.opening, b.voter.key)
	b.Forget()
	if err != nil {
		return nil, fmt.Errorf("spoiling ballot %s: %w", short(b.Tracker), err)
	}
	sp := &Spoiled{Tracker: entry.ID(), Ballot: b.Tracker, Entry: entry.Bytes()}
	sp.Receipt, err = e.SubmitEntry(ctx, sp.Entry)
	if err != nil {
		if errors.Is(err, ErrUnreachable) {
			return sp, err
		}
		return nil, err
	}
	return sp, nil
}

// SubmitEntry posts a voter's entry (a ballot or a spoiled ballot) to the
// board, trying each node in turn, and returns the receipt checked against
// the manifest's key of the node that gave it. A refusal is put in plain
// words: ErrClosed after the close, ErrNotOpen before the open.
func (e *Election) SubmitEntry(ctx context.Context, entry []byte) (*Receipt, error) {
	d, err := election.DecodeEntry(entry)
	if err != nil {
		return nil, fmt.Errorf("entry to submit: %w", err)
	}
	if d.Election != e.ID {
		return nil, fmt.Errorf("entry to submit: it belongs to election %s, not %s", short(d.Election), short(e.ID))
	}
	rc, err := e.board.Submit(ctx, entry)
	if err != nil {
		return nil, submitError(d, err)
	}
	name, err := e.verifyReceipt(rc)
	if err != nil {
		return nil, err
	}
	return &Receipt{
		Election: e.ID,
		Tracker:  d.ID(),
		Type:     d.Type,
		Entry:    entry,
		Node:     rc,
		NodeName: name,
	}, nil
}

// submitError explains a node's refusal of a voter's entry.
func submitError(d *election.Entry, err error) error {
	ce, ok := refusalCheck(err)
	if !ok {
		return fmt.Errorf("submitting %s %s: %w", d.Type, short(d.ID()), boardError(err))
	}
	switch {
	case ce.Status == http.StatusConflict && strings.Contains(ce.Message, election.ErrTooLate.Error()):
		return fmt.Errorf("%w: node %s refused %s %s", ErrClosed, ce.Node, d.Type, short(d.ID()))
	case ce.Status == http.StatusConflict && ce.RetryAfter > 0:
		return fmt.Errorf("%w: node %s says %s %s came too early", ErrNotOpen, ce.Node, d.Type, short(d.ID()))
	}
	return fmt.Errorf("node %s refused %s %s: %w", ce.Node, d.Type, short(d.ID()), err)
}

// verifyReceipt checks that rc is signed by a node of the manifest and
// returns the node's name.
func (e *Election) verifyReceipt(rc *bulletin.Receipt) (string, error) {
	n := e.node(rc.Node)
	if n == nil {
		return "", fmt.Errorf("receipt for %s: signed by %x, which is not a node of this election", short(rc.Entry), rc.Node)
	}
	if rc.Election != e.ID {
		return "", fmt.Errorf("receipt for %s: it is about election %s", short(rc.Entry), short(rc.Election))
	}
	if err := node.VerifyReceipt(rc, n.SigningKey); err != nil {
		return "", fmt.Errorf("receipt for %s from node %q: %w", short(rc.Entry), n.Name, err)
	}
	return n.Name, nil
}

// node returns the manifest's node with signing key key, or nil.
func (e *Election) node(key []byte) *election.Node {
	for i := range e.Manifest.Nodes {
		if ed25519.PublicKey(key).Equal(e.Manifest.Nodes[i].SigningKey) {
			return &e.Manifest.Nodes[i]
		}
	}
	return nil
}
