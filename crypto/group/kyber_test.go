package group_test

import (
	"bytes"
	"crypto/cipher"
	"crypto/sha512"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"go.dedis.ch/kyber/v3"
	"go.dedis.ch/kyber/v3/group/edwards25519"
	"go.dedis.ch/kyber/v3/proof"
	"go.dedis.ch/kyber/v3/share"
	"go.dedis.ch/kyber/v3/shuffle"
	"go.dedis.ch/kyber/v3/xof/blake2xb"

	"github.com/evote/evote/crypto/group"
)

var (
	_ proof.Suite   = group.Suite{}
	_ shuffle.Suite = group.Suite{}
)

var suite group.Suite

// ours unwraps a kyber point that the test knows comes from Suite.
func ours(t testing.TB, k kyber.Point) *group.Point {
	t.Helper()
	p, err := group.FromKyberPoint(k)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func oursScalar(t testing.TB, k kyber.Scalar) *group.Scalar {
	t.Helper()
	s, err := group.FromKyberScalar(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// subsets calls f with every k-element subset of 0..n-1.
func subsets(n, k int, f func([]int)) {
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == k {
			f(cur)
			return
		}
		for i := start; i < n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(0, nil)
}

func TestKyberShareRecoverSecret(t *testing.T) {
	const threshold, n = 3, 5
	secret := group.MustRandomScalar()
	poly := share.NewPriPoly(suite, threshold, group.KyberScalar(secret), suite.RandomStream())
	shares := poly.Shares(n)

	count := 0
	subsets(n, threshold, func(idx []int) {
		count++
		sub := make([]*share.PriShare, 0, len(idx))
		for _, i := range idx {
			sub = append(sub, shares[i])
		}
		got, err := share.RecoverSecret(suite, sub, threshold, n)
		if err != nil {
			t.Fatalf("shares %v: %v", idx, err)
		}
		if !oursScalar(t, got).Equal(secret) {
			t.Errorf("shares %v recover %v, want the secret", idx, got)
		}
	})
	if count != 10 {
		t.Fatalf("tried %d subsets, want C(5,3) = 10", count)
	}

	if _, err := share.RecoverSecret(suite, shares[:threshold-1], threshold, n); err == nil {
		t.Error("RecoverSecret accepted t-1 shares")
	}
	// t shares of which one is wrong interpolate to something else.
	bad := []*share.PriShare{shares[0], shares[1], {I: shares[2].I, V: suite.Scalar().Add(shares[2].V, suite.Scalar().One())}}
	if got, err := share.RecoverSecret(suite, bad, threshold, n); err != nil || oursScalar(t, got).Equal(secret) {
		t.Errorf("RecoverSecret with a tampered share = %v, %v; want a wrong secret", got, err)
	}
}

func TestKyberSharePubPolyCheck(t *testing.T) {
	const threshold, n = 3, 5
	secret := group.MustRandomScalar()
	poly := share.NewPriPoly(suite, threshold, group.KyberScalar(secret), suite.RandomStream())
	pub := poly.Commit(nil) // nil base: commitments to G
	if !ours(t, pub.Commit()).Equal(mul(secret)) {
		t.Fatal("PubPoly.Commit() != secret·G")
	}
	_, commits := pub.Info()
	for j, c := range poly.Coefficients() {
		if !ours(t, commits[j]).Equal(mul(oursScalar(t, c))) {
			t.Fatalf("commitment %d is not its coefficient times G", j)
		}
	}

	shares := poly.Shares(n)
	for _, s := range shares {
		if !pub.Check(s) {
			t.Errorf("share %d fails Check", s.I)
		}
		if !ours(t, pub.Eval(s.I).V).Equal(mul(oursScalar(t, s.V))) {
			t.Errorf("public share %d != private share·G", s.I)
		}
		tampered := &share.PriShare{I: s.I, V: suite.Scalar().Add(s.V, suite.Scalar().One())}
		if pub.Check(tampered) {
			t.Errorf("share %d + 1 passes Check", s.I)
		}
		moved := &share.PriShare{I: (s.I + 1) % n, V: s.V}
		if pub.Check(moved) {
			t.Errorf("share %d under index %d passes Check", s.I, moved.I)
		}
	}

	commit, err := share.RecoverCommit(suite, pub.Shares(n)[1:1+threshold], threshold, n)
	if err != nil {
		t.Fatal(err)
	}
	if !commit.Equal(pub.Commit()) {
		t.Error("RecoverCommit from t public shares != secret·G")
	}

	// Adding polynomials adds secrets and commitments: the joint key of a
	// Feldman DKG.
	other := share.NewPriPoly(suite, threshold, nil, suite.RandomStream())
	sum, err := poly.Add(other)
	if err != nil {
		t.Fatal(err)
	}
	pubSum, err := pub.Add(other.Commit(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !pubSum.Commit().Equal(sum.Commit(nil).Commit()) {
		t.Error("sum of commitments != commitment of sum")
	}
	for _, s := range sum.Shares(n) {
		if !pubSum.Check(s) {
			t.Errorf("summed share %d fails Check", s.I)
		}
	}
}

// elgamalPairs encrypts m_i·G under H and returns the pairs and the plaintexts.
func elgamalPairs(k int, H kyber.Point, rand cipher.Stream) (X, Y []kyber.Point, M []*group.Point) {
	X, Y = make([]kyber.Point, k), make([]kyber.Point, k)
	for i := range k {
		m := suite.Point().Mul(suite.Scalar().SetInt64(int64(i+1)), nil)
		r := suite.Scalar().Pick(rand)
		X[i] = suite.Point().Mul(r, nil)
		Y[i] = suite.Point().Add(suite.Point().Mul(r, H), m)
		p, _ := group.FromKyberPoint(m)
		M = append(M, p)
	}
	return X, Y, M
}

func TestKyberNeffShuffle(t *testing.T) {
	const k = 8
	rand := suite.RandomStream()
	h := suite.Scalar().Pick(rand)
	H := suite.Point().Mul(h, nil)
	X, Y, M := elgamalPairs(k, H, rand)

	Xbar, Ybar, prover := shuffle.Shuffle(suite, nil, H, X, Y, rand)
	prf, err := proof.HashProve(suite, "evote/test/shuffle", prover)
	if err != nil {
		t.Fatal(err)
	}
	verify := func(name string, X, Y, Xbar, Ybar []kyber.Point, prf []byte) error {
		return proof.HashVerify(suite, name, shuffle.Verifier(suite, nil, H, X, Y, Xbar, Ybar), prf)
	}
	if err := verify("evote/test/shuffle", X, Y, Xbar, Ybar, prf); err != nil {
		t.Fatalf("honest shuffle fails: %v", err)
	}

	// The output decrypts to a permutation of the input, re-randomised.
	seen := make([]bool, k)
	for i := range k {
		if Xbar[i].Equal(X[i]) {
			t.Errorf("pair %d was not re-randomised", i)
		}
		m := ours(t, suite.Point().Sub(Ybar[i], suite.Point().Mul(h, Xbar[i])))
		found := false
		for j := range M {
			if !seen[j] && m.Equal(M[j]) {
				seen[j], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("output %d decrypts to %v, not an unused input plaintext", i, m)
		}
	}

	clone := func(ps []kyber.Point) []kyber.Point {
		out := make([]kyber.Point, len(ps))
		for i, p := range ps {
			out[i] = p.Clone()
		}
		return out
	}
	tamperedY := clone(Ybar)
	tamperedY[3].Add(tamperedY[3], suite.Point().Base())
	swapped := clone(Xbar)
	swapped[0], swapped[1] = swapped[1], swapped[0]
	otherX := clone(X)
	otherX[0].Add(otherX[0], suite.Point().Base())
	flipped := bytes.Clone(prf)
	flipped[len(flipped)/2] ^= 1

	for _, c := range []struct {
		name             string
		proto            string
		X, Y, Xbar, Ybar []kyber.Point
		prf              []byte
	}{
		{"tampered output ciphertext", "evote/test/shuffle", X, Y, Xbar, tamperedY, prf},
		{"swapped output halves", "evote/test/shuffle", X, Y, swapped, Ybar, prf},
		{"different input", "evote/test/shuffle", otherX, Y, Xbar, Ybar, prf},
		{"other protocol name", "evote/test/other", X, Y, Xbar, Ybar, prf},
		{"flipped proof bit", "evote/test/shuffle", X, Y, Xbar, Ybar, flipped},
		{"truncated proof", "evote/test/shuffle", X, Y, Xbar, Ybar, prf[:len(prf)-1]},
		{"empty proof", "evote/test/shuffle", X, Y, Xbar, Ybar, nil},
	} {
		if err := verify(c.proto, c.X, c.Y, c.Xbar, c.Ybar, c.prf); err == nil {
			t.Errorf("%s: shuffle proof verifies", c.name)
		}
	}
}

// TestKyberProofRejectsNonCanonical checks that a proof whose bytes carry a
// non-canonical point fails in decoding, through the suite's strict
// decoders, rather than being silently reduced.
func TestKyberProofRejectsNonCanonical(t *testing.T) {
	const k = 2
	rand := suite.RandomStream()
	H := suite.Point().Pick(rand)
	X, Y, _ := elgamalPairs(k, H, rand)
	Xbar, Ybar, prover := shuffle.Shuffle(suite, nil, H, X, Y, rand)
	prf, err := proof.HashProve(suite, "p", prover)
	if err != nil {
		t.Fatal(err)
	}
	// The proof starts with the point Gamma; replace it with an encoding
	// that is off by p (s + p, bit 255 set).
	bad := bytes.Clone(prf)
	bad[31] |= 0x80
	err = proof.HashVerify(suite, "p", shuffle.Verifier(suite, nil, H, X, Y, Xbar, Ybar), bad)
	if !errors.Is(err, group.ErrNonCanonical) {
		t.Errorf("proof with non-canonical Gamma: err = %v, want ErrNonCanonical", err)
	}
}

func TestKyberUnmarshalBinaryStrict(t *testing.T) {
	for _, v := range readHexVectors(t, "fail_points.txt") {
		err := suite.Point().UnmarshalBinary(v.b)
		wantOnly(t, v.where+" ("+v.comment+"): kyber point", err, group.ErrNonCanonical)
		_, err = suite.Point().UnmarshalFrom(bytes.NewReader(v.b))
		wantOnly(t, v.where+" ("+v.comment+"): kyber point UnmarshalFrom", err, group.ErrNonCanonical)
	}
	for _, v := range readHexVectors(t, "fail_scalars.txt") {
		err := suite.Scalar().UnmarshalBinary(v.b)
		wantOnly(t, v.where+" ("+v.comment+"): kyber scalar", err, group.ErrScalarRange)
		_, err = suite.Scalar().UnmarshalFrom(bytes.NewReader(v.b))
		wantOnly(t, v.where+" ("+v.comment+"): kyber scalar UnmarshalFrom", err, group.ErrScalarRange)
	}
	for _, n := range []int{0, 31, 33} {
		wantOnly(t, fmt.Sprintf("kyber point, %d bytes", n), suite.Point().UnmarshalBinary(make([]byte, n)), group.ErrLength)
		wantOnly(t, fmt.Sprintf("kyber scalar, %d bytes", n), suite.Scalar().UnmarshalBinary(make([]byte, n)), group.ErrLength)
	}
	// kyber starts sums from Null, so the identity must round-trip here,
	// unlike through DecodePoint.
	id := suite.Point().Null()
	enc, _ := id.MarshalBinary()
	back := suite.Point().Base()
	if err := back.UnmarshalBinary(enc); err != nil || !back.Equal(id) {
		t.Errorf("identity round trip: %v", err)
	}
	// A failed decode leaves the value unchanged.
	p := suite.Point().Base()
	_ = p.UnmarshalBinary(bytes.Repeat([]byte{0xff}, 32))
	if !p.Equal(suite.Point().Base()) {
		t.Error("failed UnmarshalBinary changed the point")
	}
	// Reading short input fails rather than padding.
	if _, err := suite.Point().UnmarshalFrom(bytes.NewReader(make([]byte, 31))); err == nil {
		t.Error("UnmarshalFrom(31 bytes) accepted")
	}
	if _, err := suite.Scalar().UnmarshalFrom(bytes.NewReader(nil)); err == nil {
		t.Error("scalar UnmarshalFrom(0 bytes) accepted")
	}
}

func TestKyberGoodVectors(t *testing.T) {
	want := suite.Point().Null()
	for i, v := range readHexVectors(t, "good_points.txt") {
		p := suite.Point()
		if err := p.UnmarshalBinary(v.b); err != nil {
			t.Fatalf("%s: %v", v.where, err)
		}
		if !p.Equal(want) || p.String() != fmt.Sprintf("%x", v.b) {
			t.Errorf("%s: kyber decode of %d·G = %v", v.where, i, p)
		}
		var buf bytes.Buffer
		if n, err := p.MarshalTo(&buf); err != nil || n != p.MarshalSize() || !bytes.Equal(buf.Bytes(), v.b) {
			t.Errorf("%s: MarshalTo = %d, %v, %x", v.where, n, err, buf.Bytes())
		}
		want.Add(want, suite.Point().Base())
	}
}

func TestKyberPointOps(t *testing.T) {
	rand := suite.RandomStream()
	a, b := suite.Scalar().Pick(rand), suite.Scalar().Pick(rand)
	A, B := suite.Point().Mul(a, nil), suite.Point().Mul(b, nil)
	if !ours(t, A).Equal(mul(oursScalar(t, a))) {
		t.Fatal("Mul(a, nil) != a·G")
	}
	if !suite.Point().Mul(a, suite.Point().Base()).Equal(A) {
		t.Error("Mul(a, Base) != Mul(a, nil)")
	}
	sum := suite.Point().Add(A, B)
	if !sum.Equal(suite.Point().Mul(suite.Scalar().Add(a, b), nil)) {
		t.Error("aG + bG != (a+b)G")
	}
	if !suite.Point().Sub(sum, B).Equal(A) {
		t.Error("(A+B) - B != A")
	}
	if !suite.Point().Add(A, suite.Point().Neg(A)).Equal(suite.Point().Null()) {
		t.Error("A + (-A) != Null")
	}
	if !suite.Point().Equal(suite.Point().Null()) {
		t.Error("Suite.Point() is not the identity")
	}
	c := A.Clone()
	c.Add(c, B)
	if !ours(t, A).Equal(mul(oursScalar(t, a))) {
		t.Error("changing a clone changed the original")
	}
	s := suite.Point().Set(A)
	s.Add(s, B)
	if !A.Equal(suite.Point().Mul(a, nil)) {
		t.Error("changing a Set copy changed the original")
	}
	// Aliased Mul, as kyber's PubPoly.Eval does: v.Mul(x, v).
	v := A.Clone()
	v.Mul(b, v)
	if !v.Equal(suite.Point().Mul(suite.Scalar().Mul(a, b), nil)) {
		t.Error("aliased Mul is wrong")
	}
	if P, Q := suite.Point().Pick(rand), suite.Point().Pick(rand); P.Equal(Q) || P.Equal(suite.Point().Null()) {
		t.Error("Pick gave equal or identity points")
	}
	enc, err := A.MarshalBinary()
	if err != nil || !bytes.Equal(enc, ours(t, A).Bytes()) {
		t.Errorf("MarshalBinary = %x, %v", enc, err)
	}
	if A.String() != ours(t, A).String() {
		t.Error("String differs from Point.String")
	}
}

func TestKyberPickDeterministic(t *testing.T) {
	// The same stream gives the same point and scalar; that is what makes
	// kyber's Fiat–Shamir challenges reproducible for the verifier.
	p1 := suite.Point().Pick(blake2xb.New([]byte("seed")))
	p2 := suite.Point().Pick(blake2xb.New([]byte("seed")))
	s1 := suite.Scalar().Pick(blake2xb.New([]byte("seed")))
	s2 := suite.Scalar().Pick(blake2xb.New([]byte("seed")))
	if !p1.Equal(p2) || !s1.Equal(s2) {
		t.Error("Pick from equal streams differs")
	}
	if p1.Equal(suite.Point().Pick(blake2xb.New([]byte("other")))) {
		t.Error("Pick from different streams agrees")
	}
	// Pick uses RFC 9496 element derivation on 64 stream bytes.
	var b [64]byte
	blake2xb.New([]byte("seed")).XORKeyStream(b[:], b[:])
	if !oursScalar(t, s1).Equal(group.ScalarFromUniformBytes(b[:])) {
		t.Error("scalar Pick is not the reduction of 64 stream bytes")
	}
}

func TestKyberScalarOps(t *testing.T) {
	rand := suite.RandomStream()
	a, b := suite.Scalar().Pick(rand), suite.Scalar().Pick(rand)
	if !suite.Scalar().Sub(suite.Scalar().Add(a, b), b).Equal(a) {
		t.Error("(a+b)-b != a")
	}
	if !suite.Scalar().Add(a, suite.Scalar().Neg(a)).Equal(suite.Scalar().Zero()) {
		t.Error("a + (-a) != 0")
	}
	if !suite.Scalar().Mul(suite.Scalar().Div(a, b), b).Equal(a) {
		t.Error("(a/b)·b != a")
	}
	if !suite.Scalar().Mul(a, suite.Scalar().Inv(a)).Equal(suite.Scalar().One()) {
		t.Error("a·a⁻¹ != 1")
	}
	zero := suite.Scalar().Zero()
	if !suite.Scalar().Inv(zero).Equal(zero) || !suite.Scalar().Div(a, zero).Equal(zero) {
		t.Error("Inv(0) or a/0 is not 0")
	}
	if !suite.Scalar().SetInt64(-3).Equal(suite.Scalar().Neg(suite.Scalar().SetInt64(3))) {
		t.Error("SetInt64(-3) != -3")
	}
	if !oursScalar(t, suite.Scalar().SetInt64(-3)).Equal(group.ScalarFromInt64(-3)) {
		t.Error("SetInt64 disagrees with ScalarFromInt64")
	}
	if !suite.Scalar().Equal(zero) {
		t.Error("Suite.Scalar() is not 0")
	}
	c := a.Clone()
	c.Add(c, b)
	if c.Equal(a) {
		t.Error("Clone shares storage")
	}
	s := suite.Scalar().Set(a)
	s.Add(s, b)
	if s.Equal(a) || !suite.Scalar().Set(a).Equal(a) {
		t.Error("Set shares storage or does not copy")
	}
	var buf bytes.Buffer
	if _, err := a.MarshalTo(&buf); err != nil {
		t.Fatal(err)
	}
	back := suite.Scalar()
	if n, err := back.UnmarshalFrom(&buf); err != nil || n != 32 || !back.Equal(a) {
		t.Errorf("UnmarshalFrom = %d, %v", n, err)
	}
	if a.MarshalSize() != 32 || a.String() != oursScalar(t, a).String() {
		t.Error("MarshalSize or String wrong")
	}
}

// TestKyberScalarSetBytes checks kyber's lenient SetBytes against math/big:
// little-endian, any length, reduced modulo ℓ.
func TestKyberScalarSetBytes(t *testing.T) {
	l, _ := new(big.Int).SetString("7237005577332262213973186563042994240857116359379907606001950938285454250989", 10)
	for _, n := range []int{0, 1, 31, 32, 33, 63, 64, 65, 100, 200} {
		for _, fill := range []string{"ff", "seq", "ℓ"} {
			b := make([]byte, n)
			for i := range b {
				switch fill {
				case "ff":
					b[i] = 0xff
				case "seq":
					b[i] = byte(7*i + 1)
				}
			}
			if fill == "ℓ" {
				if n < 32 {
					continue
				}
				l.FillBytes(b[n-32:]) // big-endian ℓ at the front of the LE value...
				reverse(b[n-32:])     // ...made little-endian: the value is ℓ exactly
				copy(b, b[n-32:])
				clear(b[32:])
			}
			be := bytes.Clone(b)
			reverse(be)
			want := new(big.Int).Mod(new(big.Int).SetBytes(be), l)
			wantLE := make([]byte, 32)
			want.FillBytes(wantLE)
			reverse(wantLE)
			got, _ := suite.Scalar().SetBytes(b).MarshalBinary()
			if !bytes.Equal(got, wantLE) {
				t.Errorf("SetBytes(%d bytes, %s) = %x, want %x", n, fill, got, wantLE)
			}
		}
	}
}

func reverse(b []byte) {
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
}

func TestKyberEmbed(t *testing.T) {
	rand := suite.RandomStream()
	if got := suite.Point().EmbedLen(); got != 29 {
		t.Fatalf("EmbedLen = %d, want 29", got)
	}
	msg := []byte("evote: thirty bytes of message, more than fits")
	for n := 0; n <= len(msg); n++ {
		p := suite.Point().Embed(msg[:n], rand)
		enc, _ := p.MarshalBinary()
		if _, err := group.DecodePointOrIdentity(enc); err != nil {
			t.Fatalf("Embed(%d bytes) gives an undecodable point: %v", n, err)
		}
		got, err := p.Data()
		want := msg[:min(n, 29)]
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("Embed(%d bytes).Data() = %q, %v; want %q", n, got, err, want)
		}
	}
	// The generator's first byte 0xe2 claims 113 bytes.
	if d, err := suite.Point().Base().Data(); err == nil {
		t.Errorf("Base().Data() = %x, want an error", d)
	}
}

// zeroStream is a broken random stream that leaves its input as it is.
type zeroStream struct{}

func (zeroStream) XORKeyStream(dst, src []byte) { copy(dst, src) }

func TestKyberEmbedBrokenStreamPanics(t *testing.T) {
	// With a constant stream the one candidate for this data does not
	// decode; Embed must give up, not loop for ever.
	var data []byte
	for c := range 256 {
		var cand [32]byte
		cand[0], cand[1] = 2, byte(c) // length 1, then the data byte
		if _, err := group.DecodePointOrIdentity(cand[:]); err != nil {
			data = []byte{byte(c)}
			break
		}
	}
	if data == nil {
		t.Fatal("every one-byte candidate decodes")
	}
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "not random") {
			t.Errorf("recover() = %v, want the broken-stream panic", r)
		}
	}()
	suite.Point().Embed(data, zeroStream{})
}

func TestKyberConverters(t *testing.T) {
	s := group.MustRandomScalar()
	ks := group.KyberScalar(s)
	ks.Add(ks, suite.Scalar().One())
	if back := oursScalar(t, ks); back.Equal(s) || !back.Equal(new(group.Scalar).Add(s, group.ScalarFromUint64(1))) {
		t.Error("KyberScalar does not copy, or FromKyberScalar lost the value")
	}
	p := mul(s)
	kp := group.KyberPoint(p)
	kp.Add(kp, suite.Point().Base())
	if back := ours(t, kp); back.Equal(p) || !back.Equal(new(group.Point).Add(p, group.Generator())) {
		t.Error("KyberPoint does not copy, or FromKyberPoint lost the value")
	}
	back := ours(t, kp)
	back.Add(back, back)
	if ours(t, kp).Equal(back) {
		t.Error("FromKyberPoint does not copy")
	}

	ed := edwards25519.NewBlakeSHA256Ed25519()
	for name, k := range map[string]kyber.Point{"edwards25519": ed.Point().Base(), "nil": nil} {
		if _, err := group.FromKyberPoint(k); err == nil {
			t.Errorf("FromKyberPoint(%s) accepted", name)
		}
	}
	for name, k := range map[string]kyber.Scalar{"edwards25519": ed.Scalar().One(), "nil": nil} {
		if _, err := group.FromKyberScalar(k); err == nil {
			t.Errorf("FromKyberScalar(%s) accepted", name)
		}
	}
}

func TestKyberForeignTypePanics(t *testing.T) {
	ed := edwards25519.NewBlakeSHA256Ed25519()
	for name, f := range map[string]func(){
		"Point.Add":  func() { suite.Point().Add(suite.Point(), ed.Point()) },
		"Point.Mul":  func() { suite.Point().Mul(ed.Scalar(), nil) },
		"Scalar.Mul": func() { suite.Scalar().Mul(suite.Scalar(), ed.Scalar()) },
		"Equal":      func() { suite.Point().Equal(ed.Point()) },
	} {
		func() {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "not from group.Suite") {
					t.Errorf("%s with an edwards25519 value: recover() = %v", name, r)
				}
			}()
			f()
		}()
	}
}

func TestKyberSuite(t *testing.T) {
	if suite.String() != "ristretto255" || suite.PointLen() != 32 || suite.ScalarLen() != 32 {
		t.Error("suite name or lengths wrong")
	}
	h := suite.Hash()
	h.Write([]byte("abc"))
	if want := sha512.Sum512([]byte("abc")); !bytes.Equal(h.Sum(nil), want[:]) {
		t.Error("Hash is not SHA-512")
	}
	var x1, x2 [32]byte
	suite.XOF([]byte("k")).XORKeyStream(x1[:], x1[:])
	blake2xb.New([]byte("k")).XORKeyStream(x2[:], x2[:])
	if x1 != x2 {
		t.Error("XOF is not kyber's BLAKE2Xb")
	}
	var r1, r2 [32]byte
	suite.RandomStream().XORKeyStream(r1[:], r1[:])
	suite.RandomStream().XORKeyStream(r2[:], r2[:])
	if r1 == r2 {
		t.Error("RandomStream repeats")
	}

	// Write then Read a structure like the shuffle's messages.
	type msg struct {
		P []kyber.Point
		S kyber.Scalar
	}
	in := msg{P: []kyber.Point{suite.Point().Base(), suite.Point().Null()}, S: suite.Scalar().SetInt64(5)}
	var buf bytes.Buffer
	if err := suite.Write(&buf, &in); err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 3*32 {
		t.Fatalf("encoded %d bytes, want 96", buf.Len())
	}
	out := msg{P: make([]kyber.Point, 2)}
	if err := suite.Read(bytes.NewReader(buf.Bytes()), &out); err != nil {
		t.Fatal(err)
	}
	if !out.P[0].Equal(in.P[0]) || !out.P[1].Equal(in.P[1]) || !out.S.Equal(in.S) {
		t.Error("Read(Write(x)) != x")
	}
	bad := bytes.Clone(buf.Bytes())
	bad[95] = 0xff // the scalar becomes ≥ ℓ
	out = msg{P: make([]kyber.Point, 2)}
	if err := suite.Read(bytes.NewReader(bad), &out); !errors.Is(err, group.ErrScalarRange) {
		t.Errorf("Read with an out-of-range scalar: %v", err)
	}
	if suite.New(nil) != nil {
		t.Error("New(nil) is not nil")
	}
}

func benchmarkShuffle(b *testing.B, k int, verifyOnly bool) {
	rand := suite.RandomStream()
	H := suite.Point().Pick(rand)
	X, Y, _ := elgamalPairs(k, H, rand)
	Xbar, Ybar, prover := shuffle.Shuffle(suite, nil, H, X, Y, rand)
	prf, err := proof.HashProve(suite, "bench", prover)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if verifyOnly {
			if err := proof.HashVerify(suite, "bench", shuffle.Verifier(suite, nil, H, X, Y, Xbar, Ybar), prf); err != nil {
				b.Fatal(err)
			}
			continue
		}
		_, _, prover := shuffle.Shuffle(suite, nil, H, X, Y, rand)
		if _, err := proof.HashProve(suite, "bench", prover); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkKyberShuffleProve64(b *testing.B)  { benchmarkShuffle(b, 64, false) }
func BenchmarkKyberShuffleVerify64(b *testing.B) { benchmarkShuffle(b, 64, true) }

func BenchmarkKyberPointMul(b *testing.B) {
	rand := suite.RandomStream()
	s, P := suite.Scalar().Pick(rand), suite.Point().Pick(rand)
	Q := suite.Point()
	for b.Loop() {
		Q.Mul(s, P)
	}
}
