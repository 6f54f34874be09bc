package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"
)

// exitUsage is the exit status for a command line that evote does not
// understand, as opposed to a command that ran and failed (status 1).
const exitUsage = 2

// newApp builds the command tree. version is printed by --version; out and
// errOut receive normal output and diagnostics. The app never calls os.Exit:
// Run returns every error so that main (or a test) decides what to do.
func newApp(version string, out, errOut io.Writer) *cli.App {
	return &cli.App{
		Name:         "evote",
		Usage:        "end-to-end verifiable elections",
		Version:      version,
		Writer:       out,
		ErrWriter:    errOut,
		Commands:     commands(),
		Action:       rootAction,
		OnUsageError: rootUsageError,
		// Run returns errors instead of exiting; main prints them once.
		ExitErrHandler: func(*cli.Context, error) {},
	}
}

// commands lists the command groups, one per role. Each group lives in its
// own file (election.go, node.go, trustee.go, …) as a function returning
// its *cli.Command; adding a group is one new file and one line here.
func commands() []*cli.Command {
	return []*cli.Command{
		keygenCommand(),
		electionCommand(),
		nodeCommand(),
		trusteeCommand(),
		voteCommand(),
		kioskCommand(),
		tallyCommand(),
		verifyCommand(),
		recordCommand(),
		demoCommand(),
	}
}

// rootAction runs for `evote` with no command: it shows help. Anything left
// on the command line is a command that does not exist, which is an error
// (urfave/cli's default would treat it as a help topic).
func rootAction(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("unknown command %q; run 'evote --help' for the list of commands", c.Args().First()), exitUsage)
	}
	return cli.ShowAppHelp(c)
}

// rootUsageError turns a bad global flag into a usage error (status 2) with
// a hint, instead of urfave/cli's full help dump.
func rootUsageError(_ *cli.Context, err error, _ bool) error {
	return cli.Exit(fmt.Errorf("%w; run 'evote --help' for usage", err), exitUsage)
}
