package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/dgraph-io/badger/v4"
	"github.com/dgraph-io/badger/v4/options"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Errors that store's errors wrap.
var (
	// ErrNotFound is an election or an entry that the store does not hold.
	ErrNotFound = errors.New("not found")
	// ErrOutOfRange is an index or size beyond an election's log (the same
	// sentinel as tlog's).
	ErrOutOfRange = tlog.ErrOutOfRange
	// ErrClosed is a call after Close.
	ErrClosed = errors.New("store closed")
	// ErrTooLarge is an Append request that does not fit in one badger
	// transaction (thousands of entries).
	ErrTooLarge = errors.New("append request too large for one transaction")
)

// Options tune badger for the store; [DefaultOptions] documents each
// choice.
type Options struct {
	// MemTableSize is the size of each of NumMemtables write buffers.
	MemTableSize int64
	NumMemtables int
	// ValueThreshold: values of at least this many bytes (entries) go to
	// the value log, smaller ones (hashes, indexes) into the LSM tree.
	ValueThreshold int64
	// ValueLogFileSize is the size of each value log file.
	ValueLogFileSize int64
	// MaxBatchEntries bounds the entries the committer takes into one
	// group commit.
	MaxBatchEntries int
}

// DefaultOptions are sized for a node holding elections of a million
// ballots of ~3.5 KB (see the package doc, Memory).
func DefaultOptions() Options {
	return Options{
		MemTableSize:     16 << 20,
		NumMemtables:     3,
		ValueThreshold:   512,
		ValueLogFileSize: 256 << 20,
		MaxBatchEntries:  4096,
	}
}

func (o Options) badger(dir string, log *slog.Logger) badger.Options {
	return badger.DefaultOptions(dir).
		// Durability: every commit syncs the value log and the memtable's
		// write-ahead log before Commit returns.
		WithSyncWrites(true).
		WithMemTableSize(o.MemTableSize).
		WithNumMemtables(o.NumMemtables).
		WithNumLevelZeroTables(min(5, o.NumMemtables+1)).
		WithNumLevelZeroTablesStall(10).
		WithValueThreshold(o.ValueThreshold).
		WithValueLogFileSize(o.ValueLogFileSize).
		// The LSM tree holds hashes and ids, which do not compress; without
		// compression badger reads blocks from its memory-mapped tables and
		// needs no block cache.
		WithCompression(options.None).
		WithBlockCacheSize(0).
		WithIndexCacheSize(0).
		WithNumCompactors(2).
		// One committer writes, so there are no conflicts to detect.
		WithDetectConflicts(false).
		// badger's metrics are process-wide expvars; ours go to Prometheus.
		WithMetricsEnabled(false).
		WithLogger(badgerLogger{log})
}

// Store is a node's storage of every election it serves. Its methods are
// safe for concurrent use.
type Store struct {
	db  *badger.DB
	log *slog.Logger
	opt Options

	// mu guards closed; Append holds it shared while handing a request to
	// the committer and reads hold it while they use db, so Close waits
	// for them.
	mu     sync.RWMutex
	closed bool

	requests chan *request
	stopped  chan struct{} // closed when the committer has finished

	commits atomic.Uint64
	entries atomic.Uint64
}

// Open opens (or creates) the store in dir with [DefaultOptions]. It logs
// through logger (badger's own messages at debug level).
func Open(dir string, logger *slog.Logger) (*Store, error) {
	return OpenWith(dir, logger, DefaultOptions())
}

// OpenWith opens (or creates) the store in dir with opt.
func OpenWith(dir string, logger *slog.Logger, opt Options) (*Store, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxBatchEntries < 1 {
		return nil, fmt.Errorf("store: MaxBatchEntries is %d, want at least 1", opt.MaxBatchEntries)
	}
	db, err := badger.Open(opt.badger(dir, logger))
	if err != nil {
		return nil, fmt.Errorf("store: opening %s: %w", dir, err)
	}
	s := &Store{
		db:       db,
		log:      logger,
		opt:      opt,
		requests: make(chan *request, 1024),
		stopped:  make(chan struct{}),
	}
	c := &committer{db: db, log: logger, trees: map[election.ID]*tlog.Tree{}, maxEntries: opt.MaxBatchEntries,
		commits: &s.commits, entries: &s.entries}
	go func() {
		defer close(s.stopped)
		c.run(s.requests)
	}()
	return s, nil
}

// Close lets every Append already handed to the committer finish, then
// closes the database. Calls after Close fail with ErrClosed.
func (s *Store) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.closed = true
	close(s.requests)
	s.mu.Unlock()
	<-s.stopped
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: closing: %w", err)
	}
	return nil
}

// Stats counts the store's work since Open.
type Stats struct {
	// Commits is the number of durable transactions, one disk sync each.
	Commits uint64
	// Entries is the number of entries appended (duplicates not counted).
	Entries uint64
}

// Stats returns the counts so far.
func (s *Store) Stats() Stats {
	return Stats{Commits: s.commits.Load(), Entries: s.entries.Load()}
}

// badgerLogger sends badger's messages to slog; its info messages (tables
// opened, compactions) are debug detail for a node.
type badgerLogger struct{ log *slog.Logger }

func (l badgerLogger) logf(level slog.Level, f string, a []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, strings.TrimSpace(fmt.Sprintf(f, a...)), "component", "badger")
}

func (l badgerLogger) Errorf(f string, a ...any)   { l.logf(slog.LevelError, f, a) }
func (l badgerLogger) Warningf(f string, a ...any) { l.logf(slog.LevelWarn, f, a) }
func (l badgerLogger) Infof(f string, a ...any)    { l.logf(slog.LevelDebug, f, a) }
func (l badgerLogger) Debugf(f string, a ...any)   { l.logf(slog.LevelDebug, f, a) }
