package contest

import (
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// optionSize is one option's encoding: ciphertext ‖ zero-or-one proof.
const optionSize = elgamal.CiphertextSize + 2*proof.BranchSize

// Size returns the encoded length of an Encrypted contest of this spec; every
// ballot of one election has the same size.
func (s Spec) Size() int {
	return s.Options*optionSize + proof.Size(int(s.Max-s.Min)+1)
}

// Bytes returns the options in order (ciphertext A ‖ B, then the proof), then
// the range proof.
func (e *Encrypted) Bytes() []byte {
	var out []byte
	for _, o := range e.Options {
		out = append(out, o.Ciphertext.Bytes()...)
		out = append(out, o.Proof.Bytes()...)
	}
	return append(out, e.Range.Bytes()...)
}

// Decode parses an Encrypted contest of the given spec strictly: exact length,
// every element canonical, no trailing bytes.
func Decode(b []byte, spec Spec) (*Encrypted, error) {
	if err := spec.Validate(); err != nil {
		return nil, err
	}
	if len(b) != spec.Size() {
		return nil, fmt.Errorf("contest: %w: %d bytes, want %d", proof.ErrEncoding, len(b), spec.Size())
	}
	if e := decodeFast(b, spec); e != nil {
		return e, nil
	}
	return decodeOneByOne(b, spec)
}

// decodeFast decodes every point of a well-formed contest in one
// group.DecodePoints call (most of the cost of checking a ballot) and returns
// nil at the first problem of any kind, leaving decodeOneByOne to find and
// name it, so both paths give the same errors.
func decodeFast(b []byte, spec Spec) *Encrypted {
	width := int(spec.Max-spec.Min) + 1
	nPoints := 6*spec.Options + 2*width // per option A, B and 2 branches' a, b
	src := make([][]byte, 0, nPoints)
	branches := func(p []byte, k int) {
		for j := range k {
			br := p[j*proof.BranchSize:]
			src = append(src, br[0:32], br[32:64])
		}
	}
	for i := range spec.Options {
		chunk := b[i*optionSize:]
		src = append(src, chunk[0:32], chunk[32:64])
		branches(chunk[elgamal.CiphertextSize:], 2)
	}
	branches(b[spec.Options*optionSize:], width)
	pts := make([]group.Point, len(src))
	if !group.DecodePoints(pts, src) {
		return nil
	}
	next := 0
	point := func(identityOK bool) *group.Point {
		p := &pts[next]
		next++
		if !identityOK && p.IsIdentity() {
			return nil
		}
		return p
	}
	proofOf := func(p []byte, k int) *proof.Disjunctive {
		d := &proof.Disjunctive{Branches: make([]proof.Branch, k)}
		for j := range d.Branches {
			br := &d.Branches[j]
			raw := p[j*proof.BranchSize:]
			var err1, err2 error
			br.A, br.B = point(false), point(false)
			br.C, err1 = group.DecodeScalar(raw[64:96])
			br.Z, err2 = group.DecodeScalar(raw[96:128])
			if br.A == nil || br.B == nil || err1 != nil || err2 != nil {
				return nil
			}
		}
		return d
	}
	e := &Encrypted{Options: make([]Option, spec.Options)}
	for i := range e.Options {
		chunk := b[i*optionSize : (i+1)*optionSize]
		A, B := point(false), point(true)
		p := proofOf(chunk[elgamal.CiphertextSize:], 2)
		if A == nil || p == nil {
			return nil
		}
		e.Options[i] = Option{Ciphertext: &elgamal.Ciphertext{A: A, B: B}, Proof: p}
	}
	if e.Range = proofOf(b[spec.Options*optionSize:], width); e.Range == nil {
		return nil
	}
	return e
}

// decodeOneByOne decodes element by element and names the first problem.
func decodeOneByOne(b []byte, spec Spec) (*Encrypted, error) {
	e := &Encrypted{Options: make([]Option, spec.Options)}
	for i := range e.Options {
		chunk := b[i*optionSize : (i+1)*optionSize]
		ct, err := elgamal.Decode(chunk[:elgamal.CiphertextSize])
		if err != nil {
			return nil, fmt.Errorf("contest: option %d: %w", i, err)
		}
		p, err := proof.DecodeDisjunctive(chunk[elgamal.CiphertextSize:], 2)
		if err != nil {
			return nil, fmt.Errorf("contest: option %d: %w", i, err)
		}
		e.Options[i] = Option{Ciphertext: ct, Proof: p}
	}
	r, err := proof.DecodeDisjunctive(b[spec.Options*optionSize:], int(spec.Max-spec.Min)+1)
	if err != nil {
		return nil, fmt.Errorf("contest: range: %w", err)
	}
	e.Range = r
	return e, nil
}
