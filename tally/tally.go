package tally

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election"
)

// Config is what Run needs.
type Config struct {
	// Follower reads the record from the board.
	Follower *Follower
	// Extra holds partial decryption entries handed in outside the board
	// (a trustee's offline partial). Each is checked like the board's and,
	// if valid and not on the record yet, posted before the result.
	Extra []*election.Entry
	// Commission signs the result entry; nil computes the result without
	// posting it.
	Commission ed25519.PrivateKey
	// Submit posts an entry's bytes to the board. Required with Commission
	// or Extra.
	Submit func(ctx context.Context, entry []byte) error
	// Wait bounds how long Run waits for the seal quorum and for t valid
	// partial decryptions; 0 means not at all.
	Wait time.Duration
	// Poll is how often the board is read again while waiting (0: 1 s).
	Poll time.Duration
	// Progress, if not nil, is told of each stage (Stage) as it runs.
	Progress Progress
}

// Progress hears of the tally's stages: Stage announces one with the number
// of steps it takes and returns the function to call as steps complete.
type Progress interface {
	Stage(name string, total int) (step func(done int))
}

// Report is the outcome of Run.
type Report struct {
	// Ballots is the number of counted ballots; Superseded lists the ballots
	// of the sealed set that do not count (revotes), with the reason.
	Ballots    uint64
	Superseded []election.SupersededBallot
	Decryption *Decryption
	Result     *election.Result
	// Entry is the signed result entry (nil without a commission key);
	// Posted says whether Run posted it (false when the board already held
	// the same result).
	Entry  *election.Entry
	Posted bool
	// PostedPartials lists the trustees whose partials from Extra Run
	// posted.
	PostedPartials []int
}

// Run tallies the election: it waits until the record is in the decryption
// phase (a seal quorum agrees on the record's ballot set), aggregates the
// counted ballots, checks the aggregates against the record's, waits for t
// valid partial decryptions, combines them, recovers every count, and with a
// commission key posts the result entry. It posts nothing unless every step
// succeeded. If the board already holds a result, Run checks that it is the
// one it computed and posts nothing.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	f := cfg.Follower
	if err := cfg.check(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(cfg.Wait)
	if err := cfg.waitFor(ctx, deadline, "the seal quorum", func() error {
		if p := f.Phase(); p < election.PhaseDecryption {
			return fmt.Errorf("the record is in the %v phase: no seal quorum on its ballot set yet", p)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	m, id := f.Manifest(), f.ID()
	rep := &Report{}
	agg, err := cfg.aggregate(rep)
	if err != nil {
		return nil, err
	}
	ceremony := f.Record().Ceremony()
	if err := cfg.waitFor(ctx, deadline, "t valid partial decryptions", func() error {
		d, err := Decrypt(m, id, ceremony, agg, cfg.candidates())
		rep.Decryption = d
		return err
	}); err != nil {
		return nil, err
	}
	step := cfg.stage("discrete log", 1)
	counts, err := Solve(m, rep.Decryption.Plaintexts, rep.Ballots)
	if err != nil {
		return nil, err
	}
	step(1)
	rep.Result = &election.Result{Ballots: rep.Ballots, Counts: counts}
	if posted := f.Result(); posted != nil {
		if err := posted.Compare(m, rep.Result); err != nil {
			return rep, fmt.Errorf("the board holds another result: %w", err)
		}
	}
	if cfg.Commission == nil {
		return rep, nil
	}
	return rep, cfg.post(ctx, rep)
}

// check checks the configuration.
func (cfg *Config) check() error {
	if cfg.Follower == nil {
		return errors.New("tally: no follower")
	}
	if (cfg.Commission != nil || len(cfg.Extra) > 0) && cfg.Submit == nil {
		return errors.New("tally: nothing to post with")
	}
	if cfg.Commission != nil && !cfg.Commission.Public().(ed25519.PublicKey).Equal(cfg.Follower.Manifest().Commission) {
		return fmt.Errorf("the signing key is not the commission key of election %s", cfg.Follower.ID())
	}
	return nil
}

// waitFor syncs with the board and calls ready until it succeeds, the
// deadline passes or ctx ends; then it returns ready's last error.
func (cfg *Config) waitFor(ctx context.Context, deadline time.Time, what string, ready func() error) error {
	poll := cfg.Poll
	if poll <= 0 {
		poll = time.Second
	}
	for {
		if err := cfg.Follower.Sync(ctx); err != nil {
			return err
		}
		err := ready()
		if err == nil {
			return nil
		}
		if !time.Now().Before(deadline) {
			return fmt.Errorf("waiting for %s: %w", what, err)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w (%w)", what, ctx.Err(), err)
		case <-time.After(poll):
		}
	}
}

// aggregate computes the aggregates of the counted ballots and checks them
// against the record's.
func (cfg *Config) aggregate(rep *Report) ([][]*elgamal.Ciphertext, error) {
	f := cfg.Follower
	m := f.Manifest()
	ballots := f.Ballots()
	step := cfg.stage("decoding ballots", len(ballots))
	counted, superseded, err := CountedBallots(m, ballots)
	if err != nil {
		return nil, err
	}
	step(len(ballots))
	rep.Ballots, rep.Superseded = uint64(len(counted)), superseded
	step = cfg.stage("aggregating", len(counted))
	agg := Aggregate(m, counted)
	step(len(counted))
	if err := EqualAggregates(m, agg, f.Record().Aggregates()); err != nil {
		return nil, fmt.Errorf("the counted ballots do not add up to the record's aggregates: %w", err)
	}
	return agg, nil
}

// candidates returns the partial decryptions to consider: the record's, by
// trustee, then the extra ones.
func (cfg *Config) candidates() []*election.Partial {
	var out []*election.Partial
	f := cfg.Follower
	for j := 1; j <= f.Params().N; j++ {
		if p := f.Partial(j); p != nil {
			out = append(out, p.Partial)
		}
	}
	for _, e := range cfg.Extra {
		p, err := election.DecodePartial(f.Manifest(), e.Payload)
		if err != nil || e.Type != election.TypePartial {
			continue
		}
		out = append(out, p)
	}
	return out
}

// post posts the extra partials that were used and are not on the record,
// then the signed result.
func (cfg *Config) post(ctx context.Context, rep *Report) error {
	f := cfg.Follower
	used := make(map[int]bool)
	for _, j := range rep.Decryption.Used {
		used[j] = true
	}
	for _, e := range cfg.Extra {
		p, err := election.DecodePartial(f.Manifest(), e.Payload)
		if err != nil || !used[p.Trustee] || f.Partial(p.Trustee) != nil {
			continue
		}
		if err := cfg.Submit(ctx, e.Bytes()); err != nil {
			return fmt.Errorf("posting trustee %d's partial decryption: %w", p.Trustee, err)
		}
		rep.PostedPartials = append(rep.PostedPartials, p.Trustee)
	}
	e, err := election.NewResult(f.Manifest(), f.ID(), cfg.Commission, rep.Result)
	if err != nil {
		return err
	}
	rep.Entry = e
	if f.Result() != nil {
		return nil
	}
	if err := cfg.Submit(ctx, e.Bytes()); err != nil {
		return fmt.Errorf("posting the result: %w", err)
	}
	rep.Posted = true
	return nil
}

// stage announces a stage to the progress display, if any.
func (cfg *Config) stage(name string, total int) func(int) {
	if cfg.Progress == nil {
		return func(int) {}
	}
	return cfg.Progress.Stage(name, total)
}
