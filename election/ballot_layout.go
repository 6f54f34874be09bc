package election

import (
	"errors"
	"fmt"
	"math"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/group"
)

// ballotHeaderSize is the u32 counter and the u16 style that open a ballot.
const ballotHeaderSize = 4 + 2

// ErrBallot is wrapped by every ballot and spoiled-ballot error.
var ErrBallot = errors.New("invalid ballot")

// BallotLayout is the shape of the ballots of one election, derived from its
// manifest: for each ballot style, which contests it holds (by position in
// the manifest, in manifest order) and their specs; and the one size that
// every ballot payload has, the largest style's size.
//
// Style s is Manifest.Styles[s]; a manifest without styles has the single
// style 0, which holds every contest.
type BallotLayout struct {
	styles     []styleLayout
	specs      []contest.Spec // per manifest contest
	ids        []string       // per manifest contest, for error messages
	size       int            // ballot payload size
	maxOptions int            // most options on any one style's ballot
}

// styleLayout is one style's contests.
type styleLayout struct {
	contests []int // manifest positions, increasing
	size     int   // header plus the contests' encodings, before padding
	options  int   // options over all its contests
}

// NewBallotLayout derives the layout from m. It fails for a manifest whose
// contests cannot be proved (contest.Spec.Validate), whose styles name
// unknown or repeated contests or no contest at all, or that has more
// than 65536 styles.
func NewBallotLayout(m *Manifest) (*BallotLayout, error) {
	if len(m.Contests) == 0 {
		return nil, fmt.Errorf("ballot layout: manifest has no contests")
	}
	l := &BallotLayout{specs: make([]contest.Spec, len(m.Contests)), ids: make([]string, len(m.Contests))}
	position := make(map[string]int, len(m.Contests))
	for i, c := range m.Contests {
		l.specs[i] = contestSpec(c)
		if err := l.specs[i].Validate(); err != nil {
			return nil, fmt.Errorf("ballot layout: contests[%d] (%s): %w", i, c.ID, err)
		}
		position[c.ID] = i
		l.ids[i] = c.ID
	}
	if len(m.Styles) > math.MaxUint16+1 {
		return nil, fmt.Errorf("ballot layout: %d styles, at most %d", len(m.Styles), math.MaxUint16+1)
	}
	if len(m.Styles) == 0 {
		all := make([]int, len(m.Contests))
		for i := range all {
			all[i] = i
		}
		l.addStyle(all)
		return l, nil
	}
	for s, st := range m.Styles {
		positions, err := stylePositions(st, position, len(m.Contests))
		if err != nil {
			return nil, fmt.Errorf("ballot layout: styles[%d] (%s): %w", s, st.ID, err)
		}
		l.addStyle(positions)
	}
	return l, nil
}

func contestSpec(c Contest) contest.Spec {
	return contest.Spec{Options: len(c.Options), Min: uint64(c.MinSelections), Max: uint64(c.MaxSelections)}
}

// stylePositions returns the manifest positions of st's contests in manifest
// order, whatever order the style lists them in.
func stylePositions(st Style, position map[string]int, n int) ([]int, error) {
	if len(st.Contests) == 0 {
		return nil, fmt.Errorf("no contests")
	}
	in := make([]bool, n)
	for _, id := range st.Contests {
		p, ok := position[id]
		if !ok {
			return nil, fmt.Errorf("unknown contest %q", id)
		}
		if in[p] {
			return nil, fmt.Errorf("contest %q listed twice", id)
		}
		in[p] = true
	}
	var out []int
	for p, ok := range in {
		if ok {
			out = append(out, p)
		}
	}
	return out, nil
}

func (l *BallotLayout) addStyle(positions []int) {
	st := styleLayout{contests: positions, size: ballotHeaderSize}
	for _, p := range positions {
		st.size += l.specs[p].Size()
		st.options += l.specs[p].Options
	}
	l.styles = append(l.styles, st)
	l.size = max(l.size, st.size)
	l.maxOptions = max(l.maxOptions, st.options)
}

// Size returns the length of every ballot payload of the election.
func (l *BallotLayout) Size() int { return l.size }

// SpoiledSize returns the length of every spoiled-ballot payload: a ballot
// and room for one 32-byte opening scalar per option of the style with the
// most options.
func (l *BallotLayout) SpoiledSize() int { return l.size + l.maxOptions*group.ScalarSize }

// Styles returns how many ballot styles there are.
func (l *BallotLayout) Styles() int { return len(l.styles) }

// StyleContests returns the manifest positions of the contests on a ballot
// of the given style, in manifest order.
func (l *BallotLayout) StyleContests(style uint16) ([]int, error) {
	st, err := l.style(style)
	if err != nil {
		return nil, err
	}
	return append([]int(nil), st.contests...), nil
}

// ContestSpec returns the spec of the contest at manifest position p.
// Precondition: 0 ≤ p < number of contests.
func (l *BallotLayout) ContestSpec(p int) contest.Spec { return l.specs[p] }

// Contests returns the number of contests in the manifest.
func (l *BallotLayout) Contests() int { return len(l.specs) }

func (l *BallotLayout) style(style uint16) (*styleLayout, error) {
	if int(style) >= len(l.styles) {
		return nil, fmt.Errorf("%w: style %d, the election has %d", ErrBallot, style, len(l.styles))
	}
	return &l.styles[style], nil
}
