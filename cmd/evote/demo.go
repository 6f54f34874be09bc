package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/demo"
)

// demoCommand runs a whole election on this machine (make demo).
func demoCommand() *cli.Command {
	return &cli.Command{
		Name:      "demo",
		Usage:     "run a complete election on this machine: nodes, trustees, voters, tally, verification",
		UsageText: "evote demo [--config FILE] [--voters N] [--nodes N] [--trustees N --threshold T] [--dir DIR]",
		Description: "Starts board nodes and trustees as separate evote processes on loopback, makes an\n" +
			"election from the config with fresh keys, runs the key ceremony, has the voters cast\n" +
			"through the voter's client (one challenges and audits, some revote, three invalid\n" +
			"ballots are refused), kills one node during voting and restarts it, closes, waits for\n" +
			"the seal quorum, tallies, exports the record and verifies it, live and offline. It\n" +
			"fails unless the verified result is exactly what the voters cast. Every process it\n" +
			"started is stopped when it ends, also on Ctrl-C; keys, logs and the record stay in DIR.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Value: "election-configs/referendum.yaml", Usage: "the election config `FILE` (any of election-configs/)"},
			&cli.IntFlag{Name: "voters", Value: 300, Usage: "`N` voters"},
			&cli.IntFlag{Name: "nodes", Value: 3, Usage: "`N` board nodes"},
			&cli.IntFlag{Name: "trustees", Value: 3, Usage: "`N` trustees"},
			&cli.IntFlag{Name: "threshold", Value: 2, Usage: "`T` trustees needed to decrypt"},
			&cli.StringFlag{Name: "dir", Usage: "working `DIR` for keys, logs and the record (default: a new temporary directory)"},
			&cli.Uint64Flag{Name: "seed", Usage: "make the voters' choices reproducible with `SEED`"},
		},
		Action: runDemo,
	}
}

func runDemo(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("demo: unexpected argument %q", c.Args().First()), exitUsage)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	_, err := demo.Run(ctx, demo.Options{
		Config:    c.String("config"),
		Voters:    c.Int("voters"),
		Nodes:     c.Int("nodes"),
		Trustees:  c.Int("trustees"),
		Threshold: c.Int("threshold"),
		Dir:       c.String("dir"),
		Seed:      c.Uint64("seed"),
		Out:       c.App.Writer,
	})
	return err
}
