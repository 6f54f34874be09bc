package contest

import (
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
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
