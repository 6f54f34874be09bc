package config

import (
	"bytes"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// configsDir holds the example configs that must always load.
const configsDir = "../../election-configs"

// checkManifest asserts what every manifest that Parse returns must satisfy:
// it validates and its encoding decodes to the same bytes.
func checkManifest(t testing.TB, name string, m *election.Manifest) {
	t.Helper()
	if errs := m.Validate(); len(errs) > 0 {
		t.Errorf("%s: Parse returned a manifest that does not validate: %v", name, errs)
	}
	b := m.Bytes()
	m2, err := election.DecodeManifest(b)
	if err != nil {
		t.Fatalf("%s: DecodeManifest(Bytes()): %v", name, err)
	}
	if !bytes.Equal(m2.Bytes(), b) {
		t.Errorf("%s: manifest does not re-encode to the same bytes", name)
	}
}

func TestGoodVectors(t *testing.T) {
	files, _ := filepath.Glob("testdata/good_*.yaml")
	if len(files) == 0 {
		t.Fatal("no testdata/good_*.yaml")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			m, err := Load(f)
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			checkManifest(t, f, m)
		})
	}
}

// wantLines returns the "# want: " lines of a fail vector: the substrings
// that its problems must contain, one per problem, in order.
func wantLines(t *testing.T, data []byte) []string {
	var wants []string
	for _, line := range strings.Split(string(data), "\n") {
		if w, ok := strings.CutPrefix(line, "# want: "); ok {
			wants = append(wants, w)
		}
	}
	if len(wants) == 0 {
		t.Fatal("vector has no '# want: ' line")
	}
	return wants
}

func TestFailVectors(t *testing.T) {
	files, _ := filepath.Glob("testdata/fail_*.yaml")
	if len(files) < 20 {
		t.Fatalf("only %d testdata/fail_*.yaml", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			wants := wantLines(t, data)
			m, err := Load(f)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", m)
			}
			if m != nil {
				t.Error("Load returned a manifest with an error")
			}
			var cerr *Error
			if !errors.As(err, &cerr) {
				t.Fatalf("error %v (%T) is not a *config.Error", err, err)
			}
			var p Problem
			if !errors.As(err, &p) || p.File != f {
				t.Errorf("errors.As(Problem) = %+v, want a problem in %s", p, f)
			}
			if len(cerr.Problems) != len(wants) {
				t.Fatalf("%d problems, want %d:\n%v", len(cerr.Problems), len(wants), err)
			}
			for i, w := range wants {
				if got := cerr.Problems[i].Error(); !strings.HasPrefix(got, f) || !strings.Contains(got, w) {
					t.Errorf("problem %d is\n\t%s\nwant it to contain\n\t%s", i, got, w)
				}
			}
		})
	}
}

func TestKeyFilesAndTimes(t *testing.T) {
	m, err := Load("testdata/good_keyfiles.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"demo-trustee-1", "demo-trustee-2", "demo-trustee-3"} {
		pub, err := keyfile.LoadPublic(filepath.Join("testdata/keys", name+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		tr := m.Trustees.Members[i]
		if !bytes.Equal(tr.SigningKey, pub.SigningKey) || !bytes.Equal(tr.EncryptionKey, pub.EncryptionKey) {
			t.Errorf("trustee %d: keys differ from %s.pub", i, name)
		}
	}
	for i, n := range m.Nodes {
		pub, err := keyfile.LoadPublic(filepath.Join("testdata/keys", "demo-node-"+string(rune('1'+i))+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(n.SigningKey, pub.SigningKey) || n.PeerID != pub.PeerID {
			t.Errorf("node %d: key or peer id differ from its .pub file: %s vs %s", i, n.PeerID, pub.PeerID)
		}
	}
	want := map[string]int64{
		"ceremony_deadline": time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC).Unix(),
		"opens":             time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC).Unix(),
		"closes":            time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC).Unix(),
	}
	got := map[string]int64{"ceremony_deadline": m.Schedule.CeremonyDeadline, "opens": m.Schedule.Opens, "closes": m.Schedule.Closes}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("schedule.%s = %d, want %d", k, got[k], w)
		}
	}
}

