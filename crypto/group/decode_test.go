package group_test

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
)

// hexVector is one line of a testdata/*.txt file: the bytes, the comment
// ("# ...") that last preceded it, and where it is, for messages.
type hexVector struct {
	comment string
	where   string
	b       []byte
}

// readHexVectors reads a file of one hex string per line; "# " lines are
// comments that describe the lines after them, blank lines are ignored.
func readHexVectors(t testing.TB, name string) []hexVector {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var vs []hexVector
	comment := ""
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
		case strings.HasPrefix(line, "#"):
			comment = strings.TrimSpace(strings.TrimPrefix(line, "#"))
		default:
			b, err := hex.DecodeString(line)
			if err != nil {
				t.Fatalf("%s:%d: %v", name, n, err)
			}
			vs = append(vs, hexVector{comment: comment, where: name + ":" + strconv.Itoa(n), b: b})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

var decodeErrors = []error{group.ErrLength, group.ErrNonCanonical, group.ErrScalarRange, group.ErrIdentity}

// wantOnly checks that err matches want and none of the other decode errors,
// so that a check cannot pass by failing for the wrong reason.
func wantOnly(t *testing.T, what string, err, want error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: accepted, want %v", what, want)
		return
	}
	for _, e := range decodeErrors {
		if got := errors.Is(err, e); got != (e == want) {
			t.Errorf("%s: error %q: errors.Is(err, %q) = %v", what, err, e, got)
		}
	}
}

func TestDecodePointGoodVectors(t *testing.T) {
	vs := readHexVectors(t, "good_points.txt")
	if len(vs) != 16 {
		t.Fatalf("good_points.txt has %d vectors, want 16 (i·G for i = 0..15)", len(vs))
	}
	want := group.NewIdentity()
	for i, v := range vs {
		p, err := group.DecodePointOrIdentity(v.b)
		if err != nil {
			t.Fatalf("%s: %d·G: %v", v.where, i, err)
		}
		if !p.Equal(want) {
			t.Errorf("%s: decodes to a point other than %d·G", v.where, i)
		}
		if !bytes.Equal(p.Bytes(), v.b) {
			t.Errorf("%s: round trip gives %x", v.where, p.Bytes())
		}
		if got := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(uint64(i))); !bytes.Equal(got.Bytes(), v.b) {
			t.Errorf("%s: %d·G encodes as %x", v.where, i, got.Bytes())
		}
		q, err := group.DecodePoint(v.b)
		if i == 0 {
			wantOnly(t, v.where+": DecodePoint(identity)", err, group.ErrIdentity)
		} else if err != nil || !q.Equal(p) {
			t.Errorf("%s: DecodePoint: %v", v.where, err)
		}
		want.Add(want, group.Generator())
	}
}

func TestDecodePointFailVectors(t *testing.T) {
	vs := readHexVectors(t, "fail_points.txt")
	reasons := map[string]int{}
	for _, v := range vs {
		reasons[v.comment]++
		if len(v.b) != group.PointSize {
			t.Fatalf("%s: vector has %d bytes; length failures belong in TestDecodeLength", v.where, len(v.b))
		}
		_, err := group.DecodePoint(v.b)
		wantOnly(t, v.where+" ("+v.comment+"): DecodePoint", err, group.ErrNonCanonical)
		_, err = group.DecodePointOrIdentity(v.b)
		wantOnly(t, v.where+" ("+v.comment+"): DecodePointOrIdentity", err, group.ErrNonCanonical)
	}
	// A truncated file must not pass quietly: RFC 9496 lists 29 bad
	// encodings in five groups, and the file adds one group of its own.
	if len(vs) < 30 || len(reasons) < 6 {
		t.Errorf("fail_points.txt has %d vectors in %d groups, want ≥ 30 in ≥ 6", len(vs), len(reasons))
	}
}

func TestDecodeScalarVectors(t *testing.T) {
	good := readHexVectors(t, "good_scalars.txt")
	for _, v := range good {
		s, err := group.DecodeScalar(v.b)
		if err != nil {
			t.Errorf("%s (%s): %v", v.where, v.comment, err)
			continue
		}
		if !bytes.Equal(s.Bytes(), v.b) {
			t.Errorf("%s (%s): round trip gives %x", v.where, v.comment, s.Bytes())
		}
	}
	fail := readHexVectors(t, "fail_scalars.txt")
	for _, v := range fail {
		_, err := group.DecodeScalar(v.b)
		wantOnly(t, v.where+" ("+v.comment+")", err, group.ErrScalarRange)
	}
	if len(good) < 5 || len(fail) < 5 {
		t.Errorf("scalar vectors: %d good, %d fail; want ≥ 5 each", len(good), len(fail))
	}
}

