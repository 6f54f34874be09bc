package election

import (
	"encoding/binary"
	"fmt"

	"github.com/evote/evote/election/wire"
)

// MaxEntrySize bounds one entry's encoding: its fixed fields, a payload of
// MaxPayload bytes, and its signature.
const MaxEntrySize = 2 + 1 + IDSize + 32 + 4 + MaxPayload + 64

// EncodeRecordFile returns entries as a record file: for each entry, in
// record order, u32be(length) ‖ the entry's bytes. The test vectors of
// docs/SPEC.md §7.10 use this container (§7.9). Precondition: no entry is longer
// than MaxEntrySize.
func EncodeRecordFile(entries [][]byte) []byte {
	var b []byte
	for _, e := range entries {
		b = binary.BigEndian.AppendUint32(b, uint32(len(e)))
		b = append(b, e...)
	}
	return b
}

// DecodeRecordFile splits a record file into its entries' bytes, which it
// does not decode: a record file may hold malformed entries (the test
// vectors do), and ApplyBytes judges each. It fails only when the container
// itself is malformed: a length beyond MaxEntrySize or beyond the end of
// the file.
func DecodeRecordFile(b []byte) ([][]byte, error) {
	var out [][]byte
	for off := 0; off < len(b); {
		if len(b)-off < 4 {
			return nil, fmt.Errorf("record file: %w: %d bytes left at byte %d, too few for a length", wire.ErrMalformed, len(b)-off, off)
		}
		n := binary.BigEndian.Uint32(b[off:])
		off += 4
		if uint64(n) > MaxEntrySize || int(n) > len(b)-off {
			return nil, fmt.Errorf("record file: %w: entry %d at byte %d: length %d exceeds what is left (%d)", wire.ErrMalformed, len(out), off-4, n, len(b)-off)
		}
		out = append(out, b[off:off+int(n):off+int(n)])
		off += int(n)
	}
	return out, nil
}
