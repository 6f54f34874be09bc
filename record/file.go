package record

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/evote/evote/election"
)

// The files of a record directory (docs/SPEC.md §9.1).
const (
	// EntriesFile holds every entry of the election in one node's log order,
	// as a record file (§7.9): u32be(length) ‖ entry, for each entry.
	EntriesFile = "record.rec"
	// CheckpointFile holds the node's signed checkpoint (a C2SP signed note)
	// whose tree is exactly the entries of EntriesFile, in that order.
	CheckpointFile = "checkpoint"
)

// ErrMalformed is wrapped when a record file's container is broken: a
// length prefix cut short, a length beyond election.MaxEntrySize, or an entry
// that ends past the end of the file.
var ErrMalformed = errors.New("malformed record file")

// Reader reads a record file one entry at a time.
type Reader struct {
	r   *bufio.Reader
	n   int   // entries read
	off int64 // bytes read
}

// NewReader returns a Reader of the record file r.
func NewReader(r io.Reader) *Reader {
	return &Reader{r: bufio.NewReaderSize(r, 1<<20)}
}

// Next returns the next entry's bytes, or io.EOF after the last one. It
// fails with ErrMalformed where election.DecodeRecordFile would, naming the
// entry and the byte offset. The returned slice is the caller's.
func (r *Reader) Next() ([]byte, error) {
	var hdr [4]byte
	n, err := io.ReadFull(r.r, hdr[:])
	switch {
	case err == io.EOF:
		return nil, io.EOF
	case err != nil:
		return nil, r.fail("%d bytes left at byte %d, too few for a length", n, r.off)
	}
	size := binary.BigEndian.Uint32(hdr[:])
	if uint64(size) > election.MaxEntrySize {
		return nil, r.fail("entry %d at byte %d: length %d exceeds the largest entry (%d)", r.n, r.off, size, election.MaxEntrySize)
	}
	// Read in pieces, so that a length that promises more than the file holds
	// costs no more memory than the file.
	var b []byte
	for left := int(size); left > 0; {
		chunk := min(left, 1<<20)
		start := len(b)
		b = append(b, make([]byte, chunk)...)
		if _, err := io.ReadFull(r.r, b[start:]); err != nil {
			return nil, r.fail("entry %d at byte %d: length %d exceeds what is left", r.n, r.off, size)
		}
		left -= chunk
	}
	if b == nil {
		b = []byte{}
	}
	r.off += 4 + int64(size)
	r.n++
	return b, nil
}

// Count returns how many entries Next has returned.
func (r *Reader) Count() int { return r.n }

func (r *Reader) fail(format string, args ...any) error {
	return fmt.Errorf("record file: %w: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// Writer writes a record file, entry by entry, to a temporary file that
// Close renames into place, so that nobody ever reads half a record.
type Writer struct {
	path string
	f    *os.File
	w    *bufio.Writer
	n    int
}

// Create starts the record file at path. Precondition: the directory exists.
func Create(path string) (*Writer, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("record file: %w", err)
	}
	return &Writer{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20)}, nil
}

// Append writes one entry. Precondition: len(entry) ≤ election.MaxEntrySize.
func (w *Writer) Append(entry []byte) error {
	if uint64(len(entry)) > election.MaxEntrySize {
		return fmt.Errorf("record file: entry %d: %d bytes, more than the largest entry (%d)", w.n, len(entry), election.MaxEntrySize)
	}
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(entry)))
	if _, err := w.w.Write(hdr[:]); err != nil {
		return fmt.Errorf("record file: %w", err)
	}
	if _, err := w.w.Write(entry); err != nil {
		return fmt.Errorf("record file: %w", err)
	}
	w.n++
	return nil
}

// Count returns how many entries have been appended.
func (w *Writer) Count() int { return w.n }

// Close flushes the file to disk and moves it into place.
func (w *Writer) Close() error {
	err := w.w.Flush()
	if err == nil {
		err = w.f.Sync()
	}
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(w.f.Name(), w.path)
	}
	if err != nil {
		os.Remove(w.f.Name())
		return fmt.Errorf("record file %s: %w", w.path, err)
	}
	return nil
}

// Abort throws the unfinished file away.
func (w *Writer) Abort() {
	w.f.Close()
	os.Remove(w.f.Name())
}
