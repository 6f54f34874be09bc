package main

import "github.com/urfave/cli/v2"

// electionCloseCommand is not written yet.
func electionCloseCommand() *cli.Command {
	return &cli.Command{
		Name:  "close",
		Usage: "close voting (commission) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote close: not yet available in this build", 1)
		},
	}
}
