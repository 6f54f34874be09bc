package config

import (
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/evote/evote/election"
)

// validate runs the manifest's own checks, the ones every verifier runs,
// and places each error at its field in the file: the manifest's field
// paths are the config's key paths. Errors at or below a
// path that already has a problem are dropped: they are about the zero
// value the decoder left there.
func (d *decoder) validate(m *election.Manifest) {
	for _, fe := range m.Validate() {
		if d.covered(fe.Path) || d.mentionsBad(fe) {
			continue
		}
		d.problemAt(d.lookup(fe.Path), fe.Path, "%s", fe.Msg)
	}
}

// parent strips the last field or index from a path; "" at the top.
func parent(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i < 0 {
		return ""
	}
	return p[:i]
}

// covered reports whether path or one of its ancestors already has a
// problem.
func (d *decoder) covered(path string) bool {
	for p := path; p != ""; p = parent(p) {
		if d.bad[p] {
			return true
		}
	}
	return false
}

// mentionsBad reports whether fe's message names a field that already has
// a problem, as a full path or as a sibling's name ("is after
// schedule.opens", "exceeds the 0 options"): the rule is then broken by the
// zero value the decoder left there, not by the config.
func (d *decoder) mentionsBad(fe election.FieldError) bool {
	for b := range d.bad {
		if containsWord(fe.Msg, b) {
			return true
		}
		if parent(b) == parent(fe.Path) && containsWord(fe.Msg, b[len(parent(b)):]) {
			return true
		}
	}
	return false
}

// containsWord reports whether s contains w (with any leading "." dropped)
// not as part of a longer name.
func containsWord(s, w string) bool {
	w = strings.TrimPrefix(w, ".")
	for i := 0; w != ""; {
		j := strings.Index(s[i:], w)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(w)
		if (start == 0 || !nameByte(s[start-1])) && (end == len(s) || !nameByte(s[end])) {
			return true
		}
		i = start + 1
	}
	return false
}

// nameByte reports whether c may be part of a field name or path.
func nameByte(c byte) bool {
	return c == '_' || c == '.' || c == '[' || c == ']' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

// lookup returns the node of path, or of its nearest ancestor present in
// the file (a missing field is reported where its mapping is); nil when
// not even the top level is known.
func (d *decoder) lookup(path string) *yaml.Node {
	for p := path; p != ""; p = parent(p) {
		if n, ok := d.nodes[p]; ok {
			return n
		}
	}
	return d.nodes[""]
}
