package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/evote/evote/record"
)

// FuzzVerifyRecord verifies arbitrary record files: whatever the bytes,
// the verifier reports, and never panics; a report that verifies has read
// a complete record.
func FuzzVerifyRecord(f *testing.F) {
	for _, name := range []string{"good_referendum.rec", "fail_36_ballot_short.rec", "fail_48_result_wrong_counts.rec"} {
		if b, err := os.ReadFile(filepath.Join(vectors, name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte{0, 0, 0, 2, 0, 1})
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, b []byte) {
		if err := os.WriteFile(filepath.Join(dir, record.EntriesFile), b, 0o644); err != nil {
			t.Fatal(err)
		}
		rep := Run(context.Background(), Dir(dir), Options{Batch: 5})
		if rep.OK() && (rep.Phase != "done" || len(rep.Result) == 0) {
			t.Fatalf("verified a record that ends in the %s phase", rep.Phase)
		}
	})
}
