package tlog

import (
	"crypto/sha256"
	"fmt"

	"github.com/transparency-dev/merkle/compact"
)

// The reference is RFC 6962 §2.1 written down as recursively as the RFC
// says it, with its own SHA-256, to check the library-based code against.

func refLargestPow2Below(n int) int {
	k := 1
	for k<<1 < n {
		k <<= 1
	}
	return k
}

// refMTH is MTH(D[n]).
func refMTH(d [][]byte) [32]byte {
	switch len(d) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0}, d[0]...))
	}
	k := refLargestPow2Below(len(d))
	l, r := refMTH(d[:k]), refMTH(d[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

// refPath is PATH(m, D[n]).
func refPath(m int, d [][]byte) [][32]byte {
	if len(d) == 1 {
		return nil
	}
	k := refLargestPow2Below(len(d))
	if m < k {
		return append(refPath(m, d[:k]), refMTH(d[k:]))
	}
	return append(refPath(m-k, d[k:]), refMTH(d[:k]))
}

// refProof is PROOF(m, D[n]), empty for m = 0 as well.
func refProof(m int, d [][]byte) [][32]byte {
	if m == 0 {
		return nil
	}
	return refSubproof(m, d, true)
}

func refSubproof(m int, d [][]byte, b bool) [][32]byte {
	if m == len(d) {
		if b {
			return nil
		}
		return [][32]byte{refMTH(d)}
	}
	k := refLargestPow2Below(len(d))
	if m <= k {
		return append(refSubproof(m, d[:k], b), refMTH(d[k:]))
	}
	return append(refSubproof(m-k, d[k:], false), refMTH(d[:k]))
}

// memNodes is a NodeReader over a map, filled by Tree.Append's visitor.
type memNodes map[compact.NodeID][HashSize]byte

func (m memNodes) Node(id compact.NodeID) ([HashSize]byte, error) {
	h, ok := m[id]
	if !ok {
		return h, fmt.Errorf("no node %+v", id)
	}
	return h, nil
}

func (m memNodes) visit(id compact.NodeID, h [HashSize]byte) { m[id] = h }

// testEntries returns n distinct entries.
func testEntries(n int) [][]byte {
	d := make([][]byte, n)
	for i := range d {
		d[i] = fmt.Appendf(nil, "entry %d", i)
	}
	return d
}

// buildLog appends entries one call per batch size in turn, so that every
// path through Append is used.
func buildLog(entries [][]byte) (memNodes, *Tree, error) {
	nodes := memNodes{}
	t := NewTree()
	for i, batch := 0, 1; i < len(entries); batch = batch%5 + 1 {
		end := min(i+batch, len(entries))
		leaves := make([][HashSize]byte, 0, end-i)
		for _, e := range entries[i:end] {
			leaves = append(leaves, LeafHash(e))
		}
		var err error
		if t, err = t.Append(leaves, nodes.visit); err != nil {
			return nil, nil, err
		}
		i = end
	}
	return nodes, t, nil
}
