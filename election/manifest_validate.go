package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// ErrGroup is wrapped when a manifest names a group other than GroupName.
var ErrGroup = errors.New("unsupported group")

// FieldError is one broken rule of a manifest. Path names the field with the
// YAML config's key names (contests[2].max_selections), so that the config
// loader can point at the line; Msg says what is wrong.
type FieldError struct {
	Path string
	Msg  string
}

func (e FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// ValidationError lists every broken rule of one manifest.
type ValidationError struct {
	Errors []FieldError
}

func (e *ValidationError) Error() string {
	msgs := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		msgs[i] = fe.Error()
	}
	return "invalid manifest: " + strings.Join(msgs, "; ")
}

// Validate checks every semantic rule of the manifest (docs/SPEC.md §7.3)
// and returns one FieldError per broken rule, in field order; nil means
// valid. It does not stop at the first problem, so that a commission can fix
// its config in one pass.
func (m *Manifest) Validate() []FieldError {
	v := &validator{}
	if m.Version != ProtocolVersion {
		v.add("version", "%d is not the supported protocol version %d", m.Version, ProtocolVersion)
	}
	if m.Group != GroupName {
		v.add("group", "%q is not the supported group %q", m.Group, GroupName)
	}
	v.title("title", m.Title)
	if len(m.Description) > MaxDescriptionLength || !utf8.ValidString(m.Description) {
		v.add("description", "must be UTF-8 of at most %d bytes", MaxDescriptionLength)
	}
	v.contests(m.Contests)
	v.styles(m.Styles, m.Contests)
	v.schedule(m.Schedule)
	v.key("commission_key", m.Commission)
	v.trustees(m.Trustees)
	v.nodes(m.Nodes)
	v.sealQuorum(m.SealQuorum, len(m.Nodes))
	v.keyReuse(m)
	return v.errs
}

type validator struct {
	errs []FieldError
}

func (v *validator) add(path, format string, args ...any) {
	v.errs = append(v.errs, FieldError{Path: path, Msg: fmt.Sprintf(format, args...)})
}

// title checks a title or a name: non-empty UTF-8 of at most MaxTitleLength
// bytes.
func (v *validator) title(path, s string) {
	switch {
	case s == "":
		v.add(path, "must not be empty")
	case !utf8.ValidString(s):
		v.add(path, "is not valid UTF-8")
	case len(s) > MaxTitleLength:
		v.add(path, "is %d bytes, at most %d", len(s), MaxTitleLength)
	}
}

