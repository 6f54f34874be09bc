package election

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestValidateValid(t *testing.T) {
	m1, _ := fxManifest(t, 1, 1, 1)
	m2, _ := fxManifest(t, 3, 2, 4)
	m3, _ := fxBoardManifest(t)
	for i, m := range []*Manifest{m1, m2, m3} {
		if errs := m.Validate(); errs != nil {
			t.Errorf("manifest %d: %v", i, errs)
		}
	}
}

// TestValidateRules breaks one rule at a time and expects exactly one
// FieldError with that path and a message containing msg.
func TestValidateRules(t *testing.T) {
	cases := []struct {
		path, msg string
		f         func(m *Manifest)
	}{
		{"version", "not the supported protocol version", func(m *Manifest) { m.Version = 2 }},
		{"group", "not the supported group", func(m *Manifest) { m.Group = "p256" }},
		{"title", "must not be empty", func(m *Manifest) { m.Title = "" }},
		{"title", "at most 256", func(m *Manifest) { m.Title = strings.Repeat("é", 129) }},
		{"title", "not valid UTF-8", func(m *Manifest) { m.Title = "a\xffb" }},
		{"description", "UTF-8", func(m *Manifest) { m.Description = "\xc3" }},
		{"contests", "at least one contest", func(m *Manifest) { m.Contests, m.Styles = nil, nil }},
		{"contests[0].id", "is not an id", func(m *Manifest) { m.Contests[0].ID = "Chair"; m.Styles[0].Contests[0] = "Chair" }},
		{"contests[0].id", "is not an id", func(m *Manifest) { m.Contests[0].ID = ""; m.Styles[0].Contests[0] = "" }},
		{"contests[0].id", "is not an id", func(m *Manifest) { m.Contests[0].ID = "a b"; m.Styles[0].Contests[0] = "a b" }},
		{"contests[0].id", "is not an id", func(m *Manifest) {
			m.Contests[0].ID = strings.Repeat("x", 65)
			m.Styles[0].Contests[0] = m.Contests[0].ID
		}},
		{"contests[2].id", `"board" is also the id of contests[1]`, func(m *Manifest) { m.Contests[2].ID = "board"; m.Styles = nil }},
		{"contests[1].title", "must not be empty", func(m *Manifest) { m.Contests[1].Title = "" }},
		{"contests[0].options", "at least one option", func(m *Manifest) { m.Contests[0].Options = nil }},
		{"contests[1].options[2].id", `"e" is also the id of options[1]`, func(m *Manifest) { m.Contests[1].Options[2].ID = "e" }},
		{"contests[1].options[0].id", "is not an id", func(m *Manifest) { m.Contests[1].Options[0].ID = "D" }},
		{"contests[1].options[3].title", "must not be empty", func(m *Manifest) { m.Contests[1].Options[3].Title = "" }},
		{"contests[2].max_selections", "4 exceeds the 2 options", func(m *Manifest) { m.Contests[2].MaxSelections = 4 }},
		{"contests[0].max_selections", "at least 1", func(m *Manifest) { m.Contests[0].MaxSelections = 0 }},
		{"contests[1].min_selections", "2 exceeds max_selections 1", func(m *Manifest) { m.Contests[1].MinSelections, m.Contests[1].MaxSelections = 2, 1 }},
		{"contests[0].max_selections", "wider than 256", func(m *Manifest) {
			m.Contests[0].Options = nil
			for i := range 300 {
				m.Contests[0].Options = append(m.Contests[0].Options, Option{fmt.Sprintf("o%d", i), "O"})
			}
			m.Contests[0].MaxSelections = 256
		}},
		{"styles[1].id", `"members" is also the id of styles[0]`, func(m *Manifest) { m.Styles[1].ID = "members" }},
		{"styles[0].id", "is not an id", func(m *Manifest) { m.Styles[0].ID = "" }},
		{"styles[1].contests", "at least one contest", func(m *Manifest) { m.Styles[1].Contests = nil }},
		{"styles[1].contests[1]", `"mayor" is not a contest`, func(m *Manifest) { m.Styles[1].Contests = []string{"budget", "mayor"} }},
		{"styles[1].contests[1]", `"budget" is listed twice`, func(m *Manifest) { m.Styles[1].Contests = []string{"budget", "budget"} }},
		{"contests[0].id", `"chair" is in no ballot style`, func(m *Manifest) { m.Styles[0].Contests = []string{"board", "budget"} }},
		{"schedule.ceremony_deadline", "after schedule.opens", func(m *Manifest) { m.Schedule.CeremonyDeadline = m.Schedule.Opens + 1 }},
		{"schedule.ceremony_deadline", "must be set", func(m *Manifest) { m.Schedule.CeremonyDeadline = 0 }},
		{"schedule.closes", "after schedule.opens", func(m *Manifest) { m.Schedule.Closes = m.Schedule.Opens }},
		{"commission_key", "is missing", func(m *Manifest) { m.Commission = nil }},
		{"commission_key", "is 31 bytes", func(m *Manifest) { m.Commission = m.Commission[:31] }},
		{"commission_key", "all zeros", func(m *Manifest) { m.Commission = make([]byte, 32) }},
		{"trustees.members", "at least one trustee", func(m *Manifest) { m.Trustees.Members = nil }},
		{"trustees.threshold", "at least 1", func(m *Manifest) { m.Trustees.Threshold = 0 }},
		{"trustees.threshold", "4 exceeds the 3 trustees", func(m *Manifest) { m.Trustees.Threshold = 4 }},
		{"trustees.members[1].name", "must not be empty", func(m *Manifest) { m.Trustees.Members[1].Name = "" }},
		{"trustees.members[2].name", "also the name of trustees.members[0]", func(m *Manifest) { m.Trustees.Members[2].Name = m.Trustees.Members[0].Name }},
		{"trustees.members[1].signing_key", "is missing", func(m *Manifest) { m.Trustees.Members[1].SigningKey = nil }},
		{"trustees.members[1].encryption_key", "is missing", func(m *Manifest) { m.Trustees.Members[1].EncryptionKey = nil }},
		{"trustees.members[1].encryption_key", "length 31", func(m *Manifest) { m.Trustees.Members[1].EncryptionKey = m.Trustees.Members[1].EncryptionKey[:31] }},
		{"trustees.members[1].encryption_key", "low-order", func(m *Manifest) { m.Trustees.Members[1].EncryptionKey = make([]byte, 32) }},
		{"trustees.members[1].encryption_key", "canonical", func(m *Manifest) { m.Trustees.Members[1].EncryptionKey = bytes.Repeat([]byte{0xff}, 32) }},
		{"trustees.members[2].encryption_key", "same key as trustees.members[0].encryption_key", func(m *Manifest) {
			m.Trustees.Members[2].EncryptionKey = m.Trustees.Members[0].EncryptionKey
		}},
		{"trustees.members[1].signing_key", "same key as trustees.members[0].signing_key", func(m *Manifest) {
			m.Trustees.Members[1].SigningKey = m.Trustees.Members[0].SigningKey
		}},
		{"trustees.members[0].signing_key", "same key as commission_key", func(m *Manifest) { m.Trustees.Members[0].SigningKey = m.Commission }},
		{"nodes", "at least one board node", func(m *Manifest) { m.Nodes = nil }},
		{"nodes[1].name", "also the name of nodes[0]", func(m *Manifest) { m.Nodes[1].Name = m.Nodes[0].Name }},
		{"nodes[2].name", "must not be empty", func(m *Manifest) { m.Nodes[2].Name = "" }},
		{"nodes[0].peer_id", "is not the peer id of signing_key", func(m *Manifest) { m.Nodes[0].PeerID = m.Nodes[1].PeerID + "x" }},
		{"nodes[0].peer_id", "is missing", func(m *Manifest) { m.Nodes[0].PeerID = "" }},
		{"nodes[2].addrs[0]", "not a multiaddress", func(m *Manifest) { m.Nodes[2].Addrs[0] = "127.0.0.1:4001" }},
		{"nodes[2].addrs[0]", "white space", func(m *Manifest) { m.Nodes[2].Addrs[0] = "/ip4/127.0.0.1/tcp/ 4001" }},
		{"nodes[1].http", "not an http:// or https:// URL", func(m *Manifest) { m.Nodes[1].HTTP = "ftp://board.example" }},
		{"nodes[1].http", "no host", func(m *Manifest) { m.Nodes[1].HTTP = "https://" }},
		{"nodes[1].http", "is missing", func(m *Manifest) { m.Nodes[1].HTTP = "" }},
		{"nodes[1].http", "base URL", func(m *Manifest) { m.Nodes[1].HTTP = "https://board.example/?x=1" }},
		{"nodes[1].http", "not a URL", func(m *Manifest) { m.Nodes[1].HTTP = "http://[::1" }},
		{"nodes[2].http", "also the http of nodes[0]", func(m *Manifest) { m.Nodes[2].HTTP = m.Nodes[0].HTTP }},
		{"nodes[1].signing_key", "is missing", func(m *Manifest) { m.Nodes[1].SigningKey = nil }},
		{"nodes[1].signing_key", "same key as trustees.members[2].signing_key", func(m *Manifest) {
			m.Nodes[1].SigningKey = m.Trustees.Members[2].SigningKey
			m.Nodes[1].PeerID = PeerID(m.Nodes[1].SigningKey)
		}},
		{"seal_quorum", "not more than two thirds of the 3 nodes (at least 3)", func(m *Manifest) { m.SealQuorum = 2 }},
		{"seal_quorum", "4 exceeds the 3 nodes", func(m *Manifest) { m.SealQuorum = 4 }},
	}
	for _, c := range cases {
		t.Run(c.path+"/"+c.msg, func(t *testing.T) {
			m, _ := fxBoardManifest(t)
			c.f(m)
			errs := m.Validate()
			if len(errs) != 1 || errs[0].Path != c.path || !strings.Contains(errs[0].Msg, c.msg) {
				t.Errorf("Validate() = %v, want one error at %s containing %q", errs, c.path, c.msg)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	m, _ := fxBoardManifest(t)
	m.Title = ""
	m.Contests[2].MaxSelections = 4
	m.SealQuorum = 9
	want := []FieldError{
		{"title", "must not be empty"},
		{"contests[2].max_selections", "4 exceeds the 2 options"},
		{"seal_quorum", "9 exceeds the 3 nodes"},
	}
	if got := m.Validate(); !reflect.DeepEqual(got, want) {
		t.Errorf("Validate() = %v, want %v", got, want)
	}
	if got := want[1].Error(); got != "contests[2].max_selections: 4 exceeds the 2 options" {
		t.Errorf("FieldError.Error() = %q", got)
	}
}

func TestSealQuorumBounds(t *testing.T) {
	for nodes := 1; nodes <= 10; nodes++ {
		for q := 0; q <= nodes+1; q++ {
			m, _ := fxManifest(t, 1, 1, nodes)
			m.SealQuorum = uint16(q)
			ok := m.Validate() == nil
			if want := 3*q > 2*nodes && q <= nodes; ok != want {
				t.Errorf("%d nodes, quorum %d: valid = %v, want %v", nodes, q, ok, want)
			}
		}
	}
}

func TestContestSpecAndStyles(t *testing.T) {
	m, _ := fxBoardManifest(t)
	if s := m.ContestSpec(1); s.Options != 4 || s.Min != 1 || s.Max != 3 {
		t.Errorf("ContestSpec(1) = %+v", s)
	}
	// Styles list contests in any order; positions come in manifest order.
	m.Styles[0].Contests = []string{"budget", "chair", "board"}
	for style, want := range [][]int{{0, 1, 2}, {2}, nil} {
		if got := m.StyleContests(uint16(style)); !reflect.DeepEqual(got, want) {
			t.Errorf("StyleContests(%d) = %v, want %v", style, got, want)
		}
	}
	m.Styles = nil
	if got := m.StyleContests(0); !reflect.DeepEqual(got, []int{0, 1, 2}) {
		t.Errorf("no styles: StyleContests(0) = %v", got)
	}
}
