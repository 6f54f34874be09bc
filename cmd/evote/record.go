package main

import "github.com/urfave/cli/v2"

// recordCommand is not written yet.
func recordCommand() *cli.Command {
	return &cli.Command{
		Name:  "record",
		Usage: "export an election record (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote record: not yet available in this build", 1)
		},
	}
}
