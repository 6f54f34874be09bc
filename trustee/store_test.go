package trustee_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
	"github.com/evote/evote/trustee"
)

func newStore(t *testing.T) (*trustee.Store, string) {
	t.Helper()
	st, err := trustee.NewState(election.ID{1, 2, 3}, 2)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "t.state")
	s, err := trustee.Create(path, passphrase, cheapKDF, st)
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}

func TestStoreRoundTrip(t *testing.T) {
	s, path := newStore(t)
	s.State.Dealing = []byte("dealing entry")
	s.State.Share = group.ScalarFromUint64(12345)
	s.State.Partial = []byte("partial entry")
	if err := s.Save(); err != nil {
		t.Fatal(err)
	}
	got, err := trustee.Open(path, passphrase)
	if err != nil {
		t.Fatal(err)
	}
	g, w := got.State, s.State
	if g.Election != w.Election || g.Trustee != w.Trustee || g.Seed != w.Seed || !bytes.Equal(g.Dealing, w.Dealing) ||
		!bytes.Equal(g.Partial, w.Partial) || g.Share == nil || !bytes.Equal(g.Share.Bytes(), w.Share.Bytes()) {
		t.Fatalf("state changed on the way through the file: %+v", g)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", fi.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, w.Seed[:8]) || bytes.Contains(raw, w.Share.Bytes()[:8]) || bytes.Contains(raw, []byte("dealing entry")) {
		t.Fatal("the state file holds the state in the clear")
	}
}

func TestStoreRefuses(t *testing.T) {
	s, path := newStore(t)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	write := func(b []byte) string {
		p := filepath.Join(t.TempDir(), "x.state")
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flip := func(i int) []byte {
		b := bytes.Clone(raw)
		b[i] ^= 1
		return b
	}
	for _, tc := range []struct {
		name       string
		path       string
		passphrase string
		want       error
	}{
		{"wrong passphrase", path, "incorrect horse", trustee.ErrPassphrase},
		{"ciphertext bit flipped", write(flip(len(raw) - 20)), string(passphrase), trustee.ErrPassphrase},
		{"salt bit flipped", write(flip(len("evote-trustee-state v1\n"))), string(passphrase), trustee.ErrPassphrase},
		{"nonce bit flipped", write(flip(len("evote-trustee-state v1\n") + 16 + 9)), string(passphrase), trustee.ErrPassphrase},
		{"truncated", write(raw[:40]), string(passphrase), trustee.ErrStateFormat},
		{"not a state file", write([]byte("evote-secret-key v1 trustee\nname: x\n")), string(passphrase), trustee.ErrStateFormat},
		{"absurd cost", write(func() []byte { b := bytes.Clone(raw); b[len("evote-trustee-state v1\n")+16] = 0xff; return b }()), string(passphrase), trustee.ErrStateFormat},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := trustee.Open(tc.path, []byte(tc.passphrase)); !errors.Is(err, tc.want) {
				t.Fatalf("Open: %v, want %v", err, tc.want)
			}
		})
	}
	if _, err := trustee.Create(path, passphrase, cheapKDF, s.State); err == nil {
		t.Fatal("Create replaced an existing state file")
	}
	if _, err := trustee.Create(filepath.Join(t.TempDir(), "y"), nil, cheapKDF, s.State); err == nil {
		t.Fatal("Create took an empty passphrase")
	}
}

func TestNewRefusesForeignState(t *testing.T) {
	e := newTestElection(t)
	s, _ := newStore(t) // another election's state
	if _, err := trustee.New(e.Manifest, e.ID, e.Signing[1], e.Encryption[1], s); err == nil {
		t.Fatal("New took the state of another election")
	}
	store := newTrustee(t, e, t.TempDir(), 1).Store()
	if _, err := trustee.New(e.Manifest, e.ID, e.Signing[1], e.Encryption[1], store); err == nil {
		t.Fatal("New took trustee 1's state for trustee 2")
	}
	if _, err := trustee.New(e.Manifest, e.ID, e.Signing[0], e.Encryption[1], store); err == nil {
		t.Fatal("New took trustee 2's encryption key for trustee 1")
	}
	if _, err := trustee.New(e.Manifest, e.ID, e.Commission, e.Encryption[0], store); err == nil {
		t.Fatal("New took the commission's key as a trustee's")
	}
}

func TestRestartPostsTheSameEntries(t *testing.T) {
	e := newTestElection(t)
	dir := t.TempDir()
	first := newTrustee(t, e, dir, 1)
	plan, err := first.Step(replica(t, e))
	if err != nil {
		t.Fatal(err)
	}
	// The trustee stops before its dealing reached the board; it restarts
	// from its state file.
	store, err := trustee.Open(first.Store().Path(), passphrase)
	if err != nil {
		t.Fatal(err)
	}
	again, err := openTrustee(t, e, store, 1).Step(replica(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if len(plan.Post) != 1 || len(again.Post) != 1 || plan.Post[0].ID() != again.Post[0].ID() {
		t.Fatal("after a restart the trustee deals again with other bytes")
	}
}
