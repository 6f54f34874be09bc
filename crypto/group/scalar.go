package group

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/gtank/ristretto255"
)

// ScalarSize is the length of an encoded scalar.
const ScalarSize = 32

// Scalar is an integer modulo ℓ = 2^252 + 27742317777372353535851937790883648493,
// the order of the group. The zero value is 0.
type Scalar struct {
	s ristretto255.Scalar
}

// NewScalar returns a new scalar set to 0.
func NewScalar() *Scalar { return new(Scalar) }

// ScalarFromUint64 returns v as a scalar.
func ScalarFromUint64(v uint64) *Scalar {
	var b [32]byte
	binary.LittleEndian.PutUint64(b[:8], v)
	s := new(Scalar)
	if _, err := s.s.SetCanonicalBytes(b[:]); err != nil {
		panic("group: uint64 is always canonical") // unreachable: v < 2^64 < ℓ
	}
	return s
}

// ScalarFromInt64 returns v as a scalar (negative values wrap modulo ℓ).
func ScalarFromInt64(v int64) *Scalar {
	if v >= 0 {
		return ScalarFromUint64(uint64(v))
	}
	return new(Scalar).Negate(ScalarFromUint64(uint64(-v)))
}

// ScalarFromUniformBytes reduces 64 uniformly random bytes modulo ℓ. It is how
// hash outputs become challenges. It panics if len(b) != 64, a programming error.
func ScalarFromUniformBytes(b []byte) *Scalar {
	if len(b) != 64 {
		panic(fmt.Sprintf("group: ScalarFromUniformBytes needs 64 bytes, got %d", len(b)))
	}
	s := new(Scalar)
	s.s.FromUniformBytes(b)
	return s
}

// RandomScalar draws a uniform scalar from rand (crypto/rand.Reader when rand is
// nil) by reducing 64 bytes, so the bias is below 2^-250.
func RandomScalar(rand io.Reader) (*Scalar, error) {
	var b [64]byte
	if err := readRandom(rand, b[:]); err != nil {
		return nil, err
	}
	return ScalarFromUniformBytes(b[:]), nil
}

// MustRandomScalar is RandomScalar from crypto/rand; it panics only if the
// operating system's randomness fails, after which nothing is safe to do.
func MustRandomScalar() *Scalar {
	s, err := RandomScalar(nil)
	if err != nil {
		panic(err)
	}
	return s
}

// Set sets s = x and returns s.
func (s *Scalar) Set(x *Scalar) *Scalar { s.s.Set(&x.s); return s }

// Add sets s = x + y and returns s.
func (s *Scalar) Add(x, y *Scalar) *Scalar { s.s.Add(&x.s, &y.s); return s }

// Subtract sets s = x - y and returns s.
func (s *Scalar) Subtract(x, y *Scalar) *Scalar { s.s.Subtract(&x.s, &y.s); return s }

// Negate sets s = -x and returns s.
func (s *Scalar) Negate(x *Scalar) *Scalar { s.s.Negate(&x.s); return s }

// Multiply sets s = x · y and returns s.
func (s *Scalar) Multiply(x, y *Scalar) *Scalar { s.s.Multiply(&x.s, &y.s); return s }

// Invert sets s = 1/x and returns s. If x is 0, s is 0.
func (s *Scalar) Invert(x *Scalar) *Scalar { s.s.Invert(&x.s); return s }

// Equal reports whether s == u, in constant time.
func (s *Scalar) Equal(u *Scalar) bool { return s.s.Equal(&u.s) == 1 }

// IsZero reports whether s == 0, in constant time.
func (s *Scalar) IsZero() bool { return s.s.Equal(ristretto255.NewScalar()) == 1 }

// Bytes returns the 32-byte canonical little-endian encoding of s.
func (s *Scalar) Bytes() []byte { return s.s.Bytes() }

// String returns the hex encoding of s, for tests and debugging of public values.
func (s *Scalar) String() string { return hex.EncodeToString(s.Bytes()) }

// Uint64 returns s as a uint64 and true if s < 2^64, in variable time; it is for
// public values such as counts and indices.
func (s *Scalar) Uint64() (uint64, bool) {
	b := s.Bytes()
	for _, x := range b[8:] {
		if x != 0 {
			return 0, false
		}
	}
	return binary.LittleEndian.Uint64(b[:8]), true
}
