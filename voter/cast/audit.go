package cast

import (
	"context"
	"fmt"

	"github.com/evote/evote/election"
)

// Audit is what a challenged ballot encrypted, as any device finds it from
// the board.
type Audit struct {
	// Tracker is the spoiled entry's id.
	Tracker election.ID
	// Counter and Style are the challenged ballot's.
	Counter uint32
	Style   uint16
	// Choices are the selections the ballot encrypted, read off with the
	// randomness it revealed.
	Choices []Choice
}

// Audit fetches the spoiled entry with id tracker and checks it as the board
// does (signature, eligibility, every proof, and that the revealed randomness
// re-encrypts to the ballot's ciphertexts), and returns the choices the
// ballot encrypted. A voter compares them with what they chose: a device
// that encrypted anything else is caught. A cast ballot is never opened: its
// tracker is refused here.
func (e *Election) Audit(ctx context.Context, tracker election.ID) (*Audit, error) {
	st, err := e.board.Entry(ctx, e.ID, tracker)
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("challenged ballot %s: not on the board (yet): check the tracker, or try again in a moment", short(tracker))
		}
		return nil, fmt.Errorf("challenged ballot %s: %w", short(tracker), boardError(err))
	}
	if st.Type != election.TypeSpoiled {
		return nil, fmt.Errorf("entry %s is a %s, not a challenged ballot: only challenged ballots can be opened, a cast ballot stays secret", short(tracker), st.Type)
	}
	entry, err := election.DecodeEntry(st.Bytes)
	if err != nil {
		return nil, fmt.Errorf("challenged ballot %s: %w", short(tracker), err)
	}
	s, sel, err := e.verifier.CheckSpoiled(entry, e)
	if err != nil {
		return nil, fmt.Errorf("challenged ballot %s does not open: %w", short(tracker), err)
	}
	return &Audit{
		Tracker: tracker,
		Counter: s.Ballot.Counter,
		Style:   s.Ballot.Style,
		Choices: e.Describe(s.Ballot.Style, sel),
	}, nil
}
