// Package field8 raises eight elements of GF(2^255−19) to (p−5)/8 at once
// with AVX-512 IFMA, for the inverse square root that dominates decoding a
// ristretto255 point: a ballot carries dozens of points and every node and
// every observer decodes each one. Where the CPU lacks IFMA the scalar
// filippo.io/edwards25519/field code runs instead, with the same results.
//
// Only public values pass through here (encodings read off the board), so
// the vector code need not be constant time; it is anyway, having no
// branches or lookups that depend on the data.
package field8

import (
	"encoding/binary"

	"filippo.io/edwards25519/field"
)

// Lanes is how many elements one call handles.
const Lanes = 8

// elements holds eight field elements limb-major: limbs[i][j] is limb i
// (weight 2^(51·i)) of element j, each below 2^52 between operations.
type elements struct{ limbs [5][Lanes]uint64 }

const mask51 = 1<<51 - 1

func (e *elements) load(j int, v *field.Element) {
	b := v.Bytes() // canonical, so every limb is below 2^51
	lo := binary.LittleEndian.Uint64(b[0:8])
	e.limbs[0][j] = lo & mask51
	e.limbs[1][j] = binary.LittleEndian.Uint64(b[6:14]) >> 3 & mask51
	e.limbs[2][j] = binary.LittleEndian.Uint64(b[12:20]) >> 6 & mask51
	e.limbs[3][j] = binary.LittleEndian.Uint64(b[19:27]) >> 1 & mask51
	e.limbs[4][j] = binary.LittleEndian.Uint64(b[24:32]) >> 12 & mask51
}

// store reduces lane j fully and sets v to it.
func (e *elements) store(j int, v *field.Element) {
	var l [5]uint64
	for i := range l {
		l[i] = e.limbs[i][j]
	}
	// Two carry rounds bring every limb below 2^51 (inputs < 2^52).
	for range 2 {
		c := l[4] >> 51
		l[4] &= mask51
		for i := 0; i < 4; i++ {
			l[i+1] += l[i] >> 51
			l[i] &= mask51
		}
		l[0] += 19 * c
	}
	// Now value < 2^255 + 19·small; subtract p if value ≥ p: add 19 and see
	// whether bit 255 is set.
	q := (l[0] + 19) >> 51
	q = (l[1] + q) >> 51
	q = (l[2] + q) >> 51
	q = (l[3] + q) >> 51
	q = (l[4] + q) >> 51
	l[0] += 19 * q
	for i := 0; i < 4; i++ {
		l[i+1] += l[i] >> 51
		l[i] &= mask51
	}
	l[4] &= mask51
	var b [32]byte
	binary.LittleEndian.PutUint64(b[0:8], l[0]|l[1]<<51)
	binary.LittleEndian.PutUint64(b[8:16], l[1]>>13|l[2]<<38)
	binary.LittleEndian.PutUint64(b[16:24], l[2]>>26|l[3]<<25)
	binary.LittleEndian.PutUint64(b[24:32], l[3]>>39|l[4]<<12)
	if _, err := v.SetBytes(b[:]); err != nil {
		panic("field8: internal error: 32-byte encoding refused")
	}
}

// Pow22523 sets dst[j] = src[j]^((p−5)/8) for every j. dst and src may be
// the same array.
func Pow22523(dst, src *[Lanes]field.Element) {
	if !useIFMA {
		for j := range src {
			dst[j].Pow22523(&src[j])
		}
		return
	}
	var x elements
	for j := range src {
		x.load(j, &src[j])
	}
	var r elements
	pow22523(&r, &x)
	for j := range dst {
		r.store(j, &dst[j])
	}
}

// pow22523 is field.Element.Pow22523's addition chain, eight lanes wide.
func pow22523(out, x *elements) {
	var t0, t1, t2 elements
	sqr(&t0, x, 1)     // x^2
	sqr(&t1, &t0, 2)   // x^8
	mul(&t1, x, &t1)   // x^9
	mul(&t0, &t0, &t1) // x^11
	sqr(&t0, &t0, 1)   // x^22
	mul(&t0, &t1, &t0) // x^31 = x^(2^5 − 1)
	sqr(&t1, &t0, 5)   // 2^10 − 2^5
	mul(&t0, &t1, &t0) // 2^10 − 1
	sqr(&t1, &t0, 10)  // 2^20 − 2^10
	mul(&t1, &t1, &t0) // 2^20 − 1
	sqr(&t2, &t1, 20)  // 2^40 − 2^20
	mul(&t1, &t2, &t1) // 2^40 − 1
	sqr(&t1, &t1, 10)  // 2^50 − 2^10
	mul(&t0, &t1, &t0) // 2^50 − 1
	sqr(&t1, &t0, 50)  // 2^100 − 2^50
	mul(&t1, &t1, &t0) // 2^100 − 1
	sqr(&t2, &t1, 100) // 2^200 − 2^100
	mul(&t1, &t2, &t1) // 2^200 − 1
	sqr(&t1, &t1, 50)  // 2^250 − 2^50
	mul(&t0, &t1, &t0) // 2^250 − 1
	sqr(&t0, &t0, 2)   // 2^252 − 4
	mul(out, &t0, x)   // 2^252 − 3
}
