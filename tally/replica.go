package tally

import (
	"errors"
	"fmt"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election"
)

// Replica is a local copy of one election's record, rebuilt entry by entry
// through election.Record, with the entries that trustees and the tally need
// kept decoded at hand. Entries may come from any node, in any order that
// some node accepted them in, and more than once: duplicates are skipped and
// an entry that came too early is kept and offered again after the next
// entries.
//
// A Replica is not safe for concurrent use.
type Replica struct {
	rec    *election.Record
	params threshold.Params

	pending []*election.Entry // failed as too early; offered again

	// The key ceremony, in record order.
	dealings   map[int]*election.Dealing
	complaints []election.Complaint
	reveals    []election.Reveal
	open       *election.Open

	ballots  []*election.Entry      // every accepted ballot entry
	partials map[int]*PostedPartial // by trustee index
	result   *election.Result

	rejected []error // entries refused for good, with the check they failed
}

// PostedPartial is a trustee's partial decryption entry as the record holds
// it.
type PostedPartial struct {
	Entry   *election.Entry
	Partial *election.Partial
}

// NewReplica starts a replica of the election whose signed manifest entry is
// manifest.
func NewReplica(manifest *election.Entry) (*Replica, error) {
	rec, err := election.NewRecord(manifest)
	if err != nil {
		return nil, err
	}
	m := rec.Manifest()
	return &Replica{
		rec:      rec,
		params:   threshold.Params{N: len(m.Trustees.Members), T: int(m.Trustees.Threshold)},
		dealings: make(map[int]*election.Dealing),
		partials: make(map[int]*PostedPartial),
	}, nil
}

// Record returns the replica's record. Callers must not apply entries to it
// directly, or the replica's own view falls behind.
func (r *Replica) Record() *election.Record { return r.rec }

// Manifest returns the election's manifest.
func (r *Replica) Manifest() *election.Manifest { return r.rec.Manifest() }

// ID returns the election id.
func (r *Replica) ID() election.ID { return r.rec.ID() }

// Params returns the election's threshold parameters.
func (r *Replica) Params() threshold.Params { return r.params }

// Add applies entries in order and returns, for each entry refused for good,
// its error (a *election.CheckError). A duplicate is not an error; an entry
// that came too early is kept and offered again after later entries.
func (r *Replica) Add(entries []*election.Entry) []error {
	var fresh []*election.Entry
	for _, e := range entries {
		// The manifest is the record's first entry already.
		if e.Type == election.TypeManifest && e.ID() == r.rec.ID() {
			continue
		}
		fresh = append(fresh, e)
	}
	var failed []error
	added := false
	for i, err := range r.rec.ApplyBatch(fresh) {
		if r.settle(fresh[i], err, &failed) {
			added = true
		}
	}
	for added && len(r.pending) > 0 {
		added = false
		retry := r.pending
		r.pending = nil
		for _, e := range retry {
			if r.settle(e, r.rec.Apply(e), &failed) {
				added = true
			}
		}
	}
	r.rejected = append(r.rejected, failed...)
	return failed
}

// settle files one entry after the record judged it, and reports whether it
// was added.
func (r *Replica) settle(e *election.Entry, err error, failed *[]error) bool {
	switch {
	case err == nil:
		r.keep(e)
		return true
	case errors.Is(err, election.ErrDuplicate):
	case errors.Is(err, election.ErrTooEarly):
		r.pending = append(r.pending, e)
	default:
		*failed = append(*failed, err)
	}
	return false
}

