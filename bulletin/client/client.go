// Package client is the Go client of the board's HTTP API (docs/API.md),
// used by every command that talks to a board: voters, trustees, the
// commission, observers.
//
// A Client holds the base URLs of several nodes and tries them in turn: a
// node that cannot be reached, answers 5xx or 429, or gives an answer that
// fails the client's checks is skipped for the next one, and the client
// remembers which node answered last and starts there next time. A refusal
// (any other 4xx) is the answer: it comes back as an *Error at once, since
// every honest node would refuse the same request.
//
// # Trust
//
// The client trusts no node. It checks what it can check alone: an entry's
// id is the SHA-256 of its bytes, its type and election are what the node
// claims, seals are signed by their authors, answers are well-formed and
// bounded. What needs more than the answer is the caller's job:
// checkpoints are opened with the verifier of the node that signed them
// ([Client.Checkpoint]), proofs are checked against a verified checkpoint
// ([Client.VerifyInclusion], [Client.CheckConsistent]), receipts against the
// manifest's node keys, seals against the manifest's node list, evidence
// with [tlog.Evidence.Verify].
//
// # One log per node
//
// Log indexes, pages, checkpoints and proofs describe one node's log; two
// nodes hold the same entries in different orders. Call those methods on a
// Client of one node ([Client.Nodes]) when their answers must fit
// together: a receipt's index, the checkpoint and the inclusion proof must
// all come from the node that gave the receipt. [Client.All] pins itself to
// the node that answers its first page.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Defaults used when Options leaves a field zero.
const (
	// DefaultTimeout bounds one attempt on one node, so that a node that
	// hangs costs a bounded delay before the next is tried.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxResponse bounds an answer's body: a full page of the
	// largest entries, base64'd, with room to spare.
	DefaultMaxResponse = 64 << 20
)

// Options configures a Client. The zero value is usable.
type Options struct {
	// HTTPClient sends the requests (nil: a client of its own, with no
	// overall timeout, since Timeout bounds each attempt).
	HTTPClient *http.Client
	// Timeout bounds one attempt on one node (0: DefaultTimeout). The
	// context passed to each method bounds the whole call.
	Timeout time.Duration
	// MaxResponse bounds an answer's body in bytes (0: DefaultMaxResponse);
	// a longer answer counts as a bad answer from that node.
	MaxResponse int64
	// UserAgent is sent with every request (empty: "evote-client").
	UserAgent string
}

// Client talks to the HTTP API of one or more board nodes. It is safe for
// concurrent use.
type Client struct {
	nodes     []string // base URLs, without a trailing slash
	http      *http.Client
	opts      Options
	preferred atomic.Int64 // the node that answered last
}

// New returns a client of the nodes at baseURLs (http or https URLs with a
// host, an optional path prefix, no query or fragment), tried in the order
// given.
func New(baseURLs []string, opts Options) (*Client, error) {
	if len(baseURLs) == 0 {
		return nil, errors.New("client: no node URL")
	}
	nodes := make([]string, len(baseURLs))
	for i, raw := range baseURLs {
		u, err := url.Parse(raw)
		switch {
		case err != nil:
			return nil, fmt.Errorf("client: node URL %d %q: %w", i+1, raw, err)
		case u.Scheme != "http" && u.Scheme != "https":
			return nil, fmt.Errorf("client: node URL %d %q: scheme must be http or https", i+1, raw)
		case u.Host == "":
			return nil, fmt.Errorf("client: node URL %d %q: no host", i+1, raw)
		case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
			return nil, fmt.Errorf("client: node URL %d %q: a base URL has no query, fragment or user", i+1, raw)
		}
		nodes[i] = strings.TrimRight(u.String(), "/")
	}
	if opts.HTTPClient == nil {
		// Go's default transport keeps two idle connections per host, so
		// a client used by many goroutines at once (a kiosk, a tally, a
		// load test) would dial and close a connection for most requests.
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = maxIdlePerNode
		opts.HTTPClient = &http.Client{Transport: t}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = DefaultMaxResponse
	}
	if opts.UserAgent == "" {
		opts.UserAgent = "evote-client"
	}
	return &Client{nodes: nodes, http: opts.HTTPClient, opts: opts}, nil
}

