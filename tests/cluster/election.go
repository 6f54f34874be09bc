package cluster

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/demo"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/credential"
)

// Election is an election a cluster published.
type Election struct {
	ID           election.ID
	Manifest     *election.Manifest
	ManifestFile string // the signed manifest entry
	Config       string // the YAML config it was made from
	// CredentialsDir is the output of `evote election credentials`.
	CredentialsDir string
	// Codes are the voters' credential codes, in roll order, and Styles
	// their ballot style ids ("" when the election has no styles).
	Codes  []string
	Styles []string
	// Posted are the entries published, in order (manifest first).
	Posted [][]byte
	// Key is the joint election key, once OpenDirect opened the election.
	Key *elgamal.PublicKey
}

// Voter returns voter i's credential key (0-based, in roll order).
func (e *Election) Voter(t testing.TB, i int) ed25519.PrivateKey {
	t.Helper()
	code, err := credential.Parse(e.Codes[i])
	if err != nil {
		t.Fatal(err)
	}
	return code.Key(e.ID)
}

// Ballot makes voter i's ballot (style 0) with the given revote counter,
// choosing in every contest the first options up to its minimum number
// of selections plus option i mod the number of options when the maximum
// allows it. Precondition: the election is open (Key set).
func (e *Election) Ballot(t testing.TB, i int, counter uint32) []byte {
	t.Helper()
	var sel [][]uint64
	for _, ci := range e.Manifest.StyleContests(0) {
		ct := e.Manifest.Contests[ci]
		s := make([]uint64, len(ct.Options))
		n := 0
		for k := range s {
			if n < int(ct.MinSelections) {
				s[k], n = 1, n+1
			}
		}
		if k := i % len(s); s[k] == 0 && n < int(ct.MaxSelections) {
			s[k] = 1
		}
		sel = append(sel, s)
	}
	entry, _, err := election.NewBallot(e.Manifest, e.ID, e.Key, e.Voter(t, i), 0, counter, sel, nil)
	if err != nil {
		t.Fatalf("voter %d: %v", i, err)
	}
	return entry.Bytes()
}

