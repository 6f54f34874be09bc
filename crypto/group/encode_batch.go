package group

import (
	"filippo.io/edwards25519/field"
	"github.com/evote/evote/crypto/internal/field8"
)

// invSqrtAMinusD is 1/√(a − d) (RFC 9496 §4.1).
var invSqrtAMinusD, _ = new(field.Element).SetBytes([]byte{
	0xea, 0x40, 0x5d, 0x80, 0xaa, 0xfd, 0xc8, 0x99,
	0xbe, 0x72, 0x41, 0x5a, 0x17, 0x16, 0x2f, 0x9d,
	0x40, 0xd8, 0x01, 0xfe, 0x91, 0x7b, 0xc2, 0x16,
	0xa2, 0xfc, 0xaf, 0xcf, 0x05, 0x89, 0x6c, 0x78,
})

// EncodePoints computes and remembers the encoding of every point that does
// not yet know its own, as Bytes would one by one, with the inverse square
// root of eight points at a time on CPUs with AVX-512 IFMA. A verifier
// calls it for points it computed (a contest's sum of ciphertexts) before
// hashing them into a transcript. It writes to the points: no other
// goroutine may use them meanwhile.
func EncodePoints(ps []*Point) {
	if !useVectorDecode {
		for _, p := range ps {
			if !p.hasEnc {
				p.e.Encode(p.enc[:0])
				p.hasEnc = true
			}
		}
		return
	}
	var todo []*Point
	for _, p := range ps {
		if !p.hasEnc {
			todo = append(todo, p)
		}
	}
	for base := 0; base < len(todo); base += field8.Lanes {
		encode8(todo[base:min(base+field8.Lanes, len(todo))])
	}
}

// encode8 is RFC 9496 §4.3.2 for at most eight points, the square root in
// field8's lanes (invSqrt8) and the rest lane by lane.
func encode8(ps []*Point) {
	var u1v, u2v, vu, I field8.Vec
	var u1, u2 [field8.Lanes]field.Element
	var t field.Element
	for j, p := range ps {
		c := coordinatesOf(edwardsOf(&p.e))
		X, Y, Z := &c[0], &c[1], &c[2]
		u1[j].Add(Z, Y).Multiply(&u1[j], t.Subtract(Z, Y)) // (z0 + y0)(z0 − y0)
		u2[j].Multiply(X, Y)
		u1v.Set(j, &u1[j])
		u2v.Set(j, &u2[j])
	}
	for j := len(ps); j < field8.Lanes; j++ {
		u1v.Set(j, feOne)
		u2v.Set(j, feOne)
	}
	vu.Square(&u2v).Multiply(&vu, &u1v) // u1·u2²; always a square for a valid point
	invSqrt8(&vu, len(ps), &I)
	for j, p := range ps {
		c := coordinatesOf(edwardsOf(&p.e))
		X, Y, Z, T := &c[0], &c[1], &c[2], &c[3]
		var invSqrt, den1, den2, zInv, ix0, iy0, enchanted, x, y, denInv, s field.Element
		I.Get(j, &invSqrt)
		den1.Multiply(&invSqrt, &u1[j])
		den2.Multiply(&invSqrt, &u2[j])
		zInv.Multiply(&den1, &den2).Multiply(&zInv, T)
		ix0.Multiply(X, sqrtM1)
		iy0.Multiply(Y, sqrtM1)
		enchanted.Multiply(&den1, invSqrtAMinusD)
		rotate := t.Multiply(T, &zInv).IsNegative()
		x.Select(&iy0, X, rotate)
		y.Select(&ix0, Y, rotate)
		denInv.Select(&enchanted, &den2, rotate)
		negative := t.Multiply(&x, &zInv).IsNegative()
		y.Select(t.Negate(&y), &y, negative)
		s.Subtract(Z, &y).Multiply(&s, &denInv).Absolute(&s)
		copy(p.enc[:], s.Bytes())
		p.hasEnc = true
	}
}
