package credential

import (
	"bytes"
	"fmt"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModulePixels is the size of one QR module in the PNG: whole pixels, so
// that every module is a crisp square, and large enough to print at
// 300 dpi as a code about 3 cm wide.
const qrModulePixels = 10

// QRPNG returns a PNG image of a QR code that holds c.Text(), for printing
// on the voter's credential letter. The text uses only characters of the
// QR alphanumeric mode, so the symbol is small (version 3, 29×29 modules,
// at error correction level H, which survives 30% damage).
func (c Code) QRPNG() ([]byte, error) {
	q, err := qrcode.New(c.Text(), qrcode.High)
	if err != nil {
		return nil, fmt.Errorf("credential QR code: %w", err)
	}
	var b bytes.Buffer
	// The library's own PNG method always uses the slowest compression;
	// these two-colour images are small either way.
	if err := png.Encode(&b, q.Image(-qrModulePixels)); err != nil {
		return nil, fmt.Errorf("credential QR code: %w", err)
	}
	return b.Bytes(), nil
}
