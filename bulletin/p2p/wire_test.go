package p2p

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readVector reads a testdata .hex file: hex digits, with white space and
// "#" comments to the end of a line ignored.
func readVector(t testing.TB, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var digits strings.Builder
	for line := range strings.Lines(string(raw)) {
		line, _, _ = strings.Cut(line, "#")
		digits.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(digits.String())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

// vectors returns the .hex files of a testdata directory by name.
func vectors(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", dir, "*.hex"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no vectors in testdata/%s: %v", dir, err)
	}
	vs := make(map[string][]byte)
	for _, p := range paths {
		vs[strings.TrimSuffix(filepath.Base(p), ".hex")] = readVector(t, p)
	}
	return vs
}

// peerErrors maps the peer_* vectors to the error each must give.
var peerErrors = map[string]error{
	"peer_not_found":   ErrNotFound,
	"peer_refused":     ErrRefused,
	"peer_failed":      ErrPeerFailed,
	"peer_bad_request": ErrBadRequest,
}

// checkVector checks a decoding outcome against the vector's name: good_*
// decode and re-encode to the same bytes, fail_* are malformed, peer_* give
// the peer's error.
func checkVector(t *testing.T, name string, in []byte, err error, reencode func() []byte) {
	t.Helper()
	switch {
	case strings.HasPrefix(name, "good_"):
		if err != nil {
			t.Fatalf("decoding: %v", err)
		}
		if out := reencode(); !bytes.Equal(out, in) {
			t.Errorf("re-encoded as %x, want %x", out, in)
		}
	case strings.HasPrefix(name, "fail_"):
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("got %v, want ErrMalformed", err)
		}
	case strings.HasPrefix(name, "peer_"):
		want := peerErrors[name]
		if want == nil {
			t.Fatalf("no expected error for %s", name)
		}
		if !errors.Is(err, want) {
			t.Errorf("got %v, want %v", err, want)
		}
	default:
		t.Fatalf("vector %s is not good_, fail_ or peer_", name)
	}
}

func TestSyncRequestVectors(t *testing.T) {
	for name, in := range vectors(t, "sync_request") {
		t.Run(name, func(t *testing.T) {
			req, err := decodeSyncRequest(in)
			if strings.HasPrefix(name, "peer_") {
				t.Fatal("requests have no peer_ vectors")
			}
			checkVector(t, name, in, err, func() []byte { return req.encode() })
		})
	}
}

func TestSyncResponseVectors(t *testing.T) {
	for name, in := range vectors(t, "sync_response") {
		t.Run(name, func(t *testing.T) {
			resp, err := readSyncResponse(bytes.NewReader(in))
			checkVector(t, name, in, err, func() []byte { return encodeSyncResponse(t, resp) })
		})
	}
}

func TestCheckpointResponseVectors(t *testing.T) {
	for name, in := range vectors(t, "checkpoint_response") {
		t.Run(name, func(t *testing.T) {
			note, err := readCheckpointResponse(bytes.NewReader(in))
			checkVector(t, name, in, err, func() []byte {
				var buf bytes.Buffer
				w := bufio.NewWriter(&buf)
				if err := writeCheckpointResponse(w, note); err != nil {
					t.Fatal(err)
				}
				return buf.Bytes()
			})
		})
	}
}

// writeFailure and readStatus agree, and a long reason is cut to maxReason.
func TestFailureRoundTrip(t *testing.T) {
	for s, want := range map[status]error{statusNotFound: ErrNotFound, statusRefused: ErrRefused, statusFailed: ErrPeerFailed, statusBad: ErrBadRequest} {
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		if err := writeFailure(w, s, strings.Repeat("r", 2*maxReason)); err != nil {
			t.Fatal(err)
		}
		if buf.Len() != 1+2+maxReason {
			t.Errorf("status %d: %d bytes, want the reason cut to %d", s, buf.Len(), maxReason)
		}
		_, err := readSyncResponse(bytes.NewReader(buf.Bytes()))
		if !errors.Is(err, want) {
			t.Errorf("status %d: got %v, want %v", s, err, want)
		}
	}
}

func TestTrimSyncEntries(t *testing.T) {
	small := make([][]byte, maxSyncEntries+5)
	for i := range small {
		small[i] = []byte{1}
	}
	big := make([]byte, 7<<20)
	huge := make([]byte, maxSyncBytes+1)
	for _, tc := range []struct {
		name    string
		entries [][]byte
		want    int
	}{
		{"none", nil, 0},
		{"count bound", small, maxSyncEntries},
		{"byte bound", [][]byte{big, big, big}, 2},
		{"one entry over the byte bound", [][]byte{huge, big}, 1},
	} {
		if got := len(trimSyncEntries(tc.entries)); got != tc.want {
			t.Errorf("%s: kept %d entries, want %d", tc.name, got, tc.want)
		}
	}
}

func encodeSyncResponse(t testing.TB, r *syncResponse) []byte {
	var buf bytes.Buffer
	w := bufio.NewWriter(&buf)
	if err := writeSyncResponse(w, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// seed adds a testdata directory's vectors to a fuzz corpus.
func seed(f *testing.F, dir string) {
	for _, v := range vectors(f, dir) {
		f.Add(v)
	}
}

func FuzzDecodeSyncRequest(f *testing.F) {
	seed(f, "sync_request")
	f.Fuzz(func(t *testing.T, in []byte) {
		req, err := decodeSyncRequest(in)
		if err != nil {
			return
		}
		if !bytes.Equal(req.encode(), in) {
			t.Errorf("%x decoded but re-encodes differently", in)
		}
	})
}

func FuzzReadSyncResponse(f *testing.F) {
	seed(f, "sync_response")
	f.Fuzz(func(t *testing.T, in []byte) {
		resp, err := readSyncResponse(bytes.NewReader(in))
		if err != nil {
			return
		}
		if !bytes.Equal(encodeSyncResponse(t, resp), in) {
			t.Errorf("%x decoded but re-encodes differently", in)
		}
	})
}

func FuzzReadCheckpointResponse(f *testing.F) {
	seed(f, "checkpoint_response")
	f.Fuzz(func(t *testing.T, in []byte) {
		note, err := readCheckpointResponse(bytes.NewReader(in))
		if err != nil {
			return
		}
		var buf bytes.Buffer
		w := bufio.NewWriter(&buf)
		if err := writeCheckpointResponse(w, note); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(buf.Bytes(), in) {
			t.Errorf("%x decoded but re-encodes differently", in)
		}
	})
}
