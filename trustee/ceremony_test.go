package trustee_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/tally/tallytest"
	"github.com/evote/evote/trustee"
)

// election runs a whole election in memory: ceremony, open, votes (choice
// per voter), close, the trustees' partials for those in decrypting, and
// returns the counts of the tally.
func runElection(t *testing.T, n, th int, choices []int, decrypting []int) (*tallytest.Election, *election.Result) {
	t.Helper()
	e := tallytest.New(t, n, th, 3, len(choices))
	trustees := newTrustees(t, e)
	if refused := drive(t, e, trustees); len(refused) > 0 {
		t.Fatalf("the board refused honest ceremony entries: %v", refused)
	}
	open(t, e)
	for v, c := range choices {
		e.Vote(t, v, c)
	}
	e.Close(t)
	var active []*trustee.Trustee
	for _, j := range decrypting {
		active = append(active, trustees[j-1])
	}
	if refused := drive(t, e, active); len(refused) > 0 {
		t.Fatalf("the board refused honest partials: %v", refused)
	}
	res, _, err := count(t, e, postedPartials(t, e))
	if err != nil {
		t.Fatal(err)
	}
	return e, res
}

// want counts choices per option of 3, with -1 blank.
func want(choices []int) []uint64 {
	out := make([]uint64, 3)
	for _, c := range choices {
		if c >= 0 {
			out[c]++
		}
	}
	return out
}

func TestCeremonyAndTally(t *testing.T) {
	for _, tc := range []struct {
		name       string
		n, t       int
		decrypting []int
	}{
		{"2-of-3", 3, 2, []int{1, 2, 3}},
		{"3-of-5", 5, 3, []int{1, 2, 3, 4, 5}},
		{"3-of-5 with two offline", 5, 3, []int{2, 4, 5}},
		{"1-of-1", 1, 1, []int{1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			choices := []int{0, 1, 1, 2, -1, 1}
			e, res := runElection(t, tc.n, tc.t, choices, tc.decrypting)
			if res.Ballots != uint64(len(choices)) || !slices.Equal(res.Counts[0], want(choices)) {
				t.Fatalf("result %d ballots %v, want %d %v", res.Ballots, res.Counts[0], len(choices), want(choices))
			}
			// The board takes the result, which it checks itself (check 48).
			en, err := election.NewResult(e.Manifest, e.ID, e.Commission, res)
			if err != nil {
				t.Fatal(err)
			}
			e.MustPost(t, en)
		})
	}
}

func TestEdgeCases(t *testing.T) {
	for _, tc := range []struct {
		name    string
		choices []int
	}{
		{"zero ballots", nil},
		{"everyone the same option", []int{2, 2, 2, 2}},
		{"everyone blank", []int{-1, -1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e, res := runElection(t, 3, 2, tc.choices, []int{1, 2, 3})
			if res.Ballots != uint64(len(tc.choices)) || !slices.Equal(res.Counts[0], want(tc.choices)) {
				t.Fatalf("result %d ballots %v, want %v", res.Ballots, res.Counts[0], want(tc.choices))
			}
			en, err := election.NewResult(e.Manifest, e.ID, e.Commission, res)
			if err != nil {
				t.Fatal(err)
			}
			e.MustPost(t, en)
		})
	}
}

