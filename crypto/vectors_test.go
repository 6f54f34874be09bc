package crypto

import (
	"crypto/sha3"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// Known-answer vectors. Every good_*.json file holds one proof or ciphertext
// made from a fixed seed: all randomness is read, in the order the prover
// reads it, from SHAKE256("evote/test-vectors" ‖ seed). Every fail_*.json file
// holds the same statements with one field corrupted and the error the
// verifier must give. Regenerate with: go test ./crypto -run Vectors -update

var update = flag.Bool("update", false, "rewrite crypto/testdata from the fixed seed")

func seeded(seed string) io.Reader {
	x := sha3.NewSHAKE256()
	x.Write([]byte("evote/test-vectors"))
	x.Write([]byte(seed))
	return x
}

// vector is one statement with its proof; fields a type does not use are empty.
type vector struct {
	Name       string   `json:"name"`
	Seed       string   `json:"seed,omitempty"`
	Election   string   `json:"election"`             // election context hash, hex
	Credential string   `json:"credential,omitempty"` // hex
	Contest    uint32   `json:"contest,omitempty"`
	Secret     string   `json:"secret,omitempty"`     // x, hex (known-answer only)
	Randomness []string `json:"randomness,omitempty"` // r per ciphertext, hex
	Key        string   `json:"key"`                  // X or K, hex
	Base2      string   `json:"base2,omitempty"`      // G2 for equal-dl
	Value2     string   `json:"value2,omitempty"`     // H2 for equal-dl
	Plaintext  []uint64 `json:"plaintext,omitempty"`
	Min        uint64   `json:"min,omitempty"`
	Max        uint64   `json:"max,omitempty"`
	Options    int      `json:"options,omitempty"`
	Ciphertext string   `json:"ciphertext,omitempty"` // A ‖ B, hex
	Proof      string   `json:"proof"`                // canonical proof bytes, hex
	Challenge  string   `json:"challenge,omitempty"`  // the Fiat–Shamir challenge, hex
	Expect     string   `json:"expect,omitempty"`     // fail vectors: the error
}

var expectErrors = map[string]error{
	"challenge":     proof.ErrChallenge,
	"equation":      proof.ErrEquation,
	"encoding":      proof.ErrEncoding,
	"non-canonical": group.ErrNonCanonical,
	"scalar-range":  group.ErrScalarRange,
	"identity":      group.ErrIdentity,
	"length":        group.ErrLength,
	"ciphertext":    elgamal.ErrCiphertext,
}

func h(b []byte) string { return hex.EncodeToString(b) }

func unhex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatalf("bad hex %q: %v", s, err)
	}
	return b
}

func point(t *testing.T, s string) *group.Point {
	t.Helper()
	p, err := group.DecodePoint(unhex(t, s))
	if err != nil {
		t.Fatalf("vector point %s: %v", s, err)
	}
	return p
}

// check verifies one vector and returns the verifier's error.
func check(t *testing.T, kind string, v vector) error {
	t.Helper()
	ctx := proof.Context{Election: unhex(t, v.Election)}
	switch kind {
	case "schnorr":
		p, err := proof.DecodeSchnorr(unhex(t, v.Proof))
		if err != nil {
			return err
		}
		return p.Verify(ctx, point(t, v.Key))
	case "equal_dl":
		p, err := proof.DecodeEqualDL(unhex(t, v.Proof))
		if err != nil {
			return err
		}
		X := point(t, v.Key)
		return p.Verify(ctx, group.Generator(), X, point(t, v.Base2), point(t, v.Value2))
	case "zero_or_one", "range":
		ct, err := elgamal.Decode(unhex(t, v.Ciphertext))
		if err != nil {
			return err
		}
		k := 2
		if kind == "range" {
			k = int(v.Max-v.Min) + 1
		}
		p, err := proof.DecodeDisjunctive(unhex(t, v.Proof), k)
		if err != nil {
			return err
		}
		if kind == "range" {
			return p.VerifyRange(ctx, point(t, v.Key), ct, v.Min, v.Max)
		}
		return p.VerifyZeroOrOne(ctx, point(t, v.Key), ct)
	case "contest":
		spec := contest.Spec{Options: v.Options, Min: v.Min, Max: v.Max}
		e, err := contest.Decode(unhex(t, v.Proof), spec)
		if err != nil {
			return err
		}
		b := contest.Binding{Election: ctx.Election, Credential: unhex(t, v.Credential), Contest: v.Contest}
		return e.Verify(b, spec, point(t, v.Key))
	}
	t.Fatalf("unknown vector kind %q", kind)
	return nil
}

func readVectors(t *testing.T, path string) []vector {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var vs []vector
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&vs); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return vs
}

