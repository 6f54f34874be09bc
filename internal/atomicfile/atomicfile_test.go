package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := Write(path, []byte("one"), 0o640, false); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("two"), 0o640, false); !errors.Is(err, ErrExists) {
		t.Fatalf("overwrite without replace: got %v, want ErrExists", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "one" {
		t.Fatalf("refused write changed the file to %q", b)
	}
	if err := Write(path, []byte("three"), 0o600, true); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "three" || st.Mode().Perm() != 0o600 {
		t.Fatalf("replace: %q mode %v", b, st.Mode().Perm())
	}
	if err := Write(filepath.Join(dir, "no-dir", "f"), []byte("x"), 0o644, false); err == nil {
		t.Fatal("write into a missing directory succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Fatalf("temporary files left behind: %v", entries)
	}
}
