package group

import (
	"crypto/cipher"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"io"
	"reflect"

	"go.dedis.ch/fixbuf"
	"go.dedis.ch/kyber/v3"
	"go.dedis.ch/kyber/v3/util/random"
	"go.dedis.ch/kyber/v3/xof/blake2xb"
)

// Suite presents ristretto255 to go.dedis.ch/kyber/v3 as a proof.Suite
// (kyber.Group, kyber.HashFactory, kyber.Encoding, kyber.XOFFactory and
// kyber.Random), so that kyber's share polynomials and Neff shuffle run on
// evote's group. Its zero value is ready to use and holds no state.
//
// Hash is SHA-512, XOF is kyber's BLAKE2Xb, and RandomStream draws from
// crypto/rand. Points and scalars that Suite creates are only interchangeable
// with evote's Point and Scalar through KyberPoint, KyberScalar, FromKyberPoint
// and FromKyberScalar; passing a point or scalar of another kyber group to
// their methods is a programming error and panics.
type Suite struct{}

// kyberEmbedLen is how many bytes of data Embed hides in a point: byte 0 of
// the encoding holds the length (shifted left by one, because a canonical
// encoding is even), bytes 1..29 the data, and bytes 30..31 (15 free bits) the
// randomness that Embed varies until the bytes decode.
const kyberEmbedLen = 29

// kyberEmbedTries bounds Embed's search. About one candidate in four decodes,
// so an honest stream fails 1000 times in a row with probability (3/4)^1000,
// below 2^-400; reaching the bound means the stream is broken.
const kyberEmbedTries = 1000

// String names the group, as kyber.Group requires.
func (Suite) String() string { return "ristretto255" }

// ScalarLen returns the length of an encoded scalar.
func (Suite) ScalarLen() int { return ScalarSize }

// Scalar returns a new kyber scalar set to 0.
func (Suite) Scalar() kyber.Scalar { return new(kyberScalar) }

// PointLen returns the length of an encoded point.
func (Suite) PointLen() int { return PointSize }

// Point returns a new kyber point set to the identity.
func (Suite) Point() kyber.Point { return &kyberPoint{p: *NewIdentity()} }

// Hash returns a new SHA-512 hash.
func (Suite) Hash() hash.Hash { return sha512.New() }

// XOF returns kyber's BLAKE2Xb extendable-output function keyed with seed.
func (Suite) XOF(seed []byte) kyber.XOF { return blake2xb.New(seed) }

// RandomStream returns a stream of randomness from crypto/rand.
func (Suite) RandomStream() cipher.Stream { return random.New() }

// Write encodes objs to w in kyber's fixbuf encoding (points and scalars as
// their 32-byte encodings, in order).
func (Suite) Write(w io.Writer, objs ...interface{}) error {
	return fixbuf.Write(w, objs...)
}

// Read decodes objs from r in kyber's fixbuf encoding; points and scalars go
// through the strict decoders. Following kyber, a reader that is also a
// cipher.Stream is not decoded from but picked from (this is how kyber's
// proofs draw challenges from an XOF).
func (s Suite) Read(r io.Reader, objs ...interface{}) error {
	return fixbuf.Read(r, s, objs...)
}

// New returns a new kyber point or scalar for fixbuf's decoder when t is
// kyber.Point or kyber.Scalar, and nil otherwise.
func (s Suite) New(t reflect.Type) interface{} {
	switch t {
	case reflect.TypeOf((*kyber.Point)(nil)).Elem():
		return s.Point()
	case reflect.TypeOf((*kyber.Scalar)(nil)).Elem():
		return s.Scalar()
	}
	return nil
}

// KyberScalar returns a kyber scalar holding a copy of s.
func KyberScalar(s *Scalar) kyber.Scalar { return &kyberScalar{s: *s} }

// KyberPoint returns a kyber point holding a copy of p. p must be initialised
// (not the zero Point).
func KyberPoint(p *Point) kyber.Point { return &kyberPoint{p: *p} }

// errNotOurs is returned by FromKyberScalar and FromKyberPoint.
var errNotOurs = errors.New("not created by group.Suite")

// FromKyberScalar returns a copy of k as a Scalar. It fails if k was not
// created by Suite (or KyberScalar), or is nil.
func FromKyberScalar(k kyber.Scalar) (*Scalar, error) {
	s, ok := k.(*kyberScalar)
	if !ok || s == nil {
		return nil, fmt.Errorf("group: kyber scalar of type %T: %w", k, errNotOurs)
	}
	c := s.s
	return &c, nil
}

// FromKyberPoint returns a copy of k as a Point. It fails if k was not
// created by Suite (or KyberPoint), or is nil.
func FromKyberPoint(k kyber.Point) (*Point, error) {
	p, ok := k.(*kyberPoint)
	if !ok || p == nil {
		return nil, fmt.Errorf("group: kyber point of type %T: %w", k, errNotOurs)
	}
	c := p.p
	return &c, nil
}

// kyberScalar is a Scalar seen as a kyber.Scalar.
type kyberScalar struct{ s Scalar }

