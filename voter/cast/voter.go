package cast

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/credential"
)

// ErrNotEligible: the key a code gives is not on the election's credential
// list. The checksum has already caught typing mistakes, so the code is
// someone else's, for another election, or not a code at all.
var ErrNotEligible = errors.New("this credential is not on the election's list of voters: the code is for another election, or it is not a credential code")

// Voter is a voter's credential in one election: the signing key that the
// code gives and the ballot style the credential list assigns.
type Voter struct {
	// Public is the credential's public key, as the credential list has it.
	Public ed25519.PublicKey
	// Style is the voter's ballot style (an index into Manifest.Styles, 0
	// when the election has none).
	Style uint16

	key ed25519.PrivateKey
}

// ParseCode reads a credential code as a voter typed or a scanner read it
// (credential.Parse: case, spaces and dashes do not matter), with an error
// that says what to fix.
func ParseCode(s string) (credential.Code, error) {
	c, err := credential.Parse(s)
	if err != nil {
		return credential.Code{}, fmt.Errorf("credential code: %w", err)
	}
	return c, nil
}

// Voter derives the signing key that code gives in this election and checks
// that it is on the credential list.
func (e *Election) Voter(code credential.Code) (*Voter, error) {
	return e.VoterFromKey(code.Key(e.ID))
}

// VoterFromKey is Voter for a credential key derived elsewhere. The Voter
// keeps key and clears it on Forget.
func (e *Election) VoterFromKey(key ed25519.PrivateKey) (*Voter, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("credential key: %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	pub := key.Public().(ed25519.PublicKey)
	style, ok := e.CredentialStyle(pub)
	if !ok {
		return nil, ErrNotEligible
	}
	return &Voter{Public: pub, Style: style, key: key}, nil
}

// Forget overwrites the credential's signing key. The Voter cannot sign
// after it.
func (v *Voter) Forget() {
	clear(v.key)
	v.key = nil
}

// NextCounter returns the revote counter for the voter's next ballot: one
// more than the highest counter of the credential's ballots on the board,
// 0 for its first (docs/SPEC.md §7.7). A spoiled ballot was never cast and
// does not count. The first node that answers says which ballot counts for
// the credential now (GET …/credentials/{key}/ballot), so nothing else of
// the election is read; a ballot cast moments ago on another node may not
// have reached it, and then the new ballot ties with it and the last-ballot
// rule keeps one of the two by id.
func (e *Election) NextCounter(ctx context.Context, v *Voter) (uint32, error) {
	st, err := e.board.CountedBallot(ctx, e.ID, v.Public)
	var ce *client.Error
	switch {
	case errors.As(err, &ce) && ce.Status == http.StatusNotFound:
		return 0, nil // no ballot yet
	case err != nil:
		return 0, fmt.Errorf("reading the credential's counted ballot: %w", boardError(err))
	}
	entry, err := election.DecodeEntry(st.Bytes)
	if err != nil {
		return 0, fmt.Errorf("ballot %s: %w", short(st.ID), err)
	}
	// The counter leads the payload (u32, docs/SPEC.md): reading it needs
	// none of the ballot's points decoded.
	if l := e.Layout(); len(entry.Payload) != l.Size() {
		return 0, fmt.Errorf("ballot %s: %d bytes, want %d", short(st.ID), len(entry.Payload), l.Size())
	}
	counter := binary.BigEndian.Uint32(entry.Payload)
	if counter == ^uint32(0) {
		return 0, fmt.Errorf("ballot %s: the credential's revote counter is exhausted", short(st.ID))
	}
	return counter + 1, nil
}
