package main

import "github.com/urfave/cli/v2"

// trusteeCommand is not written yet.
func trusteeCommand() *cli.Command {
	return &cli.Command{
		Name:  "trustee",
		Usage: "take part in the key ceremony and the decryption (trustee) (not yet available)",
		Action: func(*cli.Context) error {
			return cli.Exit("evote trustee: not yet available in this build", 1)
		},
	}
}
