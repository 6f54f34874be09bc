package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/internal/atomicfile"
)

// nodeCommand is the board operator's command group: run a bulletin-board
// node, and write its config template. docs/NODE.md is the guide.
func nodeCommand() *cli.Command {
	return &cli.Command{
		Name:  "node",
		Usage: "run a bulletin-board node (board operator)",
		Subcommands: []*cli.Command{
			nodeRunCommand(),
			nodeInitCommand(),
		},
	}
}

func nodeRunCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "run a bulletin-board node until SIGINT or SIGTERM",
		UsageText: "evote node run --config FILE [--ready-file FILE]",
		Description: "Loads the node config (see 'evote node init' and docs/NODE.md), opens the node's data dir,\n" +
			"rebuilds every election it holds, and serves the HTTP API and libp2p replication. Once it\n" +
			"serves it prints one line 'ready http=ADDR peer=PEERID' to standard output and, with\n" +
			"--ready-file, writes the same fields to FILE, one 'key=value' per line. SIGINT or SIGTERM\n" +
			"stop it gracefully: requests in flight are answered and every acknowledged entry is on disk.\n" +
			"Logs go to standard error.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Aliases: []string{"c"}, Usage: "the node config `FILE`", Required: true},
			&cli.StringFlag{Name: "ready-file", Usage: "write the listen addresses to `FILE` once serving"},
		},
		Action: nodeRun,
	}
}

func nodeRun(c *cli.Context) error {
	if c.Args().Present() {
		return usageError(c, "unexpected argument %q", c.Args().First())
	}
	cfg, err := node.LoadConfig(c.String("config"))
	if err != nil {
		return err
	}
	n, err := node.New(*cfg)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
	defer stop()
	done := make(chan struct{})
	announced := make(chan error, 1)
	go func() {
		select {
		case <-n.Ready():
			announced <- announceReady(c, n)
		case <-done:
			announced <- nil
		}
	}()
	err = n.Run(ctx)
	close(done)
	if aerr := <-announced; aerr != nil {
		err = errors.Join(err, aerr)
	}
	return err
}

// announceReady prints the ready line and writes the ready file.
func announceReady(c *cli.Context, n *node.Node) error {
	fields := []string{"http=" + n.HTTPAddr(), "peer=" + n.PeerID().String()}
	for _, a := range n.P2PAddrs() {
		fields = append(fields, "p2p="+a.String())
	}
	fmt.Fprintf(c.App.Writer, "ready %s %s\n", fields[0], fields[1])
	if path := c.String("ready-file"); path != "" {
		if err := atomicfile.Write(path, []byte(strings.Join(fields, "\n")+"\n"), 0o644, true); err != nil {
			return fmt.Errorf("ready file: %w", err)
		}
	}
	return nil
}

func nodeInitCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented node config template to fill in",
		UsageText: "evote node init [--out FILE] [--force]",
		Description: "Writes a YAML node config with a comment on every field, the defaults filled in and a\n" +
			"<placeholder> wherever a value is needed. 'evote node run' refuses it until every\n" +
			"placeholder is replaced. --out - writes to standard output.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "node.yaml", Usage: "write the template to `FILE`"},
			&cli.BoolFlag{Name: "force", Usage: "replace FILE if it exists"},
		},
		Action: nodeInit,
	}
}

func nodeInit(c *cli.Context) error {
	if c.Args().Present() {
		return usageError(c, "unexpected argument %q", c.Args().First())
	}
	out := c.String("out")
	if out == "-" {
		_, err := c.App.Writer.Write(node.Template())
		return err
	}
	if err := atomicfile.Write(out, node.Template(), 0o644, c.Bool("force")); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "wrote %s: replace every <placeholder>, then run: evote node run --config %s\n", out, out)
	return nil
}
