// Package atomicfile writes files so that a reader, or a crash, never sees
// half of one: key files, signed entries, configs and ready files.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrExists is wrapped when the target exists and replacing was not allowed.
var ErrExists = errors.New("file exists")

// Write writes data to a new temporary file beside path with mode perm,
// syncs it, and moves it into place, so path holds either all of data or
// what it held before. Without replace, path must not exist: the move is a
// hard link, which unlike a rename fails if the target exists, so a file
// created meanwhile by someone else is never overwritten either.
func Write(path string, data []byte, perm fs.FileMode, replace bool) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a link or a failure; a no-op after a rename
	if err := writeSync(f, data, perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if replace {
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("writing %s: %w", path, err)
		}
		return nil
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s (remove it or pass --force to replace it)", ErrExists, path)
		}
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

// writeSync sets f's mode (CreateTemp makes it 0600, and Chmod, not the
// umask, decides the final mode), writes data, syncs and closes f.
func writeSync(f *os.File, data []byte, perm fs.FileMode) error {
	err := f.Chmod(perm)
	if err == nil {
		_, err = f.Write(data)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
