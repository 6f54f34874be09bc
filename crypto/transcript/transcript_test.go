package transcript_test

// The byte layout that this file pins, for docs/SPEC.md:
//
//	enc(x)    = u64be(len(x)) || x             (len in bytes)
//	input     = enc("evote/transcript")
//	         || enc(domain)                    (UTF-8 bytes of the domain tag)
//	         || u32be(ProtocolVersion)         (4 bytes, not length-prefixed; currently 1)
//	         || enc(context)                   (election context hash; empty allowed)
//	         || enc(label_1) || enc(value_1)
//	         || ...
//	         || enc(label_n) || enc(value_n)   (fields in the order appended)
//	digest    = SHA-512(input)                 (64 bytes)
//	challenge = digest read as a 512-bit little-endian integer, mod ℓ,
//	            encoded as 32 bytes little-endian
//
// AppendUint64 uses value = u64be(v); AppendPoint and AppendScalar use the
// 32-byte canonical encoding. A nil and an empty byte string are the same
// field. Challenge and Digest do not change the transcript: appending after
// them continues the same input.
//
// testdata/vectors.json holds known answers for this layout; regenerate it
// with `go test ./crypto/transcript -run TestVectors -update` only when the
// layout changes on purpose (and bump ProtocolVersion).

import (
	"bytes"
	"crypto/sha512"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"flag"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/transcript"
)

var update = flag.Bool("update", false, "rewrite testdata/vectors.json from the code")

type field struct {
	label string
	value []byte
}

// build runs a transcript over fields with AppendBytes.
func build(domain string, context []byte, fields ...field) *transcript.Transcript {
	tr := transcript.New(domain, context)
	for _, f := range fields {
		tr.AppendBytes(f.label, f.value)
	}
	return tr
}

// referenceInput builds the hash input from the layout above, independently
// of the package.
func referenceInput(version uint32, domain string, context []byte, fields ...field) []byte {
	enc := func(b []byte, x []byte) []byte {
		b = binary.BigEndian.AppendUint64(b, uint64(len(x)))
		return append(b, x...)
	}
	b := enc(nil, []byte("evote/transcript"))
	b = enc(b, []byte(domain))
	b = binary.BigEndian.AppendUint32(b, version)
	b = enc(b, context)
	for _, f := range fields {
		b = enc(b, []byte(f.label))
		b = enc(b, f.value)
	}
	return b
}

// referenceChallenge reduces a digest modulo ℓ with math/big.
func referenceChallenge(digest []byte) []byte {
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	be := bytes.Clone(digest)
	slicesReverse(be)
	out := make([]byte, 32)
	new(big.Int).Mod(new(big.Int).SetBytes(be), l).FillBytes(out)
	slicesReverse(out)
	return out
}

func slicesReverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

func f(label, value string) field { return field{label, []byte(value)} }

// TestNoCollisions gives transcripts that plain concatenation of their parts
// would confuse; every one must have its own challenge.
func TestNoCollisions(t *testing.T) {
	ctx := []byte("context")
	cases := []struct {
		name string
		tr   *transcript.Transcript
	}{
		{"no fields", build("d", ctx)},
		{"one empty field", build("d", ctx, f("", ""))},
		{"two empty fields", build("d", ctx, f("", ""), f("", ""))},
		{"label ab value c", build("d", ctx, f("ab", "c"))},
		{"label a value bc", build("d", ctx, f("a", "bc"))},
		{"label abc value empty", build("d", ctx, f("abc", ""))},
		{"label empty value abc", build("d", ctx, f("", "abc"))},
		{"fields (a,b)(c,d)", build("d", ctx, f("a", "b"), f("c", "d"))},
		{"fields (c,d)(a,b)", build("d", ctx, f("c", "d"), f("a", "b"))},
		{"fields (a,b)(c,d) squeezed into one value", build("d", ctx, field{"a", append([]byte("b"), encodedTail("c", "d")...)})},
		{"fields (a,bc)(,d)", build("d", ctx, f("a", "bc"), f("", "d"))},
		{"domain dc", build("dc", []byte("ontext"))},
		{"domain d, context in a field", build("d", nil, f("context", ""))},
		{"domain d, empty context", build("d", nil)},
		{"domain e", build("e", ctx)},
		{"domain d with context context2", build("d", []byte("context2"))},
		{"domain evote/transcript", build("evote/transcript", ctx)},
		{"value holds a length prefix", build("d", ctx, field{"a", []byte{0, 0, 0, 0, 0, 0, 0, 1, 'b'}})},
	}
	seen := map[string]string{}
	for _, c := range cases {
		key := hex.EncodeToString(c.tr.Digest())
		if other, ok := seen[key]; ok {
			t.Errorf("%q and %q have the same digest", c.name, other)
		}
		seen[key] = c.name
		chal := "challenge:" + c.tr.Challenge().String()
		if other, ok := seen[chal]; ok {
			t.Errorf("%q and %q have the same challenge", c.name, other)
		}
		seen[chal] = c.name
	}
}

