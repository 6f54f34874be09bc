package p2p

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/evote/evote/election"
)

// The messages of the sync and checkpoint protocols. Every integer is big
// endian. A request is one fixed-size message; a response starts with a
// status byte:
//
//	sync request        32 election ‖ u64 from ‖ u32 limit
//	checkpoint request  32 election
//	response, not ok    u8 status ‖ u16 len ‖ reason (UTF-8, ≤ maxReason)
//	sync response       u8 0 ‖ u64 size ‖ u32 count ‖ count × (u32 len ‖ entry)
//	checkpoint response u8 0 ‖ u32 len ‖ note
//
// A stream carries one request and one response, so no message needs an
// end marker beyond the stream's end.

// status is the first byte of every response.
type status uint8

const (
	statusOK       status = 0
	statusNotFound status = 1 // the peer has no such election or no checkpoint of it
	statusRefused  status = 2 // the asker is not a replication peer
	statusFailed   status = 3 // the peer could not answer (its storage failed)
	statusBad      status = 4 // the request was malformed
)

const (
	syncRequestSize       = election.IDSize + 8 + 4
	checkpointRequestSize = election.IDSize

	// maxSyncEntries bounds the entries of one sync response, and
	// maxSyncBytes their total size, so that one request costs a peer a
	// bounded amount of work and memory. A response always carries at least
	// one entry when it has any, so an entry of election.MaxEntrySize fits.
	maxSyncEntries = 1024
	maxSyncBytes   = 16 << 20

	// maxCheckpointSize bounds a signed note: a checkpoint's three lines
	// and a handful of signatures take a few hundred bytes.
	maxCheckpointSize = 64 << 10

	// maxReason bounds the reason a peer gives for not answering.
	maxReason = 256
)

// Errors of the wire format, wrapped with the details.
var (
	// ErrMalformed is wrapped by every decoding failure of a peer's message.
	ErrMalformed = errors.New("malformed message")
	// ErrRefused is wrapped when a peer refuses to answer because this node
	// is not one of its replication peers.
	ErrRefused = errors.New("refused by peer")
	// ErrNotFound is wrapped when a peer has no such election or no
	// checkpoint of it.
	ErrNotFound = errors.New("not found at peer")
	// ErrPeerFailed is wrapped when a peer reports that it could not answer.
	ErrPeerFailed = errors.New("peer failed to answer")
	// ErrBadRequest is wrapped when a peer reports that this node's request
	// was malformed.
	ErrBadRequest = errors.New("peer says request malformed")
)

// syncRequest asks for entries of an election's log from index From.
type syncRequest struct {
	Election election.ID
	From     uint64
	Limit    uint32
}

func (r *syncRequest) encode() []byte {
	b := make([]byte, 0, syncRequestSize)
	b = append(b, r.Election[:]...)
	b = binary.BigEndian.AppendUint64(b, r.From)
	return binary.BigEndian.AppendUint32(b, r.Limit)
}

// decodeSyncRequest decodes exactly syncRequestSize bytes. A limit of 0 or
// above maxSyncEntries is malformed: no honest peer asks for either.
func decodeSyncRequest(b []byte) (*syncRequest, error) {
	if len(b) != syncRequestSize {
		return nil, fmt.Errorf("%w: sync request is %d bytes, want %d", ErrMalformed, len(b), syncRequestSize)
	}
	r := &syncRequest{}
	copy(r.Election[:], b)
	r.From = binary.BigEndian.Uint64(b[election.IDSize:])
	r.Limit = binary.BigEndian.Uint32(b[election.IDSize+8:])
	if r.Limit == 0 || r.Limit > maxSyncEntries {
		return nil, fmt.Errorf("%w: sync request limit %d, want 1..%d", ErrMalformed, r.Limit, maxSyncEntries)
	}
	return r, nil
}

// syncResponse is a slice of a peer's log and the log's size.
type syncResponse struct {
	Size    uint64
	Entries [][]byte
}

// trimSyncEntries returns the longest prefix of entries within
// maxSyncEntries and maxSyncBytes, but at least one entry.
func trimSyncEntries(entries [][]byte) [][]byte {
	entries = entries[:min(len(entries), maxSyncEntries)]
	total := 0
	for i, e := range entries {
		total += len(e)
		if total > maxSyncBytes && i > 0 {
			return entries[:i]
		}
	}
	return entries
}

