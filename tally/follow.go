package tally

import (
	"context"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
)

// pageSize is how many entries one request asks for; nodes may serve fewer.
const pageSize = 1000

// Follower keeps a Replica up to date with the board. Log indexes belong to
// one node, so it reads one node's log from where it stopped; when that node
// fails it moves to the next and reads that node's log from the start, which
// costs a re-read but no re-check: entries the replica holds are skipped as
// duplicates.
//
// A Follower is not safe for concurrent use.
type Follower struct {
	*Replica
	nodes []*client.Client
	cur   int
	next  uint64
	// OnPage, if set, hears how many entries each page read brought.
	OnPage func(entries int)
}

// NewFollower returns a follower of the election of manifest, reading from
// the nodes of cl.
func NewFollower(manifest *election.Entry, cl *client.Client) (*Follower, error) {
	r, err := NewReplica(manifest)
	if err != nil {
		return nil, err
	}
	return &Follower{Replica: r, nodes: cl.Nodes()}, nil
}

// Sync reads every entry the current node holds beyond what it read before,
// and adds them to the replica. If the node fails, the next node is tried;
// the error says what went wrong with each when none answers. Entries the
// replica refuses are kept in Rejected; they do not stop the sync.
func (f *Follower) Sync(ctx context.Context) error {
	var errs []error
	for range f.nodes {
		err := f.syncNode(ctx)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = append(errs, fmt.Errorf("%s: %w", f.nodes[f.cur].URLs()[0], err))
		f.cur = (f.cur + 1) % len(f.nodes)
		f.next = 0
	}
	return fmt.Errorf("reading the record of election %s: %w", f.ID(), errors.Join(errs...))
}

// syncNode reads the current node's log from f.next to its end.
func (f *Follower) syncNode(ctx context.Context) error {
	node := f.nodes[f.cur]
	for {
		page, err := node.Entries(ctx, f.ID(), 0, f.next, pageSize)
		if err != nil {
			return err
		}
		batch := make([]*election.Entry, 0, len(page.Entries))
		for _, s := range page.Entries {
			e, err := election.DecodeEntry(s.Bytes)
			if err != nil {
				// The client checked the bytes' hash; a node that serves
				// an entry that does not decode broke the rules.
				f.rejected = append(f.rejected, fmt.Errorf("entry %x at index %d: %w", s.ID[:6], s.Index, err))
				continue
			}
			batch = append(batch, e)
		}
		f.Add(batch)
		f.next = page.Next
		if f.OnPage != nil {
			f.OnPage(len(page.Entries))
		}
		if !page.More || len(page.Entries) == 0 {
			return nil
		}
	}
}

// Node returns the base URL of the node the follower reads.
func (f *Follower) Node() string { return f.nodes[f.cur].URLs()[0] }
