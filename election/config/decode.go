package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decoder walks the YAML node tree itself instead of unmarshalling into
// structs, so that it can report every problem (not the first), with a
// column and a field path, and remember where each field was for placing the
// manifest's validation errors.
type decoder struct {
	file     string // the name problems carry
	dir      string // where relative key file paths are looked up
	problems []Problem
	// nodes maps each field path seen to its value node.
	nodes map[string]*yaml.Node
	// bad holds the paths that already have a problem, so the manifest's
	// own validation does not report the zero value left in their place.
	bad map[string]bool
}

func newDecoder(file, dir string) *decoder {
	return &decoder{file: file, dir: dir, nodes: map[string]*yaml.Node{}, bad: map[string]bool{}}
}

// problemAt records a problem located at node n (nil: the whole file).
func (d *decoder) problemAt(n *yaml.Node, path, format string, args ...any) {
	p := Problem{File: d.file, Path: path, Msg: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
	if path != "" {
		d.bad[path] = true
	}
}

// syntaxLine extracts the line from the parser's "yaml: line N: msg".
var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError records a YAML parser error, with its line when it names one.
func (d *decoder) syntaxError(err error) {
	msg := err.Error()
	p := Problem{File: d.file, Msg: "malformed YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	if m := syntaxLine.FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Msg = "malformed YAML: " + m[2]
	}
	d.problems = append(d.problems, p)
}

// document parses data as exactly one YAML document and returns its root
// node, or nil after recording why not.
func (d *decoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			d.problemAt(nil, "", "empty config; run 'evote election init' for a template")
		} else {
			d.syntaxError(err)
		}
		return nil
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		d.syntaxError(err)
		return nil
	default:
		d.problemAt(&next, "", "a second YAML document: a config is exactly one document")
		return nil
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		d.problemAt(&doc, "", "not a YAML document")
		return nil
	}
	return doc.Content[0]
}

// join appends a field name to a path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// index appends a sequence index to a path.
func index(path string, i int) string { return fmt.Sprintf("%s[%d]", path, i) }

// kindName names a node's kind for "want X, got Y" messages.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "nothing"
		case "!!str":
			return fmt.Sprintf("the text %q", n.Value)
		case "!!int":
			return "the number " + n.Value
		case "!!float":
			return "the number " + n.Value
		case "!!bool":
			return "the boolean " + n.Value
		case "!!timestamp":
			return "the time " + n.Value
		}
		return fmt.Sprintf("a %s value", strings.TrimPrefix(n.Tag, "!!"))
	}
	return "an unexpected YAML node"
}

// usable reports whether n may be decoded at all. Anchors and aliases are
// refused: a config is short, and an alias would make one edit change
// several fields unseen.
func (d *decoder) usable(path string, n *yaml.Node) bool {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		d.problemAt(n, path, "YAML anchors and aliases are not allowed in an election config; write the value out")
		return false
	}
	return true
}

// fields is one YAML mapping, checked against the field names it may have.
type fields struct {
	d    *decoder
	path string
	node *yaml.Node
	vals map[string]*yaml.Node
}

// mapping checks that n is a mapping whose keys are all in known, each at
// most once, and returns its fields; nil (after recording the problem) if n
// is not a mapping. Unknown and duplicate keys are recorded and skipped.
func (d *decoder) mapping(path string, n *yaml.Node, known ...string) *fields {
	if !d.usable(path, n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.problemAt(n, path, "want a mapping with the fields %s, got %s", strings.Join(known, ", "), kindName(n))
		return nil
	}
	f := &fields{d: d, path: path, node: n, vals: map[string]*yaml.Node{}}
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.Tag != "!!str" {
			d.problemAt(k, path, "want a field name, got %s", kindName(k))
			continue
		}
		p := join(path, k.Value)
		if !slices.Contains(known, k.Value) {
			d.problemAt(k, p, "unknown field%s (allowed here: %s)", suggest(k.Value, known), strings.Join(known, ", "))
			continue
		}
		if prev, ok := first[k.Value]; ok {
			d.problemAt(k, p, "set twice (first at line %d)", prev.Line)
			continue
		}
		first[k.Value] = k
		f.vals[k.Value] = v
		d.nodes[p] = v
	}
	return f
}

