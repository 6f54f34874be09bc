package credential

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// The layout of an issue on disk, under its output directory.
const (
	SecretDir      = "secret"          // mode 0700: for printing, never published
	SecretCSV      = "credentials.csv" // in SecretDir: voter_id,name,style,code
	QRDir          = "qr"              // in SecretDir: <voter_id>.png
	PublicDir      = "public"          // the entries for the board
	entryNameFmt   = "credentials-%03d.entry"
	secretFileMode = 0o600
)

// EntryFileName returns the name of the file that holds part p of the
// credential list in the PublicDir directory.
func EntryFileName(p int) string { return fmt.Sprintf(entryNameFmt, p) }

// WriteDir writes the issue to a new directory dir:
//
//	dir/secret/credentials.csv   voter_id,name,style,code (mode 0600)
//	dir/secret/qr/<voter_id>.png the code as a QR image (mode 0600)
//	dir/public/credentials-NNN.entry  part NNN of the signed public list
//
// dir must not exist and its parent must. Everything is written to a
// temporary directory beside dir and renamed to dir at the end, so on any
// error nothing is left behind. (Between the check that dir does not exist
// and the rename, someone could create dir; rename then replaces it only
// if it is an empty directory, and fails otherwise.)
func (is *Issue) WriteDir(dir string) (err error) {
	dir = filepath.Clean(dir)
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s exists; credentials are never overwritten: choose another output directory", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("credentials output: %w", err)
	}
	parent := filepath.Dir(dir)
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := is.writeSecret(filepath.Join(tmp, SecretDir)); err != nil {
		return err
	}
	if err := is.writePublic(filepath.Join(tmp, PublicDir)); err != nil {
		return err
	}
	if err := syncDir(tmp); err != nil {
		return err
	}
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("%s appeared while the credentials were being written; nothing written", dir)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	return syncDir(parent)
}

func (is *Issue) writeSecret(dir string) error {
	qr := filepath.Join(dir, QRDir)
	if err := os.MkdirAll(qr, 0o700); err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	if err := writeFile(filepath.Join(dir, SecretCSV), is.secretCSV(), secretFileMode); err != nil {
		return err
	}
	var mu sync.Mutex
	var first error
	// Each file is synced before the rename makes the issue visible; with
	// more goroutines than cores, the waits for the disk overlap and the
	// file system commits many files at once.
	parallel(len(is.Voters), max(runtime.GOMAXPROCS(0), 32), func(i int) {
		png, err := is.Credentials[i].Code.QRPNG()
		if err == nil {
			err = writeFile(filepath.Join(qr, is.Voters[i].ID+".png"), png, secretFileMode)
		}
		if err != nil {
			mu.Lock()
			if first == nil {
				first = fmt.Errorf("voter %s: %w", is.Voters[i].ID, err)
			}
			mu.Unlock()
		}
	})
	if first != nil {
		return first
	}
	return syncDir(qr)
}

// secretCSV returns the printing list, in roll order.
func (is *Issue) secretCSV() []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"voter_id", "name", "style", "code"})
	for i, v := range is.Voters {
		w.Write([]string{v.ID, v.Name, is.Styles[i], is.Credentials[i].Code.Text()})
	}
	w.Flush()
	return b.Bytes()
}

func (is *Issue) writePublic(dir string) error {
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	for p, e := range is.Entries {
		if err := writeFile(filepath.Join(dir, EntryFileName(p)), e.Bytes(), 0o644); err != nil {
			return err
		}
	}
	return syncDir(dir)
}

// writeFile creates a new file (it must not exist) with mode perm and
// syncs it.
func writeFile(path string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	// The umask may have narrowed perm; the mode must be exactly perm.
	if err := f.Chmod(perm); err != nil {
		f.Close()
		return fmt.Errorf("credentials output: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return fmt.Errorf("credentials output: writing %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("credentials output: writing %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("credentials output: writing %s: %w", path, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("credentials output: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("credentials output: syncing %s: %w", dir, err)
	}
	return nil
}
