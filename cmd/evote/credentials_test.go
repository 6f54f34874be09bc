package main

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/voter/credential"
)

// credentialsFixture makes the keys with `evote keygen` and a signed
// manifest entry with ballot styles north and south, in a temp dir.
type credentialsFixture struct {
	dir, manifest, commissionKey, commissionPub, trusteeKey string
	id                                                      election.ID
}

func newCredentialsFixture(t *testing.T) *credentialsFixture {
	t.Helper()
	dir := t.TempDir()
	keys := filepath.Join(dir, "keys")
	os.Mkdir(keys, 0o700)
	for _, role := range []string{"commission", "trustee", "node"} {
		if _, err := runWith(t, keygenCommand(), "keygen", "--role", role, "--out", keys, "--name", role); err != nil {
			t.Fatal(err)
		}
	}
	pub := func(name string) *keyfile.Public {
		p, err := keyfile.LoadPublic(filepath.Join(keys, name+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	com, tr, nd := pub("commission"), pub("trustee"), pub("node")
	contests := []election.Contest{
		{ID: "mayor", Title: "Mayor", Options: []election.Option{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}, MaxSelections: 1},
		{ID: "council", Title: "Council", Options: []election.Option{{ID: "c", Title: "C"}, {ID: "d", Title: "D"}}, MaxSelections: 2},
	}
	m := &election.Manifest{
		Version: election.ProtocolVersion, Group: election.GroupName, Title: "Test", Contests: contests,
		Styles:     []election.Style{{ID: "north", Contests: []string{"mayor"}}, {ID: "south", Contests: []string{"mayor", "council"}}},
		Schedule:   election.Schedule{CeremonyDeadline: 1000, Opens: 2000, Closes: 3000},
		Commission: com.SigningKey,
		Trustees: election.Trustees{Threshold: 1, Members: []election.Trustee{
			{Name: "T", SigningKey: tr.SigningKey, EncryptionKey: tr.EncryptionKey}}},
		Nodes:      []election.Node{{Name: "N", PeerID: nd.PeerID, HTTP: "http://127.0.0.1:1", SigningKey: nd.SigningKey}},
		SealQuorum: 1,
	}
	sk, err := keyfile.LoadRole(filepath.Join(keys, "commission.key"), keyfile.Commission)
	if err != nil {
		t.Fatal(err)
	}
	e, id, err := election.NewManifestEntry(m, sk.SigningKey)
	if err != nil {
		t.Fatal(err)
	}
	f := &credentialsFixture{
		dir: dir, manifest: filepath.Join(dir, "manifest.entry"), id: id,
		commissionKey: filepath.Join(keys, "commission.key"), commissionPub: filepath.Join(keys, "commission.pub"),
		trusteeKey: filepath.Join(keys, "trustee.key"),
	}
	if err := os.WriteFile(f.manifest, e.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *credentialsFixture) run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	return runWith(t, electionCredentialsCommand(), append([]string{"credentials"}, args...)...)
}

func TestElectionCredentialsRoll(t *testing.T) {
	f := newCredentialsFixture(t)
	roll := filepath.Join(f.dir, "roll.csv")
	var b strings.Builder
	b.WriteString("voter_id,name,style\n")
	for i := range 25 {
		fmt.Fprintf(&b, "V%02d,Voter %d,%s\n", i, i, []string{"north", "south"}[i%2])
	}
	os.WriteFile(roll, []byte(b.String()), 0o600)
	out := filepath.Join(f.dir, "creds")
	stdout, err := f.run(t, "--manifest", f.manifest, "--roll", roll, "--commission-key", f.commissionKey, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{f.id.String(), "issued 25 credentials (style north: 13, south: 12)", "credentials-000.entry", "never publish"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}

	// The public side: entries of this election, signed by the commission
	// key in its .pub file, keys sorted, one per voter.
	com, err := keyfile.LoadPublic(f.commissionPub)
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := filepath.Glob(filepath.Join(out, "public", "*"))
	if len(entries) != 1 || filepath.Base(entries[0]) != "credentials-000.entry" {
		t.Fatalf("public files %v", entries)
	}
	eb, _ := os.ReadFile(entries[0])
	e, err := election.DecodeEntry(eb)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != election.TypeCredentials || e.Election != f.id || !e.Author.Equal(com.SigningKey) {
		t.Fatalf("entry: type %v, election %v, author %x", e.Type, e.Election, e.Author)
	}
	if err := e.VerifySignature(); err != nil {
		t.Fatal(err)
	}
	list, err := election.DecodeCredentialList(e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Credentials) != 25 || list.Parts != 1 {
		t.Fatalf("%d credentials in %d parts", len(list.Credentials), list.Parts)
	}
	styleOf := map[string]uint16{}
	for i, c := range list.Credentials {
		if i > 0 && bytes.Compare(list.Credentials[i-1].Key, c.Key) >= 0 {
			t.Fatal("public keys not sorted")
		}
		styleOf[string(c.Key)] = c.Style
	}

	// The secret side: 0600, one row per voter in roll order, each code
	// giving a listed key with the voter's style, and a QR image.
	csvPath := filepath.Join(out, "secret", "credentials.csv")
	if fi, err := os.Stat(csvPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials.csv: %v, mode %v", err, fi.Mode())
	}
	cf, _ := os.Open(csvPath)
	rows, err := csv.NewReader(cf).ReadAll()
	cf.Close()
	if err != nil || len(rows) != 26 {
		t.Fatalf("credentials.csv: %d rows, %v", len(rows), err)
	}
	for i, row := range rows[1:] {
		if row[0] != fmt.Sprintf("V%02d", i) || row[1] != fmt.Sprintf("Voter %d", i) {
			t.Errorf("row %d: %q", i+1, row)
		}
		code, err := credential.Parse(row[3])
		if err != nil {
			t.Fatalf("row %d: %v", i+1, err)
		}
		style, ok := styleOf[string(code.PublicKey(f.id))]
		if !ok || style != uint16(i%2) || row[2] != []string{"north", "south"}[i%2] {
			t.Errorf("row %d: listed %v, style %d (%s)", i+1, ok, style, row[2])
		}
		qr, err := os.ReadFile(filepath.Join(out, "secret", "qr", row[0]+".png"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := png.Decode(bytes.NewReader(qr)); err != nil {
			t.Errorf("%s.png: %v", row[0], err)
		}
	}

	// Never overwritten.
	if _, err := f.run(t, "--manifest", f.manifest, "--roll", roll, "--commission-key", f.commissionKey, "--out", out); err == nil ||
		!strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("second run into %s: %v", out, err)
	}
}

func TestElectionCredentialsCount(t *testing.T) {
	f := newCredentialsFixture(t)
	out := filepath.Join(f.dir, "creds")
	stdout, err := f.run(t, "--manifest", f.manifest, "--count", "7", "--style", "south", "--commission-key", f.commissionKey, "--out", out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout, "issued 7 credentials (style south: 7)") {
		t.Errorf("output:\n%s", stdout)
	}
	qrs, _ := filepath.Glob(filepath.Join(out, "secret", "qr", "*.png"))
	if len(qrs) != 7 || filepath.Base(qrs[0]) != "0001.png" {
		t.Errorf("QR files %v", qrs)
	}
}

func TestElectionCredentialsErrors(t *testing.T) {
	f := newCredentialsFixture(t)
	other := filepath.Join(f.dir, "other")
	os.Mkdir(other, 0o700)
	if _, _, err := keyfile.Generate(keyfile.Commission, other, "c", false); err != nil {
		t.Fatal(err)
	}
	badRoll := filepath.Join(f.dir, "bad.csv")
	os.WriteFile(badRoll, []byte("voter_id,name,style\n1,A,north\n2,B,west\n"), 0o600)
	leaky := filepath.Join(f.dir, "leaky.key")
	b, _ := os.ReadFile(f.commissionKey)
	os.WriteFile(leaky, b, 0o644)
	os.Chmod(leaky, 0o644)
	notEntry := filepath.Join(f.dir, "roll-as-manifest")
	os.WriteFile(notEntry, []byte("voter_id,name\n"), 0o644)
	out := filepath.Join(f.dir, "out")
	m, k := f.manifest, f.commissionKey
	for _, tc := range []struct {
		args []string
		want string
		code int
	}{
		{[]string{"--manifest", m, "--count", "3", "--commission-key", filepath.Join(other, "c.key")}, "not the election's commission key", 1},
		{[]string{"--manifest", m, "--count", "3", "--commission-key", f.trusteeKey}, "holds a trustee key, want a commission key", 1},
		{[]string{"--manifest", m, "--count", "3", "--commission-key", leaky}, "chmod 600", 1},
		{[]string{"--manifest", m, "--count", "3", "--commission-key", k}, "no style; the election has styles north, south", 1},
		{[]string{"--manifest", m, "--count", "3", "--style", "west", "--commission-key", k}, `style "west" is not one of the election's styles`, 1},
		{[]string{"--manifest", m, "--roll", badRoll, "--commission-key", k}, `roll line 3: voter 2: style "west"`, 1},
		{[]string{"--manifest", m, "--roll", badRoll, "--count", "3", "--commission-key", k}, "not both", exitUsage},
		{[]string{"--manifest", m, "--roll", badRoll, "--style", "north", "--commission-key", k}, "--style goes with --count", exitUsage},
		{[]string{"--manifest", m, "--commission-key", k}, "give --count N or --roll FILE", exitUsage},
		{[]string{"--manifest", m, "--count", "0", "--commission-key", k}, "--count 0", exitUsage},
		{[]string{"--manifest", notEntry, "--count", "3", "--commission-key", k}, "manifest entry", 1},
		{[]string{"--manifest", filepath.Join(f.dir, "missing"), "--count", "3", "--commission-key", k}, "no such file", 1},
	} {
		_, err := f.run(t, append(tc.args, "--out", out)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: %v, want an error saying %q", tc.args, err, tc.want)
			continue
		}
		if got := exitCode(err); got != tc.code {
			t.Errorf("%v: exit code %d, want %d", tc.args, got, tc.code)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Fatalf("%v: failed, but %s exists", tc.args, out)
		}
	}
	names, _ := os.ReadDir(f.dir)
	for _, n := range names {
		if strings.HasPrefix(n.Name(), ".out") {
			t.Errorf("temporary %s left behind", n.Name())
		}
	}
}