// encodedTail is what enc(label) || enc(value) would look like, so that a
// value can try to impersonate a following field.
func encodedTail(label, value string) []byte {
	var b []byte
	b = binary.BigEndian.AppendUint64(b, uint64(len(label)))
	b = append(b, label...)
	b = binary.BigEndian.AppendUint64(b, uint64(len(value)))
	return append(b, value...)
}

func TestNilAndEmptyAreTheSame(t *testing.T) {
	a := build("d", nil, field{"x", nil})
	b := build("d", []byte{}, field{"x", []byte{}})
	if !a.Challenge().Equal(b.Challenge()) {
		t.Error("nil and empty context or value give different challenges; the layout says they are the same")
	}
}

func TestChallengeDeterministic(t *testing.T) {
	fields := []field{f("statement", "X"), f("commitment", "A")}
	a := build("evote/proof/test", []byte("ctx"), fields...)
	b := build("evote/proof/test", []byte("ctx"), fields...)
	c1 := a.Challenge()
	if !c1.Equal(b.Challenge()) {
		t.Fatal("equal transcripts give different challenges")
	}
	if !c1.Equal(a.Challenge()) || !bytes.Equal(a.Digest(), b.Digest()) {
		t.Fatal("asking twice gives a different challenge or digest")
	}
	if !c1.Equal(group.ScalarFromUniformBytes(a.Digest())) {
		t.Error("Challenge is not the reduction of Digest")
	}
	if len(a.Digest()) != 64 {
		t.Errorf("digest has %d bytes", len(a.Digest()))
	}
}

func TestAppendAfterChallenge(t *testing.T) {
	tr := build("d", nil, f("a", "1"))
	c1 := tr.Challenge()
	tr.AppendBytes("b", []byte("2"))
	c2 := tr.Challenge()
	if c1.Equal(c2) {
		t.Fatal("appending after Challenge did not change the next challenge")
	}
	// Challenge in the middle does not disturb the input: the result is as
	// if it had never been called.
	if want := build("d", nil, f("a", "1"), f("b", "2")).Challenge(); !c2.Equal(want) {
		t.Error("Challenge changed the transcript's input")
	}
	// An empty field still changes it.
	tr.AppendBytes("", nil)
	if tr.Challenge().Equal(c2) {
		t.Error("appending an empty field did not change the challenge")
	}
}

func TestTypedAppends(t *testing.T) {
	P := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(3))
	decoded, err := group.DecodePoint(P.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	s := group.ScalarFromUint64(5)

	typed := transcript.New("d", nil)
	typed.AppendUint64("n", 0x0102030405060708)
	typed.AppendPoint("P", P)
	typed.AppendPoint("P decoded", decoded)
	typed.AppendScalar("s", s)

	raw := build("d", nil,
		field{"n", []byte{1, 2, 3, 4, 5, 6, 7, 8}},
		field{"P", P.Bytes()},
		field{"P decoded", P.Bytes()},
		field{"s", s.Bytes()})
	if !bytes.Equal(typed.Digest(), raw.Digest()) {
		t.Error("typed appends differ from AppendBytes of their documented encodings")
	}
}

func TestMatchesReferenceLayout(t *testing.T) {
	fields := []field{f("a", "b"), {"long", bytes.Repeat([]byte{0xab}, 300)}, f("", "")}
	input := referenceInput(transcript.ProtocolVersion, "evote/proof/x", []byte{1, 2, 3}, fields...)
	want := sha512.Sum512(input)
	tr := build("evote/proof/x", []byte{1, 2, 3}, fields...)
	if !bytes.Equal(tr.Digest(), want[:]) {
		t.Fatal("digest differs from SHA-512 of the documented layout")
	}
	if got := tr.Challenge().Bytes(); !bytes.Equal(got, referenceChallenge(want[:])) {
		t.Errorf("challenge %x differs from the digest mod ℓ", got)
	}
}

// vectorFile is testdata/vectors.json.
type vectorFile struct {
	Comment string   `json:"comment"`
	Version uint32   `json:"version"`
	Vectors []vector `json:"vectors"`
}

type vector struct {
	Name      string        `json:"name"`
	Domain    string        `json:"domain"`
	Context   string        `json:"context"` // hex
	Fields    []vectorField `json:"fields"`
	Digest    string        `json:"digest"`    // hex, 64 bytes
	Challenge string        `json:"challenge"` // hex, 32 bytes little-endian
}

type vectorField struct {
	Label string `json:"label"`
	Value string `json:"value"` // hex
}

