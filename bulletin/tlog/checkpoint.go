package tlog

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/election"
)

// OriginPrefix starts the origin line of every evote checkpoint; the
// election id in lowercase hex follows.
const OriginPrefix = "evote/"

// Errors wrapped by [ParseCheckpoint].
var (
	// ErrCheckpoint is a checkpoint body that is not exactly an evote
	// checkpoint in canonical form.
	ErrCheckpoint = errors.New("malformed checkpoint")
	// ErrCheckpointSignature is a note that does not carry a valid
	// signature by the expected node; note's own error is wrapped too.
	ErrCheckpointSignature = errors.New("checkpoint not signed by the node")
)

// Origin returns the origin line of an election's checkpoints.
func Origin(el election.ID) string {
	return OriginPrefix + hex.EncodeToString(el[:])
}

// body returns the checkpoint text that the node signs.
func body(el election.ID, size uint64, root [HashSize]byte) string {
	return Origin(el) + "\n" + strconv.FormatUint(size, 10) + "\n" + base64.StdEncoding.EncodeToString(root[:]) + "\n"
}

// SignCheckpoint returns the checkpoint of an election's log of the given
// size and root, signed by s (see [NewSigner]); its Note is the signed note
// as it is served.
func SignCheckpoint(el election.ID, size uint64, root [HashSize]byte, s note.Signer) (*bulletin.Checkpoint, error) {
	msg, err := note.Sign(&note.Note{Text: body(el, size, root)}, s)
	if err != nil {
		return nil, fmt.Errorf("tlog: signing checkpoint of %x at size %d: %w", el[:4], size, err)
	}
	return &bulletin.Checkpoint{Election: el, Size: size, Root: root, Note: msg}, nil
}

// ParseCheckpoint opens a signed checkpoint note and returns its contents.
// The note must carry a valid signature by v (a note with other keys'
// signatures beside it, such as witness cosignatures, is accepted: C2SP
// allows them, and they vouch for nothing here), and its body must be
// exactly three lines: the origin "evote/" and 64 lowercase hex digits, the
// size in decimal without leading zeros, and the root in padded standard
// base64 of 32 bytes — the empty tree's root when the size is 0. No
// extension lines: evote defines none. Errors wrap [ErrCheckpointSignature]
// (and note's error) or [ErrCheckpoint].
func ParseCheckpoint(msg []byte, v note.Verifier) (*bulletin.Checkpoint, error) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("tlog: checkpoint: %w: %w", ErrCheckpointSignature, err)
	}
	cp, err := parseBody(n.Text)
	if err != nil {
		return nil, fmt.Errorf("tlog: checkpoint: %w", err)
	}
	cp.Note = append([]byte(nil), msg...)
	return cp, nil
}

func parseBody(text string) (*bulletin.Checkpoint, error) {
	lines := strings.Split(text, "\n")
	// Split of "a\nb\nc\n" gives a trailing "", which note guarantees.
	if len(lines) != 4 || lines[3] != "" {
		return nil, fmt.Errorf("%w: %d lines, want 3 (origin, size, root)", ErrCheckpoint, len(lines)-1)
	}
	cp := &bulletin.Checkpoint{}
	var err error
	if cp.Election, err = parseOrigin(lines[0]); err != nil {
		return nil, err
	}
	if cp.Size, err = parseSize(lines[1]); err != nil {
		return nil, err
	}
	if cp.Root, err = parseRoot(lines[2]); err != nil {
		return nil, err
	}
	if cp.Size == 0 && cp.Root != EmptyRoot() {
		return nil, fmt.Errorf("%w: size 0 with root %x, not the empty tree's", ErrCheckpoint, cp.Root)
	}
	return cp, nil
}

func parseOrigin(line string) (election.ID, error) {
	var el election.ID
	h, ok := strings.CutPrefix(line, OriginPrefix)
	if !ok {
		return el, fmt.Errorf("%w: origin %q does not start with %q", ErrCheckpoint, line, OriginPrefix)
	}
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != len(el) || hex.EncodeToString(b) != h {
		return el, fmt.Errorf("%w: origin %q: want %s and 64 lowercase hex digits", ErrCheckpoint, line, OriginPrefix)
	}
	return election.ID(b), nil
}

func parseSize(line string) (uint64, error) {
	size, err := strconv.ParseUint(line, 10, 64)
	if err != nil || strconv.FormatUint(size, 10) != line {
		return 0, fmt.Errorf("%w: size %q is not a decimal number without leading zeros", ErrCheckpoint, line)
	}
	return size, nil
}

func parseRoot(line string) ([HashSize]byte, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(line)
	if err != nil || len(b) != HashSize || base64.StdEncoding.EncodeToString(b) != line {
		return [HashSize]byte{}, fmt.Errorf("%w: root %q is not %d bytes in padded standard base64", ErrCheckpoint, line, HashSize)
	}
	return [HashSize]byte(b), nil
}
