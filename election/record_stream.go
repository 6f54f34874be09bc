package election

import (
	"crypto/sha256"
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// StreamBallots makes the record keep, of each credential's counted
// ballot, only its id and counter, not its ciphertexts, so that an
// observer replaying a million ballots holds per-option sums rather than
// every ballot (docs/SPEC.md §9.3). The record then sums each ballot that
// the last-ballot rule counts as it arrives, and remembers the id of each
// counted ballot that a later one supersedes; when the seal quorum is
// reached it asks fetch for those entries (few: one per revote) and takes
// their ciphertexts out of the sums. The checks and their outcomes are the
// same as without it.
//
// fetch returns the bytes of each entry asked for; the record checks that
// they hash to the id. If fetch fails, the record stays in the closed
// phase and every decryption entry fails check 44 with that reason.
//
// Precondition: called before the first ballot is applied.
func (r *Record) StreamBallots(fetch func(ids []ID) (map[ID][]byte, error)) {
	r.stream = &ballotStream{fetch: fetch}
}

// ballotStream is the state of a record that streams its ballots.
type ballotStream struct {
	fetch   func([]ID) (map[ID][]byte, error)
	sums    [][]*elgamal.Ciphertext // per manifest contest and option: every ballot that was counted when it arrived
	retract []ID                    // counted ballots superseded since
	err     error                   // why the aggregates could not be computed
}

// countStreamed is countBallot's commit for a streaming record.
func (r *Record) countStreamed(id ID, k [32]byte, b *Ballot) {
	s := r.stream
	if cur, ok := r.last[k]; ok {
		if !countsOver(b.Counter, id, cur.counter, cur.id) {
			return
		}
		s.retract = append(s.retract, cur.id)
	}
	r.last[k] = &castBallot{id: id, counter: b.Counter}
	if s.sums == nil {
		s.sums = zeroAggregates(r.manifest)
	}
	for c, opts := range ciphertextsByContest(r.layout, b) {
		for o, ct := range opts {
			s.sums[c][o] = elgamal.Add(s.sums[c][o], ct)
		}
	}
}

// streamedAggregates returns the sums less the superseded ballots.
func (r *Record) streamedAggregates() ([][]*elgamal.Ciphertext, error) {
	s := r.stream
	agg := s.sums
	if agg == nil {
		agg = zeroAggregates(r.manifest)
	}
	if len(s.retract) == 0 {
		return agg, nil
	}
	got, err := s.fetch(s.retract)
	if err != nil {
		return nil, fmt.Errorf("fetching the %d superseded ballots: %w", len(s.retract), err)
	}
	for _, id := range s.retract {
		b, ok := got[id]
		if !ok || sha256.Sum256(b) != id {
			return nil, fmt.Errorf("superseded ballot %s: not fetched, or its bytes have another id", id)
		}
		e, err := DecodeEntry(b)
		if err != nil {
			return nil, fmt.Errorf("superseded ballot %s: %w", id, err)
		}
		bal, err := DecodeBallot(r.layout, e.Payload)
		if err != nil {
			return nil, fmt.Errorf("superseded ballot %s: %w", id, err)
		}
		for c, opts := range ciphertextsByContest(r.layout, bal) {
			for o, ct := range opts {
				agg[c][o] = &elgamal.Ciphertext{
					A: new(group.Point).Subtract(agg[c][o].A, ct.A),
					B: new(group.Point).Subtract(agg[c][o].B, ct.B)}
			}
		}
	}
	s.retract = nil
	return agg, nil
}

// zeroAggregates returns (identity, identity) for every option.
func zeroAggregates(m *Manifest) [][]*elgamal.Ciphertext {
	agg := make([][]*elgamal.Ciphertext, len(m.Contests))
	for c, ct := range m.Contests {
		agg[c] = make([]*elgamal.Ciphertext, len(ct.Options))
		for o := range agg[c] {
			agg[c][o] = elgamal.Zero()
		}
	}
	return agg
}
