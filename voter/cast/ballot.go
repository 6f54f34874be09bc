package cast

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/evote/evote/election"
)

// Ballot is an encrypted ballot that the voter has not yet cast or
// challenged. It holds the opening (the encryption's randomness) until it is
// cast, which forgets it, or challenged, which publishes it.
type Ballot struct {
	// Entry is the signed ballot entry.
	Entry *election.Entry
	// Tracker is the ballot's id: the voter finds the ballot on the board by
	// it. The device shows it before the voter decides, which commits the
	// device to this encryption (Benaloh).
	Tracker election.ID
	// Counter is the credential's revote counter in the ballot.
	Counter uint32
	// Style is the voter's ballot style.
	Style uint16

	voter   *Voter
	opening *election.BallotOpening
}

// ErrSpent is returned for a ballot that was already cast or challenged.
var ErrSpent = errors.New("this ballot was already cast or challenged: encrypt the choices again")

// Encrypt encrypts the voter's selections into a signed ballot, with the
// counter that makes it replace the credential's earlier ballots
// (NextCounter). The device checks its own ballot with the board's rules
// before returning it, so that a fault here never reaches the board.
func (e *Election) Encrypt(ctx context.Context, v *Voter, sel Selections) (*Ballot, error) {
	counter, err := e.NextCounter(ctx, v)
	if err != nil {
		return nil, err
	}
	return e.EncryptCounter(v, sel, counter, nil)
}

// EncryptCounter is Encrypt with the revote counter given, and randomness
// from rand (crypto/rand when nil).
func (e *Election) EncryptCounter(v *Voter, sel Selections, counter uint32, rand io.Reader) (*Ballot, error) {
	if v.key == nil {
		return nil, errors.New("the credential was forgotten: enter the code again")
	}
	entry, opening, err := election.NewBallot(e.Manifest, e.ID, e.pk, v.key, v.Style, counter, sel, rand)
	if err != nil {
		return nil, fmt.Errorf("encrypting the ballot: %w", err)
	}
	if _, err := e.verifier.CheckBallot(entry, e); err != nil {
		return nil, fmt.Errorf("the ballot this device made fails the board's checks: %w", err)
	}
	return &Ballot{
		Entry:   entry,
		Tracker: election.BallotTracker(entry),
		Counter: counter,
		Style:   v.Style,
		voter:   v,
		opening: opening,
	}, nil
}

// Forget drops the ballot's opening, so that it can be neither challenged
// nor opened any more. Cast calls it.
func (b *Ballot) Forget() {
	b.opening = nil
	b.voter = nil
}
