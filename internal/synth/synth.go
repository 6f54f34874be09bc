package synth

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
)

// Params says what election to generate. The zero value of a field takes
// the default in its comment.
type Params struct {
	Seed      string // "evote-synth"
	Ballots   int    // voters who cast a ballot (each one; plus Revotes): 1000
	Options   int    // options of the one contest, a choice of exactly one: 5
	Revotes   int    // voters among the first who cast a second ballot that replaces the first: 0
	Spoiled   int    // challenged ballots, by the first voters: 0
	Trustees  int    // n: 3
	Threshold int    // t: 2
	Nodes     int    // board nodes; every one seals: 3
	Templates int    // honestly made ballots that the others reuse: 64
}

func (p *Params) defaults() error {
	set := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	if p.Seed == "" {
		p.Seed = "evote-synth"
	}
	set(&p.Ballots, 1000)
	set(&p.Options, 5)
	set(&p.Trustees, 3)
	set(&p.Threshold, 2)
	set(&p.Nodes, 3)
	set(&p.Templates, 64)
	switch {
	case p.Ballots < 1 || p.Options < 1 || p.Options > election.MaxOptions:
		return fmt.Errorf("synth: %d ballots of %d options: want at least 1 ballot and 1 to %d options", p.Ballots, p.Options, election.MaxOptions)
	case p.Revotes < 0 || p.Revotes > p.Ballots || p.Spoiled < 0 || p.Spoiled > p.Ballots:
		return fmt.Errorf("synth: %d revotes and %d spoiled ballots among %d voters", p.Revotes, p.Spoiled, p.Ballots)
	case p.Threshold < 1 || p.Threshold > p.Trustees || p.Trustees > 255:
		return fmt.Errorf("synth: threshold %d of %d trustees", p.Threshold, p.Trustees)
	case p.Nodes < 1 || p.Nodes > election.MaxNodes:
		return fmt.Errorf("synth: %d nodes, want 1 to %d", p.Nodes, election.MaxNodes)
	case p.Templates < 1:
		return errors.New("synth: at least one template")
	}
	return nil
}

// Election is what the generator knows of the election it wrote.
type Election struct {
	ID          election.ID
	Manifest    *election.Manifest
	Commission  ed25519.PrivateKey
	Trustees    []ed25519.PrivateKey // trustee i+1
	Shares      []*group.Scalar      // trustee i+1's share of the election key
	Nodes       []ed25519.PrivateKey // node i; node 0 signs the checkpoint
	Counts      []uint64             // the result, per option
	Counted     uint64               // ballots counted (one per voter)
	Entries     int                  // entries on the record
	BallotBytes int                  // the size of one ballot entry
}

// Write generates the election of p into the record directory dir
// (created if needed): record.EntriesFile and record.CheckpointFile.
func Write(dir string, p Params) (*Election, error) {
	if err := p.defaults(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	w, err := record.Create(filepath.Join(dir, record.EntriesFile))
	if err != nil {
		return nil, err
	}
	g := &generator{p: p, w: w, tree: tlog.NewTree()}
	if err := g.run(); err != nil {
		w.Abort()
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	cp, err := g.checkpoint()
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, record.CheckpointFile), cp, 0o644); err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	g.el.Entries = w.Count()
	return &g.el, nil
}

// generator writes one election's entries in log order and keeps the
// log's Merkle tree as it grows, for the seals and the checkpoint.
type generator struct {
	p          Params
	w          *record.Writer
	tree       *tlog.Tree
	el         Election
	voter      []ed25519.PrivateKey
	K          *group.Point
	kb         []byte
	ids        []election.ID // the ballot set
	aggregates [][]*elgamal.Ciphertext
}

