package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/multiformats/go-multiaddr"
	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// testTimeout bounds every wait; the conditions normally hold within a
// second or two.
const testTimeout = 30 * time.Second

const recordDir = "../../election/testdata/record"

// testKey returns the Ed25519 key the election test vectors derive from
// label (election/testdata/record/README.md): "node/0" … are the good
// record's board nodes.
func testKey(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("evote/test/" + label))
	return ed25519.NewKeyFromSeed(seed[:])
}

// readRecord returns the entries of a record file of election/testdata.
func readRecord(t testing.TB, name string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordDir, name))
	if err != nil {
		t.Fatal(err)
	}
	entries, err := election.DecodeRecordFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// testConfig returns a config for a node on loopback with key, writing the
// key file into a new directory, with intervals short enough for tests.
func testConfig(t testing.TB, key ed25519.PrivateKey) Config {
	t.Helper()
	dir := t.TempDir()
	sec := &keyfile.Secret{Role: keyfile.Node, Name: "test-node", SigningKey: key}
	_, secPath, err := sec.Write(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig()
	cfg.KeyFile = secPath
	cfg.DataDir = filepath.Join(dir, "data")
	cfg.HTTPListen = "127.0.0.1:0"
	cfg.P2PListen = []string{"/ip4/127.0.0.1/tcp/0", "/ip4/127.0.0.1/udp/0/quic-v1"}
	cfg.SyncInterval = 500 * time.Millisecond
	cfg.CheckpointInterval = 20 * time.Millisecond
	cfg.AuditInterval = 100 * time.Millisecond
	cfg.SealSyncTimeout = 5 * time.Second
	cfg.Logger = testLogger(t)
	return cfg
}

// testLogger shows warnings and errors in the test's output, everything
// with EVOTE_TEST_LOG=debug.
func testLogger(t testing.TB) *slog.Logger {
	level := slog.LevelWarn
	if os.Getenv("EVOTE_TEST_LOG") == "debug" {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: level}))
}

// running is a node started by startNode.
type running struct {
	*Node
	cfg    Config
	cancel context.CancelFunc
	done   chan error
	client *client.Client
}

// startNode runs a node until stop or the end of the test.
func startNode(t testing.TB, cfg Config) *running {
	t.Helper()
	n, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{Node: n, cfg: cfg, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- n.Run(ctx) }()
	select {
	case <-n.Ready():
	case err := <-r.done:
		cancel()
		t.Fatalf("node stopped before it was ready: %v", err)
	case <-time.After(testTimeout):
		cancel()
		t.Fatal("node not ready in time")
	}
	r.client, err = client.New([]string{"http://" + n.HTTPAddr()}, client.Options{Timeout: testTimeout})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.stop(t) })
	return r
}

// restart stops the node if it runs and starts it again on the same data
// dir and the same addresses, with peers configured.
func (r *running) restart(t testing.TB, peers []Peer) *running {
	t.Helper()
	cfg := r.cfg
	cfg.HTTPListen = r.HTTPAddr()
	cfg.P2PListen = nil
	for _, a := range r.P2PAddrs() {
		ma, _ := multiaddr.SplitLast(a) // without /p2p/
		cfg.P2PListen = append(cfg.P2PListen, ma.String())
	}
	cfg.Peers = peers
	r.stop(t)
	return startNode(t, cfg)
}

// stop shuts the node down and waits for Run to return.
func (r *running) stop(t testing.TB) {
	t.Helper()
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok && err != nil {
			t.Errorf("Run: %v", err)
		}
		if ok {
			close(r.done)
		}
	case <-time.After(testTimeout):
		t.Fatal("node did not stop in time")
	}
}

// waitFor polls cond until it holds, failing the test at the deadline.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	start := time.Now()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
	if os.Getenv("EVOTE_TEST_WAITS") != "" {
		t.Logf("waited %v for %s", time.Since(start), what)
	}
}

// holds reports whether the node's log of el holds entry b.
func (n *Node) holds(el election.ID, b []byte) bool {
	_, err := n.store.Entry(context.Background(), el, sha256.Sum256(b))
	return err == nil
}

// logSize returns the size of the node's log of el (0 if it does not
// serve it).
func (r *running) logSize(el election.ID) uint64 {
	if es := r.election(el); es != nil {
		return es.size.Load()
	}
	return 0
}

// phase returns the phase of the node's record of el.
func (r *running) phase(el election.ID) election.Phase {
	es := r.election(el)
	if es == nil {
		return 0
	}
	es.mu.Lock()
	defer es.mu.Unlock()
	return es.rec.Phase()
}

// refusal returns the node's refusal in err, failing the test if there is
// none.
func refusal(t testing.TB, err error) *client.Error {
	t.Helper()
	var ce *client.Error
	if !errors.As(err, &ce) {
		t.Fatalf("want a refusal, got %v", err)
	}
	return ce
}

// verifierOf returns the checkpoint verifier of a node key.
func verifierOf(t testing.TB, pub ed25519.PublicKey) note.Verifier {
	t.Helper()
	v, err := tlog.NewVerifier(pub)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// parseNote opens a checkpoint note signed by the node with key pub.
func parseNote(note []byte, pub ed25519.PublicKey) (*bulletin.Checkpoint, error) {
	v, err := tlog.NewVerifier(pub)
	if err != nil {
		return nil, err
	}
	return tlog.ParseCheckpoint(note, v)
}

// itemsOf returns entries as store items.
func itemsOf(entries [][]byte) []store.Item {
	out := make([]store.Item, len(entries))
	for i, b := range entries {
		out[i] = store.Item{ID: sha256.Sum256(b), Type: election.EntryType(b[2]), Bytes: b}
	}
	return out
}
