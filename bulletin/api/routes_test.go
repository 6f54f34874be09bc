package api

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

func TestSubmit(t *testing.T) {
	f := newFixture(t, Options{})
	ballot := apitest.Entry(apitest.Key(50), f.el, election.TypeBallot, []byte("fresh"))
	id := sha256Of(ballot)

	rec := do(f.api, "POST", "/v1/entries", octet, ballot)
	if rec.Code != http.StatusCreated {
		t.Fatalf("new entry: status %d, want 201; body %s", rec.Code, rec.Body)
	}
	got := decodeJSON[SubmitJSON](t, rec).Receipt
	want := ReceiptJSON{Election: f.el.String(), Entry: hex.EncodeToString(id[:]), Index: fixtureLen,
		Time: got.Time, Node: hex.EncodeToString(f.board.PublicKey()), Signature: got.Signature}
	if got != want {
		t.Errorf("receipt %+v, want %+v", got, want)
	}
	if len(got.Signature) != 128 {
		t.Errorf("signature %q is not 64 bytes of hex", got.Signature)
	}

	// The same entry again, as JSON this time: the stored copy's receipt.
	body := fmt.Sprintf(`{"entry": %q}`, base64.StdEncoding.EncodeToString(ballot))
	rec = do(f.api, "POST", "/v1/entries", http.Header{"Content-Type": {"application/json; charset=utf-8"}}, []byte(body))
	if rec.Code != http.StatusOK {
		t.Fatalf("duplicate: status %d, want 200; body %s", rec.Code, rec.Body)
	}
	if dup := decodeJSON[SubmitJSON](t, rec).Receipt; dup.Index != fixtureLen || dup.Entry != want.Entry {
		t.Errorf("duplicate's receipt %+v, want index %d entry %s", dup, fixtureLen, want.Entry)
	}
	if n := f.board.Len(f.el); n != fixtureLen+1 {
		t.Errorf("log holds %d entries, want %d", n, fixtureLen+1)
	}

	// A new entry as JSON.
	ballot2 := apitest.Entry(apitest.Key(51), f.el, election.TypeBallot, []byte("fresh"))
	body = fmt.Sprintf(`{"entry": %q}`, base64.StdEncoding.EncodeToString(ballot2))
	if rec = do(f.api, "POST", "/v1/entries", jsonBody, []byte(body)); rec.Code != http.StatusCreated {
		t.Fatalf("new JSON entry: status %d, want 201; body %s", rec.Code, rec.Body)
	}
}

// contractBreaker returns neither a receipt nor an error from Submit.
type contractBreaker struct{ plainBoard }

func (contractBreaker) Submit(ctx context.Context, entry []byte) (*bulletin.Receipt, error) {
	return nil, nil
}

func TestSubmitWithoutReceiptIsAFault(t *testing.T) {
	f := newFixture(t, Options{})
	h := New(contractBreaker{plainBoard{f.board}}, Options{})
	rec := do(h, "POST", "/v1/entries", octet, f.entries[1])
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
}

func TestElections(t *testing.T) {
	f := newFixture(t, Options{})
	rec := do(f.api, "GET", "/v1/elections", nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	got := decodeJSON[ElectionsJSON](t, rec)
	if len(got.Elections) != 1 || got.Elections[0] != f.el.String() {
		t.Errorf("elections %v, want [%s]", got.Elections, f.el)
	}
	if rec := do(f.api, "HEAD", "/v1/elections", nil, nil); rec.Code != http.StatusOK {
		t.Errorf("HEAD: status %d", rec.Code)
	}
}

func TestEntriesPages(t *testing.T) {
	f := newFixture(t, Options{MaxPage: 4})
	base := "/v1/elections/" + f.el.String() + "/entries"
	tests := []struct {
		query   string
		indexes []uint64
		next    uint64
		more    bool
	}{
		{"", []uint64{0, 1, 2, 3}, 4, true}, // the default limit, lowered to MaxPage
		{"?from=4", []uint64{4, 5}, 6, false},
		{"?from=2&limit=1", []uint64{2}, 3, true},
		{"?limit=1000000", []uint64{0, 1, 2, 3}, 4, true},
		{"?type=ballot", []uint64{1, 2, 3}, 4, false},
		{"?type=ballot&limit=2", []uint64{1, 2}, 3, true},
		{"?type=ballot&from=3&limit=1", []uint64{3}, 4, false},
		{"?type=seal", []uint64{fixtureSeal}, fixtureSeal + 1, false},
		{"?type=result", nil, 0, false},
		{"?from=6", nil, 6, false},
		{"?from=18446744073709551615", nil, 18446744073709551615, false},
		{"?type=manifest&limit=1", []uint64{0}, 1, false},
		{"?from=007", []uint64{}, 7, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := do(f.api, "GET", base+tt.query, nil, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d; body %s", rec.Code, rec.Body)
			}
			page := decodeJSON[PageJSON](t, rec)
			if page.Entries == nil {
				t.Fatalf("entries is null, want a list")
			}
			var got []uint64
			for _, e := range page.Entries {
				got = append(got, e.Index)
				checkEntryJSON(t, f, e)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.indexes) || page.Next != tt.next || page.More != tt.more {
				t.Errorf("page %v next %d more %v, want %v next %d more %v", got, page.Next, page.More, tt.indexes, tt.next, tt.more)
			}
		})
	}
}