func (g *generator) run() error {
	steps := []func() error{g.manifest, g.credentials, g.ceremony, g.ballots, g.close, g.seals, g.decrypt}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// append writes e to the record and the tree.
func (g *generator) append(e *election.Entry) error {
	return g.appendBytes(e.Bytes())
}

func (g *generator) appendBytes(b []byte) error {
	if err := g.w.Append(b); err != nil {
		return err
	}
	t, err := g.tree.Append([][tlog.HashSize]byte{tlog.LeafHash(b)}, nil)
	if err != nil {
		return fmt.Errorf("synth: %w", err)
	}
	g.tree = t
	return nil
}

func (g *generator) sign(t election.EntryType, payload []byte, key ed25519.PrivateKey) *election.Entry {
	e := &election.Entry{Version: election.ProtocolVersion, Type: t, Election: g.el.ID, Payload: payload}
	e.Sign(key)
	return e
}

func (g *generator) manifest() error {
	p, seed := g.p, g.p.Seed
	g.el.Commission = signingKey(seed, "commission", 0)
	m := &election.Manifest{
		Version: election.ProtocolVersion, Group: election.GroupName,
		Title:       fmt.Sprintf("Synthetic election: %d ballots", p.Ballots),
		Description: "Generated by internal/synth for the verifier's tests and benchmarks.",
		Schedule:    election.Schedule{CeremonyDeadline: 1_800_000_000, Opens: 1_800_003_600, Closes: 1_800_046_800},
		Commission:  g.el.Commission.Public().(ed25519.PublicKey),
		Trustees:    election.Trustees{Threshold: uint16(p.Threshold)},
		SealQuorum:  uint16(2*p.Nodes/3 + 1),
	}
	c := election.Contest{ID: "choice", Title: "Choose one", MinSelections: 1, MaxSelections: 1}
	for o := range p.Options {
		c.Options = append(c.Options, election.Option{ID: fmt.Sprintf("option-%d", o), Title: fmt.Sprintf("Option %d", o)})
	}
	m.Contests = []election.Contest{c}
	for i := range p.Trustees {
		k := signingKey(seed, "trustee", i)
		ek, err := encryptionKey(seed, i)
		if err != nil {
			return fmt.Errorf("synth: trustee %d: %w", i+1, err)
		}
		g.el.Trustees = append(g.el.Trustees, k)
		m.Trustees.Members = append(m.Trustees.Members, election.Trustee{
			Name: fmt.Sprintf("Trustee %d", i+1), SigningKey: k.Public().(ed25519.PublicKey), EncryptionKey: ek.Public().Bytes()})
	}
	for i := range p.Nodes {
		k := signingKey(seed, "node", i)
		pub := k.Public().(ed25519.PublicKey)
		g.el.Nodes = append(g.el.Nodes, k)
		m.Nodes = append(m.Nodes, election.Node{
			Name: fmt.Sprintf("node-%d", i), PeerID: election.PeerID(pub),
			Addrs: []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 4100+i)},
			HTTP:  fmt.Sprintf("http://127.0.0.1:%d", 8100+i), SigningKey: pub})
	}
	e, id, err := election.NewManifestEntry(m, g.el.Commission)
	if err != nil {
		return fmt.Errorf("synth: manifest: %w", err)
	}
	g.el.ID, g.el.Manifest = id, m
	return g.append(e)
}

// credentials publishes the voters' keys, sorted, in parts.
func (g *generator) credentials() error {
	g.voter = voterKeys(g.p.Seed, g.p.Ballots)
	pubs := make([][]byte, len(g.voter))
	for i, k := range g.voter {
		pubs[i] = k[32:]
	}
	slices.SortFunc(pubs, bytes.Compare)
	parts := (len(pubs) + election.MaxCredentialsPerEntry - 1) / election.MaxCredentialsPerEntry
	for part := range parts {
		l := &election.CredentialList{Part: uint32(part), Parts: uint32(parts)}
		for _, k := range pubs[part*election.MaxCredentialsPerEntry : min((part+1)*election.MaxCredentialsPerEntry, len(pubs))] {
			l.Credentials = append(l.Credentials, election.Credential{Key: k})
		}
		if err := g.append(g.sign(election.TypeCredentials, l.Bytes(), g.el.Commission)); err != nil {
			return err
		}
	}
	return nil
}

// ceremony deals for every trustee (no complaints), opens the election and
// keeps each trustee's share.
func (g *generator) ceremony() error {
	m := g.el.Manifest
	params := threshold.Params{N: g.p.Trustees, T: g.p.Threshold}
	commitments := make(map[int]*threshold.Commitments)
	polys := make([]*threshold.Polynomial, g.p.Trustees)
	for i, k := range g.el.Trustees {
		e, f, err := election.NewDealing(m, g.el.ID, k, newStream(derive(g.p.Seed, "dealing", i)))
		if err != nil {
			return fmt.Errorf("synth: trustee %d's dealing: %w", i+1, err)
		}
		d, err := election.DecodeDealing(params, e.Payload)
		if err != nil {
			return fmt.Errorf("synth: trustee %d's dealing: %w", i+1, err)
		}
		commitments[i+1], polys[i] = d.Commitments, f
		if err := g.append(e); err != nil {
			return err
		}
	}
	res, err := threshold.Qualify(params, commitments, nil, nil)
	if err != nil {
		return fmt.Errorf("synth: key ceremony: %w", err)
	}
	for j := 1; j <= g.p.Trustees; j++ {
		s := group.NewScalar()
		for _, i := range res.QUAL {
			sij, err := polys[i-1].Share(j)
			if err != nil {
				return fmt.Errorf("synth: trustee %d's share from %d: %w", j, i, err)
			}
			s.Add(s, sij)
		}
		g.el.Shares = append(g.el.Shares, s)
	}
	g.K, g.kb = res.Key, res.Key.Bytes()
	return g.append(g.sign(election.TypeOpen, election.NewOpen(res).Bytes(), g.el.Commission))
}

// chunk is how many ballots are made on all cores before they are written.
const chunk = 4096

