package election

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"slices"
)

// Reasons a ballot does not count, wrapped by SupersededBallot.Reason.
var (
	// ErrRevoted: the credential cast a ballot with a higher counter.
	ErrRevoted = errors.New("superseded by a ballot with a higher counter")
	// ErrCounterTie: another ballot of the credential has the same, highest,
	// counter and a smaller entry id.
	ErrCounterTie = errors.New("same counter as a ballot with a smaller id")
	// ErrNotBallot: the entry is not a ballot (wrong type or a payload too
	// short for a counter); it breaks LastBallots' precondition.
	ErrNotBallot = errors.New("not a ballot entry")
)

// SupersededBallot is a ballot that the last-ballot rule does not count.
type SupersededBallot struct {
	Entry   *Entry
	ID      ID // Entry's id
	Counter uint32
	// By is the id of the credential's counted ballot (zero for ErrNotBallot).
	By     ID
	Reason error // ErrRevoted, ErrCounterTie, or ErrNotBallot
}

// ballotCounter reads the revote counter, the first field of a ballot
// payload.
func ballotCounter(e *Entry) (uint32, bool) {
	if e.Type != TypeBallot || len(e.Payload) < 4 || len(e.Author) != ed25519.PublicKeySize {
		return 0, false
	}
	return binary.BigEndian.Uint32(e.Payload[:4]), true
}

// countsOver reports whether a ballot with counter c and id id takes the
// place of the one with counter cc and id cid, by the last-ballot rule: the
// highest counter counts, and among equal counters the smallest id.
func countsOver(c uint32, id ID, cc uint32, cid ID) bool {
	if c != cc {
		return c > cc
	}
	return bytes.Compare(id[:], cid[:]) < 0
}

// LastBallots applies the last-ballot rule (docs/SPEC.md) to a final ballot
// set: of each credential's ballots, the one with the highest revote counter
// counts; if several share the highest counter, the one with the smallest
// entry id counts. It returns the counted ballots, sorted by credential
// public key, and every other ballot with the reason it does not count,
// sorted by credential, then counter (highest first), then id. The result
// does not depend on the order of ballots.
//
// Precondition: every entry is a ballot that passed the ballot checks;
// an entry that is not a ballot is reported as superseded with
// ErrNotBallot. An entry given twice (the same id) counts at most once;
// the copy is reported with ErrCounterTie.
func LastBallots(ballots []*Entry) (counted []*Entry, superseded []SupersededBallot) {
	type cand struct {
		e       *Entry
		id      ID
		counter uint32
	}
	best := make(map[[ed25519.PublicKeySize]byte]*cand)
	var all []cand
	for _, e := range ballots {
		c, ok := ballotCounter(e)
		if !ok {
			superseded = append(superseded, SupersededBallot{Entry: e, ID: e.ID(), Reason: ErrNotBallot})
			continue
		}
		all = append(all, cand{e: e, id: e.ID(), counter: c})
	}
	for i := range all {
		k := [ed25519.PublicKeySize]byte(all[i].e.Author)
		if b, ok := best[k]; !ok || countsOver(all[i].counter, all[i].id, b.counter, b.id) {
			best[k] = &all[i]
		}
	}
	for i := range all {
		c := &all[i]
		b := best[[ed25519.PublicKeySize]byte(c.e.Author)]
		switch {
		case b == c:
			counted = append(counted, c.e)
		case c.counter < b.counter:
			superseded = append(superseded, SupersededBallot{Entry: c.e, ID: c.id, Counter: c.counter, By: b.id, Reason: ErrRevoted})
		default:
			superseded = append(superseded, SupersededBallot{Entry: c.e, ID: c.id, Counter: c.counter, By: b.id, Reason: ErrCounterTie})
		}
	}
	slices.SortFunc(counted, func(a, b *Entry) int { return bytes.Compare(a.Author, b.Author) })
	slices.SortStableFunc(superseded, func(a, b SupersededBallot) int {
		if c := bytes.Compare(a.Entry.Author, b.Entry.Author); c != 0 {
			return c
		}
		if a.Counter != b.Counter {
			if a.Counter > b.Counter {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.ID[:], b.ID[:])
	})
	return counted, superseded
}

// countBallot returns the commit that adds a newly accepted ballot to the
// record's ballot set and applies the last-ballot rule to its credential,
// incrementally: after any sequence of ballots, r.last holds for every
// credential the ballot that LastBallots picks from the same set.
func (r *Record) countBallot(id ID, credential ed25519.PublicKey, b *Ballot) func() {
	return func() {
		r.ballots = append(r.ballots, id)
		k := [ed25519.PublicKeySize]byte(credential)
		if r.stream != nil {
			r.countStreamed(id, k, b)
			return
		}
		if cur, ok := r.last[k]; ok && !countsOver(b.Counter, id, cur.counter, cur.id) {
			return
		}
		r.last[k] = &castBallot{id: id, counter: b.Counter, ciphertexts: ciphertextsByContest(r.layout, b)}
	}
}

// CountedBallot returns the id and revote counter of the ballot that the
// last-ballot rule counts for credential now (its highest counter), and
// false if the credential has cast no ballot. A voter's device asks a
// board node for it to choose the counter of a revote without reading
// every ballot of the election.
func (r *Record) CountedBallot(credential ed25519.PublicKey) (ID, uint32, bool) {
	if len(credential) != ed25519.PublicKeySize {
		return ID{}, 0, false
	}
	cur, ok := r.last[[ed25519.PublicKeySize]byte(credential)]
	if !ok {
		return ID{}, 0, false
	}
	return cur.id, cur.counter, true
}
