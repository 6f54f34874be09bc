package demo

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"syscall"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/cast"
)

// voting is what the voters did.
type voting struct {
	cast, revotes, refused int
	challenged             bool
	expected               [][]uint64
}

// vote has every voter cast through the voter's client code, with the
// second node killed (SIGKILL) a third of the way through and restarted
// at two thirds; then every tenth voter votes again, and three invalid
// ballots are posted, each of which the board must refuse.
func (d *run) vote(ctx context.Context) (*voting, error) {
	el, err := cast.Fetch(ctx, d.board, d.id)
	if err != nil {
		return nil, fmt.Errorf("voter device: %w", err)
	}
	seed := d.o.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	n := d.o.Voters
	voters := make([]*cast.Voter, n)
	for i := range voters {
		if voters[i], err = el.Voter(d.issue.Credentials[i].Code); err != nil {
			return nil, fmt.Errorf("voter %d: %w", i+1, err)
		}
	}
	first := make([]cast.Selections, n)
	for i, v := range voters {
		first[i] = randomChoice(rng, el.Contests(v.Style))
	}
	last := make([]cast.Selections, n)
	copy(last, first)
	res := &voting{}

	// Voter 1 first challenges a ballot (Benaloh): the device reveals its
	// randomness, anyone decrypts it from the board, then the voter casts.
	if err := d.challenge(ctx, el, voters[0], first[0]); err != nil {
		return res, err
	}
	res.challenged = true

	var done atomic.Int64
	castAll := func(idx []int, sels []cast.Selections) error {
		work := make(chan int)
		errs := make(chan error, len(idx))
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range work {
					b, err := el.Encrypt(ctx, voters[i], sels[i])
					if err == nil {
						_, err = el.Cast(ctx, b)
					}
					if err != nil {
						errs <- fmt.Errorf("voter %d: %w", i+1, err)
						continue
					}
					done.Add(1)
				}
			}()
		}
		for _, i := range idx {
			work <- i
		}
		close(work)
		wg.Wait()
		close(errs)
		return errors.Join(collect(errs)...)
	}

	victim := d.nodes[1]
	thirds := make(chan error, 1)
	go func() { thirds <- d.killAndRestart(ctx, victim, &done, int64(n)) }()
	all := make([]int, n)
	for i := range all {
		all[i] = i
	}
	if err := castAll(all, first); err != nil {
		return res, err
	}
	if err := <-thirds; err != nil {
		return res, err
	}
	res.cast = n

	var again []int
	revote := make([]cast.Selections, n)
	for i := 0; i < n; i += 10 {
		again = append(again, i)
		revote[i] = randomChoice(rng, el.Contests(voters[i].Style))
		last[i] = revote[i]
	}
	if err := castAll(again, revote); err != nil {
		return res, err
	}
	res.cast += len(again)
	res.revotes = len(again)

	if res.refused, err = d.invalidBallots(ctx, el, voters); err != nil {
		return res, err
	}

	res.expected = make([][]uint64, len(d.m.Contests))
	for c, ct := range d.m.Contests {
		res.expected[c] = make([]uint64, len(ct.Options))
	}
	for i, v := range voters {
		for k, c := range d.m.StyleContests(v.Style) {
			for o, x := range last[i][k] {
				res.expected[c][o] += x
			}
		}
	}
	return res, nil
}

func collect(errs <-chan error) []error {
	var out []error
	for err := range errs {
		out = append(out, err)
	}
	return out
}

// killAndRestart kills the node when a third of the voters have cast and
// restarts it on the same data at two thirds.
func (d *run) killAndRestart(ctx context.Context, n *demoNode, done *atomic.Int64, total int64) error {
	waitCount := func(want int64) error {
		for done.Load() < want {
			select {
			case <-ctx.Done():
				return ctx.Err()
			default:
			}
			sleep(ctx, 5)
		}
		return nil
	}
	if err := waitCount(total / 3); err != nil {
		return err
	}
	n.p.signal(syscall.SIGKILL)
	fmt.Fprintf(d.o.Out, "       %s killed (SIGKILL) after %d ballots; voters' devices fail over to the other nodes\n", n.name, done.Load())
	if err := waitCount(2 * total / 3); err != nil {
		return err
	}
	if err := d.startNode(n); err != nil {
		return err
	}
	if err := d.waitNode(ctx, n); err != nil {
		return err
	}
	fmt.Fprintf(d.o.Out, "       %s restarted after %d ballots; it catches up from its peers\n", n.name, done.Load())
	return nil
}