// checkEntryJSON checks an entry against the one the fixture stored.
func checkEntryJSON(t *testing.T, f *fixture, e EntryJSON) {
	t.Helper()
	want := f.entries[e.Index]
	id := sha256Of(want)
	if e.Entry != base64.StdEncoding.EncodeToString(want) || e.ID != hex.EncodeToString(id[:]) {
		t.Errorf("entry %d: wrong bytes or id", e.Index)
	}
	d, err := election.DecodeEntry(want)
	if err != nil || e.Type != d.Type.String() {
		t.Errorf("entry %d: type %q, want %v (%v)", e.Index, e.Type, d, err)
	}
}

// TestEntriesPageBytes checks that a page stops once it holds MaxPageBytes
// of entries, but always holds one.
func TestEntriesPageBytes(t *testing.T) {
	entryLen := len(apitest.Entry(apitest.Key(0), election.ID{}, election.TypeBallot, []byte{'b', 0}))
	f := newFixture(t, Options{MaxPageBytes: 2*entryLen + 1})
	page := decodeJSON[PageJSON](t, do(f.api, "GET", "/v1/elections/"+f.el.String()+"/entries?type=ballot", nil, nil))
	if len(page.Entries) != 2 || !page.More || page.Next != 3 {
		t.Errorf("page of %d entries next %d more %v, want 2 entries next 3 more", len(page.Entries), page.Next, page.More)
	}
	f = newFixture(t, Options{MaxPageBytes: 1})
	page = decodeJSON[PageJSON](t, do(f.api, "GET", "/v1/elections/"+f.el.String()+"/entries?from=1", nil, nil))
	if len(page.Entries) != 1 || !page.More || page.Next != 2 {
		t.Errorf("page of %d entries next %d more %v, want 1 entry next 2 more", len(page.Entries), page.Next, page.More)
	}
}

func TestEntry(t *testing.T) {
	f := newFixture(t, Options{})
	for i := range f.entries {
		id := sha256Of(f.entries[i])
		for _, idHex := range []string{hex.EncodeToString(id[:]), strings.ToUpper(hex.EncodeToString(id[:]))} {
			rec := do(f.api, "GET", "/v1/elections/"+f.el.String()+"/entries/"+idHex, nil, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("entry %d: status %d; body %s", i, rec.Code, rec.Body)
			}
			if cc := rec.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
				t.Errorf("entry %d: Cache-Control %q", i, cc)
			}
			e := decodeJSON[EntryJSON](t, rec)
			if e.Index != uint64(i) {
				t.Errorf("entry %d: index %d", i, e.Index)
			}
			checkEntryJSON(t, f, e)
		}
	}
}

func TestCheckpoint(t *testing.T) {
	f := newFixture(t, Options{})
	target := "/v1/elections/" + f.el.String() + "/checkpoint"

	rec := do(f.api, "GET", target, nil, nil)
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("status %d Content-Type %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	note := rec.Body.Bytes()
	cp, err := tlog.ParseCheckpoint(note, f.board.Verifier())
	if err != nil {
		t.Fatalf("served note: %v", err)
	}
	if cp.Election != f.el || cp.Size != fixtureLen {
		t.Errorf("checkpoint of %v at size %d, want %v at %d", cp.Election, cp.Size, f.el, fixtureLen)
	}

	for _, accept := range []string{"application/json", "text/html, application/json;q=0.9", "application/json; charset=utf-8"} {
		rec = do(f.api, "GET", target, http.Header{"Accept": {accept}}, nil)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("Accept %q: status %d Content-Type %q", accept, rec.Code, rec.Header().Get("Content-Type"))
		}
		got := decodeJSON[CheckpointJSON](t, rec)
		want := CheckpointJSON{Election: f.el.String(), Size: fixtureLen, Root: hex.EncodeToString(cp.Root[:]), Note: string(note)}
		if got != want {
			t.Errorf("Accept %q: %+v, want %+v", accept, got, want)
		}
	}
}

