package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
)

// tallyCommand counts the sealed ballots and, with the commission key,
// posts the result.
func tallyCommand() *cli.Command {
	return &cli.Command{
		Name:      "tally",
		Usage:     "compute and post the result from the sealed ballots",
		UsageText: "evote tally --manifest FILE [--commission-key FILE] [--partial FILE]... [--wait DURATION] [--node URL]...",
		Description: "Replays the election's record from a board node with the record's own rules,\n" +
			"takes the ballot set that a quorum of nodes sealed, keeps each credential's last\n" +
			"ballot, adds up every option, checks every trustee's partial decryption (from the\n" +
			"board, and --partial files made offline), combines t valid ones, and recovers each\n" +
			"count. Anyone can run it; with --commission-key it posts the result entry (and any\n" +
			"--partial it used that the board lacks). Invalid partials are left out with the\n" +
			"reason; with fewer than t valid ones it fails and posts nothing.",
		Flags: []cli.Flag{
			manifestFlag, nodeFlag, timeoutFlag,
			&cli.StringFlag{Name: "commission-key", Usage: "sign and post the result with the commission's secret key `FILE`"},
			&cli.StringSliceFlag{Name: "partial", Usage: "a trustee's partial decryption entry `FILE` made offline (repeatable)"},
			&cli.DurationFlag{Name: "wait", Usage: "wait up to `DURATION` for the seal quorum and for t valid partial decryptions"},
			&cli.DurationFlag{Name: "poll", Value: time.Second, Usage: "while waiting, look at the board every `DURATION`"},
		},
		Action: tallyAction,
	}
}

func tallyAction(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("tally: unexpected argument %q", c.Args().First()), exitUsage)
	}
	sm, err := readManifest(c.String(manifestFlag.Name))
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
	cfg := tally.Config{Follower: f, Wait: c.Duration("wait"), Poll: c.Duration("poll")}
	for _, path := range c.StringSlice("partial") {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		e, err := election.DecodeEntry(b)
		if err != nil || e.Type != election.TypePartial || e.Election != sm.ID {
			return fmt.Errorf("--partial %s: not a partial decryption entry of election %s", path, sm.ID)
		}
		cfg.Extra = append(cfg.Extra, e)
	}
	if path := c.String("commission-key"); path != "" {
		key, err := loadCommissionKey(path, sm)
		if err != nil {
			return err
		}
		cfg.Commission = key
	}
	ctx := commandContext(c)
	cfg.Submit = func(ctx2 context.Context, b []byte) error {
		_, err := submit(ctx2, cl, sm, b)
		return err
	}
	if p := newTerminalProgress(c.App.ErrWriter); p != nil {
		cfg.Progress = p
		f.OnPage = p.read
		defer p.finish()
	}
	rep, err := tally.Run(ctx, cfg)
	if err != nil {
		return err
	}
	printResult(c.App.Writer, sm, rep)
	return nil
}

// printResult prints the counts and what was done.
func printResult(w io.Writer, sm *signedManifest, rep *tally.Report) {
	fmt.Fprintf(w, "election %s: %d ballots counted", sm.ID, rep.Ballots)
	if n := len(rep.Superseded); n > 0 {
		fmt.Fprintf(w, " (%d superseded by revotes)", n)
	}
	fmt.Fprintf(w, ", decrypted by trustees %v\n", rep.Decryption.Used)
	for _, x := range rep.Decryption.Excluded {
		fmt.Fprintf(w, "left out: %v\n", x)
	}
	for c, ct := range sm.Manifest.Contests {
		fmt.Fprintf(w, "%s:\n", ct.ID)
		for o, opt := range ct.Options {
			fmt.Fprintf(w, "  %-24s %d\n", opt.ID, rep.Result.Counts[c][o])
		}
	}
	for _, j := range rep.PostedPartials {
		fmt.Fprintf(w, "posted trustee %d's partial decryption\n", j)
	}
	switch {
	case rep.Posted:
		fmt.Fprintf(w, "posted the result entry %s\n", rep.Entry.ID())
	case rep.Entry != nil:
		fmt.Fprintf(w, "the board holds this result already\n")
	default:
		fmt.Fprintf(w, "not posted (no --commission-key)\n")
	}
}

// terminalProgress shows the tally's stages as progress bars on a terminal:
// a counter of the entries read from the board, then one bar per stage.
type terminalProgress struct {
	w       io.Writer
	reading *progressbar.ProgressBar
	bar     *progressbar.ProgressBar
}

// newTerminalProgress returns a progress display on w if w is a terminal,
// else nil: logs and pipes get no bars.
func newTerminalProgress(w io.Writer) *terminalProgress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &terminalProgress{w: w}
}

// newBar returns a bar for total steps (-1: unknown).
func (p *terminalProgress) newBar(name string, total int) *progressbar.ProgressBar {
	return progressbar.NewOptions(total, progressbar.OptionSetWriter(p.w), progressbar.OptionSetDescription(name),
		progressbar.OptionShowCount(), progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
}

// Stage starts a bar for one stage.
func (p *terminalProgress) Stage(name string, total int) func(int) {
	p.finish()
	bar := p.newBar(name, total)
	p.bar = bar
	return func(done int) { _ = bar.Set(done) }
}

// read counts entries read from the board.
func (p *terminalProgress) read(n int) {
	if p.bar != nil {
		return // a stage is showing; later reads are small
	}
	if p.reading == nil {
		p.reading = p.newBar("reading the record", -1)
	}
	_ = p.reading.Add(n)
}

// finish ends the bars.
func (p *terminalProgress) finish() {
	for _, b := range []**progressbar.ProgressBar{&p.reading, &p.bar} {
		if *b != nil {
			_ = (*b).Finish()
			*b = nil
		}
	}
}
