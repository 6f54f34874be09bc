package threshold

import (
	"bytes"
	"crypto/sha3"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

var update = flag.Bool("update", false, "rewrite the vectors in testdata/")

// ceremonyVector is a whole honest ceremony and one decryption, generated
// from Seed: every random value is read, in the order of the steps in
// vectorSteps, from SHAKE256(Seed).
type ceremonyVector struct {
	Description string `json:"description"`
	Seed        string `json:"seed"`
	Election    string `json:"election"`
	N           int    `json:"n"`
	T           int    `json:"t"`
	Dealers     []struct {
		Dealer      int      `json:"dealer"`
		Commitments string   `json:"commitments"`
		Shares      []string `json:"shares"` // f_i(j) for j = 1..n
	} `json:"dealers"`
	QUAL             []int    `json:"qual"`
	Key              string   `json:"key"`
	VerificationKeys []string `json:"verification_keys"` // V_j for j = 1..n
	Secrets          []string `json:"secrets"`           // s_j for j = 1..n
	Message          uint64   `json:"message"`
	Ciphertext       string   `json:"ciphertext"`
	Partials         []string `json:"partials"` // trustee j's, for j = 1..n
	Plaintext        string   `json:"plaintext"`
}

const vectorSteps = "For each dealer i = 1..n: NewDealing (t coefficients of 64 bytes each, " +
	"reduced mod ℓ, then t Schnorr nonces of 64 bytes). Qualify with no complaints. " +
	"ElGamal randomness r (64 bytes) for Message under the joint key. " +
	"For each trustee j = 1..n: PartialDecrypt (one 64-byte nonce). Combine the first t."

// failVector is one corrupted input and the error it must give.
type failVector struct {
	Description string `json:"description"`
	N           int    `json:"n"`
	T           int    `json:"t"`
	Election    string `json:"election"`
	// Commitments cases: dealer's encoded commitments.
	Dealer      int    `json:"dealer,omitempty"`
	Commitments string `json:"commitments,omitempty"`
	// Reveal cases: the share revealed by Dealer for Accuser.
	Accuser int    `json:"accuser,omitempty"`
	Share   string `json:"share,omitempty"`
	// Partial decryption cases: trustee's partial of the ciphertext.
	Trustee         int    `json:"trustee,omitempty"`
	VerificationKey string `json:"verification_key,omitempty"`
	Ciphertext      string `json:"ciphertext,omitempty"`
	Partial         string `json:"partial,omitempty"`
	Error           string `json:"error"`
}

var vectorErrors = map[string]error{
	"ErrCommitmentCount":    ErrCommitmentCount,
	"ErrEncoding":           ErrEncoding,
	"ErrShareMismatch":      ErrShareMismatch,
	"ErrSelf":               ErrSelf,
	"group.ErrIdentity":     group.ErrIdentity,
	"group.ErrNonCanonical": group.ErrNonCanonical,
	"group.ErrScalarRange":  group.ErrScalarRange,
	"proof.ErrEquation":     proof.ErrEquation,
}

func katRand(seed string) io.Reader {
	h := sha3.NewSHAKE256()
	h.Write([]byte(seed))
	return h
}

func generateCeremonyVector(t *testing.T, params Params, seed string, message uint64) *ceremonyVector {
	t.Helper()
	rand := katRand(seed)
	election := sha3.Sum256([]byte(seed))
	ctx := proof.Context{Election: election[:]}
	v := &ceremonyVector{
		Description: fmt.Sprintf("Honest %d-of-%d ceremony and decryption. %s", params.T, params.N, vectorSteps),
		Seed:        seed, Election: hex.EncodeToString(election[:]), N: params.N, T: params.T, Message: message,
	}
	polys := make(map[int]*Polynomial)
	commitments := make(map[int]*Commitments)
	for i := 1; i <= params.N; i++ {
		f, c, err := NewDealing(params, i, ctx, rand)
		if err != nil {
			t.Fatal(err)
		}
		polys[i], commitments[i] = f, c
		v.Dealers = append(v.Dealers, struct {
			Dealer      int      `json:"dealer"`
			Commitments string   `json:"commitments"`
			Shares      []string `json:"shares"`
		}{Dealer: i, Commitments: hex.EncodeToString(c.Bytes())})
		for j := 1; j <= params.N; j++ {
			s, _ := f.Share(j)
			v.Dealers[i-1].Shares = append(v.Dealers[i-1].Shares, s.String())
		}
	}
	res, err := Qualify(params, commitments, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	v.QUAL, v.Key = res.QUAL, res.Key.String()
	r, err := group.RandomScalar(rand)
	if err != nil {
		t.Fatal(err)
	}
	ct := elgamal.Encrypt(res.Key, group.ScalarFromUint64(message), r)
	v.Ciphertext = hex.EncodeToString(ct.Bytes())
	var shares []DecryptionShare
	for j := 1; j <= params.N; j++ {
		received := make(map[int]*group.Scalar)
		for i := 1; i <= params.N; i++ {
			received[i], _ = polys[i].Share(j)
		}
		s, err := CombineShares(res, j, received)
		if err != nil {
			t.Fatal(err)
		}
		V := res.VerificationKeys[j-1]
		pd, err := PartialDecrypt(ctx, j, s, V, ct.A, rand)
		if err != nil {
			t.Fatal(err)
		}
		v.VerificationKeys = append(v.VerificationKeys, V.String())
		v.Secrets = append(v.Secrets, s.String())
		v.Partials = append(v.Partials, hex.EncodeToString(pd.Bytes()))
		shares = append(shares, DecryptionShare{Trustee: j, D: pd.D})
	}
	M, err := Combine(params, ct.B, shares)
	if err != nil {
		t.Fatal(err)
	}
	v.Plaintext = M.String()
	return v
}

// generateFailVectors corrupts the good 2-of-3 vector in every way a check
// must catch.
func generateFailVectors(t *testing.T, good *ceremonyVector) map[string]*failVector {
	t.Helper()
	com := mustHex(t, good.Dealers[0].Commitments)
	com2 := mustHex(t, good.Dealers[1].Commitments)
	base := func(desc, errName string) *failVector {
		return &failVector{Description: desc, N: good.N, T: good.T, Election: good.Election, Error: errName}
	}
	commitments := func(desc, errName string, dealer int, b []byte) *failVector {
		v := base(desc, errName)
		v.Dealer, v.Commitments = dealer, hex.EncodeToString(b)
		return v
	}
	one := make([]byte, 32)
	one[0] = 1
	z0 := 2 + group.PointSize + group.PointSize // z of coefficient 0
	out := map[string]*failVector{
		"fail_commitments_count_too_few.json": commitments("count t−1 with t−1 coefficients", "ErrCommitmentCount", 1,
			append([]byte{0, byte(good.T - 1)}, com[2:2+(good.T-1)*commitmentSize]...)),
		"fail_commitments_count_too_many.json": commitments("count t+1: dealer 2's last coefficient appended", "ErrCommitmentCount", 1,
			append(append([]byte{0, byte(good.T + 1)}, com[2:]...), com2[len(com2)-commitmentSize:]...)),
		"fail_commitments_trailing_byte.json": commitments("one byte after the last coefficient", "ErrEncoding", 1, append(slices.Clone(com), 0)),
		"fail_commitments_truncated.json":     commitments("last byte missing", "ErrEncoding", 1, com[:len(com)-1]),
		"fail_commitments_identity.json":      commitments("C_0 is the identity", "group.ErrIdentity", 1, patch(com, 2, make([]byte, 32))),
		"fail_commitments_noncanonical.json":  commitments("C_1 is not a canonical encoding", "group.ErrNonCanonical", 1, patch(com, 2+commitmentSize, allFF(32))),
		"fail_commitments_unreduced_z.json":   commitments("z of coefficient 0 is not below ℓ", "group.ErrScalarRange", 1, patch(com, z0, allFF(32))),
		"fail_commitments_bad_pok.json": commitments("z of coefficient 0 plus one", "proof.ErrEquation", 1,
			patch(com, z0, mustHex(t, plusOne(mustScalar(t, com[z0:z0+32])).String()))),
		"fail_commitments_swapped.json": commitments("coefficients 0 and 1 swapped (proofs are bound to k)", "proof.ErrEquation", 1,
			append(append(slices.Clone(com[:2]), com[2+commitmentSize:2+2*commitmentSize]...), com[2:2+commitmentSize]...)),
		"fail_commitments_other_dealer.json": commitments("dealer 2's commitments posted as dealer 1's", "proof.ErrEquation", 1, com2),
	}
	shareOf := func(dealer, accuser int) *group.Scalar {
		return mustScalar(t, mustHex(t, good.Dealers[dealer-1].Shares[accuser-1]))
	}
	reveal := func(desc, errName string, dealer, accuser int, s *group.Scalar) *failVector {
		v := commitments(desc, errName, dealer, mustHex(t, good.Dealers[dealer-1].Commitments))
		v.Accuser, v.Share = accuser, s.String()
		return v
	}
	out["fail_reveal_wrong_share.json"] = reveal("f_1(2) + 1", "ErrShareMismatch", 1, 2, plusOne(shareOf(1, 2)))
	out["fail_reveal_other_accuser.json"] = reveal("f_1(3) revealed for trustee 2", "ErrShareMismatch", 1, 2, shareOf(1, 3))
	out["fail_reveal_self.json"] = reveal("dealer 1 reveals its own share", "ErrSelf", 1, 1, shareOf(1, 1))

	pd := mustHex(t, good.Partials[0])
	partial := func(desc, errName string, trustee int, b []byte) *failVector {
		v := base(desc, errName)
		v.Trustee, v.VerificationKey, v.Ciphertext, v.Partial = trustee, good.VerificationKeys[trustee-1], good.Ciphertext, hex.EncodeToString(b)
		return v
	}
	out["fail_partial_tampered_z.json"] = partial("z plus one", "proof.ErrEquation", 1,
		patch(pd, 96, mustHex(t, plusOne(mustScalar(t, pd[96:])).String())))
	out["fail_partial_tampered_d.json"] = partial("D replaced by trustee 2's D", "proof.ErrEquation", 1, patch(pd, 0, mustHex(t, good.Partials[1])[:32]))
	out["fail_partial_other_trustee.json"] = partial("trustee 2's partial as trustee 1's", "proof.ErrEquation", 1, mustHex(t, good.Partials[1]))
	out["fail_partial_identity_d.json"] = partial("D is the identity", "group.ErrIdentity", 1, patch(pd, 0, make([]byte, 32)))
	out["fail_partial_noncanonical_r1.json"] = partial("R1 not canonical", "group.ErrNonCanonical", 1, patch(pd, 32, allFF(32)))
	out["fail_partial_unreduced_z.json"] = partial("z not below ℓ", "group.ErrScalarRange", 1, patch(pd, 96, allFF(32)))
	out["fail_partial_truncated.json"] = partial("last byte missing", "ErrEncoding", 1, pd[:len(pd)-1])
	out["fail_partial_trailing_byte.json"] = partial("one extra byte", "ErrEncoding", 1, append(slices.Clone(pd), 0))
	return out
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustScalar(t *testing.T, b []byte) *group.Scalar {
	t.Helper()
	s, err := group.DecodeScalar(b)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustDecodePoint(t *testing.T, s string) *group.Point {
	t.Helper()
	p, err := group.DecodePoint(mustHex(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestVectors regenerates every vector from its seed and compares it with
// the file (or rewrites the file with -update), then checks each file's
// contents with the package's own verification functions.
func TestVectors(t *testing.T) {
	goods := map[string]*ceremonyVector{
		"good_ceremony_2of3.json": generateCeremonyVector(t, Params{N: 3, T: 2}, "evote/threshold/kat/2of3", 7),
		"good_ceremony_3of5.json": generateCeremonyVector(t, Params{N: 5, T: 3}, "evote/threshold/kat/3of5", 12),
	}
	files := make(map[string]any)
	for name, v := range goods {
		files[name] = v
	}
	for name, v := range generateFailVectors(t, goods["good_ceremony_2of3.json"]) {
		files[name] = v
	}
	for name, v := range files {
		want, err := json.MarshalIndent(v, "", "\t")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		path := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -run TestVectors -update to create it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what its seed generates now: the protocol changed, or the file was edited", name)
		}
	}
	onDisk, _ := filepath.Glob("testdata/*_*.json")
	for _, path := range onDisk {
		if _, ok := files[filepath.Base(path)]; !ok {
			t.Errorf("%s is not generated any more: delete it", path)
		}
	}
	for _, path := range onDisk {
		name := filepath.Base(path)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(name, func(t *testing.T) {
			if name[:5] == "good_" {
				var v ceremonyVector
				if err := json.Unmarshal(b, &v); err != nil {
					t.Fatal(err)
				}
				checkCeremonyVector(t, &v)
				return
			}
			var v failVector
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatal(err)
			}
			checkFailVector(t, &v)
		})
	}
}

// checkCeremonyVector verifies a good vector from its public data and
// shares, as an independent implementation would.
func checkCeremonyVector(t *testing.T, v *ceremonyVector) {
	params := Params{N: v.N, T: v.T}
	ctx := proof.Context{Election: mustHex(t, v.Election)}
	commitments := make(map[int]*Commitments)
	for _, d := range v.Dealers {
		c, err := DecodeCommitments(params, mustHex(t, d.Commitments))
		if err != nil {
			t.Fatal(err)
		}
		if err := VerifyCommitments(params, d.Dealer, ctx, c); err != nil {
			t.Fatal(err)
		}
		commitments[d.Dealer] = c
		for j, s := range d.Shares {
			if err := VerifyShare(params, d.Dealer, j+1, mustScalar(t, mustHex(t, s)), c); err != nil {
				t.Fatal(err)
			}
		}
	}
	res, err := Qualify(params, commitments, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(res.QUAL) != fmt.Sprint(v.QUAL) || res.Key.String() != v.Key {
		t.Fatalf("QUAL %v key %s, file says %v %s", res.QUAL, res.Key, v.QUAL, v.Key)
	}
	ct, err := elgamal.Decode(mustHex(t, v.Ciphertext))
	if err != nil {
		t.Fatal(err)
	}
	var cands []Candidate
	for j := 1; j <= v.N; j++ {
		V := mustDecodePoint(t, v.VerificationKeys[j-1])
		if !res.VerificationKeys[j-1].Equal(V) {
			t.Errorf("V_%d differs", j)
		}
		if !mustPoint(t, mustScalar(t, mustHex(t, v.Secrets[j-1]))).Equal(V) {
			t.Errorf("s_%d·G ≠ V_%d", j, j)
		}
		pd, err := DecodePartialDecryption(mustHex(t, v.Partials[j-1]))
		if err != nil {
			t.Fatal(err)
		}
		cands = append(cands, Candidate{Trustee: j, Partial: pd})
	}
	d, err := Decrypt(ctx, res, ct, cands)
	if err != nil {
		t.Fatal(err)
	}
	if d.M.String() != v.Plaintext || !d.M.Equal(mustPoint(t, group.ScalarFromUint64(v.Message))) {
		t.Errorf("plaintext is not %d·G as the file says", v.Message)
	}
}

// checkFailVector checks that a fail vector is rejected with its error, at
// decoding or at verification.
func checkFailVector(t *testing.T, v *failVector) {
	want, ok := vectorErrors[v.Error]
	if !ok {
		t.Fatalf("unknown error name %q", v.Error)
	}
	params := Params{N: v.N, T: v.T}
	ctx := proof.Context{Election: mustHex(t, v.Election)}
	var err error
	switch {
	case v.Partial != "":
		err = checkFailPartial(t, ctx, v)
	case v.Share != "":
		c, derr := DecodeCommitments(params, mustHex(t, v.Commitments))
		if derr != nil {
			t.Fatal(derr)
		}
		err = CheckReveal(params, v.Dealer, v.Accuser, mustScalar(t, mustHex(t, v.Share)), c)
	default:
		var c *Commitments
		c, err = DecodeCommitments(params, mustHex(t, v.Commitments))
		if err == nil {
			err = VerifyCommitments(params, v.Dealer, ctx, c)
		}
	}
	if !errors.Is(err, want) {
		t.Errorf("%s: err = %v, want %s", v.Description, err, v.Error)
	}
}

func checkFailPartial(t *testing.T, ctx proof.Context, v *failVector) error {
	ct, err := elgamal.Decode(mustHex(t, v.Ciphertext))
	if err != nil {
		t.Fatal(err)
	}
	pd, err := DecodePartialDecryption(mustHex(t, v.Partial))
	if err != nil {
		return err
	}
	return VerifyPartial(ctx, v.Trustee, mustDecodePoint(t, v.VerificationKey), ct.A, pd)
}
