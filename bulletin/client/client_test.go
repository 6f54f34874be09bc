package client

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/election"
)

// node is a test board behind a real HTTP server, counting the requests
// that reach it.
type node struct {
	board *apitest.Board
	srv   *httptest.Server
	hits  atomic.Int64
}

// newNode serves h (nil: the API over a fresh board) and counts requests.
func newNode(t *testing.T, seed byte, h http.Handler, opts api.Options) *node {
	t.Helper()
	n := &node{board: apitest.NewBoard(seed)}
	if h == nil {
		h = api.New(n.board, opts)
	}
	n.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.hits.Add(1)
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(n.srv.Close)
	return n
}

// status is a handler that answers every request with code.
func status(code int, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(code)
		_, _ = w.Write([]byte(body))
	})
}

// election0 puts a manifest on b and returns the election id.
func election0(t testing.TB, b *apitest.Board) (election.ID, []byte) {
	t.Helper()
	m := apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("manifest"))
	if _, err := b.Submit(t.Context(), m); err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(m), m
}

func electionOn(t testing.TB, b *apitest.Board) election.ID {
	el, _ := election0(t, b)
	return el
}

// newServer serves h over loopback for the test's duration.
func newServer(t testing.TB, h http.Handler) string {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func newClient(t *testing.T, opts Options, nodes ...*node) *Client {
	t.Helper()
	urls := make([]string, len(nodes))
	for i, n := range nodes {
		urls[i] = n.srv.URL
	}
	c, err := New(urls, opts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewRefusesBadURLs(t *testing.T) {
	for _, urls := range [][]string{
		nil,
		{"board.example:8080"},
		{"ftp://board.example"},
		{"http://"},
		{"https://board.example/?x=1"},
		{"https://board.example/#top"},
		{"https://user:pw@board.example"},
		{"https://good.example", "http://bad host"},
	} {
		if _, err := New(urls, Options{}); err == nil {
			t.Errorf("New(%q) accepted", urls)
		}
	}
	c, err := New([]string{"https://a.example/board/", "http://b.example:8080"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := c.URLs(); got[0] != "https://a.example/board" || got[1] != "http://b.example:8080" {
		t.Errorf("URLs %q", got)
	}
}

// TestFailover checks that the client skips a node that is down, one that
// answers 5xx and one that answers 429, and then starts with the node that
// answered.
func TestFailover(t *testing.T) {
	down := newNode(t, 1, nil, api.Options{})
	down.srv.Close()
	tests := []struct {
		name  string
		first *node
	}{
		{"down", down},
		{"503", newNode(t, 2, status(503, `{"error":"draining"}`), api.Options{})},
		{"500 not json", newNode(t, 3, status(500, "oops"), api.Options{})},
		{"429", newNode(t, 4, status(429, `{"error":"rate limit"}`), api.Options{})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			good := newNode(t, 9, nil, api.Options{})
			el, _ := election0(t, good.board)
			c := newClient(t, Options{}, tt.first, good)
			ballot := apitest.Entry(apitest.Key(1), el, election.TypeBallot, []byte("b"))
			rc, err := c.Submit(t.Context(), ballot)
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			if rc.Entry != sha256.Sum256(ballot) || good.board.Len(el) != 2 {
				t.Errorf("receipt %+v; good node holds %d entries", rc, good.board.Len(el))
			}
			before := tt.first.hits.Load()
			if _, err := c.Elections(t.Context()); err != nil {
				t.Fatal(err)
			}
			if tt.first.hits.Load() != before {
				t.Errorf("the next call tried the failed node first again")
			}
		})
	}
}

// TestNoFailoverOnRefusal checks that a 4xx is the answer: the next node
// is not asked, and the error carries the status, message and check.
func TestNoFailoverOnRefusal(t *testing.T) {
	first := newNode(t, 1, nil, api.Options{})
	el, _ := election0(t, first.board)
	second := newNode(t, 2, nil, api.Options{})
	c := newClient(t, Options{}, first, second)
	tests := []struct {
		name   string
		call   func() error
		status int
		check  int
		msg    string
	}{
		{"malformed entry", func() error { _, err := c.Submit(t.Context(), []byte("junk")); return err },
			400, election.CheckEncoding, "malformed entry"},
		{"unknown election", func() error { _, err := c.Entries(t.Context(), election.ID{1}, 0, 0, 10); return err },
			404, 0, "unknown election"},
		{"unknown entry", func() error { _, err := c.Entry(t.Context(), el, election.ID{1}); return err },
			404, 0, "not found"},
		{"size beyond the log", func() error { _, err := c.InclusionProof(t.Context(), el, 0, 99); return err },
			400, 0, "out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not an *Error", err)
			}
			if e.Status != tt.status || e.Check != tt.check || !strings.Contains(e.Message, tt.msg) || e.Node != first.srv.URL {
				t.Errorf("error %+v, want status %d check %d message with %q from the first node", e, tt.status, tt.check, tt.msg)
			}
			if n := second.hits.Load(); n != 0 {
				t.Errorf("the second node was asked %d times after a refusal", n)
			}
		})
	}
}

func TestRefusalWithRetryAfter(t *testing.T) {
	b := apitest.NewBoard(1)
	el, _ := election0(t, b)
	b.SetReject(func(*election.Entry) error {
		return &election.CheckError{Check: election.CheckPhase, Err: election.ErrTooEarly}
	})
	n := newNode(t, 1, api.New(b, api.Options{}), api.Options{})
	_, err := newClient(t, Options{}, n).Submit(t.Context(), apitest.Entry(apitest.Key(1), el, election.TypeBallot, nil))
	var e *Error
	if !errors.As(err, &e) || e.Status != 409 || e.Check != election.CheckPhase || e.RetryAfter != api.TooEarlyRetry {
		t.Fatalf("error %#v, want 409 check 23 retry after %v", err, api.TooEarlyRetry)
	}
}

// TestAllNodesFail checks the error when no node answers: it says what
// went wrong with each, and errors.As finds the *Error of a 5xx.
func TestAllNodesFail(t *testing.T) {
	down := newNode(t, 1, nil, api.Options{})
	down.srv.Close()
	busy := newNode(t, 2, status(503, `{"error":"draining"}`), api.Options{})
	c := newClient(t, Options{}, down, busy)
	err := c.Health(t.Context())
	var ue *UnavailableError
	if !errors.As(err, &ue) || len(ue.Errs) != 2 {
		t.Fatalf("error %v, want an UnavailableError of 2 attempts", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Status != 503 || e.Message != "draining" || e.Node != busy.srv.URL {
		t.Errorf("*Error %+v, want the busy node's 503", e)
	}
	if !strings.Contains(err.Error(), down.srv.URL) || !strings.Contains(err.Error(), busy.srv.URL) {
		t.Errorf("error %q does not name both nodes", err)
	}
}

// TestContextCancelled cancels the call while the first node is
// answering: the call ends with the context's error and the second node
// is never asked.
func TestContextCancelled(t *testing.T) {
	started := make(chan struct{})
	hang := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
	})
	first := newNode(t, 1, hang, api.Options{})
	second := newNode(t, 2, nil, api.Options{})
	c := newClient(t, Options{}, first, second)
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-started
		cancel()
	}()
	_, err := c.Elections(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if second.hits.Load() != 0 {
		t.Error("the second node was asked after the context was cancelled")
	}
	// A context that is already done asks nobody.
	if _, err := c.Elections(ctx); !errors.Is(err, context.Canceled) || first.hits.Load() != 1 {
		t.Errorf("done context: error %v, %d requests to the first node", err, first.hits.Load())
	}
}

// TestAttemptTimeout checks that a node that hangs costs one attempt's
// timeout, after which the next node answers.
func TestAttemptTimeout(t *testing.T) {
	hang := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	first := newNode(t, 1, hang, api.Options{})
	second := newNode(t, 2, nil, api.Options{})
	c := newClient(t, Options{Timeout: 50e6}, first, second)
	if _, err := c.Elections(t.Context()); err != nil {
		t.Fatalf("the second node did not answer: %v", err)
	}
}

func TestMaxResponse(t *testing.T) {
	big := newNode(t, 1, status(200, `{"elections":["`+strings.Repeat("0", 2000)+`"]}`), api.Options{})
	c := newClient(t, Options{MaxResponse: 1000}, big)
	if _, err := c.Elections(t.Context()); !errors.Is(err, ErrBadAnswer) {
		t.Errorf("error %v, want ErrBadAnswer", err)
	}
}

func TestErrorFromNonJSONBody(t *testing.T) {
	n := newNode(t, 1, status(418, "  short and stout \n"), api.Options{})
	_, err := newClient(t, Options{}, n).Elections(t.Context())
	var e *Error
	if !errors.As(err, &e) || e.Status != 418 || e.Message != "short and stout" {
		t.Fatalf("error %#v", err)
	}
	n = newNode(t, 2, status(404, ""), api.Options{})
	_, err = newClient(t, Options{}, n).Elections(t.Context())
	if !errors.As(err, &e) || e.Message != "Not Found" {
		t.Fatalf("error %#v", err)
	}
}

func TestHealth(t *testing.T) {
	n := newNode(t, 1, nil, api.Options{})
	c := newClient(t, Options{}, n)
	if err := c.Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	n.board.SetHealth(errors.New("store closed"))
	err := c.Health(t.Context())
	var e *Error
	if !errors.As(err, &e) || e.Status != 503 || !strings.Contains(e.Message, "store closed") {
		t.Errorf("unhealthy: %v", err)
	}
}

// TestUserAgent checks the header the client sends.
func TestUserAgent(t *testing.T) {
	var got atomic.Value
	n := newNode(t, 1, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("User-Agent"))
		_, _ = w.Write([]byte(`{"status":"ok"}`))
	}), api.Options{})
	if err := newClient(t, Options{UserAgent: "evote-voter/1"}, n).Health(t.Context()); err != nil {
		t.Fatal(err)
	}
	if got.Load() != "evote-voter/1" {
		t.Errorf("User-Agent %q", got.Load())
	}
}
