package cast

import (
	"fmt"
	"slices"
	"strings"

	"github.com/evote/evote/election"
)

// Selections holds a voter's choices: for each contest of the voter's style,
// in manifest order, one 0 or 1 per option — what election.NewBallot takes.
type Selections [][]uint64

// SelectionError is a choice the ballot does not allow, naming the contest
// (and the option, when one is at fault) by id.
type SelectionError struct {
	Contest string
	Option  string // empty when the error is about the contest
	Msg     string
}

func (e *SelectionError) Error() string {
	if e.Option != "" {
		return fmt.Sprintf("contest %q: option %q: %s", e.Contest, e.Option, e.Msg)
	}
	return fmt.Sprintf("contest %q: %s", e.Contest, e.Msg)
}

// ParseSelect reads choices written as `contest=option,option`, one
// contest per argument (`contest=` chooses nothing in it), into contest id →
// option ids. It checks only the form; Election.Choose checks them against
// the ballot.
func ParseSelect(args []string) (map[string][]string, error) {
	picks := make(map[string][]string, len(args))
	for _, a := range args {
		for part := range strings.SplitSeq(a, ";") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			contest, opts, ok := strings.Cut(part, "=")
			contest = strings.TrimSpace(contest)
			if !ok || contest == "" {
				return nil, fmt.Errorf("selection %q: write it as contest=option,option (or contest= for none)", part)
			}
			if _, dup := picks[contest]; dup {
				return nil, fmt.Errorf("selection %q: contest %q is chosen twice", part, contest)
			}
			picks[contest] = []string{}
			for o := range strings.SplitSeq(opts, ",") {
				if o = strings.TrimSpace(o); o != "" {
					picks[contest] = append(picks[contest], o)
				}
			}
		}
	}
	return picks, nil
}

// Contests returns the contests on a ballot of the given style, in manifest
// (and ballot) order.
func (e *Election) Contests(style uint16) []*election.Contest {
	pos := e.Manifest.StyleContests(style)
	cs := make([]*election.Contest, len(pos))
	for i, p := range pos {
		cs[i] = &e.Manifest.Contests[p]
	}
	return cs
}

// Choose turns contest id → option ids into the style's Selections. Every
// contest of the style must be named (an empty list chooses nothing), every
// option must exist and be named once, and each contest's number of choices
// must lie within its limits; the first problem is a *SelectionError.
func (e *Election) Choose(style uint16, picks map[string][]string) (Selections, error) {
	contests := e.Contests(style)
	for id := range picks {
		if !slices.ContainsFunc(contests, func(c *election.Contest) bool { return c.ID == id }) {
			return nil, &SelectionError{Contest: id, Msg: "not on this ballot (its contests: " + contestIDs(contests) + ")"}
		}
	}
	sel := make(Selections, len(contests))
	for i, c := range contests {
		opts, ok := picks[c.ID]
		if !ok {
			return nil, &SelectionError{Contest: c.ID, Msg: fmt.Sprintf("no choice given: write %s=OPTION,… (or %s= for none)", c.ID, c.ID)}
		}
		row, err := chooseOptions(c, opts)
		if err != nil {
			return nil, err
		}
		sel[i] = row
	}
	return sel, nil
}

// chooseOptions marks opts in one contest and checks its limits.
func chooseOptions(c *election.Contest, opts []string) ([]uint64, error) {
	row := make([]uint64, len(c.Options))
	for _, o := range opts {
		j := slices.IndexFunc(c.Options, func(x election.Option) bool { return x.ID == o })
		if j < 0 {
			return nil, &SelectionError{Contest: c.ID, Option: o, Msg: "no such option (options: " + optionIDs(c) + ")"}
		}
		if row[j] == 1 {
			return nil, &SelectionError{Contest: c.ID, Option: o, Msg: "chosen twice"}
		}
		row[j] = 1
	}
	return row, CheckLimits(c, len(opts))
}

// CheckLimits checks that n choices fit contest c's limits, with a
// *SelectionError that says what is allowed.
func CheckLimits(c *election.Contest, n int) error {
	switch {
	case n > int(c.MaxSelections):
		return &SelectionError{Contest: c.ID, Msg: fmt.Sprintf("%d options chosen, at most %d allowed", n, c.MaxSelections)}
	case n < int(c.MinSelections):
		return &SelectionError{Contest: c.ID, Msg: fmt.Sprintf("%d options chosen, at least %d required", n, c.MinSelections)}
	}
	return nil
}

// Choice is one contest's selections, for people: the summary before
// casting, and what an audit finds in a challenged ballot.
type Choice struct {
	Contest *election.Contest
	Chosen  []election.Option // in ballot order; empty for none
}

// Describe names the options that sel chooses on a ballot of style.
// Precondition: sel has the style's shape (Choose, or an opened ballot).
func (e *Election) Describe(style uint16, sel Selections) []Choice {
	contests := e.Contests(style)
	out := make([]Choice, len(contests))
	for i, c := range contests {
		out[i].Contest = c
		for j, v := range sel[i] {
			if v == 1 {
				out[i].Chosen = append(out[i].Chosen, c.Options[j])
			}
		}
	}
	return out
}

func contestIDs(cs []*election.Contest) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

func optionIDs(c *election.Contest) string {
	ids := make([]string, len(c.Options))
	for i, o := range c.Options {
		ids[i] = o.ID
	}
	return strings.Join(ids, ", ")
}
