// Package api is the board's HTTP API: JSON over net/http in front of a
// bulletin.Board. docs/API.md describes every route, its parameters, its
// answers and its status codes.
//
// Identifiers, keys, hashes and signatures travel as lowercase hex; entry
// bytes (large, up to 8 MiB of payload) as padded standard base64. Every
// request that the API refuses gets a 4xx status and a JSON body
// {"error": "…"} that names the problem — with "check": N when an entry
// broke numbered record check N (docs/SPEC.md §7.8) — and the Board sees
// nothing of it. Server faults answer 5xx with a generic message; the
// details go to the log.
//
// The API logs neither client addresses nor entry contents: a ballot's id
// next to the address it came from would undo the secrecy the credentials
// give. The rate limiter holds client addresses in memory only.
package api

import (
	"context"
	"crypto/ed25519"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Limits used when Options leaves them zero.
const (
	// DefaultMaxBody admits the largest entry (8 MiB of payload) base64'd
	// in a JSON request, with room to spare.
	DefaultMaxBody = 12 << 20
	// DefaultPageLimit is a page's length when the request names none.
	DefaultPageLimit = 100
	// DefaultMaxPage caps the limit a request may ask for.
	DefaultMaxPage = 1000
	// DefaultMaxPageBytes stops a page early once its entries hold this
	// many bytes (a page always holds at least one entry).
	DefaultMaxPageBytes = 4 << 20
)

// Options configures the API. The zero value serves without a rate limit,
// with the default limits, logging nowhere and with private metrics.
type Options struct {
	// MaxBody bounds a request body in bytes (0: DefaultMaxBody). A larger
	// body is refused with 413 before the Board sees it.
	MaxBody int64
	// MaxPage caps the limit of an entries page (0: DefaultMaxPage); a
	// larger limit is lowered to it, not refused.
	MaxPage int
	// MaxPageBytes bounds the entry bytes in one page (0:
	// DefaultMaxPageBytes).
	MaxPageBytes int
	// RateLimit is the sustained rate, in requests per second, that one
	// client may make to the /v1/ routes, a client being an IPv4 address
	// or an IPv6 /64 as the connection shows it (the API trusts no
	// forwarding header). 0 means no limit. /healthz and /metrics are
	// never limited.
	RateLimit float64
	// Burst is how many requests a client may make at once (0: RateLimit
	// rounded up, at least 1).
	Burst int
	// Logger receives one debug record per request and an error record per
	// server fault (nil: nothing is logged).
	Logger *slog.Logger
	// Metrics is the registry the request metrics are registered with and
	// that GET /metrics serves; a node passes the one registry its other
	// parts use too. nil: a registry of the API's own.
	Metrics *prometheus.Registry
}

// EvidenceSource is implemented by a Board that keeps the evidence of
// equivocation it found while comparing other nodes' checkpoints. Without
// it, GET /v1/evidence answers 501.
type EvidenceSource interface {
	// Evidence returns every pair of inconsistent checkpoints the node
	// holds, of every election.
	Evidence(ctx context.Context) ([]*tlog.Evidence, error)
}

// CountedBallots is implemented by a Board that can tell which ballot the
// last-ballot rule counts for a credential. Without it, GET
// /v1/elections/{election}/credentials/{key}/ballot answers 501.
type CountedBallots interface {
	// CountedBallot returns the stored ballot that counts for credential
	// now, or an error wrapping bulletin.ErrNotFound if it has cast none.
	CountedBallot(ctx context.Context, el election.ID, credential ed25519.PublicKey) (*bulletin.Stored, error)
}

// HealthChecker is implemented by a Board that can tell whether it is able
// to serve (its store open, its logs loaded). Without it, GET /healthz
// answers 200 while the process runs.
type HealthChecker interface {
	// Health returns nil when the node can serve, or what stops it.
	Health(ctx context.Context) error
}

// server is the API's http.Handler.
type server struct {
	board   bulletin.Board
	opts    Options
	log     *slog.Logger
	mux     *http.ServeMux
	limits  *limiter // nil without a rate limit
	metrics *metrics
}

// New returns the HTTP API over board. It registers its metrics with
// opts.Metrics, reusing collectors of the same name already registered
// there (so two APIs may share one registry); it panics if the registry
// holds an incompatible metric under one of its names, a programming
// error.
func New(board bulletin.Board, opts Options) http.Handler {
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	if opts.MaxPage <= 0 {
		opts.MaxPage = DefaultMaxPage
	}
	if opts.MaxPageBytes <= 0 {
		opts.MaxPageBytes = DefaultMaxPageBytes
	}
	if opts.Metrics == nil {
		opts.Metrics = prometheus.NewRegistry()
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	s := &server{
		board:   board,
		opts:    opts,
		log:     logger,
		mux:     http.NewServeMux(),
		metrics: newMetrics(opts.Metrics),
	}
	if opts.RateLimit > 0 {
		s.limits = newLimiter(opts.RateLimit, opts.Burst)
	}
	s.routes()
	return s
}

// routes registers every route; docs/API.md describes them in this order.
func (s *server) routes() {
	s.handle("POST /v1/entries", s.submit)
	s.handle("GET /v1/elections", s.elections)
	s.handle("GET /v1/elections/{election}/entries", s.entries)
	s.handle("GET /v1/elections/{election}/entries/{entry}", s.entry)
	s.handle("GET /v1/elections/{election}/checkpoint", s.checkpoint)
	s.handle("GET /v1/elections/{election}/proof/inclusion", s.inclusionProof)
	s.handle("GET /v1/elections/{election}/proof/consistency", s.consistencyProof)
	s.handle("GET /v1/elections/{election}/seals", s.seals)
	s.handle("GET /v1/elections/{election}/credentials/{key}/ballot", s.countedBallot)
	s.handle("GET /v1/evidence", s.evidence)
	s.handleUnlimited("GET /healthz", s.health)
	s.mux.Handle("GET /metrics", s.metrics.instrument("GET /metrics", s.metrics.handler()))
}

// handlerFunc is a route's handler: it writes a successful answer itself
// and returns any error for writeError to answer.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle registers a rate-limited route.
func (s *server) handle(pattern string, h handlerFunc) {
	s.mux.Handle(pattern, s.metrics.instrument(pattern, s.rateLimited(s.serve(h))))
}

// handleUnlimited registers a route that the rate limit does not cover.
func (s *server) handleUnlimited(pattern string, h handlerFunc) {
	s.mux.Handle(pattern, s.metrics.instrument(pattern, s.serve(h)))
}

// serve turns a handlerFunc into an http.Handler that answers its errors.
func (s *server) serve(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		err := h(w, r)
		if err != nil {
			s.writeError(w, r, err)
		}
		s.log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("route", r.Pattern), slog.Duration("took", time.Since(start)),
			slog.Bool("ok", err == nil))
	})
}

// ServeHTTP routes r. Requests that match no route get the mux's 404 or
// 405 status, but with a JSON error like every other refusal.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if _, pattern := s.mux.Handler(r); pattern == "" {
		s.metrics.instrument("unmatched", http.HandlerFunc(s.unmatched)).ServeHTTP(w, r)
		return
	}
	s.mux.ServeHTTP(w, r)
}
