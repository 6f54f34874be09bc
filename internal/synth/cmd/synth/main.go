// Command synth writes a large, valid, synthetic election record directory
// for the verifier's benchmarks (package internal/synth):
//
//	go run ./internal/synth/cmd/synth -ballots 1000000 -out /tmp/record-1m
//	evote verify --record /tmp/record-1m
package main

import (
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/evote/evote/internal/synth"
)

func main() {
	var p synth.Params
	out := flag.String("out", "", "record directory to write (required)")
	flag.IntVar(&p.Ballots, "ballots", 1000, "voters who cast a ballot")
	flag.IntVar(&p.Options, "options", 5, "options of the one contest (choose exactly one)")
	flag.IntVar(&p.Revotes, "revotes", 0, "voters who cast a second ballot that replaces the first")
	flag.IntVar(&p.Spoiled, "spoiled", 0, "challenged (spoiled) ballots")
	flag.IntVar(&p.Trustees, "trustees", 3, "trustees")
	flag.IntVar(&p.Threshold, "threshold", 2, "trustees needed to decrypt")
	flag.IntVar(&p.Nodes, "nodes", 3, "board nodes, each of which seals")
	flag.StringVar(&p.Seed, "seed", "evote-synth", "seed of every key")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: synth -out DIR [-ballots N] [-options K] [-revotes N] [-spoiled N] [-seed S]")
		os.Exit(2)
	}
	start := time.Now()
	el, err := synth.Write(*out, p)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("election %s: %d entries (ballot entries of %d bytes), counts %v, in %s\n",
		el.ID, el.Entries, el.BallotBytes, el.Counts, time.Since(start).Round(time.Millisecond))
}
