package proof

import "github.com/evote/evote/crypto/transcript"

// Context is what a proof is bound to besides its statement: the election
// context hash, then the caller's bindings in order. A proof made under one
// Context fails under any other.
type Context struct {
	// Election is the election context hash (the election id).
	Election []byte
	// Bind holds further labelled values, e.g. the voter credential and the
	// contest and option position of a ballot proof, or a trustee's index.
	Bind []Binding
}

// Binding is one labelled value of a Context.
type Binding struct {
	Label string
	Value []byte
}

// With returns a copy of c with one more binding appended.
func (c Context) With(label string, value []byte) Context {
	bind := make([]Binding, len(c.Bind), len(c.Bind)+1)
	copy(bind, c.Bind)
	c.Bind = append(bind, Binding{Label: label, Value: value})
	return c
}

// WithUint64 returns a copy of c with a labelled integer appended (8 bytes,
// big-endian).
func (c Context) WithUint64(label string, v uint64) Context {
	var b [8]byte
	for i := range b {
		b[7-i] = byte(v >> (8 * i))
	}
	return c.With(label, b[:])
}

func (c Context) transcript(domain string) *transcript.Transcript {
	t := transcript.New(domain, c.Election)
	for _, b := range c.Bind {
		t.AppendBytes(b.Label, b.Value)
	}
	return t
}

// Domain tags, one per proof type (docs/SPEC.md).
const (
	DomainSchnorr   = "evote/proof/schnorr"
	DomainEqualDL   = "evote/proof/equal-dl"
	DomainZeroOrOne = "evote/proof/zero-or-one"
	DomainRange     = "evote/proof/range"
)
