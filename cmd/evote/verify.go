package main

import "github.com/urfave/cli/v2"

// verifyCommand is not written yet.
func verifyCommand() *cli.Command {
	return &cli.Command{
		Name:  "verify",
		Usage: "re-check a whole election from its public record (observer) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote verify: not yet available in this build", 1)
		},
	}
}
