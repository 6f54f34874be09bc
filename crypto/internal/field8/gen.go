//go:build ignore

// gen writes field8_amd64.s: run `go run gen.go` in this directory.
//
// Eight field elements of GF(2^255−19) ride in the eight 64-bit lanes of five
// ZMM registers, one register per 51-bit limb. AVX-512 IFMA multiplies the low
// 52 bits of two lanes and adds the low or the high 52 bits of the 104-bit
// product to an accumulator, so every input limb must be below 2^52; every
// output leaves below 2^51 + 2^15 (see the bounds in reduce).
package main

import (
	"fmt"
	"os"
	"strings"
)

var b strings.Builder

func p(format string, args ...any) { fmt.Fprintf(&b, "\t"+format+"\n", args...) }

func z(i int) string { return fmt.Sprintf("Z%d", i) }

const (
	regMask = 31 // 2^51 − 1 in every lane
	regT0   = 30
	regT1   = 29
)

func zero(r int) { p("VPXORQ %s, %s, %s", z(r), z(r), z(r)) }

// reduce folds the ten columns col[0..9] (each < 2^56) into five limbs in
// out[0..4]: r_k = col_k + 19·col_{k+5} < 2^61 (2^255 ≡ 19), then one carry
// round in parallel: limb_k = (r_k mod 2^51) + ⌊r_{k−1}/2^51⌋ < 2^51 + 2^10,
// limb_0 gets 19·⌊r_4/2^51⌋ < 2^15.
func reduce(col [10]int, out [5]int) {
	for k := 0; k < 5; k++ {
		hi := col[k+5]
		// col_k += 19·hi = hi + 2·hi + 16·hi
		p("VPSLLQ $1, %s, %s", z(hi), z(regT0))
		p("VPSLLQ $4, %s, %s", z(hi), z(regT1))
		p("VPADDQ %s, %s, %s", z(hi), z(col[k]), z(col[k]))
		p("VPADDQ %s, %s, %s", z(regT0), z(regT1), z(regT0))
		p("VPADDQ %s, %s, %s", z(regT0), z(col[k]), z(col[k]))
	}
	// carries into col[5..9] (free now), limbs into out.
	for k := 0; k < 5; k++ {
		p("VPSRLQ $51, %s, %s", z(col[k]), z(col[k+5]))
		p("VPANDQ %s, %s, %s", z(regMask), z(col[k]), z(out[k]))
	}
	for k := 1; k < 5; k++ {
		p("VPADDQ %s, %s, %s", z(col[k+4]), z(out[k]), z(out[k]))
	}
	c := col[9]
	p("VPSLLQ $1, %s, %s", z(c), z(regT0))
	p("VPSLLQ $4, %s, %s", z(c), z(regT1))
	p("VPADDQ %s, %s, %s", z(c), z(out[0]), z(out[0]))
	p("VPADDQ %s, %s, %s", z(regT0), z(regT1), z(regT0))
	p("VPADDQ %s, %s, %s", z(regT0), z(out[0]), z(out[0]))
}

func load(ptr string, regs [5]int) {
	for i, r := range regs {
		p("VMOVDQU64 %d(%s), %s", 64*i, ptr, z(r))
	}
}

func store(ptr string, regs [5]int) {
	for i, r := range regs {
		p("VMOVDQU64 %s, %d(%s)", z(r), 64*i, ptr)
	}
}

func mask() {
	p("MOVQ $0x7ffffffffffff, R8")
	p("VPBROADCASTQ R8, %s", z(regMask))
}

