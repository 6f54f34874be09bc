package election

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// A spoiled ballot opens to exactly the selections it encrypted, for every
// style, and round-trips.
func TestSpoiledOpensToSelections(t *testing.T) {
	f := newBallotFixture(t)
	l := f.v.Layout()
	for i, vt := range f.voters {
		e, o := f.ballot(t, i, 2, "spoil")
		s, err := NewSpoiled(f.m, e, o, vt.key)
		if err != nil {
			t.Fatal(err)
		}
		if s.Type != TypeSpoiled || len(s.Payload) != l.SpoiledSize() {
			t.Fatalf("voter %d: type %s, %d bytes, want spoiled of %d", i, s.Type, len(s.Payload), l.SpoiledSize())
		}
		if !bytes.Equal(s.Payload[:l.Size()], e.Payload) {
			t.Errorf("voter %d: spoiled entry does not hold the ballot", i)
		}
		dec, err := DecodeSpoiled(l, s.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(dec.Bytes(l), s.Payload) {
			t.Errorf("voter %d: re-encoding differs", i)
		}
		_, sel, err := f.v.CheckSpoiled(s, f.elig)
		if err != nil {
			t.Fatalf("voter %d: valid spoiled ballot rejected: %v", i, err)
		}
		if want := selectionsFor(vt.style, i); !reflect.DeepEqual(sel, want) {
			t.Errorf("voter %d: opened %v, want %v", i, sel, want)
		}
		if dec.Ballot.Counter != 2 {
			t.Errorf("voter %d: counter %d, want 2", i, dec.Ballot.Counter)
		}
	}
}

func TestSpoiledWrongOpeningRejected(t *testing.T) {
	f := newBallotFixture(t)
	l := f.v.Layout()
	key := f.voters[1].key // style 1, so the opening is padded
	e, o := f.ballot(t, 1, 0, "wrong-opening")
	s, err := NewSpoiled(f.m, e, o, key)
	if err != nil {
		t.Fatal(err)
	}
	r0 := l.Size() // the first randomness: contest mayor, option 0
	edit := func(fn func(p []byte)) []byte { p := bytes.Clone(s.Payload); fn(p); return p }
	other := randomScalar(t).Bytes()
	cases := []struct {
		name    string
		payload []byte
		want    error
		msg     string
	}{
		{"another randomness", edit(func(p []byte) { copy(p[r0:], other) }), ErrOpening, "contest mayor: option 0: A ≠ r·G"},
		{"two options' randomness swapped", edit(func(p []byte) {
			copy(p[r0:r0+32], s.Payload[r0+32:r0+64])
			copy(p[r0+32:r0+64], s.Payload[r0:r0+32])
		}), ErrOpening, "option 0"},
		{"randomness not canonical", edit(func(p []byte) { setAboveOrder(p[r0 : r0+32]) }), ErrEncoding, "randomness"},
		{"padding not zero", edit(func(p []byte) { p[len(p)-1] = 1 }), ErrEncoding, "padding"},
		{"short", s.Payload[:len(s.Payload)-1], ErrEncoding, "bytes"},
		{"trailing", append(bytes.Clone(s.Payload), 0), ErrEncoding, "bytes"},
		{"ballot part corrupted", edit(func(p []byte) { p[6+64+64] ^= 1 }), proof.ErrChallenge, ""},
	}
	for _, tc := range cases {
		_, _, err := f.v.CheckSpoiled(resign(s, tc.payload, key), f.elig)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %v containing %q", tc.name, err, tc.want, tc.msg)
		}
	}
	// B that is neither r·K nor G + r·K: the encryption of 2 under the same r,
	// checked by OpenSpoiled directly (no proof would pass for it).
	dec, err := DecodeSpoiled(l, s.Payload)
	if err != nil {
		t.Fatal(err)
	}
	_, pk := testElectionKey(t)
	dec.Ballot.Contests[0].Options[1].Ciphertext = pk.Encrypt(group.ScalarFromUint64(2), dec.Opening.Contests[0].Randomness[1])
	if _, err := OpenSpoiled(pk.K, dec); !errors.Is(err, ErrOpening) || !strings.Contains(err.Error(), "neither") {
		t.Errorf("encryption of 2: got %v, want ErrOpening", err)
	}
	// Opened under another election key, nothing matches.
	_, K2, _ := newKeyPair(t)
	if _, err := OpenSpoiled(K2, dec); !errors.Is(err, ErrOpening) {
		t.Errorf("other key: got %v, want ErrOpening", err)
	}
}

func TestNewSpoiledRejects(t *testing.T) {
	f := newBallotFixture(t)
	e, o := f.ballot(t, 0, 0, "new-spoiled")
	if _, err := NewSpoiled(f.m, e, o, f.voters[1].key); err == nil {
		t.Error("spoiled by another credential")
	}
	_, o1 := f.ballot(t, 1, 0, "new-spoiled")
	if _, err := NewSpoiled(f.m, e, o1, f.voters[0].key); !errors.Is(err, ErrOpening) {
		t.Errorf("opening of another style: got %v, want ErrOpening", err)
	}
	short := &BallotOpening{Style: o.Style, Contests: o.Contests[:1]}
	if _, err := NewSpoiled(f.m, e, short, f.voters[0].key); !errors.Is(err, ErrOpening) {
		t.Errorf("short opening: got %v, want ErrOpening", err)
	}
	spoiled, err := NewSpoiled(f.m, e, o, f.voters[0].key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewSpoiled(f.m, spoiled, o, f.voters[0].key); err == nil {
		t.Error("a spoiled entry spoiled again")
	}
	// A spoiled entry is not a ballot, and a ballot not a spoiled entry.
	if _, err := f.v.CheckBallot(spoiled, f.elig); !errors.Is(err, ErrBallot) {
		t.Errorf("spoiled checked as a ballot: %v", err)
	}
	if _, _, err := f.v.CheckSpoiled(e, f.elig); err == nil {
		t.Error("ballot checked as a spoiled entry")
	}
}
