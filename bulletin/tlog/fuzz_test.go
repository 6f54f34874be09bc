package tlog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func addVectorSeeds(f *testing.F, text bool) {
	files, _ := filepath.Glob(filepath.Join(vectorDir, "*.note"))
	for _, file := range files {
		msg, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if text {
			body, _, _ := strings.Cut(string(msg), "\n\n")
			f.Add(body + "\n")
		} else {
			f.Add(string(msg))
		}
	}
}

// FuzzParseCheckpoint: a note that opens under the node's key is canonical —
// its body is what SignCheckpoint writes for the values parsed from it.
func FuzzParseCheckpoint(f *testing.F) {
	addVectorSeeds(f, false)
	v := mustVerifier(f, testNodeKey)
	f.Fuzz(func(t *testing.T, msg string) {
		cp, err := ParseCheckpoint([]byte(msg), v)
		if err != nil {
			return
		}
		if !strings.HasPrefix(msg, body(cp.Election, cp.Size, cp.Root)+"\n") {
			t.Fatalf("accepted %q, which is not the canonical body of %d %x", msg, cp.Size, cp.Root)
		}
	})
}

// FuzzCheckpointBody reaches the body parser without needing a signature:
// whatever it accepts re-encodes to the same text.
func FuzzCheckpointBody(f *testing.F) {
	addVectorSeeds(f, true)
	f.Fuzz(func(t *testing.T, text string) {
		cp, err := parseBody(text)
		if err != nil {
			return
		}
		if got := body(cp.Election, cp.Size, cp.Root); got != text {
			t.Fatalf("accepted %q, re-encodes to %q", text, got)
		}
	})
}
