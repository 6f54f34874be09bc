package tlog

import "github.com/transparency-dev/merkle/rfc6962"

// HashSize is the size of every hash in the tree.
const HashSize = 32

// hasher is RFC 6962's SHA-256 tree hasher.
var hasher = rfc6962.DefaultHasher

// LeafHash returns the hash of the leaf for an entry's canonical bytes:
// SHA-256(0x00 ‖ entry).
func LeafHash(entry []byte) [HashSize]byte {
	return [HashSize]byte(hasher.HashLeaf(entry))
}

// EmptyRoot returns the root of the tree of size 0: SHA-256 of nothing.
func EmptyRoot() [HashSize]byte {
	return [HashSize]byte(hasher.EmptyRoot())
}

// hashChildren is RFC 6962's interior node hash, SHA-256(0x01 ‖ left ‖ right).
func hashChildren(left, right []byte) []byte {
	return hasher.HashChildren(left, right)
}

func toArrays(hs [][]byte) [][HashSize]byte {
	out := make([][HashSize]byte, len(hs))
	for i, h := range hs {
		out[i] = [HashSize]byte(h)
	}
	return out
}

func toSlices(hs [][HashSize]byte) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}
