package threshold

import (
	"errors"
	"fmt"
	"testing"

	"github.com/evote/evote/crypto/group"
)

func plusOne(s *group.Scalar) *group.Scalar {
	return new(group.Scalar).Add(s, group.ScalarFromUint64(1))
}

// TestComplaintsThroughCeremony runs ceremonies with misbehaving dealers
// and checks who qualifies, why the others do not, and that the keys still
// match every trustee's share.
func TestComplaintsThroughCeremony(t *testing.T) {
	for _, tc := range []struct {
		name         string
		mis          misbehaviour
		complaints   int
		qual         string
		disqualified map[int]error
	}{
		{
			name:       "bad share, good reveal keeps the dealer",
			mis:        misbehaviour{badShare: map[pair]bool{{2, 3}: true}},
			complaints: 1, qual: "[1 2 3 4 5]",
		},
		{
			name:       "garbled ciphertext, good reveal keeps the dealer",
			mis:        misbehaviour{garbled: map[pair]bool{{4, 1}: true}},
			complaints: 1, qual: "[1 2 3 4 5]",
		},
		{
			name: "bad reveal disqualifies",
			mis: misbehaviour{
				badShare: map[pair]bool{{2, 3}: true},
				reveal:   map[pair]func(*group.Scalar) *group.Scalar{{2, 3}: plusOne},
			},
			complaints: 1, qual: "[1 3 4 5]", disqualified: map[int]error{2: ErrBadReveal},
		},
		{
			name: "missing reveal disqualifies",
			mis: misbehaviour{
				badShare: map[pair]bool{{5, 1}: true, {5, 2}: true},
				reveal:   map[pair]func(*group.Scalar) *group.Scalar{{5, 1}: noReveal},
			},
			complaints: 2, qual: "[1 2 3 4]", disqualified: map[int]error{5: ErrUnanswered},
		},
		{
			name: "two dealers out, three remain",
			mis: misbehaviour{
				badShare: map[pair]bool{{1, 2}: true, {3, 4}: true},
				reveal: map[pair]func(*group.Scalar) *group.Scalar{
					{1, 2}: noReveal, {3, 4}: plusOne,
				},
			},
			complaints: 2, qual: "[2 4 5]", disqualified: map[int]error{1: ErrUnanswered, 3: ErrBadReveal},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := runCeremony(t, Params{N: 5, T: 3}, testContext("complaints"), detRand(tc.name), tc.mis)
			if len(c.complaints) != tc.complaints {
				t.Errorf("%d complaints, want %d", len(c.complaints), tc.complaints)
			}
			if got := fmt.Sprint(c.result.QUAL); got != tc.qual {
				t.Errorf("QUAL = %s, want %s", got, tc.qual)
			}
			checkDisqualified(t, c.result, tc.disqualified)
			checkKeys(t, c)
		})
	}
}

func checkDisqualified(t *testing.T, res *Result, want map[int]error) {
	t.Helper()
	if len(res.Disqualified) != len(want) {
		t.Errorf("disqualified %v, want %v", res.Disqualified, want)
	}
	for _, d := range res.Disqualified {
		if !errors.Is(d.Reason, want[d.Dealer]) {
			t.Errorf("dealer %d disqualified for %v, want %v", d.Dealer, d.Reason, want[d.Dealer])
		}
	}
}