// validID reports whether s is an id: 1–64 bytes of [a-z0-9_-].
func validID(s string) bool {
	if len(s) == 0 || len(s) > MaxIDLength {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

func (v *validator) id(path, s string) {
	if !validID(s) {
		v.add(path, "%q is not an id: 1–%d characters of a–z, 0–9, _ and -", s, MaxIDLength)
	}
}

func (v *validator) key(path string, k []byte) {
	switch {
	case len(k) == 0:
		v.add(path, "is missing")
	case len(k) != ed25519.PublicKeySize:
		v.add(path, "is %d bytes, want %d", len(k), ed25519.PublicKeySize)
	case bytes.Equal(k, make([]byte, ed25519.PublicKeySize)):
		v.add(path, "is all zeros")
	}
}

func (v *validator) contests(cs []Contest) {
	switch {
	case len(cs) == 0:
		v.add("contests", "an election needs at least one contest")
	case len(cs) > MaxContests:
		v.add("contests", "%d contests, at most %d", len(cs), MaxContests)
	}
	seen := make(map[string]int)
	for i, c := range cs {
		p := fmt.Sprintf("contests[%d]", i)
		v.id(p+".id", c.ID)
		if j, ok := seen[c.ID]; ok {
			v.add(p+".id", "%q is also the id of contests[%d]", c.ID, j)
		} else {
			seen[c.ID] = i
		}
		v.title(p+".title", c.Title)
		v.options(p, c.Options)
		if len(c.Options) > 0 {
			v.limits(p, c)
		}
	}
}

func (v *validator) options(p string, os []Option) {
	switch {
	case len(os) == 0:
		v.add(p+".options", "a contest needs at least one option")
	case len(os) > MaxOptions:
		v.add(p+".options", "%d options, at most %d", len(os), MaxOptions)
	}
	seen := make(map[string]int)
	for j, o := range os {
		q := fmt.Sprintf("%s.options[%d]", p, j)
		v.id(q+".id", o.ID)
		if k, ok := seen[o.ID]; ok {
			v.add(q+".id", "%q is also the id of options[%d]", o.ID, k)
		} else {
			seen[o.ID] = j
		}
		v.title(q+".title", o.Title)
	}
}

// limits checks 0 ≤ min ≤ max ≤ #options and a range that a proof covers.
func (v *validator) limits(p string, c Contest) {
	n := len(c.Options)
	switch {
	case int(c.MaxSelections) > n:
		v.add(p+".max_selections", "%d exceeds the %d options", c.MaxSelections, n)
	case c.MaxSelections == 0:
		v.add(p+".max_selections", "must be at least 1")
	case c.MinSelections > c.MaxSelections:
		v.add(p+".min_selections", "%d exceeds max_selections %d", c.MinSelections, c.MaxSelections)
	case int(c.MaxSelections-c.MinSelections) >= proof.MaxRangeWidth:
		v.add(p+".max_selections", "the range %d–%d is wider than %d selections", c.MinSelections, c.MaxSelections, proof.MaxRangeWidth)
	}
}

func (v *validator) styles(ss []Style, cs []Contest) {
	if len(ss) > MaxStyles {
		v.add("styles", "%d styles, at most %d", len(ss), MaxStyles)
	}
	known := make(map[string]bool, len(cs))
	for _, c := range cs {
		known[c.ID] = true
	}
	used := make(map[string]bool, len(cs))
	seen := make(map[string]int)
	for i, s := range ss {
		p := fmt.Sprintf("styles[%d]", i)
		v.id(p+".id", s.ID)
		if j, ok := seen[s.ID]; ok {
			v.add(p+".id", "%q is also the id of styles[%d]", s.ID, j)
		} else {
			seen[s.ID] = i
		}
		if len(s.Contests) == 0 {
			v.add(p+".contests", "a style needs at least one contest")
		}
		inStyle := make(map[string]bool, len(s.Contests))
		for j, c := range s.Contests {
			q := fmt.Sprintf("%s.contests[%d]", p, j)
			switch {
			case !known[c]:
				v.add(q, "%q is not a contest of this election", c)
			case inStyle[c]:
				v.add(q, "%q is listed twice", c)
			}
			inStyle[c], used[c] = true, true
		}
	}
	if len(ss) == 0 {
		return
	}
	for i, c := range cs {
		if !used[c.ID] {
			v.add(fmt.Sprintf("contests[%d].id", i), "contest %q is in no ballot style", c.ID)
		}
	}
}

func (v *validator) schedule(s Schedule) {
	switch {
	case s.CeremonyDeadline <= 0:
		v.add("schedule.ceremony_deadline", "must be set")
	case s.CeremonyDeadline > s.Opens:
		v.add("schedule.ceremony_deadline", "is after schedule.opens")
	}
	if s.Opens <= 0 {
		v.add("schedule.opens", "must be set")
	}
	if s.Closes <= s.Opens {
		v.add("schedule.closes", "must be after schedule.opens")
	}
}

func (v *validator) trustees(t Trustees) {
	n := len(t.Members)
	switch {
	case n == 0:
		v.add("trustees.members", "an election needs at least one trustee")
	case n > threshold.MaxTrustees:
		v.add("trustees.members", "%d trustees, at most %d", n, threshold.MaxTrustees)
	}
	switch {
	case n == 0:
	case t.Threshold < 1:
		v.add("trustees.threshold", "must be at least 1")
	case int(t.Threshold) > n:
		v.add("trustees.threshold", "%d exceeds the %d trustees", t.Threshold, n)
	}
	names := make(map[string]int)
	for i, m := range t.Members {
		p := fmt.Sprintf("trustees.members[%d]", i)
		v.title(p+".name", m.Name)
		if j, ok := names[m.Name]; ok && m.Name != "" {
			v.add(p+".name", "%q is also the name of trustees.members[%d]", m.Name, j)
		} else {
			names[m.Name] = i
		}
		v.key(p+".signing_key", m.SigningKey)
		if len(m.EncryptionKey) == 0 {
			v.add(p+".encryption_key", "is missing")
		} else if _, err := threshold.ParseEncryptionPublicKey(m.EncryptionKey); err != nil {
			v.add(p+".encryption_key", "%v", err)
		}
	}
}

func (v *validator) nodes(ns []Node) {
	switch {
	case len(ns) == 0:
		v.add("nodes", "an election needs at least one board node")
	case len(ns) > MaxNodes:
		v.add("nodes", "%d nodes, at most %d", len(ns), MaxNodes)
	}
	names, peers, urls := make(map[string]int), make(map[string]int), make(map[string]int)
	for i, n := range ns {
		p := fmt.Sprintf("nodes[%d]", i)
		v.title(p+".name", n.Name)
		v.unique(names, n.Name, i, p+".name", "name")
		v.key(p+".signing_key", n.SigningKey)
		v.peerID(p+".peer_id", n.PeerID, n.SigningKey)
		v.unique(peers, n.PeerID, i, p+".peer_id", "peer_id")
		if len(n.Addrs) > MaxAddrs {
			v.add(p+".addrs", "%d addresses, at most %d", len(n.Addrs), MaxAddrs)
		}
		for j, a := range n.Addrs {
			v.multiaddr(fmt.Sprintf("%s.addrs[%d]", p, j), a)
		}
		v.httpURL(p+".http", n.HTTP)
		v.unique(urls, n.HTTP, i, p+".http", "http")
	}
}

// unique notes s as the value of field in nodes[i] and reports a repeat.
func (v *validator) unique(seen map[string]int, s string, i int, path, field string) {
	if s == "" {
		return
	}
	if j, ok := seen[s]; ok {
		v.add(path, "%q is also the %s of nodes[%d]", s, field, j)
		return
	}
	seen[s] = i
}

// peerID checks that id is the libp2p peer id of the node's signing key,
// since the board authenticates its replication peers by it.
func (v *validator) peerID(path, id string, key []byte) {
	if id == "" {
		v.add(path, "is missing")
		return
	}
	if len(key) != ed25519.PublicKeySize {
		return // the key's own error says it all
	}
	if want := PeerID(key); id != want {
		v.add(path, "%q is not the peer id of signing_key, which is %q", id, want)
	}
}

// multiaddr checks the shape of a libp2p multiaddress; the board parses it
// fully, the election model knows nothing of transport.
func (v *validator) multiaddr(path, a string) {
	switch {
	case len(a) < 2 || a[0] != '/' || strings.HasSuffix(a, "/"):
		v.add(path, "%q is not a multiaddress (like /ip4/192.0.2.1/tcp/4001)", a)
	case len(a) > MaxAddrLength:
		v.add(path, "is %d bytes, at most %d", len(a), MaxAddrLength)
	case strings.ContainsAny(a, " \t\r\n"):
		v.add(path, "%q contains white space", a)
	}
}

func (v *validator) httpURL(path, s string) {
	if s == "" {
		v.add(path, "is missing")
		return
	}
	if len(s) > MaxURLLength {
		v.add(path, "is %d bytes, at most %d", len(s), MaxURLLength)
		return
	}
	u, err := url.Parse(s)
	switch {
	case err != nil:
		v.add(path, "%q is not a URL: %v", s, err)
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, "%q is not an http:// or https:// URL", s)
	case u.Host == "" || u.Hostname() == "":
		v.add(path, "%q has no host", s)
	case u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "":
		v.add(path, "%q must be a base URL, without user, query or fragment", s)
	}
}

func (v *validator) sealQuorum(q uint16, nodes int) {
	switch {
	case nodes == 0:
	case int(q) > nodes:
		v.add("seal_quorum", "%d exceeds the %d nodes", q, nodes)
	case 3*int(q) <= 2*nodes:
		v.add("seal_quorum", "%d is not more than two thirds of the %d nodes (at least %d)", q, nodes, 2*nodes/3+1)
	}
}

// keyReuse checks that no signing key serves two roles or two members of a
// role, and no encryption key two trustees: a key that signs for two
// authors would make the record's authorisation ambiguous.
func (v *validator) keyReuse(m *Manifest) {
	signing := make(map[string]string)
	note := func(path string, k []byte) {
		if len(k) != ed25519.PublicKeySize {
			return
		}
		if first, ok := signing[string(k)]; ok {
			v.add(path, "is the same key as %s", first)
			return
		}
		signing[string(k)] = path
	}
	note("commission_key", m.Commission)
	for i, t := range m.Trustees.Members {
		note(fmt.Sprintf("trustees.members[%d].signing_key", i), t.SigningKey)
	}
	for i, n := range m.Nodes {
		note(fmt.Sprintf("nodes[%d].signing_key", i), n.SigningKey)
	}
	enc := make(map[string]int)
	for i, t := range m.Trustees.Members {
		if len(t.EncryptionKey) == 0 {
			continue
		}
		if j, ok := enc[string(t.EncryptionKey)]; ok {
			v.add(fmt.Sprintf("trustees.members[%d].encryption_key", i), "is the same key as trustees.members[%d].encryption_key", j)
			continue
		}
		enc[string(t.EncryptionKey)] = i
	}
}

// ContestSpec returns the shape of contest i for crypto/contest.
// Precondition: 0 ≤ i < len(m.Contests).
func (m *Manifest) ContestSpec(i int) contest.Spec {
	c := m.Contests[i]
	return contest.Spec{Options: len(c.Options), Min: uint64(c.MinSelections), Max: uint64(c.MaxSelections)}
}

// StyleContests returns the positions, in manifest order, of the contests on
// a ballot of the given style: every contest when the manifest has no
// styles, nil for a style that does not exist. Precondition: m is valid.
func (m *Manifest) StyleContests(style uint16) []int {
	if len(m.Styles) == 0 {
		all := make([]int, len(m.Contests))
		for i := range all {
			all[i] = i
		}
		return all
	}
	if int(style) >= len(m.Styles) {
		return nil
	}
	in := make(map[string]bool, len(m.Styles[style].Contests))
	for _, id := range m.Styles[style].Contests {
		in[id] = true
	}
	var out []int
	for i, c := range m.Contests {
		if in[c.ID] {
			out = append(out, i)
		}
	}
	return out
}
