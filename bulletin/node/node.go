package node

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/multiformats/go-multiaddr"
	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/p2p"
	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// Node is a bulletin-board node. It implements bulletin.Board, and
// api.EvidenceSource and api.HealthChecker for the HTTP API. Build one
// with New and call Run once.
type Node struct {
	cfg    Config
	log    *slog.Logger
	key    ed25519.PrivateKey
	pub    ed25519.PublicKey
	self   peer.ID
	signer note.Signer
	book   map[peer.ID]Peer // Config.Peers by id
	m      *metrics
	httpc  *http.Client
	now    func() time.Time

	// Set by Run before anything else uses them.
	store *store.Store
	audit *auditDB
	host  *p2p.Host

	mu        sync.RWMutex
	elections map[election.ID]*electionState
	allowed   map[peer.ID]bool // the host's replication peers
	startMu   sync.Mutex       // serialises starting elections

	// Background goroutines (sealers, loops): spawn refuses new ones once
	// bgClosed is set, so that Run can wait for all of them.
	bgMu     sync.Mutex
	bgClosed bool
	bgCtx    context.Context
	bgCancel context.CancelFunc
	bg       sync.WaitGroup

	stopping chan struct{} // closed when the election workers must stop
	workers  sync.WaitGroup

	ran      atomic.Bool
	ready    chan struct{}
	httpAddr string
	p2pAddrs []multiaddr.Multiaddr
}

// errClosed answers entries that arrive while the node shuts down.
var errClosed = errors.New("node: shutting down")

// New checks cfg and loads the node's key. It opens nothing else: Run
// does.
func New(cfg Config) (*Node, error) {
	if err := cfg.check(); err != nil {
		return nil, err
	}
	sec, err := keyfile.LoadRole(cfg.KeyFile, keyfile.Node)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	pub := sec.SigningKey.Public().(ed25519.PublicKey)
	self, err := peer.Decode(election.PeerID(pub))
	if err != nil {
		return nil, fmt.Errorf("node: peer id of the node key: %w", err)
	}
	signer, err := tlog.NewSigner(sec.SigningKey)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n := &Node{
		cfg:       cfg,
		log:       cfg.newLogger(os.Stderr).With("node", self.String()),
		key:       sec.SigningKey,
		pub:       pub,
		self:      self,
		signer:    signer,
		book:      map[peer.ID]Peer{},
		m:         newMetrics(),
		httpc:     &http.Client{},
		now:       time.Now,
		elections: map[election.ID]*electionState{},
		allowed:   map[peer.ID]bool{},
		stopping:  make(chan struct{}),
		ready:     make(chan struct{}),
	}
	for _, p := range cfg.Peers {
		n.book[p.ID] = p
		n.allowed[p.ID] = true
	}
	return n, nil
}

// PeerID returns the node's libp2p peer id, derived from its key.
func (n *Node) PeerID() peer.ID { return n.self }

// PublicKey returns the node's Ed25519 public key: the key of its
// receipts, checkpoints and seals.
func (n *Node) PublicKey() ed25519.PublicKey { return n.pub }

// Ready is closed once Run serves: the HTTP API listens and the p2p host
// is up.
func (n *Node) Ready() <-chan struct{} { return n.ready }

// HTTPAddr returns the address the HTTP API listens on once Ready is
// closed, and "" before.
func (n *Node) HTTPAddr() string {
	select {
	case <-n.ready:
		return n.httpAddr
	default:
		return ""
	}
}

// P2PAddrs returns the node's libp2p addresses, each ending in /p2p/ and
// its peer id, once Ready is closed, and nil before.
func (n *Node) P2PAddrs() []multiaddr.Multiaddr {
	select {
	case <-n.ready:
		return slices.Clone(n.p2pAddrs)
	default:
		return nil
	}
}

// Run opens the store, rebuilds every election's record from it, starts
// the p2p host, the HTTP API and the background work, and serves until ctx
// is done; then it shuts down gracefully (see the package doc) and
// returns. It returns an error without serving if any part fails to
// start. Run may be called once.
func (n *Node) Run(ctx context.Context) error {
	if !n.ran.CompareAndSwap(false, true) {
		return errors.New("node: Run called twice")
	}
	if err := n.open(); err != nil {
		return err
	}
	defer n.closeStorage()
	n.bgCtx, n.bgCancel = context.WithCancel(context.Background())
	defer n.bgCancel()
	if err := n.loadElections(ctx); err != nil {
		n.stopWorkers()
		return err
	}
	srv, err := n.start(ctx)
	if err != nil {
		n.stopBackground()
		if n.host != nil {
			n.host.Close()
		}
		n.stopWorkers()
		return err
	}
	n.log.Info("ready", "http", n.httpAddr, "p2p", n.p2pAddrs, "elections", len(n.electionList()),
		"avx512ifma", group.Vectorised())
	close(n.ready)
	<-ctx.Done()
	return n.shutdown(srv)
}

