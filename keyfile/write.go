package keyfile

import (
	"fmt"
	"os"

	"github.com/evote/evote/internal/atomicfile"
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
	if err := atomicfile.Write(secretPath, s.Bytes(), 0o600, force); err != nil {
		return "", "", err
	}
	if err := atomicfile.Write(pubPath, pub.Bytes(), 0o644, force); err != nil {
		if !force {
			os.Remove(secretPath)
		}
		return "", "", err
	}
	return pubPath, secretPath, nil
}
