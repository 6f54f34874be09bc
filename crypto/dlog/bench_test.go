package dlog

import (
	"math/rand/v2"

	"testing"

	"github.com/evote/evote/crypto/group"
)

// mulG returns m·G.
func mulG(m uint64) *group.Point {
	return new(group.Point).ScalarBaseMult(group.ScalarFromUint64(m))
}

// BenchmarkSolve is the one-off worst case: m = bound, table building included.
func BenchmarkSolve(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bound uint64
	}{{"bound=1e6", 1e6}, {"bound=1e8", 1e8}} {
		b.Run(bc.name, func(b *testing.B) {
			M := mulG(bc.bound)
			for b.Loop() {
				if m, err := Solve(M, bc.bound); err != nil || m != bc.bound {
					b.Fatalf("Solve = %d, %v; want %d", m, err, bc.bound)
				}
			}
		})
	}
}

// BenchmarkTableLog is the reused-table worst case: m = bound, table prebuilt.
func BenchmarkTableLog(b *testing.B) {
	for _, bc := range []struct {
		name  string
		bound uint64
	}{{"bound=1e6", 1e6}, {"bound=1e8", 1e8}} {
		b.Run(bc.name, func(b *testing.B) {
			t, err := NewTable(bc.bound)
			if err != nil {
				b.Fatal(err)
			}
			M := mulG(bc.bound)
			for b.Loop() {
				if m, err := t.Log(M); err != nil || m != bc.bound {
					b.Fatalf("Log = %d, %v; want %d", m, err, bc.bound)
				}
			}
		})
	}
}

// BenchmarkNewTable is the one-off cost of NewTable's reuse-sized table.
func BenchmarkNewTable(b *testing.B) {
	for b.Loop() {
		if _, err := NewTable(1e8); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStep is one giant step: a subtraction, an encoding and a lookup in a
// table of 20002 entries (bound 10^8) that misses.
func BenchmarkStep(b *testing.B) {
	t, err := NewTable(1e8)
	if err != nil {
		b.Fatal(err)
	}
	P := mulG(1 << 50)
	var buf [group.PointSize]byte
	for b.Loop() {
		if _, ok := t.lookup(P, &buf); ok {
			b.Fatal("unexpected match")
		}
		P.Subtract(P, t.step)
	}
}

// BenchmarkIndexBucket is the table lookup alone in an index of MaxBabySteps
// random keys, which must stay small next to a point encoding.
func BenchmarkIndexBucket(b *testing.B) {
	rng := rand.New(rand.NewChaCha8([32]byte{6}))
	keys := make([]uint64, MaxBabySteps)
	for j := range keys {
		keys[j] = rng.Uint64()
	}
	ix := newIndex(keys)
	b.ResetTimer()
	for b.Loop() {
		if inBucketAny(ix, rng.Uint64()) {
			b.Fatal("unexpected match")
		}
	}
}
