package credential

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/evote/evote/election"
	"github.com/evote/evote/keyfile"
)

// testManifest returns a valid manifest whose commission key is
// testCommission, with the given ballot styles, and its signed entry.
func testManifest(t testing.TB, styles []election.Style) (*election.Manifest, []byte) {
	t.Helper()
	trustee, err := keyfile.New(keyfile.Trustee, "t1", bytes.NewReader(bytes.Repeat([]byte{9}, 64)))
	if err != nil {
		t.Fatal(err)
	}
	node, err := keyfile.New(keyfile.Node, "n1", bytes.NewReader(bytes.Repeat([]byte{10}, 32)))
	if err != nil {
		t.Fatal(err)
	}
	np, err := node.Public()
	if err != nil {
		t.Fatal(err)
	}
	tp, _ := trustee.Public()
	contests := []election.Contest{
		{ID: "mayor", Title: "Mayor", Options: []election.Option{{ID: "a", Title: "A"}, {ID: "b", Title: "B"}}, MinSelections: 0, MaxSelections: 1},
		{ID: "council", Title: "Council", Options: []election.Option{{ID: "c", Title: "C"}, {ID: "d", Title: "D"}}, MinSelections: 0, MaxSelections: 2},
	}
	for i := range styles {
		styles[i].Contests = []string{contests[i%2].ID}
	}
	m := &election.Manifest{
		Version:    election.ProtocolVersion,
		Group:      election.GroupName,
		Title:      "Test election",
		Contests:   contests,
		Styles:     styles,
		Schedule:   election.Schedule{CeremonyDeadline: 1000, Opens: 2000, Closes: 3000},
		Commission: testCommission.Public().(ed25519.PublicKey),
		Trustees: election.Trustees{Threshold: 1, Members: []election.Trustee{
			{Name: "Trustee one", SigningKey: tp.SigningKey, EncryptionKey: tp.EncryptionKey},
		}},
		Nodes:      []election.Node{{Name: "Node one", PeerID: np.PeerID, HTTP: "http://localhost:8080", SigningKey: np.SigningKey}},
		SealQuorum: 1,
	}
	e, _, err := election.NewManifestEntry(m, testCommission)
	if err != nil {
		t.Fatal(err)
	}
	return m, e.Bytes()
}

func TestForManifest(t *testing.T) {
	_, me := testManifest(t, []election.Style{{ID: "north"}, {ID: "south"}})
	voters := []Voter{{ID: "1", Style: "north"}, {ID: "2", Style: "south"}, {ID: "3", Style: "south"}}
	is, err := ForManifest(me, voters, testCommission, testRand())
	if err != nil {
		t.Fatal(err)
	}
	e, _ := election.DecodeEntry(me)
	if is.ElectionID != e.ID() {
		t.Errorf("election id %v, want the manifest entry's id %v", is.ElectionID, e.ID())
	}
	rec, err := election.NewRecord(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, ce := range is.Entries {
		if err := rec.Apply(ce); err != nil {
			t.Fatal(err)
		}
	}
	if rec.Credentials() != 3 {
		t.Errorf("the record holds %d credentials, want 3", rec.Credentials())
	}
	for i, c := range is.Credentials {
		if s, ok := rec.Eligible(c.Code.PublicKey(rec.ID())); !ok || int(s) != map[string]int{"north": 0, "south": 1}[voters[i].Style] {
			t.Errorf("voter %d: eligible %v with style %d", i, ok, s)
		}
	}
}

func TestForManifestErrors(t *testing.T) {
	_, me := testManifest(t, nil)
	voters := Numbered(2, "")
	other, _ := keyfile.New(keyfile.Commission, "x", nil)
	if _, err := ForManifest(me, voters, other.SigningKey, nil); !errors.Is(err, ErrCommissionKey) {
		t.Errorf("another commission key: %v, want ErrCommissionKey", err)
	}
	bad := bytes.Clone(me)
	bad[len(bad)-1] ^= 1
	if _, err := ForManifest(bad, voters, testCommission, nil); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Errorf("a manifest entry with a bad signature: %v", err)
	}
	if _, err := ForManifest(me[:40], voters, testCommission, nil); err == nil || !strings.Contains(err.Error(), "manifest entry") {
		t.Errorf("a truncated manifest entry: %v", err)
	}
	// A credentials entry is not a manifest entry.
	is, err := ForManifest(me, voters, testCommission, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ForManifest(is.Entries[0].Bytes(), voters, testCommission, nil); err == nil {
		t.Error("ForManifest accepted a credentials entry as the manifest")
	}
	if _, err := ForManifest(me, []Voter{{ID: "1", Style: "north"}}, testCommission, nil); err == nil || !strings.Contains(err.Error(), "no ballot styles") {
		t.Errorf("a style in an election without styles: %v", err)
	}
}
