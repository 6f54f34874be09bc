package node

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"

	"github.com/evote/evote/bulletin/api"
)

// Defaults that DefaultConfig sets and New applies to zero fields.
const (
	DefaultCheckpointInterval = time.Second
	DefaultAuditInterval      = 10 * time.Second
	DefaultSyncInterval       = 10 * time.Second
	DefaultSealSyncTimeout    = 30 * time.Second
	DefaultShutdownTimeout    = 10 * time.Second
)

// Config configures a Node. LoadConfig reads one from a YAML file;
// docs/NODE.md describes every field.
type Config struct {
	// KeyFile is the node's secret key file (keyfile role node): its
	// Ed25519 key signs receipts, checkpoints and seals and is its libp2p
	// identity. Required.
	KeyFile string
	// DataDir holds the store and the audit database; created if missing.
	// Required.
	DataDir string
	// HTTPListen is the HTTP API's listen address, host:port ("127.0.0.1:0"
	// picks a free port). Required.
	HTTPListen string
	// P2PListen are the libp2p multiaddrs to listen on, TCP and QUIC
	// ("/ip4/0.0.0.0/tcp/4001", "/ip4/0.0.0.0/udp/4001/quic-v1"). Required.
	P2PListen []string
	// Peers are other nodes this node knows how to reach. A manifest lists
	// its nodes' addresses and HTTP URLs; a Peer overrides them for its
	// peer id. Peers are dialled, and are replication peers of the host,
	// even before an election names them; each election hears only its own
	// manifest's nodes.
	Peers []Peer
	// Readers lets peers that are no election's replication peer connect
	// to fetch checkpoints (they take no part in gossip or sync).
	Readers bool
	// SyncInterval is how often the node pulls every election from every
	// replication peer (0: DefaultSyncInterval; negative: only when a peer
	// connects, an election starts, and before sealing).
	SyncInterval time.Duration
	// CheckpointInterval is the least time between two checkpoints the node
	// signs for one election (0: DefaultCheckpointInterval).
	CheckpointInterval time.Duration
	// AuditInterval is how often the node fetches and checks the other
	// manifest nodes' checkpoints (0: DefaultAuditInterval; negative:
	// never).
	AuditInterval time.Duration
	// SealSyncTimeout bounds the pull from each peer after close, before
	// the node seals (0: DefaultSealSyncTimeout).
	SealSyncTimeout time.Duration
	// ShutdownTimeout bounds the wait for in-flight HTTP requests on
	// shutdown (0: DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// MaxBody bounds an HTTP request body in bytes (0: api.DefaultMaxBody).
	MaxBody int64
	// RateLimit is the requests per second one client address may make to
	// the API (0: no limit); RateBurst how many at once (0: from RateLimit).
	RateLimit float64
	RateBurst int
	// Commissions, if not empty, are the commission keys whose elections
	// the node serves; a manifest signed by another key is refused. Empty:
	// any valid manifest starts an election.
	Commissions []ed25519.PublicKey
	// LogLevel and LogFormat ("text" or "json") configure the logs written
	// to standard error; Logger, if set, is used instead.
	LogLevel  slog.Level
	LogFormat string
	Logger    *slog.Logger
}

// Peer is another node's addresses: its libp2p multiaddrs (with or without
// the /p2p/ part) and, optionally, the base URL of its HTTP API, which the
// node uses to fetch consistency proofs between the peer's checkpoints.
type Peer struct {
	ID    peer.ID
	Addrs []multiaddr.Multiaddr
	HTTP  string
}

// DefaultConfig returns a Config with every optional field at its default;
// the required fields are empty.
func DefaultConfig() Config {
	return Config{
		Readers:            true,
		SyncInterval:       DefaultSyncInterval,
		CheckpointInterval: DefaultCheckpointInterval,
		AuditInterval:      DefaultAuditInterval,
		SealSyncTimeout:    DefaultSealSyncTimeout,
		ShutdownTimeout:    DefaultShutdownTimeout,
		MaxBody:            api.DefaultMaxBody,
		LogLevel:           slog.LevelInfo,
		LogFormat:          "text",
	}
}

// check validates what New needs and fills zero durations with defaults.
func (c *Config) check() error {
	var errs []error
	if c.KeyFile == "" {
		errs = append(errs, errors.New("key file: missing"))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("data dir: missing"))
	}
	if c.HTTPListen == "" {
		errs = append(errs, errors.New("HTTP listen address: missing"))
	}
	if len(c.P2PListen) == 0 {
		errs = append(errs, errors.New("p2p listen addresses: none"))
	}
	for _, a := range c.P2PListen {
		if _, err := multiaddr.NewMultiaddr(a); err != nil {
			errs = append(errs, fmt.Errorf("p2p listen address %q: %w", a, err))
		}
	}
	for i, p := range c.Peers {
		if err := p.ID.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("peer %d: peer id: %w", i+1, err))
		}
		if p.HTTP != "" {
			if err := checkHTTPURL(p.HTTP); err != nil {
				errs = append(errs, fmt.Errorf("peer %d (%s): %w", i+1, p.ID, err))
			}
		}
	}
	for i, k := range c.Commissions {
		if len(k) != ed25519.PublicKeySize {
			errs = append(errs, fmt.Errorf("commission key %d: %d bytes, want %d", i+1, len(k), ed25519.PublicKeySize))
		}
	}
	if c.MaxBody < 0 || c.RateLimit < 0 || c.RateBurst < 0 {
		errs = append(errs, errors.New("limits: max body, rate limit and burst cannot be negative"))
	}
	if c.LogFormat != "" && c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log format %q: want text or json", c.LogFormat))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("node: config: %w", err)
	}
	defaultTo(&c.SyncInterval, DefaultSyncInterval)
	defaultTo(&c.CheckpointInterval, DefaultCheckpointInterval)
	defaultTo(&c.AuditInterval, DefaultAuditInterval)
	defaultTo(&c.SealSyncTimeout, DefaultSealSyncTimeout)
	defaultTo(&c.ShutdownTimeout, DefaultShutdownTimeout)
	if c.CheckpointInterval < 0 {
		c.CheckpointInterval = DefaultCheckpointInterval
	}
	return nil
}

func defaultTo(d *time.Duration, def time.Duration) {
	if *d == 0 {
		*d = def
	}
}

// checkHTTPURL accepts an http or https base URL with a host and nothing
// that a base URL cannot carry.
func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case err != nil:
		return fmt.Errorf("HTTP URL %q: %w", s, err)
	case u.Scheme != "http" && u.Scheme != "https":
		return fmt.Errorf("HTTP URL %q: scheme must be http or https", s)
	case u.Host == "":
		return fmt.Errorf("HTTP URL %q: no host", s)
	case u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return fmt.Errorf("HTTP URL %q: a base URL has no query, fragment or user", s)
	}
	return nil
}
