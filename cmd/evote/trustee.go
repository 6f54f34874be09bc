package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/urfave/cli/v2"
	"golang.org/x/term"

	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/atomicfile"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/trustee"
)

// passphraseEnv names the environment variable a passphrase may come from,
// for scripts; a terminal prompt or --passphrase-file are the other ways.
const passphraseEnv = "EVOTE_TRUSTEE_PASSPHRASE"

// Flags of the trustee commands.
var (
	trusteeKeyFlag = &cli.StringFlag{Name: "key", Usage: "the trustee's secret key `FILE` (from evote trustee keygen)", Required: true}
	stateFlag      = &cli.StringFlag{Name: "state", Usage: "the trustee's state `FILE` for this election, sealed under a passphrase (created if absent)", Required: true}
	passFileFlag   = &cli.StringFlag{Name: "passphrase-file", Usage: "read the state passphrase from the first line of `FILE` (else $" + passphraseEnv + ", else a prompt)"}
	recordFlag     = &cli.StringFlag{Name: "record", Usage: "work offline from the record `FILE` (from evote trustee export) instead of the board"}
	outDirFlag     = &cli.StringFlag{Name: "out", Usage: "offline: write the entries to post to the existing directory `DIR` (post them with evote trustee post)"}
)

// trusteeCommand is the trustee's command group.
func trusteeCommand() *cli.Command {
	return &cli.Command{
		Name:  "trustee",
		Usage: "take part in the key ceremony and the decryption (trustee)",
		Description: "A trustee runs 'evote trustee run', which follows the board and posts each entry as\n" +
			"its phase comes: the dealing, complaints, reveals, and after the seal quorum the\n" +
			"partial decryption. A trustee on an offline machine runs the steps by hand: export\n" +
			"the record on a connected machine, run deal / check / reveal / decrypt with --record\n" +
			"and --out, carry the entry files back and post them. docs/TRUSTEES.md has the details.",
		Subcommands: []*cli.Command{
			trusteeKeygenCommand(),
			trusteeRunCommand(),
			trusteeStepCommand("deal", election.TypeDealing, "make the trustee's dealing (key ceremony)"),
			trusteeStepCommand("check", election.TypeComplaint, "check the shares received and complain against each bad one"),
			trusteeStepCommand("reveal", election.TypeReveal, "answer the complaints against this trustee"),
			trusteeStepCommand("decrypt", election.TypePartial, "make the partial decryption of the sealed tally"),
			trusteeExportCommand(),
			trusteePostCommand(),
		},
	}
}

func trusteeKeygenCommand() *cli.Command {
	return &cli.Command{
		Name:      "keygen",
		Usage:     "make a trustee's signing and encryption keys",
		UsageText: "evote trustee keygen --out DIR --name NAME [--force]",
		Description: "Writes DIR/NAME.key (secret, mode 0600) and DIR/NAME.pub (give it to the commission:\n" +
			"its signing and encryption keys go into the election config). Same as\n" +
			"'evote keygen --role trustee'; docs/KEYS.md has the format.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Usage: "existing directory to write the key files in", Required: true},
			&cli.StringFlag{Name: "name", Usage: "key name, also the file name (A–Z a–z 0–9 . _ -)", Required: true},
			&cli.BoolFlag{Name: "force", Usage: "replace existing key files (the old key is lost)"},
		},
		Action: func(c *cli.Context) error {
			if c.Args().Present() {
				return cli.Exit(fmt.Sprintf("trustee keygen takes no arguments, got %q", c.Args().First()), exitUsage)
			}
			pubPath, secPath, err := keyfile.Generate(keyfile.Trustee, c.String("out"), c.String("name"), c.Bool("force"))
			if err != nil {
				return err
			}
			pub, err := keyfile.LoadPublic(pubPath)
			if err != nil {
				return err
			}
			fmt.Fprintf(c.App.Writer, "trustee key %q\n  signing key:    %x\n  encryption key: %x\n  public file:    %s\n  secret file:    %s (mode 0600; keep it safe)\n",
				pub.Name, []byte(pub.SigningKey), pub.EncryptionKey, pubPath, secPath)
			return nil
		},
	}
}

