package api

import (
	"crypto/ed25519"
	"encoding/hex"
	"fmt"
	"net/http"
)

// elections answers GET /v1/elections.
func (s *server) elections(w http.ResponseWriter, r *http.Request) error {
	if err := noQuery(r); err != nil {
		return err
	}
	ids, err := s.board.Elections(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, electionsJSON(ids))
	return nil
}

// entries answers GET /v1/elections/{election}/entries with one page. It
// asks the Board for one entry more than the page holds, to know whether
// there are more; the page also ends early once it holds MaxPageBytes.
func (s *server) entries(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	q, err := parseEntriesQuery(r.URL.RawQuery, s.opts.MaxPage)
	if err != nil {
		return err
	}
	got, err := s.board.Entries(r.Context(), el, q.typ, q.from, q.limit+1)
	if err != nil {
		return err
	}
	page := PageJSON{Entries: []EntryJSON{}, Next: q.from}
	size := 0
	for i := range got {
		if len(page.Entries) == q.limit || (len(page.Entries) > 0 && size+len(got[i].Bytes) > s.opts.MaxPageBytes) {
			page.More = true
			break
		}
		if got[i].Index < page.Next {
			return fmt.Errorf("board broke its contract: entry at index %d listed after index %d (from %d)", got[i].Index, page.Next, q.from)
		}
		page.Entries = append(page.Entries, entryJSON(&got[i]))
		page.Next = got[i].Index + 1
		size += len(got[i].Bytes)
	}
	writeJSON(w, http.StatusOK, page)
	return nil
}

// entry answers GET /v1/elections/{election}/entries/{entry}.
func (s *server) entry(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	id, err := parseID("entry", r.PathValue("entry"))
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	e, err := s.board.Entry(r.Context(), el, id)
	if err != nil {
		return err
	}
	// An entry never changes once it has its id.
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	writeJSON(w, http.StatusOK, entryJSON(e))
	return nil
}

// countedBallot answers GET /v1/elections/{election}/credentials/{key}/ballot:
// the ballot entry that counts for the credential now (the one with its
// highest revote counter), so that a voter's device picks the counter of a
// revote without reading every ballot. 404 if the credential has cast none.
func (s *server) countedBallot(w http.ResponseWriter, r *http.Request) error {
	el, err := electionID(r)
	if err != nil {
		return err
	}
	key, err := hex.DecodeString(r.PathValue("key"))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return &statusError{status: http.StatusBadRequest, msg: fmt.Sprintf("credential key %q: want %d bytes in hex", r.PathValue("key"), ed25519.PublicKeySize)}
	}
	if err := noQuery(r); err != nil {
		return err
	}
	src, ok := s.board.(CountedBallots)
	if !ok {
		return &statusError{status: http.StatusNotImplemented, msg: "this node does not look up ballots by credential"}
	}
	e, err := src.CountedBallot(r.Context(), el, key)
	if err != nil {
		return err
	}
	// A later revote changes the answer.
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, entryJSON(e))
	return nil
}
