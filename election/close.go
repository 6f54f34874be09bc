package election

import (
	"fmt"
	"unicode/utf8"

	"github.com/evote/evote/election/wire"
)

// MaxCloseReason bounds the reason a close entry may give.
const MaxCloseReason = 1024

// Close is the payload of the commission's close entry: voting ends.
//
// Encoding: empty when there is no reason; otherwise u32 length ‖ reason,
// 1 … MaxCloseReason bytes of UTF-8. (An empty reason has only the empty
// encoding.)
type Close struct {
	Reason string
}

// Bytes returns the canonical encoding.
func (c *Close) Bytes() []byte {
	if c.Reason == "" {
		return []byte{}
	}
	w := &wire.Writer{}
	w.String(c.Reason)
	return w.Bytes()
}

// DecodeClose parses a close payload strictly.
func DecodeClose(b []byte) (*Close, error) {
	if len(b) == 0 {
		return &Close{}, nil
	}
	r := wire.NewReader(b)
	reason := r.String("reason", MaxCloseReason)
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("close: %w", err)
	}
	if reason == "" {
		return nil, fmt.Errorf("close: %w: an empty reason is the empty payload", wire.ErrMalformed)
	}
	if !utf8.ValidString(reason) {
		return nil, fmt.Errorf("close: %w: reason is not UTF-8", wire.ErrMalformed)
	}
	return &Close{Reason: reason}, nil
}

// checkClose is the payload rule of the close entry (check 41).
func checkClose(r *Record, in *incoming) (func(), error) {
	if _, err := DecodeClose(in.e.Payload); err != nil {
		return nil, checkError(CheckCloseEncoding, err)
	}
	return func() { r.phase = PhaseClosed }, nil
}
