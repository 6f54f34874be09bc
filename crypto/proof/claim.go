package proof

import (
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/group"
)

// basepoint is the one generator pointer every equation uses, so that a Batch
// merges all its coefficients into a single fixed-base multiplication.
var basepoint = group.Generator()

// Errors wrapped by verification failures; test with errors.Is.
var (
	ErrChallenge = errors.New("challenge mismatch")
	ErrEquation  = errors.New("verification equation fails")
	ErrEncoding  = errors.New("malformed proof encoding")
	ErrStatement = errors.New("invalid statement")
)

// term is s·p; a nil s means 1, which costs an addition instead of a
// multiplication and lets a Batch weight it with a short random scalar.
type term struct {
	s *group.Scalar
	p *group.Point
}

// equation asserts Σ s·p = identity. name says which check it is, for errors.
type equation struct {
	name  string
	terms []term
}

// Claim is a proof with its statement, ready to verify alone (Verify) or with
// many others (Batch). A Claim whose challenge check already failed carries
// that error and no equations.
type Claim struct {
	kind string
	err  error
	eqs  []equation
}

// FailedClaim returns a claim that fails with err, for a statement that
// cannot even be put to the check (a malformed shape, say).
func FailedClaim(kind string, err error) *Claim {
	return &Claim{kind: kind, err: fmt.Errorf("%s: %w", kind, err)}
}

// Named prefixes the claim's errors with label, such as "option 3", so that a
// failure says where it is. It returns c.
func (c *Claim) Named(label string) *Claim {
	c.kind = label + ": " + c.kind
	if c.err != nil {
		c.err = fmt.Errorf("%s: %w", label, c.err)
	}
	return c
}

// Verify checks the claim alone, one equation at a time, and names the first
// failing check.
func (c *Claim) Verify() error {
	if c.err != nil {
		return c.err
	}
	for _, eq := range c.eqs {
		if !eq.holds() {
			return fmt.Errorf("%s: %s: %w", c.kind, eq.name, ErrEquation)
		}
	}
	return nil
}

func (eq *equation) holds() bool {
	sum := group.NewIdentity()
	var s []*group.Scalar
	var p []*group.Point
	g := group.NewScalar()
	for _, t := range eq.terms {
		switch {
		case t.s == nil:
			sum.Add(sum, t.p)
		case t.p == basepoint:
			g.Add(g, t.s)
		default:
			s = append(s, t.s)
			p = append(p, t.p)
		}
	}
	if len(p) == 1 {
		sum.Add(sum, new(group.Point).VarTimeDoubleScalarBaseMult(s[0], p[0], g))
	} else {
		sum.Add(sum, group.VarTimeMultiScalarMult(s, p))
		sum.Add(sum, new(group.Point).ScalarBaseMult(g))
	}
	return sum.IsIdentity()
}