// ElectionConfig writes a copy of election-configs/name with the
// commission key, trustees, nodes and seal quorum replaced by the
// cluster's, and returns its path. Everything else (contests, styles,
// schedule) is the file's own.
func (c *Cluster) ElectionConfig(t testing.TB, name string) string {
	t.Helper()
	src := filepath.Join(ModuleRoot(t), "election-configs", name)
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	p := &demo.Parties{Commission: c.Commission.SigningKey.Public().(ed25519.PublicKey), Threshold: c.Threshold}
	for _, tr := range c.Trustees {
		pub, err := tr.Secret.Public()
		if err != nil {
			t.Fatal(err)
		}
		p.Trustees = append(p.Trustees, demo.TrusteeKeys{Name: tr.Name, SigningKey: pub.SigningKey, EncryptionKey: pub.EncryptionKey})
	}
	for _, n := range c.Nodes {
		p.Nodes = append(p.Nodes, election.Node{Name: n.Name, SigningKey: n.PublicKey(), PeerID: n.PeerID(), Addrs: n.Addrs(), HTTP: n.URL()})
	}
	out, err := demo.ReplaceParties(b, p)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	path := filepath.Join(c.Dir, name)
	if err := os.WriteFile(path, out, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// Publish makes the election of config with `evote election create`,
// issues credentials to voters with `evote election credentials` (args
// adds flags, such as "--style", "ward-1"; with voters 0, args must give
// the roll: "--roll", FILE), posts everything with `evote election
// publish`, and waits until every running node holds it all.
func (c *Cluster) Publish(t testing.TB, config string, voters int, args ...string) *Election {
	t.Helper()
	base := filepath.Join(c.Dir, "election-"+strconv.Itoa(len(c.published)+1))
	if err := os.MkdirAll(base, 0o700); err != nil {
		t.Fatal(err)
	}
	e := &Election{Config: config, ManifestFile: filepath.Join(base, "manifest.entry"), CredentialsDir: filepath.Join(base, "credentials")}
	c.MustEvote("election", "create", config, "--commission-key", c.CommissionKey, "--out", e.ManifestFile)
	cred := []string{"election", "credentials", "--manifest", e.ManifestFile, "--commission-key", c.CommissionKey, "--out", e.CredentialsDir}
	if voters > 0 {
		cred = append(cred, "--count", strconv.Itoa(voters))
	}
	c.MustEvote(append(cred, args...)...)
	parts, err := filepath.Glob(filepath.Join(e.CredentialsDir, "public", "credentials-*.entry"))
	if err != nil || len(parts) == 0 {
		t.Fatalf("no credential list in %s: %v", e.CredentialsDir, err)
	}
	sort.Strings(parts)
	c.MustEvote(append(append([]string{"election", "publish", "--manifest", e.ManifestFile}, c.NodeArgs()...), parts...)...)

	mb, err := os.ReadFile(e.ManifestFile)
	if err != nil {
		t.Fatal(err)
	}
	e.ID = sha256.Sum256(mb)
	me, err := election.DecodeEntry(mb)
	if err != nil {
		t.Fatal(err)
	}
	if e.Manifest, err = election.DecodeManifest(me.Payload); err != nil {
		t.Fatal(err)
	}
	e.Posted = append(e.Posted, mb)
	for _, p := range parts {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		e.Posted = append(e.Posted, b)
	}
	e.Codes, e.Styles = readCodes(t, filepath.Join(e.CredentialsDir, "secret", "credentials.csv"))
	c.WaitAllHold(t, e, e.Posted...)
	c.published = append(c.published, e)
	return e
}

// readCodes returns the code and style columns of a credentials CSV.
func readCodes(t testing.TB, path string) (codes, styles []string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: %v (%d rows)", path, err, len(rows))
	}
	col, scol := -1, -1
	for i, h := range rows[0] {
		switch h {
		case "code":
			col = i
		case "style":
			scol = i
		}
	}
	if col < 0 || scol < 0 {
		t.Fatalf("%s: no code or style column in %v", path, rows[0])
	}
	for _, r := range rows[1:] {
		codes = append(codes, r[col])
		styles = append(styles, r[scol])
	}
	return codes, styles
}

// WaitAllHold waits until every running node holds every entry.
func (c *Cluster) WaitAllHold(t testing.TB, e *Election, entries ...[]byte) {
	t.Helper()
	ctx := context.Background()
	for _, n := range c.Nodes {
		if !n.Running() {
			continue
		}
		cl := n.Client(t)
		for i, b := range entries {
			id := election.ID(sha256.Sum256(b))
			WaitFor(t, fmt.Sprintf("%s to hold entry %d (%x)", n.Name, i, id[:6]), func() bool {
				_, err := cl.Entry(ctx, e.ID, id)
				return err == nil
			})
		}
	}
}

// Submit posts entry b to the cluster (any node that answers).
func (c *Cluster) Submit(t testing.TB, b []byte) {
	t.Helper()
	if _, err := c.Client(t).Submit(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// Shares are the trustees' secret shares of the joint key, by trustee
// index (1-based; index 0 unused), as OpenDirect computed them.
type Shares []*group.Scalar

// OpenDirect runs the key ceremony in the test process, as honest trustees
// would (every dealing valid, no complaint), posts every dealing and then
// the commission's open entry, and waits until every running node holds
// them. It returns each trustee's share of the joint secret and the open
// entry. For tests that need an open election but do not test the trustee
// commands.
func (c *Cluster) OpenDirect(t testing.TB, e *Election) (Shares, []byte) {
	t.Helper()
	m := e.Manifest
	params := threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)}
	polys := make([]*threshold.Polynomial, params.N+1)
	dealings := make([]*election.Dealing, params.N+1)
	commitments := map[int]*threshold.Commitments{}
	var posted [][]byte
	for i, tr := range c.Trustees {
		entry, f, err := election.NewDealing(m, e.ID, tr.Secret.SigningKey, nil)
		if err != nil {
			t.Fatalf("%s: %v", tr.Name, err)
		}
		d, err := election.DecodeDealing(params, entry.Payload)
		if err != nil {
			t.Fatal(err)
		}
		polys[i+1], dealings[i+1], commitments[i+1] = f, d, d.Commitments
		posted = append(posted, entry.Bytes())
	}
	for _, b := range posted {
		c.Submit(t, b)
	}
	res, err := threshold.Qualify(params, commitments, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	open := &election.Entry{
		Version:  election.ProtocolVersion,
		Type:     election.TypeOpen,
		Election: e.ID,
		Author:   m.Commission,
		Payload:  election.NewOpen(res).Bytes(),
	}
	open.Sign(c.Commission.SigningKey)
	ob := open.Bytes()
	c.WaitAllHold(t, e, posted...)
	c.Submit(t, ob)
	c.WaitAllHold(t, e, ob)

	e.Key = elgamal.NewPublicKey(res.Key)
	shares := make(Shares, params.N+1)
	for j, tr := range c.Trustees {
		j++
		received := map[int]*group.Scalar{}
		for i := 1; i <= params.N; i++ {
			if i == j {
				s, err := polys[j].Share(j)
				if err != nil {
					t.Fatal(err)
				}
				received[i] = s
				continue
			}
			s, err := dealings[i].OpenShare(m, e.ID, j, tr.Secret.EncryptionKey)
			if err != nil {
				t.Fatalf("trustee %d opening dealer %d's share: %v", j, i, err)
			}
			received[i] = s
		}
		if shares[j], err = threshold.CombineShares(res, j, received); err != nil {
			t.Fatal(err)
		}
	}
	return shares, ob
}