func TestDecodeLength(t *testing.T) {
	g := group.Generator().Bytes()
	inputs := map[string][]byte{
		"nil":                 nil,
		"0 bytes":             {},
		"31 bytes":            g[:31],
		"33 bytes":            append(append([]byte{}, g...), 0),
		"64 bytes":            append(append([]byte{}, g...), g...),
		"33 non-canonical":    bytes.Repeat([]byte{0xff}, 33),
		"31 zero (identity?)": make([]byte, 31),
	}
	for name, b := range inputs {
		_, err := group.DecodePoint(b)
		wantOnly(t, "DecodePoint "+name, err, group.ErrLength)
		_, err = group.DecodePointOrIdentity(b)
		wantOnly(t, "DecodePointOrIdentity "+name, err, group.ErrLength)
		_, err = group.DecodeScalar(b)
		wantOnly(t, "DecodeScalar "+name, err, group.ErrLength)
	}
}

func TestDecodeIdentity(t *testing.T) {
	zero := make([]byte, group.PointSize)
	_, err := group.DecodePoint(zero)
	wantOnly(t, "DecodePoint(identity)", err, group.ErrIdentity)

	p, err := group.DecodePointOrIdentity(zero)
	if err != nil {
		t.Fatalf("DecodePointOrIdentity(identity): %v", err)
	}
	if !p.IsIdentity() || !bytes.Equal(p.Bytes(), zero) {
		t.Errorf("DecodePointOrIdentity(identity) = %x, identity: %v", p.Bytes(), p.IsIdentity())
	}
	// The identity computed rather than decoded is rejected on its way back in.
	id := new(group.Point).Subtract(group.Generator(), group.Generator())
	_, err = group.DecodePoint(id.Bytes())
	wantOnly(t, "DecodePoint(G-G)", err, group.ErrIdentity)
}

// TestDecodeDoesNotAlias checks that a decoded value owns its bytes: callers
// reuse their buffers.
func TestDecodeDoesNotAlias(t *testing.T) {
	b := group.Generator().Bytes()
	want := append([]byte{}, b...)
	p, err := group.DecodePoint(b)
	if err != nil {
		t.Fatal(err)
	}
	b[0] ^= 0xff
	if !bytes.Equal(p.Bytes(), want) {
		t.Errorf("decoded point changed with its input buffer: %x", p.Bytes())
	}
	out := p.Bytes()
	out[1] ^= 0xff
	if !bytes.Equal(p.Bytes(), want) {
		t.Errorf("Bytes returned the point's own storage: %x", p.Bytes())
	}

	sb := group.ScalarFromUint64(7).Bytes()
	sc, err := group.DecodeScalar(sb)
	if err != nil {
		t.Fatal(err)
	}
	sb[0] = 8
	if !sc.Equal(group.ScalarFromUint64(7)) {
		t.Errorf("decoded scalar changed with its input buffer: %v", sc)
	}
}

// TestDecodeRoundTripRandom round-trips computed points and scalars, which
// exercise all 256 bit positions rather than the few the vectors pin.
func TestDecodeRoundTripRandom(t *testing.T) {
	for range 64 {
		s := group.MustRandomScalar()
		p := new(group.Point).ScalarBaseMult(s)
		q, err := group.DecodePoint(p.Bytes())
		if err != nil || !q.Equal(p) || !bytes.Equal(q.Bytes(), p.Bytes()) {
			t.Fatalf("point %v: round trip: %v", p, err)
		}
		u, err := group.DecodeScalar(s.Bytes())
		if err != nil || !u.Equal(s) {
			t.Fatalf("scalar %v: round trip: %v", s, err)
		}
	}
}

func BenchmarkDecodePoint(b *testing.B) {
	enc := new(group.Point).ScalarBaseMult(group.MustRandomScalar()).Bytes()
	for b.Loop() {
		if _, err := group.DecodePoint(enc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeScalar(b *testing.B) {
	enc := group.MustRandomScalar().Bytes()
	for b.Loop() {
		if _, err := group.DecodeScalar(enc); err != nil {
			b.Fatal(err)
		}
	}
}
