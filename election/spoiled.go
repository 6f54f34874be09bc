package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// ErrOpening is wrapped when a spoiled ballot's opening does not open its
// ciphertexts to a 0 or a 1.
var ErrOpening = errors.New("opening does not match the ballot")

// SpoiledBallot is the payload of a spoiled entry: a ballot that its voter
// challenged instead of casting (a Benaloh challenge), with the randomness
// of every ciphertext, so that anyone can check what it encrypted. A spoiled
// ballot never counts.
//
// Encoding, exactly BallotLayout.SpoiledSize bytes:
//
//	the ballot's payload (BallotLayout.Size bytes) ‖ for each contest of the
//	style, in manifest order, for each option: its 32-byte randomness r ‖
//	zero bytes up to the size
type SpoiledBallot struct {
	Ballot  *Ballot
	Opening *BallotOpening
}

// Bytes returns the canonical encoding. Precondition: s fits l.
func (s *SpoiledBallot) Bytes(l *BallotLayout) []byte {
	out := s.Ballot.Bytes(l)
	for _, c := range s.Opening.Contests {
		for _, r := range c.Randomness {
			out = append(out, r.Bytes()...)
		}
	}
	return append(out, make([]byte, l.SpoiledSize()-len(out))...)
}

// DecodeSpoiled parses a spoiled payload strictly: exactly l.SpoiledSize()
// bytes, the ballot as DecodeBallot, every scalar canonical, the padding
// zero. It does not check the opening; see OpenSpoiled.
func DecodeSpoiled(l *BallotLayout, payload []byte) (*SpoiledBallot, error) {
	if len(payload) != l.SpoiledSize() {
		return nil, fmt.Errorf("%w: spoiled payload: %d bytes, every spoiled ballot of this election has %d", ErrEncoding, len(payload), l.SpoiledSize())
	}
	b, err := DecodeBallot(l, payload[:l.size])
	if err != nil {
		return nil, fmt.Errorf("spoiled: %w", err)
	}
	o, err := decodeOpening(l, b, payload[l.size:])
	if err != nil {
		return nil, err
	}
	return &SpoiledBallot{Ballot: b, Opening: o}, nil
}

// decodeOpening parses the opening part of a spoiled payload for ballot b.
func decodeOpening(l *BallotLayout, b *Ballot, rest []byte) (*BallotOpening, error) {
	st := &l.styles[b.Style]
	o := &BallotOpening{Style: b.Style, Contests: make([]*contest.Opening, len(st.contests))}
	off := 0
	for i, p := range st.contests {
		o.Contests[i] = &contest.Opening{Randomness: make([]*group.Scalar, l.specs[p].Options)}
		for j := range o.Contests[i].Randomness {
			r, err := group.DecodeScalar(rest[off : off+group.ScalarSize])
			if err != nil {
				return nil, fmt.Errorf("%w: spoiled payload: contest %s: option %d: randomness: %w", ErrEncoding, l.ids[p], j, err)
			}
			o.Contests[i].Randomness[j] = r
			off += group.ScalarSize
		}
	}
	if err := checkPadding(rest[off:]); err != nil {
		return nil, fmt.Errorf("%w: spoiled payload: %w", ErrEncoding, err)
	}
	return o, nil
}

// NewSpoiled turns a ballot that the voter challenges into a signed spoiled
// entry that reveals its opening. ballot and opening are what NewBallot
// returned; cred is the credential that signed the ballot. After spoiling,
// the voter's device encrypts the selections again, with fresh randomness,
// and casts that ballot; the spoiled one must never be cast.
func NewSpoiled(m *Manifest, ballot *Entry, opening *BallotOpening, cred ed25519.PrivateKey) (*Entry, error) {
	if len(cred) != ed25519.PrivateKeySize || !bytes.Equal(cred.Public().(ed25519.PublicKey), ballot.Author) {
		return nil, fmt.Errorf("spoiled: the credential is not the ballot's author")
	}
	if ballot.Type != TypeBallot {
		return nil, fmt.Errorf("spoiled: a %s entry, want a ballot", ballot.Type)
	}
	l, err := NewBallotLayout(m)
	if err != nil {
		return nil, err
	}
	b, err := DecodeBallot(l, ballot.Payload)
	if err != nil {
		return nil, fmt.Errorf("spoiled: %w", err)
	}
	if err := checkOpeningShape(l, b, opening); err != nil {
		return nil, fmt.Errorf("spoiled: %w", err)
	}
	s := &SpoiledBallot{Ballot: b, Opening: opening}
	e := &Entry{Version: ProtocolVersion, Type: TypeSpoiled, Election: ballot.Election, Payload: s.Bytes(l)}
	e.Sign(cred)
	return e, nil
}

