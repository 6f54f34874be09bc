package trustee

import (
	"bytes"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// FuzzDecodeState checks that the state decoder never panics and that
// whatever it accepts encodes back to the same bytes.
func FuzzDecodeState(f *testing.F) {
	st := &State{Trustee: 3, Dealing: []byte("d"), Share: group.ScalarFromUint64(9), Partial: []byte("p")}
	f.Add(encodeState(st))
	f.Add(encodeState(&State{Trustee: 1}))
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeState(b)
		if err != nil {
			return
		}
		if got := encodeState(st); !bytes.Equal(got, b) {
			// Empty entries decode to nil and encode as length 0: the
			// same bytes. Anything else is a second encoding.
			t.Fatalf("decode then encode changed the bytes:\n%x\n%x", b, got)
		}
	})
}