// asKyberScalar unwraps a kyber scalar that must come from Suite; kyber's
// interfaces leave no room for an error, and mixing groups is a bug in the
// caller, not bad input.
func asKyberScalar(k kyber.Scalar) *kyberScalar {
	s, ok := k.(*kyberScalar)
	if !ok || s == nil {
		panic(fmt.Sprintf("group: kyber scalar of type %T is not from group.Suite", k))
	}
	return s
}

func (s *kyberScalar) MarshalBinary() ([]byte, error) { return s.s.Bytes(), nil }

// UnmarshalBinary accepts exactly the canonical 32-byte encodings (< ℓ).
func (s *kyberScalar) UnmarshalBinary(b []byte) error {
	x, err := DecodeScalar(b)
	if err != nil {
		return fmt.Errorf("group: kyber: %w", err)
	}
	s.s = *x
	return nil
}

func (s *kyberScalar) String() string { return s.s.String() }

func (s *kyberScalar) MarshalSize() int { return ScalarSize }

func (s *kyberScalar) MarshalTo(w io.Writer) (int, error) { return w.Write(s.s.Bytes()) }

func (s *kyberScalar) UnmarshalFrom(r io.Reader) (int, error) {
	if stream, ok := r.(cipher.Stream); ok {
		s.Pick(stream)
		return -1, nil // kyber's convention: no byte count when picking
	}
	var b [ScalarSize]byte
	n, err := io.ReadFull(r, b[:])
	if err != nil {
		return n, fmt.Errorf("group: kyber: reading scalar: %w", err)
	}
	return n, s.UnmarshalBinary(b[:])
}

func (s *kyberScalar) Equal(a kyber.Scalar) bool { return s.s.Equal(&asKyberScalar(a).s) }

func (s *kyberScalar) Set(a kyber.Scalar) kyber.Scalar {
	s.s.Set(&asKyberScalar(a).s)
	return s
}

func (s *kyberScalar) Clone() kyber.Scalar { return &kyberScalar{s: s.s} }

func (s *kyberScalar) SetInt64(v int64) kyber.Scalar {
	s.s.Set(ScalarFromInt64(v))
	return s
}

func (s *kyberScalar) Zero() kyber.Scalar {
	s.s = Scalar{}
	return s
}

func (s *kyberScalar) Add(a, b kyber.Scalar) kyber.Scalar {
	s.s.Add(&asKyberScalar(a).s, &asKyberScalar(b).s)
	return s
}

func (s *kyberScalar) Sub(a, b kyber.Scalar) kyber.Scalar {
	s.s.Subtract(&asKyberScalar(a).s, &asKyberScalar(b).s)
	return s
}

func (s *kyberScalar) Neg(a kyber.Scalar) kyber.Scalar {
	s.s.Negate(&asKyberScalar(a).s)
	return s
}

func (s *kyberScalar) One() kyber.Scalar {
	s.s.Set(ScalarFromUint64(1))
	return s
}

func (s *kyberScalar) Mul(a, b kyber.Scalar) kyber.Scalar {
	s.s.Multiply(&asKyberScalar(a).s, &asKyberScalar(b).s)
	return s
}

// Div sets s = a / b; dividing by 0 gives 0, as Scalar.Invert does.
func (s *kyberScalar) Div(a, b kyber.Scalar) kyber.Scalar {
	var inv Scalar
	inv.Invert(&asKyberScalar(b).s)
	s.s.Multiply(&asKyberScalar(a).s, &inv)
	return s
}

// Inv sets s = 1/a; the inverse of 0 is 0, as Scalar.Invert has it.
func (s *kyberScalar) Inv(a kyber.Scalar) kyber.Scalar {
	s.s.Invert(&asKyberScalar(a).s)
	return s
}

// Pick reduces 64 bytes of the stream modulo ℓ, so the bias is below 2^-250.
func (s *kyberScalar) Pick(rand cipher.Stream) kyber.Scalar {
	var b [64]byte
	random.Bytes(b[:], rand)
	s.s.s.FromUniformBytes(b[:])
	return s
}

// SetBytes follows kyber: b is a little-endian integer of any length, reduced
// modulo ℓ. It is lenient (it accepts non-canonical input) and exists only
// because kyber.Scalar requires it; evote's own code never uses it on input
// and decodes scalars with DecodeScalar instead.
func (s *kyberScalar) SetBytes(b []byte) kyber.Scalar {
	// b = Σ limb_i·2^(256·i) with limb_i = b[32i : 32i+32]. Horner's rule
	// from the most significant limb: acc = acc·2^256 + limb, each limb
	// reduced as a 64-byte value.
	var acc, limb Scalar
	for i := (len(b) - 1) / 32; i >= 0 && len(b) > 0; i-- {
		var wide [64]byte
		copy(wide[:], b[32*i:min(32*i+32, len(b))])
		limb.s.FromUniformBytes(wide[:])
		acc.Multiply(&acc, twoTo256)
		acc.Add(&acc, &limb)
	}
	s.s = acc
	return s
}

// twoTo256 is 2^256 mod ℓ.
var twoTo256 = func() *Scalar {
	var wide [64]byte
	wide[32] = 1
	return ScalarFromUniformBytes(wide[:])
}()

