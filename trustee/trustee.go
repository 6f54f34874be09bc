package trustee

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
	"github.com/evote/evote/tally"
)

// Trustee is one trustee of one election: its keys, its state file, and
// what it learnt from the record so far (the shares it received, checked).
type Trustee struct {
	m     *election.Manifest
	id    election.ID
	index int
	sign  ed25519.PrivateKey
	enc   *threshold.EncryptionKey
	store *Store

	poly     *threshold.Polynomial
	received map[int]*group.Scalar // dealer → share that decrypted and verified
	bad      map[int]error         // dealer → why its share failed
}

// New returns the trustee whose keys are sign and enc, in the election id
// with manifest m, keeping its state in store. It checks that the keys are a
// trustee's of the manifest and that the state belongs to that trustee and
// election.
func New(m *election.Manifest, id election.ID, sign ed25519.PrivateKey, enc *threshold.EncryptionKey, store *Store) (*Trustee, error) {
	index, err := Index(m, sign)
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(m.Trustees.Members[index-1].EncryptionKey, enc.Public().Bytes()) {
		return nil, fmt.Errorf("the encryption key is not trustee %d's (%s) in the manifest", index, m.Trustees.Members[index-1].Name)
	}
	if st := store.State; st.Election != id || st.Trustee != index {
		return nil, fmt.Errorf("%s holds the state of trustee %d of election %s, not of trustee %d of election %s", store.Path(), st.Trustee, st.Election, index, id)
	}
	return &Trustee{m: m, id: id, index: index, sign: sign, enc: enc, store: store,
		received: make(map[int]*group.Scalar), bad: make(map[int]error)}, nil
}

// Index returns the 1-based index of the trustee whose signing key is sign.
func Index(m *election.Manifest, sign ed25519.PrivateKey) (int, error) {
	pub := sign.Public().(ed25519.PublicKey)
	for i, t := range m.Trustees.Members {
		if pub.Equal(t.SigningKey) {
			return i + 1, nil
		}
	}
	return 0, fmt.Errorf("signing key %x is none of the election's trustees", []byte(pub))
}

// Index returns the trustee's index.
func (t *Trustee) Index() int { return t.index }

// Store returns the trustee's state file.
func (t *Trustee) Store() *Store { return t.store }

// Plan is what a Step found: the entries to post now, and where the
// trustee stands.
type Plan struct {
	Post   []*election.Entry
	Status string
	// Done: the trustee has nothing more to do in this election.
	Done bool
}

// ErrNoShare is wrapped when the trustee cannot compute its share of the
// election key, and so cannot decrypt: a qualified dealer's share to it was
// bad and no reveal replaced it.
var ErrNoShare = errors.New("no valid share of the election key")

// Step looks at the record and returns what the trustee should post now,
// saving to the state file first anything it posts for the first time.
// Posting the same plan twice is harmless: the entries are the same bytes,
// and the board answers a duplicate as already held.
//
//   - setup: its dealing, if not on the record; a complaint against each
//     dealer whose share to it does not decrypt or does not match the
//     dealer's commitments; a reveal for each complaint against it.
//   - from the open entry on: its share of the election key, computed once
//     and kept in the state file.
//   - decryption: its partial decryption of the record's aggregates, which
//     exist only once a seal quorum agrees on the ballot set the record
//     holds, so the trustee only ever decrypts the sums of the sealed set.
func (t *Trustee) Step(r *tally.Replica) (*Plan, error) {
	if r.ID() != t.id {
		return nil, fmt.Errorf("the record is of election %s, the trustee's of %s", r.ID(), t.id)
	}
	switch p := r.Phase(); p {
	case election.PhaseSetup:
		return t.ceremony(r)
	case election.PhaseVoting, election.PhaseClosed:
		if err := t.ensureShare(r); err != nil {
			return nil, err
		}
		return &Plan{Status: fmt.Sprintf("%v: holding a share of the election key, waiting for the seal quorum", p)}, nil
	case election.PhaseDecryption:
		return t.decrypt(r)
	default:
		return &Plan{Status: "the result is on the record", Done: true}, nil
	}
}

// polynomial returns the trustee's secret polynomial and its dealing entry,
// making and saving the dealing the first time.
func (t *Trustee) polynomial() (*threshold.Polynomial, []byte, error) {
	st := t.store.State
	e, f, err := st.MakeDealing(t.m, t.sign)
	if err != nil {
		return nil, nil, err
	}
	t.poly = f
	if st.Dealing == nil {
		st.Dealing = e.Bytes()
		if err := t.store.Save(); err != nil {
			st.Dealing = nil
			return nil, nil, err
		}
	}
	return f, st.Dealing, nil
}

