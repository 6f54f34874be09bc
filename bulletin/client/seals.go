package client

import (
	"context"
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// Seal is a seal entry: a node's signed final ballot set.
type Seal struct {
	bulletin.Stored
	Node ed25519.PublicKey // the author, whose signature the client checked
	Seal election.Seal
}

// Seals returns the seal entries a node holds for election el, each
// checked as Entry checks entries, signed by its author, and decoded from
// its own bytes (the node's decoded fields are for people and are
// ignored). Whether an author is a node of the manifest, and which set a
// quorum sealed, is for the caller to decide with the manifest.
func (c *Client) Seals(ctx context.Context, el election.ID) ([]Seal, error) {
	var out []Seal
	_, _, err := getJSON(ctx, c, "/v1/elections/"+el.String()+"/seals", func(sj *api.SealsJSON) error {
		seals := make([]Seal, len(sj.Seals))
		for i := range sj.Seals {
			s, err := decodeSeal(el, &sj.Seals[i].EntryJSON)
			if err != nil {
				return err
			}
			seals[i] = *s
		}
		out = seals
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeSeal(el election.ID, ej *api.EntryJSON) (*Seal, error) {
	st, e, err := decodeEntry(el, ej)
	if err != nil {
		return nil, err
	}
	if e.Type != election.TypeSeal {
		return nil, fmt.Errorf("entry %d (%s) in the seals is a %s", st.Index, st.ID, e.Type)
	}
	if err := e.VerifySignature(); err != nil {
		return nil, fmt.Errorf("seal %d (%s): %w", st.Index, st.ID, err)
	}
	s, err := election.DecodeSeal(e.Payload)
	if err != nil {
		return nil, fmt.Errorf("seal %d (%s): %w", st.Index, st.ID, err)
	}
	return &Seal{Stored: *st, Node: e.Author, Seal: *s}, nil
}

// Evidence returns the evidence of equivocation a node holds, unchecked:
// check each with tlog.Evidence.Verify and the verifier of the node it
// accuses. Evidence is about other nodes, so any node may answer; a node
// that collects none answers 501, and the next node is asked.
func (c *Client) Evidence(ctx context.Context) ([]*tlog.Evidence, error) {
	var out []*tlog.Evidence
	_, _, err := getJSON(ctx, c, "/v1/evidence", func(ej *api.EvidencesJSON) error {
		evs := make([]*tlog.Evidence, len(ej.Evidence))
		for i := range ej.Evidence {
			e, err := decodeEvidence(&ej.Evidence[i])
			if err != nil {
				return fmt.Errorf("evidence %d: %w", i, err)
			}
			evs[i] = e
		}
		out = evs
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

func decodeEvidence(ej *api.EvidenceJSON) (*tlog.Evidence, error) {
	a, err := decodeCheckpoint(&ej.A)
	if err != nil {
		return nil, err
	}
	b, err := decodeCheckpoint(&ej.B)
	if err != nil {
		return nil, err
	}
	p, err := decodeHashes(ej.Proof)
	if err != nil {
		return nil, err
	}
	return &tlog.Evidence{A: a, B: b, Proof: p, Reason: ej.Reason}, nil
}
