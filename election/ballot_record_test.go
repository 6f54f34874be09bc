package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// styledRecord is a record of the styled election (four contests, two
// styles) built through Apply, with what the tests need to extend it.
type styledRecord struct {
	m      *Manifest
	k      *fxKeys
	r      *Record
	id     ID
	voters []ed25519.PrivateKey // voter i has style i mod 2
	polys  []*threshold.Polynomial
	pk     *elgamal.PublicKey
	// selections of every ballot cast, by entry id, for the expected counts
	selections map[ID][][]uint64
	ballots    []*Entry
}

func newStyledRecord(t testing.TB) *styledRecord {
	t.Helper()
	m, k := fxManifest(t, 3, 2, 1)
	styled := styledManifest(t, newTestTrustees(t, 3))
	m.Contests, m.Styles = styled.Contests, styled.Styles
	me, id, err := NewManifestEntry(m, k.commission)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewRecord(me)
	if err != nil {
		t.Fatal(err)
	}
	x := &styledRecord{m: m, k: k, r: r, id: id, voters: fxVoters(6), selections: map[ID][][]uint64{}}
	for _, p := range fxCredentialParts(x.voters, 2, 10) {
		x.apply(t, fxSign(TypeCredentials, id, p.Bytes(), k.commission))
	}
	return x
}

func (x *styledRecord) apply(t testing.TB, e *Entry) {
	t.Helper()
	if err := x.r.Apply(e); err != nil {
		t.Fatalf("Apply(%s): %v", e.Type, err)
	}
}

// reject applies e, which must fail check; the record must not change.
func (x *styledRecord) reject(t testing.TB, e *Entry, check int) *CheckError {
	t.Helper()
	before := x.r.Len()
	ce := wantCheck(t, x.r.Apply(e), check, e)
	if x.r.Len() != before {
		t.Errorf("a rejected %s entry changed the record", e.Type)
	}
	return ce
}

func (x *styledRecord) deal(t testing.TB, i int) *Entry {
	t.Helper()
	e, f, err := NewDealing(x.m, x.id, x.k.trustees[i-1], fxRand(fmt.Sprintf("styled/dealing/%d", i)))
	if err != nil {
		t.Fatal(err)
	}
	if len(x.polys) < i {
		x.polys = append(x.polys, make([]*threshold.Polynomial, i-len(x.polys))...)
	}
	x.polys[i-1] = f
	return e
}

func (x *styledRecord) ballot(t testing.TB, voter int, counter uint32, variant int) (*Entry, *BallotOpening) {
	t.Helper()
	style := uint16(voter % 2)
	sel := selectionsFor(style, voter+variant)
	e, o, err := NewBallot(x.m, x.id, x.pk, x.voters[voter], style, counter, sel, fxRand(fmt.Sprintf("styled/ballot/%d/%d/%d", voter, counter, variant)))
	if err != nil {
		t.Fatal(err)
	}
	x.selections[e.ID()] = sel
	return e, o
}

func (x *styledRecord) cast(t testing.TB, voter int, counter uint32, variant int) *Entry {
	t.Helper()
	e, _ := x.ballot(t, voter, counter, variant)
	x.apply(t, e)
	x.ballots = append(x.ballots, e)
	return e
}