// Nodes returns a Client for each node, in order, sharing this one's
// options and HTTP client.
func (c *Client) Nodes() []*Client {
	out := make([]*Client, len(c.nodes))
	for i, n := range c.nodes {
		out[i] = &Client{nodes: []string{n}, http: c.http, opts: c.opts}
	}
	return out
}

// URLs returns the nodes' base URLs, in order.
func (c *Client) URLs() []string { return append([]string(nil), c.nodes...) }

// request is one API call, as sent to any node.
type request struct {
	method      string
	path        string // from the base URL on, with the query
	body        []byte
	contentType string
	accept      string
	// decode parses and checks a 2xx answer; an error makes it a bad
	// answer, and the next node is tried.
	decode func(status int, header http.Header, body []byte) error
}

// do sends req to each node in turn, from the one that answered last, and
// returns the index of the node whose answer decode accepted.
func (c *Client) do(ctx context.Context, req request) (int, error) {
	start := int(c.preferred.Load())
	var failed []error
	for k := range c.nodes {
		i := (start + k) % len(c.nodes)
		if err := ctx.Err(); err != nil {
			return -1, fmt.Errorf("client: %s %s: %w", req.method, req.path, err)
		}
		err := c.attempt(ctx, i, req)
		if err == nil {
			c.preferred.Store(int64(i))
			return i, nil
		}
		var refusal *Error
		if errors.As(err, &refusal) && !refusal.failover() {
			return -1, err
		}
		if ctx.Err() != nil {
			return -1, fmt.Errorf("client: %s %s: %w", req.method, req.path, ctx.Err())
		}
		failed = append(failed, err)
	}
	return -1, &UnavailableError{Method: req.method, Path: req.path, Errs: failed}
}

// attempt sends req to node i under the per-attempt timeout.
func (c *Client) attempt(ctx context.Context, i int, req request) error {
	ctx, cancel := context.WithTimeout(ctx, c.opts.Timeout)
	defer cancel()
	node := c.nodes[i]
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	hr, err := http.NewRequestWithContext(ctx, req.method, node+req.path, body)
	if err != nil {
		return fmt.Errorf("node %s: %w", node, err)
	}
	if req.contentType != "" {
		hr.Header.Set("Content-Type", req.contentType)
	}
	hr.Header.Set("Accept", req.accept)
	hr.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(hr)
	if err != nil {
		return fmt.Errorf("node %s: %w", node, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, c.opts.MaxResponse+1))
	if err != nil {
		return fmt.Errorf("node %s: reading the answer: %w", node, err)
	}
	if int64(len(data)) > c.opts.MaxResponse {
		return fmt.Errorf("node %s: %w: longer than %d bytes", node, ErrBadAnswer, c.opts.MaxResponse)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return newError(node, resp, data)
	}
	if err := req.decode(resp.StatusCode, resp.Header, data); err != nil {
		return fmt.Errorf("node %s: %s %s: %w: %w", node, req.method, req.path, ErrBadAnswer, err)
	}
	return nil
}

// getJSON sends a GET to the nodes in turn and decodes the first answer
// that is JSON of type T and passes check; each attempt decodes afresh, so
// nothing of a rejected answer survives into the result.
func getJSON[T any](ctx context.Context, c *Client, path string, check func(*T) error) (*T, int, error) {
	var out *T
	i, err := c.do(ctx, request{method: "GET", path: path, accept: "application/json",
		decode: func(_ int, _ http.Header, body []byte) error {
			v := new(T)
			if err := json.Unmarshal(body, v); err != nil {
				return err
			}
			if err := check(v); err != nil {
				return err
			}
			out = v
			return nil
		}})
	if err != nil {
		return nil, -1, err
	}
	return out, i, nil
}

// Health asks the nodes in turn whether they can serve, and returns nil
// when one can. Ask each of Nodes to learn about every node.
func (c *Client) Health(ctx context.Context) error {
	_, err := c.do(ctx, request{method: "GET", path: "/healthz", accept: "application/json",
		decode: func(int, http.Header, []byte) error { return nil }})
	return err
}

// maxIdlePerNode is how many idle connections a client keeps to each
// node for reuse.
const maxIdlePerNode = 64
