package api

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// TestRefusals sends every kind of bad request to every route and checks
// the status, the JSON error naming the problem, and that nothing reached
// the Board's Submit or its log.
func TestRefusals(t *testing.T) {
	f := newFixture(t, Options{MaxBody: 1024})
	el := f.el.String()
	other := strings.Repeat("ab", 32)
	entryID := fmt.Sprintf("%x", sha256Of(f.entries[1]))
	newBallot := apitest.Entry(apitest.Key(99), f.el, election.TypeBallot, []byte("new!")) // 139 bytes: base64 with padding
	b64 := base64.StdEncoding.EncodeToString(newBallot)

	tests := []struct {
		name    string
		method  string
		target  string
		header  http.Header
		body    []byte
		status  int
		message string // a part of the error message
	}{
		// POST /v1/entries: refused before the Board sees anything.
		{"no content type", "POST", "/v1/entries", nil, newBallot, 415, "Content-Type"},
		{"text content type", "POST", "/v1/entries", http.Header{"Content-Type": {"text/plain"}}, newBallot, 415, "application/octet-stream"},
		{"bad content type", "POST", "/v1/entries", http.Header{"Content-Type": {"/;;"}}, newBallot, 415, "Content-Type"},
		{"empty body", "POST", "/v1/entries", octet, []byte{}, 400, "empty body"},
		{"oversized body", "POST", "/v1/entries", octet, make([]byte, 1025), 413, "larger than 1024 bytes"},
		{"oversized json", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"` + strings.Repeat("A", 1100) + `"}`), 413, "larger than 1024"},
		{"not json", "POST", "/v1/entries", jsonBody, []byte(`entry`), 400, "want {\"entry\": base64}"},
		{"json array", "POST", "/v1/entries", jsonBody, []byte(`["` + b64 + `"]`), 400, "want {\"entry\": base64}"},
		{"json unknown field", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"` + b64 + `","x":1}`), 400, "unknown field"},
		{"json trailing data", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"` + b64 + `"} {}`), 400, "data after"},
		{"json no entry", "POST", "/v1/entries", jsonBody, []byte(`{}`), 400, "missing or empty"},
		{"json bad base64", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"!!!!"}`), 400, "not padded standard base64"},
		{"json unpadded base64", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"` + strings.TrimRight(b64, "=") + `"}`), 400, "base64"},
		{"json url base64", "POST", "/v1/entries", jsonBody, []byte(`{"entry":"-_-_"}`), 400, "base64"},
		{"query on submit", "POST", "/v1/entries?x=1", octet, newBallot, 400, `unknown query parameter "x"`},

		// GET /v1/elections
		{"elections query", "GET", "/v1/elections?limit=1", nil, nil, 400, `unknown query parameter "limit"`},

		// GET /v1/elections/{election}/entries
		{"election not hex", "GET", "/v1/elections/" + strings.Repeat("zz", 32) + "/entries", nil, nil, 400, "election id"},
		{"election short", "GET", "/v1/elections/abcd/entries", nil, nil, 400, "want 64 hex digits, got 4"},
		{"election long", "GET", "/v1/elections/" + el + "00/entries", nil, nil, 400, "want 64 hex digits"},
		{"unknown election", "GET", "/v1/elections/" + other + "/entries", nil, nil, 404, "unknown election"},
		{"unknown type", "GET", "/v1/elections/" + el + "/entries?type=vote", nil, nil, 400, `unknown entry type "vote" (one of manifest,`},
		{"empty type", "GET", "/v1/elections/" + el + "/entries?type=", nil, nil, 400, `unknown entry type ""`},
		{"numeric type", "GET", "/v1/elections/" + el + "/entries?type=7", nil, nil, 400, `unknown entry type "7"`},
		{"from not a number", "GET", "/v1/elections/" + el + "/entries?from=abc", nil, nil, 400, `from="abc" is not a number`},
		{"from negative", "GET", "/v1/elections/" + el + "/entries?from=-1", nil, nil, 400, `from="-1"`},
		{"from too big", "GET", "/v1/elections/" + el + "/entries?from=18446744073709551616", nil, nil, 400, "not a number"},
		{"limit not a number", "GET", "/v1/elections/" + el + "/entries?limit=ten", nil, nil, 400, `limit="ten" is not a number`},
		{"limit fraction", "GET", "/v1/elections/" + el + "/entries?limit=1.5", nil, nil, 400, `limit="1.5"`},
		{"limit zero", "GET", "/v1/elections/" + el + "/entries?limit=0", nil, nil, 400, "limit=0"},
		{"from twice", "GET", "/v1/elections/" + el + "/entries?from=1&from=2", nil, nil, 400, `"from" given 2 times`},
		{"unknown parameter", "GET", "/v1/elections/" + el + "/entries?form=1", nil, nil, 400, `unknown query parameter "form" (this route takes type, from, limit)`},
		{"malformed query", "GET", "/v1/elections/" + el + "/entries?from=%zz", nil, nil, 400, "malformed query string"},

		// GET /v1/elections/{election}/entries/{entry}
		{"entry not hex", "GET", "/v1/elections/" + el + "/entries/" + strings.Repeat("g", 64), nil, nil, 400, "entry id"},
		{"entry short", "GET", "/v1/elections/" + el + "/entries/abc", nil, nil, 400, "entry id \"abc\": want 64 hex digits"},
		{"entry unknown", "GET", "/v1/elections/" + el + "/entries/" + other, nil, nil, 404, "not found"},
		{"entry of unknown election", "GET", "/v1/elections/" + other + "/entries/" + entryID, nil, nil, 404, "unknown election"},
		{"entry query", "GET", "/v1/elections/" + el + "/entries/" + entryID + "?type=ballot", nil, nil, 400, "takes none"},

		// GET /v1/elections/{election}/checkpoint
		{"checkpoint unknown election", "GET", "/v1/elections/" + other + "/checkpoint", nil, nil, 404, "unknown election"},
		{"checkpoint bad id", "GET", "/v1/elections/x/checkpoint", nil, nil, 400, "election id"},
		{"checkpoint query", "GET", "/v1/elections/" + el + "/checkpoint?size=1", nil, nil, 400, "unknown query parameter"},

		// GET …/proof/inclusion
		{"inclusion no index", "GET", "/v1/elections/" + el + "/proof/inclusion?size=3", nil, nil, 400, `"index" is required`},
		{"inclusion no size", "GET", "/v1/elections/" + el + "/proof/inclusion?index=1", nil, nil, 400, `"size" is required`},
		{"inclusion index not a number", "GET", "/v1/elections/" + el + "/proof/inclusion?index=one&size=3", nil, nil, 400, `index="one"`},
		{"inclusion index at size", "GET", "/v1/elections/" + el + "/proof/inclusion?index=3&size=3", nil, nil, 400, "index 3 is not below size 3"},
		{"inclusion size beyond log", "GET", "/v1/elections/" + el + "/proof/inclusion?index=1&size=60", nil, nil, 400, "out of range"},
		{"inclusion unknown election", "GET", "/v1/elections/" + other + "/proof/inclusion?index=1&size=3", nil, nil, 404, "unknown election"},
		{"inclusion extra", "GET", "/v1/elections/" + el + "/proof/inclusion?index=1&size=3&root=x", nil, nil, 400, `unknown query parameter "root"`},

		// GET …/proof/consistency
		{"consistency no from", "GET", "/v1/elections/" + el + "/proof/consistency?to=3", nil, nil, 400, `"from" is required`},
		{"consistency no to", "GET", "/v1/elections/" + el + "/proof/consistency?from=3", nil, nil, 400, `"to" is required`},
		{"consistency backwards", "GET", "/v1/elections/" + el + "/proof/consistency?from=4&to=3", nil, nil, 400, "from 4 is above to 3"},
		{"consistency beyond log", "GET", "/v1/elections/" + el + "/proof/consistency?from=3&to=70", nil, nil, 400, "out of range"},
		{"consistency to not a number", "GET", "/v1/elections/" + el + "/proof/consistency?from=3&to=0x10", nil, nil, 400, `to="0x10"`},

		// GET …/seals and /v1/evidence
		{"seals unknown election", "GET", "/v1/elections/" + other + "/seals", nil, nil, 404, "unknown election"},
		{"seals bad id", "GET", "/v1/elections/" + el[:63] + "/seals", nil, nil, 400, "election id"},
		{"seals query", "GET", "/v1/elections/" + el + "/seals?from=1", nil, nil, 400, "unknown query parameter"},
		{"evidence query", "GET", "/v1/evidence?election=" + el, nil, nil, 400, "unknown query parameter"},

		// No route.
		{"no route", "GET", "/v1/nothing", nil, nil, 404, "no route GET /v1/nothing"},
		{"no version", "GET", "/elections", nil, nil, 404, "no route"},
		{"wrong method", "DELETE", "/v1/elections", nil, nil, 405, "method DELETE is not allowed on /v1/elections (allowed: GET, HEAD)"},
		{"get submit", "GET", "/v1/entries", nil, nil, 405, "allowed: POST"},
		{"post checkpoint", "POST", "/v1/elections/" + el + "/checkpoint", octet, newBallot, 405, "not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			submits, stored := f.board.Submits(), f.board.Len(f.el)
			rec := do(f.api, tt.method, tt.target, tt.header, tt.body)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			e := decodeError(t, rec)
			if !strings.Contains(e.Error, tt.message) {
				t.Errorf("error %q does not say %q", e.Error, tt.message)
			}
			if e.Check != 0 {
				t.Errorf("check %d on a refusal that is not a record check", e.Check)
			}
			if got := f.board.Submits(); got != submits {
				t.Errorf("the Board saw %d Submit calls", got-submits)
			}
			if got := f.board.Len(f.el); got != stored {
				t.Errorf("the log grew from %d to %d entries", stored, got)
			}
		})
	}
}

// TestSubmitBoardRefusals checks how the Board's refusals of an entry map
// to statuses, checks and retry hints, and that the Board stored nothing.
func TestSubmitBoardRefusals(t *testing.T) {
	f := newFixture(t, Options{})
	unknownEl := election.ID{9}
	tests := []struct {
		name       string
		entry      []byte
		reject     error
		status     int
		check      int
		message    string
		retryAfter string
	}{
		{"malformed", []byte("not an entry"), nil, 400, election.CheckEncoding, "malformed entry", ""},
		{"unknown election", apitest.Entry(apitest.Key(1), unknownEl, election.TypeBallot, nil), nil, 404, 0, "unknown election", ""},
		{"unknown election as check 18", nil,
			&election.CheckError{Check: election.CheckElection, Err: fmt.Errorf("election 09…: %w", bulletin.ErrUnknownElection)}, 404, election.CheckElection, "unknown election", ""},
		{"bad signature", nil, &election.CheckError{Check: election.CheckSignature, Err: election.ErrSignature}, 422, election.CheckSignature, "bad signature", ""},
		{"not authorised", nil, &election.CheckError{Check: election.CheckAuthor, Err: errors.New("not on the credential list")}, 422, election.CheckAuthor, "credential list", ""},
		{"ballot proof", nil, &election.CheckError{Check: election.CheckBallotProofs, Err: errors.New("0/1 proof: challenge mismatch")}, 422, election.CheckBallotProofs, "challenge mismatch", ""},
		{"too early", nil, &election.CheckError{Check: election.CheckPhase, Err: fmt.Errorf("%w: voting has not opened", election.ErrTooEarly)}, 409, election.CheckPhase, "too early", "30"},
		{"too early in a payload rule", nil, &election.CheckError{Check: election.CheckSealQuorum, Err: fmt.Errorf("%w: ballots missing", election.ErrTooEarly)}, 409, election.CheckSealQuorum, "too early", "30"},
		{"too late", nil, &election.CheckError{Check: election.CheckPhase, Err: fmt.Errorf("%w: voting has closed", election.ErrTooLate)}, 409, election.CheckPhase, "too late", ""},
		{"wrong version", nil, &election.CheckError{Check: election.CheckVersion, Err: election.ErrVersion}, 400, election.CheckVersion, "unsupported protocol version", ""},
		{"plain too late", nil, fmt.Errorf("ballots closed: %w", election.ErrTooLate), 409, 0, "too late", ""},
		{"plain too early", nil, fmt.Errorf("not open: %w", election.ErrTooEarly), 409, 0, "too early", "30"},
		{"internal", nil, errors.New("badger: disk full at /var/lib/evote"), 500, 0, "internal error", ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entry := tt.entry
			if entry == nil {
				entry = apitest.Entry(apitest.Key(byte(100+i)), f.el, election.TypeBallot, []byte("x"))
			}
			f.board.SetReject(func(*election.Entry) error { return tt.reject })
			defer f.board.SetReject(nil)
			stored := f.board.Len(f.el)
			rec := do(f.api, "POST", "/v1/entries", octet, entry)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", rec.Code, tt.status, rec.Body)
			}
			e := decodeError(t, rec)
			if e.Check != tt.check {
				t.Errorf("check %d, want %d", e.Check, tt.check)
			}
			if !strings.Contains(e.Error, tt.message) {
				t.Errorf("error %q does not say %q", e.Error, tt.message)
			}
			if got := rec.Header().Get("Retry-After"); got != tt.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, tt.retryAfter)
			}
			if strings.Contains(e.Error, "badger") {
				t.Errorf("a server fault's details reached the client: %q", e.Error)
			}
			if got := f.board.Len(f.el); got != stored {
				t.Errorf("the log grew from %d to %d entries", stored, got)
			}
		})
	}
}

// TestBoardFaults checks that every route answers a failing Board with a
// 500 that reveals nothing.
func TestBoardFaults(t *testing.T) {
	f := newFixture(t, Options{})
	f.board.SetFailure(errors.New("store: /secret/path: I/O error"))
	el := f.el.String()
	targets := []string{
		"/v1/elections",
		"/v1/elections/" + el + "/entries",
		"/v1/elections/" + el + "/entries/" + fmt.Sprintf("%x", sha256Of(f.entries[1])),
		"/v1/elections/" + el + "/checkpoint",
		"/v1/elections/" + el + "/proof/inclusion?index=0&size=1",
		"/v1/elections/" + el + "/proof/consistency?from=0&to=1",
		"/v1/elections/" + el + "/seals",
		"/v1/evidence",
	}
	for _, target := range targets {
		rec := do(f.api, "GET", target, nil, nil)
		if rec.Code != http.StatusInternalServerError {
			t.Errorf("GET %s: status %d, want 500", target, rec.Code)
			continue
		}
		if e := decodeError(t, rec); e.Error != "internal error" {
			t.Errorf("GET %s: error %q, want a generic message", target, e.Error)
		}
	}
	rec := do(f.api, "POST", "/v1/entries", octet, f.entries[1])
	if e := decodeError(t, rec); rec.Code != 500 || e.Error != "internal error" {
		t.Errorf("POST: status %d error %q, want 500 internal error", rec.Code, e.Error)
	}
}

// TestSubmitChunkedOversized sends a body without a Content-Length that
// grows past MaxBody: the API stops reading and answers 413.
func TestSubmitChunkedOversized(t *testing.T) {
	f := newFixture(t, Options{MaxBody: 100})
	req, err := http.NewRequest("POST", "/v1/entries", bytes.NewReader(make([]byte, 101)))
	if err != nil {
		t.Fatal(err)
	}
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/octet-stream")
	rec := httptest.NewRecorder()
	f.api.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want 413", rec.Code)
	}
	decodeError(t, rec)
	if f.board.Submits() != fixtureLen {
		t.Errorf("the Board saw a Submit")
	}
}
