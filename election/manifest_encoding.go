package election

import (
	"crypto/ed25519"
	"fmt"

	"github.com/evote/evote/crypto/threshold"
	"github.com/evote/evote/election/wire"
)

// Limits of a manifest. The decoder enforces them so that a hostile manifest
// cannot make anyone allocate much; Validate reports them with field paths.
const (
	MaxIDLength          = 64
	MaxTitleLength       = 256 // titles and names
	MaxDescriptionLength = 64 << 10
	MaxContests          = 256
	MaxOptions           = 1024 // per contest
	MaxStyles            = 1024
	MaxNodes             = 64
	MaxAddrs             = 16 // per node
	MaxAddrLength        = 256
	MaxPeerIDLength      = 128
	MaxURLLength         = 2048
)

// Bytes returns the manifest's canonical encoding: every field in struct
// order (docs/SPEC.md §7.3).
//
//	u16 version ‖ str group ‖ str title ‖ str description
//	‖ u32 #contests ‖ contests ‖ u32 #styles ‖ styles
//	‖ i64 ceremony_deadline ‖ i64 opens ‖ i64 closes ‖ 32 commission
//	‖ u16 threshold ‖ u32 #members ‖ members ‖ u32 #nodes ‖ nodes ‖ u16 seal_quorum
//
// where str is u32 length ‖ UTF-8 bytes, a contest is str id ‖ str title ‖
// u32 #options ‖ (str id ‖ str title)… ‖ u16 min ‖ u16 max, a style is
// str id ‖ u32 #contests ‖ str contest id…, a member is str name ‖
// 32 signing key ‖ 32 encryption key, and a node is str name ‖ str peer id ‖
// u32 #addrs ‖ str addr… ‖ str http ‖ 32 signing key.
//
// Precondition: every key is exactly 32 bytes (Validate checks it); a key of
// another length is written as it is and the result does not decode.
func (m *Manifest) Bytes() []byte {
	w := &wire.Writer{}
	w.U16(m.Version)
	w.String(m.Group)
	w.String(m.Title)
	w.String(m.Description)
	w.Count(len(m.Contests))
	for _, c := range m.Contests {
		w.String(c.ID)
		w.String(c.Title)
		w.Count(len(c.Options))
		for _, o := range c.Options {
			w.String(o.ID)
			w.String(o.Title)
		}
		w.U16(c.MinSelections)
		w.U16(c.MaxSelections)
	}
	w.Count(len(m.Styles))
	for _, s := range m.Styles {
		w.String(s.ID)
		w.Count(len(s.Contests))
		for _, c := range s.Contests {
			w.String(c)
		}
	}
	w.I64(m.Schedule.CeremonyDeadline)
	w.I64(m.Schedule.Opens)
	w.I64(m.Schedule.Closes)
	w.Fixed(m.Commission)
	w.U16(m.Trustees.Threshold)
	w.Count(len(m.Trustees.Members))
	for _, t := range m.Trustees.Members {
		w.String(t.Name)
		w.Fixed(t.SigningKey)
		w.Fixed(t.EncryptionKey)
	}
	w.Count(len(m.Nodes))
	for _, n := range m.Nodes {
		w.String(n.Name)
		w.String(n.PeerID)
		w.Count(len(n.Addrs))
		for _, a := range n.Addrs {
			w.String(a)
		}
		w.String(n.HTTP)
		w.Fixed(n.SigningKey)
	}
	w.U16(m.SealQuorum)
	return w.Bytes()
}

// Smallest encodings of the list elements, for wire.Reader.Count.
const (
	minContestSize = 4 + 4 + 4 + 2 + 2
	minOptionSize  = 4 + 4
	minStyleSize   = 4 + 4
	minStrSize     = 4
	minMemberSize  = 4 + ed25519.PublicKeySize + threshold.EncryptionKeySize
	minNodeSize    = 4 + 4 + 4 + 4 + ed25519.PublicKeySize
)

