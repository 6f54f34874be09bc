package p2p

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	pubsub "github.com/libp2p/go-libp2p-pubsub"
	lpcrypto "github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"
	"github.com/multiformats/go-multiaddr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/evote/evote/election"
)

// DefaultSyncInterval is how often a host pulls from its replication peers
// when Config.SyncInterval is zero.
const DefaultSyncInterval = 10 * time.Second

// Config configures a Host.
type Config struct {
	// Key is the node's Ed25519 signing key; the host's libp2p identity is
	// derived from it, so its peer id is the one the manifest lists.
	// Required.
	Key ed25519.PrivateKey
	// ListenAddrs are the multiaddresses to listen on, TCP
	// ("/ip4/0.0.0.0/tcp/4001") and QUIC ("/ip4/0.0.0.0/udp/4001/quic-v1").
	// Required: at least one.
	ListenAddrs []string
	// Peers are the other replication nodes to dial and keep connected to,
	// with their addresses. Entries for this host itself are skipped.
	Peers []peer.AddrInfo
	// Allowed reports whether a peer is a replication peer: one of the
	// nodes the manifest lists. It may change its answer over time (the
	// host asks on every connection, message and stream). Nil means exactly
	// the peers in Peers. The host itself is always allowed.
	Allowed func(peer.ID) bool
	// Readers lets peers that are not replication peers connect; they can
	// fetch checkpoints but take no part in gossip or pull-sync. Without
	// it the connection gater turns them away.
	Readers bool
	// Source serves this node's logs to peers that pull-sync from it. Nil
	// means the node answers every sync request with "not found".
	Source Source
	// Checkpoints serves this node's latest checkpoints. Nil means the node
	// answers every checkpoint request with "not found".
	Checkpoints CheckpointSource
	// SyncInterval is how often the host pulls every joined election from
	// every replication peer, and redials the peers it lost; zero means
	// DefaultSyncInterval. The host also pulls from a peer as soon as it
	// connects and when it joins an election. A negative interval turns all
	// of this off: the host pulls only when SyncOnce is called.
	SyncInterval time.Duration
	// Logger receives the host's logs; nil discards them.
	Logger *slog.Logger
	// Registerer receives libp2p's metrics; nil leaves them off.
	Registerer prometheus.Registerer
}

// Host is a board node's libp2p presence: the connections to the other
// replication nodes, one gossip topic per joined election, and the sync and
// checkpoint protocols. Its methods are safe for concurrent use.
type Host struct {
	host    host.Host
	ps      *pubsub.PubSub
	log     *slog.Logger
	allowed func(peer.ID) bool
	peers   []peer.AddrInfo
	source  Source
	ckpts   CheckpointSource
	every   time.Duration
	notify  *network.NotifyBundle

	ctx    context.Context // cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // every goroutine the host starts

	mu      sync.Mutex
	closed  bool
	topics  map[election.ID]*Topic
	cursors map[cursorKey]*cursor
	workers map[peer.ID]*worker
	counts  counters
	// connected passes newly connected peers to syncLoop.
	connected chan peer.ID
}

// ErrClosed is returned by a Host's methods after Close.
var ErrClosed = errors.New("p2p host closed")

// New starts a host: it listens on cfg.ListenAddrs, starts gossipsub and
// the sync and checkpoint protocols, and starts dialling cfg.Peers in the
// background. The host runs until Close is called or ctx is done; Close
// must be called in either case to release its resources.
func New(ctx context.Context, cfg Config) (*Host, error) {
	key, self, err := cfg.identity()
	if err != nil {
		return nil, err
	}
	peers, allowed := cfg.replicationPeers(self)
	opts, err := cfg.libp2pOptions(key, &gater{allowed: allowed, readers: cfg.Readers})
	if err != nil {
		return nil, err
	}
	lh, err := libp2p.New(opts...)
	if err != nil {
		return nil, fmt.Errorf("p2p: starting libp2p host: %w", err)
	}
	h := &Host{
		host:    lh,
		log:     cfg.Logger,
		allowed: allowed,
		peers:   peers,
		source:  cfg.Source,
		ckpts:   cfg.Checkpoints,
		every:   cfg.SyncInterval,
		topics:  make(map[election.ID]*Topic),
		cursors: make(map[cursorKey]*cursor),
		workers: make(map[peer.ID]*worker),

		connected: make(chan peer.ID, 64),
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	if h.every == 0 {
		h.every = DefaultSyncInterval
	}
	h.ctx, h.cancel = context.WithCancel(ctx)
	for _, p := range h.peers {
		lh.Peerstore().AddAddrs(p.ID, p.Addrs, peerstore.PermanentAddrTTL)
	}
	h.ps, err = newPubSub(h.ctx, lh, h.isAllowed, &h.counts, h.log)
	if err != nil {
		h.cancel()
		lh.Close()
		return nil, fmt.Errorf("p2p: starting gossipsub: %w", err)
	}
	lh.SetStreamHandler(SyncProtocol, h.serveSync)
	lh.SetStreamHandler(CheckpointProtocol, h.serveCheckpoint)
	h.notify = &network.NotifyBundle{ConnectedF: h.onConnected}
	lh.Network().Notify(h.notify)
	if h.every > 0 {
		h.wg.Add(1)
		go h.syncLoop()
	}
	h.log.Info("p2p host started", "peer", lh.ID(), "addrs", lh.Addrs())
	return h, nil
}

// identity returns the libp2p form of the node key and its peer id.
func (cfg *Config) identity() (lpcrypto.PrivKey, peer.ID, error) {
	if len(cfg.Key) != ed25519.PrivateKeySize {
		return nil, "", fmt.Errorf("p2p: node key is %d bytes, want an Ed25519 private key of %d", len(cfg.Key), ed25519.PrivateKeySize)
	}
	key, err := lpcrypto.UnmarshalEd25519PrivateKey(cfg.Key)
	if err != nil {
		return nil, "", fmt.Errorf("p2p: node key: %w", err)
	}
	self, err := peer.IDFromPrivateKey(key)
	if err != nil {
		return nil, "", fmt.Errorf("p2p: peer id of node key: %w", err)
	}
	return key, self, nil
}

// libp2pOptions checks cfg and turns it into libp2p options: Noise over
// TCP and QUIC only, the gater, fixed resource limits, and none of the
// services a board node does not need (relay, NAT traversal).
func (cfg *Config) libp2pOptions(key lpcrypto.PrivKey, g *gater) ([]libp2p.Option, error) {
	if len(cfg.ListenAddrs) == 0 {
		return nil, errors.New("p2p: no listen address")
	}
	var listen []multiaddr.Multiaddr
	for _, s := range cfg.ListenAddrs {
		a, err := multiaddr.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("p2p: listen address %q: %w", s, err)
		}
		listen = append(listen, a)
	}
	rm, err := newResourceManager()
	if err != nil {
		return nil, err
	}
	opts := []libp2p.Option{
		libp2p.Identity(key),
		libp2p.ListenAddrs(listen...),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.ConnectionGater(g),
		libp2p.ResourceManager(rm),
		libp2p.DisableRelay(),
	}
	if cfg.Registerer != nil {
		opts = append(opts, libp2p.PrometheusRegisterer(cfg.Registerer))
	} else {
		opts = append(opts, libp2p.DisableMetrics())
	}
	return opts, nil
}

