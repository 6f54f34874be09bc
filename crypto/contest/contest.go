// Package contest encrypts one voter's selections in one contest and proves
// them well formed: per option an ElGamal ciphertext of 0 or 1 with its
// zero-or-one proof, and per contest a range proof that the number of
// selections lies in [min, max].
//
// Every proof is bound to the election context, the voter's credential public
// key, the contest position and (for option proofs) the option position, so a
// proof copied to another ballot, voter, contest, option or election fails.
package contest

import (
	"crypto/sha3"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sync"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// Spec is the public shape of a contest: how many options, and how many of
// them a voter must select at least and may select at most.
type Spec struct {
	Options  int
	Min, Max uint64
}

// Validate checks that the spec can be proved: at least one option,
// min ≤ max ≤ options, and a range no wider than proof.MaxRangeWidth.
func (s Spec) Validate() error {
	switch {
	case s.Options < 1:
		return fmt.Errorf("contest: %d options, need at least 1", s.Options)
	case s.Min > s.Max:
		return fmt.Errorf("contest: min selections %d exceeds max %d", s.Min, s.Max)
	case s.Max > uint64(s.Options):
		return fmt.Errorf("contest: max selections %d exceeds the %d options", s.Max, s.Options)
	case s.Max-s.Min >= proof.MaxRangeWidth:
		return fmt.Errorf("contest: selection range [%d, %d] is wider than %d", s.Min, s.Max, proof.MaxRangeWidth)
	}
	return nil
}

// Binding says whose ballot and which contest the proofs belong to.
type Binding struct {
	Election   []byte // election context hash
	Credential []byte // the voter credential's public key
	Contest    uint32 // the contest's position on the ballot
}

func (b Binding) contestContext() proof.Context {
	return proof.Context{Election: b.Election}.
		With("credential", b.Credential).
		WithUint64("contest", uint64(b.Contest))
}

func (b Binding) optionContext(option int) proof.Context {
	return b.contestContext().WithUint64("option", uint64(option))
}

// Option is one option's encrypted selection.
type Option struct {
	Ciphertext *elgamal.Ciphertext
	Proof      *proof.Disjunctive // zero-or-one
}

// Encrypted is a contest's encrypted selections with all proofs.
type Encrypted struct {
	Options []Option
	Range   *proof.Disjunctive  // the options' sum is in [min, max]
	sum     *elgamal.Ciphertext // the options' sum, once PrepareSums computed it
}

// Opening is the secret that opens an Encrypted contest: the randomness of
// each option's ciphertext. A voter reveals it only to challenge (spoil) a
// ballot; anyone can then check which selections it encrypted.
type Opening struct {
	Randomness []*group.Scalar
}

// ErrSelections is wrapped when selections do not fit the spec.
var ErrSelections = errors.New("selections do not fit the contest")

// Encrypt encrypts selections (one 0 or 1 per option) under the election key
// pk, proves them well formed, and returns the opening. Randomness comes from
// rand (crypto/rand when nil); with a deterministic rand the output is
// deterministic. Options are proved in parallel on all cores.
func Encrypt(b Binding, spec Spec, pk *elgamal.PublicKey, selections []uint64, rand io.Reader) (*Encrypted, *Opening, error) {
	if err := spec.Validate(); err != nil {
		return nil, nil, err
	}
	if len(selections) != spec.Options {
		return nil, nil, fmt.Errorf("%w: %d selections for %d options", ErrSelections, len(selections), spec.Options)
	}
	var count uint64
	for i, s := range selections {
		if s > 1 {
			return nil, nil, fmt.Errorf("%w: option %d selected %d times", ErrSelections, i, s)
		}
		count += s
	}
	if count < spec.Min || count > spec.Max {
		return nil, nil, fmt.Errorf("%w: %d selected, allowed %d to %d", ErrSelections, count, spec.Min, spec.Max)
	}
	// One independent stream per task, drawn in order from rand, keeps the
	// result deterministic for a deterministic rand while tasks run in parallel.
	streams, err := seedStreams(rand, spec.Options+1)
	if err != nil {
		return nil, nil, err
	}
	// Draw every option's randomness first, so that the range proof on the
	// sum can run in parallel with the option proofs.
	o := &Opening{Randomness: make([]*group.Scalar, spec.Options)}
	rSum := group.NewScalar()
	for i := range o.Randomness {
		if o.Randomness[i], err = group.RandomScalar(streams[i]); err != nil {
			return nil, nil, err
		}
		rSum.Add(rSum, o.Randomness[i])
	}
	e := &Encrypted{Options: make([]Option, spec.Options)}
	errs := make([]error, spec.Options+1)
	parallel(spec.Options+1, func(i int) {
		if i == spec.Options {
			sum := pk.Encrypt(group.ScalarFromUint64(count), rSum)
			e.Range, errs[i] = proof.ProveRange(b.contestContext(), pk, sum, spec.Min, spec.Max, count, rSum, streams[i])
			return
		}
		r := o.Randomness[i]
		ct := pk.Encrypt(group.ScalarFromUint64(selections[i]), r)
		p, err := proof.ProveZeroOrOne(b.optionContext(i), pk, ct, selections[i], r, streams[i])
		e.Options[i], errs[i] = Option{Ciphertext: ct, Proof: p}, err
	})
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	return e, o, nil
}

func seedStreams(rand io.Reader, n int) ([]io.Reader, error) {
	if rand == nil {
		out := make([]io.Reader, n)
		return out, nil // nil readers mean crypto/rand, which is safe to share
	}
	out := make([]io.Reader, n)
	for i := range out {
		var seed [32]byte
		if _, err := io.ReadFull(rand, seed[:]); err != nil {
			return nil, fmt.Errorf("contest: reading randomness: %w", err)
		}
		x := sha3.NewSHAKE256()
		x.Write([]byte("evote/contest/stream"))
		x.Write(seed[:])
		out[i] = x
	}
	return out, nil
}

// parallel runs f(0) … f(n−1) on all cores and waits for them.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				f(i)
			}
		}()
	}
	for i := 0; i < n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}
