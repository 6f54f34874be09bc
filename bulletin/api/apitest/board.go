// Package apitest is an in-memory bulletin.Board for tests of the HTTP API,
// of its client and of anything built on them.
//
// The Board keeps each election's entries in arrival order in an RFC 6962
// tree (transparency-dev/merkle's reference tree, independent of
// bulletin/tlog), signs real checkpoints with tlog's note format and answers
// real proofs, so a client's verification runs against it unchanged. It does
// not apply the record's rules: it decodes an entry strictly, refuses
// unknown elections and duplicates as a node does, and otherwise stores what
// it is given unless the Reject hook says no. Its receipts are signed over a
// test encoding, not the one of docs/SPEC.md.
package apitest

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"sync"

	"github.com/transparency-dev/merkle/rfc6962"
	"github.com/transparency-dev/merkle/testonly"
	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Board is an in-memory bulletin.Board. It is safe for concurrent use.
type Board struct {
	key    ed25519.PrivateKey
	signer note.Signer
	now    func() int64

	mu        sync.Mutex
	elections map[election.ID]*memLog
	order     []election.ID
	submits   int
	reject    func(*election.Entry) error
	failure   error
	health    error
	evidence  []*tlog.Evidence
}

// memLog is one election's log.
type memLog struct {
	entries []bulletin.Stored
	byID    map[election.ID]int
	tree    *testonly.Tree
}

// NewBoard returns an empty board whose node key is derived from seed, so
// that tests are reproducible.
func NewBoard(seed byte) *Board {
	s := sha256.Sum256([]byte{'a', 'p', 'i', 't', 'e', 's', 't', seed})
	key := ed25519.NewKeyFromSeed(s[:])
	signer, err := tlog.NewSigner(key)
	if err != nil {
		panic(fmt.Sprintf("apitest: signer of a well-formed key: %v", err))
	}
	return &Board{
		key:       key,
		signer:    signer,
		now:       func() int64 { return 1_700_000_000 },
		elections: make(map[election.ID]*memLog),
	}
}

// PublicKey returns the node's Ed25519 public key.
func (b *Board) PublicKey() ed25519.PublicKey { return b.key.Public().(ed25519.PublicKey) }

// Verifier returns the note verifier of the board's checkpoints.
func (b *Board) Verifier() note.Verifier {
	v, err := tlog.NewVerifier(b.PublicKey())
	if err != nil {
		panic(fmt.Sprintf("apitest: verifier of a well-formed key: %v", err))
	}
	return v
}

// AddElection makes the board serve election el, with an empty log. It does
// nothing if the board serves el already.
func (b *Board) AddElection(el election.ID) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addElection(el)
}

func (b *Board) addElection(el election.ID) *memLog {
	if l, ok := b.elections[el]; ok {
		return l
	}
	l := &memLog{byID: make(map[election.ID]int), tree: testonly.New(rfc6962.DefaultHasher)}
	b.elections[el] = l
	b.order = append(b.order, el)
	return l
}

// SetReject installs a rule that Submit applies to every well-formed new
// entry before storing it: an error it returns is Submit's, and nothing is
// stored. nil removes it.
func (b *Board) SetReject(rule func(*election.Entry) error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reject = rule
}

// SetFailure makes every Board method fail with err (nil: succeed again),
// as a node whose storage broke.
func (b *Board) SetFailure(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.failure = err
}

// SetHealth sets what Health returns.
func (b *Board) SetHealth(err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.health = err
}

// AddEvidence adds to what Evidence returns.
func (b *Board) AddEvidence(e *tlog.Evidence) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.evidence = append(b.evidence, e)
}

// Submits returns how many times Submit was called, whatever its outcome.
func (b *Board) Submits() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.submits
}

// Len returns how many entries the board holds for el.
func (b *Board) Len(el election.ID) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if l, ok := b.elections[el]; ok {
		return len(l.entries)
	}
	return 0
}

// Submit implements bulletin.Board. A manifest entry starts a new election
// (its id is the election id); any other entry goes to the election it
// names, which the board must serve.
func (b *Board) Submit(ctx context.Context, entry []byte) (*bulletin.Receipt, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.submits++
	if b.failure != nil {
		return nil, b.failure
	}
	e, err := election.DecodeEntry(entry)
	if err != nil {
		return nil, &election.CheckError{Check: election.CheckEncoding, Entry: sha256.Sum256(entry), Err: err}
	}
	id := election.ID(sha256.Sum256(entry))
	el, l, err := b.logFor(e, id)
	if err != nil {
		return nil, err
	}
	if i, ok := l.byID[id]; ok {
		return b.receipt(el, l.entries[i]), &election.CheckError{
			Check: election.CheckDuplicate, Entry: id, Type: e.Type, Err: election.ErrDuplicate}
	}
	if b.reject != nil {
		if err := b.reject(e); err != nil {
			return nil, err
		}
	}
	if e.Type == election.TypeManifest {
		l = b.addElection(el)
	}
	s := bulletin.Stored{Index: uint64(len(l.entries)), ID: id, Type: e.Type, Bytes: append([]byte(nil), entry...)}
	l.entries = append(l.entries, s)
	l.byID[id] = int(s.Index)
	l.tree.AppendData(s.Bytes)
	return b.receipt(el, s), nil
}

