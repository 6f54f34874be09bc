package credential

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// qrModulePixels is the size of one QR module in the PNG: whole pixels, so
// that every module is a crisp square; printed at 300 dpi the code with its
// quiet zone is 2.5 cm wide.
const qrModulePixels = 8

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
	// The library's own PNG method scales with floating point per pixel
	// and always uses the slowest compression; for two-colour images of
	// whole-pixel modules neither buys anything.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, qrImage(q.Bitmap())); err != nil {
		return nil, fmt.Errorf("credential QR code: %w", err)
	}
	return b.Bytes(), nil
}

// qrImage draws a module bitmap (quiet zone included) as a black-on-white
// image of qrModulePixels pixels per module.
func qrImage(bm [][]bool) *image.Paletted {
	size := len(bm) * qrModulePixels
	img := image.NewPaletted(image.Rect(0, 0, size, size), color.Palette{color.White, color.Black})
	for y, row := range bm {
		line := img.Pix[y*qrModulePixels*img.Stride:][:size]
		for x, dark := range row {
			if dark {
				for i := range qrModulePixels {
					line[x*qrModulePixels+i] = 1
				}
			}
		}
		for i := 1; i < qrModulePixels; i++ {
			copy(img.Pix[(y*qrModulePixels+i)*img.Stride:][:size], line)
		}
	}
	return img
}
