package main

import (
	"context"
	"errors"
	"fmt"

	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

// Flags of the voter's commands.
var (
	voteElectionFlag = &cli.StringFlag{Name: "election", Usage: "the election `ID` (64 hex digits) printed on your credential letter", EnvVars: []string{"EVOTE_ELECTION"}}
	voteNodeFlag     = &cli.StringSliceFlag{Name: "node", Usage: "base `URL` of a board node (repeat: the other nodes are tried when one does not answer)", EnvVars: []string{"EVOTE_NODES"}}
	voteTimeoutFlag  = &cli.DurationFlag{Name: "timeout", Value: client.DefaultTimeout, Usage: "give up on one node after `DURATION` and try the next"}
)

// voteCommand is `evote vote`: cast a ballot from a terminal, and its
// subcommands audit (a challenged ballot) and check (a receipt).
func voteCommand() *cli.Command {
	return &cli.Command{
		Name:      "vote",
		Usage:     "cast, challenge and check a ballot (voter)",
		UsageText: "evote vote --election ID --node URL [--code-file FILE] [--select CONTEST=OPTION,… …] [--challenge] [--receipt FILE]",
		Description: "Encrypts your choices on this device under the election key from the board, and casts\n" +
			"the ballot or challenges it. Without --select it asks for each contest and shows a summary.\n" +
			"The credential code comes from --code, --code-file or $EVOTE_CREDENTIAL, or is asked for.\n" +
			"Casting prints the ballot's tracker and saves the node's signed receipt (--receipt).\n" +
			"Challenging opens the ballot on the board instead, so that another device can check that\n" +
			"it held your choices ('evote vote audit'); then you vote again. Voting again later with the\n" +
			"same credential replaces your earlier ballot.",
		Flags: []cli.Flag{
			voteElectionFlag, voteNodeFlag, voteTimeoutFlag,
			&cli.StringFlag{Name: "code", Usage: "your credential `CODE` (visible to other users of this machine: prefer --code-file)"},
			&cli.StringFlag{Name: "code-file", Usage: "read the credential code from `FILE`"},
			&cli.GenericFlag{Name: "select", Value: &repeatedFlag{}, Usage: "your choice in one contest, `CONTEST=OPTION,…` (CONTEST= for none); repeat for each contest; no questions are asked"},
			&cli.BoolFlag{Name: "challenge", Usage: "with --select: challenge the ballot instead of casting it"},
			&cli.StringFlag{Name: "receipt", Usage: "save the receipt to `FILE` (default receipt-TRACKER.json)"},
		},
		Action: voteCast,
		Subcommands: []*cli.Command{
			voteAuditCommand(),
			voteCheckCommand(),
		},
	}
}

func voteAuditCommand() *cli.Command {
	return &cli.Command{
		Name:      "audit",
		Usage:     "open a challenged ballot and show the choices it encrypted",
		UsageText: "evote vote audit --election ID --node URL --tracker TRACKER",
		Description: "Fetches the challenged ballot from the board, checks its proofs and that the randomness it\n" +
			"reveals re-encrypts to its ciphertexts, and prints the choices it holds. Run it on another\n" +
			"device than the one that encrypted the ballot.",
		Flags: []cli.Flag{
			voteElectionFlag, voteNodeFlag, voteTimeoutFlag,
			&cli.StringFlag{Name: "tracker", Usage: "the challenged ballot's `TRACKER`", Required: true},
		},
		Action: voteAudit,
	}
}

func voteCheckCommand() *cli.Command {
	return &cli.Command{
		Name:      "check",
		Usage:     "check that a ballot is on the board (and, after the close, in the sealed set)",
		UsageText: "evote vote check --receipt FILE --node URL [--wait DURATION]",
		Description: "Asks every node given for a proof that your ballot is in its log, against a checkpoint the\n" +
			"node signed; after the close, checks the ballot against the set a quorum of nodes sealed.\n" +
			"Exits with status 1 when no node proves the ballot is on the board.",
		Flags: []cli.Flag{
			voteNodeFlag, voteTimeoutFlag,
			&cli.StringFlag{Name: "receipt", Usage: "the receipt `FILE` saved when casting (or the text of its QR code)", Required: true},
			&cli.DurationFlag{Name: "wait", Value: 10 * time.Second, Usage: "wait up to `DURATION` for nodes' checkpoints to reach the ballot"},
		},
		Action: voteCheck,
	}
}

// voteElection fetches and checks the election of --election, or of id
// when it is not zero.
func voteElection(c *cli.Context, id election.ID) (*cast.Election, error) {
	if c.Args().Present() {
		return nil, cli.Exit(fmt.Sprintf("%s: unexpected argument %q", c.Command.FullName(), c.Args().First()), exitUsage)
	}
	if id == (election.ID{}) {
		s := c.String(voteElectionFlag.Name)
		if s == "" {
			return nil, cli.Exit(c.Command.FullName()+": give --election ID (it is on your credential letter)", exitUsage)
		}
		var err error
		if id, err = cast.ParseID(s); err != nil {
			return nil, cli.Exit(fmt.Sprintf("--election: %v", err), exitUsage)
		}
	}
	urls := c.StringSlice(voteNodeFlag.Name)
	if len(urls) == 0 {
		return nil, cli.Exit(c.Command.FullName()+": give --node URL, a board node to talk to (repeat it for others to fall back on)", exitUsage)
	}
	board, err := client.New(urls, client.Options{Timeout: c.Duration(voteTimeoutFlag.Name)})
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("--node: %v", err), exitUsage)
	}
	return cast.Fetch(c.Context, board, id)
}

