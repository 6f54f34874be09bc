package dlog

import (
	"math/bits"
	"slices"
)

// index finds the baby steps j whose key is a given one. Keys are bytes of
// point encodings, uniformly distributed, so a key's top bits pick its bucket
// directly: a lookup reads one directory slot and one or two keys, where a
// binary search over a table of 2^20 entries costs twenty cache misses, about
// as much time as the point encoding that it follows.
type index struct {
	shift uint     // a key's bucket is key >> shift
	dir   []uint32 // bucket b holds positions dir[b] to dir[b+1]-1
	keys  []uint64 // grouped by bucket
	js    []uint32 // js[i] is the baby step whose key is keys[i]
}

// newIndex indexes keys[j], the key of baby step j, by a counting sort into
// 2^⌊log2 n⌋ buckets, between one and two entries each on average: 16 bytes
// per entry in all. Precondition: 1 ≤ len(keys) ≤ 2^32.
func newIndex(keys []uint64) *index {
	nbits := bits.Len64(uint64(len(keys))) - 1
	ix := &index{
		shift: uint(64 - nbits), // 64 when nbits = 0, and key >> 64 = 0
		dir:   make([]uint32, 1<<nbits+1),
		keys:  make([]uint64, len(keys)),
		js:    make([]uint32, len(keys)),
	}
	for _, k := range keys {
		ix.dir[k>>ix.shift+1]++
	}
	for b := 1; b < len(ix.dir); b++ {
		ix.dir[b] += ix.dir[b-1]
	}
	next := slices.Clone(ix.dir[:len(ix.dir)-1])
	for j, k := range keys {
		b := k >> ix.shift
		ix.keys[next[b]], ix.js[next[b]] = k, uint32(j)
		next[b]++
	}
	return ix
}

// bucket returns the keys that share key's bucket and their baby steps; the
// caller compares the keys.
func (ix *index) bucket(key uint64) ([]uint64, []uint32) {
	b := key >> ix.shift
	lo, hi := ix.dir[b], ix.dir[b+1]
	return ix.keys[lo:hi], ix.js[lo:hi]
}
