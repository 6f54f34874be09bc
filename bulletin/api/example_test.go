package api_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// show prints an answer's status and body, the body cut at 100 bytes.
func show(h http.Handler, method, target, contentType string, body []byte) {
	req := httptest.NewRequest(method, target, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	out, _ := io.ReadAll(rec.Body)
	if len(out) > 100 {
		out = append(out[:100], "…"...)
	}
	fmt.Printf("%s %s\n%d %s\n", method, target, rec.Code, bytes.TrimSpace(out))
}

// The API over an in-memory board: a manifest and a ballot submitted, the
// ballots listed, a bad request refused.
func ExampleNew() {
	board := apitest.NewBoard(1)
	h := api.New(board, api.Options{RateLimit: 50, Burst: 100})

	manifest := apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("manifest"))
	show(h, "POST", "/v1/entries", "application/octet-stream", manifest)
	el := election.ID(sha256Sum(manifest))

	ballot := apitest.Entry(apitest.Key(1), el, election.TypeBallot, []byte("ballot"))
	show(h, "POST", "/v1/entries", "application/octet-stream", ballot)
	show(h, "POST", "/v1/entries", "application/octet-stream", ballot)
	show(h, "GET", "/v1/elections/"+el.String()[:8]+"/entries?type=ballot", "", nil)
	show(h, "GET", "/v1/elections/"+el.String()+"/entries?limit=ten", "", nil)
	show(h, "DELETE", "/v1/elections", "", nil)
	show(h, "POST", "/v1/entries", "application/octet-stream", []byte("junk"))
	// Output:
	// POST /v1/entries
	// 201 {"receipt":{"election":"989957cf29234dd82b022eda16f72a407efdc7a6e2071aeca23433a1558c0127","entry":"9…
	// POST /v1/entries
	// 201 {"receipt":{"election":"989957cf29234dd82b022eda16f72a407efdc7a6e2071aeca23433a1558c0127","entry":"6…
	// POST /v1/entries
	// 200 {"receipt":{"election":"989957cf29234dd82b022eda16f72a407efdc7a6e2071aeca23433a1558c0127","entry":"6…
	// GET /v1/elections/989957cf/entries?type=ballot
	// 400 {"error":"election id \"989957cf\": want 64 hex digits, got 8 characters"}
	// GET /v1/elections/989957cf29234dd82b022eda16f72a407efdc7a6e2071aeca23433a1558c0127/entries?limit=ten
	// 400 {"error":"query parameter limit=\"ten\" is not a number from 0 to 18446744073709551615"}
	// DELETE /v1/elections
	// 405 {"error":"method DELETE is not allowed on /v1/elections (allowed: GET, HEAD)"}
	// POST /v1/entries
	// 400 {"error":"check 16 (entry encoding): unknown entry ef875a1705a5: malformed entry: election (at byte …
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