// open opens the store and the audit database in the data dir.
func (n *Node) open() error {
	if err := os.MkdirAll(n.cfg.DataDir, 0o700); err != nil {
		return fmt.Errorf("node: data dir: %w", err)
	}
	st, err := store.Open(filepath.Join(n.cfg.DataDir, "store"), n.log.With("component", "store"))
	if err != nil {
		return fmt.Errorf("node: %w", err)
	}
	audit, err := openAuditDB(filepath.Join(n.cfg.DataDir, "audit"), n.log)
	if err != nil {
		st.Close()
		return fmt.Errorf("node: %w", err)
	}
	n.store, n.audit = st, audit
	n.m.registerStore(st)
	return nil
}

func (n *Node) closeStorage() {
	if err := n.audit.Close(); err != nil {
		n.log.Error("closing the audit database", "err", err)
	}
	if err := n.store.Close(); err != nil {
		n.log.Error("closing the store", "err", err)
	}
}

// start starts the p2p host, joins every loaded election, starts the HTTP
// API and the background loops.
func (n *Node) start(ctx context.Context) (*http.Server, error) {
	host, err := p2p.New(context.Background(), p2p.Config{
		Key:          n.key,
		ListenAddrs:  n.cfg.P2PListen,
		Peers:        n.configPeers(),
		Allowed:      n.isAllowed,
		Readers:      n.cfg.Readers,
		Source:       logSource{n},
		Checkpoints:  logSource{n},
		SyncInterval: n.cfg.SyncInterval,
		Logger:       n.log.With("component", "p2p"),
		Registerer:   n.m.reg,
	})
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	n.host = host
	n.m.registerHost(host)
	for _, a := range host.AddrInfo().Addrs {
		n.p2pAddrs = append(n.p2pAddrs, a.Encapsulate(multiaddr.StringCast("/p2p/"+n.self.String())))
	}
	for _, es := range n.electionList() {
		if err := n.join(es); err != nil {
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", n.cfg.HTTPListen)
	if err != nil {
		return nil, fmt.Errorf("node: HTTP API: %w", err)
	}
	n.httpAddr = ln.Addr().String()
	srv := &http.Server{
		Handler: api.New(n, api.Options{
			MaxBody:   n.cfg.MaxBody,
			RateLimit: n.cfg.RateLimit,
			Burst:     n.cfg.RateBurst,
			Logger:    n.log.With("component", "api"),
			Metrics:   n.m.reg,
		}),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(n.log.With("component", "http").Handler(), slog.LevelWarn),
	}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			n.log.Error("HTTP API stopped", "err", err)
		}
	}()
	n.spawn(n.checkpointLoop)
	n.spawn(n.auditLoop)
	for _, es := range n.electionList() {
		n.maybeSeal(es)
	}
	return srv, nil
}

// shutdown stops everything in the order the package doc gives.
func (n *Node) shutdown(srv *http.Server) error {
	n.log.Info("shutting down")
	n.stopBackground()
	ctx, cancel := context.WithTimeout(context.Background(), n.cfg.ShutdownTimeout)
	defer cancel()
	var errs []error
	if err := srv.Shutdown(ctx); err != nil {
		errs = append(errs, fmt.Errorf("node: stopping the HTTP API: %w", err))
	}
	if err := n.host.Close(); err != nil {
		errs = append(errs, fmt.Errorf("node: closing the p2p host: %w", err))
	}
	n.stopWorkers()
	n.signDirty()
	n.log.Info("stopped")
	return errors.Join(errs...)
}

// spawn runs f in a background goroutine that Run waits for, unless the
// node is shutting down.
func (n *Node) spawn(f func(ctx context.Context)) {
	n.bgMu.Lock()
	defer n.bgMu.Unlock()
	if n.bgClosed {
		return
	}
	n.bg.Add(1)
	go func() {
		defer n.bg.Done()
		f(n.bgCtx)
	}()
}

func (n *Node) stopBackground() {
	n.bgMu.Lock()
	n.bgClosed = true
	n.bgMu.Unlock()
	n.bgCancel()
	n.bg.Wait()
}

// stopWorkers stops every election's worker; entries still queued are
// answered with errClosed.
func (n *Node) stopWorkers() {
	close(n.stopping)
	n.workers.Wait()
}

// election returns the state of election el, or nil.
func (n *Node) election(el election.ID) *electionState {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.elections[el]
}

// electionList returns every election's state, in id order.
func (n *Node) electionList() []*electionState {
	n.mu.RLock()
	defer n.mu.RUnlock()
	out := make([]*electionState, 0, len(n.elections))
	for _, es := range n.elections {
		out = append(out, es)
	}
	slices.SortFunc(out, func(a, b *electionState) int { return bytes.Compare(a.id[:], b.id[:]) })
	return out
}