// voteCode reads the credential code from --code, --code-file or the
// environment, or returns ok false when none is given.
func voteCode(c *cli.Context) (code string, ok bool, err error) {
	switch {
	case c.IsSet("code") && c.IsSet("code-file"):
		return "", false, cli.Exit("vote: give --code or --code-file, not both", exitUsage)
	case c.IsSet("code"):
		return c.String("code"), true, nil
	case c.IsSet("code-file"):
		b, err := credentialsReadFile(c.String("code-file"), 4096)
		if err != nil {
			return "", false, fmt.Errorf("--code-file: %w", err)
		}
		line, _, _ := strings.Cut(string(b), "\n")
		return line, true, nil
	}
	if s := os.Getenv("EVOTE_CREDENTIAL"); s != "" {
		return s, true, nil
	}
	return "", false, nil
}

func voteCast(c *cli.Context) error {
	e, err := voteElection(c, election.ID{})
	if err != nil {
		return err
	}
	if e.Closed() {
		return cast.ErrClosed
	}
	scripted := c.IsSet("select")
	if c.Bool("challenge") && !scripted {
		return cli.Exit("vote: --challenge goes with --select; without it you are asked whether to cast or challenge", exitUsage)
	}
	in := c.App.Reader
	if in == nil {
		in = os.Stdin
	}
	p := cast.NewPrompter(in, c.App.Writer)
	v, err := voteVoter(c, e, p)
	if err != nil {
		return err
	}
	defer v.Forget()
	if scripted {
		return voteScripted(c, e, v)
	}
	return voteInteractive(c, e, v, p)
}

// voteVoter turns the credential code into the voter's key in e.
func voteVoter(c *cli.Context, e *cast.Election, p *cast.Prompter) (*cast.Voter, error) {
	text, ok, err := voteCode(c)
	if err != nil {
		return nil, err
	}
	if !ok {
		if c.IsSet("select") {
			return nil, cli.Exit("vote: give the credential code with --code-file FILE, --code or $EVOTE_CREDENTIAL", exitUsage)
		}
		if text, err = askCode(c, p); err != nil {
			return nil, err
		}
	}
	code, err := cast.ParseCode(text)
	if err != nil {
		return nil, err
	}
	return e.Voter(code)
}

// askCode asks for the credential code. On a terminal it is not echoed,
// so that it does not stay on the screen of a shared machine; from a pipe
// it is read as any other answer.
func askCode(c *cli.Context, p *cast.Prompter) (string, error) {
	fd := int(os.Stdin.Fd())
	if (c.App.Reader != nil && c.App.Reader != os.Stdin) || !term.IsTerminal(fd) {
		return p.Ask("Credential code: ")
	}
	fmt.Fprint(c.App.Writer, "Credential code (not shown as you type): ")
	b, err := term.ReadPassword(fd)
	fmt.Fprintln(c.App.Writer)
	if err != nil {
		return "", fmt.Errorf("reading the credential code: %w", err)
	}
	return string(b), nil
}

func voteScripted(c *cli.Context, e *cast.Election, v *cast.Voter) error {
	picks, err := cast.ParseSelect(c.Generic("select").(*repeatedFlag).values)
	if err != nil {
		return cli.Exit("--select: "+err.Error(), exitUsage)
	}
	sel, err := e.Choose(v.Style, picks)
	if err != nil {
		return err
	}
	b, err := e.Encrypt(c.Context, v, sel)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintln(w, "Your ballot:")
	cast.WriteChoices(w, e.Describe(v.Style, sel))
	if c.Bool("challenge") {
		return voteChallenge(c, e, b)
	}
	return voteSubmit(c, e, b)
}

func voteInteractive(c *cli.Context, e *cast.Election, v *cast.Voter, p *cast.Prompter) error {
	w := c.App.Writer
	fmt.Fprintf(w, "%s\n", e.Manifest.Title)
	for {
		sel, err := p.Choose(e, v.Style)
		if err != nil {
			return err
		}
		b, err := e.Encrypt(c.Context, v, sel)
		if err != nil {
			return err
		}
		d, err := p.Decide(e.Describe(v.Style, sel), b.Tracker.String())
		if err != nil {
			return err
		}
		switch d {
		case cast.DecideCast:
			return voteSubmit(c, e, b)
		case cast.DecideChallenge:
			if err := voteChallenge(c, e, b); err != nil {
				return err
			}
			fmt.Fprintln(w, "\nNow vote again: your choices are encrypted afresh.")
		case cast.DecideChange:
			b.Forget()
		}
	}
}

