package api

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// fixture is a board holding one election and the entries it was given.
type fixture struct {
	board   *apitest.Board
	el      election.ID
	entries [][]byte // in log order; entries[0] is the manifest
	api     http.Handler
}

// The fixture's log: manifest, three ballots, close, one seal.
const (
	fixtureLen     = 6
	fixtureBallots = 3
	fixtureSeal    = 5 // index of the seal entry
)

func newFixture(t testing.TB, opts Options) *fixture {
	t.Helper()
	b := apitest.NewBoard(1)
	f := &fixture{board: b}
	f.add(t, apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("manifest")))
	f.el = sha256.Sum256(f.entries[0])
	for i := range fixtureBallots {
		f.add(t, apitest.Entry(apitest.Key(byte(10+i)), f.el, election.TypeBallot, []byte{'b', byte(i)}))
	}
	f.add(t, apitest.Entry(apitest.Key(0), f.el, election.TypeClose, nil))
	seal := &election.Seal{Count: 3, Ballots: [32]byte{1}, TreeSize: 5, Root: [32]byte{2}}
	f.add(t, apitest.Entry(apitest.Key(20), f.el, election.TypeSeal, seal.Bytes()))
	f.api = New(b, opts)
	return f
}

func (f *fixture) add(t testing.TB, entry []byte) {
	t.Helper()
	if _, err := f.board.Submit(context.Background(), entry); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	f.entries = append(f.entries, entry)
}

// do sends one request to h.
func do(h http.Handler, method, target string, header http.Header, body []byte) *httptest.ResponseRecorder {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req := httptest.NewRequest(method, target, rd)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decodeError checks that a refusal is {"error": "…"} in JSON and returns
// it.
func decodeError(t *testing.T, rec *httptest.ResponseRecorder) errorBody {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
		t.Fatalf("status %d with Content-Type %q, want application/json; body %q", rec.Code, ct, rec.Body)
	}
	var e errorBody
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("status %d: error body is not {\"error\", \"check\"}: %v", rec.Code, err)
	}
	if strings.TrimSpace(e.Error) == "" {
		t.Fatalf("status %d: empty error message", rec.Code)
	}
	return e
}

func decodeJSON[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	dec := json.NewDecoder(rec.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decoding %T: %v", v, err)
	}
	return v
}

// plainBoard hides the optional interfaces of the board it wraps.
type plainBoard struct{ bulletin.Board }

var (
	octet    = http.Header{"Content-Type": {"application/octet-stream"}}
	jsonBody = http.Header{"Content-Type": {"application/json"}}
)

func sha256Of(b []byte) [32]byte { return sha256.Sum256(b) }
