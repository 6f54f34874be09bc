package main

import (
	"crypto/sha256"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/election"
)

// electionCloseCommand ends voting: the commission signs and posts the
// close entry, after which the nodes accept no more ballots and seal.
func electionCloseCommand() *cli.Command {
	return &cli.Command{
		Name:      "close",
		Usage:     "close voting: sign and post the close entry (commission)",
		UsageText: "evote election close --manifest FILE --commission-key FILE [--reason TEXT] [--node URL]...",
		Description: "Signs the close entry with the commission key and posts it. From then on the\n" +
			"nodes refuse ballots; each node pulls from its peers and posts its signed seal of\n" +
			"the final ballot set, and the set sealed by the manifest's seal quorum is the one\n" +
			"that is tallied. --out keeps a copy of the signed entry.",
		Flags: []cli.Flag{
			manifestFlag, nodeFlag, timeoutFlag,
			&cli.StringFlag{Name: "commission-key", Usage: "the commission's secret key `FILE`", Required: true},
			&cli.StringFlag{Name: "reason", Usage: "an optional public `TEXT` recorded with the close (at most 1024 bytes)"},
		},
		Action: electionClose,
	}
}

func electionClose(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("election close: unexpected argument %q", c.Args().First()), exitUsage)
	}
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return err
	}
	key, err := loadCommissionKey(c.String("commission-key"), sm)
	if err != nil {
		return err
	}
	payload := (&election.Close{Reason: c.String("reason")}).Bytes()
	if _, err := election.DecodeClose(payload); err != nil {
		return fmt.Errorf("--reason: %w", err)
	}
	e := &election.Entry{
		Version:  election.ProtocolVersion,
		Type:     election.TypeClose,
		Election: sm.ID,
		Author:   sm.Manifest.Commission,
		Payload:  payload,
	}
	e.Sign(key)
	cl, err := boardClient(c, sm.Manifest)
	if err != nil {
		return err
	}
	ctx := commandContext(c)
	b := e.Bytes()
	rc, err := submit(ctx, cl, sm, b)
	if err != nil {
		return fmt.Errorf("posting the close entry: %w", err)
	}
	id := sha256.Sum256(b)
	fmt.Fprintf(c.App.Writer, "election %s closed: entry %x at index %d (node %x, %s)\n", sm.ID, id[:8], rc.Index, rc.Node[:8], receiptTime(rc))
	return nil
}
