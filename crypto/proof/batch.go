package proof

import (
	crand "crypto/rand"
	"math/rand/v2"
	"runtime"
	"sync"

	"github.com/evote/evote/crypto/group"
)

// Batch verifies many items at once. An item is one or more Claims that stand
// or fall together, such as all the proofs of one ballot.
//
// Verify multiplies every equation by an independent random 128-bit weight,
// adds them all up, merges the coefficients of shared points (the generator,
// the election key, a ciphertext used by several branches) and checks the sum
// with one multi-scalar multiplication on all cores. A false item passes with
// probability at most 2^-127. When the sum fails, Verify bisects to find
// exactly which items are bad and reports each one's first failing check.
//
// A Batch is not safe for concurrent use.
type Batch struct {
	items [][]*Claim
}

// Add appends an item made of claims and returns its index.
func (b *Batch) Add(claims ...*Claim) int {
	b.items = append(b.items, claims)
	return len(b.items) - 1
}

// Len returns the number of items added.
func (b *Batch) Len() int { return len(b.items) }

// Verify checks every item and returns one error per item, nil for the good
// ones; it returns nil if all items are good.
func (b *Batch) Verify() []error {
	var errs []error
	fail := func(i int, err error) {
		if errs == nil {
			errs = make([]error, len(b.items))
		}
		errs[i] = err
	}
	var pending []int
	for i, item := range b.items {
		if err := precheck(item); err != nil {
			fail(i, err)
			continue
		}
		pending = append(pending, i)
	}
	var bisect func(idx []int)
	bisect = func(idx []int) {
		if len(idx) == 0 || b.combinationHolds(idx) {
			return
		}
		if len(idx) == 1 {
			fail(idx[0], verifyItem(b.items[idx[0]]))
			return
		}
		bisect(idx[:len(idx)/2])
		bisect(idx[len(idx)/2:])
	}
	bisect(pending)
	return errs
}

// VerifyAll checks claims as one item: all their equations in one random
// linear combination. It is the fastest way to check one ballot alone, and
// names the failing check when there is one.
func VerifyAll(claims ...*Claim) error {
	var b Batch
	b.Add(claims...)
	if errs := b.Verify(); errs != nil {
		return errs[0]
	}
	return nil
}

func precheck(item []*Claim) error {
	for _, c := range item {
		if c.err != nil {
			return c.err
		}
	}
	return nil
}

// verifyItem finds the first failing check of an item the combination
// rejected. If every equation holds on its own the combination failed by a
// 2^-127 chance, and the item is good.
func verifyItem(item []*Claim) error {
	for _, c := range item {
		if err := c.Verify(); err != nil {
			return err
		}
	}
	return nil
}

type weightSource struct{ r *rand.ChaCha8 }

func newWeightSource() *weightSource {
	var seed [32]byte
	if _, err := crand.Read(seed[:]); err != nil {
		panic("proof: crypto/rand failed: " + err.Error())
	}
	return &weightSource{r: rand.NewChaCha8(seed)}
}

// next returns a uniformly random nonzero scalar below 2^128.
func (w *weightSource) next() *group.Scalar {
	var b [group.ScalarSize]byte
	for {
		w.r.Read(b[:16])
		s, err := group.DecodeScalar(b[:])
		if err == nil && !s.IsZero() {
			return s
		}
	}
}

// combinationHolds checks the random linear combination of the items idx.
// Each core combines its own share of the items, with its own weights and
// its own multi-scalar multiplication; the partial sums must add up to the
// identity.
func (b *Batch) combinationHolds(idx []int) bool {
	workers := max(1, min(runtime.GOMAXPROCS(0), len(idx)/minItemsPerWorker))
	partial := make([]*group.Point, workers)
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*len(idx)/workers, (w+1)*len(idx)/workers
		wg.Go(func() { partial[w] = b.combine(idx[lo:hi], newWeightSource()) })
	}
	wg.Wait()
	sum := partial[0]
	for _, p := range partial[1:] {
		sum.Add(sum, p)
	}
	return sum.IsIdentity()
}

// minItemsPerWorker keeps small batches on one goroutine, where splitting
// costs more than it saves.
const minItemsPerWorker = 8

// combine returns Σ over the items' equations of weight · (Σ s·P), merging
// the coefficients of points shared by pointer.
func (b *Batch) combine(idx []int, rng *weightSource) *group.Point {
	var (
		coeff = make(map[*group.Point]*group.Scalar)
		order []*group.Point
		g     = group.NewScalar()
		tmp   group.Scalar
	)
	add := func(p *group.Point, s *group.Scalar) {
		if p == basepoint {
			g.Add(g, s)
			return
		}
		if c, ok := coeff[p]; ok {
			c.Add(c, s)
			return
		}
		coeff[p] = new(group.Scalar).Set(s)
		order = append(order, p)
	}
	for _, i := range idx {
		for _, c := range b.items[i] {
			for _, eq := range c.eqs {
				w := rng.next()
				for _, t := range eq.terms {
					if t.s == nil {
						add(t.p, w)
						continue
					}
					add(t.p, tmp.Multiply(w, t.s))
				}
			}
		}
	}
	scalars := make([]*group.Scalar, len(order))
	for i, p := range order {
		scalars[i] = coeff[p]
	}
	sum := group.VarTimeMultiScalarMult(scalars, order)
	return sum.Add(sum, new(group.Point).ScalarBaseMult(g))
}
