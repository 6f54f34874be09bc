package record

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/evote/evote/election"
)

// readAll reads a whole record file with Reader.
func readAll(b []byte) ([][]byte, error) {
	r := NewReader(bytes.NewReader(b))
	var out [][]byte
	for {
		e, err := r.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
}

// TestReaderAgreesWithDecodeRecordFile reads every vector record file and
// corruptions of one: the streaming reader gives the entries, or fails,
// exactly where election.DecodeRecordFile does.
func TestReaderAgreesWithDecodeRecordFile(t *testing.T) {
	files, _ := filepath.Glob("../election/testdata/record/*.rec")
	if len(files) == 0 {
		t.Fatal("no vectors")
	}
	good, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string][]byte{
		"empty":            {},
		"truncated":        good[:len(good)-1],
		"short length":     good[:len(good)-len(good)+2],
		"huge length":      {0xff, 0xff, 0xff, 0xff, 1, 2, 3},
		"past the end":     {0, 0, 1, 0, 1, 2, 3},
		"empty entry":      {0, 0, 0, 0},
		"trailing garbage": append(append([]byte(nil), good...), 0, 0),
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		cases[filepath.Base(f)] = b
	}
	for name, b := range cases {
		want, wantErr := election.DecodeRecordFile(b)
		got, err := readAll(b)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("%s: reader error %v, DecodeRecordFile %v", name, err, wantErr)
			continue
		}
		if err != nil && !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v does not wrap ErrMalformed", name, err)
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d entries, want %d", name, len(got), len(want))
			continue
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Errorf("%s: entry %d differs", name, i)
			}
		}
	}
}

func TestWriterRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), EntriesFile)
	w, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	entries := [][]byte{[]byte("one"), {}, bytes.Repeat([]byte{9}, 3<<20)}
	for _, e := range entries {
		if err := w.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the record file is visible before Close")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, election.EncodeRecordFile(entries)) {
		t.Fatal("the file is not election.EncodeRecordFile of the entries")
	}
	w, _ = Create(path)
	if err := w.Append(make([]byte, election.MaxEntrySize+1)); err == nil {
		t.Fatal("an entry longer than MaxEntrySize was written")
	}
	w.Abort()
}

func FuzzReader(f *testing.F) {
	f.Add([]byte{0, 0, 0, 1, 7})
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		want, wantErr := election.DecodeRecordFile(b)
		got, err := readAll(b)
		if (err != nil) != (wantErr != nil) || len(got) != len(want) {
			t.Fatalf("reader: %d entries, %v; DecodeRecordFile: %d, %v", len(got), err, len(want), wantErr)
		}
	})
}
