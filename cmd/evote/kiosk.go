package main

import "github.com/urfave/cli/v2"

// kioskCommand is not written yet.
func kioskCommand() *cli.Command {
	return &cli.Command{
		Name:  "kiosk",
		Usage: "run a polling-place kiosk (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote kiosk: not yet available in this build", 1)
		},
	}
}
