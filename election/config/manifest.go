package config

import (
	"go.yaml.in/yaml/v3"

	"github.com/evote/evote/election"
)

// The field names of each mapping in a config. They are the snake_case
// names of the election.Manifest fields, so that the paths in the
// manifest's validation errors are config paths too; README.md in
// election-configs/ describes each one.
var (
	topFields      = []string{"version", "group", "title", "description", "contests", "styles", "schedule", "commission_key", "trustees", "nodes", "seal_quorum"}
	contestFields  = []string{"id", "title", "options", "min_selections", "max_selections"}
	optionFields   = []string{"id", "title"}
	styleFields    = []string{"id", "contests"}
	scheduleFields = []string{"ceremony_deadline", "opens", "closes"}
	trusteesFields = []string{"threshold", "members"}
	trusteeFields  = []string{"name", "signing_key", "encryption_key"}
	nodeFields     = []string{"name", "peer_id", "addrs", "http", "signing_key"}
)

// decode parses data into a manifest. It returns nil only when the
// document is not a mapping at all; otherwise a manifest with whatever
// could be read, the problems recorded, so that validation can still
// report everything else.
func (d *decoder) decode(data []byte) *election.Manifest {
	root := d.document(data)
	if root == nil {
		return nil
	}
	d.nodes[""] = root
	f := d.mapping("", root, topFields...)
	if f == nil {
		return nil
	}
	m := &election.Manifest{Version: election.ProtocolVersion, Group: election.GroupName}
	if _, ok := f.vals["version"]; ok {
		m.Version = f.u16("version", true)
	}
	if _, ok := f.vals["group"]; ok {
		m.Group = f.str("group", true)
	}
	m.Title = f.str("title", true)
	m.Description = f.str("description", false)
	for i, n := range f.list("contests", true) {
		m.Contests = append(m.Contests, d.contest(index("contests", i), n))
	}
	for i, n := range f.list("styles", false) {
		m.Styles = append(m.Styles, d.style(index("styles", i), n))
	}
	m.Schedule = d.schedule(f)
	m.Commission = f.key("commission_key", commissionKey)
	m.Trustees = d.trustees(f)
	for i, n := range f.list("nodes", true) {
		m.Nodes = append(m.Nodes, d.node(index("nodes", i), n))
	}
	m.SealQuorum = f.u16("seal_quorum", true)
	return m
}

func (d *decoder) contest(path string, n *yaml.Node) election.Contest {
	f := d.mapping(path, n, contestFields...)
	if f == nil {
		return election.Contest{}
	}
	c := election.Contest{
		ID:            f.str("id", true),
		Title:         f.str("title", true),
		MinSelections: f.u16("min_selections", false),
		MaxSelections: f.u16("max_selections", true),
	}
	for i, n := range f.list("options", true) {
		c.Options = append(c.Options, d.option(index(join(path, "options"), i), n))
	}
	return c
}

func (d *decoder) option(path string, n *yaml.Node) election.Option {
	f := d.mapping(path, n, optionFields...)
	if f == nil {
		return election.Option{}
	}
	return election.Option{ID: f.str("id", true), Title: f.str("title", true)}
}

func (d *decoder) style(path string, n *yaml.Node) election.Style {
	f := d.mapping(path, n, styleFields...)
	if f == nil {
		return election.Style{}
	}
	return election.Style{ID: f.str("id", true), Contests: f.strs("contests", true)}
}

func (d *decoder) schedule(top *fields) election.Schedule {
	n := top.get("schedule", true)
	if n == nil {
		return election.Schedule{}
	}
	f := d.mapping("schedule", n, scheduleFields...)
	if f == nil {
		return election.Schedule{}
	}
	return election.Schedule{
		CeremonyDeadline: f.unixTime("ceremony_deadline", true),
		Opens:            f.unixTime("opens", true),
		Closes:           f.unixTime("closes", true),
	}
}

func (d *decoder) trustees(top *fields) election.Trustees {
	n := top.get("trustees", true)
	if n == nil {
		return election.Trustees{}
	}
	f := d.mapping("trustees", n, trusteesFields...)
	if f == nil {
		return election.Trustees{}
	}
	t := election.Trustees{Threshold: f.u16("threshold", true)}
	for i, n := range f.list("members", true) {
		t.Members = append(t.Members, d.trustee(index("trustees.members", i), n))
	}
	return t
}

func (d *decoder) trustee(path string, n *yaml.Node) election.Trustee {
	f := d.mapping(path, n, trusteeFields...)
	if f == nil {
		return election.Trustee{}
	}
	return election.Trustee{
		Name:          f.str("name", true),
		SigningKey:    f.key("signing_key", trusteeSigningKey),
		EncryptionKey: f.key("encryption_key", trusteeEncryptionKey),
	}
}

// node reads one board node. Its peer id follows from its signing key, so
// peer_id may be left out and is then derived; if given, the manifest's
// validation checks that it matches.
func (d *decoder) node(path string, n *yaml.Node) election.Node {
	f := d.mapping(path, n, nodeFields...)
	if f == nil {
		return election.Node{}
	}
	nd := election.Node{
		Name:       f.str("name", true),
		PeerID:     f.str("peer_id", false),
		Addrs:      f.strs("addrs", true),
		HTTP:       f.str("http", true),
		SigningKey: f.key("signing_key", nodeSigningKey),
	}
	if _, given := f.vals["peer_id"]; !given {
		if nd.SigningKey != nil {
			nd.PeerID = election.PeerID(nd.SigningKey)
		} else {
			// The peer id would follow from signing_key, whose problem is
			// already reported; "peer_id is missing" would only mislead.
			d.bad[join(path, "peer_id")] = true
		}
	}
	return nd
}