// keep decodes the accepted entry e for the views below. The record has
// decoded and checked the payload already, so decoding cannot fail; if it
// did, the election package and this one would disagree, and the entry is
// left out of the views rather than guessed at.
func (r *Replica) keep(e *election.Entry) {
	m := r.rec.Manifest()
	switch e.Type {
	case election.TypeDealing:
		if d, err := election.DecodeDealing(r.params, e.Payload); err == nil {
			r.dealings[d.Dealer] = d
		}
	case election.TypeComplaint:
		if c, err := election.DecodeComplaint(r.params, e.Payload); err == nil {
			r.complaints = append(r.complaints, *c)
		}
	case election.TypeReveal:
		if rv, err := election.DecodeReveal(r.params, e.Payload); err == nil {
			r.reveals = append(r.reveals, *rv)
		}
	case election.TypeOpen:
		if o, err := election.DecodeOpen(e.Payload); err == nil {
			r.open = o
		}
	case election.TypeBallot:
		r.ballots = append(r.ballots, e)
	case election.TypePartial:
		if p, err := election.DecodePartial(m, e.Payload); err == nil {
			r.partials[p.Trustee] = &PostedPartial{Entry: e, Partial: p}
		}
	case election.TypeResult:
		if res, err := election.DecodeResult(m, e.Payload); err == nil {
			r.result = res
		}
	}
}

// Phase returns the record's phase.
func (r *Replica) Phase() election.Phase { return r.rec.Phase() }

// Dealing returns trustee i's dealing, or nil if it is not on the record.
func (r *Replica) Dealing(i int) *election.Dealing { return r.dealings[i] }

// Dealers returns how many trustees' dealings are on the record.
func (r *Replica) Dealers() int { return len(r.dealings) }

// Complaints returns the complaints on the record, in record order.
func (r *Replica) Complaints() []election.Complaint { return r.complaints }

// Reveals returns the reveals on the record, in record order.
func (r *Replica) Reveals() []election.Reveal { return r.reveals }

// Open returns the open entry's payload, or nil before it.
func (r *Replica) Open() *election.Open { return r.open }

// Ballots returns every ballot entry on the record, in record order.
func (r *Replica) Ballots() []*election.Entry { return r.ballots }

// Partial returns trustee j's partial decryption entry, or nil.
func (r *Replica) Partial(j int) *PostedPartial { return r.partials[j] }

// Partials returns the partial decryption entries on the record, by trustee.
func (r *Replica) Partials() map[int]*PostedPartial { return r.partials }

// Result returns the result entry's payload, or nil before it.
func (r *Replica) Result() *election.Result { return r.result }

// Rejected returns every entry the replica refused for good: a node that
// served one broke the rules it claims to enforce.
func (r *Replica) Rejected() []error { return r.rejected }

// Pending returns how many entries wait for entries they depend on.
func (r *Replica) Pending() int { return len(r.pending) }

// Ceremony decides the key ceremony from the dealings, complaints and reveals
// on the record, exactly as the record's open rule will (check 35): the
// qualified set, the joint key and every verification key. Before the open
// entry this is what the commission should open with; after it, the record's
// own outcome is returned.
func (r *Replica) Ceremony() (*threshold.Result, error) {
	if res := r.rec.Ceremony(); res != nil {
		return res, nil
	}
	commitments := make(map[int]*threshold.Commitments, len(r.dealings))
	for i, d := range r.dealings {
		commitments[i] = d.Commitments
	}
	complaints := make([]threshold.Complaint, len(r.complaints))
	for k, c := range r.complaints {
		complaints[k] = c.Threshold()
	}
	reveals := make([]threshold.Reveal, len(r.reveals))
	for k, rv := range r.reveals {
		reveals[k] = rv.Threshold()
	}
	res, err := threshold.Qualify(r.params, commitments, complaints, reveals)
	if err != nil {
		return nil, fmt.Errorf("key ceremony: %w", err)
	}
	return res, nil
}

// Unanswered returns the complaints on the record that no reveal answers
// yet, in record order, each once.
func (r *Replica) Unanswered() []election.Complaint {
	answered := make(map[[2]int]bool)
	for _, rv := range r.reveals {
		answered[[2]int{rv.Dealer, rv.Accuser}] = true
	}
	var out []election.Complaint
	for _, c := range r.complaints {
		k := [2]int{c.Dealer, c.Accuser}
		if !answered[k] {
			out = append(out, c)
			answered[k] = true
		}
	}
	return out
}
