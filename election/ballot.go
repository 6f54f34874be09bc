package election

import (
	"crypto/ed25519"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election/wire"
)

// Ballot is the payload of a ballot entry: a voter's encrypted selections in
// every contest of its style, signed (in the entry) by the voter's credential.
//
// Encoding, exactly BallotLayout.Size bytes:
//
//	u32 counter ‖ u16 style ‖ for each contest of the style, in manifest
//	order, its encrypted contest (docs/SPEC.md §4) ‖ zero bytes up to the size
//
// so that every ballot of an election has the same length, whatever its style.
type Ballot struct {
	// Counter numbers the credential's ballots, from 0; of a credential's
	// ballots the one with the highest counter counts (LastBallots).
	Counter uint32
	// Style is the ballot style, which must be the credential's.
	Style uint16
	// Contests holds one encrypted contest per contest of the style, in
	// manifest order.
	Contests []*contest.Encrypted
}

// BallotOpening is the secret that opens a ballot: per contest of its style
// the randomness of every option. The voter's device keeps it to spoil the
// ballot (NewSpoiled) and otherwise forgets it.
type BallotOpening struct {
	Style    uint16
	Contests []*contest.Opening
}

// Bytes returns the canonical encoding. Precondition: b fits l (it was made
// by NewBallot or DecodeBallot with the same layout).
func (b *Ballot) Bytes(l *BallotLayout) []byte {
	w := &wire.Writer{}
	w.U32(b.Counter)
	w.U16(b.Style)
	for _, c := range b.Contests {
		w.Fixed(c.Bytes())
	}
	w.Fixed(make([]byte, l.size-len(w.Bytes())))
	return w.Bytes()
}

// DecodeBallot parses a ballot payload strictly: exactly l.Size() bytes, a
// known style, every contest of the style canonical (contest.Decode), and
// padding that is all zero. It checks no proof; see BallotVerifier.
func DecodeBallot(l *BallotLayout, payload []byte) (*Ballot, error) {
	if len(payload) != l.size {
		return nil, fmt.Errorf("%w: ballot payload: %d bytes, every ballot of this election has %d", ErrEncoding, len(payload), l.size)
	}
	r := wire.NewReader(payload)
	b := &Ballot{Counter: r.U32("counter"), Style: r.U16("style")}
	st, err := l.style(b.Style)
	if err != nil {
		return nil, fmt.Errorf("%w: ballot payload: %w", ErrEncoding, err)
	}
	b.Contests = make([]*contest.Encrypted, len(st.contests))
	for i, p := range st.contests {
		spec := l.specs[p]
		b.Contests[i], err = contest.Decode(r.Fixed("contest "+l.ids[p], spec.Size()), spec)
		if err != nil {
			return nil, fmt.Errorf("%w: ballot payload: contest %s: %w", ErrEncoding, l.ids[p], err)
		}
	}
	if err := checkPadding(r.Fixed("padding", l.size-st.size)); err != nil {
		return nil, fmt.Errorf("%w: ballot payload: %w", ErrEncoding, err)
	}
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("%w: ballot payload: %w", ErrEncoding, err)
	}
	return b, nil
}

// checkPadding requires every byte of pad to be zero, so that a ballot has
// one encoding.
func checkPadding(pad []byte) error {
	for i, c := range pad {
		if c != 0 {
			return fmt.Errorf("padding byte %d is %#02x, want 0", i, c)
		}
	}
	return nil
}

// ballotBinding binds the proofs of the contest at manifest position p to
// the election and the credential. The position is the contest's place in
// the manifest, not on the style's ballot, so that the same contest has the
// same binding on every style.
func ballotBinding(election ID, credential ed25519.PublicKey, p int) contest.Binding {
	return contest.Binding{Election: election[:], Credential: credential, Contest: uint32(p)}
}

// NewBallot encrypts a voter's selections and returns the signed ballot entry
// and its opening. selections holds, per contest of the style in manifest
// order, one 0 or 1 per option. pk is the joint election key; cred the
// voter's credential key; counter the credential's revote counter (0 for
// its first ballot, one more for each later one). Randomness comes from
// rand (crypto/rand when nil); the same rand gives the same ballot.
//
// It fails, naming the contest, for an unknown style, a wrong number of
// contests or options, a selection other than 0 or 1, or a number of
// selections outside the contest's limits.
func NewBallot(m *Manifest, electionID ID, pk *elgamal.PublicKey, cred ed25519.PrivateKey, style uint16, counter uint32, selections [][]uint64, rand io.Reader) (*Entry, *BallotOpening, error) {
	if len(cred) != ed25519.PrivateKeySize {
		return nil, nil, fmt.Errorf("ballot: credential key: %d bytes, want %d", len(cred), ed25519.PrivateKeySize)
	}
	if pk == nil || pk.K == nil || pk.K.IsIdentity() {
		return nil, nil, fmt.Errorf("ballot: no election key")
	}
	l, err := NewBallotLayout(m)
	if err != nil {
		return nil, nil, err
	}
	st, err := l.style(style)
	if err != nil {
		return nil, nil, fmt.Errorf("ballot: %w", err)
	}
	if len(selections) != len(st.contests) {
		return nil, nil, fmt.Errorf("ballot: %w: %d contests of selections, style %d has %d",
			contest.ErrSelections, len(selections), style, len(st.contests))
	}
	credPub := cred.Public().(ed25519.PublicKey)
	b := &Ballot{Counter: counter, Style: style, Contests: make([]*contest.Encrypted, len(st.contests))}
	o := &BallotOpening{Style: style, Contests: make([]*contest.Opening, len(st.contests))}
	for i, p := range st.contests {
		b.Contests[i], o.Contests[i], err = contest.Encrypt(ballotBinding(electionID, credPub, p), l.specs[p], pk, selections[i], rand)
		if err != nil {
			return nil, nil, fmt.Errorf("ballot: contest %s: %w", l.ids[p], err)
		}
	}
	e := &Entry{Version: ProtocolVersion, Type: TypeBallot, Election: electionID, Payload: b.Bytes(l)}
	e.Sign(cred)
	return e, o, nil
}

// BallotTracker returns the tracker a voter is shown for a ballot: its entry
// id, SHA-256 of the entry's canonical bytes. The id covers the signature,
// which Ed25519 makes deterministic and non-malleable, so the voter's device
// knows the tracker before it submits, the board cannot change it, and the
// voter finds the ballot on the board by it.
func BallotTracker(e *Entry) ID { return e.ID() }