func TestDefaultsAndDerivedPeerID(t *testing.T) {
	m, err := Load("testdata/good_minimal.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if m.Version != election.ProtocolVersion || m.Group != election.GroupName {
		t.Errorf("version %d group %q, want the defaults", m.Version, m.Group)
	}
	if ids := []string{m.Contests[0].Options[0].ID, m.Contests[0].Options[1].ID}; ids[0] != "yes" || ids[1] != "no" {
		t.Errorf("unquoted yes/no option ids read as %q", ids)
	}
	if m.Contests[0].MinSelections != 0 {
		t.Errorf("min_selections defaults to %d, want 0", m.Contests[0].MinSelections)
	}
	if want, _ := hex.DecodeString("86da4c0a99171da01fda697c6bf8624ce91caab094b24a5bf6384b5c43305f42"); !bytes.Equal(m.Commission, want) {
		t.Errorf("upper-case hex commission key read as %x", m.Commission)
	}
	if want := "12D3KooWFMCGmQG1tVCSycGDyAjVy3M8pbKxPygjzdZ7pzzGw3zR"; m.Nodes[0].PeerID != want {
		t.Errorf("derived peer id %s, want %s", m.Nodes[0].PeerID, want)
	}
}

func TestExampleConfigs(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(configsDir, "*.yaml"))
	if len(files) < 3 {
		t.Fatalf("only %d configs in %s", len(files), configsDir)
	}
	loaded := map[string]*election.Manifest{}
	for _, f := range files {
		m, err := Load(f)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		checkManifest(t, f, m)
		loaded[filepath.Base(f)] = m
		if len(m.Nodes) != 3 || m.SealQuorum != 3 {
			t.Errorf("%s: %d nodes, seal quorum %d; want 3 and 3", f, len(m.Nodes), m.SealQuorum)
		}
		for _, n := range m.Nodes {
			if !strings.HasPrefix(n.HTTP, "http://127.0.0.1:") || !strings.HasPrefix(n.Addrs[0], "/ip4/127.0.0.1/") {
				t.Errorf("%s: node %s is not on the loopback address", f, n.Name)
			}
		}
	}
	type shape struct {
		contest   string
		options   int
		min, max  uint16
		trustees  int
		threshold uint16
		styles    int
	}
	for file, want := range map[string][]shape{
		"referendum.yaml": {{contest: "library-bond", options: 2, max: 1, trustees: 3, threshold: 2}},
		"municipal.yaml": {
			{contest: "mayor", options: 4, max: 1, trustees: 3, threshold: 2},
			{contest: "council", options: 9, max: 3, trustees: 3, threshold: 2},
		},
		"board.yaml": {
			{contest: "chair", options: 3, max: 1, trustees: 5, threshold: 3, styles: 2},
			{contest: "directors", options: 7, min: 1, max: 4, trustees: 5, threshold: 3, styles: 2},
			{contest: "staff-rep", options: 2, max: 1, trustees: 5, threshold: 3, styles: 2},
			{contest: "bylaw-7", options: 2, max: 1, trustees: 5, threshold: 3, styles: 2},
		},
	} {
		m := loaded[file]
		if m == nil {
			t.Errorf("%s missing or invalid", file)
			continue
		}
		if len(m.Contests) != len(want) {
			t.Errorf("%s: %d contests, want %d", file, len(m.Contests), len(want))
			continue
		}
		for i, w := range want {
			c := m.Contests[i]
			got := shape{c.ID, len(c.Options), c.MinSelections, c.MaxSelections, len(m.Trustees.Members), m.Trustees.Threshold, len(m.Styles)}
			if got != w {
				t.Errorf("%s: contest %d is %+v, want %+v", file, i, got, w)
			}
		}
	}
	if m := loaded["referendum.yaml"]; m != nil {
		if o := m.Contests[0].Options; o[0].ID != "yes" || o[1].ID != "no" {
			t.Errorf("referendum options %q, %q; want yes, no", o[0].ID, o[1].ID)
		}
	}
}

// placeholderValue matches a template placeholder, quoted or not.
var placeholderValue = regexp.MustCompile(`"?<[^>]*>"?`)

// fillTemplate replaces the template's placeholders, in order, with values.
func fillTemplate(t *testing.T, values []string) []byte {
	lines := strings.Split(string(Template()), "\n")
	next := 0
	for i, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "#") {
			continue
		}
		lines[i] = placeholderValue.ReplaceAllStringFunc(l, func(string) string {
			if next == len(values) {
				t.Fatalf("more placeholders than values, at %q", l)
			}
			next++
			return values[next-1]
		})
	}
	if next != len(values) {
		t.Fatalf("%d placeholders, %d values", next, len(values))
	}
	return []byte(strings.Join(lines, "\n"))
}