// writeSyncResponse writes an ok response. Preconditions: entries came
// through trimSyncEntries and each is at most election.MaxEntrySize bytes.
func writeSyncResponse(w *bufio.Writer, r *syncResponse) error {
	var hdr [1 + 8 + 4]byte
	hdr[0] = byte(statusOK)
	binary.BigEndian.PutUint64(hdr[1:], r.Size)
	binary.BigEndian.PutUint32(hdr[9:], uint32(len(r.Entries)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	for _, e := range r.Entries {
		var l [4]byte
		binary.BigEndian.PutUint32(l[:], uint32(len(e)))
		if _, err := w.Write(l[:]); err != nil {
			return err
		}
		if _, err := w.Write(e); err != nil {
			return err
		}
	}
	return w.Flush()
}

// readSyncResponse reads a sync response, refusing one that exceeds the
// bounds an honest peer keeps (maxSyncEntries entries, maxSyncBytes in all
// unless it is a single entry, each entry at most election.MaxEntrySize) or
// that has bytes after its last entry.
func readSyncResponse(r io.Reader) (*syncResponse, error) {
	br := bufio.NewReader(r)
	if err := readStatus(br); err != nil {
		return nil, err
	}
	var hdr [8 + 4]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("%w: sync response header: %w", ErrMalformed, err)
	}
	resp := &syncResponse{Size: binary.BigEndian.Uint64(hdr[:])}
	count := binary.BigEndian.Uint32(hdr[8:])
	if count > maxSyncEntries {
		return nil, fmt.Errorf("%w: sync response has %d entries, at most %d allowed", ErrMalformed, count, maxSyncEntries)
	}
	total := 0
	for i := range count {
		e, err := readBlob(br, election.MaxEntrySize)
		if err != nil {
			return nil, fmt.Errorf("%w: sync response entry %d: %w", ErrMalformed, i, err)
		}
		total += len(e)
		if total > maxSyncBytes && i > 0 {
			return nil, fmt.Errorf("%w: sync response exceeds %d bytes at entry %d", ErrMalformed, maxSyncBytes, i)
		}
		resp.Entries = append(resp.Entries, e)
	}
	if err := expectEOF(br); err != nil {
		return nil, fmt.Errorf("%w: sync response: %w", ErrMalformed, err)
	}
	return resp, nil
}

// writeCheckpointResponse writes an ok response carrying note.
// Precondition: len(note) <= maxCheckpointSize.
func writeCheckpointResponse(w *bufio.Writer, note []byte) error {
	var hdr [1 + 4]byte
	hdr[0] = byte(statusOK)
	binary.BigEndian.PutUint32(hdr[1:], uint32(len(note)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := w.Write(note); err != nil {
		return err
	}
	return w.Flush()
}

// readCheckpointResponse reads a checkpoint response: a non-empty note of at
// most maxCheckpointSize bytes and nothing after it.
func readCheckpointResponse(r io.Reader) ([]byte, error) {
	br := bufio.NewReader(r)
	if err := readStatus(br); err != nil {
		return nil, err
	}
	note, err := readBlob(br, maxCheckpointSize)
	if err != nil {
		return nil, fmt.Errorf("%w: checkpoint: %w", ErrMalformed, err)
	}
	if err := expectEOF(br); err != nil {
		return nil, fmt.Errorf("%w: checkpoint response: %w", ErrMalformed, err)
	}
	return note, nil
}

// writeFailure writes a response that is not ok, with a reason for the
// asker's logs. Precondition: s != statusOK.
func writeFailure(w *bufio.Writer, s status, reason string) error {
	if len(reason) > maxReason {
		reason = reason[:maxReason]
	}
	var hdr [1 + 2]byte
	hdr[0] = byte(s)
	binary.BigEndian.PutUint16(hdr[1:], uint16(len(reason)))
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	if _, err := w.WriteString(reason); err != nil {
		return err
	}
	return w.Flush()
}

// readStatus reads a response's status byte; for a status other than ok it
// reads the reason and returns it as an error wrapping ErrRefused,
// ErrNotFound or ErrPeerFailed.
func readStatus(br *bufio.Reader) error {
	s, err := br.ReadByte()
	if err != nil {
		return fmt.Errorf("%w: response status: %w", ErrMalformed, err)
	}
	var kind error
	switch status(s) {
	case statusOK:
		return nil
	case statusNotFound:
		kind = ErrNotFound
	case statusRefused:
		kind = ErrRefused
	case statusFailed:
		kind = ErrPeerFailed
	case statusBad:
		kind = ErrBadRequest
	default:
		return fmt.Errorf("%w: unknown response status %d", ErrMalformed, s)
	}
	var l [2]byte
	if _, err := io.ReadFull(br, l[:]); err != nil {
		return fmt.Errorf("%w: reason length: %w", ErrMalformed, err)
	}
	n := int(binary.BigEndian.Uint16(l[:]))
	if n > maxReason {
		return fmt.Errorf("%w: reason of %d bytes, at most %d allowed", ErrMalformed, n, maxReason)
	}
	reason := make([]byte, n)
	if _, err := io.ReadFull(br, reason); err != nil {
		return fmt.Errorf("%w: reason: %w", ErrMalformed, err)
	}
	if err := expectEOF(br); err != nil {
		return fmt.Errorf("%w: after reason: %w", ErrMalformed, err)
	}
	return fmt.Errorf("%w: %q", kind, reason)
}

// readBlob reads a u32 length and that many bytes, refusing an empty blob
// or one longer than max before allocating it.
func readBlob(br *bufio.Reader, max int) ([]byte, error) {
	var l [4]byte
	if _, err := io.ReadFull(br, l[:]); err != nil {
		return nil, fmt.Errorf("length: %w", err)
	}
	n := binary.BigEndian.Uint32(l[:])
	if n == 0 || uint64(n) > uint64(max) {
		return nil, fmt.Errorf("length %d, want 1..%d", n, max)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(br, b); err != nil {
		return nil, fmt.Errorf("%d bytes: %w", n, err)
	}
	return b, nil
}

// expectEOF fails if anything follows the message.
func expectEOF(br *bufio.Reader) error {
	if _, err := br.ReadByte(); err != io.EOF {
		if err == nil {
			return errors.New("trailing bytes")
		}
		return err
	}
	return nil
}
