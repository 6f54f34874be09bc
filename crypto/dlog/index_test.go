package dlog

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestIndex checks that every key's bucket holds it with its baby step, for
// sizes on both sides of powers of two, duplicate keys, and keys whose top bits
// are all equal.
func TestIndex(t *testing.T) {
	rng := rand.New(rand.NewChaCha8([32]byte{5}))
	for _, tc := range []struct {
		name string
		n    int
		key  func() uint64
	}{
		{"n=1", 1, rng.Uint64},
		{"n=2", 2, rng.Uint64},
		{"n=3", 3, rng.Uint64},
		{"n=1023", 1023, rng.Uint64},
		{"n=1024", 1024, rng.Uint64},
		{"n=1025", 1025, rng.Uint64},
		{"duplicates", 1000, func() uint64 { return rng.Uint64N(8) << 61 }},
		{"top bits zero", 1000, func() uint64 { return rng.Uint64N(1 << 20) }},
		{"extreme keys", 4, func() uint64 { return ^uint64(0) - rng.Uint64N(2) }},
	} {
		keys := make([]uint64, tc.n)
		for j := range keys {
			keys[j] = tc.key()
		}
		ix := newIndex(keys)
		if len(ix.keys) != tc.n || len(ix.js) != tc.n || int(ix.dir[len(ix.dir)-1]) != tc.n {
			t.Fatalf("%s: %d keys, %d js, directory ends at %d; want %d", tc.name, len(ix.keys), len(ix.js), ix.dir[len(ix.dir)-1], tc.n)
		}
		if buckets := len(ix.dir) - 1; buckets > tc.n || 2*buckets <= tc.n {
			t.Errorf("%s: %d buckets for %d keys", tc.name, buckets, tc.n)
		}
		for j, k := range keys {
			if !inBucket(ix, k, uint32(j)) {
				t.Errorf("%s: key %#x of baby step %d not in its bucket", tc.name, k, j)
			}
		}
		if k := ^keys[0]; !slices.Contains(keys, k) && inBucketAny(ix, k) {
			t.Errorf("%s: absent key %#x found", tc.name, k)
		}
	}
}

func inBucket(ix *index, key uint64, j uint32) bool {
	keys, js := ix.bucket(key)
	for i := range keys {
		if keys[i] == key && js[i] == j {
			return true
		}
	}
	return false
}

func inBucketAny(ix *index, key uint64) bool {
	keys, _ := ix.bucket(key)
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}