func TestTemplate(t *testing.T) {
	_, err := Parse("election.yaml", Template())
	var cerr *Error
	if !errors.As(err, &cerr) {
		t.Fatalf("the unfilled template parses: %v", err)
	}
	for _, p := range cerr.Problems {
		if !strings.Contains(p.Msg, "placeholder <") || p.Line == 0 {
			t.Errorf("unfilled template: a problem other than a placeholder: %v", p)
		}
	}
	demo := func(name string) *keyfile.Public {
		p, err := keyfile.LoadPublic(filepath.Join("testdata/keys", name+".pub"))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	h := func(b []byte) string { return hex.EncodeToString(b) }
	values := []string{"Filled-in template", "It is a test.", `"Agree?"`,
		"2026-04-30T12:00:00Z", "2026-05-01T08:00:00Z", "2026-05-01T20:00:00Z",
		h(demo("demo-commission").SigningKey)}
	for i := 1; i <= 3; i++ {
		p := demo("demo-trustee-" + string(rune('0'+i)))
		values = append(values, "Trustee "+string(rune('0'+i)), h(p.SigningKey), h(p.EncryptionKey))
	}
	for i := 1; i <= 3; i++ {
		values = append(values, h(demo("demo-node-"+string(rune('0'+i))).SigningKey))
	}
	if len(values) != len(cerr.Problems) {
		t.Errorf("%d placeholder problems, want one per placeholder (%d)", len(cerr.Problems), len(values))
	}
	m, err := Parse("filled.yaml", fillTemplate(t, values))
	if err != nil {
		t.Fatalf("the filled-in template: %v", err)
	}
	checkManifest(t, "filled template", m)
	if m.Trustees.Threshold != 2 || len(m.Trustees.Members) != 3 || m.SealQuorum != 3 {
		t.Errorf("template defaults: threshold %d of %d, quorum %d", m.Trustees.Threshold, len(m.Trustees.Members), m.SealQuorum)
	}
}

func TestTemplateIsACopy(t *testing.T) {
	a := Template()
	a[0] ^= 1
	if b := Template(); b[0] == a[0] {
		t.Error("Template returned shared memory")
	}
}

func TestProblemFormat(t *testing.T) {
	for _, c := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "a.yaml", Line: 14, Column: 5, Path: "contests[2].max_selections", Msg: "4 exceeds the 3 options"},
			"a.yaml:14:5: contests[2].max_selections: 4 exceeds the 3 options"},
		{Problem{File: "a.yaml", Line: 3, Msg: "malformed YAML: x"}, "a.yaml:3: malformed YAML: x"},
		{Problem{File: "a.yaml", Msg: "empty config"}, "a.yaml: empty config"},
	} {
		if got := c.p.Error(); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	e := &Error{Problems: []Problem{{File: "a", Line: 1, Msg: "x"}, {File: "a", Line: 2, Msg: "y"}}}
	if got, want := e.Error(), "a:1: x\na:2: y"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"))
	var cerr *Error
	if err == nil || errors.As(err, &cerr) || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v, want a not-exist error that is not a *config.Error", err)
	}
	big := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("#\n"), MaxSize/2+1), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized file: %v", err)
	}
}

// TestKeyPathsRelativeToConfig loads a config from another working
// directory's point of view: its key paths must resolve beside the config.
func TestKeyPathsRelativeToConfig(t *testing.T) {
	data, err := os.ReadFile("testdata/good_keyfiles.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("testdata/good_keyfiles.yaml", data); err != nil {
		t.Errorf("beside its keys: %v", err)
	}
	_, err = Parse(filepath.Join(t.TempDir(), "x.yaml"), data)
	if err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("away from its keys: %v, want key files that do not exist", err)
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	examples, _ := filepath.Glob(filepath.Join(configsDir, "*.yaml"))
	for _, name := range append(files, examples...) {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add(Template())
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse("testdata/fuzz.yaml", data)
		if err == nil {
			checkManifest(t, "fuzz", m)
			return
		}
		var cerr *Error
		if !errors.As(err, &cerr) || len(cerr.Problems) == 0 {
			t.Fatalf("error %v is not a non-empty *config.Error", err)
		}
		for _, p := range cerr.Problems {
			if p.File != "testdata/fuzz.yaml" || p.Line < 0 || p.Column < 0 || p.Msg == "" {
				t.Fatalf("bad problem %+v", p)
			}
		}
	})
}

func BenchmarkLoadMunicipal(b *testing.B) {
	path := filepath.Join(configsDir, "municipal.yaml")
	for b.Loop() {
		if _, err := Load(path); err != nil {
			b.Fatal(err)
		}
	}
}

// TestKeyFileNotRegular: a .pub path that is a directory (or a named pipe,
// which would block a reader) is refused before it is opened.
func TestKeyFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "commission.pub"), 0o755); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("testdata/good_base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	data = regexp.MustCompile(`commission_key: [0-9a-f]+`).ReplaceAll(data, []byte("commission_key: commission.pub"))
	_, err = Parse(filepath.Join(dir, "e.yaml"), data)
	var cerr *Error
	if !errors.As(err, &cerr) || len(cerr.Problems) != 1 || !strings.Contains(cerr.Problems[0].Msg, "is not a regular file") {
		t.Errorf("got %v, want one problem: not a regular file", err)
	}
}
