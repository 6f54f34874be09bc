package trustee

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
)

// Runner keeps a trustee taking part in its election as the board moves
// through the phases: it reads the board, takes a Step, posts what the step
// asks for, and waits Poll before looking again, until the trustee's part is
// done or ctx ends. Everything it needs to resume is in the state file and on
// the board, so a runner that is stopped and started again goes on where it
// was.
type Runner struct {
	Trustee  *Trustee
	Follower *tally.Follower
	// Submit posts an entry's bytes.
	Submit func(ctx context.Context, entry []byte) error
	// Poll is the time between two looks at the board (0: 1 s).
	Poll time.Duration
	// Log receives one line per change of status and per entry posted
	// (nil: discarded). No secret is ever logged.
	Log *slog.Logger
}

// Run runs until the trustee's part in the election is done (nil), ctx ends
// (ctx's error), or the trustee cannot go on (ErrNoShare, or a state file
// that does not match the record).
func (rn *Runner) Run(ctx context.Context) error {
	log := rn.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	poll := rn.Poll
	if poll <= 0 {
		poll = time.Second
	}
	last := ""
	for {
		done, status, err := rn.round(ctx, log)
		if err != nil {
			return err
		}
		if status != last {
			log.Info("trustee", "trustee", rn.Trustee.Index(), "status", status)
			last = status
		}
		if done {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(poll):
		}
	}
}

// round is one look at the board. A board that cannot be reached, or that
// refuses an entry for now, is logged and tried again next round; only what
// no retry can mend is an error.
func (rn *Runner) round(ctx context.Context, log *slog.Logger) (done bool, status string, err error) {
	if err := rn.Follower.Sync(ctx); err != nil {
		if ctx.Err() != nil {
			return false, "", ctx.Err()
		}
		log.Warn("reading the board", "err", err)
		return false, "the board cannot be read", nil
	}
	plan, err := rn.Trustee.Step(rn.Follower.Replica)
	if err != nil {
		return false, "", err
	}
	for _, e := range plan.Post {
		err := rn.Submit(ctx, e.Bytes())
		if err == nil || errors.Is(err, election.ErrDuplicate) {
			log.Info("posted", "trustee", rn.Trustee.Index(), "type", e.Type.String(), "entry", e.ID().String())
			continue
		}
		if ctx.Err() != nil {
			return false, "", ctx.Err()
		}
		var refusal *client.Error
		if errors.As(err, &refusal) && refusal.Check != 0 && refusal.RetryAfter == 0 {
			// The entry breaks a rule of the record: posting it again
			// would not help, and it says the record moved on (a
			// ceremony entry after the open entry, say).
			log.Warn("refused", "trustee", rn.Trustee.Index(), "type", e.Type.String(), "err", err)
			continue
		}
		log.Warn("posting", "trustee", rn.Trustee.Index(), "type", e.Type.String(), "err", err)
	}
	return plan.Done, plan.Status, nil
}
