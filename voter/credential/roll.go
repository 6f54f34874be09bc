package credential

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Voter is one row of the roll.
type Voter struct {
	ID    string // unique; also names the voter's QR file
	Name  string // may be empty
	Style string // ballot style id from the manifest; "" when the roll has no style column
	Line  int    // line of the roll it came from; 0 when not from a roll
}

// MaxNameLength bounds a voter's name, in bytes.
const MaxNameLength = 256

// voterIDPattern keeps voter ids usable as file names everywhere.
var voterIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$`)

// RollError is a problem with one line of a roll.
type RollError struct {
	Line int
	Err  error
}

func (e *RollError) Error() string { return fmt.Sprintf("roll line %d: %v", e.Line, e.Err) }
func (e *RollError) Unwrap() error { return e.Err }

// FromRoll reads a roll: CSV (RFC 4180) with the header voter_id,name or
// voter_id,name,style, then one voter per line. Voter ids are 1–64
// characters from [A-Za-z0-9._-], not starting with a dot, and unique;
// names are UTF-8 without control characters, at most MaxNameLength bytes;
// styles, when the column is there, are not empty (they are checked against
// the manifest later). A UTF-8 byte-order mark is skipped. The first
// problem is returned as a *RollError with its line number.
func FromRoll(r io.Reader) ([]Voter, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err == io.EOF {
		return nil, &RollError{Line: 1, Err: errors.New("the roll is empty; want the header voter_id,name[,style]")}
	}
	if err != nil {
		return nil, rollCSVError(err)
	}
	if len(header) > 0 {
		header[0] = strings.TrimPrefix(header[0], "\uFEFF")
	}
	if h := strings.Join(header, ","); h != "voter_id,name" && h != "voter_id,name,style" {
		return nil, &RollError{Line: 1, Err: fmt.Errorf("header %q, want voter_id,name or voter_id,name,style", h)}
	}
	hasStyle := len(header) == 3
	var voters []Voter
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, rollCSVError(err)
		}
		line, _ := cr.FieldPos(0)
		v := Voter{ID: rec[0], Name: rec[1], Line: line}
		if hasStyle {
			v.Style = rec[2]
		}
		if err := checkVoter(v, hasStyle); err != nil {
			return nil, &RollError{Line: line, Err: err}
		}
		if first, dup := seen[v.ID]; dup {
			return nil, &RollError{Line: line, Err: fmt.Errorf("voter id %q repeats line %d", v.ID, first)}
		}
		seen[v.ID] = line
		voters = append(voters, v)
	}
	if len(voters) == 0 {
		return nil, &RollError{Line: 2, Err: errors.New("the roll has a header but no voters")}
	}
	return voters, nil
}

func checkVoter(v Voter, hasStyle bool) error {
	if !voterIDPattern.MatchString(v.ID) {
		return fmt.Errorf("voter id %q: want 1–64 characters from A–Z, a–z, 0–9, '.', '_', '-', not starting with '.'", v.ID)
	}
	if !utf8.ValidString(v.Name) {
		return fmt.Errorf("voter %s: name is not valid UTF-8", v.ID)
	}
	if len(v.Name) > MaxNameLength {
		return fmt.Errorf("voter %s: name is %d bytes, at most %d", v.ID, len(v.Name), MaxNameLength)
	}
	if strings.IndexFunc(v.Name, unicode.IsControl) >= 0 {
		return fmt.Errorf("voter %s: name contains a control character", v.ID)
	}
	if hasStyle && v.Style == "" {
		return fmt.Errorf("voter %s: empty style", v.ID)
	}
	return nil
}

// rollCSVError turns a CSV syntax error into a RollError at its line.
func rollCSVError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			return &RollError{Line: pe.Line, Err: errors.New("wrong number of fields (as many as the header, please)")}
		}
		return &RollError{Line: pe.Line, Err: pe.Err}
	}
	return fmt.Errorf("roll: %w", err)
}

// Numbered returns n voters with ids 0001, 0002, … (as many digits as n
// needs, at least four), no names, and style style, for an election
// without a roll.
func Numbered(n int, style string) []Voter {
	width := max(4, len(fmt.Sprint(n)))
	out := make([]Voter, n)
	for i := range out {
		out[i] = Voter{ID: fmt.Sprintf("%0*d", width, i+1), Style: style}
	}
	return out
}
