package cast

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// ErrNoQuorum: no ballot set is sealed by a quorum of nodes yet.
var ErrNoQuorum = errors.New("no ballot set is sealed by a quorum of nodes yet")

// checkSealed checks a ballot against the sealed set: which set a quorum of
// the manifest's nodes sealed, whether the ballots one node serves hash to
// it and hold this one, whether the last-ballot rule counts it, and its
// inclusion proof against each sealing node's sealed checkpoint.
func (e *Election) checkSealed(ctx context.Context, tracker election.ID, entry []byte, nodes []NodeCheck) *SealCheck {
	seals, err := e.board.Seals(ctx, e.ID)
	if err != nil {
		return &SealCheck{Err: fmt.Errorf("fetching the seals: %w", boardError(err))}
	}
	sc, quorum := e.quorum(seals)
	if sc == nil {
		return &SealCheck{Err: ErrNoQuorum}
	}
	sc.Proofs = make(map[string]error)
	for _, nc := range nodes {
		s, ok := quorum[nc.Name]
		if nc.Name == "" || !ok || nc.Err != nil {
			continue
		}
		sc.Proofs[nc.Name] = e.proveSealed(ctx, nc, s, entry)
	}
	if err := e.checkSet(ctx, sc, tracker); err != nil {
		sc.Err = err
	}
	return sc
}

// quorum returns the set that at least SealQuorum distinct manifest nodes
// sealed (at most one set can have that many), with each sealing node's seal
// by name.
func (e *Election) quorum(seals []client.Seal) (*SealCheck, map[string]*election.Seal) {
	type set struct {
		count   uint64
		ballots [32]byte
	}
	by := make(map[set]map[string]*election.Seal)
	for i := range seals {
		n := e.node(seals[i].Node)
		if n == nil {
			continue
		}
		k := set{seals[i].Seal.Count, seals[i].Seal.Ballots}
		if by[k] == nil {
			by[k] = make(map[string]*election.Seal)
		}
		by[k][n.Name] = &seals[i].Seal
	}
	for k, nodes := range by {
		if len(nodes) >= int(e.Manifest.SealQuorum) {
			sc := &SealCheck{Count: k.count, Ballots: k.ballots}
			for name := range nodes {
				sc.Nodes = append(sc.Nodes, name)
			}
			slices.Sort(sc.Nodes)
			return sc, nodes
		}
	}
	return nil, nil
}

// proveSealed checks the entry's inclusion proof, from the node that sealed
// s, against the tree size and root in s.
func (e *Election) proveSealed(ctx context.Context, nc NodeCheck, s *election.Seal, entry []byte) error {
	if nc.Index >= s.TreeSize {
		return fmt.Errorf("the node sealed its log at size %d, before the ballot's index %d", s.TreeSize, nc.Index)
	}
	c, err := client.New([]string{nc.URL}, client.Options{})
	if err != nil {
		return err
	}
	proof, err := c.InclusionProof(ctx, e.ID, nc.Index, s.TreeSize)
	if err != nil {
		return boardError(err)
	}
	return tlog.VerifyInclusion(nc.Index, s.TreeSize, tlog.LeafHash(entry), proof, s.Root)
}

// checkSet reads every ballot from one node, checks that they are the
// sealed set, and looks the ballot up in it.
func (e *Election) checkSet(ctx context.Context, sc *SealCheck, tracker election.ID) error {
	var ids []election.ID
	var entries []*election.Entry
	for st, err := range e.board.All(ctx, e.ID, election.TypeBallot) {
		if err != nil {
			return fmt.Errorf("reading the ballot set: %w", boardError(err))
		}
		d, err := election.DecodeEntry(st.Bytes)
		if err != nil {
			return fmt.Errorf("ballot %s: %w", short(st.ID), err)
		}
		ids = append(ids, st.ID)
		entries = append(entries, d)
	}
	if uint64(len(ids)) != sc.Count || election.BallotSetHash(ids) != sc.Ballots {
		return fmt.Errorf("the node that served the ballots holds %d that are not the sealed set of %d: ask another node", len(ids), sc.Count)
	}
	sc.InSet = slices.Contains(ids, tracker)
	if !sc.InSet {
		return nil
	}
	_, superseded := election.LastBallots(entries)
	sc.Counted = true
	for _, s := range superseded {
		if s.ID == tracker {
			sc.Counted, sc.Superseded, sc.Reason = false, s.By, s.Reason
		}
	}
	return nil
}
