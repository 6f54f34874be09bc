//go:build !purego

package field8

import "golang.org/x/sys/cpu"

// hasIFMA: the CPU and the OS support AVX-512 F and IFMA; useIFMA may be
// turned off by tests to run the scalar path.
var hasIFMA = cpu.X86.HasAVX512F && cpu.X86.HasAVX512IFMA

var useIFMA = hasIFMA

// mul sets out = a·x lane by lane.
//
//go:noescape
func mul(out, a, x *elements)

// sqr sets out = a^(2^n) lane by lane; n ≥ 1.
//
//go:noescape
func sqr(out, a *elements, n int)

// addAffine adds q[0..n) to acc lane by lane; n ≥ 1.
//
//go:noescape
func addAffine(acc *Ext, q *Affine, n int)

// double doubles acc n times lane by lane; n ≥ 1.
//
//go:noescape
func double(acc *Ext, n int)

// add sets out = a + x lane by lane.
//
//go:noescape
func add(out, a, x *elements)

// sub sets out = a − x lane by lane; x's limbs must not exceed 2p's.
//
//go:noescape
func sub(out, a, x *elements)
