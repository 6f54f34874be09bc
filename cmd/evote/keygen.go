package main

import (
	"encoding/hex"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/keyfile"
)

// keygenCommand is `evote keygen`: a new key for the commission, a trustee
// or a board node, written as NAME.key (secret, 0600) and NAME.pub in an
// existing directory. docs/KEYS.md describes the files.
func keygenCommand() *cli.Command {
	return &cli.Command{
		Name:      "keygen",
		Usage:     "make a commission, trustee or board-node key",
		UsageText: "evote keygen --role commission|trustee|node --out DIR --name NAME [--force]",
		Description: "Writes DIR/NAME.key (the secret key, mode 0600: keep it, back it up, show it to nobody) and\n" +
			"DIR/NAME.pub (the public key: give it to the commission for the election config). DIR must exist.\n" +
			"An existing key is never replaced unless --force is given. The format is in docs/KEYS.md.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "role", Usage: "what the key is for: commission, trustee or node", Required: true},
			&cli.StringFlag{Name: "out", Usage: "existing directory to write the key files in", Required: true},
			&cli.StringFlag{Name: "name", Usage: "key name, also the file name (A–Z a–z 0–9 . _ -)", Required: true},
			&cli.BoolFlag{Name: "force", Usage: "replace existing key files (the old key is lost)"},
		},
		Action: keygenAction,
	}
}

func keygenAction(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("keygen takes no arguments, got %q", c.Args().First()), exitUsage)
	}
	role, err := keyfile.ParseRole(c.String("role"))
	if err != nil {
		return cli.Exit(err.Error(), exitUsage)
	}
	pubPath, secPath, err := keyfile.Generate(role, c.String("out"), c.String("name"), c.Bool("force"))
	if err != nil {
		return err
	}
	pub, err := keyfile.LoadPublic(pubPath)
	if err != nil {
		return err
	}
	w := c.App.Writer
	fmt.Fprintf(w, "%s key %q\n", role, pub.Name)
	fmt.Fprintf(w, "  signing key:    %s\n", hex.EncodeToString(pub.SigningKey))
	if pub.EncryptionKey != nil {
		fmt.Fprintf(w, "  encryption key: %s\n", hex.EncodeToString(pub.EncryptionKey))
	}
	if pub.PeerID != "" {
		fmt.Fprintf(w, "  peer id:        %s\n", pub.PeerID)
	}
	fmt.Fprintf(w, "  public file:    %s\n", pubPath)
	fmt.Fprintf(w, "  secret file:    %s (mode 0600; keep it safe)\n", secPath)
	return nil
}
