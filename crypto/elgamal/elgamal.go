// Package elgamal implements exponential ElGamal on ristretto255:
// Enc(m; r) = (r·G, m·G + r·K) under a public key K = x·G.
//
// Ciphertexts add homomorphically, so the sum of many encrypted 0/1 choices
// decrypts to the point (Σm)·G, from which package dlog recovers the count.
package elgamal

import (
	"errors"
	"fmt"
	"io"

	"github.com/evote/evote/crypto/group"
)

var generator = group.Generator()

// CiphertextSize is the length of an encoded ciphertext: A then B.
const CiphertextSize = 2 * group.PointSize

// PrivateKey is an ElGamal secret key x. In an election nobody holds it whole:
// the trustees hold shares of it.
type PrivateKey struct {
	X *group.Scalar
}

// GenerateKey draws a fresh key pair from rand (crypto/rand when nil).
func GenerateKey(rand io.Reader) (*PrivateKey, *group.Point, error) {
	x, err := group.RandomScalar(rand)
	if err != nil {
		return nil, nil, err
	}
	return &PrivateKey{X: x}, new(group.Point).ScalarBaseMult(x), nil
}

// Public returns K = x·G.
func (k *PrivateKey) Public() *group.Point { return new(group.Point).ScalarBaseMult(k.X) }

// Ciphertext is (A, B) = (r·G, m·G + r·K).
type Ciphertext struct {
	A, B *group.Point
}

// Encrypt encrypts m under K with the given randomness r, in constant time in
// m and r. Preconditions: K is a valid public key, r is uniformly random and
// never reused.
func Encrypt(K *group.Point, m, r *group.Scalar) *Ciphertext {
	A := new(group.Point).ScalarBaseMult(r)
	B := new(group.Point).MultiScalarMult([]*group.Scalar{m, r}, []*group.Point{generator, K})
	return &Ciphertext{A: A, B: B}
}

// EncryptRandom encrypts m under K with fresh randomness from rand (crypto/rand
// when nil) and returns the ciphertext and the randomness, which proofs need.
func EncryptRandom(K *group.Point, m *group.Scalar, rand io.Reader) (*Ciphertext, *group.Scalar, error) {
	r, err := group.RandomScalar(rand)
	if err != nil {
		return nil, nil, err
	}
	return Encrypt(K, m, r), r, nil
}

// Zero returns the encryption of 0 with randomness 0, the neutral element of Add.
func Zero() *Ciphertext {
	return &Ciphertext{A: group.NewIdentity(), B: group.NewIdentity()}
}

// Add returns the component-wise sum x + y, an encryption of the sum of the
// plaintexts under the sum of the randomness.
func Add(x, y *Ciphertext) *Ciphertext {
	return &Ciphertext{A: new(group.Point).Add(x.A, y.A), B: new(group.Point).Add(x.B, y.B)}
}

// Sum returns the sum of all cs (Zero for none).
func Sum(cs []*Ciphertext) *Ciphertext {
	s := Zero()
	for _, c := range cs {
		s.A.Add(s.A, c.A)
		s.B.Add(s.B, c.B)
	}
	return s
}

// Decrypt returns the plaintext point m·G = B − x·A.
func (k *PrivateKey) Decrypt(c *Ciphertext) *group.Point {
	xA := new(group.Point).ScalarMult(k.X, c.A)
	return new(group.Point).Subtract(c.B, xA)
}

// Bytes returns A ‖ B.
func (c *Ciphertext) Bytes() []byte {
	return c.B.AppendBytes(c.A.AppendBytes(make([]byte, 0, CiphertextSize)))
}

// ErrCiphertext is wrapped by every Decode error.
var ErrCiphertext = errors.New("invalid ciphertext")

// Decode parses A ‖ B strictly. Both points must be canonical; the identity is
// rejected for A, since r·G with r ≠ 0 is never the identity, but allowed for
// B, which is the identity whenever m·G = −r·K.
func Decode(b []byte) (*Ciphertext, error) {
	if len(b) != CiphertextSize {
		return nil, fmt.Errorf("%w: %d bytes, want %d", ErrCiphertext, len(b), CiphertextSize)
	}
	A, err := group.DecodePoint(b[:group.PointSize])
	if err != nil {
		return nil, fmt.Errorf("%w: A: %w", ErrCiphertext, err)
	}
	B, err := group.DecodePointOrIdentity(b[group.PointSize:])
	if err != nil {
		return nil, fmt.Errorf("%w: B: %w", ErrCiphertext, err)
	}
	return &Ciphertext{A: A, B: B}, nil
}
