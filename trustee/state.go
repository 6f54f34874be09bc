package trustee

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha3"
	"encoding/binary"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/election/wire"
)

// SeedSize is the length of the secret a trustee's polynomial is drawn from.
const SeedSize = 32

// State is what a trustee keeps between runs for one election. Seed and
// Share are secret; the entries are public, kept so that a trustee that
// stops after making an entry and before the board acknowledged it posts
// the same entry again on restart rather than a second, different one
// (a dealing's share encryption and a partial's proofs are randomised, and
// the record accepts one of each per trustee).
type State struct {
	Election election.ID
	Trustee  int // 1-based index in the manifest
	// Seed derives the trustee's secret polynomial (polynomialRand), so
	// the polynomial itself is never stored.
	Seed [SeedSize]byte
	// Dealing is the signed dealing entry, once made.
	Dealing []byte
	// Share is the trustee's share s_j of the joint secret, once the
	// election is open; nil before.
	Share *group.Scalar
	// Partial is the signed partial decryption entry, once made.
	Partial []byte
}

// NewState returns the state of trustee for election, with a fresh seed.
func NewState(el election.ID, trustee int) (*State, error) {
	st := &State{Election: el, Trustee: trustee}
	if _, err := rand.Read(st.Seed[:]); err != nil {
		return nil, err
	}
	return st, nil
}

// polynomialRand returns the deterministic stream that the trustee's
// dealing draws its polynomial and proof nonces from:
// SHAKE256("evote/trustee/polynomial/v1" ‖ election ‖ u16 trustee ‖ seed).
// The same state therefore always gives the same polynomial and the same
// commitments, whatever crashed in between.
func (st *State) polynomialRand() io.Reader {
	h := sha3.NewSHAKE256()
	h.Write([]byte("evote/trustee/polynomial/v1"))
	h.Write(st.Election[:])
	h.Write(binary.BigEndian.AppendUint16(nil, uint16(st.Trustee)))
	h.Write(st.Seed[:])
	return h
}

// encodeState is the plaintext of a state file:
//
//	32 election ‖ u16 trustee ‖ 32 seed ‖ bytes dealing ‖ bool has-share ‖ [32 share] ‖ bytes partial
//
// with bytes a u32 length and the bytes.
func encodeState(st *State) []byte {
	var w wire.Writer
	w.Fixed(st.Election[:])
	w.U16(uint16(st.Trustee))
	w.Fixed(st.Seed[:])
	w.Bytes32(st.Dealing)
	w.Bool(st.Share != nil)
	if st.Share != nil {
		w.Fixed(st.Share.Bytes())
	}
	w.Bytes32(st.Partial)
	return w.Bytes()
}

// decodeState parses encodeState's output strictly.
func decodeState(b []byte) (*State, error) {
	r := wire.NewReader(b)
	st := &State{}
	copy(st.Election[:], r.Fixed("election", election.IDSize))
	st.Trustee = int(r.U16("trustee"))
	copy(st.Seed[:], r.Fixed("seed", SeedSize))
	st.Dealing = r.Bytes32("dealing", election.MaxEntrySize)
	hasShare := r.Bool("has share")
	var share []byte
	if hasShare {
		share = r.Fixed("share", group.ScalarSize)
	}
	st.Partial = r.Bytes32("partial", election.MaxEntrySize)
	if err := r.Finish(); err != nil {
		return nil, err
	}
	if hasShare {
		s, err := group.DecodeScalar(share)
		clear(share)
		if err != nil {
			return nil, fmt.Errorf("share: %w", err)
		}
		st.Share = s
	}
	if len(st.Dealing) == 0 {
		st.Dealing = nil
	}
	if len(st.Partial) == 0 {
		st.Partial = nil
	}
	return st, nil
}

// MakeDealing makes the dealing of the trustee whose signing key is sign
// from the state's seed: the same state always gives the same polynomial
// and commitments (the share encryption is randomised, so the entry's bytes
// differ each time). Callers post only the dealing kept in Dealing.
func (st *State) MakeDealing(m *election.Manifest, sign ed25519.PrivateKey) (*election.Entry, *threshold.Polynomial, error) {
	return election.NewDealing(m, st.Election, sign, st.polynomialRand())
}