// replicationPeers returns cfg.Peers without self and the allowed predicate
// that Config.Allowed documents.
func (cfg *Config) replicationPeers(self peer.ID) ([]peer.AddrInfo, func(peer.ID) bool) {
	peers := slices.DeleteFunc(slices.Clone(cfg.Peers), func(p peer.AddrInfo) bool { return p.ID == self })
	allowed := cfg.Allowed
	if allowed == nil {
		set := make(map[peer.ID]bool, len(peers))
		for _, p := range peers {
			set[p.ID] = true
		}
		allowed = func(p peer.ID) bool { return set[p] }
	}
	return peers, func(p peer.ID) bool { return p == self || allowed(p) }
}

// isAllowed reports whether p is a replication peer.
func (h *Host) isAllowed(p peer.ID) bool { return h.allowed(p) }

// ID returns the host's peer id.
func (h *Host) ID() peer.ID { return h.host.ID() }

// AddrInfo returns the host's peer id and the addresses it listens on, for
// other hosts to dial.
func (h *Host) AddrInfo() peer.AddrInfo {
	return peer.AddrInfo{ID: h.host.ID(), Addrs: h.host.Addrs()}
}

// Connect dials a peer, keeping its addresses for later redials.
func (h *Host) Connect(ctx context.Context, p peer.AddrInfo) error {
	h.host.Peerstore().AddAddrs(p.ID, p.Addrs, peerstore.PermanentAddrTTL)
	if err := h.host.Connect(ctx, p); err != nil {
		return fmt.Errorf("p2p: connecting to %s: %w", p.ID, err)
	}
	return nil
}

// AddPeer adds a replication node to dial and keep connected to, as
// Config.Peers does; a node adds the nodes of each manifest it serves. It
// does not change who is allowed: Config.Allowed must admit p.
func (h *Host) AddPeer(p peer.AddrInfo) {
	if p.ID == h.host.ID() {
		return
	}
	h.host.Peerstore().AddAddrs(p.ID, p.Addrs, peerstore.PermanentAddrTTL)
	h.mu.Lock()
	defer h.mu.Unlock()
	if !slices.ContainsFunc(h.peers, func(q peer.AddrInfo) bool { return q.ID == p.ID }) {
		h.peers = append(h.peers, p)
	}
	if h.every > 0 {
		h.kickLocked(p.ID)
	}
}

// ConnectedPeers returns the replication peers the host is connected to.
func (h *Host) ConnectedPeers() []peer.ID {
	return slices.DeleteFunc(h.host.Network().Peers(), func(p peer.ID) bool { return !h.isAllowed(p) })
}

// Disconnect closes every connection to p. The host redials a peer from
// Config.Peers on its next sync round if the gater lets it.
func (h *Host) Disconnect(p peer.ID) error {
	if err := h.host.Network().ClosePeer(p); err != nil {
		return fmt.Errorf("p2p: disconnecting %s: %w", p, err)
	}
	return nil
}

// Close leaves every topic, stops the background loop and the protocols,
// closes every connection and waits for the host's goroutines to end.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	topics := make([]*Topic, 0, len(h.topics))
	for _, t := range h.topics {
		topics = append(topics, t)
	}
	h.mu.Unlock()

	var errs []error
	for _, t := range topics {
		errs = append(errs, t.Close())
	}
	h.host.Network().StopNotify(h.notify)
	h.host.RemoveStreamHandler(SyncProtocol)
	h.host.RemoveStreamHandler(CheckpointProtocol)
	h.cancel()
	h.wg.Wait()
	if err := h.host.Close(); err != nil {
		errs = append(errs, fmt.Errorf("p2p: closing libp2p host: %w", err))
	}
	return errors.Join(errs...)
}

// spawn runs f in a goroutine the host waits for on Close, unless the host
// is closed already; it reports whether f was started. Callers hold h.mu.
func (h *Host) spawnLocked(f func()) bool {
	if h.closed {
		return false
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		f()
	}()
	return true
}