var vectorsPath = filepath.Join("testdata", "vectors.json")

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&vf); err != nil {
		t.Fatalf("%s: %v", vectorsPath, err)
	}
	if vf.Version != transcript.ProtocolVersion {
		t.Fatalf("%s is for protocol version %d, the code is version %d", vectorsPath, vf.Version, transcript.ProtocolVersion)
	}
	if len(vf.Vectors) < 5 {
		t.Fatalf("%s has %d vectors, want ≥ 5", vectorsPath, len(vf.Vectors))
	}
	for _, v := range vf.Vectors {
		ctx := mustHex(t, v.Name, v.Context)
		var fields []field
		for _, fl := range v.Fields {
			fields = append(fields, field{fl.Label, mustHex(t, v.Name, fl.Value)})
		}
		tr := build(v.Domain, ctx, fields...)
		if got := hex.EncodeToString(tr.Digest()); got != v.Digest {
			t.Errorf("%s: digest %s, want %s", v.Name, got, v.Digest)
		}
		if got := tr.Challenge().String(); got != v.Challenge {
			t.Errorf("%s: challenge %s, want %s", v.Name, got, v.Challenge)
		}
	}
}

func mustHex(t *testing.T, name, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// writeVectors computes the known answers from the reference layout, checks
// that the package agrees, and writes the file.
func writeVectors(t *testing.T) {
	G := group.Generator()
	twoG := new(group.Point).Add(G, G)
	ctxHash := sha512.Sum512_256([]byte("evote example election"))
	credential := sha512.Sum512_256([]byte("evote example credential"))
	inputs := []struct {
		name    string
		domain  string
		context []byte
		fields  []field
	}{
		{"empty", "evote/test/empty", nil, nil},
		{"schnorr-like", "evote/proof/schnorr", ctxHash[:], []field{
			{"base", G.Bytes()}, {"public", twoG.Bytes()}, {"commitment", new(group.Point).Add(twoG, G).Bytes()},
		}},
		{"boundary ab|c", "evote/test/boundary", ctxHash[:], []field{f("ab", "c")}},
		{"boundary a|bc", "evote/test/boundary", ctxHash[:], []field{f("a", "bc")}},
		{"ballot position", "evote/proof/zero-one", ctxHash[:], []field{
			{"credential", credential[:]},
			{"contest", binary.BigEndian.AppendUint64(nil, 0)},
			{"option", binary.BigEndian.AppendUint64(nil, 2)},
		}},
		{"empty label and value", "evote/test/empty-field", ctxHash[:], []field{f("", ""), f("", "")}},
		{"long value", "evote/test/long", []byte{0xff}, []field{{"blob", bytes.Repeat([]byte{0x5a}, 300)}}},
	}
	vf := vectorFile{
		Comment: "Known answers for crypto/transcript; layout in crypto/transcript/transcript_test.go and docs/SPEC.md. " +
			"context and field values are hex; challenge is the 32-byte little-endian scalar.",
		Version: transcript.ProtocolVersion,
	}
	for _, in := range inputs {
		digest := sha512.Sum512(referenceInput(transcript.ProtocolVersion, in.domain, in.context, in.fields...))
		tr := build(in.domain, in.context, in.fields...)
		if !bytes.Equal(tr.Digest(), digest[:]) {
			t.Fatalf("%s: package disagrees with the reference layout; not writing vectors", in.name)
		}
		v := vector{
			Name:      in.name,
			Domain:    in.domain,
			Context:   hex.EncodeToString(in.context),
			Digest:    hex.EncodeToString(digest[:]),
			Challenge: hex.EncodeToString(referenceChallenge(digest[:])),
			Fields:    []vectorField{},
		}
		for _, fl := range in.fields {
			v.Fields = append(v.Fields, vectorField{fl.label, hex.EncodeToString(fl.value)})
		}
		vf.Vectors = append(vf.Vectors, v)
	}
	out, err := json.MarshalIndent(vf, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(vectorsPath, append(out, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %d vectors to %s", len(vf.Vectors), vectorsPath)
}

// TestVectorsFailOnTamper makes sure the vector check can fail: a vector
// with one changed field value must not match its recorded challenge.
func TestVectorsFailOnTamper(t *testing.T) {
	raw, err := os.ReadFile(vectorsPath)
	if err != nil {
		t.Fatal(err)
	}
	var vf vectorFile
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatal(err)
	}
	for _, v := range vf.Vectors {
		if len(v.Fields) == 0 {
			continue
		}
		var fields []field
		for _, fl := range v.Fields {
			fields = append(fields, field{fl.Label, mustHex(t, v.Name, fl.Value)})
		}
		fields[0].label = strings.ToUpper(fields[0].label) + "x"
		if got := build(v.Domain, mustHex(t, v.Name, v.Context), fields...).Challenge().String(); got == v.Challenge {
			t.Errorf("%s: a changed label still gives the recorded challenge", v.Name)
		}
	}
}

func BenchmarkChallenge(b *testing.B) {
	P := group.Generator()
	ctx := make([]byte, 32)
	for b.Loop() {
		tr := transcript.New("evote/proof/bench", ctx)
		for range 6 {
			tr.AppendPoint("p", P)
		}
		_ = tr.Challenge()
	}
}
