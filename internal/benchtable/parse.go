package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Standard units that `go test -bench` itself reports; every other unit
// comes from b.ReportMetric and is a custom metric.
const (
	unitNsPerOp     = "ns/op"
	unitBytesPerOp  = "B/op"
	unitAllocsPerOp = "allocs/op"
)

// Result is one benchmark of one package. If the input holds several runs of
// the same benchmark (-count > 1), Metrics holds the median of each unit.
type Result struct {
	Pkg     string             // import path from the preceding "pkg:" line
	Name    string             // full name, without the -GOMAXPROCS suffix
	Iters   int64              // iterations of the last run
	Metrics map[string]float64 // unit → value, e.g. "ns/op" → 1234
	Units   []string           // units in the order the benchmark reported them
}

// procsSuffix is the -N that `go test` appends to a benchmark name when
// GOMAXPROCS > 1. The output does not say whether the suffix is there, so a
// run with GOMAXPROCS=1 loses a sub-benchmark's own trailing -N ("size-64");
// name sub-benchmarks key=value (batch=1024) to stay clear of that.
var procsSuffix = regexp.MustCompile(`-[0-9]+$`)

// parseLine parses one result line of the form
//
//	BenchmarkName-8   1000   1234 ns/op   56 ns/ballot   0 B/op   0 allocs/op
//
// It reports ok=false for anything else, including a line that starts with
// "Benchmark" but whose fields are not an iteration count followed by
// value/unit pairs (for example a benchmark that printed to stdout).
func parseLine(line string) (name string, iters int64, vals []float64, units []string, ok bool) {
	f := strings.Fields(line)
	if len(f) < 4 || len(f)%2 != 0 || !strings.HasPrefix(f[0], "Benchmark") {
		return "", 0, nil, nil, false
	}
	iters, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || iters <= 0 {
		return "", 0, nil, nil, false
	}
	for i := 2; i < len(f); i += 2 {
		v, err := strconv.ParseFloat(f[i], 64)
		if err != nil {
			return "", 0, nil, nil, false
		}
		vals = append(vals, v)
		units = append(units, f[i+1])
	}
	return procsSuffix.ReplaceAllString(f[0], ""), iters, vals, units, true
}

// Parse reads `go test -bench` output (any number of packages) and returns
// the results in the order they first appeared. Lines that are not results
// are skipped; malformed result lines are counted in skipped so that the
// caller can warn about them.
func Parse(r io.Reader) (results []*Result, skipped int, err error) {
	type key struct{ pkg, name string }
	var (
		pkg  string
		byID = map[key]*Result{}
		runs = map[key]map[string][]float64{}
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if p, found := strings.CutPrefix(line, "pkg: "); found {
			pkg = strings.TrimSpace(p)
			continue
		}
		if !strings.HasPrefix(line, "Benchmark") {
			continue
		}
		name, iters, vals, units, ok := parseLine(line)
		if !ok {
			skipped++
			continue
		}
		k := key{pkg, name}
		res := byID[k]
		if res == nil {
			res = &Result{Pkg: pkg, Name: name, Metrics: map[string]float64{}}
			byID[k] = res
			runs[k] = map[string][]float64{}
			results = append(results, res)
		}
		res.Iters = iters
		for i, u := range units {
			if _, seen := runs[k][u]; !seen {
				res.Units = append(res.Units, u)
			}
			runs[k][u] = append(runs[k][u], vals[i])
		}
	}
	if err := sc.Err(); err != nil {
		return nil, skipped, fmt.Errorf("reading benchmark output: %w", err)
	}
	for _, res := range results {
		for u, vs := range runs[key{res.Pkg, res.Name}] {
			res.Metrics[u] = median(vs)
		}
	}
	return results, skipped, nil
}

func median(vs []float64) float64 {
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// isExtra reports whether unit gets its own column between ns/op and B/op:
// metrics reported with b.ReportMetric, and MB/s from b.SetBytes.
func isExtra(unit string) bool {
	switch unit {
	case unitNsPerOp, unitBytesPerOp, unitAllocsPerOp:
		return false
	}
	return true
}
