package main

import (
	"crypto/ed25519"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/election"
	"github.com/evote/evote/election/config"
	"github.com/evote/evote/internal/atomicfile"
	"github.com/evote/evote/keyfile"
)

// electionCommand is the commission's command group: write a config
// template, check a config, and sign it into the manifest entry.
func electionCommand() *cli.Command {
	return &cli.Command{
		Name:  "election",
		Usage: "define, check and sign an election (election commission)",
		Subcommands: []*cli.Command{
			electionInitCommand(),
			electionValidateCommand(),
			electionCreateCommand(),
			electionCredentialsCommand(),
			electionPublishCommand(),
			electionOpenCommand(),
			electionCloseCommand(),
		},
	}
}

func electionInitCommand() *cli.Command {
	return &cli.Command{
		Name:      "init",
		Usage:     "write a commented election config template to fill in",
		UsageText: "evote election init [--out FILE] [--force]",
		Description: "Writes a YAML config with a comment on every field, the defaults filled in and a\n" +
			"<placeholder> wherever a value is needed. 'evote election validate' lists the\n" +
			"placeholders until every one is replaced. --out - writes to standard output.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "election.yaml", Usage: "write the template to `FILE`"},
			&cli.BoolFlag{Name: "force", Usage: "replace FILE if it exists"},
		},
		Action: electionInit,
	}
}

func electionInit(c *cli.Context) error {
	if c.Args().Present() {
		return usageError(c, "unexpected argument %q", c.Args().First())
	}
	out := c.String("out")
	if out == "-" {
		_, err := c.App.Writer.Write(config.Template())
		return err
	}
	if err := atomicfile.Write(out, config.Template(), 0o644, c.Bool("force")); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "wrote %s: replace every <placeholder>, then run: evote election validate %s\n", out, out)
	return nil
}

func electionValidateCommand() *cli.Command {
	return &cli.Command{
		Name:      "validate",
		Usage:     "check an election config and list every problem in it",
		UsageText: "evote election validate FILE",
		Description: "Loads the config and runs every check that the manifest must pass. Prints a summary\n" +
			"if it is valid; otherwise prints each problem as FILE:LINE:COLUMN: FIELD: PROBLEM\n" +
			"and exits with status 1.",
		Action: electionValidate,
	}
}

func electionValidate(c *cli.Context) error {
	path, err := oneArg(c, "FILE")
	if err != nil {
		return err
	}
	m, err := loadConfig(c, path)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "ok: %s\n", summary(m))
	return nil
}

func electionCreateCommand() *cli.Command {
	return &cli.Command{
		Name:      "create",
		Usage:     "validate an election config and sign it as the manifest entry",
		UsageText: "evote election create FILE --commission-key KEYFILE [--out FILE] [--force]",
		Description: "Validates FILE, signs its manifest with the commission's secret key (which must be\n" +
			"the key named by commission_key in FILE) and writes the manifest entry, the first\n" +
			"entry of the election's record. Prints the election id, the hash of that entry.\n" +
			"Nothing is written unless everything succeeds.",
		Flags: []cli.Flag{
			// Not Required: urfave/cli would check that before flagsAfterArgs
			// has read flags given after FILE. electionCreate checks it.
			&cli.StringFlag{Name: "commission-key", Usage: "the commission's secret key `FILE` (from evote keygen); required"},
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Value: "manifest.entry", Usage: "write the signed manifest entry to `FILE`"},
			&cli.BoolFlag{Name: "force", Usage: "replace the --out file if it exists"},
		},
		Action: flagsAfterArgs(electionCreate),
	}
}

func electionCreate(c *cli.Context, args []string) error {
	if len(args) != 1 {
		return usageError(c, "want one FILE, got %d arguments", len(args))
	}
	path := args[0]
	if c.String("commission-key") == "" {
		return usageError(c, "missing --commission-key KEYFILE")
	}
	out, force := c.String("out"), c.Bool("force")
	// Refuse early, before the work, if out exists; the final link refuses
	// again should it appear meanwhile.
	if !force {
		if _, err := os.Lstat(out); err == nil {
			return fmt.Errorf("%s exists; remove it or pass --force to replace it", out)
		}
	}
	m, err := loadConfig(c, path)
	if err != nil {
		return err
	}
	key, err := keyfile.LoadRole(c.String("commission-key"), keyfile.Commission)
	if err != nil {
		return err
	}
	if pub := key.SigningKey.Public().(ed25519.PublicKey); !pub.Equal(m.Commission) {
		return fmt.Errorf("%s is not the commission key of %s: its public key is %x, the config's commission_key is %x",
			c.String("commission-key"), path, []byte(pub), []byte(m.Commission))
	}
	entry, id, err := election.NewManifestEntry(m, key.SigningKey)
	if err != nil {
		return fmt.Errorf("signing the manifest of %s: %w", path, err)
	}
	if err := atomicfile.Write(out, entry.Bytes(), 0o644, force); err != nil {
		return err
	}
	fmt.Fprintf(c.App.ErrWriter, "wrote %s: the signed manifest of %q\n", out, m.Title)
	fmt.Fprintln(c.App.Writer, id)
	return nil
}

