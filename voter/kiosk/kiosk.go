package kiosk

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/evote/evote/voter/cast"
)

//go:embed templates/*.html static/*
var assets embed.FS

// Defaults for the zero fields of Config.
const (
	DefaultResetAfter    = 30 * time.Second
	DefaultIdleTimeout   = 5 * time.Minute
	DefaultRetryInterval = 5 * time.Second
)

// Config configures a kiosk.
type Config struct {
	// Election is the election the kiosk votes in, fetched and checked
	// (cast.Fetch).
	Election *cast.Election
	// QueueDir keeps the ballots that no node took (Queue). Required.
	QueueDir string
	// ResetAfter is how long the final screen stays before the kiosk
	// clears it for the next voter (0: DefaultResetAfter).
	ResetAfter time.Duration
	// IdleTimeout ends a session without requests for that long (0:
	// DefaultIdleTimeout).
	IdleTimeout time.Duration
	// RetryInterval is how often queued ballots are offered to the board
	// (0: DefaultRetryInterval).
	RetryInterval time.Duration
	// Language is the screens' language at the start of every session,
	// one of Languages (empty: "en").
	Language string
	// AllowRemote lets browsers on other machines use the kiosk. Off,
	// the kiosk answers only requests from loopback addresses that name a
	// loopback host, so that a page elsewhere cannot drive it.
	AllowRemote bool
	// Logger receives operational messages, never a voter's code,
	// choices or tracker (nil: slog.Default()).
	Logger *slog.Logger
}

// Kiosk is the kiosk's web application. Build it with New.
type Kiosk struct {
	cfg   Config
	e     *cast.Election
	queue *Queue
	log   *slog.Logger
	pages map[string]*template.Template

	mu   sync.Mutex
	sess *session // the one voter's session, or nil
	lang string   // the screen's language
	// closed is set when a node refuses a ballot because voting has
	// closed: the welcome screen says so from then on.
	closed bool
}

// New checks cfg and prepares the kiosk.
func New(cfg Config) (*Kiosk, error) {
	if cfg.Election == nil {
		return nil, errors.New("kiosk: no election")
	}
	if cfg.QueueDir == "" {
		return nil, errors.New("kiosk: no queue directory")
	}
	if cfg.ResetAfter <= 0 {
		cfg.ResetAfter = DefaultResetAfter
	}
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = DefaultRetryInterval
	}
	if cfg.Language == "" {
		cfg.Language = "en"
	}
	if !supported(cfg.Language) {
		return nil, fmt.Errorf("kiosk: language %q: want one of %v", cfg.Language, Languages)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	q, err := OpenQueue(cfg.QueueDir)
	if err != nil {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	return &Kiosk{cfg: cfg, e: cfg.Election, queue: q, log: cfg.Logger, pages: pages, lang: cfg.Language}, nil
}

// parsePages parses each screen with the layout around it.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*template.Template)
	for _, n := range names {
		if n == "templates/layout.html" {
			continue
		}
		t, err := template.ParseFS(assets, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("kiosk: template %s: %w", n, err)
		}
		pages[n[len("templates/"):len(n)-len(".html")]] = t
	}
	return pages, nil
}

// Queue returns the kiosk's queue of ballots waiting for a node.
func (k *Kiosk) Queue() *Queue { return k.queue }

// Listen opens the kiosk's listener on listen ("127.0.0.1:0" picks a
// port). Unless allowRemote, listen must be a loopback address.
func Listen(listen string, allowRemote bool) (net.Listener, error) {
	if !allowRemote {
		if err := checkLoopbackListen(listen); err != nil {
			return nil, err
		}
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return nil, fmt.Errorf("kiosk: %w", err)
	}
	return l, nil
}

// Run serves the kiosk on listen until ctx is done (Listen, then Serve).
func (k *Kiosk) Run(ctx context.Context, listen string) error {
	l, err := Listen(listen, k.cfg.AllowRemote)
	if err != nil {
		return err
	}
	return k.Serve(ctx, l)
}

// Serve serves the kiosk on l until ctx is done, and offers queued ballots
// to the board every RetryInterval meanwhile. It closes l.
func (k *Kiosk) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           k.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
	var wg sync.WaitGroup
	wg.Go(func() { k.queue.Run(ctx, k.cfg.RetryInterval, k.e.SubmitEntry, k.log) })
	wg.Go(func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = srv.Shutdown(shut)
	})
	err := srv.Serve(l)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	wg.Wait()
	k.mu.Lock()
	k.endSession()
	k.mu.Unlock()
	return err
}

// checkLoopbackListen refuses a listen address that other machines could
// reach.
func checkLoopbackListen(listen string) error {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("kiosk: listen address %q: %w", listen, err)
	}
	if host == "localhost" {
		return nil
	}
	ip := net.ParseIP(host)
	if ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("kiosk: listen address %q is not a loopback address: the kiosk serves the local screen only (use 127.0.0.1:PORT, or --allow-remote)", listen)
	}
	return nil
}

// newToken returns a random session token.
func newToken() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return hex.EncodeToString(b[:])
}
