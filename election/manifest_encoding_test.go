package election

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/evote/evote/election/wire"
)

// fxBoardManifest is a manifest with every optional part: two styles,
// several contests, three nodes.
func fxBoardManifest(t testing.TB) (*Manifest, *fxKeys) {
	t.Helper()
	m, k := fxManifest(t, 3, 2, 3)
	m.Contests = []Contest{
		{ID: "chair", Title: "Chair", Options: []Option{{"ana", "Ana"}, {"bo", "Bo"}, {"cy", "Cy"}}, MinSelections: 0, MaxSelections: 1},
		{ID: "board", Title: "Board members", Options: []Option{{"d", "D"}, {"e", "E"}, {"f", "F"}, {"g", "G"}}, MinSelections: 1, MaxSelections: 3},
		{ID: "budget", Title: "Approve the budget?", Options: []Option{{"yes", "Yes"}, {"no", "No"}}, MinSelections: 1, MaxSelections: 1},
	}
	m.Styles = []Style{{ID: "members", Contests: []string{"chair", "board", "budget"}}, {ID: "observers", Contests: []string{"budget"}}}
	m.Nodes[1].Addrs = append(m.Nodes[1].Addrs, "/dns4/board.example/tcp/4001")
	return m, k
}

func TestManifestRoundTrip(t *testing.T) {
	m1, _ := fxManifest(t, 2, 2, 1)
	m2, _ := fxBoardManifest(t)
	for _, m := range []*Manifest{m1, m2} {
		b := m.Bytes()
		got, err := DecodeManifest(b)
		if err != nil {
			t.Fatalf("DecodeManifest: %v", err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("decoded manifest differs:\n got %+v\nwant %+v", got, m)
		}
		if !bytes.Equal(got.Bytes(), b) {
			t.Error("re-encoding differs")
		}
	}
}

func TestDecodeManifestRejects(t *testing.T) {
	m, _ := fxBoardManifest(t)
	good := m.Bytes()
	for n := range len(good) {
		if _, err := DecodeManifest(good[:n]); !errors.Is(err, wire.ErrMalformed) {
			t.Fatalf("truncated to %d bytes: err = %v, want ErrMalformed", n, err)
		}
	}
	if _, err := DecodeManifest(append(append([]byte(nil), good...), 0)); !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("trailing byte: err = %v", err)
	}
	mutate := func(f func(*Manifest)) []byte {
		c, _ := DecodeManifest(good)
		f(c)
		return c.Bytes()
	}
	cases := []struct {
		name string
		b    []byte
		want error
	}{
		{"version 2", mutate(func(m *Manifest) { m.Version = 2 }), ErrVersion},
		{"version 0", mutate(func(m *Manifest) { m.Version = 0 }), ErrVersion},
		{"group", mutate(func(m *Manifest) { m.Group = "edwards25519" }), ErrGroup},
		{"short commission key", mutate(func(m *Manifest) { m.Commission = m.Commission[:31] }), wire.ErrMalformed},
		{"long trustee key", mutate(func(m *Manifest) { m.Trustees.Members[0].SigningKey = append(m.Trustees.Members[0].SigningKey, 0) }), wire.ErrMalformed},
		{"short encryption key", mutate(func(m *Manifest) { m.Trustees.Members[1].EncryptionKey = m.Trustees.Members[1].EncryptionKey[:16] }), wire.ErrMalformed},
		{"title not UTF-8", mutate(func(m *Manifest) { m.Title = "\xff" }), wire.ErrMalformed},
		{"title too long", mutate(func(m *Manifest) { m.Title = string(bytes.Repeat([]byte("a"), MaxTitleLength+1)) }), wire.ErrMalformed},
		{"id too long", mutate(func(m *Manifest) { m.Contests[0].ID = string(bytes.Repeat([]byte("a"), MaxIDLength+1)) }), wire.ErrMalformed},
		{"too many nodes", mutate(func(m *Manifest) {
			for len(m.Nodes) <= MaxNodes {
				m.Nodes = append(m.Nodes, m.Nodes[0])
			}
		}), wire.ErrMalformed},
	}
	for _, c := range cases {
		if _, err := DecodeManifest(c.b); !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
	// A count larger than the input could hold is refused before allocating.
	huge := append([]byte(nil), good[:2+4+len(GroupName)]...)
	huge = append(huge, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff) // empty title, empty description, 255 contests
	if _, err := DecodeManifest(huge); !errors.Is(err, wire.ErrMalformed) {
		t.Errorf("huge count: err = %v", err)
	}
}

func TestNewManifestEntry(t *testing.T) {
	m, k := fxManifest(t, 3, 2, 1)
	e, id, err := NewManifestEntry(m, k.commission)
	if err != nil {
		t.Fatal(err)
	}
	if id != e.ID() || e.Type != TypeManifest || e.Election != (ID{}) || !bytes.Equal(e.Payload, m.Bytes()) {
		t.Errorf("entry = %+v, id %s", e, id)
	}
	if err := e.VerifySignature(); err != nil {
		t.Error(err)
	}
	if _, _, err := NewManifestEntry(m, k.trustees[0]); !errors.Is(err, ErrCommissionKey) {
		t.Errorf("wrong key: err = %v", err)
	}
	m.Trustees.Threshold = 4
	e, _, err = NewManifestEntry(m, k.commission)
	var ve *ValidationError
	if !errors.As(err, &ve) || e != nil || len(ve.Errors) != 1 || ve.Errors[0].Path != "trustees.threshold" {
		t.Errorf("invalid manifest: entry %v, err = %v", e, err)
	}
}

func TestPeerID(t *testing.T) {
	// Vectors computed with go-libp2p's peer.IDFromPublicKey.
	cases := []struct{ key, id string }{
		{"a3fd290aee36e3df337c07ae07336e5a68987fff42ce69810d94eb148899e662", "12D3KooWLrWX6vUxNmRfvLTB6C5MWKaX22SVkzw7iT4CVtH3grLy"},
		{"0000000000000000000000000000000000000000000000000000000000000000", "12D3KooW9pNAk8aiBuGVQtWRdbkLmo5qVL3e2h5UxbN2Nz9ttwiw"},
	}
	for _, c := range cases {
		if got := PeerID(mustHex(t, c.key)); got != c.id {
			t.Errorf("PeerID(%s) = %s, want %s", c.key, got, c.id)
		}
	}
	for _, c := range []struct {
		in   []byte
		want string
	}{{nil, ""}, {[]byte{0}, "1"}, {[]byte{0, 0, 1}, "112"}, {[]byte{57}, "z"}, {[]byte{58}, "21"}, {[]byte("hello world"), "StV1DL6CwTryKyV"}} {
		if got := base58Encode(c.in); got != c.want {
			t.Errorf("base58(%x) = %q, want %q", c.in, got, c.want)
		}
	}
}

func FuzzDecodeManifest(f *testing.F) {
	m1, _ := fxManifest(f, 2, 2, 1)
	m2, _ := fxBoardManifest(f)
	f.Add(m1.Bytes())
	f.Add(m2.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := DecodeManifest(b)
		if err != nil {
			return
		}
		if !bytes.Equal(m.Bytes(), b) {
			t.Fatalf("decoded manifest re-encodes differently")
		}
		_ = m.Validate()
	})
}
