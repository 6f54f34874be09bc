package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/trustee"
)

// electionOpenCommand opens voting once the key ceremony on the board is
// final: the commission computes the qualified trustees and the joint key
// from the board's ceremony entries and posts the open entry.
func electionOpenCommand() *cli.Command {
	return &cli.Command{
		Name:      "open",
		Usage:     "open voting once the key ceremony is final (commission)",
		UsageText: "evote election open --manifest FILE --commission-key FILE [--wait DURATION] [--node URL]...",
		Description: "Reads the key ceremony from the board and, when it is final, posts the open entry\n" +
			"with the qualified trustees and the joint election key, which every node recomputes.\n" +
			"The ceremony is final when every trustee has dealt and every complaint is answered,\n" +
			"or after the manifest's ceremony deadline with whoever qualified by then (at least t).\n" +
			"Before that it refuses and says what is missing; --wait keeps looking that long.",
		Flags: []cli.Flag{
			manifestFlag, nodeFlag, timeoutFlag,
			&cli.StringFlag{Name: "commission-key", Usage: "the commission's secret key `FILE`", Required: true},
			&cli.DurationFlag{Name: "wait", Usage: "wait up to `DURATION` for the ceremony to become final"},
			&cli.DurationFlag{Name: "poll", Value: time.Second, Usage: "while waiting, look at the board every `DURATION`"},
		},
		Action: electionOpen,
	}
}

func electionOpen(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("election open: unexpected argument %q", c.Args().First()), exitUsage)
	}
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return err
	}
	key, err := loadCommissionKey(c.String("commission-key"), sm)
	if err != nil {
		return err
	}
	cl, err := boardClient(c, sm.Manifest)
	if err != nil {
		return err
	}
	me, err := election.DecodeEntry(sm.Entry)
	if err != nil {
		return err
	}
	f, err := tally.NewFollower(me, cl)
	if err != nil {
		return err
	}
	ctx := commandContext(c)
	deadline := time.Now().Add(c.Duration("wait"))
	// A node refuses the open entry (check 35) when its record holds
	// ceremony entries this replica had not read yet — after the ceremony
	// deadline a late dealing may still arrive. Read again and retry.
	stale := 0
	for {
		if err := f.Sync(ctx); err != nil {
			return err
		}
		if f.Open() != nil {
			fmt.Fprintf(c.App.Writer, "election %s is open already: key %x, trustees %v\n", sm.ID, f.Open().Key.Bytes(), f.Open().Qualified)
			return nil
		}
		res, err := trustee.Final(f.Replica, time.Now())
		if err == nil {
			e, err := trustee.NewOpenEntry(f.Replica, res, key)
			if err != nil {
				return err
			}
			rc, err := submit(ctx, cl, sm, e.Bytes())
			var ce *client.Error
			if errors.As(err, &ce) && ce.Check == election.CheckOpenCeremony && stale < 5 {
				stale++
				fmt.Fprintf(c.App.ErrWriter, "the board holds ceremony entries not read yet (%s); reading again\n", ce.Message)
				continue
			}
			if err != nil {
				return fmt.Errorf("posting the open entry: %w", err)
			}
			w := c.App.Writer
			fmt.Fprintf(w, "election %s open: entry %s at index %d (node %x, %s)\n", sm.ID, e.ID(), rc.Index, rc.Node[:8], receiptTime(rc))
			fmt.Fprintf(w, "  election key: %x\n  qualified trustees: %v\n", res.Key.Bytes(), res.QUAL)
			for _, d := range res.Disqualified {
				fmt.Fprintf(w, "  left out: trustee %d (%s): %v\n", d.Dealer, sm.Manifest.Trustees.Members[d.Dealer-1].Name, d.Reason)
			}
			return nil
		}
		if waiting := errors.Is(err, trustee.ErrNotFinal) || errors.Is(err, threshold.ErrTooFew); !waiting || !time.Now().Before(deadline) {
			return fmt.Errorf("election %s cannot open: %w", sm.ID, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(c.Duration("poll")):
		}
	}
}
