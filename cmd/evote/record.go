package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/record"
)

// recordCommand groups what is done with a whole election record.
func recordCommand() *cli.Command {
	return &cli.Command{
		Name:  "record",
		Usage: "export an election record",
		Subcommands: []*cli.Command{{
			Name:      "export",
			Usage:     "write a node's whole record of an election, with its signed checkpoint, to a directory",
			UsageText: "evote record export --node URL... [--election ID] --out DIR",
			Description: "Takes the latest signed checkpoint of the first node that serves the election and\n" +
				"writes exactly the entries of that checkpoint's tree, in the node's log order, to\n" +
				"DIR/record.rec, and the checkpoint to DIR/checkpoint (docs/SPEC.md §9.1). It checks\n" +
				"that the entries hash to the signed root first. 'evote verify --record DIR' verifies\n" +
				"the directory offline.",
			Flags: []cli.Flag{
				&cli.StringSliceFlag{Name: "node", Usage: "a board node's base `URL` (repeatable; the first that serves the election is used)", Required: true},
				&cli.StringFlag{Name: "election", Usage: "the election `ID` (hex); needed when the nodes serve several"},
				&cli.StringFlag{Name: "out", Usage: "the record `DIR` to write", Required: true},
				&cli.BoolFlag{Name: "quiet", Usage: "no progress bar"},
			},
			Action: recordExport,
		}},
	}
}

func recordExport(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("record export: unexpected argument %q", c.Args().First()), exitUsage)
	}
	ctx := c.Context
	if ctx == nil {
		ctx = context.Background()
	}
	el, err := electionFlag(c)
	if err != nil {
		return err
	}
	cl, err := client.New(c.StringSlice("node"), client.Options{UserAgent: "evote-record-export"})
	if err != nil {
		return fmt.Errorf("--node: %w", err)
	}
	if el == ([32]byte{}) {
		els, err := cl.Elections(ctx)
		if err != nil {
			return fmt.Errorf("asking the nodes which elections they serve: %w", err)
		}
		if len(els) != 1 {
			return cli.Exit(fmt.Sprintf("record export: the nodes serve %d elections; name one with --election", len(els)), exitUsage)
		}
		el = els[0]
	}
	var onPage func(uint64)
	if bar := progress(c, "exporting"); bar != nil {
		onPage = func(n uint64) { bar(int(n)) }
	}
	out, err := record.Export(ctx, cl, el, c.String("out"), onPage)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "election %s: %d entries of node %s (%s), checkpoint root %x, written to %s\n",
		el, out.Entries, out.Node, out.URL, out.Root[:8], c.String("out"))
	return nil
}
