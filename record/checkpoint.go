package record

import (
	"context"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// OpenCheckpoint opens a signed checkpoint note of election el with the key
// of whichever node of manifest m signed it, and returns it with that
// node's position in m.Nodes.
func OpenCheckpoint(m *election.Manifest, el election.ID, note []byte) (*bulletin.Checkpoint, int, error) {
	for i, n := range m.Nodes {
		v, err := tlog.NewVerifier(n.SigningKey)
		if err != nil {
			continue
		}
		cp, err := tlog.ParseCheckpoint(note, v)
		if err != nil {
			continue
		}
		if cp.Election != el {
			return nil, i, fmt.Errorf("node %s's checkpoint is about election %s, not %s", n.Name, cp.Election, el)
		}
		return cp, i, nil
	}
	return nil, -1, errors.New("not a checkpoint signed by any node of the manifest")
}

// FetchCheckpoint returns the latest checkpoint of election el from the
// node that c talks to (a Client of one node, client.Client.Nodes), opened
// with the key of whichever node of m signed it, and that node's position.
func FetchCheckpoint(ctx context.Context, c *client.Client, m *election.Manifest, el election.ID) (*bulletin.Checkpoint, int, error) {
	var errs []error
	for i, n := range m.Nodes {
		v, err := tlog.NewVerifier(n.SigningKey)
		if err != nil {
			continue
		}
		cp, err := c.Checkpoint(ctx, el, v)
		if err == nil {
			return cp, i, nil
		}
		if !errors.Is(err, client.ErrBadAnswer) {
			return nil, -1, err // not a matter of the key: the node did not answer
		}
		errs = append(errs, err)
	}
	return nil, -1, fmt.Errorf("no checkpoint signed by a node of the manifest: %w", errors.Join(errs...))
}

// Manifest fetches the first entry of election el's log from the node c
// talks to and decodes its manifest, unchecked: it only tells the node keys
// that open checkpoints; the verifier checks the entry itself.
func Manifest(ctx context.Context, c *client.Client, el election.ID) (*election.Manifest, error) {
	p, err := c.Entries(ctx, el, election.TypeManifest, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(p.Entries) == 0 {
		return nil, fmt.Errorf("election %s has no manifest entry", el)
	}
	e, err := election.DecodeEntry(p.Entries[0].Bytes)
	if err != nil {
		return nil, fmt.Errorf("the manifest entry: %w", err)
	}
	m, err := election.DecodeManifest(e.Payload)
	if err != nil {
		return nil, fmt.Errorf("the manifest entry: %w", err)
	}
	return m, nil
}
