package wire

import (
	"bytes"
	"errors"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	var w Writer
	w.U8(7)
	w.Bool(true)
	w.U16(0x1234)
	w.U32(0xdeadbeef)
	w.U64(1 << 40)
	w.I64(-5)
	w.Fixed([]byte{1, 2, 3})
	w.String("héllo")
	w.Count(2)
	w.Bytes32([]byte("ab"))
	w.Bytes32(nil)
	r := NewReader(w.Bytes())
	if r.U8("a") != 7 || !r.Bool("b") || r.U16("c") != 0x1234 || r.U32("d") != 0xdeadbeef ||
		r.U64("e") != 1<<40 || r.I64("f") != -5 || !bytes.Equal(r.Fixed("g", 3), []byte{1, 2, 3}) ||
		r.String("h", 100) != "héllo" || r.Count("i", 10, 4) != 2 || string(r.Bytes32("j", 10)) != "ab" ||
		len(r.Bytes32("k", 10)) != 0 {
		t.Fatal("round trip changed a value")
	}
	if err := r.Finish(); err != nil {
		t.Fatal(err)
	}
}

func TestRejects(t *testing.T) {
	cases := map[string]func(r *Reader){
		"short u32":       func(r *Reader) { r.U32("x") },
		"bad bool":        func(r *Reader) { r.Bool("x") },
		"long string":     func(r *Reader) { r.String("x", 2) },
		"bad utf8":        func(r *Reader) { r.String("x", 10) },
		"too many":        func(r *Reader) { r.Count("x", 1, 0) },
		"count vs length": func(r *Reader) { r.Count("x", 100, 32) },
		"trailing":        func(r *Reader) { r.U8("x") },
	}
	inputs := map[string][]byte{
		"short u32":       {0, 1},
		"bad bool":        {2},
		"long string":     {0, 0, 0, 3, 'a', 'b', 'c'},
		"bad utf8":        {0, 0, 0, 1, 0xff},
		"too many":        {0, 0, 0, 2},
		"count vs length": {0, 0, 0, 2, 1, 2, 3},
		"trailing":        {1, 2},
	}
	for name, f := range cases {
		r := NewReader(inputs[name])
		f(r)
		if err := r.Finish(); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: got %v, want ErrMalformed", name, err)
		}
	}
}

func TestFirstErrorSticks(t *testing.T) {
	r := NewReader([]byte{0})
	r.U32("first")
	r.U8("second")
	if err := r.Err(); err == nil || !bytes.Contains([]byte(err.Error()), []byte("first")) {
		t.Fatalf("got %v, want the first field named", err)
	}
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 'a', 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		r := NewReader(b)
		s := r.String("s", 64)
		v := r.Bool("v")
		if r.Finish() == nil {
			var w Writer
			w.String(s)
			w.Bool(v)
			if !bytes.Equal(w.Bytes(), b) {
				t.Fatal("re-encoding differs")
			}
		}
	})
}
