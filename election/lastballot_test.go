package election

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
)

// fakeBallot is a ballot entry with only what the last-ballot rule reads:
// the author and the counter; tag makes otherwise equal ballots differ.
func fakeBallot(author string, counter uint32, tag byte) *Entry {
	p := binary.BigEndian.AppendUint32(nil, counter)
	p = append(p, 0, 0, tag)
	e := &Entry{Version: ProtocolVersion, Type: TypeBallot, Election: testElectionID("last"), Payload: p}
	e.Sign(testKeyFrom(author))
	return e
}

func TestLastBallotsRule(t *testing.T) {
	a0, a1, a2 := fakeBallot("a", 0, 0), fakeBallot("a", 1, 0), fakeBallot("a", 2, 0)
	b0 := fakeBallot("b", 0, 0)
	// c has two ballots with the highest counter: the smaller id counts.
	c1x, c1y, c0 := fakeBallot("c", 1, 'x'), fakeBallot("c", 1, 'y'), fakeBallot("c", 0, 0)
	cWin, cLose := c1x, c1y
	if idx, idy := c1x.ID(), c1y.ID(); bytes.Compare(idy[:], idx[:]) < 0 {
		cWin, cLose = c1y, c1x
	}
	// d's counters skip and arrive out of order.
	d5, d3 := fakeBallot("d", 5, 0), fakeBallot("d", 3, 0)
	spoiled := &Entry{Type: TypeSpoiled, Author: testKeyFrom("e").Public().(ed25519.PublicKey), Payload: make([]byte, 8)}
	short := &Entry{Type: TypeBallot, Author: testKeyFrom("f").Public().(ed25519.PublicKey), Payload: []byte{1, 2}}

	type sup struct {
		e      *Entry
		reason error
		by     *Entry
	}
	cases := []struct {
		name       string
		in         []*Entry
		counted    []*Entry
		superseded []sup
	}{
		{"empty", nil, nil, nil},
		{"one ballot", []*Entry{b0}, []*Entry{b0}, nil},
		{"revotes in order", []*Entry{a0, a1, a2}, []*Entry{a2}, []sup{{a1, ErrRevoted, a2}, {a0, ErrRevoted, a2}}},
		{"revotes out of order", []*Entry{a2, a0, a1}, []*Entry{a2}, []sup{{a1, ErrRevoted, a2}, {a0, ErrRevoted, a2}}},
		{"tie on the highest counter", []*Entry{c1y, c0, c1x}, []*Entry{cWin}, []sup{{cLose, ErrCounterTie, cWin}, {c0, ErrRevoted, cWin}}},
		{"interleaved credentials", []*Entry{d3, a0, b0, c1x, a2, d5, c0, a1},
			[]*Entry{a2, b0, c1x, d5},
			[]sup{{a1, ErrRevoted, a2}, {a0, ErrRevoted, a2}, {c0, ErrRevoted, c1x}, {d3, ErrRevoted, d5}}},
		{"the same entry twice", []*Entry{b0, b0}, []*Entry{b0}, []sup{{b0, ErrCounterTie, b0}}},
		{"not ballots", []*Entry{spoiled, b0, short}, []*Entry{b0}, []sup{{spoiled, ErrNotBallot, nil}, {short, ErrNotBallot, nil}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			counted, superseded := LastBallots(tc.in)
			want := slices.Clone(tc.counted)
			slices.SortFunc(want, func(a, b *Entry) int { return bytes.Compare(a.Author, b.Author) })
			if !slices.Equal(counted, want) {
				t.Errorf("counted %v, want %v", ids(counted), ids(want))
			}
			if len(superseded) != len(tc.superseded) {
				t.Fatalf("%d superseded, want %d", len(superseded), len(tc.superseded))
			}
			for _, w := range tc.superseded {
				i := slices.IndexFunc(superseded, func(s SupersededBallot) bool { return s.Entry == w.e && errors.Is(s.Reason, w.reason) })
				if i < 0 {
					t.Errorf("%s not superseded for %v", w.e.ID(), w.reason)
					continue
				}
				s := superseded[i]
				if w.by != nil && s.By != w.by.ID() {
					t.Errorf("%s superseded by %s, want %s", s.ID, s.By, w.by.ID())
				}
				if s.ID != w.e.ID() {
					t.Errorf("superseded ID %s, want %s", s.ID, w.e.ID())
				}
			}
		})
	}
}

func ids(es []*Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.ID().String()[:8])
	}
	return out
}

// The outcome does not depend on the order of the ballot set.
func TestLastBallotsOrderIndependent(t *testing.T) {
	var in []*Entry
	for v := range 20 {
		for c := range uint32(v % 4) {
			in = append(in, fakeBallot("v"+string(rune('a'+v)), c, 0), fakeBallot("v"+string(rune('a'+v)), c, 1))
		}
	}
	wantCounted, wantSup := LastBallots(in)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 10 {
		rng.Shuffle(len(in), func(i, j int) { in[i], in[j] = in[j], in[i] })
		counted, sup := LastBallots(in)
		if !slices.Equal(counted, wantCounted) {
			t.Fatal("counted ballots depend on the input order")
		}
		if len(sup) != len(wantSup) {
			t.Fatal("superseded ballots depend on the input order")
		}
		for i := range sup {
			if sup[i].ID != wantSup[i].ID || sup[i].By != wantSup[i].By || sup[i].Reason != wantSup[i].Reason {
				t.Fatalf("superseded[%d] depends on the input order", i)
			}
		}
	}
}

// CountedBallot follows the last-ballot rule: none before a credential's
// first ballot, then the ballot with the highest counter, whatever the
// order the ballots arrive in.
func TestCountedBallot(t *testing.T) {
	x := newBatchElection(t, 2)
	r := x.record(t)
	pub := x.voters[0].Public().(ed25519.PublicKey)
	if _, _, ok := r.CountedBallot(pub); ok {
		t.Fatal("a counted ballot before any ballot")
	}
	if _, _, ok := r.CountedBallot(pub[:5]); ok {
		t.Fatal("a counted ballot for a short key")
	}
	b2, _ := x.ballot(t, 0, 2, 0)
	b1, _ := x.ballot(t, 0, 1, 0)
	for _, e := range []*Entry{b2, b1} {
		if err := r.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	id, counter, ok := r.CountedBallot(pub)
	if !ok || id != b2.ID() || counter != 2 {
		t.Fatalf("counted %x, counter %d, %v; want ballot 2", id[:4], counter, ok)
	}
	if _, _, ok := r.CountedBallot(x.voters[1].Public().(ed25519.PublicKey)); ok {
		t.Fatal("another voter has a counted ballot")
	}
}
