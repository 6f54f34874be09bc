package api

import (
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/evote/evote/election"
)

// parseID decodes an election or entry id from a path segment: exactly 64
// hex digits (either case).
func parseID(what, s string) (election.ID, error) {
	var id election.ID
	if len(s) != 2*len(id) {
		return id, badRequest("%s id %q: want %d hex digits, got %d characters", what, clip(s), 2*len(id), len(s))
	}
	if _, err := hex.Decode(id[:], []byte(s)); err != nil {
		return id, badRequest("%s id %q: not hex: %v", what, clip(s), err)
	}
	return id, nil
}

// electionID parses the {election} path segment.
func electionID(r *http.Request) (election.ID, error) {
	return parseID("election", r.PathValue("election"))
}

// clip shortens what a client sent before the API quotes it back.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	return s[:max] + "…"
}

// query is a request's query string, checked against the parameters a
// route takes: no other parameter, none twice.
type query url.Values

// parseQuery parses raw and refuses parameters not in allowed.
func parseQuery(raw string, allowed ...string) (query, error) {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badRequest("malformed query string: %v", err)
	}
	for name, vals := range v {
		if !slices.Contains(allowed, name) {
			if len(allowed) == 0 {
				return nil, badRequest("unknown query parameter %q: this route takes none", clip(name))
			}
			return nil, badRequest("unknown query parameter %q (this route takes %s)", clip(name), strings.Join(allowed, ", "))
		}
		if len(vals) > 1 {
			return nil, badRequest("query parameter %q given %d times", name, len(vals))
		}
	}
	return query(v), nil
}

// get returns parameter name and whether it was given.
func (q query) get(name string) (string, bool) {
	vals, ok := q[name]
	if !ok {
		return "", false
	}
	return vals[0], true
}

// uint returns parameter name as a decimal uint64, def when it is absent
// and an error when it is absent and required.
func (q query) uint(name string, def uint64, required bool) (uint64, error) {
	s, ok := q.get(name)
	if !ok {
		if required {
			return 0, badRequest("query parameter %q is required", name)
		}
		return def, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, badRequest("query parameter %s=%q is not a number from 0 to %d", name, clip(s), uint64(1<<64-1))
	}
	return n, nil
}

// entriesQuery is the query of GET …/entries.
type entriesQuery struct {
	typ   election.EntryType // 0: every type
	from  uint64
	limit int // 1 … maxPage
}

// parseEntriesQuery parses type (an entry type's name, absent for every
// type), from (a log index, default 0) and limit (default
// DefaultPageLimit, at least 1, lowered to maxPage).
func parseEntriesQuery(raw string, maxPage int) (entriesQuery, error) {
	q, err := parseQuery(raw, "type", "from", "limit")
	if err != nil {
		return entriesQuery{}, err
	}
	var eq entriesQuery
	if s, ok := q.get("type"); ok {
		t, ok := election.ParseEntryType(s)
		if !ok {
			return entriesQuery{}, badRequest("unknown entry type %q (one of %s)", clip(s), typeNames())
		}
		eq.typ = t
	}
	if eq.from, err = q.uint("from", 0, false); err != nil {
		return entriesQuery{}, err
	}
	limit, err := q.uint("limit", DefaultPageLimit, false)
	if err != nil {
		return entriesQuery{}, err
	}
	if limit == 0 {
		return entriesQuery{}, badRequest("query parameter limit=0: a page holds at least one entry")
	}
	eq.limit = int(min(limit, uint64(maxPage)))
	return eq, nil
}

// typeNames lists the entry types' names in type order.
func typeNames() string {
	var names []string
	for t := election.EntryType(1); t.String() != "unknown"; t++ {
		names = append(names, t.String())
	}
	return strings.Join(names, ", ")
}

// parseInclusionQuery parses index and size, both required, index < size.
func parseInclusionQuery(raw string) (index, size uint64, err error) {
	q, err := parseQuery(raw, "index", "size")
	if err != nil {
		return 0, 0, err
	}
	if index, err = q.uint("index", 0, true); err != nil {
		return 0, 0, err
	}
	if size, err = q.uint("size", 0, true); err != nil {
		return 0, 0, err
	}
	if index >= size {
		return 0, 0, badRequest("index %d is not below size %d: a tree of size n holds leaves 0 … n−1", index, size)
	}
	return index, size, nil
}

// parseConsistencyQuery parses from and to, both required, from ≤ to.
func parseConsistencyQuery(raw string) (from, to uint64, err error) {
	q, err := parseQuery(raw, "from", "to")
	if err != nil {
		return 0, 0, err
	}
	if from, err = q.uint("from", 0, true); err != nil {
		return 0, 0, err
	}
	if to, err = q.uint("to", 0, true); err != nil {
		return 0, 0, err
	}
	if from > to {
		return 0, 0, badRequest("from %d is above to %d: a log only grows", from, to)
	}
	return from, to, nil
}

// noQuery refuses any query parameter on a route that takes none.
func noQuery(r *http.Request) error {
	_, err := parseQuery(r.URL.RawQuery)
	return err
}
