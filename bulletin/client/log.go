package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Checkpoint returns the latest checkpoint of election el's log, opened
// with v, the verifier of the node whose log it is (tlog.NewVerifier of the
// manifest's key for that node): the size and root come from the signed
// note, never from anything unsigned. A note that v does not open, or that
// is about another election, is a bad answer. Call it on the Client of that
// one node (see Nodes).
func (c *Client) Checkpoint(ctx context.Context, el election.ID, v note.Verifier) (*bulletin.Checkpoint, error) {
	if v == nil {
		return nil, errors.New("client: checkpoint: no verifier: a checkpoint is only worth its signature")
	}
	var cp *bulletin.Checkpoint
	_, err := c.do(ctx, request{method: "GET", path: "/v1/elections/" + el.String() + "/checkpoint", accept: "text/plain",
		decode: func(_ int, _ http.Header, body []byte) error {
			got, err := tlog.ParseCheckpoint(body, v)
			if err != nil {
				return err
			}
			if got.Election != el {
				return fmt.Errorf("checkpoint of election %s, asked for %s", got.Election, el)
			}
			cp = got
			return nil
		}})
	if err != nil {
		return nil, err
	}
	return cp, nil
}

// InclusionProof returns a node's proof that the entry at index is in its
// log's tree of size size, unchecked; see VerifyInclusion. Requires index <
// size.
func (c *Client) InclusionProof(ctx context.Context, el election.ID, index, size uint64) ([][32]byte, error) {
	if index >= size {
		return nil, fmt.Errorf("client: inclusion proof: index %d not below size %d: %w", index, size, tlog.ErrOutOfRange)
	}
	path := fmt.Sprintf("/v1/elections/%s/proof/inclusion?index=%d&size=%d", el, index, size)
	var p [][32]byte
	_, _, err := getJSON(ctx, c, path, func(ij *api.InclusionJSON) error {
		if ij.Index != index || ij.Size != size {
			return fmt.Errorf("proof of %d in %d, asked for %d in %d", ij.Index, ij.Size, index, size)
		}
		var err error
		p, err = decodeHashes(ij.Hashes)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// ConsistencyProof returns a node's proof that its log's tree of size from
// is a prefix of its tree of size to, unchecked; see CheckConsistent.
// Requires from ≤ to.
func (c *Client) ConsistencyProof(ctx context.Context, el election.ID, from, to uint64) ([][32]byte, error) {
	if from > to {
		return nil, fmt.Errorf("client: consistency proof: from %d above to %d: %w", from, to, tlog.ErrOutOfRange)
	}
	path := fmt.Sprintf("/v1/elections/%s/proof/consistency?from=%d&to=%d", el, from, to)
	var p [][32]byte
	_, _, err := getJSON(ctx, c, path, func(cj *api.ConsistencyJSON) error {
		if cj.From != from || cj.To != to {
			return fmt.Errorf("proof of %d→%d, asked for %d→%d", cj.From, cj.To, from, to)
		}
		var err error
		p, err = decodeHashes(cj.Hashes)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// VerifyInclusion fetches the proof that entry, at index in the node's
// log, is in the tree of checkpoint cp, and checks it. Requires cp to come
// from Checkpoint (opened with the node's verifier) and index < cp.Size.
// A proof that does not verify is the node's fault, not the network's: the
// error wraps tlog's *RootMismatchError or *ProofLengthError, and the
// client does not ask another node, whose log is another log.
func (c *Client) VerifyInclusion(ctx context.Context, cp *bulletin.Checkpoint, index uint64, entry []byte) error {
	p, err := c.InclusionProof(ctx, cp.Election, index, cp.Size)
	if err != nil {
		return err
	}
	if err := tlog.VerifyInclusion(index, cp.Size, tlog.LeafHash(entry), p, cp.Root); err != nil {
		return fmt.Errorf("client: %w", err)
	}
	return nil
}

// CheckConsistent fetches the consistency proof between checkpoints a and
// b of one node's log and returns nil, nil when they describe one growing
// log, or the tlog.Evidence of equivocation when they cannot. Requires a
// and b to come from Checkpoint with the same node's verifier.
func (c *Client) CheckConsistent(ctx context.Context, a, b *bulletin.Checkpoint) (*tlog.Evidence, error) {
	if a.Election != b.Election {
		return nil, fmt.Errorf("client: consistency of checkpoints of two elections, %s and %s", a.Election, b.Election)
	}
	if a.Size > b.Size {
		a, b = b, a
	}
	var p [][32]byte
	if a.Size < b.Size {
		var err error
		if p, err = c.ConsistencyProof(ctx, a.Election, a.Size, b.Size); err != nil {
			return nil, err
		}
	}
	ev, err := tlog.CheckConsistent(a, b, p)
	if err != nil {
		return nil, fmt.Errorf("client: %w", err)
	}
	return ev, nil
}
