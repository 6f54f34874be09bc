package election

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// ceremony is a key ceremony run with this package's entries: every
// trustee deals, opens the shares sent to it, and combines its share of
// the joint key.
type ceremony struct {
	m        *Manifest
	id       ID
	tt       *testTrustees
	dealings []*Entry // by dealer − 1
	decoded  []*Dealing
	polys    []*threshold.Polynomial
	res      *threshold.Result
	shares   []*group.Scalar // s_j by j − 1
}

func runCeremony(t testing.TB, m *Manifest, id ID, tt *testTrustees) *ceremony {
	t.Helper()
	c := &ceremony{m: m, id: id, tt: tt}
	params := thresholdParams(m)
	commitments := make(map[int]*threshold.Commitments)
	for i, key := range tt.signing {
		e, f, err := NewDealing(m, id, key, seeded("dealing/"+strconv.Itoa(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		d, err := DecodeDealing(params, e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if err := threshold.VerifyCommitments(params, d.Dealer, electionContext(id), d.Commitments); err != nil {
			t.Fatalf("dealer %d: %v", d.Dealer, err)
		}
		c.dealings, c.decoded, c.polys = append(c.dealings, e), append(c.decoded, d), append(c.polys, f)
		commitments[d.Dealer] = d.Commitments
	}
	res, err := threshold.Qualify(params, commitments, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	c.res = res
	for j := 1; j <= params.N; j++ {
		received := make(map[int]*group.Scalar)
		for _, d := range c.decoded {
			if d.Dealer == j {
				received[j], _ = c.polys[j-1].Share(j)
				continue
			}
			s, err := d.OpenShare(m, id, j, tt.encryption[j-1])
			if err != nil {
				t.Fatalf("trustee %d opening dealer %d's share: %v", j, d.Dealer, err)
			}
			received[d.Dealer] = s
		}
		s, err := threshold.CombineShares(res, j, received)
		if err != nil {
			t.Fatal(err)
		}
		c.shares = append(c.shares, s)
	}
	return c
}

func TestDealingRoundTrip(t *testing.T) {
	tt := newTestTrustees(t, 3)
	m := styledManifest(t, tt)
	id := testElectionID("dealing")
	c := runCeremony(t, m, id, tt)
	params := thresholdParams(m)
	for i, e := range c.dealings {
		if e.Type != TypeDealing || e.Election != id || !bytes.Equal(e.Author, m.Trustees.Members[i].SigningKey) {
			t.Errorf("dealing %d: type %s, election %s, wrong author", i+1, e.Type, e.Election)
		}
		if err := e.VerifySignature(); err != nil {
			t.Error(err)
		}
		if want := 2 + 2 + 96*2 + 80*2; len(e.Payload) != want {
			t.Errorf("dealing %d: %d bytes, want %d", i+1, len(e.Payload), want)
		}
		d := c.decoded[i]
		if d.Dealer != i+1 || len(d.Shares) != params.N-1 {
			t.Errorf("dealing %d: dealer %d, %d shares", i+1, d.Dealer, len(d.Shares))
		}
		if !bytes.Equal(d.Bytes(), e.Payload) {
			t.Errorf("dealing %d: re-encoding differs", i+1)
		}
	}
	// Shares are addressed: trustee 3's share from dealer 1 is Shares[1].
	if s, _ := c.decoded[0].ShareFor(3); !bytes.Equal(s, c.decoded[0].Shares[1]) {
		t.Error("ShareFor(3) of dealer 1 is not its second share")
	}
	for _, j := range []int{0, 1, 4} {
		if _, err := c.decoded[0].ShareFor(j); err == nil {
			t.Errorf("dealer 1 has a share for trustee %d", j)
		}
	}
	// A share opened by the wrong trustee, or in another election, fails.
	if _, err := c.decoded[0].OpenShare(m, id, 2, tt.encryption[2]); !errors.Is(err, threshold.ErrShareDecrypt) {
		t.Errorf("share opened with another trustee's key: %v", err)
	}
	if _, err := c.decoded[0].OpenShare(m, testElectionID("other"), 2, tt.encryption[1]); !errors.Is(err, threshold.ErrShareDecrypt) {
		t.Errorf("share opened for another election: %v", err)
	}
	// The commitments' proofs are bound to the election.
	if err := threshold.VerifyCommitments(params, 1, electionContext(testElectionID("other")), c.decoded[0].Commitments); !errors.Is(err, proof.ErrEquation) {
		t.Errorf("commitments in another election: %v", err)
	}
	if _, _, err := NewDealing(m, id, testKeyFrom("outsider"), nil); !errors.Is(err, ErrTrusteeEntry) {
		t.Errorf("dealing by a non-trustee: %v", err)
	}
}

func TestDecodeDealingStrict(t *testing.T) {
	tt := newTestTrustees(t, 3)
	m := styledManifest(t, tt)
	params := thresholdParams(m)
	e, _, err := NewDealing(m, testElectionID("strict"), tt.signing[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	good := e.Payload
	edit := func(fn func(p []byte)) []byte { p := bytes.Clone(good); fn(p); return p }
	cases := []struct {
		name    string
		payload []byte
		params  threshold.Params
		msg     string
	}{
		{"empty", nil, params, "0 bytes"},
		{"short", good[:len(good)-1], params, "bytes, want"},
		{"trailing", append(bytes.Clone(good), 0), params, "bytes, want"},
		{"dealer 0", edit(func(p []byte) { p[0], p[1] = 0, 0 }), params, "trustee 0"},
		{"dealer n+1", edit(func(p []byte) { p[0], p[1] = 0, 4 }), params, "trustee 4"},
		{"dealer high byte", edit(func(p []byte) { p[0] = 1 }), params, "trustee 258"},
		{"commitment count", edit(func(p []byte) { p[3] = 3 }), params, "count 3"},
		{"commitment not canonical", edit(func(p []byte) { setNonCanonical(p[4:36]) }), params, "coefficient 0"},
		{"commitment identity", edit(func(p []byte) { clear(p[4:36]) }), params, "coefficient 0"},
		{"proof scalar out of range", edit(func(p []byte) { setAboveOrder(p[4+64 : 4+96]) }), params, "coefficient 0"},
		{"another t", good, threshold.Params{N: 3, T: 3}, "bytes, want"},
		{"another n", good, threshold.Params{N: 4, T: 2}, "bytes, want"},
	}
	for _, tc := range cases {
		_, err := DecodeDealing(tc.params, tc.payload)
		if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want ErrEncoding containing %q", tc.name, err, tc.msg)
		}
	}
}

func TestComplaintAndReveal(t *testing.T) {
	tt := newTestTrustees(t, 3)
	m := styledManifest(t, tt)
	id := testElectionID("complaint")
	params := thresholdParams(m)
	c := runCeremony(t, m, id, tt)

	ce, err := NewComplaint(m, id, tt.signing[2], 1)
	if err != nil {
		t.Fatal(err)
	}
	got, err := DecodeComplaint(params, ce.Payload)
	if err != nil || got.Accuser != 3 || got.Dealer != 1 || !bytes.Equal(got.Bytes(), ce.Payload) {
		t.Fatalf("complaint round trip: %+v, %v", got, err)
	}
	if _, err := NewComplaint(m, id, tt.signing[0], 1); err == nil {
		t.Error("a trustee complained about itself")
	}
	for name, p := range map[string][]byte{
		"self":     {0, 1, 0, 1},
		"accuser0": {0, 0, 0, 1},
		"dealer4":  {0, 3, 0, 4},
		"short":    {0, 3, 0},
		"trailing": {0, 3, 0, 1, 0},
		"empty":    nil,
	} {
		if _, err := DecodeComplaint(params, p); !errors.Is(err, ErrEncoding) {
			t.Errorf("complaint %s: got %v, want ErrEncoding", name, err)
		}
	}

	re, err := NewReveal(m, id, tt.signing[0], c.polys[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	rv, err := DecodeReveal(params, re.Payload)
	if err != nil || rv.Dealer != 1 || rv.Accuser != 3 || !bytes.Equal(rv.Bytes(), re.Payload) {
		t.Fatalf("reveal round trip: %+v, %v", rv, err)
	}
	if err := threshold.CheckReveal(params, rv.Dealer, rv.Accuser, rv.Share, c.decoded[0].Commitments); err != nil {
		t.Errorf("honest reveal: %v", err)
	}
	// The reveal answers the complaint: Qualify keeps dealer 1.
	commitments := map[int]*threshold.Commitments{}
	for _, d := range c.decoded {
		commitments[d.Dealer] = d.Commitments
	}
	res, err := threshold.Qualify(params, commitments, []threshold.Complaint{got.Threshold()}, []threshold.Reveal{rv.Threshold()})
	if err != nil || len(res.QUAL) != 3 {
		t.Errorf("qualify with an answered complaint: %v, %v", res, err)
	}
	// A wrong share fails the check and disqualifies the dealer.
	bad := &Reveal{Dealer: 1, Accuser: 3, Share: randomScalar(t)}
	res, err = threshold.Qualify(params, commitments, []threshold.Complaint{got.Threshold()}, []threshold.Reveal{bad.Threshold()})
	if err != nil || len(res.QUAL) != 2 || res.QUAL[0] != 2 {
		t.Errorf("qualify with a bad reveal: %v, %v", res, err)
	}
	if _, err := NewReveal(m, id, tt.signing[1], c.polys[0], 3); !errors.Is(err, ErrTrusteeEntry) {
		t.Errorf("reveal with another dealer's polynomial: %v", err)
	}
	if _, err := NewReveal(m, id, tt.signing[0], c.polys[0], 1); !errors.Is(err, ErrTrusteeEntry) {
		t.Errorf("reveal to itself: %v", err)
	}
	good := re.Payload
	edit := func(fn func(p []byte)) []byte { p := bytes.Clone(good); fn(p); return p }
	for name, p := range map[string][]byte{
		"share not canonical": edit(func(p []byte) { setAboveOrder(p[4:]) }),
		"to itself":           edit(func(p []byte) { p[3] = 1 }),
		"dealer 0":            edit(func(p []byte) { p[1] = 0 }),
		"accuser 9":           edit(func(p []byte) { p[3] = 9 }),
		"short":               good[:35],
		"trailing":            append(bytes.Clone(good), 0),
	} {
		if _, err := DecodeReveal(params, p); !errors.Is(err, ErrEncoding) {
			t.Errorf("reveal %s: got %v, want ErrEncoding", name, err)
		}
	}
}
