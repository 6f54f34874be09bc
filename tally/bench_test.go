package tally_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
	"github.com/evote/evote/tally/tallytest"
)

// benchElection is a 2-of-3 election of one contest with options options,
// its key ceremony run with the threshold package directly, and the
// trustees' shares.
type benchElection struct {
	e        *tallytest.Election
	ceremony *threshold.Result
	shares   map[int]*group.Scalar
}

func newBenchElection(b *testing.B, options int) *benchElection {
	b.Helper()
	e := tallytest.New(b, 3, 2, options, 1)
	params := threshold.Params{N: 3, T: 2}
	ctx := proof.Context{Election: e.ID[:]}
	polys := make(map[int]*threshold.Polynomial)
	commitments := make(map[int]*threshold.Commitments)
	for i := 1; i <= params.N; i++ {
		f, c, err := threshold.NewDealing(params, i, ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		polys[i], commitments[i] = f, c
	}
	res, err := threshold.Qualify(params, commitments, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	be := &benchElection{e: e, ceremony: res, shares: make(map[int]*group.Scalar)}
	for j := 1; j <= params.N; j++ {
		received := make(map[int]*group.Scalar)
		for i, f := range polys {
			if received[i], err = f.Share(j); err != nil {
				b.Fatal(err)
			}
		}
		if be.shares[j], err = threshold.CombineShares(res, j, received); err != nil {
			b.Fatal(err)
		}
	}
	return be
}

// ballots returns n ballots under key K, ballot v selecting option
// v mod options. Real encryption costs two scalar multiplications per
// option; these cost a few additions: option o of ballot v encrypts with
// randomness r_o + v·δ, so each ciphertext is the previous one plus
// (δ·G, δ·K), plus G where the selection is 1. They are valid ElGamal
// ciphertexts under K, which is all the tally's stages look at.
func ballots(n, options int, K *group.Point) []tally.Ballot {
	delta := group.MustRandomScalar()
	dG := new(group.Point).ScalarBaseMult(delta)
	dK := new(group.Point).ScalarMult(delta, K)
	G := group.Generator()
	out := make([]tally.Ballot, n)
	workers := 2
	done := make(chan struct{})
	for w := range workers {
		go func() {
			defer func() { done <- struct{}{} }()
			lo, hi := n*w/workers, n*(w+1)/workers
			prev := make([]*elgamal.Ciphertext, options)
			for o := range prev {
				r := group.MustRandomScalar()
				prev[o] = elgamal.Encrypt(K, group.NewScalar(), r)
			}
			for v := lo; v < hi; v++ {
				cts := make([]*elgamal.Ciphertext, options)
				for o := range cts {
					ct := &elgamal.Ciphertext{A: new(group.Point).Add(prev[o].A, dG), B: new(group.Point).Add(prev[o].B, dK)}
					prev[o] = ct
					if v%options == o {
						// The running ciphertext stays an encryption of 0;
						// this ballot's copy gets the selection.
						ct = &elgamal.Ciphertext{A: ct.A, B: new(group.Point).Add(ct.B, G)}
					}
					cts[o] = ct
				}
				out[v] = tally.Ballot{cts}
			}
		}()
	}
	for range workers {
		<-done
	}
	return out
}

// BenchmarkTally times the tally of one contest with 5 options once the
// ballots are in memory: aggregate, the trustees' partial decryptions (2 of
// 3), checking and combining them, and the discrete logs. Run with
// -benchtime=1x for the 1M case; each stage is reported in seconds.
func BenchmarkTally(b *testing.B) {
	for _, n := range []int{100_000, 1_000_000} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			const options = 5
			be := newBenchElection(b, options)
			m := be.e.Manifest
			bs := ballots(n, options, be.ceremony.Key)
			want := make([]uint64, options)
			for v := range n {
				want[v%options]++
			}
			b.ResetTimer()
			var tAgg, tPartial, tCombine, tLog time.Duration
			for range b.N {
				start := time.Now()
				agg := tally.Aggregate(m, bs)
				tAgg += time.Since(start)

				start = time.Now()
				var partials []*election.Partial
				for _, j := range []int{1, 2} {
					en, err := election.NewPartial(m, be.e.ID, be.e.Signing[j-1], be.shares[j], agg, nil)
					if err != nil {
						b.Fatal(err)
					}
					p, err := election.DecodePartial(m, en.Payload)
					if err != nil {
						b.Fatal(err)
					}
					partials = append(partials, p)
				}
				tPartial += time.Since(start)

				start = time.Now()
				d, err := tally.Decrypt(m, be.e.ID, be.ceremony, agg, partials)
				if err != nil {
					b.Fatal(err)
				}
				tCombine += time.Since(start)

				start = time.Now()
				counts, err := tally.Solve(m, d.Plaintexts, uint64(n))
				if err != nil {
					b.Fatal(err)
				}
				tLog += time.Since(start)
				if !slices.Equal(counts[0], want) {
					b.Fatalf("counts %v, want %v", counts[0], want)
				}
			}
			per := func(d time.Duration) float64 { return d.Seconds() / float64(b.N) }
			b.ReportMetric(per(tAgg), "aggregate-s")
			b.ReportMetric(per(tPartial), "partials-s")
			b.ReportMetric(per(tCombine), "verify+combine-s")
			b.ReportMetric(per(tLog), "dlog-s")
		})
	}
}
