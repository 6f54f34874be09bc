package threshold

import (
	"crypto/sha256"
	"crypto/sha3"
	"io"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// detRand returns a deterministic reader: SHAKE256 of a fixed label.
func detRand(label string) io.Reader {
	h := sha3.NewSHAKE256()
	h.Write([]byte("evote/threshold/test/" + label))
	return h
}

// testContext returns the election context of election name.
func testContext(name string) proof.Context {
	h := sha256.Sum256([]byte("evote threshold test election " + name))
	return proof.Context{Election: h[:]}
}

// misbehaviour scripts what dishonest dealers do; the zero value is an
// honest ceremony.
type misbehaviour struct {
	// badShare[p] makes dealer p.dealer send a share off by one to p.accuser.
	badShare map[pair]bool
	// garbled[p] makes dealer p.dealer send undecryptable bytes.
	garbled map[pair]bool
	// reveal decides what a dealer reveals for a complaint: nil for the
	// true share, noReveal to stay silent, or any other function of the true
	// share.
	reveal map[pair]func(*group.Scalar) *group.Scalar
}

var noReveal = func(*group.Scalar) *group.Scalar { return nil }

// ceremony is an in-memory key ceremony: every message goes through the
// real encodings, encryption and checks.
type ceremony struct {
	params      Params
	ctx         proof.Context
	keys        []*EncryptionKey // keys[j−1] is trustee j's
	polys       map[int]*Polynomial
	commitments map[int]*Commitments // as decoded from the wire and verified
	received    map[int]map[int]*group.Scalar
	complaints  []Complaint
	reveals     []Reveal
	result      *Result
	secrets     map[int]*group.Scalar // s_j of every trustee
}

// runCeremony runs the whole key ceremony with randomness from rand.
func runCeremony(t testing.TB, params Params, ctx proof.Context, rand io.Reader, mis misbehaviour) *ceremony {
	t.Helper()
	c := &ceremony{
		params: params, ctx: ctx,
		polys:       make(map[int]*Polynomial),
		commitments: make(map[int]*Commitments),
		received:    make(map[int]map[int]*group.Scalar),
		secrets:     make(map[int]*group.Scalar),
	}
	for j := 1; j <= params.N; j++ {
		k, err := GenerateEncryptionKey(rand)
		if err != nil {
			t.Fatal(err)
		}
		c.keys = append(c.keys, k)
		c.received[j] = make(map[int]*group.Scalar)
	}
	c.deal(t, rand)
	c.sendShares(t, mis)
	c.answerComplaints(t, mis)
	res, err := Qualify(params, c.commitments, c.complaints, c.reveals)
	if err != nil {
		t.Fatalf("qualify: %v", err)
	}
	c.result = res
	for j := 1; j <= params.N; j++ {
		s, err := CombineShares(res, j, c.received[j])
		if err != nil {
			t.Fatalf("combine shares of trustee %d: %v", j, err)
		}
		c.secrets[j] = s
	}
	return c
}

func (c *ceremony) deal(t testing.TB, rand io.Reader) {
	t.Helper()
	for i := 1; i <= c.params.N; i++ {
		f, com, err := NewDealing(c.params, i, c.ctx, rand)
		if err != nil {
			t.Fatal(err)
		}
		wire, err := DecodeCommitments(c.params, com.Bytes())
		if err != nil {
			t.Fatalf("dealer %d: decode own commitments: %v", i, err)
		}
		if err := VerifyCommitments(c.params, i, c.ctx, wire); err != nil {
			t.Fatalf("dealer %d: %v", i, err)
		}
		c.polys[i], c.commitments[i] = f, wire
		own, err := f.Share(i)
		if err != nil {
			t.Fatal(err)
		}
		c.received[i][i] = own
	}
}

// sendShares encrypts, decrypts and verifies every share, and records a
// complaint for each that fails.
func (c *ceremony) sendShares(t testing.TB, mis misbehaviour) {
	t.Helper()
	for i := 1; i <= c.params.N; i++ {
		for j := 1; j <= c.params.N; j++ {
			if i == j {
				continue
			}
			s, err := c.polys[i].Share(j)
			if err != nil {
				t.Fatal(err)
			}
			if mis.badShare[pair{i, j}] {
				s = new(group.Scalar).Add(s, group.ScalarFromUint64(1))
			}
			ct, err := EncryptShare(c.params, c.ctx, i, j, c.keys[j-1].Public(), s)
			if err != nil {
				t.Fatal(err)
			}
			if mis.garbled[pair{i, j}] {
				ct[len(ct)-1] ^= 1
			}
			got, err := DecryptShare(c.params, c.ctx, i, j, c.keys[j-1], ct)
			if err == nil {
				err = VerifyShare(c.params, i, j, got, c.commitments[i])
			}
			if err != nil {
				c.complaints = append(c.complaints, Complaint{Accuser: j, Dealer: i})
				continue
			}
			c.received[j][i] = got
		}
	}
}

func (c *ceremony) answerComplaints(t testing.TB, mis misbehaviour) {
	t.Helper()
	for _, cp := range c.complaints {
		s, err := c.polys[cp.Dealer].Share(cp.Accuser)
		if err != nil {
			t.Fatal(err)
		}
		if f := mis.reveal[pair{cp.Dealer, cp.Accuser}]; f != nil {
			s = f(s)
		}
		if s == nil {
			continue
		}
		c.reveals = append(c.reveals, Reveal{Dealer: cp.Dealer, Accuser: cp.Accuser, Share: s})
	}
}

// jointSecret returns Σ_{i∈QUAL} a_i0, which no real party ever knows.
func (c *ceremony) jointSecret() *group.Scalar {
	x := group.NewScalar()
	for _, i := range c.result.QUAL {
		x.Add(x, c.polys[i].coeffs[0])
	}
	return x
}

// subsets returns every subset of size k of 1..n, each sorted.
func subsets(n, k int) [][]int {
	var out [][]int
	var rec func(start int, cur []int)
	rec = func(start int, cur []int) {
		if len(cur) == k {
			out = append(out, append([]int(nil), cur...))
			return
		}
		for i := start; i <= n; i++ {
			rec(i+1, append(cur, i))
		}
	}
	rec(1, nil)
	return out
}

func mustPoint(t testing.TB, s *group.Scalar) *group.Point {
	t.Helper()
	return new(group.Point).ScalarBaseMult(s)
}
