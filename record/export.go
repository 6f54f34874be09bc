package record

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
	"github.com/evote/evote/internal/atomicfile"
)

// Exported says what Export wrote.
type Exported struct {
	Node    string // the manifest name of the node whose log it is
	URL     string
	Entries uint64 // the checkpoint's tree size: every entry of the file
	Root    [tlog.HashSize]byte
}

// Export writes election el's record into dir (created if needed), from
// the first node of c that serves it: its latest signed checkpoint, then
// exactly the entries of that checkpoint's tree, in its log order. It
// checks that the entries hash to the checkpoint's root before it writes
// the checkpoint, so a directory with both files is a log the node signed.
// Progress, when not nil, is called after each page with the entries so
// far. Nothing in dir is replaced until the whole record is on disk.
func Export(ctx context.Context, c *client.Client, el election.ID, dir string, progress func(uint64)) (*Exported, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var errs []error
	for i, n := range c.Nodes() {
		out, err := exportFrom(ctx, n, el, dir, progress)
		if err == nil {
			out.URL = c.URLs()[i]
			return out, nil
		}
		errs = append(errs, fmt.Errorf("%s: %w", c.URLs()[i], err))
		if ctx.Err() != nil {
			break
		}
	}
	return nil, fmt.Errorf("record export: no node gave a whole record: %v", errs)
}

func exportFrom(ctx context.Context, c *client.Client, el election.ID, dir string, progress func(uint64)) (*Exported, error) {
	m, err := Manifest(ctx, c, el)
	if err != nil {
		return nil, err
	}
	cp, node, err := coveringCheckpoint(ctx, c, m, el)
	if err != nil {
		return nil, err
	}
	w, err := Create(filepath.Join(dir, EntriesFile))
	if err != nil {
		return nil, err
	}
	tree := tlog.NewTree()
	for from := uint64(0); from < cp.Size; {
		p, err := c.Entries(ctx, el, 0, from, 1000)
		if err == nil && len(p.Entries) == 0 {
			err = fmt.Errorf("the node's log ends at %d entries, its checkpoint has %d", from, cp.Size)
		}
		if err != nil {
			w.Abort()
			return nil, err
		}
		for _, s := range p.Entries {
			if s.Index != from || from >= cp.Size {
				break
			}
			if err := w.Append(s.Bytes); err != nil {
				w.Abort()
				return nil, err
			}
			if tree, err = tree.Append([][tlog.HashSize]byte{tlog.LeafHash(s.Bytes)}, nil); err != nil {
				w.Abort()
				return nil, err
			}
			from++
		}
		if progress != nil {
			progress(from)
		}
	}
	if tree.Root() != cp.Root {
		w.Abort()
		return nil, fmt.Errorf("the node's first %d entries have root %x, its signed checkpoint says %x", cp.Size, tree.Root(), cp.Root)
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	if err := atomicfile.Write(filepath.Join(dir, CheckpointFile), cp.Note, 0o644, true); err != nil {
		return nil, err
	}
	return &Exported{Node: m.Nodes[node].Name, Entries: cp.Size, Root: cp.Root}, nil
}

// checkpointWait bounds how long an export waits for the node to sign a
// checkpoint covering entries it appended after its latest one (nodes
// sign at most every checkpoint_interval, a second by default).
const checkpointWait = 10 * time.Second

// coveringCheckpoint returns the node's latest checkpoint once it covers
// the node's whole log, so that an export taken just after the result was
// posted includes it; after checkpointWait it settles for the latest
// checkpoint, and the export then ends where that checkpoint ends.
func coveringCheckpoint(ctx context.Context, c *client.Client, m *election.Manifest, el election.ID) (*bulletin.Checkpoint, int, error) {
	deadline := time.Now().Add(checkpointWait)
	for {
		cp, node, err := FetchCheckpoint(ctx, c, m, el)
		if err != nil {
			return nil, 0, err
		}
		p, err := c.Entries(ctx, el, 0, cp.Size, 1)
		if err != nil || len(p.Entries) == 0 || !time.Now().Before(deadline) {
			return cp, node, nil
		}
		select {
		case <-ctx.Done():
			return nil, 0, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}
