package verify

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Status is a check's outcome.
type Status string

// The outcomes of a check.
const (
	Pass Status = "pass" // it held every time it applied (Count times)
	Fail Status = "fail" // it failed at least once; Failures say where
	Skip Status = "skip" // it never applied (the record has no such entry, or the source cannot show it)
)

// Report is what the verifier found: one line per numbered check, the
// failures with the entry and the reason, and the result it checked.
type Report struct {
	Election string       `json:"election"` // the election id, hex
	Title    string       `json:"title,omitempty"`
	Source   string       `json:"source"`  // where the record came from
	Entries  int          `json:"entries"` // entries read
	Phase    string       `json:"phase"`   // where the record ends
	Ballots  int          `json:"ballots"` // ballot entries accepted
	Checks   []CheckLine  `json:"checks"`
	Result   []ContestSum `json:"result,omitempty"` // the verified counts, when the record has a valid result
	Counted  uint64       `json:"counted"`          // ballots the result counts
	// Fatal is set when the verifier could not go on (no manifest, an
	// unreadable source); the checks are then what was seen before.
	Fatal string `json:"fatal,omitempty"`
}

// CheckLine is one numbered check.
type CheckLine struct {
	Check    int       `json:"check"`
	Name     string    `json:"name"`
	Status   Status    `json:"status"`
	Count    int       `json:"count"` // how many times it held
	Note     string    `json:"note,omitempty"`
	Failures []Failure `json:"failures,omitempty"`
}

// Failure is one failed check: which entry, where, and why.
type Failure struct {
	Check int    `json:"check"`
	Entry string `json:"entry,omitempty"` // the entry id, hex
	Type  string `json:"type,omitempty"`  // the entry type
	Index int    `json:"index"`           // the entry's position in the record, 0 first; −1 for none
	Node  string `json:"node,omitempty"`  // the board node concerned, by manifest name
	Why   string `json:"reason"`
}

// ContestSum is one contest's verified counts.
type ContestSum struct {
	Contest string        `json:"contest"`
	Options []OptionCount `json:"options"`
}

// OptionCount is one option's verified count.
type OptionCount struct {
	Option string `json:"option"`
	Count  uint64 `json:"count"`
}

// OK reports whether everything holds: no check failed and nothing stopped
// the verifier.
func (r *Report) OK() bool {
	if r.Fatal != "" {
		return false
	}
	for _, c := range r.Checks {
		if c.Status == Fail {
			return false
		}
	}
	return true
}

// Failures returns every failure, in check order.
func (r *Report) Failures() []Failure {
	var out []Failure
	for _, c := range r.Checks {
		out = append(out, c.Failures...)
	}
	return out
}

// Line returns the line of check, or nil.
func (r *Report) Line(check int) *CheckLine {
	for i := range r.Checks {
		if r.Checks[i].Check == check {
			return &r.Checks[i]
		}
	}
	return nil
}

// WriteJSON writes the report as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes the report for people: a header, one line per check,
// each failure under its check, the result and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "election %s", r.Election)
	if r.Title != "" {
		fmt.Fprintf(&b, " (%s)", r.Title)
	}
	fmt.Fprintf(&b, "\nsource   %s\nentries  %d, %d ballots, ends in the %s phase\n\n", r.Source, r.Entries, r.Ballots, r.Phase)
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%s  C%-2d %-32s %9d", statusMark(c.Status), c.Check, c.Name, c.Count)
		if c.Note != "" {
			fmt.Fprintf(&b, "  (%s)", c.Note)
		}
		b.WriteByte('\n')
		for _, f := range c.Failures {
			fmt.Fprintf(&b, "        %s\n", f.String())
		}
	}
	if len(r.Result) > 0 {
		fmt.Fprintf(&b, "\nresult (%d ballots counted)\n", r.Counted)
		for _, c := range r.Result {
			fmt.Fprintf(&b, "  %s\n", c.Contest)
			for _, o := range c.Options {
				fmt.Fprintf(&b, "    %-24s %d\n", o.Option, o.Count)
			}
		}
	}
	if r.Fatal != "" {
		fmt.Fprintf(&b, "\nstopped: %s\n", r.Fatal)
	}
	if r.OK() {
		b.WriteString("\nVERIFIED: every check holds.\n")
	} else {
		fmt.Fprintf(&b, "\nNOT VERIFIED: %d failures.\n", len(r.Failures()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func statusMark(s Status) string {
	switch s {
	case Pass:
		return "ok  "
	case Fail:
		return "FAIL"
	}
	return "skip"
}

// String gives a failure on one line: the check, the entry and the reason.
func (f Failure) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "check %d (%s)", f.Check, checkName(f.Check))
	if f.Entry != "" {
		fmt.Fprintf(&b, ": %s entry %s", orDefault(f.Type, "an"), f.Entry)
		if f.Index >= 0 {
			fmt.Fprintf(&b, " (#%d)", f.Index)
		}
	}
	if f.Node != "" {
		fmt.Fprintf(&b, ": node %s", f.Node)
	}
	fmt.Fprintf(&b, ": %s", f.Why)
	return b.String()
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
