package main

import (
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/voter/cast"
	"github.com/evote/evote/voter/kiosk"
)

// kioskCommand is `evote kiosk`: the polling-place kiosk's local web
// application.
func kioskCommand() *cli.Command {
	return &cli.Command{
		Name:      "kiosk",
		Usage:     "run a polling-place kiosk: a local web page for casting ballots",
		UsageText: "evote kiosk --election ID --node URL [--listen 127.0.0.1:8080] [--queue DIR]",
		Description: "Serves the kiosk's screens to a browser on this machine (open the printed URL in a\n" +
			"full-screen browser). Voters enter or scan their credential code, choose, review, and cast\n" +
			"or challenge; the final screen shows the tracker and a QR code of the receipt, and clears\n" +
			"itself. Ballots are encrypted by this process. When no board node answers, cast ballots are\n" +
			"kept in --queue and submitted when a node is back. Only the local screen may connect unless\n" +
			"--allow-remote. The kiosk waits for the election to open. SIGINT or SIGTERM stops it.",
		Flags: []cli.Flag{
			voteElectionFlag, voteNodeFlag, voteTimeoutFlag,
			&cli.StringFlag{Name: "listen", Value: "127.0.0.1:8080", Usage: "serve the screens on `ADDR` (host:port; port 0 picks one)"},
			&cli.StringFlag{Name: "queue", Value: "kiosk-queue", Usage: "keep ballots that no node took in `DIR`"},
			&cli.StringFlag{Name: "lang", Value: "en", Usage: "the screens' language at the start of each voter's session: en or zh-Hans"},
			&cli.DurationFlag{Name: "reset-after", Value: kiosk.DefaultResetAfter, Usage: "clear the final screen after `DURATION`"},
			&cli.DurationFlag{Name: "idle-timeout", Value: kiosk.DefaultIdleTimeout, Usage: "end a voter's session after `DURATION` without activity"},
			&cli.DurationFlag{Name: "retry", Value: kiosk.DefaultRetryInterval, Usage: "offer queued ballots to the board every `DURATION`"},
			&cli.BoolFlag{Name: "allow-remote", Usage: "let browsers on other machines use the kiosk (not for a polling place)"},
		},
		Action: kioskRun,
	}
}

func kioskRun(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("kiosk: unexpected argument %q", c.Args().First()), exitUsage)
	}
	id, err := cast.ParseID(c.String(voteElectionFlag.Name))
	if err != nil {
		return cli.Exit(fmt.Sprintf("kiosk: --election: %v", err), exitUsage)
	}
	urls := c.StringSlice(voteNodeFlag.Name)
	if len(urls) == 0 {
		return cli.Exit("kiosk: give --node URL, a board node (repeat it for others to fall back on)", exitUsage)
	}
	board, err := client.New(urls, client.Options{Timeout: c.Duration(voteTimeoutFlag.Name)})
	if err != nil {
		return cli.Exit(fmt.Sprintf("kiosk: --node: %v", err), exitUsage)
	}
	l, err := kiosk.Listen(c.String("listen"), c.Bool("allow-remote"))
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(c.App.ErrWriter, nil))
	e, err := kiosk.WaitForElection(ctx, board, id, 5*time.Second, log)
	if err != nil {
		l.Close()
		return err
	}
	k, err := kiosk.New(kiosk.Config{
		Election:      e,
		QueueDir:      c.String("queue"),
		ResetAfter:    c.Duration("reset-after"),
		IdleTimeout:   c.Duration("idle-timeout"),
		RetryInterval: c.Duration("retry"),
		Language:      c.String("lang"),
		AllowRemote:   c.Bool("allow-remote"),
		Logger:        log,
	})
	if err != nil {
		l.Close()
		return err
	}
	fmt.Fprintf(c.App.Writer, "kiosk ready: http://%s/\n", l.Addr())
	return k.Serve(ctx, l)
}
