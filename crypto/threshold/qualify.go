package threshold

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/evote/evote/crypto/group"
)

// Reasons for disqualifying a dealer or ignoring a complaint or reveal,
// wrapped by Disqualification.Reason and the Ignored… reasons.
var (
	ErrNoCommitments = errors.New("no verified commitments")
	ErrBadReveal     = errors.New("revealed share does not check out")
	ErrUnanswered    = errors.New("complaint not answered by a valid reveal")
	ErrDuplicate     = errors.New("duplicate")
	ErrNoComplaint   = errors.New("reveal answers no complaint")
)

// Disqualification says why a dealer is not in QUAL.
type Disqualification struct {
	Dealer int
	Reason error
}

// IgnoredComplaint is a complaint that Qualify did not count, and why.
type IgnoredComplaint struct {
	Complaint Complaint
	Reason    error
}

// IgnoredReveal is a reveal that Qualify did not use, and why.
type IgnoredReveal struct {
	Reveal Reveal
	Reason error
}

// Result is the outcome of the key ceremony, computed from public data only.
type Result struct {
	Params Params
	// QUAL is the qualified dealers, sorted; |QUAL| ≥ t.
	QUAL []int
	// Key is the joint election key K = Σ_{i∈QUAL} C_i0.
	Key *group.Point
	// JointCommitments[k] = Σ_{i∈QUAL} C_ik commits to the joint polynomial
	// F = Σ_{i∈QUAL} f_i, whose value at 0 is the joint secret.
	JointCommitments []*group.Point
	// VerificationKeys[j−1] = V_j = F(j)·G for every trustee j in 1..n.
	VerificationKeys []*group.Point
	// Reveals holds the valid reveals by dealers in QUAL, sorted by dealer
	// then accuser; each replaces the share its accuser received.
	Reveals []Reveal
	// Disqualified lists every dealer in 1..n not in QUAL, sorted.
	Disqualified []Disqualification
	// IgnoredComplaints and IgnoredReveals list, in input order, what was
	// not counted.
	IgnoredComplaints []IgnoredComplaint
	IgnoredReveals    []IgnoredReveal
}

// VerificationKey returns V_j. Precondition: j in 1..n.
func (r *Result) VerificationKey(j int) (*group.Point, error) {
	if err := r.Params.checkIndex("trustee", j); err != nil {
		return nil, err
	}
	return r.VerificationKeys[j-1], nil
}

// QualifyError is returned when fewer than t dealers qualify; it carries the
// evidence and wraps ErrTooFew.
type QualifyError struct {
	QUAL         []int
	T            int
	Disqualified []Disqualification
}

func (e *QualifyError) Error() string {
	return fmt.Sprintf("%v qualified dealers: have %d %v, need t = %d", ErrTooFew, len(e.QUAL), e.QUAL, e.T)
}

func (e *QualifyError) Unwrap() error { return ErrTooFew }

// pair is a (dealer, accuser) share.
type pair struct{ dealer, accuser int }

// Qualify decides the key ceremony from the public record, deterministically:
//
//   - commitments holds the commitments of every dealer that passed
//     VerifyCommitments, by dealer index; a dealer without an entry is
//     disqualified.
//   - complaints are counted once per (accuser, dealer); complaints with an
//     index outside 1..n, by a dealer against itself, against a dealer
//     without commitments, or repeated are ignored with a reason.
//   - reveals are used when they answer a counted complaint; others are
//     ignored with a reason. A reveal that answers a complaint but fails
//     CheckReveal disqualifies its dealer.
//   - a dealer with a counted complaint that no valid reveal answers is
//     disqualified.
//
// QUAL is every remaining dealer; Qualify returns a *QualifyError if it has
// fewer than t members. It returns other errors for malformed arguments:
// invalid params, a commitments key outside 1..n, or commitments that are
// nil or not of length t.
func Qualify(params Params, commitments map[int]*Commitments, complaints []Complaint, reveals []Reveal) (*Result, error) {
	if err := params.Validate(); err != nil {
		return nil, err
	}
	// Sorted, so that the error for several bad entries is always the same.
	for _, i := range slices.Sorted(maps.Keys(commitments)) {
		if err := params.checkIndex("dealer", i); err != nil {
			return nil, fmt.Errorf("qualify: commitments: %w", err)
		}
		if err := checkCommitmentShape(params, commitments[i]); err != nil {
			return nil, fmt.Errorf("qualify: dealer %d: %w", i, err)
		}
	}
	r := &Result{Params: params}
	complained := r.countComplaints(params, commitments, complaints)
	badReveal := r.useReveals(params, commitments, complained, reveals)
	r.decide(params, commitments, complained, badReveal)
	if len(r.QUAL) < params.T {
		return nil, &QualifyError{QUAL: r.QUAL, T: params.T, Disqualified: r.Disqualified}
	}
	if err := r.computeKeys(commitments); err != nil {
		return nil, err
	}
	return r, nil
}

