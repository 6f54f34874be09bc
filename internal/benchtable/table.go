package main

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// baselineSuffix marks a benchmark that measures the same operation with
// go.dedis.ch/kyber's edwards25519 suite: BenchmarkX_KyberEd25519/sub is the
// baseline for BenchmarkX/sub in the same package.
const baselineSuffix = "_KyberEd25519"

// baselineOf returns the name of the evote benchmark that name is the
// baseline for, and whether name is a baseline at all. The suffix belongs to
// the top-level benchmark function, before any sub-benchmark path.
func baselineOf(name string) (string, bool) {
	top, sub, hasSub := strings.Cut(name, "/")
	base, found := strings.CutSuffix(top, baselineSuffix)
	if !found || base == "Benchmark" {
		return "", false
	}
	if hasSub {
		return base + "/" + sub, true
	}
	return base, true
}

// Comparison is one row of the "evote vs baseline" table.
type Comparison struct {
	Pkg, Name       string
	Unit            string // the metric compared
	Evote, Baseline float64
}

// Ratio is Baseline/Evote: above 1 means evote is faster.
func (c Comparison) Ratio() float64 { return c.Baseline / c.Evote }

// Compare pairs each evote benchmark with its baseline, in input order.
// It compares a per-item time metric (a custom unit starting with "ns/",
// such as ns/ballot) when both report the same one, since that is what the
// benchmark's author meant to be compared; otherwise ns/op.
func Compare(results []*Result) []Comparison {
	type key struct{ pkg, name string }
	baselines := map[key]*Result{}
	for _, r := range results {
		if target, ok := baselineOf(r.Name); ok {
			baselines[key{r.Pkg, target}] = r
		}
	}
	var out []Comparison
	for _, r := range results {
		b := baselines[key{r.Pkg, r.Name}]
		if b == nil {
			continue
		}
		unit := compareUnit(r, b)
		if unit == "" {
			continue
		}
		out = append(out, Comparison{Pkg: r.Pkg, Name: r.Name, Unit: unit, Evote: r.Metrics[unit], Baseline: b.Metrics[unit]})
	}
	return out
}

// compareUnit picks the metric to compare, or "" if the two share none.
func compareUnit(evote, base *Result) string {
	for _, u := range evote.Units {
		if _, ok := base.Metrics[u]; ok && isExtra(u) && strings.HasPrefix(u, "ns/") {
			return u
		}
	}
	if _, ok := base.Metrics[unitNsPerOp]; ok {
		if _, ok := evote.Metrics[unitNsPerOp]; ok {
			return unitNsPerOp
		}
	}
	return ""
}

// WriteTables prints the results table and, if any benchmark has a
// baseline, the comparison table, both as GitHub-flavoured Markdown.
// trim is removed from the front of package paths to keep the table narrow.
func WriteTables(w io.Writer, results []*Result, trim string) {
	var extra []string
	seen := map[string]bool{}
	for _, r := range results {
		for _, u := range r.Units {
			if isExtra(u) && !seen[u] {
				seen[u] = true
				extra = append(extra, u)
			}
		}
	}
	cols := append(append([]string{unitNsPerOp}, extra...), unitBytesPerOp, unitAllocsPerOp)

	fmt.Fprint(w, "### Benchmarks\n\n")
	t := &table{header: append([]string{"package", "benchmark"}, cols...)}
	for _, r := range results {
		row := []string{shortPkg(r.Pkg, trim), r.Name}
		for _, u := range cols {
			if v, ok := r.Metrics[u]; ok {
				row = append(row, formatValue(v))
			} else {
				row = append(row, "")
			}
		}
		t.rows = append(t.rows, row)
	}
	t.write(w)

	cmp := Compare(results)
	if len(cmp) == 0 {
		return
	}
	fmt.Fprintf(w, "\n### evote vs baseline (%s)\n\n", strings.TrimPrefix(baselineSuffix, "_"))
	t = &table{header: []string{"package", "benchmark", "metric", "evote", "baseline", "baseline/evote"}}
	for _, c := range cmp {
		t.rows = append(t.rows, []string{shortPkg(c.Pkg, trim), c.Name, c.Unit, formatValue(c.Evote), formatValue(c.Baseline), formatRatio(c.Ratio())})
	}
	t.write(w)
}

func shortPkg(pkg, trim string) string {
	if s := strings.TrimPrefix(pkg, trim); s != "" {
		return s
	}
	return pkg
}

// formatValue prints large values as grouped integers (1,234,567) and small
// ones with three significant digits, which is about the precision a single
// benchmark run has.
func formatValue(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	if math.Abs(v) < 1000 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	s := strconv.FormatFloat(math.Round(v), 'f', 0, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, d := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func formatRatio(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "n/a"
	case r >= 1:
		return fmt.Sprintf("%.1f×", r)
	default:
		return fmt.Sprintf("%.2f×", r)
	}
}

// table is a Markdown table whose columns are padded to line up in a
// terminal as well as render on GitHub. Numeric columns are right-aligned.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) write(w io.Writer) {
	width := make([]int, len(t.header))
	for i, h := range t.header {
		width[i] = len([]rune(h))
	}
	for _, row := range t.rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	line := func(cells []string, align func(i int, s string) string) {
		var b strings.Builder
		b.WriteString("|")
		for i, c := range cells {
			b.WriteString(" " + align(i, c) + " |")
		}
		fmt.Fprintln(w, b.String())
	}
	pad := func(i int, s string) string {
		n := width[i] - len([]rune(s))
		if t.numeric(i) {
			return strings.Repeat(" ", n) + s
		}
		return s + strings.Repeat(" ", n)
	}
	line(t.header, pad)
	sep := make([]string, len(t.header))
	line(sep, func(i int, _ string) string {
		if t.numeric(i) {
			return strings.Repeat("-", width[i]-1) + ":"
		}
		return strings.Repeat("-", width[i])
	})
	for _, row := range t.rows {
		line(row, pad)
	}
}

// numeric reports whether column i holds numbers: every column after the
// package and benchmark name except the comparison table's metric name.
func (t *table) numeric(i int) bool {
	return i >= 2 && t.header[i] != "metric"
}
