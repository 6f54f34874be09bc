package group

import (
	"filippo.io/edwards25519/field"
	"github.com/evote/evote/crypto/internal/field8"
)

var (
	feOne    = new(field.Element).One()
	feMinus1 = new(field.Element).Negate(feOne)
	feZero   = new(field.Element).Zero()
	curveD   = new(field.Element).Multiply(curveD2, new(field.Element).Invert(new(field.Element).Add(feOne, feOne)))
	// sqrtM1 is the non-negative square root of −1 (RFC 9496 §4.1).
	sqrtM1, _ = new(field.Element).SetBytes([]byte{
		0xb0, 0xa0, 0x0e, 0x4a, 0x27, 0x1b, 0xee, 0xc4,
		0x78, 0xe4, 0x2f, 0xad, 0x06, 0x18, 0x43, 0x2f,
		0xa7, 0xd7, 0xfb, 0x3d, 0x99, 0x00, 0x4d, 0x2b,
		0x0b, 0xdf, 0xc1, 0x4f, 0x80, 0x24, 0x83, 0x2b,
	})
	minusSqrtM1 = new(field.Element).Negate(sqrtM1)
)

// DecodePoints decodes src[i] into dst[i] exactly as DecodePointOrIdentity
// would, and reports whether every one of them is a canonical encoding; on
// false, dst is garbage and the caller decodes one by one to learn which
// failed and why. Decoding is one inverse square root per point, the largest
// cost of checking a ballot; here eight of them are done at once on CPUs with
// AVX-512 IFMA (decode8), and one by one with ristretto255 elsewhere. It
// panics if the lengths differ.
func DecodePoints(dst []Point, src [][]byte) bool {
	if len(dst) != len(src) {
		panic("group: DecodePoints with slices of different lengths")
	}
	if !useVectorDecode {
		for i, b := range src {
			p, err := DecodePointOrIdentity(b)
			if err != nil {
				return false
			}
			dst[i] = *p
		}
		return true
	}
	for base := 0; base < len(src); base += field8.Lanes {
		n := min(field8.Lanes, len(src)-base)
		if !decode8(dst[base:base+n], src[base:base+n]) {
			return false
		}
	}
	return true
}

// useVectorDecode: decode8 runs all of decoding's arithmetic in field8's
// lanes; tests turn it off to check the other path against it.
var useVectorDecode = field8.Available()

// Constants in every lane, and the byte encodings that decode8 compares a
// reduced check value with.
var (
	vecOne, vecD, vecSqrtM1 = func() (a, b, c field8.Vec) {
		a.Broadcast(feOne)
		b.Broadcast(curveD)
		c.Broadcast(sqrtM1)
		return
	}()
	encOne, encMinusOne, encMinusSqrtM1 = [32]byte(feOne.Bytes()), [32]byte(feMinus1.Bytes()), [32]byte(minusSqrtM1.Bytes())
)

// decode8 is DecodePoints for at most eight points with every
// multiplication done in the lanes of field8.Vec: only the comparisons and
// signs, which need a fully reduced value, are taken lane by lane.
func decode8(dst []Point, src [][]byte) bool {
	var (
		s, ss, u1, u2, u2sqr, t, v, vu field8.Vec
		sj                             field.Element
	)
	for j, in := range src {
		if len(in) != PointSize || !canonicalNonNegative(in) {
			return false
		}
		if _, err := sj.SetBytes(in); err != nil {
			return false
		}
		s.Set(j, &sj)
	}
	for j := len(src); j < field8.Lanes; j++ {
		s.Set(j, feZero) // the identity's encoding: harmless filler
	}
	ss.Square(&s)
	u1.Subtract(&vecOne, &ss)
	u2.Add(&vecOne, &ss)
	u2sqr.Square(&u2)
	t.Square(&u1).Multiply(&t, &vecD)
	v.Subtract(&vecZero, &t).Subtract(&v, &u2sqr) // −(d·u1²) − u2²
	vu.Multiply(&v, &u2sqr)
	var I field8.Vec
	if square := invSqrt8(&vu, len(src), &I); square != 1<<len(src)-1 {
		return false // some v·u2² is not a square: not a point
	}
	var denX, denY, X, Y field8.Vec
	denX.Multiply(&I, &u2)
	denY.Multiply(&I, &denX).Multiply(&denY, &v)
	X.Add(&s, &s).Multiply(&X, &denX)
	Y.Multiply(&u1, &denY)
	for j := range src {
		var x, y, tt field.Element
		X.Get(j, &x)
		Y.Get(j, &y)
		x.Absolute(&x)
		tt.Multiply(&x, &y)
		if tt.IsNegative() == 1 || y.Equal(feZero) == 1 {
			return false
		}
		p := &dst[j]
		*coordinatesOf(edwardsOf(&p.e)) = [4]field.Element{x, y, *feOne, tt}
		copy(p.enc[:], src[j])
		p.hasEnc = true
	}
	return true
}

var vecZero field8.Vec // every lane 0

// invSqrt8 sets I to SQRT_RATIO_M1(1, vu)'s root (RFC 9496 §4.2: the
// non-negative r with r²·vu = 1, or = √−1 when vu is not a square) in the
// first n lanes, and returns a bit mask of the lanes where vu was a square.
// The exponentiation runs in field8's lanes; the sign fixes, which need a
// reduced value, lane by lane.
func invSqrt8(vu *field8.Vec, n int, I *field8.Vec) (square uint8) {
	var t, vu3, w, r, check, rPrime field8.Vec
	// r = vu³·(vu⁷)^((p−5)/8)
	t.Square(vu)
	vu3.Multiply(&t, vu)
	w.Square(&t).Multiply(&w, &vu3)
	w.Pow22523(&w)
	r.Multiply(&vu3, &w)
	check.Square(&r).Multiply(&check, vu)
	rPrime.Multiply(&r, &vecSqrtM1)
	for j := range n {
		var c, rj field.Element
		check.Get(j, &c)
		enc := [32]byte(c.Bytes())
		correct, flipped := enc == encOne, enc == encMinusOne
		if correct || flipped {
			square |= 1 << j
		}
		if flipped || enc == encMinusSqrtM1 {
			rPrime.Get(j, &rj)
		} else {
			r.Get(j, &rj)
		}
		rj.Absolute(&rj)
		I.Set(j, &rj)
	}
	for j := n; j < field8.Lanes; j++ {
		I.Set(j, feZero)
	}
	return square
}

// Vectorised reports whether this process checks ballots with the AVX-512
// IFMA code (crypto/internal/field8) or with the scalar libraries; for logs,
// since it explains a node's or a verifier's speed on a given CPU.
func Vectorised() bool { return field8.Available() }

// canonicalNonNegative reports whether the 32 bytes b encode, little-endian,
// an s with 0 ≤ s < p = 2^255 − 19 and s even (IS_NEGATIVE(s) false): the
// first two checks of RFC 9496 decoding, without a field reduction.
func canonicalNonNegative(b []byte) bool {
	if b[0]&1 != 0 || b[31]&0x80 != 0 {
		return false
	}
	// s ≥ p exactly when s = 2^255 − 19 + k, k < 19: bytes 1…30 all 0xff,
	// byte 31 0x7f and byte 0 ≥ 0xed.
	if b[31] != 0x7f || b[0] < 0xed {
		return true
	}
	for _, x := range b[1:31] {
		if x != 0xff {
			return true
		}
	}
	return false
}
