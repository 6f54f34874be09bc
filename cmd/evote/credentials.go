package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/voter/credential"
)

// electionCredentialsCommand is `evote election credentials`: one secret
// credential per voter, and the signed public list for the board.
func electionCredentialsCommand() *cli.Command {
	return &cli.Command{
		Name:      "credentials",
		Usage:     "issue voter credentials and the signed public credential list",
		UsageText: "evote election credentials --manifest FILE (--count N | --roll FILE) --commission-key FILE --out DIR",
		Description: "Makes one secret credential per voter, from a count or a roll (CSV with the header\n" +
			"voter_id,name or voter_id,name,style), and writes a new directory DIR:\n" +
			"  DIR/secret/credentials.csv     voter_id,name,style,code, for printing the letters\n" +
			"  DIR/secret/qr/VOTER_ID.png     each code as a QR image\n" +
			"  DIR/public/credentials-NNN.entry  the signed public list: post these to the board\n" +
			"The secret side and the roll must never reach the board: keep DIR/secret offline and\n" +
			"destroy it once the letters are printed. The public list holds only public keys, sorted,\n" +
			"so it reveals the number of voters per ballot style and nothing else. DIR must not exist;\n" +
			"on any error nothing is written.",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "manifest", Usage: "the signed manifest entry `FILE` from 'evote election create'", Required: true},
			&cli.IntFlag{Name: "count", Usage: "issue `N` credentials, for voters numbered 0001…N"},
			&cli.StringFlag{Name: "roll", Usage: "issue a credential per voter of the roll CSV `FILE`"},
			&cli.StringFlag{Name: "style", Usage: "with --count: the ballot style `ID` of every voter (needed when the election has several)"},
			&cli.StringFlag{Name: "commission-key", Usage: "the commission's secret key `FILE` (from 'evote keygen --role commission')", Required: true},
			&cli.StringFlag{Name: "out", Usage: "new directory `DIR` to write the credentials in", Required: true},
		},
		Action: electionCredentials,
	}
}

func electionCredentials(c *cli.Context) error {
	if c.Args().Present() {
		return cli.Exit(fmt.Sprintf("election credentials: unexpected argument %q", c.Args().First()), exitUsage)
	}
	voters, err := credentialsVoters(c)
	if err != nil {
		return err
	}
	manifest, err := credentialsReadFile(c.String("manifest"), election.MaxPayload+1024)
	if err != nil {
		return err
	}
	key, err := keyfile.LoadRole(c.String("commission-key"), keyfile.Commission)
	if err != nil {
		return err
	}
	is, err := credential.ForManifest(manifest, voters, key.SigningKey, nil)
	if err != nil {
		return err
	}
	out := c.String("out")
	if err := is.WriteDir(out); err != nil {
		return err
	}
	printCredentialIssue(c.App.Writer, is, out)
	return nil
}

// credentialsVoters returns the voters from --roll, or numbered ones from
// --count; exactly one of the two must be given.
func credentialsVoters(c *cli.Context) ([]credential.Voter, error) {
	roll, count := c.String("roll"), c.Int("count")
	switch {
	case roll != "" && c.IsSet("count"):
		return nil, cli.Exit("election credentials: give --count or --roll, not both", exitUsage)
	case roll != "":
		if c.IsSet("style") {
			return nil, cli.Exit("election credentials: --style goes with --count; a roll gives each voter's style in its style column", exitUsage)
		}
		f, err := os.Open(roll)
		if err != nil {
			return nil, fmt.Errorf("roll: %w", err)
		}
		defer f.Close()
		voters, err := credential.FromRoll(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", roll, err)
		}
		return voters, nil
	case c.IsSet("count"):
		if count < 1 || count > credential.MaxCredentials {
			return nil, cli.Exit(fmt.Sprintf("election credentials: --count %d, want 1 to %d", count, credential.MaxCredentials), exitUsage)
		}
		return credential.Numbered(count, c.String("style")), nil
	}
	return nil, cli.Exit("election credentials: give --count N or --roll FILE", exitUsage)
}

// credentialsReadFile reads a file of at most limit bytes.
func credentialsReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s: larger than %d bytes; not a manifest entry", path, limit)
	}
	return b, nil
}

func printCredentialIssue(w io.Writer, is *credential.Issue, out string) {
	fmt.Fprintf(w, "election %s\n", is.ElectionID)
	fmt.Fprintf(w, "issued %d credentials", len(is.Credentials))
	perStyle := map[string]int{}
	for _, s := range is.Styles {
		perStyle[s]++
	}
	if _, none := perStyle[""]; !none {
		styles := make([]string, 0, len(perStyle))
		for s := range perStyle {
			styles = append(styles, s)
		}
		slices.Sort(styles)
		for i, s := range styles {
			sep := ", "
			if i == 0 {
				sep = " (style "
			}
			fmt.Fprintf(w, "%s%s: %d", sep, s, perStyle[s])
		}
		fmt.Fprint(w, ")")
	}
	fmt.Fprintln(w)
	parts := "1 entry"
	if len(is.Entries) != 1 {
		parts = fmt.Sprintf("%d entries", len(is.Entries))
	}
	fmt.Fprintf(w, "public list, %s signed by the commission; post to the board in this order:\n", parts)
	for p := range is.Entries {
		fmt.Fprintf(w, "  %s\n", filepath.Join(out, credential.PublicDir, credential.EntryFileName(p)))
	}
	fmt.Fprintf(w, "secret side, for printing only (never publish it; keep it offline, destroy it after printing):\n")
	fmt.Fprintf(w, "  %s\n", filepath.Join(out, credential.SecretDir, credential.SecretCSV))
	fmt.Fprintf(w, "  %s\n", filepath.Join(out, credential.SecretDir, credential.QRDir)+string(filepath.Separator))
}
