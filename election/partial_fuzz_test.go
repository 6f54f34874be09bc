package election

import (
	"bytes"
	"testing"
)

// FuzzDecodePartial: whatever DecodePartial accepts re-encodes to the same
// bytes.
func FuzzDecodePartial(f *testing.F) {
	fx := newTallyFixture(f)
	f.Add(fx.partial(f, 1).Payload)
	f.Add(fx.partial(f, 3).Payload)
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := DecodePartial(fx.m, b)
		if err != nil {
			return
		}
		if !bytes.Equal(p.Bytes(), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}
