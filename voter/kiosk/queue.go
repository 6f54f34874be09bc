package kiosk

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/atomicfile"
	"github.com/evote/evote/voter/cast"
)

// Queue keeps the voters' entries (ballots and challenged ballots) that no
// node took, on disk, until a node is back. An entry is public (encrypted,
// signed), so the queue holds no secret; it does hold ballots, so it is
// private to the kiosk's user (mode 0700).
//
// Layout: DIR/<entry id>.entry while pending; once a node took it,
// DIR/sent/<entry id>.json holds the node's receipt; an entry that a node
// refused (a refusal every honest node would give, such as voting having
// closed) moves to DIR/refused/ with the reason beside it.
type Queue struct {
	dir string
	mu  sync.Mutex // one flush at a time
}

const entrySuffix = ".entry"

// OpenQueue opens (creating) the queue in dir.
func OpenQueue(dir string) (*Queue, error) {
	for _, d := range []string{dir, filepath.Join(dir, "sent"), filepath.Join(dir, "refused")} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return nil, fmt.Errorf("kiosk queue: %w", err)
		}
	}
	return &Queue{dir: dir}, nil
}

// Add keeps entry until Flush submits it; it is on disk when Add returns.
func (q *Queue) Add(entry []byte) error {
	id := election.ID(sha256.Sum256(entry))
	err := atomicfile.Write(q.path(id), entry, 0o600, false)
	if errors.Is(err, atomicfile.ErrExists) {
		return nil // the same entry, queued already
	}
	if err != nil {
		return fmt.Errorf("kiosk queue: keeping entry %s: %w", id, err)
	}
	return nil
}

func (q *Queue) path(id election.ID) string {
	return filepath.Join(q.dir, id.String()+entrySuffix)
}

// Pending returns the ids of the entries waiting, in id order.
func (q *Queue) Pending() ([]election.ID, error) {
	des, err := os.ReadDir(q.dir)
	if err != nil {
		return nil, fmt.Errorf("kiosk queue: %w", err)
	}
	var ids []election.ID
	for _, de := range des {
		name, ok := strings.CutSuffix(de.Name(), entrySuffix)
		if !ok || !de.Type().IsRegular() {
			continue
		}
		id, err := cast.ParseID(name)
		if err != nil {
			continue // not ours: a stray file is left alone
		}
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b election.ID) int { return strings.Compare(string(a[:]), string(b[:])) })
	return ids, nil
}

// Flush submits every pending entry with submit. It stops at the first
// ErrUnreachable (no node is back yet) and returns how many went out.
func (q *Queue) Flush(ctx context.Context, submit func(context.Context, []byte) (*cast.Receipt, error)) (int, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	ids, err := q.Pending()
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, id := range ids {
		b, err := os.ReadFile(q.path(id))
		if err != nil {
			return sent, fmt.Errorf("kiosk queue: %w", err)
		}
		if election.ID(sha256.Sum256(b)) != id {
			return sent, fmt.Errorf("kiosk queue: %s does not hold the entry its name says", q.path(id))
		}
		rc, err := submit(ctx, b)
		switch {
		case errors.Is(err, cast.ErrUnreachable):
			return sent, err
		case err != nil:
			if err := q.refuse(id, err); err != nil {
				return sent, err
			}
		default:
			if err := atomicfile.Write(filepath.Join(q.dir, "sent", id.String()+".json"), rc.Encode(), 0o600, true); err != nil {
				return sent, fmt.Errorf("kiosk queue: %w", err)
			}
			sent++
		}
		if err := os.Remove(q.path(id)); err != nil {
			return sent, fmt.Errorf("kiosk queue: %w", err)
		}
	}
	return sent, nil
}

// refuse moves a refused entry aside with the node's reason.
func (q *Queue) refuse(id election.ID, reason error) error {
	dst := filepath.Join(q.dir, "refused", id.String())
	b, err := os.ReadFile(q.path(id))
	if err != nil {
		return fmt.Errorf("kiosk queue: %w", err)
	}
	if err := atomicfile.Write(dst+entrySuffix, b, 0o600, true); err != nil {
		return fmt.Errorf("kiosk queue: %w", err)
	}
	return atomicfile.Write(dst+".reason", []byte(reason.Error()+"\n"), 0o600, true)
}

// Run flushes the queue every interval until ctx is done.
func (q *Queue) Run(ctx context.Context, interval time.Duration, submit func(context.Context, []byte) (*cast.Receipt, error), log *slog.Logger) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		n, err := q.Flush(ctx, submit)
		if n > 0 {
			log.Info("submitted queued entries", "count", n)
		}
		if err != nil && !errors.Is(err, cast.ErrUnreachable) && ctx.Err() == nil {
			log.Warn("kiosk queue", "err", err)
		}
	}
}

// shortID is an id's first 12 hex digits, as the screens show it.
func shortID(id election.ID) string { return hex.EncodeToString(id[:6]) }
