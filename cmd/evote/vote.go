package main

import "github.com/urfave/cli/v2"

// voteCommand is not written yet.
func voteCommand() *cli.Command {
	return &cli.Command{
		Name:  "vote",
		Usage: "cast, challenge and check a ballot (voter) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote vote: not yet available in this build", 1)
		},
	}
}
