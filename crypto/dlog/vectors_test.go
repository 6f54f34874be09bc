package dlog

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// vectorFile is a file of testdata/: points solved with one bound. In good_
// files every case has its m; in fail_ files every case is out of range.
type vectorFile struct {
	Comment string `json:"comment"`
	Bound   uint64 `json:"bound"`
	Cases   []struct {
		What  string `json:"what"`
		M     uint64 `json:"m"`
		Point string `json:"point"`
	} `json:"cases"`
}

func readVectors(t *testing.T, pattern string) map[string]vectorFile {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatalf("no test vectors match testdata/%s", pattern)
	}
	files := make(map[string]vectorFile)
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		var f vectorFile
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Cases) == 0 {
			t.Fatalf("%s: no cases", name)
		}
		files[filepath.Base(name)] = f
	}
	return files
}

func decodeVectorPoint(t *testing.T, s string) *group.Point {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	P, err := group.DecodePointOrIdentity(b)
	if err != nil {
		t.Fatalf("point %s: %v", s, err)
	}
	return P
}

// vectorSolvers returns Solve and Log on tables of several shapes for bound,
// each as a function of M.
func vectorSolvers(t *testing.T, bound uint64) map[string]func(*group.Point) (uint64, error) {
	t.Helper()
	solvers := map[string]func(*group.Point) (uint64, error){
		"Solve": func(M *group.Point) (uint64, error) { return Solve(M, bound) },
	}
	for name, n := range map[string]uint64{"NewTable": 0, "n=1": 1, "n=3": 3, "n=bound+1": bound + 1} {
		var tab *Table
		var err error
		if n == 0 {
			tab, err = NewTable(bound)
		} else {
			tab, err = NewTableSize(bound, n)
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		solvers[name] = tab.Log
	}
	return solvers
}

func TestGoodVectors(t *testing.T) {
	for file, f := range readVectors(t, "good_*.json") {
		for solver, solve := range vectorSolvers(t, f.Bound) {
			for _, c := range f.Cases {
				m, err := solve(decodeVectorPoint(t, c.Point))
				if err != nil || m != c.M {
					t.Errorf("%s: %s: point %s: got %d, %v; want %d", file, solver, c.Point, m, err, c.M)
				}
			}
		}
	}
}

func TestFailVectors(t *testing.T) {
	for file, f := range readVectors(t, "fail_*.json") {
		for solver, solve := range vectorSolvers(t, f.Bound) {
			for _, c := range f.Cases {
				m, err := solve(decodeVectorPoint(t, c.Point))
				var oor *OutOfRangeError
				if !errors.As(err, &oor) || oor.Bound != f.Bound || !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: %s: %s: got %d, %v; want *OutOfRangeError{%d}", file, solver, c.What, m, err, f.Bound)
				}
			}
		}
	}
}
