package kiosk

import (
	"time"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

// step is where a voter is.
type step int

const (
	stepBallot     step = iota + 1 // choosing
	stepReview                     // encrypted, deciding to cast or challenge
	stepDone                       // cast (or queued)
	stepChallenged                 // challenged, about to vote again
)

// session is one voter's visit. Everything in it is about that voter and
// goes when the session ends.
type session struct {
	token string
	voter *cast.Voter
	step  step
	// picks are the voter's choices, contest id → option ids, kept to fill
	// the ballot in again after a challenge or a change.
	picks map[string][]string
	// sel are the picks as selections, once valid.
	sel    cast.Selections
	ballot *cast.Ballot
	// receipt is the final screen's receipt (cast, or queued).
	receipt *cast.Receipt
	// spoiled is the last challenge, for its screen.
	spoiled *challenge
	timer   *time.Timer
}

// challenge is what the challenged screen shows.
type challenge struct {
	Tracker election.ID
	Choices []cast.Choice
	Queued  bool
}

// startSession ends any session and starts one for v, in the language the
// voter chose on the welcome screen. Requires k.mu.
func (k *Kiosk) startSession(v *cast.Voter) *session {
	lang := k.lang
	k.endSession()
	k.lang = lang
	s := &session{token: newToken(), voter: v, step: stepBallot, picks: map[string][]string{}}
	k.sess = s
	k.touch(s, k.cfg.IdleTimeout)
	return s
}

// touch restarts s's timer: the session ends after d without a request.
// Requires k.mu.
func (k *Kiosk) touch(s *session, d time.Duration) {
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(d, func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		if k.sess == s {
			k.endSession()
		}
	})
}

// endSession forgets the voter: the credential key is overwritten, the
// ballot's opening dropped, the choices and receipt released, and the
// screen's language goes back to the default. Requires k.mu.
func (k *Kiosk) endSession() {
	s := k.sess
	k.sess = nil
	k.lang = k.cfg.Language
	if s == nil {
		return
	}
	if s.timer != nil {
		s.timer.Stop()
	}
	if s.voter != nil {
		s.voter.Forget()
	}
	if s.ballot != nil {
		s.ballot.Forget()
	}
	clear(s.picks)
	*s = session{}
}

// Active reports whether a voter's session is open.
func (k *Kiosk) Active() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.sess != nil
}