// loadConfig loads and validates the config at path. Its problems are
// printed one per line to the error output, and the error returned only
// counts them, so that nothing is printed twice.
func loadConfig(c *cli.Context, path string) (*election.Manifest, error) {
	m, err := config.Load(path)
	var cerr *config.Error
	if errors.As(err, &cerr) {
		for _, p := range cerr.Problems {
			fmt.Fprintln(c.App.ErrWriter, p)
		}
		noun := "problems"
		if len(cerr.Problems) == 1 {
			noun = "problem"
		}
		return nil, cli.Exit(fmt.Sprintf("%s: %d %s; nothing done", path, len(cerr.Problems), noun), 1)
	}
	return m, err
}

// summary describes a valid manifest in one line.
func summary(m *election.Manifest) string {
	options := 0
	for _, ct := range m.Contests {
		options += len(ct.Options)
	}
	styles := ""
	if len(m.Styles) > 0 {
		styles = fmt.Sprintf(", %s", plural(len(m.Styles), "ballot style"))
	}
	when := func(t int64) string { return time.Unix(t, 0).UTC().Format(time.RFC3339) }
	return fmt.Sprintf("%s: %s, %s%s; %s, threshold %d; %s, seal quorum %d; opens %s, closes %s",
		m.Title, plural(len(m.Contests), "contest"), plural(options, "option"), styles,
		plural(len(m.Trustees.Members), "trustee"), m.Trustees.Threshold,
		plural(len(m.Nodes), "board node"), m.SealQuorum,
		when(m.Schedule.Opens), when(m.Schedule.Closes))
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// oneArg returns the single positional argument, or a usage error.
func oneArg(c *cli.Context, name string) (string, error) {
	switch c.NArg() {
	case 1:
		return c.Args().First(), nil
	case 0:
		return "", usageError(c, "missing %s", name)
	}
	return "", usageError(c, "want one %s, got %d arguments", name, c.NArg())
}

// flagsAfterArgs lets a command take its flags after its arguments too
// (evote election create FILE --out X), which urfave/cli v2 does not: it
// stops reading flags at the first argument. The wrapped action gets the
// arguments; flags found among them are set on c under their main names.
func flagsAfterArgs(action func(c *cli.Context, args []string) error) cli.ActionFunc {
	return func(c *cli.Context) error {
		fs := flag.NewFlagSet(c.Command.Name, flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		primary := map[string]string{}
		for _, f := range c.Command.Flags { // with urfave/cli's --help
			if err := f.Apply(fs); err != nil {
				return err
			}
			for _, n := range f.Names() {
				primary[n] = f.Names()[0]
			}
		}
		var args []string
		rest := c.Args().Slice()
		for len(rest) > 0 {
			if err := fs.Parse(rest); err != nil {
				return usageError(c, "%v", err)
			}
			rest = fs.Args()
			if len(rest) > 0 && rest[0] == "--" {
				args = append(args, rest[1:]...)
				break
			}
			if len(rest) > 0 {
				args = append(args, rest[0])
				rest = rest[1:]
			}
		}
		var err error
		help := false
		fs.Visit(func(f *flag.Flag) {
			if name := primary[f.Name]; name == "help" {
				help = true
			} else if err == nil {
				err = c.Set(name, f.Value.String())
			}
		})
		if help {
			return cli.ShowSubcommandHelp(c)
		}
		if err != nil {
			return usageError(c, "%v", err)
		}
		return action(c, args)
	}
}

// usageError is a command line that the command does not understand
// (status exitUsage), with a pointer to its help.
func usageError(c *cli.Context, format string, args ...any) error {
	return cli.Exit(fmt.Sprintf("%s: %s; run '%s --help' for usage", c.Command.FullName(), fmt.Sprintf(format, args...), c.Command.HelpName), exitUsage)
}
