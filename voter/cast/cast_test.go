package cast

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/credential"
	"github.com/evote/evote/voter/internal/votertest"
)

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), votertest.Timeout)
	t.Cleanup(cancel)
	return ctx
}

// fetch starts a board of the referendum and fetches the election.
func fetch(t *testing.T) (*votertest.Board, *Election) {
	t.Helper()
	bd := votertest.Start(t, true)
	e, err := Fetch(testContext(t), bd.Client, bd.Election)
	if err != nil {
		t.Fatal(err)
	}
	return bd, e
}

func voter(t *testing.T, e *Election, i int) *Voter {
	t.Helper()
	v, err := e.VoterFromKey(votertest.Key("voter/" + string(rune('0'+i))))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func choose(t *testing.T, e *Election, v *Voter, opts ...string) Selections {
	t.Helper()
	sel, err := e.Choose(v.Style, map[string][]string{"library": opts})
	if err != nil {
		t.Fatal(err)
	}
	return sel
}

func TestFetchChecksTheElection(t *testing.T) {
	bd, e := fetch(t)
	if e.ID != bd.Election || e.Closed() {
		t.Fatalf("fetched %s closed=%v, want %s open", e.ID, e.Closed(), bd.Election)
	}
	if len(e.Contests(0)) != 1 || e.Contests(0)[0].ID != "library" {
		t.Fatalf("contests %v", e.Contests(0))
	}
	if e.Key == nil {
		t.Fatal("no election key")
	}
}

func TestCastCheckAndRevote(t *testing.T) {
	_, e := fetch(t)
	ctx := testContext(t)
	v := voter(t, e, 0)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Counter != 0 {
		t.Fatalf("first ballot has counter %d", b.Counter)
	}
	rc, err := e.Cast(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if rc.Tracker != b.Tracker || rc.Node == nil || rc.NodeName != e.Manifest.Nodes[0].Name {
		t.Fatalf("receipt %+v for tracker %s", rc, b.Tracker)
	}
	if _, err := e.Cast(ctx, b); !errors.Is(err, ErrSpent) {
		t.Fatalf("casting the same ballot twice: %v, want ErrSpent", err)
	}
	if _, err := e.Challenge(ctx, b); !errors.Is(err, ErrSpent) {
		t.Fatalf("challenging a cast ballot: %v, want ErrSpent", err)
	}
	rep, err := e.Check(ctx, rc, votertest.Timeout)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OnBoard() || rep.Receipt != nil || rep.Nodes[0].Index != rc.Node.Index {
		t.Fatalf("report %+v", rep)
	}
	var text strings.Builder
	rep.WriteText(&text)
	if !strings.Contains(text.String(), "IS on the board") {
		t.Fatalf("report text:\n%s", text.String())
	}

	b2, err := e.Encrypt(ctx, v, choose(t, e, v, "no"))
	if err != nil {
		t.Fatal(err)
	}
	if b2.Counter != 1 {
		t.Fatalf("revote has counter %d, want 1", b2.Counter)
	}
	if _, err := e.Cast(ctx, b2); err != nil {
		t.Fatal(err)
	}
}

func TestChallengeThenAudit(t *testing.T) {
	_, e := fetch(t)
	ctx := testContext(t)
	v := voter(t, e, 1)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "no"))
	if err != nil {
		t.Fatal(err)
	}
	sp, err := e.Challenge(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	if sp.Ballot != b.Tracker || sp.Receipt.Type != election.TypeSpoiled {
		t.Fatalf("spoiled %+v", sp)
	}
	if _, err := e.Cast(ctx, b); !errors.Is(err, ErrSpent) {
		t.Fatalf("casting a challenged ballot: %v, want ErrSpent", err)
	}
	a, err := e.Audit(ctx, sp.Tracker)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Choices) != 1 || len(a.Choices[0].Chosen) != 1 || a.Choices[0].Chosen[0].ID != "no" {
		t.Fatalf("audit found %+v, want no", a.Choices)
	}
	// The voter votes again: the spoiled ballot was never cast, so the
	// counter stays 0.
	b2, err := e.Encrypt(ctx, v, choose(t, e, v, "no"))
	if err != nil {
		t.Fatal(err)
	}
	if b2.Counter != 0 {
		t.Fatalf("ballot after a challenge has counter %d, want 0", b2.Counter)
	}
	rc, err := e.Cast(ctx, b2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Audit(ctx, rc.Tracker); err == nil || !strings.Contains(err.Error(), "cast ballot stays secret") {
		t.Fatalf("auditing a cast ballot: %v", err)
	}
	var unknown election.ID
	if _, err := e.Audit(ctx, unknown); err == nil || !strings.Contains(err.Error(), "not on the board") {
		t.Fatalf("auditing an unknown tracker: %v", err)
	}
}

func TestNotOpen(t *testing.T) {
	bd := votertest.Start(t, false)
	if _, err := Fetch(testContext(t), bd.Client, bd.Election); !errors.Is(err, ErrNotOpen) {
		t.Fatalf("Fetch before the open entry: %v, want ErrNotOpen", err)
	}
}

func TestUnknownElection(t *testing.T) {
	bd := votertest.Start(t, true)
	other := bd.Election
	other[0] ^= 1
	if _, err := Fetch(testContext(t), bd.Client, other); !errors.Is(err, ErrUnknownElection) {
		t.Fatalf("Fetch of an unknown election: %v, want ErrUnknownElection", err)
	}
}

func TestClosed(t *testing.T) {
	bd, e := fetch(t)
	ctx := testContext(t)
	v := voter(t, e, 2)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	bd.Close(t)
	if _, err := e.Cast(ctx, b); !errors.Is(err, ErrClosed) {
		t.Fatalf("casting after the close: %v, want ErrClosed", err)
	}
	e2, err := Fetch(ctx, bd.Client, bd.Election)
	if err != nil {
		t.Fatal(err)
	}
	if !e2.Closed() {
		t.Fatal("Fetch after the close: Closed() is false")
	}
}

func TestNotEligible(t *testing.T) {
	_, e := fetch(t)
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	if _, err := e.VoterFromKey(key); !errors.Is(err, ErrNotEligible) {
		t.Fatalf("a key not on the list: %v, want ErrNotEligible", err)
	}
	code, err := credential.NewCode(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Voter(code); !errors.Is(err, ErrNotEligible) {
		t.Fatalf("a code not on the list: %v, want ErrNotEligible", err)
	}
	text := code.Text()
	typo := []byte(text)
	if typo[0] == 'A' {
		typo[0] = 'B'
	} else {
		typo[0] = 'A'
	}
	if _, err := ParseCode(string(typo)); !errors.Is(err, credential.ErrChecksum) {
		t.Fatalf("a mistyped code: %v, want ErrChecksum", err)
	}
	if _, err := ParseCode(strings.ToLower(text)); err != nil {
		t.Fatalf("the code in lower case: %v", err)
	}
}

func TestForgottenVoterCannotSign(t *testing.T) {
	_, e := fetch(t)
	v := voter(t, e, 0)
	sel := choose(t, e, v, "yes")
	key := v.key
	v.Forget()
	if _, err := e.EncryptCounter(v, sel, 0, nil); err == nil {
		t.Fatal("a forgotten credential still signs")
	}
	for _, b := range key {
		if b != 0 {
			t.Fatal("Forget left the key's bytes in memory")
		}
	}
}

func TestUnreachable(t *testing.T) {
	bd := votertest.Start(t, true)
	ctx := testContext(t)
	dead := deadURL(t)
	// Failover: the first node is down, the second answers.
	both, err := client.New([]string{dead, bd.URL}, client.Options{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	e, err := Fetch(ctx, both, bd.Election)
	if err != nil {
		t.Fatalf("Fetch with one node down: %v", err)
	}
	v := voter(t, e, 0)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "yes"))
	if err != nil {
		t.Fatal(err)
	}
	bd.Stop(t)
	if _, err := e.Cast(ctx, b); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("casting with every node down: %v, want ErrUnreachable", err)
	}
	// The ballot survives: submitted when the node is back it is stored.
	bd.Restart(t)
	rc, err := e.SubmitEntry(ctx, b.Entry.Bytes())
	if err != nil {
		t.Fatalf("submitting the kept ballot after the node came back: %v", err)
	}
	if rc.Tracker != b.Tracker {
		t.Fatalf("receipt for %s, want %s", rc.Tracker, b.Tracker)
	}
	only, _ := client.New([]string{dead}, client.Options{Timeout: 5 * time.Second})
	if _, err := Fetch(ctx, only, bd.Election); !errors.Is(err, ErrUnreachable) {
		t.Fatalf("Fetch with no node up: %v, want ErrUnreachable", err)
	}
}

func TestVoterFromCode(t *testing.T) {
	bd, e := fetch(t)
	v, err := e.Voter(bd.Codes[0])
	if err != nil {
		t.Fatal(err)
	}
	code, err := ParseCode(strings.ReplaceAll(bd.Codes[0].Text(), "-", " "))
	if err != nil {
		t.Fatal(err)
	}
	v2, err := e.Voter(code)
	if err != nil || !v2.Public.Equal(v.Public) {
		t.Fatalf("the same code with spaces gives another voter: %v", err)
	}
	ctx := testContext(t)
	b, err := e.Encrypt(ctx, v, choose(t, e, v, "no"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.Cast(ctx, b); err != nil {
		t.Fatal(err)
	}
}