func trusteeRunCommand() *cli.Command {
	return &cli.Command{
		Name:      "run",
		Usage:     "follow the board and take part in every phase until the trustee's part is done",
		UsageText: "evote trustee run --manifest FILE --key FILE --state FILE [--passphrase-file FILE] [--node URL]...",
		Description: "Reads the board, posts the trustee's entries as each phase comes, and waits --poll\n" +
			"between looks. It stops when the trustee's partial decryption is on the board. Stopped\n" +
			"and started again with the same state file, it goes on where it was.",
		Flags: []cli.Flag{manifestFlag, trusteeKeyFlag, stateFlag, passFileFlag, nodeFlag, timeoutFlag,
			&cli.DurationFlag{Name: "poll", Value: 2 * time.Second, Usage: "look at the board every `DURATION`"},
		},
		Action: trusteeRun,
	}
}

// trusteeSetup is what every trustee command loads: the manifest, the
// trustee's keys and its state.
type trusteeSetup struct {
	sm      *signedManifest
	trustee *trustee.Trustee
}

// loadTrustee reads the manifest, the key file and the state file (creating
// the state if it does not exist).
func loadTrustee(c *cli.Context) (*trusteeSetup, error) {
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return nil, err
	}
	key, err := keyfile.LoadRole(c.String(trusteeKeyFlag.Name), keyfile.Trustee)
	if err != nil {
		return nil, err
	}
	index, err := trustee.Index(sm.Manifest, key.SigningKey)
	if err != nil {
		return nil, fmt.Errorf("--key %s: %w", c.String(trusteeKeyFlag.Name), err)
	}
	store, err := openState(c, sm.ID, index)
	if err != nil {
		return nil, err
	}
	t, err := trustee.New(sm.Manifest, sm.ID, key.SigningKey, key.EncryptionKey, store)
	if err != nil {
		return nil, err
	}
	return &trusteeSetup{sm: sm, trustee: t}, nil
}

// openState opens the state file, or creates it for trustee index of
// election id if it does not exist.
func openState(c *cli.Context, id election.ID, index int) (*trustee.Store, error) {
	path := c.String(stateFlag.Name)
	_, statErr := os.Stat(path)
	create := errors.Is(statErr, fs.ErrNotExist)
	pass, err := passphrase(c, create)
	if err != nil {
		return nil, err
	}
	defer clear(pass)
	if !create {
		return trustee.Open(path, pass)
	}
	st, err := trustee.NewState(id, index)
	if err != nil {
		return nil, err
	}
	store, err := trustee.Create(path, pass, trustee.DefaultKDF, st)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c.App.ErrWriter, "created the state file %s for trustee %d (keep it and its passphrase until the election is over)\n", path, index)
	return store, nil
}

// passphrase reads the state passphrase from --passphrase-file, the
// environment, or the terminal (twice when it is new).
func passphrase(c *cli.Context, isNew bool) ([]byte, error) {
	if path := c.String(passFileFlag.Name); path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		line, _, _ := bytes.Cut(b, []byte("\n"))
		if len(line) == 0 {
			return nil, fmt.Errorf("--passphrase-file %s: the first line is empty", path)
		}
		return bytes.Clone(line), nil
	}
	if p := os.Getenv(passphraseEnv); p != "" {
		return []byte(p), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		return nil, cli.Exit("no passphrase for the state file: give --passphrase-file FILE, set "+passphraseEnv+", or run on a terminal", exitUsage)
	}
	fmt.Fprint(c.App.ErrWriter, "state file passphrase: ")
	p, err := term.ReadPassword(fd)
	fmt.Fprintln(c.App.ErrWriter)
	if err != nil {
		return nil, err
	}
	if isNew {
		fmt.Fprint(c.App.ErrWriter, "again: ")
		q, err := term.ReadPassword(fd)
		fmt.Fprintln(c.App.ErrWriter)
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(p, q) {
			return nil, errors.New("the passphrases differ")
		}
	}
	if len(p) == 0 {
		return nil, errors.New("empty passphrase")
	}
	return p, nil
}

