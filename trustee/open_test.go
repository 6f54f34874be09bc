package trustee_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/trustee"
)

func TestFinal(t *testing.T) {
	e := newTestElection(t)
	trustees := newTrustees(t, e)
	deadline := time.Unix(e.Manifest.Schedule.CeremonyDeadline, 0)
	before, after := deadline.Add(-time.Hour), deadline.Add(time.Second)

	_, err := trustee.Final(replica(t, e), before)
	var nf *trustee.NotFinalError
	if !errors.As(err, &nf) || !slices.Equal(nf.Missing, []int{1, 2, 3}) {
		t.Fatalf("no dealing, before the deadline: %v", err)
	}
	if _, err := trustee.Final(replica(t, e), after); !errors.Is(err, threshold.ErrTooFew) {
		t.Fatalf("no dealing, after the deadline: %v", err)
	}
	drive(t, e, trustees[:2])
	if _, err := trustee.Final(replica(t, e), before); !errors.As(err, &nf) || !slices.Equal(nf.Missing, []int{3}) {
		t.Fatalf("two dealings, before the deadline: %v", err)
	}
	res, err := trustee.Final(replica(t, e), after)
	if err != nil || !slices.Equal(res.QUAL, []int{1, 2}) {
		t.Fatalf("two dealings, after the deadline: %v %v", res, err)
	}
	drive(t, e, trustees)
	res, err = trustee.Final(replica(t, e), before)
	if err != nil || !slices.Equal(res.QUAL, []int{1, 2, 3}) {
		t.Fatalf("every dealing: %v %v", res, err)
	}
	if _, err := trustee.NewOpenEntry(replica(t, e), res, e.Signing[0]); err == nil {
		t.Fatal("a trustee's key signed the open entry")
	}
	en, err := trustee.NewOpenEntry(replica(t, e), res, e.Commission)
	if err != nil {
		t.Fatal(err)
	}
	e.MustPost(t, en)
	if e.Record.Phase() != election.PhaseVoting {
		t.Fatal("the open entry did not open the election")
	}
}
