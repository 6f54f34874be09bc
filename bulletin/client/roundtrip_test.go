package client

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// TestRoundTrip runs every method against the real API over the test
// board and checks the answers against what was stored.
func TestRoundTrip(t *testing.T) {
	n := newNode(t, 1, nil, api.Options{MaxPage: 2})
	el, manifest := election0(t, n.board)
	c := newClient(t, Options{}, n)
	ctx := t.Context()
	entries := [][]byte{manifest}

	old, err := c.Checkpoint(ctx, el, n.board.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	for i := range 4 {
		b := apitest.Entry(apitest.Key(byte(10+i)), el, election.TypeBallot, []byte{byte(i)})
		rc, err := c.Submit(ctx, b)
		if err != nil {
			t.Fatal(err)
		}
		if rc.Election != el || rc.Entry != sha256.Sum256(b) || rc.Index != uint64(len(entries)) ||
			!bytes.Equal(rc.Node, n.board.PublicKey()) || len(rc.Signature) != ed25519.SignatureSize {
			t.Errorf("receipt %+v", rc)
		}
		entries = append(entries, b)
	}
	seal := apitest.Entry(apitest.Key(20), el, election.TypeSeal, (&election.Seal{Count: 4}).Bytes())
	if _, err := c.Submit(ctx, seal); err != nil {
		t.Fatal(err)
	}
	entries = append(entries, seal)
	if rc, err := c.Submit(ctx, entries[2]); err != nil || rc.Index != 2 {
		t.Errorf("duplicate: receipt %+v, error %v; want the stored copy's at index 2", rc, err)
	}

	ids, err := c.Elections(ctx)
	if err != nil || len(ids) != 1 || ids[0] != el {
		t.Errorf("elections %v, %v", ids, err)
	}

	page, err := c.Entries(ctx, el, election.TypeBallot, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 || page.Entries[0].Index != 2 || page.Next != 4 || !page.More {
		t.Errorf("page %+v", page)
	}

	var all [][]byte
	for s, err := range c.All(ctx, el, 0) {
		if err != nil {
			t.Fatal(err)
		}
		if s.Index != uint64(len(all)) {
			t.Errorf("entry at index %d after %d entries", s.Index, len(all))
		}
		all = append(all, s.Bytes)
	}
	if len(all) != len(entries) {
		t.Fatalf("All gave %d entries, want %d", len(all), len(entries))
	}
	for i := range all {
		if !bytes.Equal(all[i], entries[i]) {
			t.Errorf("entry %d differs", i)
		}
	}
	var ballots int
	for s, err := range c.All(ctx, el, election.TypeBallot) {
		if err != nil || s.Type != election.TypeBallot {
			t.Fatalf("ballot listing gave %v, %v", s.Type, err)
		}
		ballots++
	}
	if ballots != 4 {
		t.Errorf("%d ballots, want 4", ballots)
	}

	for i, e := range entries {
		s, err := c.Entry(ctx, el, sha256.Sum256(e))
		if err != nil || !bytes.Equal(s.Bytes, e) || s.Index != uint64(i) {
			t.Errorf("entry %d: %+v, %v", i, s, err)
		}
	}

	cp, err := c.Checkpoint(ctx, el, n.board.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	if cp.Size != uint64(len(entries)) || cp.Election != el {
		t.Errorf("checkpoint %+v", cp)
	}
	for i, e := range entries {
		if err := c.VerifyInclusion(ctx, cp, uint64(i), e); err != nil {
			t.Errorf("inclusion of %d: %v", i, err)
		}
	}
	if err := c.VerifyInclusion(ctx, cp, 1, entries[2]); !isMismatch(err) {
		t.Errorf("inclusion of entry 2 at index 1: %v, want a root mismatch", err)
	}
	if ev, err := c.CheckConsistent(ctx, old, cp); ev != nil || err != nil {
		t.Errorf("consistency of a growing log: %v, %v", ev, err)
	}
	if ev, err := c.CheckConsistent(ctx, cp, cp); ev != nil || err != nil {
		t.Errorf("consistency with itself: %v, %v", ev, err)
	}

	seals, err := c.Seals(ctx, el)
	if err != nil {
		t.Fatal(err)
	}
	if len(seals) != 1 || seals[0].Seal.Count != 4 || !bytes.Equal(seals[0].Node, apitest.Key(20).Public().(ed25519.PublicKey)) {
		t.Errorf("seals %+v", seals)
	}
}

// TestEvidenceRoundTrip passes evidence through the API and the client and
// checks that it still verifies.
func TestEvidenceRoundTrip(t *testing.T) {
	n := newNode(t, 1, nil, api.Options{})
	el, _ := election0(t, n.board)
	a, err := n.board.Checkpoint(t.Context(), el)
	if err != nil {
		t.Fatal(err)
	}
	// A second board with the same key holding a different log at the same
	// size: an equivocating node.
	twin := apitest.NewBoard(1)
	other := apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("other"))
	twin.AddElection(el)
	if _, err := twin.Submit(t.Context(), apitest.Entry(apitest.Key(3), el, election.TypeBallot, other)); err != nil {
		t.Fatal(err)
	}
	b, err := twin.Checkpoint(t.Context(), el)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := tlog.CheckConsistent(a, b, nil)
	if err != nil || ev == nil {
		t.Fatalf("fixture: no evidence (%v)", err)
	}
	n.board.AddEvidence(ev)

	evs, err := newClient(t, Options{}, n).Evidence(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) != 1 {
		t.Fatalf("%d pieces of evidence", len(evs))
	}
	if err := evs[0].Verify(n.board.Verifier()); err != nil {
		t.Errorf("evidence after the round trip: %v", err)
	}
}

// TestEvidenceFailsOverFrom501 checks that a node that collects no
// evidence is skipped.
func TestEvidenceFailsOverFrom501(t *testing.T) {
	plain := apitest.NewBoard(1)
	none := newNode(t, 1, api.New(struct{ bulletin.Board }{plain}, api.Options{}), api.Options{})
	some := newNode(t, 2, nil, api.Options{})
	evs, err := newClient(t, Options{}, none, some).Evidence(t.Context())
	if err != nil || len(evs) != 0 {
		t.Fatalf("evidence %v, %v", evs, err)
	}
	if none.hits.Load() != 1 || some.hits.Load() != 1 {
		t.Errorf("hits %d, %d", none.hits.Load(), some.hits.Load())
	}
}

func isMismatch(err error) bool {
	var m *tlog.RootMismatchError
	return errors.As(err, &m)
}

// liar serves the real API but rewrites the JSON answer of one route.
func liar(h http.Handler, route string, rewrite func(map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.URL.Path, route) {
			h.ServeHTTP(w, r)
			return
		}
		rec := &recorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		var v map[string]any
		if err := json.Unmarshal(rec.body.Bytes(), &v); err != nil {
			w.WriteHeader(rec.status)
			_, _ = w.Write(rec.body.Bytes())
			return
		}
		rewrite(v)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.status)
		_ = json.NewEncoder(w).Encode(v)
	})
}

