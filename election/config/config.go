// Package config reads an election commission's YAML configuration and
// turns it into an election.Manifest.
//
// Loading is strict: unknown fields, duplicate keys, values of the wrong
// type, malformed keys or times, missing required fields and everything that
// (*election.Manifest).Validate rejects are all reported together, each with
// the file, line, column and field path of the offending value, so that a
// commission fixes its config in one pass. election-configs/README.md
// describes every field.
package config

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evote/evote/election"
)

// MaxSize bounds a config file; a real election's config is a few kilobytes.
const MaxSize = 1 << 20

// Problem is one thing wrong with a config, located in its file.
type Problem struct {
	File   string
	Line   int    // 1-based; 0 when the problem is about the whole file
	Column int    // 1-based; 0 when unknown
	Path   string // field path in YAML key names, e.g. contests[2].max_selections; "" for the file
	Msg    string
}

// Error formats the problem as file:line:column: path: message.
func (p Problem) Error() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Column > 0 {
			fmt.Fprintf(&b, ":%d", p.Column)
		}
	}
	b.WriteString(": ")
	if p.Path != "" {
		b.WriteString(p.Path)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error lists every problem found in one config, in file order.
type Error struct {
	Problems []Problem
}

// Error returns one line per problem.
func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems, so errors.As finds a Problem.
func (e *Error) Unwrap() []error {
	errs := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		errs[i] = p
	}
	return errs
}

// Load reads the config file at path and returns its manifest. Key paths in
// the config are relative to the config file's directory. Any problem is
// returned as an *Error listing all of them; a file that cannot be read is a
// plain error.
func Load(path string) (*election.Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("election config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("election config %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, fmt.Errorf("election config %s: larger than %d bytes", path, MaxSize)
	}
	return Parse(path, data)
}

// Parse decodes the config in data; name is the file name used in problems,
// and its directory is where relative key paths are looked up. It returns the
// manifest only if there is no problem at all; otherwise an *Error that lists
// every problem found, sorted by position.
func Parse(name string, data []byte) (*election.Manifest, error) {
	d := newDecoder(name, filepath.Dir(name))
	m := d.decode(data)
	if m != nil {
		d.validate(m)
	}
	if len(d.problems) > 0 {
		slices.SortStableFunc(d.problems, func(a, b Problem) int {
			return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
		})
		return nil, &Error{Problems: d.problems}
	}
	return m, nil
}
