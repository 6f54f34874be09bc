package api

import (
	"encoding/base64"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func FuzzParseEntriesQuery(f *testing.F) {
	for _, s := range []string{"", "type=ballot", "from=3&limit=10", "limit=0", "limit=99999999999999999999",
		"type=&from=", "from=1&from=2", "type=seal&x=1", "%zz", "limit=5;from=2", "type=ballot%00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := parseEntriesQuery(raw, 50)
		if err != nil {
			if _, ok := err.(*statusError); !ok {
				t.Fatalf("error %T is not an API refusal: %v", err, err)
			}
			return
		}
		if q.limit < 1 || q.limit > 50 {
			t.Fatalf("limit %d outside 1 … 50", q.limit)
		}
		if q.typ != 0 && q.typ.String() == "unknown" {
			t.Fatalf("unknown type %d accepted", q.typ)
		}
		// The canonical form of what was accepted parses to the same.
		v := url.Values{"from": {fmt.Sprint(q.from)}, "limit": {fmt.Sprint(q.limit)}}
		if q.typ != 0 {
			v.Set("type", q.typ.String())
		}
		again, err := parseEntriesQuery(v.Encode(), 50)
		if err != nil || again != q {
			t.Fatalf("%q parsed to %+v, its canonical form %q to %+v (%v)", raw, q, v.Encode(), again, err)
		}
	})
}

func FuzzParseProofQueries(f *testing.F) {
	for _, s := range []string{"index=0&size=1", "index=1&size=1", "from=0&to=0", "from=2&to=1", "index=&size=",
		"size=18446744073709551615&index=18446744073709551614", "from=+1&to=2", "index=1&size=2&index=1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if index, size, err := parseInclusionQuery(raw); err == nil && index >= size {
			t.Fatalf("%q: accepted index %d ≥ size %d", raw, index, size)
		}
		if from, to, err := parseConsistencyQuery(raw); err == nil && from > to {
			t.Fatalf("%q: accepted from %d > to %d", raw, from, to)
		}
	})
}

func FuzzParseID(f *testing.F) {
	for _, s := range []string{strings.Repeat("ab", 32), strings.Repeat("AB", 32), strings.Repeat("g", 64), "", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := parseID("entry", s)
		if err != nil {
			return
		}
		if !strings.EqualFold(id.String(), s) {
			t.Fatalf("%q parsed to %s", s, id)
		}
	})
}

func FuzzDecodeSubmitJSON(f *testing.F) {
	for _, s := range []string{`{"entry":"AAEC"}`, `{"entry":""}`, `{"entry":"AA=="} `, `{"entry":"AA"}`, `{"Entry":"AAEC"}`,
		`{"entry":"AAEC","entry":"AAED"}`, `null`, `{"entry":null}`, "{\"entry\":\"AA\\u003d\\u003d\"}"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		entry, err := decodeSubmitJSON(body)
		if err != nil {
			return
		}
		if len(entry) == 0 {
			t.Fatal("accepted an empty entry")
		}
		again, err := decodeSubmitJSON(fmt.Appendf(nil, `{"entry":%q}`, base64.StdEncoding.EncodeToString(entry)))
		if err != nil || string(again) != string(entry) {
			t.Fatalf("canonical form of the accepted entry does not decode the same: %v", err)
		}
	})
}

// FuzzRequests sends arbitrary GET paths and queries through the whole
// API: every answer is a success or a refusal with a JSON error, never a
// server fault, and the Board's log never changes.
func FuzzRequests(f *testing.F) {
	fx := newFixture(f, Options{MaxPage: 3})
	el := fx.el.String()
	for _, s := range []string{"/v1/elections", "/v1/elections/" + el + "/entries?type=ballot&limit=2",
		"/v1/elections/" + el + "/proof/inclusion?index=2&size=6", "/v1/elections/" + el + "/proof/consistency?from=2&to=9",
		"/v1/elections/" + el + "/seals", "/v1/elections/" + el + "/entries/" + el, "/v1/evidence?x", "/v1/elections/%2e%2e/entries",
		"/v1//elections", "/v1/elections/" + el + "/checkpoint", "/healthz?"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil || u.Host != "" || u.Scheme != "" {
			return
		}
		req := httptest.NewRequest("GET", "http://board.test/", nil)
		req.URL = u
		req.RequestURI = target
		rec := httptest.NewRecorder()
		fx.api.ServeHTTP(rec, req)
		switch {
		case rec.Code >= 500:
			t.Fatalf("GET %q: status %d: %s", target, rec.Code, rec.Body)
		case rec.Code >= 400:
			if rec.Header().Get("Content-Type") != "application/json" || !strings.Contains(rec.Body.String(), `"error":"`) {
				t.Fatalf("GET %q: status %d without a JSON error: %s", target, rec.Code, rec.Body)
			}
		}
		if n := fx.board.Len(fx.el); n != fixtureLen {
			t.Fatalf("GET %q changed the log to %d entries", target, n)
		}
	})
}
