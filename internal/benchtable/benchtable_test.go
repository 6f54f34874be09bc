package main

import (
	"bytes"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden .md files in testdata")

func parseFile(t *testing.T, name string) ([]*Result, int) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	results, skipped, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(%s): %v", name, err)
	}
	return results, skipped
}

func find(t *testing.T, results []*Result, pkg, name string) *Result {
	t.Helper()
	for _, r := range results {
		if r.Pkg == pkg && r.Name == name {
			return r
		}
	}
	t.Fatalf("no result for %s %s", pkg, name)
	return nil
}

const (
	groupPkg = "github.com/evote/evote/crypto/group"
	proofPkg = "github.com/evote/evote/crypto/proof"
)

func TestParseGood(t *testing.T) {
	results, skipped := parseFile(t, "good_two_packages.txt")
	if skipped != 0 {
		t.Errorf("skipped %d lines of a well-formed file", skipped)
	}
	// 10 result lines in crypto/group, of which 3 repeat one benchmark; 6 in crypto/proof.
	if len(results) != 8+6 {
		t.Fatalf("got %d results, want 14", len(results))
	}
	if r := results[0]; r.Pkg != groupPkg || r.Name != "BenchmarkScalarBaseMult" {
		t.Errorf("first result %s %s: input order or -GOMAXPROCS suffix stripping is wrong", r.Pkg, r.Name)
	}

	tests := []struct {
		pkg, name, unit string
		want            float64
	}{
		{groupPkg, "BenchmarkScalarBaseMult", "ns/op", 57312},
		{groupPkg, "BenchmarkScalarBaseMult_KyberEd25519", "allocs/op", 3},
		{groupPkg, "BenchmarkScalarMult", "ns/op", 260123}, // median of three runs
		{groupPkg, "BenchmarkMSM/n=1024", "ns/point", 120563},
		{groupPkg, "BenchmarkMSM/n=1024", "B/op", 983040},
		{groupPkg, "BenchmarkBytes", "MB/s", 972.44},
		{proofPkg, "BenchmarkVerifyBatch/batch=1024", "ns/proof", 341797},
		{proofPkg, "BenchmarkMixed", "nsd/op", 0.5},
	}
	for _, tt := range tests {
		r := find(t, results, tt.pkg, tt.name)
		if got, ok := r.Metrics[tt.unit]; !ok || got != tt.want {
			t.Errorf("%s %s: %s = %v (present %v), want %v", tt.pkg, tt.name, tt.unit, got, ok, tt.want)
		}
	}

	msm := find(t, results, groupPkg, "BenchmarkMSM/n=1024")
	if got := strings.Join(msm.Units, " "); got != "ns/op ns/point B/op allocs/op" {
		t.Errorf("units in report order = %q", got)
	}
	if _, ok := find(t, results, proofPkg, "BenchmarkMixed_KyberEd25519").Metrics["B/op"]; ok {
		t.Error("B/op present for a benchmark run without it")
	}
}

func TestParseSkipsMalformed(t *testing.T) {
	results, skipped := parseFile(t, "fail_malformed_lines.txt")
	var names []string
	for _, r := range results {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, " "); got != "BenchmarkGood BenchmarkAfter" {
		t.Errorf("parsed %q, want only the two well-formed results", got)
	}
	// Printed, Truncated, BadValue, ZeroIters, NoIters and a bare "Benchmark".
	if skipped != 6 {
		t.Errorf("skipped %d lines, want 6", skipped)
	}
}

func TestParseEmpty(t *testing.T) {
	results, skipped, err := Parse(strings.NewReader(""))
	if err != nil || len(results) != 0 || skipped != 0 {
		t.Errorf("Parse(empty) = %d results, %d skipped, %v", len(results), skipped, err)
	}
}

