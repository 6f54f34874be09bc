package verify

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
)

// Dir is a record directory (docs/SPEC.md §9.1), as `evote record export`
// writes it: the entries of one node's log and that node's checkpoint.
type Dir string

// Name implements Source.
func (d Dir) Name() string { return "record " + string(d) }

// Entries implements Source: it reads the record file one entry at a time.
func (d Dir) Entries(ctx context.Context) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		f, err := os.Open(filepath.Join(string(d), record.EntriesFile))
		if err != nil {
			yield(nil, err)
			return
		}
		defer f.Close()
		r := record.NewReader(f)
		for {
			b, err := r.Next()
			if err == io.EOF {
				return
			}
			if !yield(b, err) || err != nil {
				return
			}
		}
	}
}

// Fetch implements Source: it reads the record file again and keeps the
// entries asked for.
func (d Dir) Fetch(ctx context.Context, ids []election.ID) (map[election.ID][]byte, error) {
	want := make(map[election.ID]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make(map[election.ID][]byte, len(ids))
	for b, err := range d.Entries(ctx) {
		if err != nil {
			return nil, err
		}
		if id := election.ID(sha256.Sum256(b)); want[id] {
			out[id] = b
		}
	}
	return out, nil
}

// Observe implements Source. Offline, the directory shows one node's log:
// its checkpoint must cover exactly the entries read (C50) and that node's
// seal must name a tree of that log (C51). Other nodes' logs, and the
// evidence that nodes collect, are not in the directory.
func (d Dir) Observe(ctx context.Context, log *Log) []Observation {
	offline := "offline: other nodes' logs and evidence are not in a record directory"
	obs := []Observation{{Check: CheckEquivocation, Skipped: offline}}
	note, err := os.ReadFile(filepath.Join(string(d), record.CheckpointFile))
	if errors.Is(err, os.ErrNotExist) {
		return append(obs, Observation{Check: CheckLogCheckpoint, Skipped: "the record directory has no checkpoint"},
			Observation{Check: CheckLogConsistent, Skipped: "the record directory has no checkpoint"})
	}
	if err != nil {
		return append(obs, Observation{Check: CheckLogCheckpoint, Err: err})
	}
	cp, node, err := record.OpenCheckpoint(log.Manifest, log.Election, note)
	if err != nil {
		return append(obs, Observation{Check: CheckLogCheckpoint, Err: fmt.Errorf("%s: %w", record.CheckpointFile, err)})
	}
	name := log.Manifest.Nodes[node].Name
	obs = append(obs, Observation{Check: CheckLogCheckpoint, Node: name, Err: coversLog(log, cp, true)})
	if s, ok := log.Seals[node]; ok {
		obs = append(obs, Observation{Check: CheckLogConsistent, Node: name, Err: sealInLog(log, s, cp)})
	}
	if len(log.Seals) > 1 || (len(log.Seals) == 1 && !hasSeal(log, node)) {
		obs = append(obs, Observation{Check: CheckLogConsistent, Skipped: "offline: only " + name + "'s seal can be checked against its log"})
	}
	return obs
}

func hasSeal(log *Log, node int) bool { _, ok := log.Seals[node]; return ok }

// coversLog checks that cp's tree is the first cp.Size entries read, and,
// when whole is set, that those are all the entries read.
func coversLog(log *Log, cp *bulletin.Checkpoint, whole bool) error {
	if whole && cp.Size != uint64(len(log.Leaves)) {
		return fmt.Errorf("the checkpoint is of a log of %d entries, the record has %d", cp.Size, len(log.Leaves))
	}
	root, err := log.RootAt(cp.Size)
	if err != nil {
		return fmt.Errorf("the checkpoint: %w", err)
	}
	if root != cp.Root {
		return fmt.Errorf("the log read has root %x at size %d, the signed checkpoint says %x", root[:8], cp.Size, cp.Root[:8])
	}
	return nil
}

// sealInLog checks that a node's seal names a tree of the node's own log:
// a prefix of the log that cp covers, with the root the seal signed.
func sealInLog(log *Log, s SealEntry, cp *bulletin.Checkpoint) error {
	if s.Seal.TreeSize > cp.Size {
		return fmt.Errorf("seal entry %s: sealed at a tree of %d entries, beyond the checkpoint's %d", s.ID, s.Seal.TreeSize, cp.Size)
	}
	root, err := log.RootAt(s.Seal.TreeSize)
	if err != nil {
		return fmt.Errorf("seal entry %s: %w", s.ID, err)
	}
	if root != s.Seal.Root {
		return fmt.Errorf("seal entry %s: the node's log of %d entries has root %x, the seal signs %x", s.ID, s.Seal.TreeSize, root[:8], s.Seal.Root[:8])
	}
	return nil
}