// DecodeManifest parses a manifest strictly: the encoding of Bytes with
// nothing trailing, every string valid UTF-8 within its limit, every list
// within its limit, version ProtocolVersion and group GroupName (a verifier
// refuses any other rather than take parameters from the record). It does
// not check the semantic rules; see Validate.
func DecodeManifest(b []byte) (*Manifest, error) {
	r := wire.NewReader(b)
	m := &Manifest{}
	m.Version = r.U16("version")
	m.Group = r.String("group", 64)
	m.Title = r.String("title", MaxTitleLength)
	m.Description = r.String("description", MaxDescriptionLength)
	if n := r.Count("contests", MaxContests, minContestSize); n > 0 {
		m.Contests = make([]Contest, n)
		for i := range m.Contests {
			m.Contests[i] = decodeContest(r)
		}
	}
	if n := r.Count("styles", MaxStyles, minStyleSize); n > 0 {
		m.Styles = make([]Style, n)
		for i := range m.Styles {
			m.Styles[i] = decodeStyle(r)
		}
	}
	m.Schedule = Schedule{
		CeremonyDeadline: r.I64("schedule.ceremony_deadline"),
		Opens:            r.I64("schedule.opens"),
		Closes:           r.I64("schedule.closes"),
	}
	m.Commission = r.Fixed("commission_key", ed25519.PublicKeySize)
	m.Trustees.Threshold = r.U16("trustees.threshold")
	if n := r.Count("trustees.members", threshold.MaxTrustees, minMemberSize); n > 0 {
		m.Trustees.Members = make([]Trustee, n)
		for i := range m.Trustees.Members {
			m.Trustees.Members[i] = Trustee{
				Name:          r.String("trustee name", MaxTitleLength),
				SigningKey:    r.Fixed("trustee signing_key", ed25519.PublicKeySize),
				EncryptionKey: r.Fixed("trustee encryption_key", threshold.EncryptionKeySize),
			}
		}
	}
	if n := r.Count("nodes", MaxNodes, minNodeSize); n > 0 {
		m.Nodes = make([]Node, n)
		for i := range m.Nodes {
			m.Nodes[i] = decodeNode(r)
		}
	}
	m.SealQuorum = r.U16("seal_quorum")
	if err := r.Finish(); err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	if m.Version != ProtocolVersion {
		return nil, fmt.Errorf("manifest: %w: %d (this is version %d)", ErrVersion, m.Version, ProtocolVersion)
	}
	if m.Group != GroupName {
		return nil, fmt.Errorf("manifest: %w: %q (the only group is %q)", ErrGroup, m.Group, GroupName)
	}
	return m, nil
}

func decodeContest(r *wire.Reader) Contest {
	c := Contest{ID: r.String("contest id", MaxIDLength), Title: r.String("contest title", MaxTitleLength)}
	if n := r.Count("options", MaxOptions, minOptionSize); n > 0 {
		c.Options = make([]Option, n)
		for i := range c.Options {
			c.Options[i] = Option{ID: r.String("option id", MaxIDLength), Title: r.String("option title", MaxTitleLength)}
		}
	}
	c.MinSelections = r.U16("min_selections")
	c.MaxSelections = r.U16("max_selections")
	return c
}

func decodeStyle(r *wire.Reader) Style {
	s := Style{ID: r.String("style id", MaxIDLength)}
	if n := r.Count("style contests", MaxContests, minStrSize); n > 0 {
		s.Contests = make([]string, n)
		for i := range s.Contests {
			s.Contests[i] = r.String("style contest", MaxIDLength)
		}
	}
	return s
}

func decodeNode(r *wire.Reader) Node {
	n := Node{Name: r.String("node name", MaxTitleLength), PeerID: r.String("node peer_id", MaxPeerIDLength)}
	if k := r.Count("node addrs", MaxAddrs, minStrSize); k > 0 {
		n.Addrs = make([]string, k)
		for i := range n.Addrs {
			n.Addrs[i] = r.String("node addr", MaxAddrLength)
		}
	}
	n.HTTP = r.String("node http", MaxURLLength)
	n.SigningKey = r.Fixed("node signing_key", ed25519.PublicKeySize)
	return n
}
