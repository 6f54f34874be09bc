package tests

import (
	"context"
	"os"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/evote/evote/tests/cluster"
	"github.com/evote/evote/voter/cast"
)

// benchVoters is how many credentials the benchmark election has; each
// casts in turn, revoting with a rising counter.
const benchVoters = 16

// fiveOptionConfig writes the cluster's referendum config with its one
// contest replaced by one of five options, choose one.
func fiveOptionConfig(b *testing.B, c *cluster.Cluster) string {
	b.Helper()
	path := c.ElectionConfig(b, "referendum.yaml")
	raw, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	var doc map[string]any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		b.Fatal(err)
	}
	var opts []map[string]any
	for _, id := range []string{"a", "b", "c", "d", "e"} {
		opts = append(opts, map[string]any{"id": id, "title": "Option " + strings.ToUpper(id)})
	}
	doc["title"] = "Five options"
	doc["contests"] = []map[string]any{{"id": "choice", "title": "Choose one of five", "min_selections": 1, "max_selections": 1, "options": opts}}
	out, err := yaml.Marshal(doc)
	if err != nil {
		b.Fatal(err)
	}
	five := strings.TrimSuffix(path, ".yaml") + "-five.yaml"
	if err := os.WriteFile(five, out, 0o644); err != nil {
		b.Fatal(err)
	}
	return five
}

// BenchmarkCastToReceipt is the time from "cast" to a checked receipt for
// one ballot (1 contest, 5 options) against a local three-node board of
// separate processes. "submit" times Election.Cast of a ballot encrypted
// beforehand (the voter has seen its tracker, as Benaloh requires, before
// pressing cast); "encrypt+submit" includes encrypting and signing.
func BenchmarkCastToReceipt(b *testing.B) {
	c := cluster.New(b, cluster.Options{Nodes: 3, Trustees: 3, Threshold: 2})
	ce := c.Publish(b, fiveOptionConfig(b, c), benchVoters)
	c.OpenDirect(b, ce)
	ctx := context.Background()
	e, err := cast.Fetch(ctx, c.Client(b), ce.ID)
	if err != nil {
		b.Fatal(err)
	}
	voters := make([]*cast.Voter, benchVoters)
	for i := range voters {
		code, err := cast.ParseCode(ce.Codes[i])
		if err != nil {
			b.Fatal(err)
		}
		if voters[i], err = e.Voter(code); err != nil {
			b.Fatal(err)
		}
	}
	sel, err := e.Choose(0, map[string][]string{"choice": {"c"}})
	if err != nil {
		b.Fatal(err)
	}
	// Each voter revotes with a rising counter; the second run's counters
	// start above the first's.
	run := func(name string, base uint32, encryptTimed bool) {
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				v, ctr := voters[i%benchVoters], base+uint32(i/benchVoters)
				if !encryptTimed {
					b.StopTimer()
				}
				ballot, err := e.EncryptCounter(v, sel, ctr, nil)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if _, err := e.Cast(ctx, ballot); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("submit", 0, false)
	run("encrypt+submit", 1<<24, true)
}
