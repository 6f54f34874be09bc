package cast

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/election"
)

// Errors a voter is shown in plain words; callers test for them with
// errors.Is.
var (
	// ErrUnknownElection: no node the device asked serves the election.
	ErrUnknownElection = errors.New("no board node knows this election: check the election id")
	// ErrNotOpen: the board holds no open entry yet, so there is no
	// election key to encrypt under.
	ErrNotOpen = errors.New("the election is not open yet: the trustees' key ceremony has not finished")
	// ErrClosed: the commission has closed voting.
	ErrClosed = errors.New("voting has closed in this election")
)

// Election is one election as a voter's device knows it: the manifest and
// the joint election key, both checked against the election id, and a client
// of the board. It is safe for concurrent use.
type Election struct {
	// ID is the election id: the hash of the manifest entry.
	ID election.ID
	// Manifest is the commission's signed election definition.
	Manifest *election.Manifest
	// Key is the joint election key, as the key ceremony on the record
	// gives it.
	Key *group.Point

	board    *client.Client
	pk       *elgamal.PublicKey
	verifier *election.BallotVerifier
	// setup is the record replayed up to the open entry. It is only read
	// after Fetch (the credential list), so concurrent use is safe.
	setup *election.Record
	// closed is what the board said when Fetch ran; Cast learns of a later
	// close from the node's refusal.
	closed bool
}

// Fetch reads election id from the board and checks it: the manifest entry
// must hash to id and pass the record's manifest checks, and every setup
// entry up to the open entry (the credential list and the key ceremony) is
// replayed through election.Record, so that the election key is the one the
// ceremony gives and the eligibility list is the commission's. It fails with
// ErrUnknownElection, or ErrNotOpen before the open entry; a closed election
// is fetched (to audit and check ballots) and Closed reports it.
func Fetch(ctx context.Context, board *client.Client, id election.ID) (*Election, error) {
	st, err := board.Entry(ctx, id, id)
	if err != nil {
		if isNotFound(err) {
			return nil, fmt.Errorf("election %s: %w", short(id), ErrUnknownElection)
		}
		return nil, fmt.Errorf("election %s: fetching the manifest: %w", short(id), boardError(err))
	}
	me, err := election.DecodeEntry(st.Bytes)
	if err != nil {
		return nil, fmt.Errorf("election %s: manifest entry: %w", short(id), err)
	}
	rec, err := election.NewRecord(me)
	if err != nil {
		return nil, fmt.Errorf("election %s: manifest entry: %w", short(id), err)
	}
	if err := replaySetup(ctx, board, rec); err != nil {
		return nil, fmt.Errorf("election %s: %w", short(id), err)
	}
	v, err := election.NewBallotVerifier(rec.Manifest(), id, rec.Key())
	if err != nil {
		return nil, fmt.Errorf("election %s: %w", short(id), err)
	}
	closed, err := hasClose(ctx, board, id, rec.Manifest().Commission)
	if err != nil {
		return nil, fmt.Errorf("election %s: %w", short(id), err)
	}
	return &Election{
		ID:       id,
		Manifest: rec.Manifest(),
		Key:      rec.Key(),
		board:    board,
		pk:       elgamal.NewPublicKey(rec.Key()),
		verifier: v,
		setup:    rec,
		closed:   closed,
	}, nil
}

// replaySetup applies one node's log to rec, in log order, up to and
// including the open entry. A node's log is in the order its record accepted
// the entries, so it replays without error; an entry that fails is the node's
// fault, and the device refuses to go on with a key it cannot check.
func replaySetup(ctx context.Context, board *client.Client, rec *election.Record) error {
	for st, err := range board.All(ctx, rec.ID(), 0) {
		if err != nil {
			return fmt.Errorf("reading the key ceremony: %w", boardError(err))
		}
		if st.Type == election.TypeManifest {
			continue
		}
		if _, err := rec.ApplyBytes(st.Bytes); err != nil {
			return fmt.Errorf("the board's %s entry %s (log index %d) does not replay: %w", st.Type, short(st.ID), st.Index, err)
		}
		if st.Type == election.TypeOpen {
			return nil
		}
	}
	return ErrNotOpen
}

// hasClose reports whether the board holds the commission's close entry.
// Its author is checked: a node cannot make a voter give up by showing a
// close entry that the commission did not sign.
func hasClose(ctx context.Context, board *client.Client, id election.ID, commission ed25519.PublicKey) (bool, error) {
	page, err := board.Entries(ctx, id, election.TypeClose, 0, 1)
	if err != nil {
		return false, fmt.Errorf("asking whether voting has closed: %w", boardError(err))
	}
	for _, st := range page.Entries {
		e, err := election.DecodeEntry(st.Bytes)
		if err != nil {
			return false, fmt.Errorf("close entry %s: %w", short(st.ID), err)
		}
		if !e.Author.Equal(commission) {
			return false, fmt.Errorf("close entry %s: not signed by the commission", short(st.ID))
		}
		if err := e.VerifySignature(); err != nil {
			return false, fmt.Errorf("close entry %s: %w", short(st.ID), err)
		}
		return true, nil
	}
	return false, nil
}

// Closed reports whether voting had closed when the election was fetched.
func (e *Election) Closed() bool { return e.closed }

// Board returns the client the election was fetched with.
func (e *Election) Board() *client.Client { return e.board }

// CredentialStyle implements election.Eligibility: whether key is on the
// election's public credential list, and its ballot style.
func (e *Election) CredentialStyle(key ed25519.PublicKey) (uint16, bool) {
	return e.setup.Eligible(key)
}

// Layout returns the election's ballot layout.
func (e *Election) Layout() *election.BallotLayout { return e.verifier.Layout() }
