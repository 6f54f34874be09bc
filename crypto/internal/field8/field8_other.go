//go:build !amd64 || purego

package field8

const hasIFMA = false

var useIFMA = false

func mul(out, a, x *elements)     { panic("field8: no vector unit") }
func sqr(out, a *elements, n int) { panic("field8: no vector unit") }

func addAffine(acc *Ext, q *Affine, n int) { panic("field8: no vector unit") }

func double(acc *Ext, n int) { panic("field8: no vector unit") }

func add(out, a, x *elements) { panic("field8: no vector unit") }
func sub(out, a, x *elements) { panic("field8: no vector unit") }
