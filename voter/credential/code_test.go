package credential

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/evote/evote/election"
)

// testCodes returns n codes from a fixed seed.
func testCodes(t testing.TB, n int) []Code {
	t.Helper()
	r := rand.NewChaCha8([32]byte{'c', 'o', 'd', 'e'})
	out := make([]Code, n)
	for i := range out {
		c, err := NewCode(r)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = c
	}
	// The extremes too: all zero and all one bits.
	out[0], _ = CodeFromBytes(make([]byte, CodeSize))
	out[1], _ = CodeFromBytes(bytes.Repeat([]byte{0xff}, CodeSize))
	return out
}

var textPattern = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){4}-[0-9A-HJKMNP-TV-Z]{2}$`)

func TestTextRoundTrip(t *testing.T) {
	for _, c := range testCodes(t, 200) {
		s := c.Text()
		if !textPattern.MatchString(s) {
			t.Fatalf("Text() = %q, not in the printed form", s)
		}
		d, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		if !d.Equal(c) || !bytes.Equal(d.Bytes(), c.Bytes()) {
			t.Fatalf("Parse(%q) gives another code", s)
		}
	}
}

// TestWeights checks the premise of the check symbol: α has order 31 in
// GF(32), so the 27 weights αⁱ are distinct and non-zero.
func TestWeights(t *testing.T) {
	seen := map[byte]int{}
	x := byte(1)
	for i := range 31 {
		if j, dup := seen[x]; dup {
			t.Fatalf("α^%d = α^%d", i, j)
		}
		seen[x] = i
		x = mulAlpha(x)
	}
	if x != 1 {
		t.Errorf("α^31 = %d, want 1", x)
	}
}

// symbolsOf returns the 27 symbols of a code's text, without dashes.
func symbolsOf(c Code) []byte { return []byte(strings.ReplaceAll(c.Text(), "-", "")) }

func TestChecksumCatchesEverySingleTypo(t *testing.T) {
	for _, c := range testCodes(t, 8) {
		good := symbolsOf(c)
		for pos := range good {
			for _, typo := range []byte(alphabet) {
				if typo == good[pos] {
					continue
				}
				bad := bytes.Clone(good)
				bad[pos] = typo
				if _, err := Parse(string(bad)); !errors.Is(err, ErrChecksum) {
					t.Fatalf("%s with symbol %d changed to %c: %v, want ErrChecksum", good, pos+1, typo, err)
				}
			}
		}
	}
}

func TestChecksumCatchesEveryTransposition(t *testing.T) {
	for _, c := range testCodes(t, 8) {
		good := symbolsOf(c)
		for i := range good {
			// Adjacent swaps are what the check promises; the distinct
			// weights catch swaps at any distance as well.
			for j := i + 1; j < len(good); j++ {
				if good[i] == good[j] {
					continue
				}
				bad := bytes.Clone(good)
				bad[i], bad[j] = bad[j], bad[i]
				if _, err := Parse(string(bad)); !errors.Is(err, ErrChecksum) {
					t.Fatalf("%s with symbols %d and %d swapped: %v, want ErrChecksum", good, i+1, j+1, err)
				}
			}
		}
	}
}

func TestParseForgiving(t *testing.T) {
	c, err := CodeFromBytes([]byte("0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	text := c.Text()
	plain := strings.ReplaceAll(text, "-", "")
	variants := []string{
		strings.ToLower(text),
		plain,
		strings.Join(strings.Split(plain, ""), " "),
		"  " + strings.ReplaceAll(text, "-", " - ") + "\t",
		strings.NewReplacer("0", "O", "1", "I").Replace(text),
		strings.NewReplacer("0", "o", "1", "l").Replace(text),
		strings.ReplaceAll(text, "1", "L"),
		strings.ReplaceAll(text, "1", "i"),
		plain[:3] + "--" + plain[3:],
	}
	if !strings.ContainsAny(text, "01") {
		t.Fatalf("test code %s has no 0 or 1 to misread", text)
	}
	for _, v := range variants {
		d, err := Parse(v)
		if err != nil {
			t.Errorf("Parse(%q): %v", v, err)
		} else if !d.Equal(c) {
			t.Errorf("Parse(%q) gives another code", v)
		}
	}
}

// failParse is testdata/fail_parse.json: inputs that must be refused with
// exactly this error message.
type failParse struct {
	Input, Error string
}

func TestParseErrors(t *testing.T) {
	var cases []failParse
	readJSON(t, "testdata/fail_parse.json", &cases)
	if len(cases) < 8 {
		t.Fatalf("only %d cases in fail_parse.json", len(cases))
	}
	for _, tc := range cases {
		_, err := Parse(tc.Input)
		if err == nil || err.Error() != tc.Error {
			t.Errorf("Parse(%q): %v, want %q", tc.Input, err, tc.Error)
		}
	}
	var ce *CharError
	if _, err := Parse("ABCDEFU"); !errors.As(err, &ce) || ce.Pos != 7 || ce.Char != 'U' {
		t.Errorf("Parse(ABCDEFU): %v, want a CharError at 7 for 'U'", err)
	}
}

func TestParseRejectsPadding(t *testing.T) {
	// Set a padding bit in the last data symbol and fix the check symbol:
	// the checksum holds, but no code gives that text.
	sym := make([]byte, Symbols)
	sym[dataSymbols-1] = 1
	sym[dataSymbols] = checkSymbol(sym[:dataSymbols])
	var text []byte
	for _, v := range sym {
		text = append(text, alphabet[v])
	}
	if _, err := Parse(string(text)); !errors.Is(err, ErrInvalid) {
		t.Errorf("Parse(%s) with a padding bit set: %v, want ErrInvalid", text, err)
	}
}

func TestCodeNotPrinted(t *testing.T) {
	c := testCodes(t, 3)[2]
	plain := strings.ReplaceAll(c.Text(), "-", "")
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		out := fmt.Sprintf(verb, c)
		if strings.Contains(strings.ReplaceAll(out, "-", ""), plain[:10]) ||
			strings.Contains(out, hex.EncodeToString(c.Bytes())[:10]) {
			t.Errorf("fmt %s prints the code: %s", verb, out)
		}
	}
	if _, err := CodeFromBytes(make([]byte, 15)); err == nil {
		t.Error("CodeFromBytes accepted 15 bytes")
	}
}

// derivationVector is one entry of testdata/good_derivation.json, made by
// gen_vectors.py with Python's cryptography package, independently of
// this code.
type derivationVector struct {
	CodeHex    string `json:"code_hex"`
	CodeText   string `json:"code_text"`
	ElectionID string `json:"election_id"`
	Seed       string `json:"seed"`
	PublicKey  string `json:"public_key"`
}

func TestDerivationVectors(t *testing.T) {
	var vs []derivationVector
	readJSON(t, "testdata/good_derivation.json", &vs)
	if len(vs) == 0 {
		t.Fatal("no vectors")
	}
	for _, v := range vs {
		c, err := CodeFromBytes(mustHex(t, v.CodeHex))
		if err != nil {
			t.Fatal(err)
		}
		if c.Text() != v.CodeText {
			t.Errorf("code %s: Text() = %s, want %s", v.CodeHex, c.Text(), v.CodeText)
		}
		p, err := Parse(v.CodeText)
		if err != nil || !p.Equal(c) {
			t.Errorf("Parse(%s): %v", v.CodeText, err)
		}
		id := election.ID(mustHex(t, v.ElectionID))
		k := c.Key(id)
		if got := hex.EncodeToString(k.Seed()); got != v.Seed {
			t.Errorf("code %s, election %s: seed %s, want %s", v.CodeHex, v.ElectionID, got, v.Seed)
		}
		if got := hex.EncodeToString(c.PublicKey(id)); got != v.PublicKey {
			t.Errorf("code %s, election %s: public key %s, want %s", v.CodeHex, v.ElectionID, got, v.PublicKey)
		}
	}
}

func TestKeyDependsOnElection(t *testing.T) {
	c := testCodes(t, 3)[2]
	a, b := election.ID(sha256.Sum256([]byte("a"))), election.ID(sha256.Sum256([]byte("b")))
	if c.PublicKey(a).Equal(c.PublicKey(b)) {
		t.Error("one code gives the same key in two elections")
	}
	if !c.Key(a).Equal(c.Key(a)) {
		t.Error("Key is not deterministic")
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// FuzzParse checks that Parse never panics, that whatever it accepts reads
// back the same from Text, and that it accepts only inputs that are the
// code's text up to case, separators and confusables.
func FuzzParse(f *testing.F) {
	for _, c := range testCodes(f, 4) {
		f.Add(c.Text())
		f.Add(strings.ToLower(c.Text()))
	}
	f.Add("ABCDE-FGHIJ-KLMNP-QRSTV-WXYZ0-12")
	f.Add("")
	f.Add("ü-----")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			return
		}
		d, err := Parse(c.Text())
		if err != nil || !d.Equal(c) {
			t.Fatalf("Parse(%q) succeeded but its Text %q does not read back: %v", s, c.Text(), err)
		}
		norm := strings.NewReplacer(" ", "", "-", "", "\t", "", "O", "0", "I", "1", "L", "1").Replace(strings.ToUpper(s))
		if norm != strings.ReplaceAll(c.Text(), "-", "") {
			t.Fatalf("Parse(%q) accepted it as %s", s, c.Text())
		}
	})
}

func BenchmarkParse(b *testing.B) {
	s := testCodes(b, 3)[2].Text()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkText(b *testing.B) {
	c := testCodes(b, 3)[2]
	for b.Loop() {
		_ = c.Text()
	}
}

func BenchmarkKey(b *testing.B) {
	c := testCodes(b, 3)[2]
	var id election.ID
	for b.Loop() {
		_ = c.Key(id)
	}
}
