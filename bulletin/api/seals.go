package api

import (
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election"
)

// seals answers GET /v1/elections/{election}/seals: every seal entry the
// node holds, with its author and payload decoded for people; clients
// decode and check the entries themselves. The record holds one seal per
// manifest node (check 43), so there is no pagination.
func (s *server) seals(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	out := SealsJSON{Seals: []SealJSON{}}
	for from := uint64(0); ; {
		got, err := s.board.Entries(r.Context(), el, election.TypeSeal, from, s.opts.MaxPage)
		if err != nil {
			return err
		}
		for i := range got {
			sj, err := sealJSON(&got[i])
			if err != nil {
				return err
			}
			out.Seals = append(out.Seals, sj)
			from = got[i].Index + 1
		}
		if len(got) < s.opts.MaxPage {
			break
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// sealJSON decodes a stored seal entry. A stored entry that does not decode
// is a server fault: the node checked it before storing it.
func sealJSON(st *bulletin.Stored) (SealJSON, error) {
	e, err := election.DecodeEntry(st.Bytes)
	if err != nil {
		return SealJSON{}, fmt.Errorf("stored seal entry %x at index %d: %v", st.ID[:6], st.Index, err)
	}
	seal, err := election.DecodeSeal(e.Payload)
	if err != nil {
		return SealJSON{}, fmt.Errorf("stored seal entry %x at index %d: %v", st.ID[:6], st.Index, err)
	}
	return SealJSON{
		EntryJSON: entryJSON(st),
		Node:      hex.EncodeToString(e.Author),
		Count:     seal.Count,
		Ballots:   hex.EncodeToString(seal.Ballots[:]),
		TreeSize:  seal.TreeSize,
		Root:      hex.EncodeToString(seal.Root[:]),
	}, nil
}

// evidence answers GET /v1/evidence, or 501 when the Board keeps none.
func (s *server) evidence(w http.ResponseWriter, r *http.Request) error {
	if err := noQuery(r); err != nil {
		return err
	}
	src, ok := s.board.(EvidenceSource)
	if !ok {
		return &statusError{status: http.StatusNotImplemented, msg: "this node does not collect evidence"}
	}
	evs, err := src.Evidence(r.Context())
	if err != nil {
		return err
	}
	out := EvidencesJSON{Evidence: make([]EvidenceJSON, 0, len(evs))}
	for _, e := range evs {
		out.Evidence = append(out.Evidence, evidenceJSON(e))
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}