// ceremony is Step in the setup phase.
func (t *Trustee) ceremony(r *tally.Replica) (*Plan, error) {
	plan := &Plan{}
	f, dealing, err := t.polynomial()
	if err != nil {
		return nil, err
	}
	e, err := election.DecodeEntry(dealing)
	if err != nil {
		return nil, fmt.Errorf("the dealing in %s: %w", t.store.Path(), err)
	}
	if posted := r.Dealing(t.index); posted == nil {
		plan.Post = append(plan.Post, e)
	} else if mine, err := election.DecodeDealing(r.Params(), e.Payload); err != nil || !bytes.Equal(mine.Commitments.Bytes(), posted.Commitments.Bytes()) {
		// Reveals from this state would not match the commitments on the
		// record and would disqualify the trustee: better to stop here.
		return nil, fmt.Errorf("trustee %d's dealing on the record was not made from %s", t.index, t.store.Path())
	}
	complaints, err := t.complaints(r)
	if err != nil {
		return nil, err
	}
	plan.Post = append(plan.Post, complaints...)
	reveals, err := t.reveals(r, f)
	if err != nil {
		return nil, err
	}
	plan.Post = append(plan.Post, reveals...)
	plan.Status = fmt.Sprintf("setup: %d of %d dealings on the record, %d complaints unanswered", r.Dealers(), r.Params().N, len(r.Unanswered()))
	return plan, nil
}

// complaints checks the shares of dealers it has not checked yet and returns
// a complaint against each whose share fails, unless the record holds it
// already.
func (t *Trustee) complaints(r *tally.Replica) ([]*election.Entry, error) {
	t.checkShares(r)
	complained := make(map[int]bool)
	for _, c := range r.Complaints() {
		if c.Accuser == t.index {
			complained[c.Dealer] = true
		}
	}
	var out []*election.Entry
	for dealer := 1; dealer <= r.Params().N; dealer++ {
		if t.bad[dealer] == nil || complained[dealer] {
			continue
		}
		e, err := election.NewComplaint(t.m, t.id, t.sign, dealer)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// checkShares opens and checks (check 10) the share of every other dealer on
// the record that it has not checked yet.
func (t *Trustee) checkShares(r *tally.Replica) {
	for dealer := 1; dealer <= r.Params().N; dealer++ {
		d := r.Dealing(dealer)
		if dealer == t.index || d == nil || t.received[dealer] != nil || t.bad[dealer] != nil {
			continue
		}
		s, err := d.OpenShare(t.m, t.id, t.index, t.enc)
		if err == nil {
			err = threshold.VerifyShare(r.Params(), dealer, t.index, s, d.Commitments)
		}
		if err != nil {
			t.bad[dealer] = err
			continue
		}
		t.received[dealer] = s
	}
}

// BadShares returns, by dealer, why the share each dealer sent this trustee
// failed check 10; the trustee complains against each.
func (t *Trustee) BadShares() map[int]error { return t.bad }

// reveals answers each complaint against the trustee that it has not
// answered yet by revealing the share in question.
func (t *Trustee) reveals(r *tally.Replica, f *threshold.Polynomial) ([]*election.Entry, error) {
	var out []*election.Entry
	for _, c := range r.Unanswered() {
		if c.Dealer != t.index {
			continue
		}
		e, err := election.NewReveal(t.m, t.id, t.sign, f, c.Accuser)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// ensureShare computes the trustee's share of the election key from the
// record's key ceremony and saves it, once.
func (t *Trustee) ensureShare(r *tally.Replica) error {
	st := t.store.State
	if st.Share != nil {
		return nil
	}
	res := r.Record().Ceremony()
	if res == nil {
		return errors.New("the record has no key ceremony outcome yet")
	}
	f := t.poly
	if f == nil {
		var err error
		if f, _, err = t.polynomial(); err != nil {
			return err
		}
	}
	t.checkShares(r)
	received := make(map[int]*group.Scalar, len(t.received)+1)
	for dealer, s := range t.received {
		received[dealer] = s
	}
	own, err := f.Share(t.index)
	if err != nil {
		return err
	}
	received[t.index] = own
	s, err := threshold.CombineShares(res, t.index, received)
	if err != nil {
		return fmt.Errorf("trustee %d: %w: %w", t.index, ErrNoShare, err)
	}
	st.Share = s
	if err := t.store.Save(); err != nil {
		st.Share = nil
		return err
	}
	return nil
}

// decrypt is Step in the decryption phase.
func (t *Trustee) decrypt(r *tally.Replica) (*Plan, error) {
	if r.Partial(t.index) != nil {
		return &Plan{Status: "decryption: the partial decryption is on the record", Done: true}, nil
	}
	if err := t.ensureShare(r); err != nil {
		return nil, err
	}
	st := t.store.State
	if st.Partial == nil {
		e, err := election.NewPartial(t.m, t.id, t.sign, st.Share, r.Record().Aggregates(), nil)
		if err != nil {
			return nil, err
		}
		st.Partial = e.Bytes()
		if err := t.store.Save(); err != nil {
			st.Partial = nil
			return nil, err
		}
	}
	e, err := election.DecodeEntry(st.Partial)
	if err != nil {
		return nil, fmt.Errorf("the partial decryption in %s: %w", t.store.Path(), err)
	}
	return &Plan{Post: []*election.Entry{e}, Status: "decryption: posting the partial decryption"}, nil
}