func TestRevoteCountedOnce(t *testing.T) {
	e := tallytest.New(t, 3, 2, 3, 2)
	trustees := newTrustees(t, e)
	drive(t, e, trustees)
	open(t, e)
	e.Vote(t, 0, 0)
	e.Vote(t, 0, 1) // the same voter changes its mind
	e.Vote(t, 0, 2) // and again: only this one counts
	e.Vote(t, 1, 0)
	e.Close(t)
	drive(t, e, trustees)
	res, _, err := count(t, e, postedPartials(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if res.Ballots != 2 || !slices.Equal(res.Counts[0], []uint64{1, 0, 1}) {
		t.Fatalf("result %d ballots %v, want 2 [1 0 1]", res.Ballots, res.Counts[0])
	}
}

// badDealing returns trustee j's dealing made from its state, with the share
// for recipient replaced by an encryption of another scalar, and stores it
// in the state as the trustee's dealing.
func badDealing(t *testing.T, e *tallytest.Election, store *trustee.Store, j, recipient int) {
	t.Helper()
	good, _, err := store.State.MakeDealing(e.Manifest, e.Signing[j-1])
	if err != nil {
		t.Fatal(err)
	}
	params := threshold.Params{N: len(e.Manifest.Trustees.Members), T: int(e.Manifest.Trustees.Threshold)}
	d, err := election.DecodeDealing(params, good.Payload)
	if err != nil {
		t.Fatal(err)
	}
	to, err := threshold.ParseEncryptionPublicKey(e.Manifest.Trustees.Members[recipient-1].EncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	k := recipient - 1
	if recipient > j {
		k--
	}
	ctx := proof.Context{Election: e.ID[:]}
	if d.Shares[k], err = threshold.EncryptShare(params, ctx, j, recipient, to, group.ScalarFromUint64(42)); err != nil {
		t.Fatal(err)
	}
	bad := e.Sign(e.Signing[j-1], election.TypeDealing, d.Bytes())
	store.State.Dealing = bad.Bytes()
	if err := store.Save(); err != nil {
		t.Fatal(err)
	}
}

func TestBadShareAnsweredByReveal(t *testing.T) {
	e := tallytest.New(t, 3, 2, 3, 1)
	trustees := newTrustees(t, e)
	store := trustees[0].Store()
	badDealing(t, e, store, 1, 2)
	drive(t, e, trustees)
	r := replica(t, e)
	if got := r.Complaints(); len(got) != 1 || got[0] != (election.Complaint{Accuser: 2, Dealer: 1}) {
		t.Fatalf("complaints %v, want trustee 2 against trustee 1", got)
	}
	if got := r.Reveals(); len(got) != 1 || got[0].Dealer != 1 || got[0].Accuser != 2 {
		t.Fatalf("reveals %v, want trustee 1's for trustee 2", got)
	}
	res, err := r.Ceremony()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.QUAL, []int{1, 2, 3}) {
		t.Fatalf("QUAL %v, want every trustee: the reveal checks out", res.QUAL)
	}
	checkSameKey(t, e, trustees, res)
	finish(t, e, trustees, []int{1, 2, 3})
}

func TestBadShareUnansweredDisqualifies(t *testing.T) {
	e := tallytest.New(t, 3, 2, 3, 1)
	trustees := newTrustees(t, e)
	badDealing(t, e, trustees[0].Store(), 1, 2)
	// Trustee 1 posts its dealing, then goes silent.
	drive(t, e, trustees[:1])
	drive(t, e, trustees[1:])
	r := replica(t, e)
	if len(r.Unanswered()) != 1 {
		t.Fatalf("unanswered complaints %v, want trustee 2's", r.Unanswered())
	}
	res, err := r.Ceremony()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.QUAL, []int{2, 3}) || len(res.Disqualified) != 1 || !errors.Is(res.Disqualified[0].Reason, threshold.ErrUnanswered) {
		t.Fatalf("QUAL %v, disqualified %v; want [2 3] and trustee 1 for an unanswered complaint", res.QUAL, res.Disqualified)
	}
	checkSameKey(t, e, trustees, res)
	finish(t, e, trustees, []int{2, 3})
}

func TestBadCommitmentsDisqualify(t *testing.T) {
	e := tallytest.New(t, 3, 2, 3, 1)
	trustees := newTrustees(t, e)
	params := threshold.Params{N: 3, T: 2}
	good, _, err := trustees[0].Store().State.MakeDealing(e.Manifest, e.Signing[0])
	if err != nil {
		t.Fatal(err)
	}
	d, err := election.DecodeDealing(params, good.Payload)
	if err != nil {
		t.Fatal(err)
	}
	// Wrong length: one commitment short of t.
	short := *d.Commitments
	short.C, short.PoK = short.C[:1], short.PoK[:1]
	shortPayload := append([]byte{0, 1}, short.Bytes()...)
	for _, s := range d.Shares {
		shortPayload = append(shortPayload, s...)
	}
	// A proof that does not prove: the proofs of the two coefficients
	// swapped.
	swapped := *d.Commitments
	swapped.PoK = []*proof.Schnorr{d.Commitments.PoK[1], d.Commitments.PoK[0]}
	bad := *d
	bad.Commitments = &swapped
	for name, payload := range map[string][]byte{"wrong length": shortPayload, "invalid proof": bad.Bytes()} {
		err := e.Post(e.Sign(e.Signing[0], election.TypeDealing, payload))
		var ce *election.CheckError
		if !errors.As(err, &ce) || (ce.Check != election.CheckDealingEncoding && ce.Check != election.CheckDealingProofs) {
			t.Fatalf("%s: the board's answer %v, want check 28 or 29", name, err)
		}
	}
	// Trustee 1 never gets a dealing on the record: the others go on.
	drive(t, e, trustees[1:])
	res, err := replica(t, e).Ceremony()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.QUAL, []int{2, 3}) {
		t.Fatalf("QUAL %v, want [2 3]", res.QUAL)
	}
	checkSameKey(t, e, trustees[1:], res)
	finish(t, e, trustees[1:], []int{2, 3})
}

