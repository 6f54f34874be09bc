// Package wire is the one binary encoding of every evote record entry:
// fixed-width big-endian integers, length-prefixed byte strings and lists,
// and nothing else. A value has exactly one encoding, so decode-then-encode
// gives back the same bytes, and a Reader rejects whatever a Writer would not
// have written: short input, oversized lengths, invalid UTF-8, non-0/1
// booleans, and trailing bytes.
package wire

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxLength bounds any one length prefix, so that a hostile length cannot
// make a reader allocate more than the input could hold.
const MaxLength = 64 << 20

// Writer appends encodings to a byte slice.
type Writer struct {
	b []byte
}

// Bytes returns everything written.
func (w *Writer) Bytes() []byte { return w.b }

// U8 writes one byte.
func (w *Writer) U8(v uint8) { w.b = append(w.b, v) }

// Bool writes 1 or 0.
func (w *Writer) Bool(v bool) {
	if v {
		w.U8(1)
	} else {
		w.U8(0)
	}
}

// U16 writes v big-endian.
func (w *Writer) U16(v uint16) { w.b = binary.BigEndian.AppendUint16(w.b, v) }

// U32 writes v big-endian.
func (w *Writer) U32(v uint32) { w.b = binary.BigEndian.AppendUint32(w.b, v) }

// U64 writes v big-endian.
func (w *Writer) U64(v uint64) { w.b = binary.BigEndian.AppendUint64(w.b, v) }

// I64 writes v as its two's-complement u64.
func (w *Writer) I64(v int64) { w.U64(uint64(v)) }

// Fixed writes b with no length: the reader knows its size.
func (w *Writer) Fixed(b []byte) { w.b = append(w.b, b...) }

// Bytes32 writes a u32 length, then b.
func (w *Writer) Bytes32(b []byte) {
	w.U32(uint32(len(b)))
	w.b = append(w.b, b...)
}

// String writes a u32 length, then s's UTF-8 bytes.
func (w *Writer) String(s string) { w.Bytes32([]byte(s)) }

// Count writes a list's element count as a u32.
func (w *Writer) Count(n int) { w.U32(uint32(n)) }

// ErrMalformed is wrapped by every Reader error.
var ErrMalformed = errors.New("malformed encoding")

// Reader decodes from a byte slice. The first error sticks: later reads
// return zero values, and Err or Finish reports the first failure with the
// name of the field being read, so callers can read a whole structure and
// check once.
type Reader struct {
	b   []byte
	off int
	err error
}

// NewReader reads b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Err returns the first error.
func (r *Reader) Err() error { return r.err }

// Fail records err for field unless an earlier error is already recorded.
func (r *Reader) Fail(field string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s (at byte %d): %w", field, r.off, err)
	}
}

// Finish returns the first error, or an error if bytes remain unread.
func (r *Reader) Finish() error {
	if r.err == nil && r.off != len(r.b) {
		r.err = fmt.Errorf("%w: %d trailing bytes at byte %d", ErrMalformed, len(r.b)-r.off, r.off)
	}
	return r.err
}

// Remaining returns how many bytes are left.
func (r *Reader) Remaining() int { return len(r.b) - r.off }

func (r *Reader) take(field string, n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b)-r.off {
		r.Fail(field, fmt.Errorf("%w: need %d bytes, %d left", ErrMalformed, n, len(r.b)-r.off))
		return nil
	}
	out := r.b[r.off : r.off+n]
	r.off += n
	return out
}

// U8 reads one byte.
func (r *Reader) U8(field string) uint8 {
	if b := r.take(field, 1); b != nil {
		return b[0]
	}
	return 0
}

// Bool reads a byte that must be 0 or 1.
func (r *Reader) Bool(field string) bool {
	v := r.U8(field)
	if v > 1 {
		r.Fail(field, fmt.Errorf("%w: boolean is %d", ErrMalformed, v))
	}
	return v == 1
}

// U16 reads a big-endian u16.
func (r *Reader) U16(field string) uint16 {
	if b := r.take(field, 2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

// U32 reads a big-endian u32.
func (r *Reader) U32(field string) uint32 {
	if b := r.take(field, 4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

// U64 reads a big-endian u64.
func (r *Reader) U64(field string) uint64 {
	if b := r.take(field, 8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

// I64 reads a two's-complement u64.
func (r *Reader) I64(field string) int64 { return int64(r.U64(field)) }

// Fixed reads exactly n bytes; the result is a copy.
func (r *Reader) Fixed(field string, n int) []byte {
	if b := r.take(field, n); b != nil {
		return append([]byte(nil), b...)
	}
	return nil
}

// Bytes32 reads a u32 length of at most max, then that many bytes (a copy).
func (r *Reader) Bytes32(field string, max int) []byte {
	n := r.U32(field)
	if r.err == nil && (int64(n) > int64(max) || n > MaxLength) {
		r.Fail(field, fmt.Errorf("%w: length %d exceeds %d", ErrMalformed, n, min(max, MaxLength)))
		return nil
	}
	return r.Fixed(field, int(n))
}

// String reads a length-prefixed string of at most max bytes that must be
// valid UTF-8.
func (r *Reader) String(field string, max int) string {
	b := r.Bytes32(field, max)
	if r.err == nil && !utf8.Valid(b) {
		r.Fail(field, fmt.Errorf("%w: not UTF-8", ErrMalformed))
		return ""
	}
	return string(b)
}

// Count reads a list's element count, which must be at most max and no more
// than the remaining bytes could hold at minSize bytes per element.
func (r *Reader) Count(field string, max, minSize int) int {
	n := r.U32(field)
	if r.err != nil {
		return 0
	}
	if int64(n) > int64(max) || (minSize > 0 && int64(n)*int64(minSize) > int64(r.Remaining())) {
		r.Fail(field, fmt.Errorf("%w: %d elements is too many", ErrMalformed, n))
		return 0
	}
	return int(n)
}
