// Package votertest runs a board node in the test process, holding the setup
// of the referendum test record (election/testdata/record) up to its open
// entry, for the voter packages' tests: a real node, HTTP API and client, in
// milliseconds and without processes. The multi-process tests live in tests/.
package votertest

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/node"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
	"github.com/evote/evote/voter/credential"
)

// Timeout bounds every wait.
const Timeout = 30 * time.Second

// Key returns the Ed25519 key the record's vectors derive from label
// (election/testdata/record/README.md): "commission", "node/0", "voter/0" …
func Key(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("evote/test/" + label))
	return ed25519.NewKeyFromSeed(seed[:])
}

// Board is a running node of the referendum election.
type Board struct {
	URL      string
	Client   *client.Client
	Election election.ID
	Manifest *election.Manifest
	// Record is the good record's entries, all of them; the node holds
	// those before the first ballot, except the credential list.
	Record [][]byte
	// Codes are credential codes on the list, beside the record's voters
	// (keys Key("voter/0") …).
	Codes []credential.Code

	cfg    node.Config
	cancel context.CancelFunc
	done   chan error
}

// recordFile returns the path of the good referendum record.
func recordFile() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "election", "testdata", "record", "good_referendum.rec")
}

// Start runs node 0 of the referendum and posts the record's setup entries
// (manifest to open); open is false to stop before the open entry.
func Start(t testing.TB, open bool) *Board {
	t.Helper()
	b, err := os.ReadFile(recordFile())
	if err != nil {
		t.Fatal(err)
	}
	entries, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sec := &keyfile.Secret{Role: keyfile.Node, Name: "test-node", SigningKey: Key("node/0")}
	_, secPath, err := sec.Write(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.DefaultConfig()
	cfg.KeyFile = secPath
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.HTTPListen = "127.0.0.1:0"
	cfg.P2PListen = []string{"/ip4/127.0.0.1/tcp/0"}
	cfg.SyncInterval = -1
	cfg.AuditInterval = -1
	cfg.CheckpointInterval = 10 * time.Millisecond
	cfg.Logger = slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelError}))
	bd := &Board{Record: entries, cfg: cfg}
	bd.start(t)
	me, _ := election.DecodeEntry(entries[0])
	bd.Election = me.ID()
	for _, e := range entries {
		d, err := election.DecodeEntry(e)
		if err != nil {
			t.Fatal(err)
		}
		if d.Type == election.TypeBallot || d.Type == election.TypeSpoiled || (!open && d.Type == election.TypeOpen) {
			break
		}
		if d.Type == election.TypeCredentials {
			e = bd.credentials(t, d)
		}
		bd.Submit(t, e)
	}
	bd.Manifest, err = election.DecodeManifest(me.Payload)
	if err != nil {
		t.Fatal(err)
	}
	return bd
}

func (bd *Board) start(t testing.TB) {
	t.Helper()
	n, err := node.New(bd.cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	bd.cancel, bd.done = cancel, make(chan error, 1)
	go func() { bd.done <- n.Run(ctx) }()
	select {
	case <-n.Ready():
	case err := <-bd.done:
		cancel()
		t.Fatalf("node stopped before it was ready: %v", err)
	case <-time.After(Timeout):
		cancel()
		t.Fatal("node not ready in time")
	}
	bd.URL = "http://" + n.HTTPAddr()
	bd.Client, err = client.New([]string{bd.URL}, client.Options{Timeout: Timeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bd.Stop(t) })
}

// Stop shuts the node down; Restart brings it back at the same address.
func (bd *Board) Stop(t testing.TB) {
	t.Helper()
	if bd.cancel == nil {
		return
	}
	bd.cancel()
	bd.cancel = nil
	select {
	case err := <-bd.done:
		if err != nil {
			t.Errorf("node: %v", err)
		}
	case <-time.After(Timeout):
		t.Fatal("node did not stop in time")
	}
}

// Restart starts a stopped node again on its data and address.
func (bd *Board) Restart(t testing.TB) {
	t.Helper()
	bd.cfg.HTTPListen = bd.URL[len("http://"):]
	bd.start(t)
}

// Submit posts an entry, failing the test on a refusal.
func (bd *Board) Submit(t testing.TB, e []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if _, err := bd.Client.Submit(ctx, e); err != nil {
		t.Fatalf("submit: %v", err)
	}
}

// codesPerBoard is how many credential codes Start adds to the list.
const codesPerBoard = 4

// credentials returns the record's credential list with codesPerBoard new
// codes' keys added, signed by the commission.
func (bd *Board) credentials(t testing.TB, rec *election.Entry) []byte {
	t.Helper()
	list, err := election.DecodeCredentialList(rec.Payload)
	if err != nil {
		t.Fatal(err)
	}
	creds := list.Credentials
	for range codesPerBoard {
		code, err := credential.NewCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		bd.Codes = append(bd.Codes, code)
		creds = append(creds, election.Credential{Key: code.PublicKey(bd.Election)})
	}
	slices.SortFunc(creds, func(a, b election.Credential) int { return bytes.Compare(a.Key, b.Key) })
	parts := []*election.CredentialList{{Part: 0, Parts: 1, Credentials: creds}}
	return credential.Entries(bd.Election, parts, Key("commission"))[0].Bytes()
}

// Close posts the commission's close entry.
func (bd *Board) Close(t testing.TB) {
	t.Helper()
	key := Key("commission")
	e := &election.Entry{
		Version:  election.ProtocolVersion,
		Type:     election.TypeClose,
		Election: bd.Election,
		Author:   key.Public().(ed25519.PublicKey),
		Payload:  (&election.Close{}).Bytes(),
	}
	e.Sign(key)
	bd.Submit(t, e.Bytes())
}
