package store

import (
	"bytes"
	"testing"
)

// The store decodes only what it wrote, but a damaged disk must give an
// error, never a panic or a different value.

func FuzzDecodeHead(f *testing.F) {
	f.Add(head{size: 70, root: [32]byte{1}}.encode())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		h, ok := decodeHead(b)
		if ok && !bytes.Equal(h.encode(), b) {
			t.Fatalf("%x decodes to %+v, which encodes to %x", b, h, h.encode())
		}
	})
}

func FuzzDecodeEntry(f *testing.F) {
	it := item(1, 7, 100)
	f.Add(encodeEntry(it.Type, it.ID, it.Bytes))
	f.Add([]byte{7})
	f.Fuzz(func(t *testing.T, b []byte) {
		st, err := decodeEntry(bytes.Clone(b), 3)
		if err != nil {
			return
		}
		if got := encodeEntry(st.Type, st.ID, st.Bytes); !bytes.Equal(got, b) || st.Index != 3 {
			t.Fatalf("%x decodes to %+v, which encodes to %x", b, st, got)
		}
	})
}