// checkSameKey opens the election and checks that every trustee computes
// a share that matches its verification key in the observer's outcome res.
func checkSameKey(t *testing.T, e *tallytest.Election, trustees []*trustee.Trustee, res *threshold.Result) {
	t.Helper()
	open(t, e)
	if !e.Record.Key().Equal(res.Key) {
		t.Fatal("the record's key is not the observer's")
	}
	r := replica(t, e)
	for _, tr := range trustees {
		if _, err := tr.Step(r); err != nil {
			t.Fatalf("trustee %d: %v", tr.Index(), err)
		}
		s := tr.Store().State.Share
		V := new(group.Point).ScalarBaseMult(s)
		if !V.Equal(res.VerificationKeys[tr.Index()-1]) {
			t.Fatalf("trustee %d's share does not match its verification key", tr.Index())
		}
	}
}

// finish votes, closes, lets the trustees decrypt and checks the tally.
func finish(t *testing.T, e *tallytest.Election, trustees []*trustee.Trustee, decrypting []int) {
	t.Helper()
	e.Vote(t, 0, 1)
	e.Close(t)
	var active []*trustee.Trustee
	for _, tr := range trustees {
		if slices.Contains(decrypting, tr.Index()) {
			active = append(active, tr)
		}
	}
	drive(t, e, active)
	res, _, err := count(t, e, postedPartials(t, e))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(res.Counts[0], []uint64{0, 1, 0}) {
		t.Fatalf("counts %v, want [0 1 0]", res.Counts[0])
	}
}

func TestWrongPartialExcluded(t *testing.T) {
	e := tallytest.New(t, 3, 2, 3, 2)
	trustees := newTrustees(t, e)
	drive(t, e, trustees)
	open(t, e)
	e.Vote(t, 0, 2)
	e.Vote(t, 1, 2)
	e.Close(t)
	// Trustee 1 decrypts with a share of its own choosing, with a proof
	// that is valid for that share.
	wrong, err := election.NewPartial(e.Manifest, e.ID, e.Signing[0], group.ScalarFromUint64(7), e.Record.Aggregates(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var ce *election.CheckError
	if err := e.Post(wrong); !errors.As(err, &ce) || ce.Check != election.CheckPartialProofs {
		t.Fatalf("the board took the wrong partial: %v", err)
	}
	drive(t, e, trustees[1:])
	wp, err := election.DecodePartial(e.Manifest, wrong.Payload)
	if err != nil {
		t.Fatal(err)
	}
	res, d, err := count(t, e, append([]*election.Partial{wp}, postedPartials(t, e)...))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Excluded) != 1 || d.Excluded[0].Trustee != 1 || !errors.Is(d.Excluded[0].Reason, tally.ErrInvalidPartial) {
		t.Fatalf("excluded %v, want trustee 1's invalid partial", d.Excluded)
	}
	if !slices.Equal(d.Used, []int{2, 3}) || !slices.Equal(res.Counts[0], []uint64{0, 0, 2}) {
		t.Fatalf("used %v counts %v, want [2 3] and [0 0 2]", d.Used, res.Counts[0])
	}
	// With trustee 3 gone as well, one valid partial is not enough.
	_, _, err = count(t, e, []*election.Partial{wp, postedPartials(t, e)[0]})
	var few *tally.TooFewError
	if !errors.As(err, &few) || len(few.Excluded) != 1 || !slices.Equal(few.Valid, []int{2}) {
		t.Fatalf("with one valid partial: %v, want a TooFewError naming trustee 1", err)
	}
}
