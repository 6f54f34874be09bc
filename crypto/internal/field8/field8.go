// Package field8 computes on eight elements of GF(2^255−19) at once with
// AVX-512 IFMA, for the costs that dominate checking ballots, which every
// node and every observer does for every ballot: decoding and encoding
// ristretto255 points (Vec; its Pow22523 takes 3.2 µs for eight against
// 21.6 µs), the bucket additions of a multi-scalar multiplication
// (AddAffine, 13.5 ns an addition against about 130), and Ed25519
// verification's double-scalar multiplication (Double and AddAffine, in
// crypto/edsig). The assembly is
// written by gen.go. Where the CPU lacks IFMA, Available reports false so
// that callers keep their scalar path (filippo.io/edwards25519 and
// ristretto255).
//
// Only public values pass through here (encodings and signatures read off
// the board), so the vector code need not be constant time; it is anyway,
// having no branches or lookups that depend on the data.
package field8

// Lanes is how many elements one call handles.
const Lanes = 8

// elements holds eight field elements limb-major: limbs[i][j] is limb i
// (weight 2^(51·i)) of element j, each below 2^52 between operations.
type elements struct{ limbs [5][Lanes]uint64 }

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