func TestBaselineOf(t *testing.T) {
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"BenchmarkX_KyberEd25519", "BenchmarkX", true},
		{"BenchmarkX_KyberEd25519/batch=1024", "BenchmarkX/batch=1024", true},
		{"BenchmarkX_KyberEd25519/a/b", "BenchmarkX/a/b", true},
		{"BenchmarkX", "", false},
		{"BenchmarkX/sub_KyberEd25519", "", false}, // the suffix belongs to the function, not the sub-benchmark
		{"BenchmarkX_KyberEd25519x", "", false},
		{"Benchmark_KyberEd25519", "", false},
	}
	for _, tt := range tests {
		got, ok := baselineOf(tt.name)
		if got != tt.want || ok != tt.ok {
			t.Errorf("baselineOf(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestCompare(t *testing.T) {
	results, _ := parseFile(t, "good_two_packages.txt")
	cmp := Compare(results)
	want := []Comparison{
		{groupPkg, "BenchmarkScalarBaseMult", "ns/op", 57312, 171843},
		{groupPkg, "BenchmarkMSM/n=1024", "ns/point", 120563, 538315},
		{proofPkg, "BenchmarkVerifyBatch/batch=1024", "ns/proof", 341797, 1269531},
		// nsd/op is evote's only, so ns/op is compared.
		{proofPkg, "BenchmarkMixed", "ns/op", 10000000, 40000000},
	}
	if len(cmp) != len(want) {
		t.Fatalf("got %d comparisons %+v, want %d", len(cmp), cmp, len(want))
	}
	for i := range want {
		if cmp[i] != want[i] {
			t.Errorf("comparison %d = %+v, want %+v", i, cmp[i], want[i])
		}
	}
	if r := cmp[0].Ratio(); math.Abs(r-171843.0/57312.0) > 1e-12 {
		t.Errorf("ratio = %v, want baseline/evote", r)
	}
}

func TestCompareSkipsOtherPackage(t *testing.T) {
	in := "pkg: a\nBenchmarkX-2 10 100 ns/op\npkg: b\nBenchmarkX_KyberEd25519-2 10 300 ns/op\n"
	results, _, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if cmp := Compare(results); len(cmp) != 0 {
		t.Errorf("paired benchmarks from different packages: %+v", cmp)
	}
}

func TestFormatValue(t *testing.T) {
	tests := map[float64]string{
		0:          "0",
		0.5:        "0.5",
		972.44:     "972",
		12.345:     "12.3",
		1053:       "1,053",
		123456789:  "123,456,789",
		1000000:    "1,000,000",
		-1234567.6: "-1,234,568",
	}
	for v, want := range tests {
		if got := formatValue(v); got != want {
			t.Errorf("formatValue(%v) = %q, want %q", v, got, want)
		}
	}
	if got := formatRatio(171843.0 / 57312.0); got != "3.0×" {
		t.Errorf("formatRatio(2.998) = %q", got)
	}
	if got := formatRatio(0.25); got != "0.25×" {
		t.Errorf("formatRatio(0.25) = %q", got)
	}
	if got := formatRatio(math.Inf(1)); got != "n/a" {
		t.Errorf("formatRatio(+Inf) = %q", got)
	}
}

// TestWriteTables compares the rendered tables with a golden file; run
// `go test ./internal/benchtable -update` after an intended format change.
func TestWriteTables(t *testing.T) {
	results, _ := parseFile(t, "good_two_packages.txt")
	var buf bytes.Buffer
	WriteTables(&buf, results, "github.com/evote/evote/")
	golden := filepath.Join("testdata", "good_two_packages.md")
	if *update {
		if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got := buf.String(); got != string(want) {
		t.Errorf("tables differ from %s:\n%s", golden, got)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"good_two_packages.txt", "fail_malformed_lines.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, in string) {
		results, _, err := Parse(strings.NewReader(in))
		if err != nil {
			return
		}
		for _, r := range results {
			if !strings.HasPrefix(r.Name, "Benchmark") || len(r.Metrics) != len(r.Units) {
				t.Fatalf("inconsistent result %+v", r)
			}
		}
		WriteTables(new(bytes.Buffer), results, "")
	})
}
