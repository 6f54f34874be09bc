package trustee_test

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/tally/tallytest"
	"github.com/evote/evote/trustee"
)

// cheapKDF keeps the tests fast; the file format is the same.
var cheapKDF = trustee.KDF{Time: 1, Memory: 64, Threads: 1}

// passphrase is every test trustee's.
var passphrase = []byte("correct horse battery staple")

// newTrustee returns trustee j of e with a new state file in dir.
func newTrustee(t testing.TB, e *tallytest.Election, dir string, j int) *trustee.Trustee {
	t.Helper()
	st, err := trustee.NewState(e.ID, j)
	if err != nil {
		t.Fatal(err)
	}
	store, err := trustee.Create(filepath.Join(dir, fmt.Sprintf("trustee-%d.state", j)), passphrase, cheapKDF, st)
	if err != nil {
		t.Fatal(err)
	}
	return openTrustee(t, e, store, j)
}

// openTrustee returns trustee j of e with the state in store.
func openTrustee(t testing.TB, e *tallytest.Election, store *trustee.Store, j int) *trustee.Trustee {
	t.Helper()
	tr, err := trustee.New(e.Manifest, e.ID, e.Signing[j-1], e.Encryption[j-1], store)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// newTrustees returns every trustee of e, each with its own state file.
func newTrustees(t testing.TB, e *tallytest.Election) []*trustee.Trustee {
	t.Helper()
	dir := t.TempDir()
	var out []*trustee.Trustee
	for j := 1; j <= len(e.Manifest.Trustees.Members); j++ {
		out = append(out, newTrustee(t, e, dir, j))
	}
	return out
}

// replica returns a replica of everything on e's board.
func replica(t testing.TB, e *tallytest.Election) *tally.Replica {
	t.Helper()
	r, err := tally.NewReplica(e.ManifestEntry)
	if err != nil {
		t.Fatal(err)
	}
	if errs := r.Add(e.Board); len(errs) > 0 {
		t.Fatalf("the board holds entries its replica refuses: %v", errs)
	}
	return r
}

// drive lets each trustee step and post until none has anything new to
// post, and returns the errors the board gave the entries it refused.
func drive(t *testing.T, e *tallytest.Election, trustees []*trustee.Trustee) []error {
	t.Helper()
	var refused []error
	for range 10 {
		posted := 0
		for _, tr := range trustees {
			plan, err := tr.Step(replica(t, e))
			if err != nil {
				t.Fatalf("trustee %d: %v", tr.Index(), err)
			}
			for _, en := range plan.Post {
				if e.Record.Has(en.ID()) {
					continue
				}
				if err := e.Post(en); err != nil {
					refused = append(refused, err)
					continue
				}
				posted++
			}
		}
		if posted == 0 {
			return refused
		}
	}
	t.Fatal("the trustees did not settle in 10 rounds")
	return nil
}

// open posts the open entry for the ceremony on e's board.
func open(t *testing.T, e *tallytest.Election) {
	t.Helper()
	res, err := replica(t, e).Ceremony()
	if err != nil {
		t.Fatal(err)
	}
	e.Open(t, res)
}

// count runs the tally's stages on e's board with the given partials and
// returns the result.
func count(t *testing.T, e *tallytest.Election, partials []*election.Partial) (*election.Result, *tally.Decryption, error) {
	t.Helper()
	r := replica(t, e)
	ballots, _, err := tally.CountedBallots(e.Manifest, r.Ballots())
	if err != nil {
		t.Fatal(err)
	}
	agg := tally.Aggregate(e.Manifest, ballots)
	if err := tally.EqualAggregates(e.Manifest, agg, r.Record().Aggregates()); err != nil {
		t.Fatal(err)
	}
	d, err := tally.Decrypt(e.Manifest, e.ID, r.Record().Ceremony(), agg, partials)
	if err != nil {
		return nil, nil, err
	}
	counts, err := tally.Solve(e.Manifest, d.Plaintexts, uint64(len(ballots)))
	if err != nil {
		t.Fatal(err)
	}
	return &election.Result{Ballots: uint64(len(ballots)), Counts: counts}, d, nil
}

// postedPartials returns the partials on e's board.
func postedPartials(t *testing.T, e *tallytest.Election) []*election.Partial {
	t.Helper()
	var out []*election.Partial
	r := replica(t, e)
	for j := 1; j <= r.Params().N; j++ {
		if p := r.Partial(j); p != nil {
			out = append(out, p.Partial)
		}
	}
	return out
}

// newTestElection is a 2-of-3 election with one voter.
func newTestElection(t *testing.T) *tallytest.Election { return tallytest.New(t, 3, 2, 3, 1) }
