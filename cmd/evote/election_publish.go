package main

import (
	"crypto/sha256"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/election"
)

// electionPublishCommand posts the commission's signed entries — the
// manifest, then the credential lists — to the board.
func electionPublishCommand() *cli.Command {
	return &cli.Command{
		Name:      "publish",
		Usage:     "post the signed manifest and other signed entries to the board (commission)",
		UsageText: "evote election publish --manifest FILE [--node URL]... [ENTRY-FILE]...",
		Description: "Posts the manifest entry, then each ENTRY-FILE in the order given (for example\n" +
			"the credential lists DIR/public/credentials-*.entry from 'evote election credentials'),\n" +
			"to the first node that answers, and checks each node's signed receipt against the\n" +
			"manifest's node keys. Posting an entry the board already holds is not an error: the\n" +
			"node answers with the receipt of the stored copy, so publishing again is safe.",
		Flags:  []cli.Flag{manifestFlag, nodeFlag, timeoutFlag},
		Action: electionPublish,
	}
}

func electionPublish(c *cli.Context) error {
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return err
	}
	entries := [][]byte{sm.Entry}
	names := []string{c.String(manifestFlag.Name)}
	for _, path := range c.Args().Slice() {
		b, err := credentialsReadFile(path, election.MaxEntrySize)
		if err != nil {
			return err
		}
		e, err := election.DecodeEntry(b)
		if err != nil {
			return fmt.Errorf("%s: not a signed entry: %w", path, err)
		}
		if e.Type != election.TypeManifest && e.Election != sm.ID {
			return fmt.Errorf("%s: entry of election %s, not of the manifest's election %s", path, e.Election, sm.ID)
		}
		entries = append(entries, b)
		names = append(names, path)
	}
	cl, err := boardClient(c, sm.Manifest)
	if err != nil {
		return err
	}
	ctx := commandContext(c)
	for i, b := range entries {
		rc, err := submit(ctx, cl, sm, b)
		if err != nil {
			return fmt.Errorf("%s: %w (the entries before it were posted)", names[i], err)
		}
		id := sha256.Sum256(b)
		fmt.Fprintf(c.App.Writer, "posted %s: entry %x at index %d, receipt from node %x at %s\n",
			names[i], id[:8], rc.Index, rc.Node[:8], receiptTime(rc))
	}
	fmt.Fprintf(c.App.Writer, "election %s\n", sm.ID)
	return nil
}