// A whole election with styles, revotes, a counter tie, a spoiled ballot,
// a complaint and a reveal, through the record's rules, with a rejected
// entry for every check of the ballot and trustee rules along the way.
func TestStyledElectionThroughTheRecord(t *testing.T) {
	x := newStyledRecord(t)

	// Key ceremony.
	d1 := x.deal(t, 1)
	early, err := NewComplaint(x.m, x.id, x.k.trustees[2], 2)
	if err != nil {
		t.Fatal(err)
	}
	x.apply(t, d1)
	if ce := x.reject(t, early, CheckComplaint); !errors.Is(ce, ErrTooEarly) {
		t.Errorf("complaint about a dealer who has not dealt: %v", ce)
	}
	x.reject(t, d1, CheckDuplicate)
	again, _, err := NewDealing(x.m, x.id, x.k.trustees[0], fxRand("styled/dealing/1/again"))
	if err != nil {
		t.Fatal(err)
	}
	x.reject(t, again, CheckDealingOnce)
	d2 := x.deal(t, 2)
	x.reject(t, fxSign(TypeDealing, x.id, d2.Payload, x.k.trustees[2]), CheckDealingEncoding) // dealer 2's payload signed by trustee 3
	x.reject(t, fxSign(TypeDealing, x.id, d2.Payload[:len(d2.Payload)-1], x.k.trustees[1]), CheckDealingEncoding)
	foreign, _, err := NewDealing(x.m, testElectionID("foreign"), x.k.trustees[1], nil)
	if err != nil {
		t.Fatal(err)
	}
	x.reject(t, fxSign(TypeDealing, x.id, foreign.Payload, x.k.trustees[1]), CheckDealingProofs)
	x.apply(t, d2)
	x.apply(t, x.deal(t, 3))

	complaint, err := NewComplaint(x.m, x.id, x.k.trustees[2], 1)
	if err != nil {
		t.Fatal(err)
	}
	unasked, err := NewReveal(x.m, x.id, x.k.trustees[0], x.polys[0], 2)
	if err != nil {
		t.Fatal(err)
	}
	if ce := x.reject(t, unasked, CheckReveal); !errors.Is(ce, ErrTooEarly) {
		t.Errorf("reveal before the complaint: %v", ce)
	}
	x.reject(t, fxSign(TypeComplaint, x.id, complaint.Payload, x.k.trustees[1]), CheckComplaint) // trustee 3's complaint signed by 2
	x.apply(t, complaint)
	// The same complaint again is the same entry (check 17) unless signed
	// with another nonce; the rule itself refuses a repeat.
	x.reject(t, complaint, CheckDuplicate)
	if _, err := checkComplaint(x.r, &incoming{e: complaint, trustee: 3}); !isCheck(err, CheckComplaint) {
		t.Errorf("repeated complaint: %v", err)
	}
	reveal, err := NewReveal(x.m, x.id, x.k.trustees[0], x.polys[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	x.reject(t, fxSign(TypeReveal, x.id, reveal.Payload, x.k.trustees[1]), CheckReveal) // dealer 1's reveal signed by 2
	x.apply(t, reveal)
	if _, err := checkReveal(x.r, &incoming{e: reveal, trustee: 1}); !isCheck(err, CheckReveal) {
		t.Errorf("repeated reveal: %v", err)
	}

	res, err := x.r.qualify()
	if err != nil || len(res.QUAL) != 3 {
		t.Fatalf("qualify: %v, %v", res, err)
	}
	x.apply(t, fxSign(TypeOpen, x.id, NewOpen(res).Bytes(), x.k.commission))
	x.pk = elgamal.NewPublicKey(res.Key)

	// Voting.
	x.cast(t, 0, 0, 0)
	x.cast(t, 0, 1, 1) // revote
	x.cast(t, 1, 0, 0)
	x.cast(t, 1, 0, 1) // the same counter again: both stay, the smaller id counts
	x.cast(t, 3, 5, 0)
	x.cast(t, 3, 2, 1) // a lower counter after a higher one: kept, not counted
	x.cast(t, 4, 0, 2)
	spoil, opening := x.ballot(t, 2, 0, 0)
	spoiled, err := NewSpoiled(x.m, spoil, opening, x.voters[2])
	if err != nil {
		t.Fatal(err)
	}
	x.apply(t, spoiled)
	x.cast(t, 2, 0, 1)

	v0, _ := x.ballot(t, 0, 7, 0)
	x.reject(t, fxSign(TypeBallot, x.id, v0.Payload, x.voters[1]), CheckBallotEncoding) // style 0 payload, style 1 credential
	x.reject(t, fxSign(TypeBallot, x.id, v0.Payload[:len(v0.Payload)-1], x.voters[0]), CheckBallotEncoding)
	if ce := x.reject(t, fxSign(TypeBallot, x.id, v0.Payload, x.voters[2]), CheckBallotProofs); !errors.Is(ce, proof.ErrChallenge) {
		t.Errorf("proofs of another credential: %v", ce)
	}
	sp := bytes.Clone(spoiled.Payload)
	r0 := x.r.Layout().Size()
	copy(sp[r0:r0+32], spoiled.Payload[r0+32:r0+64])
	copy(sp[r0+32:r0+64], spoiled.Payload[r0:r0+32])
	if ce := x.reject(t, fxSign(TypeSpoiled, x.id, sp, x.voters[2]), CheckSpoiledOpening); !errors.Is(ce, ErrOpening) {
		t.Errorf("swapped opening: %v", ce)
	}
	x.reject(t, fxSign(TypeSpoiled, x.id, spoiled.Payload[:len(spoiled.Payload)-1], x.voters[2]), CheckSpoiledEncoding)
	x.reject(t, fxSign(TypeSpoiled, x.id, v0.Payload, x.voters[0]), CheckSpoiledEncoding) // a ballot as a spoiled entry

	// The record's incremental rule agrees with LastBallots.
	counted, superseded := LastBallots(x.ballots)
	if len(counted) != 5 || len(superseded) != 3 {
		t.Fatalf("%d counted, %d superseded, want 5 and 3", len(counted), len(superseded))
	}
	for _, e := range counted {
		if got := x.r.last[[ed25519.PublicKeySize]byte(e.Author)]; got == nil || got.id != e.ID() {
			t.Errorf("credential %x: the record counts another ballot than LastBallots", e.Author[:4])
		}
	}

	// Close, seal, decrypt.
	x.apply(t, fxSign(TypeClose, x.id, nil, x.k.commission))
	x.apply(t, fxSign(TypeSeal, x.id, x.r.NewSeal(1, [32]byte{}).Bytes(), x.k.nodes[0]))
	if x.r.Phase() != PhaseDecryption {
		t.Fatalf("phase %s after the seal", x.r.Phase())
	}
	shares := styledShares(t, x, res)
	want := expectedResult(t, x, counted)
	partial := func(j int, share *group.Scalar) *Entry {
		e, err := NewPartial(x.m, x.id, x.k.trustees[j-1], share, x.r.Aggregates(), nil)
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	wrongCounts := *want
	wrongCounts.Counts = slices.Clone(want.Counts)
	wrongCounts.Counts[0] = slices.Clone(want.Counts[0])
	wrongCounts.Counts[0][0], wrongCounts.Counts[0][1] = want.Counts[0][1], want.Counts[0][0]
	if wrongCounts.Counts[0][0] == want.Counts[0][0] {
		t.Fatal("fixture: the mayor's first two counts are equal")
	}
	result := func(r *Result) *Entry { return fxSign(TypeResult, x.id, r.Bytes(), x.k.commission) }

	p1 := partial(1, shares[0])
	x.apply(t, p1)
	if ce := x.reject(t, result(want), CheckResultCounts); !errors.Is(ce, ErrTooEarly) {
		t.Errorf("result with one partial of t = 2: %v", ce)
	}
	x.reject(t, partial(1, shares[0]), CheckPartialProofs) // a second partial by trustee 1
	x.reject(t, fxSign(TypePartial, x.id, p1.Payload, x.k.trustees[1]), CheckPartialEncoding)
	x.reject(t, fxSign(TypePartial, x.id, p1.Payload[1:], x.k.trustees[0]), CheckPartialEncoding)
	x.reject(t, partial(3, shares[1]), CheckPartialProofs) // trustee 3 with trustee 2's share
	x.apply(t, partial(3, shares[2]))

	x.reject(t, result(&Result{Ballots: want.Ballots, Counts: want.Counts[:3]}), CheckResultEncoding)
	var mm *ResultMismatchError
	ce := x.reject(t, result(&wrongCounts), CheckResultCounts)
	if !errors.As(ce, &mm) || mm.Contest != "mayor" || mm.Record != want.Counts[0][mm.optionIndex(x.m)] {
		t.Errorf("wrong counts: %v", ce)
	}
	more := *want
	more.Ballots++
	if ce := x.reject(t, result(&more), CheckResultCounts); !errors.As(ce, &mm) || mm.Contest != "" {
		t.Errorf("wrong number of ballots: %v", ce)
	}
	x.apply(t, result(want))
	if x.r.Phase() != PhaseDone {
		t.Errorf("phase %s after the result", x.r.Phase())
	}
	if err := x.r.Complete(); err != nil {
		t.Error(err)
	}
}

// isCheck reports whether err is a failure of check.
func isCheck(err error, check int) bool {
	var ce *CheckError
	return errors.As(err, &ce) && ce.Check == check
}

// optionIndex returns the position of e.Option in e.Contest.
func (e *ResultMismatchError) optionIndex(m *Manifest) int {
	for _, c := range m.Contests {
		if c.ID == e.Contest {
			for o, opt := range c.Options {
				if opt.ID == e.Option {
					return o
				}
			}
		}
	}
	return -1
}

// styledShares computes every trustee's share of the joint secret from the
// dealings on the record, as the trustees do.
func styledShares(t testing.TB, x *styledRecord, res *threshold.Result) []*group.Scalar {
	t.Helper()
	var out []*group.Scalar
	for j := 1; j <= 3; j++ {
		received := map[int]*group.Scalar{}
		for i := 1; i <= 3; i++ {
			s, err := x.polys[i-1].Share(j)
			if err != nil {
				t.Fatal(err)
			}
			received[i] = s
		}
		s, err := threshold.CombineShares(res, j, received)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

// expectedResult counts the selections of the counted ballots.
func expectedResult(t testing.TB, x *styledRecord, counted []*Entry) *Result {
	t.Helper()
	r := &Result{Ballots: uint64(len(counted)), Counts: make([][]uint64, len(x.m.Contests))}
	for c, ct := range x.m.Contests {
		r.Counts[c] = make([]uint64, len(ct.Options))
	}
	for _, e := range counted {
		b, err := DecodeBallot(x.r.Layout(), e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		positions, _ := x.r.Layout().StyleContests(b.Style)
		for k, p := range positions {
			for o, s := range x.selections[e.ID()][k] {
				r.Counts[p][o] += s
			}
		}
	}
	return r
}