// TestQualifyRules feeds Qualify hand-made complaint and reveal lists on top
// of an honest ceremony.
func TestQualifyRules(t *testing.T) {
	params := Params{N: 5, T: 3}
	c := runCeremony(t, params, testContext("rules"), detRand("rules"), misbehaviour{})
	share := func(dealer, accuser int) *group.Scalar {
		s, err := c.polys[dealer].Share(accuser)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	reveal := func(dealer, accuser int) Reveal {
		return Reveal{Dealer: dealer, Accuser: accuser, Share: share(dealer, accuser)}
	}
	without := func(dealers ...int) map[int]*Commitments {
		m := cloneCommitments(c.commitments)
		for _, i := range dealers {
			delete(m, i)
		}
		return m
	}
	for _, tc := range []struct {
		name              string
		commitments       map[int]*Commitments
		complaints        []Complaint
		reveals           []Reveal
		qual              string
		disqualified      map[int]error
		ignoredComplaints []error
		ignoredReveals    []error
		reveals2          int // reveals kept in the result
	}{
		{
			name: "honest", commitments: c.commitments, qual: "[1 2 3 4 5]",
		},
		{
			name: "dealer without commitments", commitments: without(4),
			qual: "[1 2 3 5]", disqualified: map[int]error{4: ErrNoCommitments},
		},
		{
			name: "duplicate complaints count once", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 1, Dealer: 2}, {Accuser: 1, Dealer: 2}},
			reveals:    []Reveal{reveal(2, 1)},
			qual:       "[1 2 3 4 5]", ignoredComplaints: []error{ErrDuplicate}, reveals2: 1,
		},
		{
			name: "complaints with unknown indices are ignored", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 0, Dealer: 2}, {Accuser: 6, Dealer: 2}, {Accuser: 1, Dealer: 0}, {Accuser: 1, Dealer: 9}, {Accuser: 3, Dealer: 3}},
			qual:       "[1 2 3 4 5]", ignoredComplaints: []error{ErrIndex, ErrIndex, ErrIndex, ErrIndex, ErrSelf},
		},
		{
			name: "complaint against a dealer without commitments is ignored", commitments: without(2),
			complaints: []Complaint{{Accuser: 1, Dealer: 2}},
			qual:       "[1 3 4 5]", disqualified: map[int]error{2: ErrNoCommitments}, ignoredComplaints: []error{ErrNoCommitments},
		},
		{
			name: "reveals without complaints are ignored", commitments: c.commitments,
			reveals: []Reveal{reveal(2, 1), {Dealer: 2, Accuser: 1, Share: plusOne(share(2, 1))}, {Dealer: 0, Accuser: 1, Share: share(1, 1)}, {Dealer: 3, Accuser: 3, Share: share(3, 3)}},
			qual:    "[1 2 3 4 5]", ignoredReveals: []error{ErrNoComplaint, ErrNoComplaint, ErrIndex, ErrSelf},
		},
		{
			name: "duplicate good reveal is ignored", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 4, Dealer: 1}},
			reveals:    []Reveal{reveal(1, 4), reveal(1, 4)},
			qual:       "[1 2 3 4 5]", ignoredReveals: []error{ErrDuplicate}, reveals2: 1,
		},
		{
			name: "a good and a bad reveal disqualify", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 4, Dealer: 1}},
			reveals:    []Reveal{reveal(1, 4), {Dealer: 1, Accuser: 4, Share: plusOne(share(1, 4))}},
			qual:       "[2 3 4 5]", disqualified: map[int]error{1: ErrBadReveal},
		},
		{
			name: "a nil revealed share disqualifies", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 4, Dealer: 1}},
			reveals:    []Reveal{{Dealer: 1, Accuser: 4}},
			qual:       "[2 3 4 5]", disqualified: map[int]error{1: ErrBadReveal},
		},
		{
			name: "a reveal answers only its own accuser; a disqualified dealer's reveals are dropped", commitments: c.commitments,
			complaints: []Complaint{{Accuser: 4, Dealer: 1}, {Accuser: 5, Dealer: 1}},
			reveals:    []Reveal{reveal(1, 4)},
			qual:       "[2 3 4 5]", disqualified: map[int]error{1: ErrUnanswered},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Qualify(params, tc.commitments, tc.complaints, tc.reveals)
			if err != nil {
				t.Fatal(err)
			}
			if got := fmt.Sprint(res.QUAL); got != tc.qual {
				t.Errorf("QUAL = %s, want %s", got, tc.qual)
			}
			checkDisqualified(t, res, tc.disqualified)
			checkReasons(t, "complaint", len(res.IgnoredComplaints), func(k int) error { return res.IgnoredComplaints[k].Reason }, tc.ignoredComplaints)
			checkReasons(t, "reveal", len(res.IgnoredReveals), func(k int) error { return res.IgnoredReveals[k].Reason }, tc.ignoredReveals)
			if len(res.Reveals) != tc.reveals2 {
				t.Errorf("%d reveals kept, want %d", len(res.Reveals), tc.reveals2)
			}
		})
	}
}

func checkReasons(t *testing.T, what string, n int, reason func(int) error, want []error) {
	t.Helper()
	if n != len(want) {
		t.Errorf("%d ignored %ss, want %d", n, what, len(want))
		return
	}
	for k := range n {
		if !errors.Is(reason(k), want[k]) {
			t.Errorf("ignored %s %d: %v, want %v", what, k, reason(k), want[k])
		}
	}
}