func checkOpeningShape(l *BallotLayout, b *Ballot, o *BallotOpening) error {
	if o == nil || o.Style != b.Style {
		return fmt.Errorf("%w: opening is not for style %d", ErrOpening, b.Style)
	}
	st := &l.styles[b.Style]
	if len(o.Contests) != len(st.contests) {
		return fmt.Errorf("%w: %d contests, want %d", ErrOpening, len(o.Contests), len(st.contests))
	}
	for i, p := range st.contests {
		if o.Contests[i] == nil || len(o.Contests[i].Randomness) != l.specs[p].Options {
			return fmt.Errorf("%w: contest %s: wrong number of options", ErrOpening, l.ids[p])
		}
		for j, r := range o.Contests[i].Randomness {
			if r == nil {
				return fmt.Errorf("%w: contest %s: option %d: no randomness", ErrOpening, l.ids[p], j)
			}
		}
	}
	return nil
}

// OpenSpoiled checks that s's opening opens every ciphertext of its ballot
// under the election key K, and returns the selections they encrypt: per
// contest of the style, in manifest order, per option 0 or 1. Each option's
// (A, B) must equal (r·G, m·G + r·K) for its revealed r and m = 0 or m = 1.
// An error names the contest by its place on the style's ballot (0 first);
// CheckSpoiled names it by id. Precondition: s came from DecodeSpoiled (or
// has the same shape).
func OpenSpoiled(K *group.Point, s *SpoiledBallot) ([][]uint64, error) {
	return openSpoiled(K, s, nil)
}

// openSpoiled is OpenSpoiled with the ids of the style's contests, when
// known, for the errors.
func openSpoiled(K *group.Point, s *SpoiledBallot, ids []string) ([][]uint64, error) {
	if len(s.Opening.Contests) != len(s.Ballot.Contests) {
		return nil, fmt.Errorf("%w: %d contests opened, the ballot has %d", ErrOpening, len(s.Opening.Contests), len(s.Ballot.Contests))
	}
	name := func(i int) string {
		if i < len(ids) {
			return ids[i]
		}
		return strconv.Itoa(i)
	}
	G := group.Generator()
	out := make([][]uint64, len(s.Ballot.Contests))
	for i, c := range s.Ballot.Contests {
		rs := s.Opening.Contests[i].Randomness
		if len(rs) != len(c.Options) {
			return nil, fmt.Errorf("%w: contest %s: %d options opened, it has %d", ErrOpening, name(i), len(rs), len(c.Options))
		}
		out[i] = make([]uint64, len(c.Options))
		for j, o := range c.Options {
			// The randomness is public now: nothing here is secret.
			if !new(group.Point).ScalarBaseMult(rs[j]).Equal(o.Ciphertext.A) {
				return nil, fmt.Errorf("%w: contest %s: option %d: A ≠ r·G", ErrOpening, name(i), j)
			}
			rK := new(group.Point).ScalarMult(rs[j], K)
			switch {
			case rK.Equal(o.Ciphertext.B):
				out[i][j] = 0
			case rK.Add(rK, G).Equal(o.Ciphertext.B):
				out[i][j] = 1
			default:
				return nil, fmt.Errorf("%w: contest %s: option %d: B is neither r·K nor G + r·K", ErrOpening, name(i), j)
			}
		}
	}
	return out, nil
}

// styleIDs returns the ids of the contests of style, in manifest order.
func (l *BallotLayout) styleIDs(style uint16) []string {
	var ids []string
	for _, p := range l.styles[style].contests {
		ids = append(ids, l.ids[p])
	}
	return ids
}

// CheckSpoiled runs every check of a spoiled entry and returns it with the
// selections it encrypted: CheckBallot's checks 1–6 on the ballot it holds
// (for a spoiled entry instead of a ballot), then OpenSpoiled. A voter's
// second device runs it to see that the ballot encrypted the voter's
// choices; the board runs it so that only openable challenges are posted.
func (v *BallotVerifier) CheckSpoiled(e *Entry, elig Eligibility) (*SpoiledBallot, [][]uint64, error) {
	if len(e.Payload) != v.layout.SpoiledSize() {
		return nil, nil, entryError(e, fmt.Errorf("%w: spoiled payload: %d bytes, want %d", ErrEncoding, len(e.Payload), v.layout.SpoiledSize()))
	}
	b, claims, err := v.prepare(e, TypeSpoiled, e.Payload[:v.layout.size], elig)
	if err != nil {
		return nil, nil, err
	}
	if err := proof.VerifyAll(claims...); err != nil {
		return nil, nil, entryError(e, fmt.Errorf("proofs: %w", err))
	}
	o, err := decodeOpening(v.layout, b, e.Payload[v.layout.size:])
	if err != nil {
		return nil, nil, entryError(e, err)
	}
	s := &SpoiledBallot{Ballot: b, Opening: o}
	sel, err := openSpoiled(v.key, s, v.layout.styleIDs(b.Style))
	if err != nil {
		return nil, nil, entryError(e, err)
	}
	return s, sel, nil
}
