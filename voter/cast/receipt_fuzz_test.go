package cast

import (
	"bytes"
	"testing"
)

// FuzzDecodeReceipt: any input decodes to a receipt that re-encodes to a
// file that decodes to the same receipt, or is refused; it never panics.
func FuzzDecodeReceipt(f *testing.F) {
	f.Add([]byte(`{"evote_receipt":1,"election":"` + string(bytes.Repeat([]byte("ab"), 32)) + `","tracker":"` + string(bytes.Repeat([]byte("cd"), 32)) + `","type":"ballot","queued":true}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"evote_receipt":1,"type":"spoiled","receipt":{"index":1}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := DecodeReceipt(b)
		if err != nil {
			return
		}
		again, err := DecodeReceipt(r.Encode())
		if err != nil {
			t.Fatalf("a decoded receipt does not decode after Encode: %v", err)
		}
		if !bytes.Equal(again.Encode(), r.Encode()) {
			t.Fatal("Encode is not stable")
		}
	})
}