func TestProofs(t *testing.T) {
	f := newFixture(t, Options{})
	el := "/v1/elections/" + f.el.String()
	cp, err := tlog.ParseCheckpoint(do(f.api, "GET", el+"/checkpoint", nil, nil).Body.Bytes(), f.board.Verifier())
	if err != nil {
		t.Fatal(err)
	}
	for i := range f.entries {
		rec := do(f.api, "GET", fmt.Sprintf("%s/proof/inclusion?index=%d&size=%d", el, i, fixtureLen), nil, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("inclusion %d: status %d; body %s", i, rec.Code, rec.Body)
		}
		p := decodeJSON[InclusionJSON](t, rec)
		if p.Index != uint64(i) || p.Size != fixtureLen {
			t.Errorf("inclusion %d: answered for %d in %d", i, p.Index, p.Size)
		}
		if err := tlog.VerifyInclusion(uint64(i), fixtureLen, tlog.LeafHash(f.entries[i]), hashes(t, p.Hashes), cp.Root); err != nil {
			t.Errorf("inclusion %d: %v", i, err)
		}
	}
	for from := range uint64(fixtureLen + 1) {
		rec := do(f.api, "GET", fmt.Sprintf("%s/proof/consistency?from=%d&to=%d", el, from, fixtureLen), nil, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("consistency %d: status %d; body %s", from, rec.Code, rec.Body)
		}
		p := decodeJSON[ConsistencyJSON](t, rec)
		if p.From != from || p.To != fixtureLen || p.Hashes == nil {
			t.Errorf("consistency: answered %d→%d (hashes %v)", p.From, p.To, p.Hashes)
		}
		root := rootAt(t, f, from)
		if err := tlog.VerifyConsistency(from, fixtureLen, hashes(t, p.Hashes), root, cp.Root); err != nil {
			t.Errorf("consistency %d→%d: %v", from, fixtureLen, err)
		}
	}
}

// rootAt returns the root of the fixture's log at size, from a
// checkpoint of a board that holds only that prefix.
func rootAt(t *testing.T, f *fixture, size uint64) [32]byte {
	t.Helper()
	b := apitest.NewBoard(1)
	for _, e := range f.entries[:size] {
		if _, err := b.Submit(t.Context(), e); err != nil {
			t.Fatal(err)
		}
	}
	if size == 0 {
		return tlog.EmptyRoot()
	}
	cp, err := b.Checkpoint(t.Context(), f.el)
	if err != nil {
		t.Fatal(err)
	}
	return cp.Root
}

func hashes(t *testing.T, hs []string) [][32]byte {
	t.Helper()
	out := make([][32]byte, len(hs))
	for i, h := range hs {
		b, err := hex.DecodeString(h)
		if err != nil || len(b) != 32 {
			t.Fatalf("hash %q is not 32 bytes of hex", h)
		}
		out[i] = [32]byte(b)
	}
	return out
}