func TestQualifyErrors(t *testing.T) {
	params := Params{N: 3, T: 2}
	c := runCeremony(t, params, testContext("qualify errors"), detRand("qualify errors"), misbehaviour{})
	short := &Commitments{C: c.commitments[1].C[:1], PoK: c.commitments[1].PoK[:1]}
	for _, tc := range []struct {
		name        string
		params      Params
		commitments map[int]*Commitments
		complaints  []Complaint
		want        error
	}{
		{"bad params", Params{N: 3, T: 0}, c.commitments, nil, ErrParams},
		{"dealer 0", params, map[int]*Commitments{0: c.commitments[1], 1: c.commitments[1], 2: c.commitments[2]}, nil, ErrIndex},
		{"dealer n+1", params, map[int]*Commitments{4: c.commitments[1], 1: c.commitments[1], 2: c.commitments[2]}, nil, ErrIndex},
		{"nil commitments", params, map[int]*Commitments{1: nil, 2: c.commitments[2]}, nil, ErrMissing},
		{"short commitments", params, map[int]*Commitments{1: short, 2: c.commitments[2]}, nil, ErrCommitmentCount},
		{"one qualified, t = 2", params, map[int]*Commitments{3: c.commitments[3]}, nil, ErrTooFew},
		{"none", params, nil, nil, ErrTooFew},
		{"complaints leave one", params, c.commitments, []Complaint{{Accuser: 1, Dealer: 2}, {Accuser: 2, Dealer: 3}}, ErrTooFew},
	} {
		_, err := Qualify(tc.params, tc.commitments, tc.complaints, nil)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	_, err := Qualify(params, c.commitments, []Complaint{{Accuser: 1, Dealer: 2}, {Accuser: 2, Dealer: 3}}, nil)
	var qe *QualifyError
	if !errors.As(err, &qe) || fmt.Sprint(qe.QUAL) != "[1]" || qe.T != 2 || len(qe.Disqualified) != 2 {
		t.Errorf("QualifyError = %+v, want QUAL [1], t 2, two disqualified", qe)
	}
}

func TestCheckReveal(t *testing.T) {
	params := Params{N: 3, T: 2}
	f, c, err := NewDealing(params, 1, testContext("reveal"), detRand("reveal"))
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := f.Share(2)
	s1, _ := f.Share(1)
	if err := CheckReveal(params, 1, 2, s2, c); err != nil {
		t.Fatalf("good reveal: %v", err)
	}
	for _, tc := range []struct {
		name            string
		dealer, accuser int
		s               *group.Scalar
		want            error
	}{
		{"wrong share", 1, 2, plusOne(s2), ErrShareMismatch},
		{"share for another accuser", 1, 3, s2, ErrShareMismatch},
		{"accuser is the dealer", 1, 1, s1, ErrSelf},
		{"accuser 0", 1, 0, s2, ErrIndex},
		{"accuser n+1", 1, 4, s2, ErrIndex},
		{"dealer 0", 0, 2, s2, ErrIndex},
		{"nil share", 1, 2, nil, ErrMissing},
	} {
		if err := CheckReveal(params, tc.dealer, tc.accuser, tc.s, c); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}

func TestCombineShares(t *testing.T) {
	params := Params{N: 3, T: 2}
	c := runCeremony(t, params, testContext("combine shares"), detRand("combine shares"),
		misbehaviour{badShare: map[pair]bool{{1, 2}: true}})
	// Trustee 2 complained about dealer 1 and uses the revealed share.
	if _, ok := c.received[2][1]; ok {
		t.Fatal("trustee 2 kept dealer 1's bad share")
	}
	s2, err := CombineShares(c.result, 2, c.received[2])
	if err != nil || !s2.Equal(c.secrets[2]) {
		t.Fatalf("CombineShares with a reveal: %v", err)
	}
	missing := map[int]*group.Scalar{1: c.received[3][1], 3: c.received[3][3]}
	wrong := map[int]*group.Scalar{1: c.received[3][1], 2: plusOne(c.received[3][2]), 3: c.received[3][3]}
	for _, tc := range []struct {
		name     string
		res      *Result
		trustee  int
		received map[int]*group.Scalar
		want     error
	}{
		{"missing dealer", c.result, 3, missing, ErrMissing},
		{"wrong share", c.result, 3, wrong, ErrShareMismatch},
		{"another trustee's shares", c.result, 1, c.received[3], ErrShareMismatch},
		{"trustee 0", c.result, 0, c.received[3], ErrIndex},
		{"trustee n+1", c.result, 4, c.received[3], ErrIndex},
		{"nil result", nil, 3, c.received[3], ErrMissing},
	} {
		if _, err := CombineShares(tc.res, tc.trustee, tc.received); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
}