// randomChoice picks, per contest, a random number of options within its
// limits.
func randomChoice(rng *rand.Rand, contests []*election.Contest) cast.Selections {
	sel := make(cast.Selections, len(contests))
	for k, c := range contests {
		sel[k] = make([]uint64, len(c.Options))
		lo := int(c.MinSelections)
		if lo == 0 && rng.IntN(10) > 0 {
			lo = 1 // most voters answer; about one in ten leaves a blank
		}
		count := lo + rng.IntN(max(int(c.MaxSelections)-lo, 0)+1)
		for _, o := range rng.Perm(len(c.Options))[:count] {
			sel[k][o] = 1
		}
	}
	return sel
}

// challenge has the voter encrypt, challenge, audit from the board, then
// cast.
func (d *run) challenge(ctx context.Context, el *cast.Election, v *cast.Voter, sel cast.Selections) error {
	b, err := el.Encrypt(ctx, v, sel)
	if err != nil {
		return err
	}
	sp, err := el.Challenge(ctx, b)
	if err != nil {
		return fmt.Errorf("challenge: %w", err)
	}
	audit, err := el.Audit(ctx, sp.Tracker)
	if err != nil {
		return fmt.Errorf("audit of the challenged ballot: %w", err)
	}
	want := fmt.Sprint(el.Describe(v.Style, sel))
	if got := fmt.Sprint(audit.Choices); got != want {
		return fmt.Errorf("the audit of the challenged ballot shows %s, the voter chose %s", got, want)
	}
	fmt.Fprintf(d.o.Out, "       voter 0001 challenged ballot %x…: the audit from the board shows exactly the choices made\n", sp.Ballot[:6])
	return nil
}

// invalidBallots posts three ballots the board must refuse — a forged
// signature, a credential not on the list, and a proof that belongs to
// another encryption — and returns how many were refused.
func (d *run) invalidBallots(ctx context.Context, el *cast.Election, voters []*cast.Voter) (int, error) {
	key := d.issue.Credentials[1].Code.Key(d.id)
	b1, err := el.EncryptCounter(voters[1], randomChoice(rand.New(rand.NewPCG(1, 1)), el.Contests(voters[1].Style)), 99, nil)
	if err != nil {
		return 0, err
	}
	forged := b1.Entry.Bytes()
	forged[len(forged)-1] ^= 1

	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		return 0, err
	}
	sel0 := randomChoice(rand.New(rand.NewPCG(2, 2)), el.Contests(0))
	ineligible, _, err := election.NewBallot(d.m, d.id, elgamal.NewPublicKey(el.Key), stranger, 0, 0, sel0, nil)
	if err != nil {
		return 0, err
	}

	sel1 := randomChoice(rand.New(rand.NewPCG(3, 3)), el.Contests(voters[1].Style))
	x, err := el.EncryptCounter(voters[1], sel1, 100, nil)
	if err != nil {
		return 0, err
	}
	y, err := el.EncryptCounter(voters[1], sel1, 100, nil)
	if err != nil {
		return 0, err
	}
	bx, err := election.DecodeBallot(el.Layout(), x.Entry.Payload)
	if err != nil {
		return 0, err
	}
	by, err := election.DecodeBallot(el.Layout(), y.Entry.Payload)
	if err != nil {
		return 0, err
	}
	bx.Contests[0].Range = by.Contests[0].Range
	swapped := *x.Entry
	swapped.Payload = bx.Bytes(el.Layout())
	swapped.Sign(key)

	refused := 0
	for _, bad := range []struct {
		what string
		b    []byte
	}{
		{"a ballot with a forged signature", forged},
		{"a ballot by a credential not on the list", ineligible.Bytes()},
		{"a ballot whose proof belongs to another encryption", swapped.Bytes()},
	} {
		_, err := d.board.Submit(ctx, bad.b)
		var ce *client.Error
		if !errors.As(err, &ce) || ce.Status/100 != 4 {
			return refused, fmt.Errorf("%s was not refused: %v", bad.what, err)
		}
		refused++
		fmt.Fprintf(d.o.Out, "       refused, as it must be: %s (%s)\n", bad.what, ce.Message)
	}
	return refused, nil
}
