package election

import (
	"crypto/sha256"
	"fmt"
)

// Complete makes check 49, which only a whole record can pass: the record
// ends with a result (it is in PhaseDone).
func (r *Record) Complete() error {
	if r.phase != PhaseDone {
		return &CheckError{Check: CheckComplete, Entry: r.id, Type: TypeManifest,
			Err: fmt.Errorf("the record ends in the %s phase, without a result", r.phase)}
	}
	return nil
}

// Replay checks a whole record, given as the entries' bytes in record
// order, as an observer does: the first entry starts the record
// (NewRecord), every other is applied (ApplyBytes), and the record must be
// complete. A rejected entry is reported and skipped, and the replay goes
// on, so that one bad entry does not hide the others. The errors are
// *CheckErrors in record order. Replay returns a nil Record only when the
// first entry is not a valid manifest.
//
// A board stores an entry only after Apply accepted it, so a board's own
// record replays in its order with no error.
func Replay(entries [][]byte) (*Record, []error) {
	if len(entries) == 0 {
		return nil, []error{&CheckError{Check: CheckElection, Err: fmt.Errorf("the record is empty; it starts with a manifest entry")}}
	}
	first, err := decodeEnvelope(entries[0])
	if err != nil {
		return nil, []error{withEntry(checkError(CheckEncoding, err), sha256.Sum256(entries[0]), 0)}
	}
	r, err := NewRecord(first)
	if err != nil {
		return nil, []error{err}
	}
	var errs []error
	for _, b := range entries[1:] {
		if _, err := r.ApplyBytes(b); err != nil {
			errs = append(errs, err)
		}
	}
	if err := r.Complete(); err != nil {
		errs = append(errs, err)
	}
	return r, errs
}
