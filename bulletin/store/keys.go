package store

import (
	"encoding/binary"

	"github.com/transparency-dev/merkle/compact"

	"github.com/evote/evote/election"
)

// Table prefixes; see the package doc.
const (
	tableHead  = 'h'
	tableEntry = 'e'
	tableID    = 'i'
	tableType  = 't'
	tableNode  = 'n'
)

const electionKeySize = 1 + election.IDSize

func electionKey(table byte, el election.ID, extra int) []byte {
	k := make([]byte, electionKeySize, electionKeySize+extra)
	k[0] = table
	copy(k[1:], el[:])
	return k
}

func headKey(el election.ID) []byte { return electionKey(tableHead, el, 0) }

func entryKey(el election.ID, index uint64) []byte {
	return binary.BigEndian.AppendUint64(electionKey(tableEntry, el, 8), index)
}

func idKey(el election.ID, id election.ID) []byte {
	return append(electionKey(tableID, el, election.IDSize), id[:]...)
}

func typePrefix(el election.ID, typ election.EntryType) []byte {
	return append(electionKey(tableType, el, 9), byte(typ))
}

func typeKey(el election.ID, typ election.EntryType, index uint64) []byte {
	return binary.BigEndian.AppendUint64(typePrefix(el, typ), index)
}

func nodeKey(el election.ID, id compact.NodeID) []byte {
	k := append(electionKey(tableNode, el, 9), byte(id.Level))
	return binary.BigEndian.AppendUint64(k, id.Index)
}

// head is the value under headKey.
type head struct {
	size uint64
	root [32]byte
}

const headSize = 8 + 32

func (h head) encode() []byte {
	return append(binary.BigEndian.AppendUint64(make([]byte, 0, headSize), h.size), h.root[:]...)
}

func decodeHead(b []byte) (head, bool) {
	if len(b) != headSize {
		return head{}, false
	}
	return head{size: binary.BigEndian.Uint64(b), root: [32]byte(b[8:])}, true
}

const entryHeaderSize = 1 + election.IDSize

func encodeEntry(typ election.EntryType, id election.ID, b []byte) []byte {
	v := make([]byte, 0, entryHeaderSize+len(b))
	v = append(v, byte(typ))
	v = append(v, id[:]...)
	return append(v, b...)
}
