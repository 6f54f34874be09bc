package kiosk

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
	"github.com/evote/evote/voter/internal/votertest"
)

// TestWaitForElection: a kiosk started before the open entry waits for it.
func TestWaitForElection(t *testing.T) {
	bd := votertest.Start(t, false)
	log := slog.New(slog.DiscardHandler)
	ctx, cancel := context.WithTimeout(context.Background(), votertest.Timeout)
	defer cancel()
	got := make(chan error, 1)
	go func() {
		_, err := WaitForElection(ctx, bd.Client, bd.Election, 10*time.Millisecond, log)
		got <- err
	}()
	select {
	case err := <-got:
		t.Fatalf("returned before the open entry: %v", err)
	default:
	}
	for _, e := range bd.Record {
		if d, _ := election.DecodeEntry(e); d.Type == election.TypeOpen {
			bd.Submit(t, e)
		}
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}

	other := bd.Election
	other[0] ^= 1
	if _, err := WaitForElection(ctx, bd.Client, other, 10*time.Millisecond, log); err == nil || !errors.Is(err, cast.ErrUnknownElection) {
		t.Fatalf("an unknown election: %v, want ErrUnknownElection at once", err)
	}
}
