// Package edsig verifies many Ed25519 signatures at once, each with exactly
// the result crypto/ed25519.Verify gives it: the same decoding of the
// public key (non-canonical encodings of valid points accepted), the same
// rejection of a non-canonical S, and the same cofactorless equation,
// checked by comparing the encoding of [S]B − [k]A with R byte for byte.
// It is not batch verification by a random linear combination, which needs
// cofactored semantics to agree with single verification; design.md fixes
// crypto/ed25519's, and every node and observer must agree on every
// signature.
//
// The speed comes from computing [S]B − [k]A for eight signatures at once
// in the lanes of AVX-512 IFMA (crypto/internal/field8): 252 doublings and
// 128 mixed additions per group of eight, about 7 µs a signature against
// about 40 µs for crypto/ed25519's double-scalar multiplication. Without
// IFMA, Verify calls crypto/ed25519.Verify for each signature. Only public
// values pass through here.
package edsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha512"

	"filippo.io/edwards25519"
	"filippo.io/edwards25519/field"
	"github.com/evote/evote/crypto/internal/field8"
)

// useVector: tests turn it off to compare with the fallback.
var useVector = field8.Available()

// Verify reports for each i whether ed25519.Verify(pubs[i], msgs[i],
// sigs[i]) is true. The slices must have the same length.
func Verify(pubs [][]byte, msgs [][]byte, sigs [][]byte) []bool {
	if len(pubs) != len(msgs) || len(pubs) != len(sigs) {
		panic("edsig: Verify with slices of different lengths")
	}
	ok := make([]bool, len(pubs))
	if !useVector {
		for i := range pubs {
			ok[i] = len(pubs[i]) == ed25519.PublicKeySize && ed25519.Verify(pubs[i], msgs[i], sigs[i])
		}
		return ok
	}
	var g group
	for base := 0; base < len(pubs); base += field8.Lanes {
		n := min(field8.Lanes, len(pubs)-base)
		g.verify(pubs[base:base+n], msgs[base:base+n], sigs[base:base+n], ok[base:base+n])
	}
	return ok
}

// group is the working space for up to eight signatures.
type group struct {
	live   [field8.Lanes]bool
	kDig   [field8.Lanes][64]int8 // k in signed radix 16
	sDig   [field8.Lanes][64]int8 // S in signed radix 16
	table  [field8.Lanes][8]niels // j·(−A) for j = 1…8
	acc    field8.Ext
	q      [2]field8.Affine
	points [field8.Lanes][8]edwards25519.Point
}

// niels is a point in the halved affine form that field8.AddAffine adds:
// ((y+x)/2, (y−x)/2, d·xy).
type niels struct{ yPlusX, yMinusX, xyd field.Element }

func (g *group) verify(pubs, msgs, sigs [][]byte, ok []bool) {
	for l := range field8.Lanes {
		g.live[l] = l < len(pubs) && g.prepare(l, pubs[l], msgs[l], sigs[l])
	}
	g.tables()
	g.acc = identityExt
	var zero niels
	zero.yPlusX.Set(feHalf)
	zero.yMinusX.Set(feHalf)
	for i := 63; i >= 0; i-- {
		if i != 63 {
			field8.Double(&g.acc, 4)
		}
		for l := range field8.Lanes {
			k, s := int8(0), int8(0)
			if g.live[l] {
				k, s = g.kDig[l][i], g.sDig[l][i]
			}
			setLane(&g.q[0], l, &g.table[l], k)
			setLane(&g.q[1], l, &baseTable, s)
		}
		field8.AddAffine(&g.acc, g.q[:])
	}
	// Encode each lane as edwards25519.Point.Bytes does, with one inversion
	// for the eight Z (Montgomery's trick).
	var X, Y, Z, T [field8.Lanes]field.Element
	var prefix [field8.Lanes]field.Element
	acc := new(field.Element).One()
	for l := range field8.Lanes {
		g.acc.Lane(l, &X[l], &Y[l], &Z[l], &T[l])
		prefix[l].Set(acc)
		acc.Multiply(acc, &Z[l]) // Z ≠ 0 for every point
	}
	inv := new(field.Element).Invert(acc)
	var zInv, x, y field.Element
	for l := field8.Lanes - 1; l >= 0; l-- {
		zInv.Multiply(inv, &prefix[l])
		inv.Multiply(inv, &Z[l])
		if !g.live[l] {
			continue
		}
		x.Multiply(&X[l], &zInv)
		y.Multiply(&Y[l], &zInv)
		var enc [32]byte
		copy(enc[:], y.Bytes())
		enc[31] |= byte(x.IsNegative() << 7)
		ok[l] = bytes.Equal(enc[:], sigs[l][:32])
	}
}

