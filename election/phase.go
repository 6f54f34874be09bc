package election

import (
	"fmt"
	"slices"
)

// Phase is where an election is. Entries move it forward only: setup → voting
// (the open entry) → closed (the close entry) → decryption (a quorum of node
// seals agrees on the ballot set) → done (the result entry).
type Phase uint8

// The phases, in order.
const (
	PhaseSetup      Phase = 1 // manifest, credentials, key ceremony
	PhaseVoting     Phase = 2 // ballots and spoiled ballots
	PhaseClosed     Phase = 3 // seals; ballots cast before close still arrive from other nodes
	PhaseDecryption Phase = 4 // partial decryptions, the result; late seals
	PhaseDone       Phase = 5 // after the result: only late seals
)

var phaseNames = map[Phase]string{
	PhaseSetup: "setup", PhaseVoting: "voting", PhaseClosed: "closed",
	PhaseDecryption: "decryption", PhaseDone: "done",
}

// String returns the phase's name as the spec spells it.
func (p Phase) String() string {
	if n, ok := phaseNames[p]; ok {
		return n
	}
	return fmt.Sprintf("phase(%d)", uint8(p))
}

// checkPhase makes check 23: t is accepted in the current phase. The error
// wraps ErrTooEarly when every phase that accepts t is still to come.
func (r *Record) checkPhase(t EntryType, phases []Phase) error {
	if slices.Contains(phases, r.phase) {
		return nil
	}
	if len(phases) > 0 && phases[0] > r.phase {
		return fmt.Errorf("%w: %s entries are accepted in the %s phase; the election is in the %s phase",
			ErrTooEarly, t, phases[0], r.phase)
	}
	return fmt.Errorf("%w: %s entries are accepted until the end of the %s phase; the election is in the %s phase",
		ErrTooLate, t, phases[len(phases)-1], r.phase)
}