// logFor returns the election an entry belongs to and its log; for a new
// manifest, an empty log that Submit adds only once the entry passes.
func (b *Board) logFor(e *election.Entry, id election.ID) (election.ID, *memLog, error) {
	if e.Type == election.TypeManifest {
		if l, ok := b.elections[id]; ok {
			return id, l, nil
		}
		return id, &memLog{byID: map[election.ID]int{}}, nil
	}
	l, ok := b.elections[e.Election]
	if !ok {
		return e.Election, nil, fmt.Errorf("election %x…: %w", e.Election[:4], bulletin.ErrUnknownElection)
	}
	return e.Election, l, nil
}

// receipt signs a test receipt: Ed25519 over election ‖ entry ‖ index ‖ time.
func (b *Board) receipt(el election.ID, s bulletin.Stored) *bulletin.Receipt {
	r := &bulletin.Receipt{Election: el, Entry: s.ID, Index: s.Index, Time: b.now(), Node: b.PublicKey()}
	msg := append(append(el[:], s.ID[:]...), binary.BigEndian.AppendUint64(nil, r.Index)...)
	msg = binary.BigEndian.AppendUint64(msg, uint64(r.Time))
	r.Signature = ed25519.Sign(b.key, msg)
	return r
}

// get returns an election's log under b.mu.
func (b *Board) get(el election.ID) (*memLog, error) {
	if b.failure != nil {
		return nil, b.failure
	}
	l, ok := b.elections[el]
	if !ok {
		return nil, fmt.Errorf("election %x…: %w", el[:4], bulletin.ErrUnknownElection)
	}
	return l, nil
}

// Entries implements bulletin.Board.
func (b *Board) Entries(ctx context.Context, el election.ID, typ election.EntryType, from uint64, limit int) ([]bulletin.Stored, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.get(el)
	if err != nil {
		return nil, err
	}
	var out []bulletin.Stored
	for i := from; i < uint64(len(l.entries)) && len(out) < limit; i++ {
		if typ == 0 || l.entries[i].Type == typ {
			out = append(out, l.entries[i])
		}
	}
	return out, nil
}

// Entry implements bulletin.Board.
func (b *Board) Entry(ctx context.Context, el election.ID, id election.ID) (*bulletin.Stored, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.get(el)
	if err != nil {
		return nil, err
	}
	i, ok := l.byID[id]
	if !ok {
		return nil, fmt.Errorf("entry %x…: %w", id[:4], bulletin.ErrNotFound)
	}
	s := l.entries[i]
	return &s, nil
}

// Checkpoint implements bulletin.Board: a checkpoint of the log as it is
// now, signed afresh.
func (b *Board) Checkpoint(ctx context.Context, el election.ID) (*bulletin.Checkpoint, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.get(el)
	if err != nil {
		return nil, err
	}
	return tlog.SignCheckpoint(el, l.tree.Size(), [32]byte(l.tree.Hash()), b.signer)
}

// InclusionProof implements bulletin.Board.
func (b *Board) InclusionProof(ctx context.Context, el election.ID, index, size uint64) ([][32]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.get(el)
	if err != nil {
		return nil, err
	}
	if index >= size || size > l.tree.Size() {
		return nil, fmt.Errorf("inclusion of %d in %d: the log has %d entries: %w", index, size, l.tree.Size(), tlog.ErrOutOfRange)
	}
	p, err := l.tree.InclusionProof(index, size)
	return arrays(p), err
}

// ConsistencyProof implements bulletin.Board.
func (b *Board) ConsistencyProof(ctx context.Context, el election.ID, size1, size2 uint64) ([][32]byte, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	l, err := b.get(el)
	if err != nil {
		return nil, err
	}
	if size1 > size2 || size2 > l.tree.Size() {
		return nil, fmt.Errorf("consistency %d→%d: the log has %d entries: %w", size1, size2, l.tree.Size(), tlog.ErrOutOfRange)
	}
	p, err := l.tree.ConsistencyProof(size1, size2)
	return arrays(p), err
}

// Elections implements bulletin.Board, in the order the board added them.
func (b *Board) Elections(ctx context.Context) ([]election.ID, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failure != nil {
		return nil, b.failure
	}
	return append([]election.ID(nil), b.order...), nil
}

// Evidence implements api.EvidenceSource.
func (b *Board) Evidence(ctx context.Context) ([]*tlog.Evidence, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.failure != nil {
		return nil, b.failure
	}
	return append([]*tlog.Evidence(nil), b.evidence...), nil
}

// Health implements api.HealthChecker.
func (b *Board) Health(ctx context.Context) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.health
}

func arrays(p [][]byte) [][32]byte {
	out := make([][32]byte, len(p))
	for i, h := range p {
		out[i] = [32]byte(h)
	}
	return out
}
