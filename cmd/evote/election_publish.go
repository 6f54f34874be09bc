package main

import "github.com/urfave/cli/v2"

// electionPublishCommand is not written yet.
func electionPublishCommand() *cli.Command {
	return &cli.Command{
		Name:  "publish",
		Usage: "post signed entries to the board (commission) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote publish: not yet available in this build", 1)
		},
	}
}