// ballots casts one ballot per voter, from the templates in turn; the
// first Revotes voters cast a second ballot (counter 1, the next template)
// at the end, and the first Spoiled voters challenge one ballot first.
func (g *generator) ballots() error {
	p := g.p
	tpls := make([]*template, p.Templates)
	for t := range tpls {
		sel := make([]uint64, p.Options)
		sel[t%p.Options] = 1
		var err error
		if tpls[t], err = newTemplate(g.el.Manifest, g.el.ID, g.K, sel, newStream(derive(p.Seed, "template", t))); err != nil {
			return fmt.Errorf("synth: template %d: %w", t, err)
		}
	}
	for i := range p.Spoiled {
		t := tpls[(i+1)%len(tpls)]
		b := t.ballot(g.el.ID, g.kb, g.voter[i], 0)
		s, err := election.NewSpoiled(g.el.Manifest, b, t.opening, g.voter[i])
		if err != nil {
			return fmt.Errorf("synth: spoiled ballot %d: %w", i, err)
		}
		if err := g.append(s); err != nil {
			return err
		}
	}
	counted := make([]int, len(tpls)) // by template
	cast := func(n int, which func(i int) (voter int, t int, counter uint32)) error {
		out := make([][]byte, chunk)
		for lo := 0; lo < n; lo += chunk {
			hi := min(lo+chunk, n)
			parallel(hi-lo, func(k int) {
				v, t, c := which(lo + k)
				out[k] = tpls[t].ballot(g.el.ID, g.kb, g.voter[v], c).Bytes()
			})
			for k := range hi - lo {
				if err := g.appendBytes(out[k]); err != nil {
					return err
				}
				g.ids = append(g.ids, sha256.Sum256(out[k]))
				g.el.BallotBytes = len(out[k])
			}
		}
		return nil
	}
	first := func(i int) (int, int, uint32) { return i, i % len(tpls), 0 }
	second := func(i int) (int, int, uint32) { return i, (i + 1) % len(tpls), 1 }
	if err := cast(p.Ballots, first); err != nil {
		return err
	}
	if err := cast(p.Revotes, second); err != nil {
		return err
	}
	for v := range p.Ballots {
		_, t, _ := first(v)
		if v < p.Revotes {
			_, t, _ = second(v)
		}
		counted[t]++
	}
	g.el.Counted = uint64(p.Ballots)
	g.el.Counts = make([]uint64, p.Options)
	agg := make([]*elgamal.Ciphertext, p.Options)
	for o := range agg {
		agg[o] = elgamal.Zero()
	}
	for t, n := range counted {
		if n == 0 {
			continue
		}
		k := group.ScalarFromUint64(uint64(n))
		for o, ct := range tpls[t].cts {
			g.el.Counts[o] += uint64(n) * tpls[t].selections[o]
			agg[o] = elgamal.Add(agg[o], &elgamal.Ciphertext{
				A: new(group.Point).ScalarMult(k, ct.A), B: new(group.Point).ScalarMult(k, ct.B)})
		}
	}
	g.aggregates = [][]*elgamal.Ciphertext{agg}
	return nil
}

func (g *generator) close() error {
	return g.append(g.sign(election.TypeClose, (&election.Close{}).Bytes(), g.el.Commission))
}

// seals has every node seal the ballot set at its log's checkpoint: the
// synthetic nodes share one log, this record.
func (g *generator) seals() error {
	set := election.BallotSetHash(g.ids)
	for _, k := range g.el.Nodes {
		s := &election.Seal{Count: uint64(len(g.ids)), Ballots: set, TreeSize: g.tree.Size(), Root: g.tree.Root()}
		if err := g.append(g.sign(election.TypeSeal, s.Bytes(), k)); err != nil {
			return err
		}
	}
	return nil
}

// decrypt posts every trustee's partial decryption and the result.
func (g *generator) decrypt() error {
	for i, k := range g.el.Trustees {
		e, err := election.NewPartial(g.el.Manifest, g.el.ID, k, g.el.Shares[i], g.aggregates,
			newStream(derive(g.p.Seed, "partial", i)))
		if err != nil {
			return fmt.Errorf("synth: trustee %d's partial: %w", i+1, err)
		}
		if err := g.append(e); err != nil {
			return err
		}
	}
	r := &election.Result{Ballots: g.el.Counted, Counts: [][]uint64{g.el.Counts}}
	e, err := election.NewResult(g.el.Manifest, g.el.ID, g.el.Commission, r)
	if err != nil {
		return fmt.Errorf("synth: result: %w", err)
	}
	return g.append(e)
}

// checkpoint returns node 0's signed checkpoint of the whole log.
func (g *generator) checkpoint() ([]byte, error) {
	s, err := tlog.NewSigner(g.el.Nodes[0])
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	cp, err := tlog.SignCheckpoint(g.el.ID, g.tree.Size(), g.tree.Root(), s)
	if err != nil {
		return nil, fmt.Errorf("synth: %w", err)
	}
	return cp.Note, nil
}
