package api

import (
	"mime"
	"net/http"
	"strings"
)

// checkpoint answers GET /v1/elections/{election}/checkpoint: the signed
// note as text/plain, or JSON with its size and root when the client
// accepts application/json.
func (s *server) checkpoint(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	cp, err := s.board.Checkpoint(r.Context(), el)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-cache")
	if acceptsJSON(r) {
		writeJSON(w, http.StatusOK, checkpointJSON(cp))
		return nil
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	_, _ = w.Write(cp.Note)
	return nil
}

// acceptsJSON reports whether the Accept header names application/json.
func acceptsJSON(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept") {
		for _, part := range strings.Split(h, ",") {
			if media, _, err := mime.ParseMediaType(part); err == nil && media == "application/json" {
				return true
			}
		}
	}
	return false
}

// inclusionProof answers GET /v1/elections/{election}/proof/inclusion.
func (s *server) inclusionProof(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	index, size, err := parseInclusionQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	p, err := s.board.InclusionProof(r.Context(), el, index, size)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, InclusionJSON{Index: index, Size: size, Hashes: hashesJSON(p)})
	return nil
}

// consistencyProof answers GET /v1/elections/{election}/proof/consistency.
func (s *server) consistencyProof(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	from, to, err := parseConsistencyQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	p, err := s.board.ConsistencyProof(r.Context(), el, from, to)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, ConsistencyJSON{From: from, To: to, Hashes: hashesJSON(p)})
	return nil
}
