// Package credential makes and reads voter credentials.
//
// A credential is a secret code of 128 random bits that the commission
// prints for one voter, as text and as a QR code. The code turns, for one
// election, into an Ed25519 signing key (see Code.Key); the commission
// publishes only the public keys (election.CredentialList), so the board
// can tell that a ballot comes from an eligible voter without learning who.
//
// # The printed code
//
// The 128 bits, followed by two zero bits, are written as 26 symbols of
// Crockford's base32 alphabet 0123456789ABCDEFGHJKMNPQRSTVWXYZ (5 bits each,
// most significant first), then one check symbol, in groups of five:
//
//	XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XC
//
// The check symbol c = s₂₆ makes Σ αⁱ·sᵢ = 0 for i = 0…26 in GF(32) =
// GF(2)[x]/(x⁵+x²+1), α = x. The weights αⁱ are distinct and non-zero
// (α has order 31 > 27), so the check catches every single wrong symbol
// (an error e changes the sum by αⁱ·e ≠ 0) and every swap of two different
// symbols, adjacent or not (it changes the sum by (αⁱ+αʲ)·(a+b) ≠ 0).
//
// Reading is forgiving where it is safe: case, spaces and dashes do not
// matter, and O reads as 0, I and L as 1, as Crockford specifies. U, and
// anything else outside the alphabet, is an error naming its position.
//
// The code is a secret: Code's String method does not print it, and the
// symbol and checksum arithmetic runs in constant time.
package credential

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// CodeSize is the number of random bytes in a code.
const CodeSize = 16

// The shape of the printed code.
const (
	dataSymbols = 26 // ⌈128/5⌉
	Symbols     = dataSymbols + 1
	groupSize   = 5
)

const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Code is a voter's secret credential code. The zero Code is not a valid
// credential; make one with NewCode or Parse.
type Code struct {
	b [CodeSize]byte
}

// NewCode draws a code from rand, reading exactly 16 bytes.
func NewCode(rand io.Reader) (Code, error) {
	var c Code
	if _, err := io.ReadFull(rand, c.b[:]); err != nil {
		return Code{}, fmt.Errorf("credential code: reading randomness: %w", err)
	}
	return c, nil
}

// CodeFromBytes returns the code whose random bytes are b, which must be
// 16 bytes long.
func CodeFromBytes(b []byte) (Code, error) {
	var c Code
	if len(b) != CodeSize {
		return c, fmt.Errorf("credential code: %d bytes, want %d", len(b), CodeSize)
	}
	copy(c.b[:], b)
	return c, nil
}

// Bytes returns the code's 16 random bytes.
func (c Code) Bytes() []byte { b := c.b; return b[:] }

// Equal reports, in constant time, whether c and d are the same code.
func (c Code) Equal(d Code) bool { return subtle.ConstantTimeCompare(c.b[:], d.b[:]) == 1 }

// String returns a placeholder, never the code, so that a code that reaches
// a log or an error message by mistake is not disclosed. Use Text for the
// code itself.
func (c Code) String() string { return "credential.Code(redacted)" }

// GoString is like String, for %#v.
func (c Code) GoString() string { return c.String() }

// Text returns the code as it is printed for the voter:
// 27 symbols in groups of five separated by dashes.
func (c Code) Text() string {
	s := c.symbols()
	out := make([]byte, 0, Symbols+Symbols/groupSize)
	for i, v := range s {
		if i > 0 && i%groupSize == 0 {
			out = append(out, '-')
		}
		out = append(out, symbolChar(v))
	}
	return string(out)
}

// symbols returns the 26 data symbols and the check symbol.
func (c Code) symbols() [Symbols]byte {
	var s [Symbols]byte
	for i := range dataSymbols {
		s[i] = bits5(&c.b, i*5)
	}
	s[dataSymbols] = checkSymbol(s[:dataSymbols])
	return s
}

// bits5 returns the 5 bits of b starting at bit off (most significant bit
// of b[0] first), reading zeros past the end.
func bits5(b *[CodeSize]byte, off int) byte {
	var w uint16
	i := off / 8
	w = uint16(b[i]) << 8
	if i+1 < CodeSize {
		w |= uint16(b[i+1])
	}
	return byte(w>>(11-off%8)) & 31
}

// mulAlpha multiplies x by α in GF(32) without branching on x.
func mulAlpha(x byte) byte {
	return (x<<1)&31 ^ (0x05 & -(x >> 4 & 1))
}

