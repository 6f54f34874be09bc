package election

import (
	"bytes"
	"testing"
)

// FuzzDecodeBallot: whatever DecodeBallot accepts re-encodes to the same
// bytes.
func FuzzDecodeBallot(f *testing.F) {
	fx := newBallotFixture(f)
	for i := range fx.voters {
		e, _ := fx.ballot(f, i, uint32(i), "fuzz")
		f.Add(e.Payload)
	}
	f.Add([]byte{})
	l := fx.v.Layout()
	f.Fuzz(func(t *testing.T, b []byte) {
		ballot, err := DecodeBallot(l, b)
		if err != nil {
			return
		}
		if !bytes.Equal(ballot.Bytes(l), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}

// FuzzDecodeSpoiled: whatever DecodeSpoiled accepts re-encodes to the same
// bytes.
func FuzzDecodeSpoiled(f *testing.F) {
	fx := newBallotFixture(f)
	for i, vt := range fx.voters {
		e, o := fx.ballot(f, i, 0, "fuzz")
		s, err := NewSpoiled(fx.m, e, o, vt.key)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(s.Payload)
	}
	l := fx.v.Layout()
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSpoiled(l, b)
		if err != nil {
			return
		}
		if !bytes.Equal(s.Bytes(l), b) {
			t.Fatalf("decode then encode changed the bytes")
		}
	})
}