func mul() {
	b.WriteString("// func mul(out, a, x *Elements)\n")
	b.WriteString("TEXT ·mul(SB), NOSPLIT, $0-24\n")
	p("MOVQ out+0(FP), DI")
	p("MOVQ a+8(FP), SI")
	p("MOVQ x+16(FP), DX")
	mask()
	mulMem(mem{"DI", 0}, mem{"SI", 0}, mem{"DX", 0})
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

func sqr() {
	b.WriteString("// func sqr(out, a *Elements, n int)\n")
	b.WriteString("TEXT ·sqr(SB), NOSPLIT, $0-24\n")
	p("MOVQ out+0(FP), DI")
	p("MOVQ a+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	mask()
	a := [5]int{0, 1, 2, 3, 4}
	load("SI", a)
	b.WriteString("loop:\n")
	sqrBody(a)
	p("DECQ CX")
	p("JNZ loop")
	store("DI", a)
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

// sqrBody squares the element in registers a in place, using Z5–Z25 and
// the temporaries.
func sqrBody(a [5]int) {
	// w: diagonal low halves (weight 1) at even columns; x: cross low halves
	// and diagonal high halves (weight 2); y: cross high halves (weight 4).
	w := map[int]int{0: 5, 2: 6, 4: 7, 6: 8, 8: 9}
	x := map[int]int{}
	for k := 1; k <= 9; k++ {
		x[k] = 9 + k // Z10..Z18
	}
	y := map[int]int{}
	for k := 2; k <= 8; k++ {
		y[k] = 17 + k // Z19..Z25
	}
	for r := 5; r <= 25; r++ {
		zero(r)
	}
	for i := 0; i < 5; i++ {
		p("VPMADD52LUQ %s, %s, %s", z(a[i]), z(a[i]), z(w[2*i]))
		p("VPMADD52HUQ %s, %s, %s", z(a[i]), z(a[i]), z(x[2*i+1]))
		for j := i + 1; j < 5; j++ {
			p("VPMADD52LUQ %s, %s, %s", z(a[j]), z(a[i]), z(x[i+j]))
			p("VPMADD52HUQ %s, %s, %s", z(a[j]), z(a[i]), z(y[i+j+1]))
		}
	}
	// col_k = w_k + 2·x_k + 4·y_k < 2^52 + 3·2^53 + 2·2^54 < 2^56.
	var col [10]int
	col[0] = w[0]
	for k := 1; k <= 9; k++ {
		r := x[k]
		p("VPSLLQ $1, %s, %s", z(r), z(r))
		if yr, ok := y[k]; ok {
			p("VPSLLQ $2, %s, %s", z(yr), z(yr))
			p("VPADDQ %s, %s, %s", z(yr), z(r), z(r))
		}
		if wr, ok := w[k]; ok {
			p("VPADDQ %s, %s, %s", z(wr), z(r), z(r))
		}
		col[k] = r
	}
	reduce(col, a)
}

// sqrMem sets dst = a² between memory operands.
func sqrMem(dst, a mem) {
	r := [5]int{0, 1, 2, 3, 4}
	for i := range r {
		p("VMOVDQU64 %s, %s", a.limb(i), z(r[i]))
	}
	sqrBody(r)
	for i := range r {
		p("VMOVDQU64 %s, %s", z(r[i]), dst.limb(i))
	}
}

// double: n times, acc = 2·acc (dbl-2008-hwcd for a = −1, as crypto/group's
// extPoint.double: 4 squarings and 4 multiplications).
func double() {
	b.WriteString("// func double(acc *Ext, n int)\n")
	fmt.Fprintf(&b, "TEXT ·double(SB), 0, $%d-16\n", 6*fe)
	p("MOVQ acc+0(FP), DI")
	p("MOVQ n+8(FP), CX")
	p("LEAQ 0(SP), R9")
	mask()
	X, Y, Z, T := mem{"DI", 0}, mem{"DI", fe}, mem{"DI", 2 * fe}, mem{"DI", 3 * fe}
	s := func(i int) mem { return mem{"R9", i * fe} }
	xx, yy, f, sum, h, g := s(0), s(1), s(2), s(3), s(4), s(5)
	b.WriteString("dstep:\n")
	sqrMem(xx, X)
	sqrMem(yy, Y)
	sqrMem(f, Z)
	addSubMem(f, f, f, false)
	addSubMem(sum, X, Y, false)
	sqrMem(sum, sum)
	addSubMem(h, yy, xx, false)
	addSubMem(g, yy, xx, true)
	addSubMem(sum, sum, h, true) // e
	addSubMem(f, f, g, true)
	mulMem(X, sum, f)
	mulMem(Y, g, h)
	mulMem(T, sum, h)
	mulMem(Z, f, g)
	p("DECQ CX")
	p("JNZ dstep")
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

// fe is the size of one field element in memory (five limb vectors).
const fe = 5 * 64

// A field element in memory: five limb vectors of 64 bytes from base+off.
type mem struct {
	base string
	off  int
}

func (m mem) limb(i int) string { return fmt.Sprintf("%d(%s)", m.off+64*i, m.base) }

// mulMem is mul between memory operands: dst = a·x.
func mulMem(dst, a, x mem) {
	av := [5]int{0, 1, 2, 3, 4}
	lo := func(k int) int { return 10 + k }
	hi := func(k int) int { return 18 + k }
	for i, r := range av {
		p("VMOVDQU64 %s, %s", a.limb(i), z(r))
	}
	for k := 0; k <= 8; k++ {
		zero(lo(k))
		zero(hi(k + 1))
	}
	for j := 0; j < 5; j++ {
		p("VMOVDQU64 %s, %s", x.limb(j), z(5+j))
	}
	for i := 0; i < 5; i++ {
		for j := 0; j < 5; j++ {
			p("VPMADD52LUQ %s, %s, %s", z(5+j), z(av[i]), z(lo(i+j)))
			p("VPMADD52HUQ %s, %s, %s", z(5+j), z(av[i]), z(hi(i+j+1)))
		}
	}
	var col [10]int
	col[0] = lo(0)
	for k := 1; k <= 8; k++ {
		p("VPSLLQ $1, %s, %s", z(hi(k)), z(hi(k)))
		p("VPADDQ %s, %s, %s", z(hi(k)), z(lo(k)), z(lo(k)))
		col[k] = lo(k)
	}
	p("VPSLLQ $1, %s, %s", z(hi(9)), z(hi(9)))
	col[9] = hi(9)
	reduce(col, av)
	for i, r := range av {
		p("VMOVDQU64 %s, %s", z(r), dst.limb(i))
	}
}

// addSubMem sets dst = a + x, or a + 2p − x if sub, then one carry round:
// inputs below 2^52 give limbs below 2^51 + 2^6. x must have limbs no larger
// than 2p's (2^52 − 38, then 2^52 − 2), which every output here has.
func addSubMem(dst, a, x mem, sub bool) {
	r := [5]int{0, 1, 2, 3, 4}
	c := [5]int{5, 6, 7, 8, 9}
	if sub {
		p("MOVQ $0xfffffffffffda, R8") // 2^52 − 38
		p("VPBROADCASTQ R8, Z10")
		p("MOVQ $0xffffffffffffe, R8") // 2^52 − 2
		p("VPBROADCASTQ R8, Z11")
	}
	for i := range r {
		p("VMOVDQU64 %s, %s", a.limb(i), z(r[i]))
		if sub {
			k := 11
			if i == 0 {
				k = 10
			}
			p("VPADDQ %s, %s, %s", z(k), z(r[i]), z(r[i]))
			p("VPSUBQ %s, %s, %s", x.limb(i), z(r[i]), z(r[i]))
		} else {
			p("VPADDQ %s, %s, %s", x.limb(i), z(r[i]), z(r[i]))
		}
	}
	for i := range r {
		p("VPSRLQ $51, %s, %s", z(r[i]), z(c[i]))
		p("VPANDQ %s, %s, %s", z(regMask), z(r[i]), z(r[i]))
	}
	for i := 1; i < 5; i++ {
		p("VPADDQ %s, %s, %s", z(c[i-1]), z(r[i]), z(r[i]))
	}
	p("VPSLLQ $1, %s, %s", z(c[4]), z(regT0))
	p("VPSLLQ $4, %s, %s", z(c[4]), z(regT1))
	p("VPADDQ %s, %s, %s", z(c[4]), z(r[0]), z(r[0]))
	p("VPADDQ %s, %s, %s", z(regT0), z(regT1), z(regT0))
	p("VPADDQ %s, %s, %s", z(regT0), z(r[0]), z(r[0]))
	for i := range r {
		p("VMOVDQU64 %s, %s", z(r[i]), dst.limb(i))
	}
}

// addAffine: for n steps, acc += q[step] lane by lane, where acc is an
// extended point (X, Y, Z, T) and q the halved affine Niels form
// ((y+x)/2, (y−x)/2, d·xy) that crypto/group's bucket method uses
// (madd-2008-hwcd-3 with A, B, C, D halved, 7 multiplications).
func addAffine() {
	b.WriteString("// func addAffine(acc *Ext, q *Affine, n int)\n")
	fmt.Fprintf(&b, "TEXT ·addAffine(SB), 0, $%d-24\n", 9*fe)
	p("MOVQ acc+0(FP), DI")
	p("MOVQ q+8(FP), SI")
	p("MOVQ n+16(FP), CX")
	p("LEAQ 0(SP), R9")
	mask()
	X, Y, Z, T := mem{"DI", 0}, mem{"DI", fe}, mem{"DI", 2 * fe}, mem{"DI", 3 * fe}
	yPlusX, yMinusX, xyd := mem{"SI", 0}, mem{"SI", fe}, mem{"SI", 2 * fe}
	s := func(i int) mem { return mem{"R9", i * fe} }
	ta, tb, tc, te, tf, tg, th, u, v := s(0), s(1), s(2), s(3), s(4), s(5), s(6), s(7), s(8)
	b.WriteString("step:\n")
	addSubMem(u, Y, X, true)
	mulMem(ta, u, yMinusX)
	addSubMem(v, Y, X, false)
	mulMem(tb, v, yPlusX)
	mulMem(tc, T, xyd)
	addSubMem(te, tb, ta, true)
	addSubMem(th, tb, ta, false)
	addSubMem(tf, Z, tc, true)
	addSubMem(tg, Z, tc, false)
	mulMem(X, te, tf)
	mulMem(Y, tg, th)
	mulMem(T, te, th)
	mulMem(Z, tf, tg)
	p("ADDQ $%d, SI", 3*fe)
	p("DECQ CX")
	p("JNZ step")
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

// addSub writes ·add or ·sub: out = a ± x with one carry round.
func addSub(name string, sub bool) {
	fmt.Fprintf(&b, "// func %s(out, a, x *elements)\n", name)
	fmt.Fprintf(&b, "TEXT ·%s(SB), NOSPLIT, $0-24\n", name)
	p("MOVQ out+0(FP), DI")
	p("MOVQ a+8(FP), SI")
	p("MOVQ x+16(FP), DX")
	mask()
	addSubMem(mem{"DI", 0}, mem{"SI", 0}, mem{"DX", 0}, sub)
	p("VZEROUPPER")
	p("RET")
	b.WriteString("\n")
}

func main() {
	b.WriteString("// Code generated by gen.go; DO NOT EDIT.\n\n//go:build !purego\n\n#include \"textflag.h\"\n\n")
	mul()
	sqr()
	addSub("add", false)
	addSub("sub", true)
	addAffine()
	double()
	if err := os.WriteFile("field8_amd64.s", []byte(b.String()), 0o644); err != nil {
		panic(err)
	}
}