// kyberPoint is a Point seen as a kyber.Point.
type kyberPoint struct{ p Point }

// asKyberPoint unwraps a kyber point that must come from Suite (see
// asKyberScalar).
func asKyberPoint(k kyber.Point) *kyberPoint {
	p, ok := k.(*kyberPoint)
	if !ok || p == nil {
		panic(fmt.Sprintf("group: kyber point of type %T is not from group.Suite", k))
	}
	return p
}

func (p *kyberPoint) MarshalBinary() ([]byte, error) { return p.p.Bytes(), nil }

// UnmarshalBinary accepts exactly the canonical 32-byte encodings, the
// identity included, because kyber's protocols start sums from Null.
func (p *kyberPoint) UnmarshalBinary(b []byte) error {
	x, err := DecodePointOrIdentity(b)
	if err != nil {
		return fmt.Errorf("group: kyber: %w", err)
	}
	p.p = *x
	return nil
}

func (p *kyberPoint) String() string { return p.p.String() }

func (p *kyberPoint) MarshalSize() int { return PointSize }

func (p *kyberPoint) MarshalTo(w io.Writer) (int, error) { return w.Write(p.p.Bytes()) }

func (p *kyberPoint) UnmarshalFrom(r io.Reader) (int, error) {
	if stream, ok := r.(cipher.Stream); ok {
		p.Pick(stream)
		return -1, nil // kyber's convention: no byte count when picking
	}
	var b [PointSize]byte
	n, err := io.ReadFull(r, b[:])
	if err != nil {
		return n, fmt.Errorf("group: kyber: reading point: %w", err)
	}
	return n, p.UnmarshalBinary(b[:])
}

func (p *kyberPoint) Equal(a kyber.Point) bool { return p.p.Equal(&asKyberPoint(a).p) }

func (p *kyberPoint) Null() kyber.Point {
	p.p = *NewIdentity()
	return p
}

func (p *kyberPoint) Base() kyber.Point {
	p.p = *Generator()
	return p
}

// Pick maps 64 bytes of the stream to a uniform point (RFC 9496 element
// derivation), so nobody knows its discrete logarithm.
func (p *kyberPoint) Pick(rand cipher.Stream) kyber.Point {
	var b [64]byte
	random.Bytes(b[:], rand)
	p.p.e.FromUniformBytes(b[:])
	p.p.changed()
	return p
}

func (p *kyberPoint) Set(a kyber.Point) kyber.Point {
	p.p.Set(&asKyberPoint(a).p)
	return p
}

func (p *kyberPoint) Clone() kyber.Point { return &kyberPoint{p: p.p} }

func (p *kyberPoint) EmbedLen() int { return kyberEmbedLen }

// Embed sets p to a point whose encoding carries the first EmbedLen() bytes of
// data, the rest of the encoding drawn from rand until it decodes. It panics
// if rand yields no valid encoding in kyberEmbedTries attempts, which only a
// broken stream does. It is not constant time: the number of attempts (about
// four on average) shows in the timing; it depends on the fresh randomness of
// each attempt and only negligibly on data.
func (p *kyberPoint) Embed(data []byte, rand cipher.Stream) kyber.Point {
	n := min(len(data), kyberEmbedLen)
	for range kyberEmbedTries {
		var b [PointSize]byte
		random.Bytes(b[:], rand)
		b[0] = byte(n) << 1 // even: the sign bit of a canonical s is 0
		copy(b[1:], data[:n])
		b[PointSize-1] &= 0x7f // canonical s < p < 2^255
		if x, err := DecodePointOrIdentity(b[:]); err == nil {
			p.p = *x
			return p
		}
	}
	panic("group: kyber Embed: random stream gave no decodable encoding; it is not random")
}

// Data returns the bytes that Embed put into p's encoding. Every point yields
// some data; only the length byte can be checked.
func (p *kyberPoint) Data() ([]byte, error) {
	b := p.p.Bytes()
	n := int(b[0] >> 1)
	if n > kyberEmbedLen {
		return nil, fmt.Errorf("group: kyber point %x carries no embedded data: length %d exceeds %d", b, n, kyberEmbedLen)
	}
	return b[1 : 1+n], nil
}

func (p *kyberPoint) Add(a, b kyber.Point) kyber.Point {
	p.p.Add(&asKyberPoint(a).p, &asKyberPoint(b).p)
	return p
}

func (p *kyberPoint) Sub(a, b kyber.Point) kyber.Point {
	p.p.Subtract(&asKyberPoint(a).p, &asKyberPoint(b).p)
	return p
}

func (p *kyberPoint) Neg(a kyber.Point) kyber.Point {
	p.p.Negate(&asKyberPoint(a).p)
	return p
}

// Mul sets p = s·q, or s·G when q is nil (kyber's convention), in constant
// time.
func (p *kyberPoint) Mul(s kyber.Scalar, q kyber.Point) kyber.Point {
	if q == nil {
		p.p.ScalarBaseMult(&asKyberScalar(s).s)
		return p
	}
	p.p.ScalarMult(&asKyberScalar(s).s, &asKyberPoint(q).p)
	return p
}