// countComplaints returns the set of counted complaints, noting the ignored
// ones in r.
func (r *Result) countComplaints(params Params, commitments map[int]*Commitments, complaints []Complaint) map[pair]bool {
	counted := make(map[pair]bool)
	for _, c := range complaints {
		p := pair{c.Dealer, c.Accuser}
		reason := c.Validate(params)
		switch {
		case reason != nil:
		case commitments[c.Dealer] == nil:
			reason = fmt.Errorf("against dealer %d: %w", c.Dealer, ErrNoCommitments)
		case counted[p]:
			reason = fmt.Errorf("%w complaint by %d against %d", ErrDuplicate, c.Accuser, c.Dealer)
		default:
			counted[p] = true
			continue
		}
		r.IgnoredComplaints = append(r.IgnoredComplaints, IgnoredComplaint{Complaint: c, Reason: reason})
	}
	return counted
}

// useReveals checks every reveal that answers a counted complaint, records
// the valid ones in answered order, and returns the first bad reveal of each
// dealer that posted one.
func (r *Result) useReveals(params Params, commitments map[int]*Commitments, complained map[pair]bool, reveals []Reveal) map[int]error {
	bad := make(map[int]error)
	accepted := make(map[pair]bool)
	for _, rv := range reveals {
		p := pair{rv.Dealer, rv.Accuser}
		reason := params.checkPair(rv.Dealer, rv.Accuser)
		switch {
		case reason != nil:
			reason = fmt.Errorf("reveal: %w", reason)
		case !complained[p]:
			reason = fmt.Errorf("reveal by %d for %d: %w", rv.Dealer, rv.Accuser, ErrNoComplaint)
		default:
			if err := CheckReveal(params, rv.Dealer, rv.Accuser, rv.Share, commitments[rv.Dealer]); err != nil {
				if bad[rv.Dealer] == nil {
					bad[rv.Dealer] = fmt.Errorf("%w: %w", ErrBadReveal, err)
				}
				continue
			}
			if accepted[p] {
				reason = fmt.Errorf("%w reveal by %d for %d", ErrDuplicate, rv.Dealer, rv.Accuser)
				break
			}
			accepted[p] = true
			r.Reveals = append(r.Reveals, Reveal{Dealer: rv.Dealer, Accuser: rv.Accuser, Share: new(group.Scalar).Set(rv.Share)})
			continue
		}
		r.IgnoredReveals = append(r.IgnoredReveals, IgnoredReveal{Reveal: rv, Reason: reason})
	}
	slices.SortFunc(r.Reveals, func(a, b Reveal) int {
		if a.Dealer != b.Dealer {
			return a.Dealer - b.Dealer
		}
		return a.Accuser - b.Accuser
	})
	return bad
}

// decide fills r.QUAL and r.Disqualified, dealer by dealer in index order.
func (r *Result) decide(params Params, commitments map[int]*Commitments, complained map[pair]bool, badReveal map[int]error) {
	answered := make(map[pair]bool, len(r.Reveals))
	for _, rv := range r.Reveals {
		answered[pair{rv.Dealer, rv.Accuser}] = true
	}
	for i := 1; i <= params.N; i++ {
		reason := disqualification(params, i, commitments[i] != nil, complained, answered, badReveal[i])
		if reason != nil {
			r.Disqualified = append(r.Disqualified, Disqualification{Dealer: i, Reason: reason})
			continue
		}
		r.QUAL = append(r.QUAL, i)
	}
	// Reveals by disqualified dealers no longer matter.
	r.Reveals = slices.DeleteFunc(r.Reveals, func(rv Reveal) bool { return !slices.Contains(r.QUAL, rv.Dealer) })
}

// disqualification returns why dealer is disqualified, or nil.
func disqualification(params Params, dealer int, hasCommitments bool, complained, answered map[pair]bool, badReveal error) error {
	if !hasCommitments {
		return ErrNoCommitments
	}
	if badReveal != nil {
		return badReveal
	}
	var unanswered []int
	for j := 1; j <= params.N; j++ {
		p := pair{dealer, j}
		if complained[p] && !answered[p] {
			unanswered = append(unanswered, j)
		}
	}
	if len(unanswered) > 0 {
		return fmt.Errorf("%w: complaints by trustees %v", ErrUnanswered, unanswered)
	}
	return nil
}

// computeKeys sums the commitments of QUAL into the joint polynomial's and
// evaluates it at every trustee index, all in variable time on public data.
func (r *Result) computeKeys(commitments map[int]*Commitments) error {
	r.JointCommitments = make([]*group.Point, r.Params.T)
	for k := range r.JointCommitments {
		sum := group.NewIdentity()
		for _, i := range r.QUAL {
			sum.Add(sum, commitments[i].C[k])
		}
		r.JointCommitments[k] = sum
	}
	r.Key = r.JointCommitments[0]
	if r.Key.IsIdentity() {
		return fmt.Errorf("qualify: joint key: %w", ErrIdentity)
	}
	r.VerificationKeys = make([]*group.Point, r.Params.N)
	for j := 1; j <= r.Params.N; j++ {
		r.VerificationKeys[j-1] = varTimeEvalCommitments(r.JointCommitments, j)
	}
	return nil
}
