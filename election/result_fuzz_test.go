package election

import (
	"bytes"
	"testing"
)

// FuzzDecodeResult: whatever DecodeResult accepts re-encodes to the same
// bytes.
func FuzzDecodeResult(f *testing.F) {
	m := styledManifest(f, newTestTrustees(f, 3))
	f.Add(testResult(m).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeResult(m, b)
		if err != nil {
			return
		}
		if !bytes.Equal(r.Bytes(), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}
