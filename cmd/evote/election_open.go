package main

import "github.com/urfave/cli/v2"

// electionOpenCommand is not written yet.
func electionOpenCommand() *cli.Command {
	return &cli.Command{
		Name:  "open",
		Usage: "open voting once the key ceremony is final (commission) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote open: not yet available in this build", 1)
		},
	}
}
