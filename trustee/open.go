package trustee

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
)

// ErrNotFinal is wrapped by a NotFinalError.
var ErrNotFinal = errors.New("the key ceremony is not final")

// NotFinalError says why the key ceremony on a record is not final yet:
// which trustees have not dealt and which complaints no reveal answers,
// before the ceremony deadline.
type NotFinalError struct {
	Missing    []int // trustees with no dealing on the record
	Unanswered []election.Complaint
	Deadline   time.Time
}

func (e *NotFinalError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, fmt.Sprintf("no dealing yet from trustees %v", e.Missing))
	}
	for _, c := range e.Unanswered {
		parts = append(parts, fmt.Sprintf("trustee %d's complaint against trustee %d is unanswered", c.Accuser, c.Dealer))
	}
	return fmt.Sprintf("%v: %s (until the ceremony deadline %s)", ErrNotFinal, strings.Join(parts, "; "), e.Deadline.UTC().Format(time.RFC3339))
}

// Unwrap returns ErrNotFinal.
func (e *NotFinalError) Unwrap() error { return ErrNotFinal }

// Final decides whether the key ceremony on the record is final at time now,
// and if so returns its outcome (the qualified set, the joint key and every
// verification key). It is final when every trustee has dealt and every
// complaint is answered, or, once the manifest's ceremony deadline has
// passed, with whatever is on the record then: a trustee that never dealt, or
// left a complaint unanswered, is disqualified. Either way at least t
// trustees must qualify (check 12), or the error is a
// *threshold.QualifyError.
func Final(r *tally.Replica, now time.Time) (*threshold.Result, error) {
	deadline := time.Unix(r.Manifest().Schedule.CeremonyDeadline, 0)
	if now.Before(deadline) {
		var missing []int
		for j := 1; j <= r.Params().N; j++ {
			if r.Dealing(j) == nil {
				missing = append(missing, j)
			}
		}
		if un := r.Unanswered(); len(missing) > 0 || len(un) > 0 {
			return nil, &NotFinalError{Missing: missing, Unanswered: un, Deadline: deadline}
		}
	}
	return r.Ceremony()
}

// NewOpenEntry returns the commission's signed open entry for the ceremony
// outcome res.
func NewOpenEntry(r *tally.Replica, res *threshold.Result, commission ed25519.PrivateKey) (*election.Entry, error) {
	if !commission.Public().(ed25519.PublicKey).Equal(r.Manifest().Commission) {
		return nil, fmt.Errorf("the signing key is not the commission key of election %s", r.ID())
	}
	e := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeOpen, Election: r.ID(), Payload: election.NewOpen(res).Bytes()}
	e.Sign(commission)
	return e, nil
}
