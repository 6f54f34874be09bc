package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"os"
	"runtime/debug"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/atomicfile"
	"github.com/evote/evote/verify"
)

// verifyCommand re-checks a whole election from its public record.
func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:      "verify",
		Usage:     "re-check a whole election from its public record (observer)",
		UsageText: "evote verify (--node URL... [--election ID] | --record DIR) [--json] [--html FILE]",
		Description: "Reads the record from live board nodes (--node, repeatable; the log of the first\n" +
			"that serves the election, then every node's checkpoint, seal consistency and\n" +
			"evidence) or from a record directory written by 'evote record export' (--record),\n" +
			"and replays it through the same rules every board node runs. Prints one line per\n" +
			"numbered check of docs/SPEC.md with its status and count, and every failure with\n" +
			"the entry and the reason. Exit status 0 only when every check holds, 1 when one\n" +
			"fails, 2 for a usage error. docs/VERIFY.md explains the report.",
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "node", Usage: "a board node's base `URL` (repeatable)"},
			&cli.StringFlag{Name: "election", Usage: "the election `ID` (hex) on the nodes; needed when they serve several"},
			&cli.StringFlag{Name: "record", Usage: "a record `DIR` (evote record export)"},
			&cli.BoolFlag{Name: "json", Usage: "print the report as JSON"},
			&cli.StringFlag{Name: "html", Usage: "also write the report as an HTML page to `FILE`"},
			&cli.BoolFlag{Name: "quiet", Usage: "no progress bar"},
		},
		Action: verifyAction,
	}
}

func verifyAction(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("verify: unexpected argument %q", c.Args().First()), exitUsage)
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	src, err := verifySource(ctx, c)
	if err != nil {
		return err
	}
	// The replay allocates for every ballot and keeps little of it: a
	// collector running half as often costs about a third more memory at
	// peak and saves about 5% of the time. GOGC, when set, decides instead.
	if os.Getenv("GOGC") == "" {
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	rep := verify.Run(ctx, src, verify.Options{Progress: progress(c, "verifying")})
	if f := c.String("html"); f != "" {
		if err := writeHTML(f, rep); err != nil {
			return err
		}
	}
	if c.Bool("json") {
		err = rep.WriteJSON(c.App.Writer)
	} else {
		err = rep.WriteText(c.App.Writer)
	}
	if err != nil {
		return err
	}
	if !rep.OK() {
		return cli.Exit("", 1)
	}
	return nil
}

// verifySource returns the source the flags name: exactly one of --record
// and --node.
func verifySource(ctx context.Context, c *cli.Context) (verify.Source, error) {
	nodes, dir := c.StringSlice("node"), c.String("record")
	switch {
	case dir != "" && len(nodes) > 0:
		return nil, cli.Exit("verify: give --record or --node, not both", exitUsage)
	case dir != "":
		if c.IsSet("election") {
			return nil, cli.Exit("verify: --election is for --node; a record directory holds one election", exitUsage)
		}
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("--record: %w", err)
		}
		return verify.Dir(dir), nil
	case len(nodes) > 0:
		el, err := electionFlag(c)
		if err != nil {
			return nil, err
		}
		src, err := verify.NewNodes(ctx, nodes, el, client.Options{UserAgent: "evote-verify"})
		if err != nil {
			return nil, fmt.Errorf("--node: %w", err)
		}
		return src, nil
	}
	return nil, cli.Exit("verify: give the record: --record DIR or --node URL", exitUsage)
}

// electionFlag parses --election, zero when it is not given.
func electionFlag(c *cli.Context) (election.ID, error) {
	var id election.ID
	s := c.String("election")
	if s == "" {
		return id, nil
	}
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(id) {
		return id, cli.Exit(fmt.Sprintf("--election: %q is not an election id (64 hex digits)", s), exitUsage)
	}
	copy(id[:], b)
	return id, nil
}

// progress returns a progress callback that draws a bar on standard error
// when it is a terminal (and --quiet is not given), or nil.
func progress(c *cli.Context, what string) func(int) {
	if c.Bool("quiet") || !term.IsTerminal(int(os.Stderr.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(os.Stderr), progressbar.OptionSetDescription(what),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("entries"),
		progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
	return func(n int) { _ = bar.Set(n) }
}

func writeHTML(path string, rep *verify.Report) error {
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	if err := atomicfile.Write(path, b.Bytes(), 0o644, true); err != nil {
		return fmt.Errorf("--html: %w", err)
	}
	return nil
}