func TestSeals(t *testing.T) {
	f := newFixture(t, Options{MaxPage: 1}) // the seals route pages through all
	f.add(t, apitest.Entry(apitest.Key(21), f.el, election.TypeSeal, (&election.Seal{Count: 7}).Bytes()))
	rec := do(f.api, "GET", "/v1/elections/"+f.el.String()+"/seals", nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d; body %s", rec.Code, rec.Body)
	}
	got := decodeJSON[SealsJSON](t, rec).Seals
	if len(got) != 2 {
		t.Fatalf("%d seals, want 2", len(got))
	}
	s := got[0]
	checkEntryJSON(t, f, s.EntryJSON)
	wantNode := hex.EncodeToString(apitest.Key(20).Public().(ed25519.PublicKey))
	if s.Index != fixtureSeal || s.Node != wantNode || s.Count != 3 || s.TreeSize != 5 ||
		s.Ballots != "01"+strings.Repeat("0", 62) || s.Root != "02"+strings.Repeat("0", 62) {
		t.Errorf("seal %+v", s)
	}
	if got[1].Count != 7 || got[1].Index != fixtureLen {
		t.Errorf("second seal %+v", got[1])
	}

	empty := newFixture(t, Options{})
	empty.board.AddElection(election.ID{5})
	rec = do(empty.api, "GET", "/v1/elections/"+election.ID{5}.String()+"/seals", nil, nil)
	if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"seals":[]`)) {
		t.Errorf("no seals: status %d body %s, want an empty list", rec.Code, rec.Body)
	}
}

func TestEvidence(t *testing.T) {
	f := newFixture(t, Options{})
	rec := do(f.api, "GET", "/v1/evidence", nil, nil)
	if rec.Code != http.StatusOK || !bytes.Contains(rec.Body.Bytes(), []byte(`"evidence":[]`)) {
		t.Errorf("no evidence: status %d body %s", rec.Code, rec.Body)
	}

	a, err := f.board.Checkpoint(t.Context(), f.el)
	if err != nil {
		t.Fatal(err)
	}
	f.add(t, apitest.Entry(apitest.Key(60), f.el, election.TypeBallot, nil))
	b, err := f.board.Checkpoint(t.Context(), f.el)
	if err != nil {
		t.Fatal(err)
	}
	ev := &tlog.Evidence{A: a, B: b, Proof: [][32]byte{{7}}, Reason: "test"}
	f.board.AddEvidence(ev)
	rec = do(f.api, "GET", "/v1/evidence", nil, nil)
	got := decodeJSON[EvidencesJSON](t, rec).Evidence
	if len(got) != 1 {
		t.Fatalf("%d pieces of evidence, want 1", len(got))
	}
	e := got[0]
	if e.Election != f.el.String() || e.A.Size != a.Size || e.B.Size != b.Size || e.A.Note != string(a.Note) ||
		e.B.Note != string(b.Note) || len(e.Proof) != 1 || e.Proof[0] != "07"+strings.Repeat("0", 62) || e.Reason != "test" {
		t.Errorf("evidence %+v", e)
	}

	rec = do(New(plainBoard{f.board}, Options{}), "GET", "/v1/evidence", nil, nil)
	if rec.Code != http.StatusNotImplemented {
		t.Errorf("a board without evidence: status %d, want 501", rec.Code)
	}
	decodeError(t, rec)
}

func TestHealth(t *testing.T) {
	f := newFixture(t, Options{})
	rec := do(f.api, "GET", "/healthz", nil, nil)
	if rec.Code != http.StatusOK || decodeJSON[HealthJSON](t, rec).Status != "ok" {
		t.Errorf("healthy: status %d", rec.Code)
	}
	f.board.SetHealth(fmt.Errorf("store closed"))
	rec = do(f.api, "GET", "/healthz", nil, nil)
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(decodeError(t, rec).Error, "store closed") {
		t.Errorf("unhealthy: status %d", rec.Code)
	}
	rec = do(New(plainBoard{f.board}, Options{}), "GET", "/healthz", nil, nil)
	if rec.Code != http.StatusOK {
		t.Errorf("a board without a health check: status %d, want 200", rec.Code)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t, Options{})
	do(f.api, "GET", "/v1/elections", nil, nil)
	do(f.api, "GET", "/v1/elections/xyz/entries", nil, nil)
	do(f.api, "GET", "/nowhere", nil, nil)
	do(f.api, "POST", "/v1/entries", octet, f.entries[1])
	rec := do(f.api, "GET", "/metrics", nil, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	body := rec.Body.String()
	for _, want := range []string{
		`evote_api_requests_total{code="200",route="GET /v1/elections"} 1`,
		`evote_api_requests_total{code="400",route="GET /v1/elections/{election}/entries"} 1`,
		`evote_api_requests_total{code="404",route="unmatched"} 1`,
		`evote_api_request_duration_seconds_count{code="200",route="POST /v1/entries"} 1`,
		`evote_api_submissions_total{outcome="duplicate"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestSharedRegistry checks that two APIs may register with one registry.
func TestSharedRegistry(t *testing.T) {
	f := newFixture(t, Options{})
	reg := prometheus.NewRegistry()
	a := New(f.board, Options{Metrics: reg})
	b := New(f.board, Options{Metrics: reg})
	do(a, "GET", "/v1/elections", nil, nil)
	do(b, "GET", "/v1/elections", nil, nil)
	if body := do(a, "GET", "/metrics", nil, nil).Body.String(); !strings.Contains(body,
		`evote_api_requests_total{code="200",route="GET /v1/elections"} 2`) {
		t.Errorf("the shared registry does not count both APIs' requests")
	}
}