// suggest returns ` (did you mean "x"?)` for the known name closest to a
// misspelt one, or "" if none is close.
func suggest(name string, known []string) string {
	best, bestDist := "", 3
	for _, k := range known {
		if dist := editDistance(name, k); dist < bestDist {
			best, bestDist = k, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// editDistance is the Levenshtein distance between two short strings.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// get returns the value of key, or nil when it is absent or null; a missing
// required field is recorded at the mapping.
func (f *fields) get(key string, required bool) *yaml.Node {
	n, ok := f.vals[key]
	if ok && n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		if required {
			f.d.problemAt(n, join(f.path, key), "empty; a value is required")
		}
		return nil
	}
	if !ok {
		if required {
			f.d.problemAt(f.node, join(f.path, key), "missing; this field is required")
		}
		return nil
	}
	if !f.d.usable(join(f.path, key), n) {
		return nil
	}
	return n
}

// placeholder matches the "<...>" values of the template, which must be
// replaced before a config is valid.
var placeholder = regexp.MustCompile(`^<.*>$`)

// scalarString checks that n is a string and returns it.
func (d *decoder) scalarString(path string, n *yaml.Node) (string, bool) {
	if !d.usable(path, n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		hint := ""
		if n.Kind == yaml.ScalarNode {
			hint = "; put it in quotes if it is meant as text"
		}
		d.problemAt(n, path, "want text, got %s%s", kindName(n), hint)
		return "", false
	}
	if placeholder.MatchString(n.Value) {
		d.problemAt(n, path, "placeholder %s: replace it with the real value", n.Value)
		return "", false
	}
	return n.Value, true
}

// str returns a text field ("" if absent or wrong).
func (f *fields) str(key string, required bool) string {
	n := f.get(key, required)
	if n == nil {
		return ""
	}
	s, _ := f.d.scalarString(join(f.path, key), n)
	return s
}

// u16 returns a whole-number field in 0..65535 (0 if absent or wrong).
func (f *fields) u16(key string, required bool) uint16 {
	n := f.get(key, required)
	if n == nil {
		return 0
	}
	path := join(f.path, key)
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		f.d.problemAt(n, path, "want a whole number, got %s", kindName(n))
		return 0
	}
	v, err := strconv.ParseUint(n.Value, 10, 16)
	if err != nil {
		f.d.problemAt(n, path, "want a decimal whole number from 0 to 65535, got %s", n.Value)
		return 0
	}
	return uint16(v)
}

// timeFormat is what times must look like; the example is in the message.
const timeExample = "2026-05-01T08:00:00Z"

// unixTime returns an RFC 3339 time field as Unix seconds (0 if absent or
// wrong). YAML resolves an unquoted time to a timestamp; both it and a
// quoted string are accepted, but only in RFC 3339 with a zone, so that the
// moment is unambiguous. Fractions of a second are refused: the manifest
// holds whole seconds.
func (f *fields) unixTime(key string, required bool) int64 {
	n := f.get(key, required)
	if n == nil {
		return 0
	}
	path := join(f.path, key)
	if n.Kind != yaml.ScalarNode || (n.Tag != "!!str" && n.Tag != "!!timestamp") {
		f.d.problemAt(n, path, "want an RFC 3339 time such as %s, got %s", timeExample, kindName(n))
		return 0
	}
	if placeholder.MatchString(n.Value) {
		f.d.problemAt(n, path, "placeholder %s: replace it with the real value", n.Value)
		return 0
	}
	t, err := time.Parse(time.RFC3339, n.Value)
	if err != nil {
		f.d.problemAt(n, path, "want an RFC 3339 time with a zone, such as %s, got %q", timeExample, n.Value)
		return 0
	}
	if t.Nanosecond() != 0 {
		f.d.problemAt(n, path, "%q: give whole seconds", n.Value)
		return 0
	}
	return t.Unix()
}

// list returns the items of a list field, or nil if absent or not a list.
func (f *fields) list(key string, required bool) []*yaml.Node {
	n := f.get(key, required)
	if n == nil {
		return nil
	}
	path := join(f.path, key)
	if n.Kind != yaml.SequenceNode {
		f.d.problemAt(n, path, "want a list, got %s", kindName(n))
		return nil
	}
	for i, item := range n.Content {
		f.d.nodes[index(path, i)] = item
	}
	return n.Content
}

// strs returns a list of text values; wrong items are recorded and left
// empty, so positions still match the file.
func (f *fields) strs(key string, required bool) []string {
	items := f.list(key, required)
	if items == nil {
		return nil
	}
	out := make([]string, len(items))
	for i, n := range items {
		out[i], _ = f.d.scalarString(index(join(f.path, key), i), n)
	}
	return out
}
