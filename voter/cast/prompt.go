package cast

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Decision is what the voter does with an encrypted ballot.
type Decision int

const (
	// DecideCast casts the ballot.
	DecideCast Decision = iota + 1
	// DecideChallenge challenges it (Benaloh): it is opened and never counts.
	DecideChallenge
	// DecideChange goes back to the choices.
	DecideChange
)

// ErrQuit is returned when the voter's input ends before a decision.
var ErrQuit = errors.New("input ended: nothing was cast")

// Prompter asks a voter for their choices on a terminal: each contest with
// its options and limits, then a summary. It re-asks after a mistake and
// never guesses.
type Prompter struct {
	in  *bufio.Scanner
	out io.Writer
}

// NewPrompter reads answers from in and writes questions to out.
func NewPrompter(in io.Reader, out io.Writer) *Prompter {
	return &Prompter{in: bufio.NewScanner(in), out: out}
}

// line reads one answer, trimmed.
func (p *Prompter) line() (string, error) {
	if !p.in.Scan() {
		if err := p.in.Err(); err != nil {
			return "", err
		}
		return "", ErrQuit
	}
	return strings.TrimSpace(p.in.Text()), nil
}

// Choose asks for every contest of style in turn and returns the voter's
// selections.
func (p *Prompter) Choose(e *Election, style uint16) (Selections, error) {
	contests := e.Contests(style)
	sel := make(Selections, len(contests))
	for i, c := range contests {
		fmt.Fprintf(p.out, "\n%s\n", c.Title)
		for j, o := range c.Options {
			fmt.Fprintf(p.out, "  %d) %s\n", j+1, o.Title)
		}
		for {
			fmt.Fprintf(p.out, "%s (numbers separated by commas; Enter for none): ", limitsText(c.MinSelections, c.MaxSelections))
			ans, err := p.line()
			if err != nil {
				return nil, err
			}
			row, err := parseNumbers(ans, len(c.Options))
			if err == nil {
				err = CheckLimits(c, count(row))
			}
			if err != nil {
				fmt.Fprintf(p.out, "  %v\n", err)
				continue
			}
			sel[i] = row
			break
		}
	}
	return sel, nil
}

// Decide shows the summary and the tracker and asks what to do with the
// encrypted ballot.
func (p *Prompter) Decide(choices []Choice, tracker string) (Decision, error) {
	fmt.Fprintln(p.out, "\nYour ballot:")
	WriteChoices(p.out, choices)
	fmt.Fprintf(p.out, "It is encrypted on this device; its tracker is %s\n", tracker)
	for {
		fmt.Fprint(p.out, "Type cast to cast it, challenge to check the encryption (the ballot is then opened and not counted), or change to choose again: ")
		ans, err := p.line()
		if err != nil {
			return 0, err
		}
		switch strings.ToLower(ans) {
		case "cast":
			return DecideCast, nil
		case "challenge":
			return DecideChallenge, nil
		case "change":
			return DecideChange, nil
		}
		fmt.Fprintf(p.out, "  %q is not one of cast, challenge, change\n", ans)
	}
}

// WriteChoices prints each contest's choices, one line per contest.
func WriteChoices(w io.Writer, choices []Choice) {
	for _, c := range choices {
		names := make([]string, len(c.Chosen))
		for i, o := range c.Chosen {
			names[i] = fmt.Sprintf("%s (%s)", o.Title, o.ID)
		}
		if len(names) == 0 {
			names = []string{"(none)"}
		}
		fmt.Fprintf(w, "  %s: %s\n", c.Contest.ID, strings.Join(names, ", "))
	}
}

// limitsText says how many options a contest takes.
func limitsText(lo, hi uint16) string {
	switch {
	case lo == hi && hi == 1:
		return "Choose 1"
	case lo == hi:
		return fmt.Sprintf("Choose exactly %d", hi)
	case lo == 0:
		return fmt.Sprintf("Choose up to %d", hi)
	}
	return fmt.Sprintf("Choose %d to %d", lo, hi)
}

// parseNumbers reads "1, 3" as a 0/1 row over n options.
func parseNumbers(s string, n int) ([]uint64, error) {
	row := make([]uint64, n)
	for f := range strings.FieldsFuncSeq(s, func(r rune) bool { return r == ',' || r == ' ' }) {
		k, err := strconv.Atoi(f)
		if err != nil || k < 1 || k > n {
			return nil, fmt.Errorf("%q is not an option number from 1 to %d", f, n)
		}
		if row[k-1] == 1 {
			return nil, fmt.Errorf("option %d is given twice", k)
		}
		row[k-1] = 1
	}
	return row, nil
}

func count(row []uint64) int {
	n := 0
	for _, v := range row {
		n += int(v)
	}
	return n
}

// Ask prints question and returns the answer.
func (p *Prompter) Ask(question string) (string, error) {
	fmt.Fprint(p.out, question)
	return p.line()
}
