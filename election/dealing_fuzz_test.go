package election

import (
	"bytes"
	"testing"
)

// FuzzDecodeDealing: whatever DecodeDealing accepts re-encodes to the same
// bytes.
func FuzzDecodeDealing(f *testing.F) {
	tt := newTestTrustees(f, 3)
	m := styledManifest(f, tt)
	for _, k := range tt.signing {
		e, _, err := NewDealing(m, testElectionID("fuzz"), k, nil)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(e.Payload)
	}
	params := thresholdParams(m)
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := DecodeDealing(params, b)
		if err != nil {
			return
		}
		if !bytes.Equal(d.Bytes(), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}

// FuzzDecodeComplaint: whatever DecodeComplaint accepts re-encodes to the
// same bytes.
func FuzzDecodeComplaint(f *testing.F) {
	params := thresholdParams(styledManifest(f, newTestTrustees(f, 3)))
	f.Add([]byte{0, 3, 0, 1})
	f.Add([]byte{0, 1, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeComplaint(params, b)
		if err != nil {
			return
		}
		if !bytes.Equal(c.Bytes(), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}

// FuzzDecodeReveal: whatever DecodeReveal accepts re-encodes to the same
// bytes.
func FuzzDecodeReveal(f *testing.F) {
	tt := newTestTrustees(f, 3)
	m := styledManifest(f, tt)
	c := runCeremony(f, m, testElectionID("fuzz"), tt)
	e, err := NewReveal(m, c.id, tt.signing[0], c.polys[0], 2)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(e.Payload)
	params := thresholdParams(m)
	f.Fuzz(func(t *testing.T, b []byte) {
		rv, err := DecodeReveal(params, b)
		if err != nil {
			return
		}
		if !bytes.Equal(rv.Bytes(), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}