func TestVectors(t *testing.T) {
	if *update {
		writeVectors(t)
	}
	files, err := filepath.Glob("testdata/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no vectors in testdata (%v)", err)
	}
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".json")
		good := strings.HasPrefix(base, "good_")
		kind := strings.TrimPrefix(strings.TrimPrefix(base, "good_"), "fail_")
		for _, v := range readVectors(t, f) {
			t.Run(base+"/"+v.Name, func(t *testing.T) {
				err := check(t, kind, v)
				if good {
					if err != nil {
						t.Fatalf("good vector rejected: %v", err)
					}
					regenerate(t, kind, v)
					return
				}
				want, ok := expectErrors[v.Expect]
				if !ok {
					t.Fatalf("unknown expectation %q", v.Expect)
				}
				if !errors.Is(err, want) {
					t.Fatalf("got %v, want %s", err, v.Expect)
				}
			})
		}
	}
}

// regenerate remakes a good vector from its seed and checks that every byte
// is the same: the known-answer part.
func regenerate(t *testing.T, kind string, v vector) {
	t.Helper()
	got := make(map[string]vector)
	for _, g := range generate(t) {
		got[g.kind+"/"+g.v.Name] = g.v
	}
	want, ok := got[kind+"/"+v.Name]
	if !ok {
		t.Fatalf("no generator for %s/%s", kind, v.Name)
	}
	a, _ := json.Marshal(want)
	b, _ := json.Marshal(v)
	if string(a) != string(b) {
		t.Fatalf("known answer differs:\n got  %s\n want %s", a, b)
	}
}

type generated struct {
	kind string
	v    vector
}

var election = []byte("evote test election context hash")

func generate(t *testing.T) []generated {
	t.Helper()
	var out []generated
	ctx := proof.Context{Election: election}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}

	rnd := seeded("key")
	key, K, err := elgamal.GenerateKey(rnd)
	must(err)

	// Schnorr proof of knowledge of the election secret.
	s, err := proof.ProveSchnorr(ctx, key.X, K, seeded("schnorr"))
	must(err)
	out = append(out, generated{"schnorr", vector{Name: "election-key", Seed: "key,schnorr", Election: h(election),
		Secret: h(key.X.Bytes()), Key: h(K.Bytes()), Proof: h(s.Bytes())}})

	// Chaum–Pedersen: D = x·A for a ciphertext's A.
	rnd = seeded("equal-dl")
	A, err := group.RandomScalar(rnd)
	must(err)
	G2 := new(group.Point).ScalarBaseMult(A)
	H2 := new(group.Point).ScalarMult(key.X, G2)
	e, err := proof.ProveEqualDL(ctx, key.X, group.Generator(), K, G2, H2, rnd)
	must(err)
	out = append(out, generated{"equal_dl", vector{Name: "partial-decryption", Seed: "key,equal-dl", Election: h(election),
		Secret: h(key.X.Bytes()), Key: h(K.Bytes()), Base2: h(G2.Bytes()), Value2: h(H2.Bytes()), Proof: h(e.Bytes())}})

	for m := uint64(0); m <= 1; m++ {
		rnd = seeded(fmt.Sprintf("zero-or-one-%d", m))
		ct, r, err := elgamal.EncryptRandom(K, group.ScalarFromUint64(m), rnd)
		must(err)
		p, err := proof.ProveZeroOrOne(ctx, elgamal.NewPublicKey(K), ct, m, r, rnd)
		must(err)
		out = append(out, generated{"zero_or_one", vector{Name: fmt.Sprintf("plaintext-%d", m), Seed: fmt.Sprintf("key,zero-or-one-%d", m),
			Election: h(election), Randomness: []string{h(r.Bytes())}, Key: h(K.Bytes()), Plaintext: []uint64{m},
			Ciphertext: h(ct.Bytes()), Proof: h(p.Bytes())}})
	}

	rnd = seeded("range")
	ct, r, err := elgamal.EncryptRandom(K, group.ScalarFromUint64(2), rnd)
	must(err)
	p, err := proof.ProveRange(ctx, elgamal.NewPublicKey(K), ct, 1, 3, 2, r, rnd)
	must(err)
	out = append(out, generated{"range", vector{Name: "2-in-1..3", Seed: "key,range", Election: h(election),
		Randomness: []string{h(r.Bytes())}, Key: h(K.Bytes()), Plaintext: []uint64{2}, Min: 1, Max: 3,
		Ciphertext: h(ct.Bytes()), Proof: h(p.Bytes())}})

	spec := contest.Spec{Options: 5, Min: 0, Max: 2}
	cred := []byte("evote test credential public key")
	sel := []uint64{0, 1, 0, 1, 0}
	enc, open, err := contest.Encrypt(contest.Binding{Election: election, Credential: cred, Contest: 1}, spec, elgamal.NewPublicKey(K), sel, seeded("contest"))
	must(err)
	var rs []string
	for _, r := range open.Randomness {
		rs = append(rs, h(r.Bytes()))
	}
	out = append(out, generated{"contest", vector{Name: "5-options-choose-2", Seed: "key,contest", Election: h(election),
		Credential: h(cred), Contest: 1, Randomness: rs, Key: h(K.Bytes()), Plaintext: sel, Min: 0, Max: 2, Options: 5,
		Proof: h(enc.Bytes())}})
	return out
}

