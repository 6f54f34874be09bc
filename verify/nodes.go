package verify

import (
	"context"
	"errors"
	"fmt"
	"iter"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
)

// Nodes reads the record from live board nodes through bulletin/client:
// the log of the first node that serves it, page by page, and then asks
// every node for its checkpoint, its consistency with the seal it signed,
// and the evidence of equivocation it holds.
type Nodes struct {
	Client   *client.Client
	Election election.ID
	// PageSize is how many entries to ask for at once (0: 1000).
	PageSize int

	read    *client.Client       // the node whose log was read
	readURL string               // its URL
	cp      *bulletin.Checkpoint // its checkpoint before reading
	cpErr   error                // why there is none
	manif   *election.Manifest   // decoded from the log's first entry, for the node keys
}

// NewNodes returns the source of election el on the nodes at urls. With a
// zero el, the first node that answers must serve exactly one election.
func NewNodes(ctx context.Context, urls []string, el election.ID, opts client.Options) (*Nodes, error) {
	c, err := client.New(urls, opts)
	if err != nil {
		return nil, err
	}
	if el == (election.ID{}) {
		els, err := c.Elections(ctx)
		if err != nil {
			return nil, fmt.Errorf("asking the nodes which elections they serve: %w", err)
		}
		if len(els) != 1 {
			return nil, fmt.Errorf("the nodes serve %d elections; name one with its id", len(els))
		}
		el = els[0]
	}
	return &Nodes{Client: c, Election: el}, nil
}

// Name implements Source.
func (n *Nodes) Name() string {
	if n.readURL != "" {
		return fmt.Sprintf("the log of node %s (of %v)", n.readURL, n.Client.URLs())
	}
	return fmt.Sprintf("nodes %v", n.Client.URLs())
}

// Entries implements Source: the first node that serves the election gives
// its whole log; its checkpoint is taken first, so that C50 can check that
// the log read begins with the tree it signed.
func (n *Nodes) Entries(ctx context.Context) iter.Seq2[[]byte, error] {
	return func(yield func([]byte, error) bool) {
		var errs []error
		for i, c := range n.Client.Nodes() {
			first, err := c.Entries(ctx, n.Election, 0, 0, 1)
			if err != nil || len(first.Entries) == 0 {
				errs = append(errs, fmt.Errorf("%s: %v", n.Client.URLs()[i], orNone(err)))
				continue
			}
			n.read, n.readURL = c, n.Client.URLs()[i]
			if n.manif, err = record.Manifest(ctx, c, n.Election); err == nil {
				n.cp, _, n.cpErr = record.FetchCheckpoint(ctx, c, n.manif, n.Election)
			} else {
				n.cpErr = fmt.Errorf("no manifest to open its checkpoint with: %w", err)
			}
			n.page(ctx, c, yield)
			return
		}
		yield(nil, fmt.Errorf("no node serves election %s: %w", n.Election, errors.Join(errs...)))
	}
}

func orNone(err error) error {
	if err == nil {
		return errors.New("the election has no entries")
	}
	return err
}

// page yields c's log from the start.
func (n *Nodes) page(ctx context.Context, c *client.Client, yield func([]byte, error) bool) {
	size := n.PageSize
	if size <= 0 {
		size = 1000
	}
	for from := uint64(0); ; {
		p, err := c.Entries(ctx, n.Election, 0, from, size)
		if err != nil {
			yield(nil, err)
			return
		}
		for _, s := range p.Entries {
			if !yield(s.Bytes, nil) {
				return
			}
		}
		if !p.More || len(p.Entries) == 0 {
			return
		}
		from = p.Next
	}
}

// Fetch implements Source: any node may answer for an entry, which the
// client checks hashes to its id.
func (n *Nodes) Fetch(ctx context.Context, ids []election.ID) (map[election.ID][]byte, error) {
	out := make(map[election.ID][]byte, len(ids))
	for _, id := range ids {
		s, err := n.Client.Entry(ctx, n.Election, id)
		if err != nil {
			return nil, fmt.Errorf("entry %s: %w", id, err)
		}
		out[id] = s.Bytes
	}
	return out, nil
}

// Observe implements Source.
func (n *Nodes) Observe(ctx context.Context, log *Log) []Observation {
	n.manif = log.Manifest
	var obs []Observation
	// C50 and C51 on the log that was read: its checkpoint covers a prefix
	// of it, and the node's checkpoint now is consistent with that one.
	if n.cp == nil {
		obs = append(obs, Observation{Check: CheckLogCheckpoint, Node: n.readURL, Err: fmt.Errorf("the node whose log was read: %v", orNone(n.cpErr))})
	} else {
		obs = append(obs, Observation{Check: CheckLogCheckpoint, Node: n.readURL, Err: coversLog(log, n.cp, false)})
	}
	for i, c := range n.Client.Nodes() {
		url := n.Client.URLs()[i]
		cp, node, err := record.FetchCheckpoint(ctx, c, log.Manifest, n.Election)
		if err != nil {
			obs = append(obs, Observation{Check: CheckLogCheckpoint, Node: url, Err: err})
			continue
		}
		name := fmt.Sprintf("%s (%s)", log.Manifest.Nodes[node].Name, url)
		obs = append(obs, Observation{Check: CheckLogCheckpoint, Node: name})
		if c == n.read && n.cp != nil {
			obs = append(obs, consistent(ctx, c, n.cp, cp, name, "the checkpoint taken before reading"))
		}
		if s, ok := log.Seals[node]; ok {
			sealCP := &bulletin.Checkpoint{Election: n.Election, Size: s.Seal.TreeSize, Root: s.Seal.Root}
			obs = append(obs, consistent(ctx, c, sealCP, cp, name, "its seal entry "+s.ID.String()))
		}
		obs = append(obs, n.evidence(ctx, c, name))
	}
	return obs
}

// consistent makes C51 for two checkpoints of one node.
func consistent(ctx context.Context, c *client.Client, a, b *bulletin.Checkpoint, name, what string) Observation {
	o := Observation{Check: CheckLogConsistent, Node: name}
	if a.Size > b.Size {
		o.Err = fmt.Errorf("%s names a tree of %d entries, the node's latest checkpoint %d", what, a.Size, b.Size)
		return o
	}
	ev, err := c.CheckConsistent(ctx, a, b)
	switch {
	case err != nil:
		o.Err = fmt.Errorf("%s: %w", what, err)
	case ev != nil:
		o.Err = fmt.Errorf("%s and the latest checkpoint do not fit one log: %s", what, ev.Reason)
	}
	return o
}

// evidence makes C52: the node holds no valid evidence of equivocation by
// any node of the manifest.
func (n *Nodes) evidence(ctx context.Context, c *client.Client, name string) Observation {
	evs, err := c.Evidence(ctx)
	if err != nil {
		var ce *client.Error
		if errors.As(err, &ce) && ce.Status == 501 {
			return Observation{Check: CheckEquivocation, Skipped: name + " collects no evidence"}
		}
		return Observation{Check: CheckEquivocation, Node: name, Skipped: fmt.Sprintf("%s: %v", name, err)}
	}
	for _, ev := range evs {
		if ev.A == nil || ev.A.Election != n.Election {
			continue
		}
		for _, node := range n.manif.Nodes {
			v, err := tlog.NewVerifier(node.SigningKey)
			if err != nil {
				continue
			}
			if ev.Verify(v) == nil {
				return Observation{Check: CheckEquivocation, Node: name,
					Err: fmt.Errorf("it holds evidence that node %s equivocated: %s", node.Name, ev.Reason)}
			}
		}
	}
	return Observation{Check: CheckEquivocation, Node: name}
}