// voteSubmit casts b and saves the receipt.
func voteSubmit(c *cli.Context, e *cast.Election, b *cast.Ballot) error {
	rc, err := e.Cast(c.Context, b)
	if err != nil {
		return err
	}
	path := c.String("receipt")
	if path == "" {
		path = "receipt-" + rc.Tracker.String()[:16] + ".json"
	}
	w := c.App.Writer
	fmt.Fprintf(w, "Ballot cast.\nTracker: %s\n", rc.Tracker)
	fmt.Fprintf(w, "Node %s signed a receipt: index %d of its log, at %s.\n", rc.NodeName, rc.Node.Index, receiptTime(rc.Node))
	if err := cast.WriteReceipt(path, rc); err != nil {
		return err
	}
	fmt.Fprintf(w, "Receipt saved to %s. Check it at any time, and after the close:\n  evote vote check --receipt %s%s\n", path, path, nodeArgs(e))
	return nil
}

// voteChallenge challenges b and says how to audit it.
func voteChallenge(c *cli.Context, e *cast.Election, b *cast.Ballot) error {
	sp, err := e.Challenge(c.Context, b)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "Ballot %s challenged: it is opened on the board and will never count.\n", sp.Ballot)
	fmt.Fprintf(w, "Challenged ballot tracker: %s (node %s, index %d)\n", sp.Tracker, sp.Receipt.NodeName, sp.Receipt.Node.Index)
	fmt.Fprintf(w, "On another device, check that it holds your choices:\n  evote vote audit --election %s%s --tracker %s\n", e.ID, nodeArgs(e), sp.Tracker)
	if path := c.String("receipt"); path != "" && c.Bool("challenge") {
		if err := cast.WriteReceipt(path, sp.Receipt); err != nil {
			return err
		}
		fmt.Fprintf(w, "Receipt of the challenge saved to %s.\n", path)
	}
	return nil
}

// nodeArgs is " --node URL" for each of e's board URLs.
func nodeArgs(e *cast.Election) string {
	var s strings.Builder
	for _, u := range e.Board().URLs() {
		s.WriteString(" --node " + u)
	}
	return s.String()
}

func voteAudit(c *cli.Context) error {
	tracker, err := cast.ParseID(c.String("tracker"))
	if err != nil {
		return cli.Exit(fmt.Sprintf("--tracker: %v", err), exitUsage)
	}
	e, err := voteElection(c, election.ID{})
	if err != nil {
		return err
	}
	a, err := e.Audit(c.Context, tracker)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "Challenged ballot %s opens correctly (every proof holds, and its randomness re-encrypts to it).\n", a.Tracker)
	fmt.Fprintln(w, "It encrypted these choices:")
	cast.WriteChoices(w, a.Choices)
	fmt.Fprintln(w, "If these are not the choices you made, the device that encrypted the ballot is faulty: do not cast with it, and tell the election officials.")
	return nil
}

func voteCheck(c *cli.Context) error {
	r, err := voteReadReceipt(c.String("receipt"))
	if err != nil {
		return err
	}
	e, err := voteElection(c, r.Election)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context, c.Duration("wait")+2*c.Duration(voteTimeoutFlag.Name))
	defer cancel()
	rep, err := e.Check(ctx, r, c.Duration("wait"))
	if err != nil {
		return err
	}
	rep.WriteText(c.App.Writer)
	switch {
	case !rep.OnBoard():
		return cli.Exit("vote check: no node proved that the ballot is on the board", 1)
	case rep.Sealed != nil && rep.Sealed.Err == nil && !rep.Sealed.InSet:
		return cli.Exit("vote check: the ballot is missing from the sealed set", 1)
	}
	return nil
}

// voteReadReceipt reads a receipt file, or the receipt text itself (from
// a QR code) when the argument starts with "{".
func voteReadReceipt(arg string) (*cast.Receipt, error) {
	if strings.HasPrefix(strings.TrimSpace(arg), "{") {
		return cast.DecodeReceipt([]byte(arg))
	}
	r, err := cast.ReadReceipt(arg)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("receipt file %s does not exist", arg)
	}
	return r, err
}

// repeatedFlag collects every use of a flag as it was given. urfave/cli's
// string slices split values at commas, which --select uses inside a value.
type repeatedFlag struct{ values []string }

func (r *repeatedFlag) Set(v string) error {
	r.values = append(r.values, v)
	return nil
}

func (r *repeatedFlag) String() string { return strings.Join(r.values, " ") }