func trusteeRun(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("trustee run: unexpected argument %q", c.Args().First()), exitUsage)
	}
	s, err := loadTrustee(c)
	if err != nil {
		return err
	}
	cl, err := boardClient(c, s.sm.Manifest)
	if err != nil {
		return err
	}
	me, err := election.DecodeEntry(s.sm.Entry)
	if err != nil {
		return err
	}
	f, err := tally.NewFollower(me, cl)
	if err != nil {
		return err
	}
	rn := &trustee.Runner{
		Trustee:  s.trustee,
		Follower: f,
		Submit: func(ctx context.Context, b []byte) error {
			_, err := submit(ctx, cl, s.sm, b)
			return err
		},
		Poll: c.Duration("poll"),
		Log:  slog.New(slog.NewTextHandler(c.App.ErrWriter, nil)),
	}
	if err := rn.Run(commandContext(c)); err != nil {
		return fmt.Errorf("trustee %d: %w", s.trustee.Index(), err)
	}
	fmt.Fprintf(c.App.Writer, "trustee %d: done in election %s\n", s.trustee.Index(), s.sm.ID)
	return nil
}

// commandContext returns the command's context, or a background one.
func commandContext(c *cli.Context) context.Context {
	if c.Context != nil {
		return c.Context
	}
	return context.Background()
}

// trusteeStepCommand is one single step: the part of a trustee's Step that
// makes entries of type typ.
func trusteeStepCommand(name string, typ election.EntryType, usage string) *cli.Command {
	return &cli.Command{
		Name:      name,
		Usage:     usage,
		UsageText: "evote trustee " + name + " --manifest FILE --key FILE --state FILE (--record FILE --out DIR | --node URL...)",
		Description: "Looks at the record (--record: a file from 'evote trustee export', for an offline\n" +
			"machine; else the board) and makes the trustee's " + typ.String() + " entries that are due now.\n" +
			"With --out they are written to DIR, one file each, to carry to a connected machine and\n" +
			"post with 'evote trustee post'; else they are posted at once.",
		Flags:  []cli.Flag{manifestFlag, trusteeKeyFlag, stateFlag, passFileFlag, recordFlag, outDirFlag, nodeFlag, timeoutFlag},
		Action: func(c *cli.Context) error { return trusteeStep(c, typ) },
	}
}

func trusteeStep(c *cli.Context, typ election.EntryType) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("unexpected argument %q", c.Args().First()), exitUsage)
	}
	s, err := loadTrustee(c)
	if err != nil {
		return err
	}
	me, err := election.DecodeEntry(s.sm.Entry)
	if err != nil {
		return err
	}
	ctx := commandContext(c)
	var r *tally.Replica
	if path := c.String(recordFlag.Name); path != "" {
		if r, err = replicaFromFile(me, path); err != nil {
			return err
		}
	} else {
		cl, err := boardClient(c, s.sm.Manifest)
		if err != nil {
			return err
		}
		f, err := tally.NewFollower(me, cl)
		if err != nil {
			return err
		}
		if err := f.Sync(ctx); err != nil {
			return err
		}
		r = f.Replica
	}
	plan, err := s.trustee.Step(r)
	if err != nil {
		return fmt.Errorf("trustee %d: %w", s.trustee.Index(), err)
	}
	var due []*election.Entry
	for _, e := range plan.Post {
		if e.Type == typ {
			due = append(due, e)
		}
	}
	w := c.App.Writer
	fmt.Fprintf(w, "trustee %d: %s\n", s.trustee.Index(), plan.Status)
	for dealer, why := range s.trustee.BadShares() {
		fmt.Fprintf(w, "trustee %d's share to this trustee is bad: %v\n", dealer, why)
	}
	if len(due) == 0 {
		fmt.Fprintf(w, "no %s entry is due now\n", typ)
		return nil
	}
	return deliver(c, s.sm, due)
}

