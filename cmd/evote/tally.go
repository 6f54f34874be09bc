package main

import "github.com/urfave/cli/v2"

// tallyCommand is not written yet.
func tallyCommand() *cli.Command {
	return &cli.Command{
		Name:  "tally",
		Usage: "compute and post the result from the sealed ballots (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote tally: not yet available in this build", 1)
		},
	}
}
