package election

import (
	"bytes"
	"testing"
)

func FuzzDecodeEntry(f *testing.F) {
	m, k := fxManifest(f, 2, 2, 1)
	f.Add(fxManifestEntry(f, m, k).Bytes())
	f.Add(fxSign(TypeClose, ID{1}, []byte("x"), k.commission).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := DecodeEntry(b)
		if err != nil {
			return
		}
		if !bytes.Equal(e.Bytes(), b) {
			t.Fatal("decoded entry re-encodes differently")
		}
		if e.ID() != ID(sha256Sum(b)) {
			t.Fatal("id is not the hash of the bytes")
		}
	})
}

// FuzzApplyBytes feeds arbitrary bytes to a record in the voting phase: it
// must never panic, and must change nothing unless it accepts.
func FuzzApplyBytes(f *testing.F) {
	x := fxNew(f, 2, 2, 1)
	x.open(f)
	f.Add(x.sign(TypeClose, nil, x.k.commission).Bytes())
	f.Add(x.sign(TypeSeal, (&Seal{}).Bytes(), x.k.nodes[0]).Bytes())
	f.Add(x.sign(TypeOpen, []byte{1}, x.k.commission).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		y := fxNew(t, 2, 2, 1)
		y.open(t)
		n, phase := y.r.Len(), y.r.Phase()
		if _, err := y.r.ApplyBytes(b); err != nil && (y.r.Len() != n || y.r.Phase() != phase) {
			t.Fatal("a rejected entry changed the record")
		}
	})
}

func FuzzDecodeOpen(f *testing.F) {
	x := fxNew(f, 3, 2, 1)
	x.credentials(f)
	f.Add(NewOpen(x.injectCeremony(f)).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := DecodeOpen(b)
		if err == nil && !bytes.Equal(o.Bytes(), b) {
			t.Fatal("re-encodes differently")
		}
	})
}

func FuzzDecodeClose(f *testing.F) {
	f.Add([]byte{})
	f.Add((&Close{Reason: "polls closed"}).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeClose(b)
		if err == nil && !bytes.Equal(c.Bytes(), b) {
			t.Fatal("re-encodes differently")
		}
	})
}

func FuzzDecodeSeal(f *testing.F) {
	f.Add((&Seal{Count: 5, TreeSize: 9}).Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSeal(b)
		if err == nil && !bytes.Equal(s.Bytes(), b) {
			t.Fatal("re-encodes differently")
		}
	})
}
