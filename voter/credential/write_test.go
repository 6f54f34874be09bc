package credential

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/evote/evote/election"
)

func TestWriteDir(t *testing.T) {
	voters := []Voter{{ID: "v1", Name: "Ada, Countess", Style: "north"}, {ID: "v2", Style: "south"}, {ID: "v3", Name: "Alan", Style: "north"}}
	is, err := NewIssue(testElection, voters, testStyles, testCommission, testRand())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "out")
	if err := is.WriteDir(dir); err != nil {
		t.Fatal(err)
	}
	checkMode(t, filepath.Join(dir, SecretDir), 0o700)
	checkMode(t, filepath.Join(dir, SecretDir, SecretCSV), 0o600)
	f, err := os.Open(filepath.Join(dir, SecretDir, SecretCSV))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || strings.Join(rows[0], ",") != "voter_id,name,style,code" {
		t.Fatalf("credentials.csv: %q", rows)
	}
	for i, row := range rows[1:] {
		v := voters[i]
		if row[0] != v.ID || row[1] != v.Name || row[2] != v.Style {
			t.Errorf("row %d: %q, want voter %+v", i+1, row, v)
		}
		c, err := Parse(row[3])
		if err != nil || !c.PublicKey(testElection).Equal(is.Credentials[i].PublicKey) {
			t.Errorf("row %d: code %v does not give the voter's key", i+1, err)
		}
		qr := filepath.Join(dir, SecretDir, QRDir, v.ID+".png")
		checkMode(t, qr, 0o600)
		checkQR(t, qr, row[3])
	}
	b, err := os.ReadFile(filepath.Join(dir, PublicDir, EntryFileName(0)))
	if err != nil {
		t.Fatal(err)
	}
	e, err := election.DecodeEntry(b)
	if err != nil {
		t.Fatal(err)
	}
	checkEntries(t, []*election.Entry{e}, 3)
	names, _ := os.ReadDir(filepath.Dir(dir))
	if len(names) != 1 {
		t.Errorf("the parent directory holds %d entries, want only the output", len(names))
	}

	if err := is.WriteDir(dir); err == nil || !strings.Contains(err.Error(), "never overwritten") {
		t.Errorf("second WriteDir: %v, want a refusal", err)
	}
	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o755)
	if err := is.WriteDir(empty); err == nil {
		t.Error("WriteDir into an existing empty directory succeeded")
	}
}

// checkQR checks that the PNG at path is the QR code of text at 10 pixels
// per module: each module's pixels have the colour of that module.
func checkQR(t *testing.T, path, text string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("%s: not a PNG: %v", path, err)
	}
	q, err := qrcode.New(text, qrcode.High)
	if err != nil {
		t.Fatal(err)
	}
	bm := q.Bitmap()
	if want := image.Rect(0, 0, len(bm)*qrModulePixels, len(bm)*qrModulePixels); img.Bounds() != want {
		t.Fatalf("%s: %v, want %v", path, img.Bounds(), want)
	}
	if len(bm) != 29+8 {
		t.Errorf("QR code has %d modules with the quiet zone, want 37 (version 3)", len(bm))
	}
	for y, row := range bm {
		for x, dark := range row {
			for _, d := range [][2]int{{0, 0}, {qrModulePixels - 1, qrModulePixels - 1}} {
				r, _, _, _ := img.At(x*qrModulePixels+d[0], y*qrModulePixels+d[1]).RGBA()
				if (r == 0) != dark {
					t.Fatalf("%s: module (%d,%d) is %v, want dark=%v", path, x, y, r, dark)
				}
			}
		}
	}
}

func checkMode(t *testing.T, path string, want os.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != want {
		t.Errorf("%s: mode %04o, want %04o", path, fi.Mode().Perm(), want)
	}
}

func TestWriteDirLeavesNothingOnError(t *testing.T) {
	// Two voters with one id: the second QR file cannot be created.
	voters := []Voter{{ID: "same"}, {ID: "same"}}
	is, err := NewIssue(testElection, voters, nil, testCommission, testRand())
	if err != nil {
		t.Fatal(err)
	}
	parent := t.TempDir()
	if err := is.WriteDir(filepath.Join(parent, "out")); err == nil || !strings.Contains(err.Error(), "voter same") {
		t.Fatalf("WriteDir with a repeated voter id: %v", err)
	}
	if names, _ := os.ReadDir(parent); len(names) != 0 {
		t.Errorf("a failed WriteDir left %v behind", names)
	}
	if err := is.WriteDir(filepath.Join(parent, "missing", "out")); err == nil {
		t.Error("WriteDir under a missing parent succeeded")
	}
}

func BenchmarkQRPNG(b *testing.B) {
	c := testCodes(b, 3)[2]
	for b.Loop() {
		if _, err := c.QRPNG(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWriteDir1000 is the whole secret and public output for 1000
// voters: QR images, CSV, entries, and the fsyncs.
func BenchmarkWriteDir1000(b *testing.B) {
	is, err := NewIssue(testElection, Numbered(1000, ""), nil, testCommission, nil)
	if err != nil {
		b.Fatal(err)
	}
	parent := b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if err := is.WriteDir(filepath.Join(parent, fmt.Sprint(i))); err != nil {
			b.Fatal(err)
		}
	}
}