// deliver writes the entries to --out, or posts them.
func deliver(c *cli.Context, sm *signedManifest, entries []*election.Entry) error {
	w := c.App.Writer
	if dir := c.String(outDirFlag.Name); dir != "" {
		for _, e := range entries {
			id := e.ID()
			path := filepath.Join(dir, fmt.Sprintf("%s-%x.entry", e.Type, id[:6]))
			if err := atomicfile.Write(path, e.Bytes(), 0o644, true); err != nil {
				return err
			}
			fmt.Fprintf(w, "wrote %s entry %s to %s\n", e.Type, id, path)
		}
		return nil
	}
	if c.String(recordFlag.Name) != "" {
		return cli.Exit("working from --record: give --out DIR for the entries", exitUsage)
	}
	cl, err := boardClient(c, sm.Manifest)
	if err != nil {
		return err
	}
	for _, e := range entries {
		rc, err := submit(commandContext(c), cl, sm, e.Bytes())
		if err != nil {
			return fmt.Errorf("posting the %s entry: %w", e.Type, err)
		}
		id := e.ID()
		fmt.Fprintf(w, "posted %s entry %s at index %d (node %x, %s)\n", e.Type, id, rc.Index, rc.Node[:8], receiptTime(rc))
	}
	return nil
}

// replicaFromFile replays a record file into a replica of the election of
// manifest.
func replicaFromFile(manifest *election.Entry, path string) (*tally.Replica, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	raw, err := election.DecodeRecordFile(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	entries := make([]*election.Entry, 0, len(raw))
	for i, e := range raw {
		en, err := election.DecodeEntry(e)
		if err != nil {
			return nil, fmt.Errorf("%s: entry %d: %w", path, i, err)
		}
		entries = append(entries, en)
	}
	r, err := tally.NewReplica(manifest)
	if err != nil {
		return nil, err
	}
	if errs := r.Add(entries); len(errs) > 0 {
		return nil, fmt.Errorf("%s: %d entries break the record's rules, the first: %w", path, len(errs), errs[0])
	}
	return r, nil
}

func trusteeExportCommand() *cli.Command {
	return &cli.Command{
		Name:      "export",
		Usage:     "save the election's record from the board to a file, for an offline trustee",
		UsageText: "evote trustee export --manifest FILE --out FILE [--node URL]...",
		Description: "Reads every entry of the election from one node, checks each with the record's\n" +
			"rules, and writes them as a record file (docs/SPEC.md §7.9).",
		Flags: []cli.Flag{manifestFlag, nodeFlag, timeoutFlag,
			&cli.StringFlag{Name: "out", Usage: "the record `FILE` to write", Required: true},
		},
		Action: trusteeExport,
	}
}

func trusteeExport(c *cli.Context) error {
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return err
	}
	cl, err := boardClient(c, sm.Manifest)
	if err != nil {
		return err
	}
	me, err := election.DecodeEntry(sm.Entry)
	if err != nil {
		return err
	}
	r, err := tally.NewReplica(me)
	if err != nil {
		return err
	}
	var raw [][]byte
	for s, err := range cl.All(commandContext(c), sm.ID, 0) {
		if err != nil {
			return err
		}
		e, err := election.DecodeEntry(s.Bytes)
		if err != nil {
			return fmt.Errorf("entry %s: %w", s.ID, err)
		}
		if errs := r.Add([]*election.Entry{e}); len(errs) > 0 {
			return fmt.Errorf("the node serves an entry that breaks the record's rules: %w", errs[0])
		}
		raw = append(raw, s.Bytes)
	}
	if err := atomicfile.Write(c.String("out"), election.EncodeRecordFile(raw), 0o644, true); err != nil {
		return err
	}
	fmt.Fprintf(c.App.Writer, "wrote %d entries of election %s (%v phase) to %s\n", len(raw), sm.ID, r.Phase(), c.String("out"))
	return nil
}

func trusteePostCommand() *cli.Command {
	return &cli.Command{
		Name:      "post",
		Usage:     "post entry files made offline",
		UsageText: "evote trustee post --manifest FILE [--node URL]... ENTRY-FILE...",
		Flags:     []cli.Flag{manifestFlag, nodeFlag, timeoutFlag},
		Action:    trusteePost,
	}
}

func trusteePost(c *cli.Context) error {
	if !c.Args().Present() {
		return cli.Exit("trustee post: give the entry files to post", exitUsage)
	}
	sm, err := readManifest(c.String(manifestFlag.Name))
	if err != nil {
		return err
	}
	var entries []*election.Entry
	for _, path := range c.Args().Slice() {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		e, err := election.DecodeEntry(b)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if e.Election != sm.ID {
			return fmt.Errorf("%s: an entry of election %s, not %s", path, e.Election, sm.ID)
		}
		entries = append(entries, e)
	}
	return deliver(c, sm, entries)
}
