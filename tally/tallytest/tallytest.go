// Package tallytest builds whole elections in memory for the tests of the
// tally and the trustees: a manifest with n trustees and one node, the
// credential list, ballots, the close and the node's seal, all checked by a
// reference election.Record as a board would check them. The keys come from
// fixed seeds; the ballots and the ceremony use fresh randomness.
package tallytest

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"slices"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
)

// Election is one election in memory. Board holds every entry the
// reference record accepted, in order: what a node would serve.
type Election struct {
	Manifest      *election.Manifest
	ManifestEntry *election.Entry
	ID            election.ID
	Commission    ed25519.PrivateKey
	Signing       []ed25519.PrivateKey       // trustee j is Signing[j-1]
	Encryption    []*threshold.EncryptionKey // trustee j is Encryption[j-1]
	Node          ed25519.PrivateKey         // the one board node
	Voters        []ed25519.PrivateKey       // credentials
	Record        *election.Record           // the reference record
	Board         []*election.Entry          // every accepted entry, in order
	counters      map[int]uint32             // voter → next revote counter
}

// key returns the Ed25519 key of a fixed seed.
func key(kind byte, i int) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	seed[0], seed[1], seed[2] = kind, byte(i), byte(i>>8)
	return ed25519.NewKeyFromSeed(seed)
}

// New returns an election with one contest of options options (at most one
// selection, blank allowed), n trustees of whom t decrypt, and voters
// credentials on the record. It is in the setup phase: no dealing yet.
func New(tb testing.TB, n, t, options, voters int) *Election {
	tb.Helper()
	e := &Election{Commission: key('c', 0), Node: key('n', 0), counters: make(map[int]uint32)}
	m := &election.Manifest{
		Version: election.ProtocolVersion, Group: election.GroupName, Title: "Test election",
		Schedule:   election.Schedule{CeremonyDeadline: 1_800_000_000, Opens: 1_800_000_000, Closes: 1_800_086_400},
		Commission: e.Commission.Public().(ed25519.PublicKey),
		Trustees:   election.Trustees{Threshold: uint16(t)},
		SealQuorum: 1,
	}
	ct := election.Contest{ID: "question", Title: "The question", MinSelections: 0, MaxSelections: 1}
	for o := range options {
		ct.Options = append(ct.Options, election.Option{ID: fmt.Sprintf("option-%d", o), Title: fmt.Sprintf("Option %d", o)})
	}
	m.Contests = []election.Contest{ct}
	for j := 1; j <= n; j++ {
		sk := key('t', j)
		seed := bytes.Repeat([]byte{byte(j)}, threshold.EncryptionKeySize)
		ek, err := threshold.GenerateEncryptionKey(bytes.NewReader(seed))
		if err != nil {
			tb.Fatal(err)
		}
		e.Signing = append(e.Signing, sk)
		e.Encryption = append(e.Encryption, ek)
		m.Trustees.Members = append(m.Trustees.Members, election.Trustee{
			Name: fmt.Sprintf("trustee-%d", j), SigningKey: sk.Public().(ed25519.PublicKey), EncryptionKey: ek.Public().Bytes()})
	}
	nodeKey := e.Node.Public().(ed25519.PublicKey)
	m.Nodes = []election.Node{{Name: "node", PeerID: election.PeerID(nodeKey), Addrs: []string{"/ip4/127.0.0.1/tcp/1"}, HTTP: "http://127.0.0.1:1", SigningKey: nodeKey}}
	me, id, err := election.NewManifestEntry(m, e.Commission)
	if err != nil {
		tb.Fatal(err)
	}
	e.Manifest, e.ManifestEntry, e.ID = m, me, id
	if e.Record, err = election.NewRecord(me); err != nil {
		tb.Fatal(err)
	}
	e.Board = []*election.Entry{me}
	e.postCredentials(tb, voters)
	return e
}

// postCredentials makes voters credentials and posts the list.
func (e *Election) postCredentials(tb testing.TB, voters int) {
	tb.Helper()
	list := &election.CredentialList{Part: 0, Parts: 1}
	for v := range voters {
		sk := key('v', v)
		e.Voters = append(e.Voters, sk)
		list.Credentials = append(list.Credentials, election.Credential{Key: sk.Public().(ed25519.PublicKey)})
	}
	slices.SortFunc(list.Credentials, func(a, b election.Credential) int { return bytes.Compare(a.Key, b.Key) })
	e.MustPost(tb, e.Sign(e.Commission, election.TypeCredentials, list.Bytes()))
}

// Sign returns the entry of type typ with payload, signed by key.
func (e *Election) Sign(key ed25519.PrivateKey, typ election.EntryType, payload []byte) *election.Entry {
	en := &election.Entry{Version: election.ProtocolVersion, Type: typ, Election: e.ID, Payload: payload}
	en.Sign(key)
	return en
}

// Post applies en to the reference record and, if it passes, puts it on
// the board. A duplicate is no error.
func (e *Election) Post(en *election.Entry) error {
	if e.Record.Has(en.ID()) {
		return nil
	}
	if err := e.Record.Apply(en); err != nil {
		return err
	}
	e.Board = append(e.Board, en)
	return nil
}

// MustPost is Post, failing the test on error.
func (e *Election) MustPost(tb testing.TB, en *election.Entry) {
	tb.Helper()
	if err := e.Post(en); err != nil {
		tb.Fatal(err)
	}
}

// Open posts the commission's open entry for the ceremony res.
func (e *Election) Open(tb testing.TB, res *threshold.Result) {
	tb.Helper()
	e.MustPost(tb, e.Sign(e.Commission, election.TypeOpen, election.NewOpen(res).Bytes()))
}

// Vote casts voter v's ballot selecting option choice (-1: blank), with the
// voter's next revote counter.
func (e *Election) Vote(tb testing.TB, v, choice int) *election.Entry {
	tb.Helper()
	sel := make([]uint64, len(e.Manifest.Contests[0].Options))
	if choice >= 0 {
		sel[choice] = 1
	}
	b, _, err := election.NewBallot(e.Manifest, e.ID, elgamal.NewPublicKey(e.Record.Key()), e.Voters[v], 0, e.counters[v], [][]uint64{sel}, nil)
	if err != nil {
		tb.Fatal(err)
	}
	e.counters[v]++
	e.MustPost(tb, b)
	return b
}

// Close posts the close entry and the node's seal, which moves the record
// to the decryption phase.
func (e *Election) Close(tb testing.TB) {
	tb.Helper()
	e.MustPost(tb, e.Sign(e.Commission, election.TypeClose, (&election.Close{}).Bytes()))
	seal := e.Record.NewSeal(uint64(len(e.Board)), [32]byte{1})
	e.MustPost(tb, e.Sign(e.Node, election.TypeSeal, seal.Bytes()))
	if p := e.Record.Phase(); p != election.PhaseDecryption {
		tb.Fatalf("after the seal the record is in the %v phase", p)
	}
}