type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int)   { r.status = s }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	return r.body.Write(b)
}

// TestLyingNodes checks that answers the client can see are false count
// as bad answers: the client asks the honest node next and returns its
// answer.
func TestLyingNodes(t *testing.T) {
	honestBoard := apitest.NewBoard(1)
	el, manifest := election0(t, honestBoard)
	ballot := apitest.Entry(apitest.Key(5), el, election.TypeBallot, []byte("x"))
	if _, err := honestBoard.Submit(t.Context(), ballot); err != nil {
		t.Fatal(err)
	}
	ballotID := election.ID(sha256.Sum256(ballot))
	otherEntry := apitest.Entry(apitest.Key(6), el, election.TypeBallot, []byte("y"))

	setEntry := func(e map[string]any, b []byte) {
		e["entry"] = base64.StdEncoding.EncodeToString(b)
	}
	firstEntry := func(v map[string]any) map[string]any { return v["entries"].([]any)[0].(map[string]any) }
	tests := []struct {
		name    string
		route   string
		rewrite func(map[string]any)
		call    func(c *Client) error
	}{
		{"entry with other bytes", "/entries/", func(v map[string]any) { setEntry(v, otherEntry) },
			func(c *Client) error { _, err := c.Entry(t.Context(), el, ballotID); return err }},
		{"entry with its own id but not the one asked", "/entries/", func(v map[string]any) {
			setEntry(v, otherEntry)
			v["id"] = election.ID(sha256.Sum256(otherEntry)).String()
		}, func(c *Client) error { _, err := c.Entry(t.Context(), el, ballotID); return err }},
		{"entry of the wrong type", "/entries/", func(v map[string]any) { v["type"] = "seal" },
			func(c *Client) error { _, err := c.Entry(t.Context(), el, ballotID); return err }},
		{"page out of order", "/entries", func(v map[string]any) {
			es := v["entries"].([]any)
			es[0], es[1] = es[1], es[0]
		}, func(c *Client) error { _, err := c.Entries(t.Context(), el, 0, 0, 10); return err }},
		{"page with a foreign entry", "/entries", func(v map[string]any) {
			alien := apitest.Entry(apitest.Key(5), election.ID{7}, election.TypeBallot, []byte("x"))
			e := firstEntry(v)
			setEntry(e, alien)
			e["type"], e["id"] = "ballot", election.ID(sha256.Sum256(alien)).String()
		}, func(c *Client) error { _, err := c.Entries(t.Context(), el, 0, 0, 10); return err }},
		{"page of the wrong type", "/entries", func(v map[string]any) {},
			func(c *Client) error { _, err := c.Entries(t.Context(), el, election.TypeBallot, 0, 10); return err }},
		{"page too long", "/entries", func(v map[string]any) {
			es := v["entries"].([]any)
			v["entries"] = append(es, es...)
		},
			func(c *Client) error { _, err := c.Entries(t.Context(), el, 0, 0, 1); return err }},
		{"page with a wrong next", "/entries", func(v map[string]any) { v["next"] = 0 },
			func(c *Client) error { _, err := c.Entries(t.Context(), el, 0, 0, 10); return err }},
		{"receipt for another entry", "/v1/entries", func(v map[string]any) {
			v["receipt"].(map[string]any)["entry"] = election.ID{1}.String()
		}, func(c *Client) error { _, err := c.Submit(t.Context(), ballot); return err }},
		{"receipt with a short signature", "/v1/entries", func(v map[string]any) {
			v["receipt"].(map[string]any)["signature"] = "00"
		}, func(c *Client) error { _, err := c.Submit(t.Context(), ballot); return err }},
		{"proof for other sizes", "/proof/inclusion", func(v map[string]any) { v["size"] = 1 },
			func(c *Client) error { _, err := c.InclusionProof(t.Context(), el, 0, 2); return err }},
		{"proof with a bad hash", "/proof/consistency", func(v map[string]any) { v["hashes"] = []string{"zz"} },
			func(c *Client) error { _, err := c.ConsistencyProof(t.Context(), el, 1, 2); return err }},
		{"seal with a bad signature", "/seals", func(v map[string]any) {},
			func(c *Client) error { _, err := c.Seals(t.Context(), el); return err }},
		{"elections not hex", "/v1/elections", func(v map[string]any) { v["elections"] = []string{"nope"} },
			func(c *Client) error { _, err := c.Elections(t.Context()); return err }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lyingBoard := apitest.NewBoard(1)
			for _, e := range [][]byte{manifest, ballot} {
				if _, err := lyingBoard.Submit(t.Context(), e); err != nil {
					t.Fatal(err)
				}
			}
			// The liar also holds a seal whose signature is broken, which
			// apitest.Board does not check.
			brokenSeal := apitest.Entry(apitest.Key(20), el, election.TypeSeal, (&election.Seal{}).Bytes())
			brokenSeal[len(brokenSeal)-1] ^= 1
			if _, err := lyingBoard.Submit(t.Context(), brokenSeal); err != nil {
				t.Fatal(err)
			}
			lying := newNode(t, 1, liar(api.New(lyingTypes{lyingBoard}, api.Options{}), tt.route, tt.rewrite), api.Options{})
			honest := newNode(t, 2, api.New(honestBoard, api.Options{}), api.Options{})

			alone := newClient(t, Options{}, lying)
			err := tt.call(alone)
			if !errors.Is(err, ErrBadAnswer) {
				t.Fatalf("lying node alone: error %v, want ErrBadAnswer", err)
			}
			if err := tt.call(newClient(t, Options{}, lying, honest)); err != nil {
				t.Errorf("with an honest node as well: %v", err)
			}
			if honest.hits.Load() == 0 {
				t.Error("the honest node was not asked")
			}
		})
	}
}

// lyingTypes lists every entry when asked for ballots, so a page of
// ballots holds the manifest too.
type lyingTypes struct{ *apitest.Board }

func (b lyingTypes) Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) ([]bulletin.Stored, error) {
	if typ == election.TypeBallot {
		typ = 0
	}
	return b.Board.Entries(ctx, el, typ, from, limit)
}
