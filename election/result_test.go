package election

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func testResult(m *Manifest) *Result {
	r := &Result{Ballots: 10, Counts: make([][]uint64, len(m.Contests))}
	for c, ct := range m.Contests {
		r.Counts[c] = make([]uint64, len(ct.Options))
		r.Counts[c][0] = uint64(c + 1)
	}
	return r
}

func TestResultRoundTrip(t *testing.T) {
	tt := newTestTrustees(t, 3)
	m := styledManifest(t, tt)
	id := testElectionID("result")
	r := testResult(m)
	e, err := NewResult(m, id, testCommission, r)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != TypeResult || !bytes.Equal(e.Author, m.Commission) || e.VerifySignature() != nil {
		t.Fatal("result entry: wrong type, author or signature")
	}
	if want := 8 + 8*totalOptions(m); len(e.Payload) != want {
		t.Errorf("%d bytes, want %d", len(e.Payload), want)
	}
	got, err := DecodeResult(m, e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), e.Payload) || got.Compare(m, r) != nil {
		t.Error("round trip changed the result")
	}
	if _, err := NewResult(m, id, tt.signing[0], r); err == nil {
		t.Error("result signed by a trustee")
	}
	short := &Result{Ballots: 1, Counts: r.Counts[:2]}
	if _, err := NewResult(m, id, testCommission, short); err == nil {
		t.Error("result of the wrong shape")
	}
}

func TestResultCompare(t *testing.T) {
	m := styledManifest(t, newTestTrustees(t, 3))
	a, b := testResult(m), testResult(m)
	b.Counts[1][4] = 2
	var mm *ResultMismatchError
	if err := a.Compare(m, b); !errors.As(err, &mm) || mm.Contest != "council" || mm.Option != "c5" || mm.Posted != 0 || mm.Record != 2 {
		t.Errorf("got %v, want a mismatch at council c5", err)
	}
	b = testResult(m)
	b.Ballots = 11
	if err := a.Compare(m, b); !errors.As(err, &mm) || mm.Contest != "" || !strings.Contains(err.Error(), "10 ballots, the record 11") {
		t.Errorf("got %v, want a mismatch of the number of ballots", err)
	}
}

func TestDecodeResultStrict(t *testing.T) {
	m := styledManifest(t, newTestTrustees(t, 3))
	good := testResult(m).Bytes()
	edit := func(fn func(p []byte)) []byte { p := bytes.Clone(good); fn(p); return p }
	count := func(c, o int) int { // offset of a count
		off := 8
		for k := 0; k < c; k++ {
			off += 8 * len(m.Contests[k].Options)
		}
		return off + 8*o
	}
	cases := []struct {
		name    string
		payload []byte
		msg     string
	}{
		{"empty", nil, "0 bytes"},
		{"short", good[:len(good)-1], "bytes, want"},
		{"trailing", append(bytes.Clone(good), 0), "bytes, want"},
		{"count above ballots", edit(func(p []byte) { p[count(2, 1)+7] = 11 }), "measure_a: option no: count 11 exceeds the 10 ballots"},
		{"more selections than the maximum", edit(func(p []byte) {
			p[count(0, 1)+7] = 10 // mayor: 1 + 10 selections for 10 ballots of at most 1
		}), "contest mayor: 11 selections"},
		{"more ballots than a tally can count", edit(func(p []byte) { p[0] = 0xff }), "more than"},
	}
	for _, tc := range cases {
		_, err := DecodeResult(m, tc.payload)
		if !errors.Is(err, ErrEncoding) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want ErrEncoding containing %q", tc.name, err, tc.msg)
		}
	}
}
