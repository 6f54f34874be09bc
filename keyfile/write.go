package keyfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Write stores s in dir as name.pub (mode 0644) and name.key (mode 0600),
// returning both paths. dir must exist. Each file appears atomically,
// complete or not at all. Unless force is set, Write fails with ErrExists
// if either file exists and writes nothing; with force it replaces them.
func (s *Secret) Write(dir string, force bool) (pubPath, secretPath string, err error) {
	pub, err := s.Public()
	if err != nil {
		return "", "", err
	}
	if fi, err := os.Stat(dir); err != nil {
		return "", "", fmt.Errorf("key directory: %w (create it first: mkdir -m 700 %s)", err, dir)
	} else if !fi.IsDir() {
		return "", "", fmt.Errorf("key directory %s is not a directory", dir)
	}
	pubPath, secretPath = Paths(dir, s.Name)
	if !force {
		for _, p := range []string{pubPath, secretPath} {
			if _, err := os.Lstat(p); err == nil {
				return "", "", fmt.Errorf("%w: %s (remove it or pass --force to replace it)", ErrExists, p)
			}
		}
	}
	// The secret goes first: if the public file then fails, the secret is
	// removed again, so a failed Write leaves no half of a key behind.
	if err := writeAtomic(secretPath, s.Bytes(), 0o600, force); err != nil {
		return "", "", err
	}
	if err := writeAtomic(pubPath, pub.Bytes(), 0o644, force); err != nil {
		if !force {
			os.Remove(secretPath)
		}
		return "", "", err
	}
	return pubPath, secretPath, nil
}

// writeAtomic writes data to a new temporary file beside path with mode
// perm, syncs it, and moves it into place: with a hard link when path must
// not exist (link, unlike rename, fails if the target exists, so a file
// created meanwhile by someone else is never replaced), with a rename when
// replacing is allowed.
func writeAtomic(path string, data []byte, perm fs.FileMode, replace bool) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	// CreateTemp makes the file 0600 with O_EXCL; Chmod, not the umask,
	// decides the final mode.
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
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
	os.Remove(tmp)
	return nil
}