// prepare does crypto/ed25519's checks and decoding for lane l and reports
// whether the signature can still be valid.
func (g *group) prepare(l int, pub, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize || sig[63]&224 != 0 {
		return false
	}
	A, err := new(edwards25519.Point).SetBytes(pub)
	if err != nil {
		return false
	}
	S, err := edwards25519.NewScalar().SetCanonicalBytes(sig[32:])
	if err != nil {
		return false
	}
	h := sha512.New()
	h.Write(sig[:32])
	h.Write(pub)
	h.Write(msg)
	var digest [64]byte
	k, err := edwards25519.NewScalar().SetUniformBytes(h.Sum(digest[:0]))
	if err != nil {
		panic("edsig: internal error: 64-byte hash refused")
	}
	g.kDig[l] = signedRadix16(k.Bytes())
	g.sDig[l] = signedRadix16(S.Bytes())
	// j·(−A) for j = 1…8, to affine below.
	pts := &g.points[l]
	pts[0].Negate(A)
	for j := 1; j < 8; j++ {
		pts[j].Add(&pts[j-1], &pts[0])
	}
	return true
}

// tables turns the live lanes' multiples of −A into halved affine form with
// one inversion for all of them.
func (g *group) tables() {
	var zs [field8.Lanes * 8]*field.Element
	var xs, ys [field8.Lanes * 8]*field.Element
	n := 0
	for l := range field8.Lanes {
		if !g.live[l] {
			continue
		}
		for j := range 8 {
			X, Y, Z, _ := g.points[l][j].ExtendedCoordinates()
			xs[n], ys[n], zs[n] = X, Y, Z
			n++
		}
	}
	if n == 0 {
		return
	}
	var prefix [field8.Lanes * 8]field.Element
	acc := new(field.Element).One()
	for i := range n {
		prefix[i].Set(acc)
		acc.Multiply(acc, zs[i])
	}
	inv := new(field.Element).Invert(acc)
	var zInv, x, y field.Element
	for i := n - 1; i >= 0; i-- {
		zInv.Multiply(inv, &prefix[i])
		inv.Multiply(inv, zs[i])
		x.Multiply(xs[i], &zInv)
		y.Multiply(ys[i], &zInv)
		// lane and multiple of entry i: the live lanes in order, 8 each.
		l, j := liveLane(&g.live, i/8), i%8
		g.table[l][j].set(&x, &y)
	}
}

// liveLane returns the lane of the k-th live lane.
func liveLane(live *[field8.Lanes]bool, k int) int {
	for l, ok := range live {
		if ok {
			if k == 0 {
				return l
			}
			k--
		}
	}
	panic("edsig: internal error: no such live lane")
}

func (n *niels) set(x, y *field.Element) {
	n.yPlusX.Add(y, x)
	n.yPlusX.Multiply(&n.yPlusX, feHalf)
	n.yMinusX.Subtract(y, x)
	n.yMinusX.Multiply(&n.yMinusX, feHalf)
	n.xyd.Multiply(x, y)
	n.xyd.Multiply(&n.xyd, curveD)
}

// setLane puts digit·P into lane l of q, where table[j−1] = j·P, digit in
// [−8, 8].
func setLane(q *field8.Affine, l int, table *[8]niels, digit int8) {
	switch {
	case digit == 0:
		q.SetLane(l, feHalf, feHalf, feZero)
	case digit > 0:
		e := &table[digit-1]
		q.SetLane(l, &e.yPlusX, &e.yMinusX, &e.xyd)
	default:
		e := &table[-digit-1]
		var neg field.Element
		neg.Negate(&e.xyd)
		q.SetLane(l, &e.yMinusX, &e.yPlusX, &neg)
	}
}

// signedRadix16 returns the digits d_i in [−8, 8) (the last in [−8, 8]) of
// a scalar below 2^253 with Σ d_i·16^i equal to it.
func signedRadix16(b []byte) [64]int8 {
	var digits [64]int8
	for i := range 32 {
		digits[2*i] = int8(b[i] & 15)
		digits[2*i+1] = int8(b[i] >> 4)
	}
	for i := range 63 {
		carry := (digits[i] + 8) >> 4
		digits[i] -= carry << 4
		digits[i+1] += carry
	}
	return digits
}

var (
	feHalf = new(field.Element).Invert(new(field.Element).Add(new(field.Element).One(), new(field.Element).One()))
	feZero = new(field.Element).Zero()
	curveD = func() *field.Element {
		num := new(field.Element).Mult32(new(field.Element).One(), 121665)
		num.Negate(num)
		den := new(field.Element).Mult32(new(field.Element).One(), 121666)
		return new(field.Element).Multiply(num, new(field.Element).Invert(den))
	}()
	// baseTable[j−1] = j·B.
	baseTable = func() (t [8]niels) {
		B := edwards25519.NewGeneratorPoint()
		P := new(edwards25519.Point).Set(B)
		for j := range 8 {
			X, Y, Z, _ := P.ExtendedCoordinates()
			zInv := new(field.Element).Invert(Z)
			t[j].set(new(field.Element).Multiply(X, zInv), new(field.Element).Multiply(Y, zInv))
			P.Add(P, B)
		}
		return t
	}()
	identityExt = func() (e field8.Ext) {
		var zero, one field.Element
		one.One()
		for j := range field8.Lanes {
			e.SetLane(j, &zero, &one, &one, &zero)
		}
		return e
	}()
)