// checkSum returns Σ αⁱ·s[i] by Horner's rule from the last symbol down.
func checkSum(s []byte) byte {
	var acc byte
	for i := len(s) - 1; i >= 0; i-- {
		acc = mulAlpha(acc) ^ s[i]
	}
	return acc
}

// checkSymbol returns the c for which checkSum(data ‖ c) = 0, that is
// α²⁶·c = checkSum(data), c = α⁵·checkSum(data) since α³¹ = 1.
func checkSymbol(data []byte) byte {
	c := checkSum(data)
	for range 31 - dataSymbols {
		c = mulAlpha(c)
	}
	return c
}

// symbolChar returns alphabet[v] without a secret-dependent memory access.
func symbolChar(v byte) byte {
	var out byte
	for i := range len(alphabet) {
		out |= alphabet[i] & byte(subtle.ConstantTimeByteEq(byte(i), v)*0xff)
	}
	return out
}

// readings maps every character a code symbol may be typed as to its
// value: the alphabet in both cases, and Crockford's confusables.
var readings = func() []struct{ ch, v byte } {
	var r []struct{ ch, v byte }
	for i := range len(alphabet) {
		r = append(r, struct{ ch, v byte }{alphabet[i], byte(i)})
		if l := strings.ToLower(alphabet[i : i+1])[0]; l != alphabet[i] {
			r = append(r, struct{ ch, v byte }{l, byte(i)})
		}
	}
	for _, c := range "OoIiLl" {
		v := byte(0)
		if c != 'O' && c != 'o' {
			v = 1
		}
		r = append(r, struct{ ch, v byte }{byte(c), v})
	}
	return r
}()

// symbolValue returns the value of character ch and whether it is a code
// character, scanning every reading so that the time does not depend on ch.
func symbolValue(ch byte) (byte, bool) {
	var v byte
	found := 0
	for _, r := range readings {
		eq := subtle.ConstantTimeByteEq(r.ch, ch)
		v |= r.v & byte(eq*0xff)
		found |= eq
	}
	return v, found == 1
}

// Errors wrapped by Parse.
var (
	ErrChecksum = errors.New("checksum mismatch: a character is mistyped")
	ErrLength   = errors.New("wrong number of characters")
	ErrInvalid  = errors.New("not a credential code")
)

// CharError is a character that is not part of a code: Pos counts the
// characters of the input from 1, separators included, so that it points
// at what the voter typed.
type CharError struct {
	Pos  int
	Char rune
}

func (e *CharError) Error() string {
	return fmt.Sprintf("character %d %q is not a code character", e.Pos, e.Char)
}

// Parse reads a code as a voter typed it. Letter case, spaces and dashes
// are ignored; O reads as 0, I and L as 1. The error says what is wrong:
// a *CharError for a character outside the alphabet, ErrLength for too
// few or too many characters, ErrChecksum for a mistyped character.
func Parse(s string) (Code, error) {
	var sym [Symbols]byte
	n, pos := 0, 0
	for i, w := 0, 0; i < len(s); i += w {
		var r rune
		r, w = utf8.DecodeRuneInString(s[i:])
		pos++
		if r == ' ' || r == '-' || r == '\t' {
			continue
		}
		v, ok := symbolValue(byte(r))
		if r >= utf8.RuneSelf || !ok {
			return Code{}, &CharError{Pos: pos, Char: r}
		}
		if n < Symbols {
			sym[n] = v
		}
		n++
	}
	if n != Symbols {
		return Code{}, fmt.Errorf("%w: %d code characters, want %d", ErrLength, n, Symbols)
	}
	if checkSum(sym[:]) != 0 {
		return Code{}, ErrChecksum
	}
	// The last data symbol carries the two padding bits, always zero in a
	// code this package wrote.
	if sym[dataSymbols-1]&3 != 0 {
		return Code{}, fmt.Errorf("%w: its last group is impossible (more than one character mistyped?)", ErrInvalid)
	}
	var c Code
	for i := range dataSymbols {
		setBits5(&c.b, i*5, sym[i])
	}
	return c, nil
}

// setBits5 ORs the 5-bit v into b at bit off, dropping bits past the end.
func setBits5(b *[CodeSize]byte, off int, v byte) {
	w := uint16(v) << (11 - off%8)
	i := off / 8
	b[i] |= byte(w >> 8)
	if i+1 < CodeSize {
		b[i+1] |= byte(w)
	}
}
