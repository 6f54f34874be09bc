package synth

import (
	"crypto/ed25519"
	"encoding/binary"
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/transcript"
	"github.com/evote/evote/election"
)

// template is one honestly made ballot of the synthetic election's single
// contest (manifest position 0, style 0), with what rebind needs to give
// its proofs to another credential.
type template struct {
	selections []uint64
	payload    []byte                  // the ballot payload, counter 0
	opening    *election.BallotOpening // for spoiled ballots
	options    []disjunct              // one per option: its zero-or-one proof
	sum        disjunct                // the range proof on the options' sum
	cts        []*elgamal.Ciphertext   // the options' ciphertexts
}

// disjunct is one disjunctive proof of a template: everything of its
// transcript that does not depend on the credential, the challenges of the
// simulated branches, and the real branch's nonce and randomness.
type disjunct struct {
	domain   string
	option   int    // the option binding; −1 for the range proof
	A, B     []byte // the statement's ciphertext, encoded
	min, max uint64
	ab       [][2][]byte // every branch's commitments a_j, b_j, encoded
	fakeSum  *group.Scalar
	real     int           // the real branch
	u, r     *group.Scalar // its nonce, and the ciphertext's randomness
	at       int           // offset of the real branch's c in the payload
}

// layout offsets of one contest (docs/SPEC.md §4): per option A ‖ B ‖ a
// two-branch proof, then the range proof.
const (
	ballotHeader = 4 + 2
	branchSize   = proof.BranchSize
	optionSize   = elgamal.CiphertextSize + 2*branchSize
)

// newTemplate encrypts selections for a template credential and records
// what rebind needs. K is the joint key; m has one contest.
func newTemplate(m *election.Manifest, id election.ID, K *group.Point, selections []uint64, rand *stream) (*template, error) {
	cred := ed25519.NewKeyFromSeed(make([]byte, 32))
	e, op, err := election.NewBallot(m, id, elgamal.NewPublicKey(K), cred, 0, 0, [][]uint64{selections}, rand)
	if err != nil {
		return nil, err
	}
	l, err := election.NewBallotLayout(m)
	if err != nil {
		return nil, err
	}
	b, err := election.DecodeBallot(l, e.Payload)
	if err != nil {
		return nil, err
	}
	c := b.Contests[0]
	rs := op.Contests[0].Randomness
	t := &template{selections: selections, payload: e.Payload, opening: op}
	R := group.NewScalar()
	var total uint64
	for o, opt := range c.Options {
		t.cts = append(t.cts, opt.Ciphertext)
		d, err := newDisjunct(proof.DomainZeroOrOne, o, opt.Ciphertext, 0, 1, selections[o], opt.Proof, rs[o],
			ballotHeader+o*optionSize+elgamal.CiphertextSize)
		if err != nil {
			return nil, err
		}
		t.options = append(t.options, d)
		R.Add(R, rs[o])
		total += selections[o]
	}
	spec := m.ContestSpec(0)
	lo, hi := uint64(spec.Min), uint64(spec.Max)
	if t.sum, err = newDisjunct(proof.DomainRange, -1, elgamal.Sum(t.cts), lo, hi, total, c.Range, R,
		ballotHeader+len(c.Options)*optionSize); err != nil {
		return nil, err
	}
	return t, nil
}

// newDisjunct takes apart an honest proof p of value v for ct = Enc(v; r):
// the real branch's nonce is u = z − c·r.
func newDisjunct(domain string, option int, ct *elgamal.Ciphertext, lo, hi, v uint64, p *proof.Disjunctive, r *group.Scalar, proofAt int) (disjunct, error) {
	if v < lo || v > hi || len(p.Branches) != int(hi-lo+1) {
		return disjunct{}, fmt.Errorf("synth: template proof does not fit its statement")
	}
	d := disjunct{domain: domain, option: option, A: ct.A.Bytes(), B: ct.B.Bytes(), min: lo, max: hi,
		fakeSum: group.NewScalar(), real: int(v - lo), r: r}
	for j, br := range p.Branches {
		d.ab = append(d.ab, [2][]byte{br.A.Bytes(), br.B.Bytes()})
		if j != d.real {
			d.fakeSum.Add(d.fakeSum, br.C)
		}
	}
	br := p.Branches[d.real]
	cr := new(group.Scalar).Multiply(br.C, r)
	d.u = new(group.Scalar).Subtract(br.Z, cr)
	d.at = proofAt + d.real*branchSize + 2*group.PointSize
	return d, nil
}

// rebind writes into payload the real branch's challenge and response of d
// for credential cred: the transcript of docs/SPEC.md §2–3 with the
// bindings credential, contest 0 and (for an option) the option.
func (d *disjunct) rebind(payload []byte, id election.ID, K []byte, cred ed25519.PublicKey) {
	t := transcript.New(d.domain, id[:])
	t.AppendBytes("credential", cred)
	t.AppendBytes("contest", binary.BigEndian.AppendUint64(nil, 0))
	if d.option >= 0 {
		t.AppendBytes("option", binary.BigEndian.AppendUint64(nil, uint64(d.option)))
	}
	t.AppendBytes("K", K)
	t.AppendBytes("A", d.A)
	t.AppendBytes("B", d.B)
	t.AppendUint64("min", d.min)
	t.AppendUint64("max", d.max)
	for _, ab := range d.ab {
		t.AppendBytes("a", ab[0])
		t.AppendBytes("b", ab[1])
	}
	c := t.Challenge()
	c.Subtract(c, d.fakeSum)
	z := new(group.Scalar).Multiply(c, d.r)
	z.Add(z, d.u)
	copy(payload[d.at:], c.Bytes())
	copy(payload[d.at+group.ScalarSize:], z.Bytes())
}

// ballot returns the signed ballot entry of the template for a credential.
func (t *template) ballot(id election.ID, K []byte, cred ed25519.PrivateKey, counter uint32) *election.Entry {
	payload := append([]byte(nil), t.payload...)
	binary.BigEndian.PutUint32(payload, counter)
	pub := cred.Public().(ed25519.PublicKey)
	for i := range t.options {
		t.options[i].rebind(payload, id, K, pub)
	}
	t.sum.rebind(payload, id, K, pub)
	e := &election.Entry{Version: election.ProtocolVersion, Type: election.TypeBallot, Election: id, Payload: payload}
	e.Sign(cred)
	return e
}
