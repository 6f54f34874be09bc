package kiosk

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

// WaitForElection fetches the election (cast.Fetch), and while it is not
// open yet or no node answers, tries again every interval: a kiosk is often
// started before the polls open. Other failures (an unknown election, a
// record that does not check) end the wait.
func WaitForElection(ctx context.Context, board *client.Client, id election.ID, interval time.Duration, log *slog.Logger) (*cast.Election, error) {
	for {
		e, err := cast.Fetch(ctx, board, id)
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, cast.ErrNotOpen) && !errors.Is(err, cast.ErrUnreachable) {
			return nil, err
		}
		log.Info("kiosk: waiting for the election", "reason", err.Error())
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(interval):
		}
	}
}