func writeVectors(t *testing.T) {
	t.Helper()
	byKind := map[string][]vector{}
	var kinds []string
	for _, g := range generate(t) {
		if _, ok := byKind[g.kind]; !ok {
			kinds = append(kinds, g.kind)
		}
		byKind[g.kind] = append(byKind[g.kind], g.v)
	}
	for _, k := range kinds {
		writeJSON(t, "testdata/good_"+k+".json", byKind[k])
		writeJSON(t, "testdata/fail_"+k+".json", corrupt(t, k, byKind[k][0]))
	}
}

func writeJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Encodings that no canonical decoder accepts.
var (
	nonCanonicalPoint = strings.Repeat("ff", 31) + "7f"                                    // a field element ≥ p
	unreducedScalar   = "edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010" // ℓ
	identityPoint     = strings.Repeat("00", 32)
)

// splice replaces the 32 bytes at byte offset off of a hex string.
func splice(s string, off int, with string) string {
	return s[:2*off] + with + s[2*off+64:]
}

// bump adds one to the scalar at byte offset off.
func bump(t *testing.T, s string, off int) string {
	sc, err := group.DecodeScalar(unhex(t, s[2*off:2*off+64]))
	if err != nil {
		t.Fatal(err)
	}
	return splice(s, off, h(sc.Add(sc, group.ScalarFromUint64(1)).Bytes()))
}

func corrupt(t *testing.T, kind string, v vector) []vector {
	t.Helper()
	v.Seed, v.Secret, v.Randomness, v.Plaintext = "", "", nil, nil
	var out []vector
	add := func(name, expect string, f func(*vector)) {
		c := v
		c.Name, c.Expect = name, expect
		f(&c)
		out = append(out, c)
	}
	otherElection := h([]byte("another election context hash.."))
	// Offsets of the first commitment, challenge and response in the proof.
	commit, response, challenge := 0, 32, -1
	switch kind {
	case "equal_dl":
		response = 64
	case "zero_or_one", "range":
		challenge, response = 64, 96
	case "contest":
		commit, challenge, response = 64, 128, 160
	}
	add("non-canonical-commitment", "non-canonical", func(c *vector) { c.Proof = splice(c.Proof, commit, nonCanonicalPoint) })
	add("identity-commitment", "identity", func(c *vector) { c.Proof = splice(c.Proof, commit, identityPoint) })
	add("unreduced-response", "scalar-range", func(c *vector) { c.Proof = splice(c.Proof, response, unreducedScalar) })
	add("truncated", "encoding", func(c *vector) { c.Proof = c.Proof[:len(c.Proof)-2] })
	add("trailing-byte", "encoding", func(c *vector) { c.Proof += "00" })
	switch kind {
	case "schnorr", "equal_dl":
		add("tampered-response", "equation", func(c *vector) { c.Proof = bump(t, c.Proof, response) })
		add("other-election", "equation", func(c *vector) { c.Election = otherElection })
		add("other-key", "equation", func(c *vector) { c.Key = nonZeroOther(t, v) })
	default:
		add("tampered-response", "equation", func(c *vector) { c.Proof = bump(t, c.Proof, response) })
		add("tampered-challenge", "challenge", func(c *vector) { c.Proof = bump(t, c.Proof, challenge) })
		add("other-election", "challenge", func(c *vector) { c.Election = otherElection })
	}
	if kind == "equal_dl" {
		add("other-decryption", "equation", func(c *vector) { c.Value2 = v.Key })
	}
	switch kind {
	case "zero_or_one", "range":
		add("non-canonical-ciphertext", "ciphertext", func(c *vector) { c.Ciphertext = splice(c.Ciphertext, 0, nonCanonicalPoint) })
		add("identity-ciphertext", "ciphertext", func(c *vector) { c.Ciphertext = splice(c.Ciphertext, 0, identityPoint) })
		add("other-ciphertext", "challenge", func(c *vector) {
			c.Ciphertext = c.Ciphertext[:64] + h(new(group.Point).Add(point(t, c.Ciphertext[64:]), group.Generator()).Bytes())
		})
	case "contest":
		add("other-credential", "challenge", func(c *vector) { c.Credential = h([]byte("another credential")) })
		add("other-contest", "challenge", func(c *vector) { c.Contest = 2 })
		add("options-swapped", "challenge", func(c *vector) {
			const opt = 2 * (64 + 2*128)
			c.Proof = c.Proof[opt:2*opt] + c.Proof[:opt] + c.Proof[2*opt:]
		})
	}
	if kind == "range" {
		add("other-range", "challenge", func(c *vector) { c.Min, c.Max = 0, 2 })
	}
	return out
}

// nonZeroOther returns a valid key other than the vector's.
func nonZeroOther(t *testing.T, v vector) string {
	return h(new(group.Point).Add(point(t, v.Key), group.Generator()).Bytes())
}
