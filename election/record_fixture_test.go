package election

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"github.com/evote/evote/crypto/threshold"
)

// Test fixtures of the record's tests: a referendum with deterministic keys.
// Every name starts with fx so that it cannot collide with the ballot
// rules' test helpers in this package.

// fxKey returns the Ed25519 key derived from label.
func fxKey(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte("evote/test/" + label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func fxPub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

// fxEncKey returns the trustee encryption key derived from label.
func fxEncKey(t testing.TB, label string) *threshold.EncryptionKey {
	t.Helper()
	seed := sha256.Sum256([]byte("evote/test/enc/" + label))
	k, err := threshold.GenerateEncryptionKey(bytes.NewReader(seed[:]))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// fxKeys are the secret keys of a fixture election.
type fxKeys struct {
	commission ed25519.PrivateKey
	trustees   []ed25519.PrivateKey
	enc        []*threshold.EncryptionKey
	nodes      []ed25519.PrivateKey
}

// fxManifest returns a valid yes/no referendum with n trustees of whom t
// decrypt and the given number of board nodes, and its secret keys.
func fxManifest(t testing.TB, n, thr, nodes int) (*Manifest, *fxKeys) {
	t.Helper()
	k := &fxKeys{commission: fxKey("commission")}
	m := &Manifest{
		Version:     ProtocolVersion,
		Group:       GroupName,
		Title:       "Referendum on the new library",
		Description: "Should the town build a new library?",
		Contests: []Contest{{
			ID: "library", Title: "Build the new library?",
			Options:       []Option{{ID: "yes", Title: "Yes"}, {ID: "no", Title: "No"}},
			MinSelections: 1, MaxSelections: 1,
		}},
		Schedule:   Schedule{CeremonyDeadline: 1767225600, Opens: 1767258000, Closes: 1767294000},
		Commission: fxPub(k.commission),
		Trustees:   Trustees{Threshold: uint16(thr)},
		SealQuorum: uint16(2*nodes/3 + 1),
	}
	for i := range n {
		name := fmt.Sprintf("trustee-%d", i+1)
		k.trustees = append(k.trustees, fxKey("trustee/"+name))
		k.enc = append(k.enc, fxEncKey(t, name))
		m.Trustees.Members = append(m.Trustees.Members, Trustee{
			Name: name, SigningKey: fxPub(k.trustees[i]), EncryptionKey: k.enc[i].Public().Bytes(),
		})
	}
	for i := range nodes {
		key := fxKey(fmt.Sprintf("node/%d", i))
		k.nodes = append(k.nodes, key)
		m.Nodes = append(m.Nodes, Node{
			Name:       fmt.Sprintf("node-%d", i),
			PeerID:     PeerID(fxPub(key)),
			Addrs:      []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", 4001+i)},
			HTTP:       fmt.Sprintf("http://127.0.0.1:%d", 8080+i),
			SigningKey: fxPub(key),
		})
	}
	return m, k
}

// fxSign returns an entry of type typ for election, signed by key.
func fxSign(typ EntryType, election ID, payload []byte, key ed25519.PrivateKey) *Entry {
	e := &Entry{Version: ProtocolVersion, Type: typ, Election: election, Payload: payload}
	e.Sign(key)
	return e
}

// fxManifestEntry returns m's manifest entry signed by the commission.
func fxManifestEntry(t testing.TB, m *Manifest, k *fxKeys) *Entry {
	t.Helper()
	e, _, err := NewManifestEntry(m, k.commission)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func sha256Sum(b []byte) [32]byte { return sha256.Sum256(b) }
