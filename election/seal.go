package election

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election/wire"
)

// SealSize is the length of a seal payload.
const SealSize = 8 + sha256.Size + 8 + sha256.Size

// ballotSetDomain prefixes the ballot set hash.
const ballotSetDomain = "evote/ballot-set/v1"

// Seal is the payload of a board node's seal entry: the final ballot set as
// the node holds it after close and sync, and the checkpoint of its log at
// which it sealed.
//
// Encoding: u64 count ‖ 32 ballots ‖ u64 tree size ‖ 32 root hash
// (SealSize bytes), with ballots = BallotSetHash of the node's ballot
// entry ids.
type Seal struct {
	Count    uint64
	Ballots  [sha256.Size]byte
	TreeSize uint64
	Root     [sha256.Size]byte
}

// Bytes returns the canonical encoding.
func (s *Seal) Bytes() []byte {
	w := &wire.Writer{}
	w.U64(s.Count)
	w.Fixed(s.Ballots[:])
	w.U64(s.TreeSize)
	w.Fixed(s.Root[:])
	return w.Bytes()
}

// DecodeSeal parses a seal payload strictly.
func DecodeSeal(b []byte) (*Seal, error) {
	r := wire.NewReader(b)
	s := &Seal{Count: r.U64("count")}
	copy(s.Ballots[:], r.Fixed("ballots", sha256.Size))
	s.TreeSize = r.U64("tree size")
	copy(s.Root[:], r.Fixed("root", sha256.Size))
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	return s, nil
}

// sameSet reports whether two seals name the same ballot set.
func (s *Seal) sameSet(t *Seal) bool { return s.Count == t.Count && s.Ballots == t.Ballots }

// BallotSetHash returns the hash that names a set of ballot entries:
//
//	SHA-256("evote/ballot-set/v1" ‖ u64be(n) ‖ id_1 ‖ … ‖ id_n)
//
// with the n ids sorted in increasing byte order, so that every node that
// holds the same set gives the same hash whatever order they arrived in.
// Precondition: ids has no repeats.
func BallotSetHash(ids []ID) [sha256.Size]byte {
	sorted := slices.Clone(ids)
	slices.SortFunc(sorted, func(a, b ID) int { return bytes.Compare(a[:], b[:]) })
	h := sha256.New()
	h.Write([]byte(ballotSetDomain))
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(sorted))))
	for _, id := range sorted {
		h.Write(id[:])
	}
	var out [sha256.Size]byte
	h.Sum(out[:0])
	return out
}

// NewSeal returns the seal of the record's current ballot set at the given
// checkpoint of the node's log.
func (r *Record) NewSeal(treeSize uint64, root [sha256.Size]byte) *Seal {
	return &Seal{Count: uint64(len(r.ballots)), Ballots: BallotSetHash(r.ballots), TreeSize: treeSize, Root: root}
}

// checkSeal is the payload rule of a seal entry (checks 42 and 43). Seals
// that disagree with the quorum are kept: they are evidence against their
// node.
func checkSeal(r *Record, in *incoming) (func(), error) {
	s, err := DecodeSeal(in.e.Payload)
	if err != nil {
		return nil, checkError(CheckSealEncoding, err)
	}
	if _, ok := r.seals[in.node]; ok {
		return nil, failf(CheckSealOnce, "node %d (%s) has already sealed", in.node, r.manifest.Nodes[in.node].Name)
	}
	return func() { r.seals[in.node] = s }, nil
}

// quorumSet returns the ballot set that at least SealQuorum seals name, as
// the seal of the lowest-numbered node that names it, or nil. Since the
// quorum is more than two thirds of the nodes, at most one set has a
// quorum.
func (r *Record) quorumSet() *Seal {
	for _, n := range slices.Sorted(maps.Keys(r.seals)) {
		s := r.seals[n]
		n := 0
		for _, t := range r.seals {
			if s.sameSet(t) {
				n++
			}
		}
		if n >= int(r.manifest.SealQuorum) {
			return s
		}
	}
	return nil
}

// checkQuorumSet makes check 44 for a set that a quorum has sealed: the
// record holds exactly that ballot set. A record that lacks ballots of the
// set fails with ErrTooEarly (it may yet receive them).
func (r *Record) checkQuorumSet(q *Seal) error {
	if q.Count != uint64(len(r.ballots)) || q.Ballots != BallotSetHash(r.ballots) {
		err := fmt.Errorf("a quorum of %d seals names a set of %d ballots (%x), the record holds %d (%x)",
			r.manifest.SealQuorum, q.Count, q.Ballots[:6], len(r.ballots), BallotSetHash(r.ballots))
		if q.Count > uint64(len(r.ballots)) {
			err = fmt.Errorf("%w: %w", ErrTooEarly, err)
		}
		return err
	}
	return nil
}

// advance moves a closed record to decryption once a quorum of seals agrees
// on the record's own ballot set, and sums the counted ballots.
func (r *Record) advance() {
	if r.phase != PhaseClosed || r.sealed != nil {
		return
	}
	q := r.quorumSet()
	if q == nil || r.checkQuorumSet(q) != nil {
		return
	}
	if r.stream != nil {
		if r.stream.err != nil {
			return // fetch failed once; decryption entries say why (check 44)
		}
		agg, err := r.streamedAggregates()
		if err != nil {
			r.stream.err = err
			return
		}
		r.aggregates = agg
	} else {
		r.aggregates = r.aggregate()
	}
	r.sealed = q
	r.phase = PhaseDecryption
}

// aggregate sums, per contest and option, the ciphertexts of every
// credential's counted ballot.
func (r *Record) aggregate() [][]*elgamal.Ciphertext {
	agg := make([][]*elgamal.Ciphertext, len(r.manifest.Contests))
	for c, ct := range r.manifest.Contests {
		agg[c] = make([]*elgamal.Ciphertext, len(ct.Options))
		for o := range agg[c] {
			agg[c][o] = elgamal.Zero()
		}
	}
	// In credential order, so that every replica computes the sums the
	// same way, down to the representation of the points.
	for _, k := range slices.SortedFunc(maps.Keys(r.last), func(a, b [ed25519.PublicKeySize]byte) int { return bytes.Compare(a[:], b[:]) }) {
		for c, opts := range r.last[k].ciphertexts {
			for o, ct := range opts {
				agg[c][o] = elgamal.Add(agg[c][o], ct)
			}
		}
	}
	return agg
}

// Sealed returns the ballot set that a quorum of nodes sealed and that the
// record holds, or nil before then: the seal of the lowest-numbered node of
// the quorum (the nodes' checkpoints differ; Count and Ballots do not).
func (r *Record) Sealed() *Seal { return r.sealed }

// Aggregates returns, per manifest contest and option, the sum of the
// counted ballots' ciphertexts, or nil before the seal quorum. Callers must
// not modify it.
func (r *Record) Aggregates() [][]*elgamal.Ciphertext { return r.aggregates }
