package credential

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/evote/evote/election"
)

var (
	testElection   = election.ID(sha256.Sum256([]byte("test election")))
	testCommission = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, 32))
	testStyles     = []election.Style{{ID: "north"}, {ID: "south"}}
)

func testRand() *rand.ChaCha8 { return rand.NewChaCha8([32]byte{'i', 's', 's', 'u', 'e'}) }

func TestNewIssue(t *testing.T) {
	voters := []Voter{
		{ID: "a", Style: "south"}, {ID: "b", Style: "north"}, {ID: "c", Style: "south"}, {ID: "d", Style: "south"},
	}
	is, err := NewIssue(testElection, voters, testStyles, testCommission, testRand())
	if err != nil {
		t.Fatal(err)
	}
	if len(is.Entries) != 1 || len(is.Credentials) != 4 {
		t.Fatalf("%d entries, %d credentials", len(is.Entries), len(is.Credentials))
	}
	list := checkEntries(t, is.Entries, 4)
	wantStyle := map[string]uint16{}
	for i, c := range is.Credentials {
		if !c.PublicKey.Equal(c.Code.PublicKey(testElection)) {
			t.Errorf("credential %d: public key is not the code's", i)
		}
		wantStyle[string(c.PublicKey)] = map[string]uint16{"north": 0, "south": 1}[voters[i].Style]
		if is.Styles[i] != voters[i].Style {
			t.Errorf("voter %d: style %q, want %q", i, is.Styles[i], voters[i].Style)
		}
	}
	for _, c := range list {
		if s, ok := wantStyle[string(c.Key)]; !ok || s != c.Style {
			t.Errorf("public key %x: style %d, in the issue %v (%d)", c.Key, c.Style, ok, s)
		}
	}
	// The same randomness gives the same issue; the keys do not follow
	// the roll order.
	again, _ := NewIssue(testElection, voters, testStyles, testCommission, testRand())
	if !bytes.Equal(again.Entries[0].Bytes(), is.Entries[0].Bytes()) {
		t.Error("NewIssue is not a function of its randomness")
	}
}

// checkEntries checks that entries are the signed credentials entries of
// testElection, in part order, with n keys in strictly increasing order,
// and returns the credentials.
func checkEntries(t *testing.T, entries []*election.Entry, n int) []election.Credential {
	t.Helper()
	var all []election.Credential
	for p, e := range entries {
		d, err := election.DecodeEntry(e.Bytes())
		if err != nil {
			t.Fatalf("entry %d: %v", p, err)
		}
		if err := d.VerifySignature(); err != nil || !d.Author.Equal(testCommission.Public()) {
			t.Fatalf("entry %d: signature %v, author %x", p, err, d.Author)
		}
		if d.Type != election.TypeCredentials || d.Election != testElection {
			t.Fatalf("entry %d: type %v, election %v", p, d.Type, d.Election)
		}
		l, err := election.DecodeCredentialList(d.Payload)
		if err != nil {
			t.Fatalf("entry %d: %v", p, err)
		}
		if int(l.Part) != p || int(l.Parts) != len(entries) {
			t.Fatalf("entry %d: part %d of %d", p, l.Part, l.Parts)
		}
		all = append(all, l.Credentials...)
	}
	if len(all) != n {
		t.Fatalf("%d credentials in the entries, want %d", len(all), n)
	}
	for i := 1; i < len(all); i++ {
		if bytes.Compare(all[i-1].Key, all[i].Key) >= 0 {
			t.Fatalf("keys %d and %d are not in increasing order", i-1, i)
		}
	}
	return all
}

func TestPublicListParts(t *testing.T) {
	// Random keys stand in for derived ones: only the splitting is tested.
	n := 2*election.MaxCredentialsPerEntry + 3
	r := testRand()
	creds := make([]Credential, n)
	styles := make([]uint16, n)
	for i := range creds {
		creds[i].PublicKey = make([]byte, 32)
		r.Read(creds[i].PublicKey)
	}
	parts, err := PublicList(creds, styles)
	if err != nil {
		t.Fatal(err)
	}
	if len(parts) != 3 || len(parts[0].Credentials) != election.MaxCredentialsPerEntry || len(parts[2].Credentials) != 3 {
		t.Fatalf("%d parts", len(parts))
	}
	checkEntries(t, Entries(testElection, parts, testCommission), n)

	creds[5].PublicKey = creds[9].PublicKey
	if _, err := PublicList(creds, styles); err == nil || !strings.Contains(err.Error(), "same public key") {
		t.Errorf("PublicList with a repeated key: %v", err)
	}
	if _, err := PublicList(creds, styles[1:]); err == nil {
		t.Error("PublicList accepted unequal lengths")
	}
}

func TestNewIssueStyles(t *testing.T) {
	one := []election.Style{{ID: "only"}}
	for _, tc := range []struct {
		voters []Voter
		styles []election.Style
		want   string // "" for success
		line   int
	}{
		{[]Voter{{ID: "a"}}, nil, "", 0},
		{[]Voter{{ID: "a"}}, one, "", 0},
		{[]Voter{{ID: "a", Style: "only"}}, one, "", 0},
		{[]Voter{{ID: "a", Style: "x", Line: 2}}, nil, `voter a: style "x", but the election has no ballot styles`, 2},
		{[]Voter{{ID: "a", Line: 2}, {ID: "b", Line: 3}}, testStyles, "voter a: no style; the election has styles north, south", 2},
		{[]Voter{{ID: "a", Style: "east", Line: 5}}, testStyles, `voter a: style "east" is not one of the election's styles (north, south)`, 5},
		{[]Voter{{ID: "a", Style: "east"}}, testStyles, `credentials: voter a: style "east"`, 0},
		{nil, nil, "no voters", 0},
	} {
		is, err := NewIssue(testElection, tc.voters, tc.styles, testCommission, testRand())
		if tc.want == "" {
			if err != nil {
				t.Errorf("%+v with styles %v: %v", tc.voters, tc.styles, err)
			} else if len(tc.styles) == 1 && is.Styles[0] != "only" {
				t.Errorf("the one style was not given: %q", is.Styles[0])
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v with styles %v: %v, want %q", tc.voters, tc.styles, err, tc.want)
		}
		var re *RollError
		if tc.line > 0 && (!errors.As(err, &re) || re.Line != tc.line) {
			t.Errorf("%+v: %v, want a RollError at line %d", tc.voters, err, tc.line)
		}
	}
	if _, err := NewIssue(testElection, []Voter{{ID: "a"}}, nil, testCommission[:32], nil); err == nil {
		t.Error("NewIssue accepted a 32-byte commission key")
	}
	if _, err := Generate(testElection, 0, nil); err == nil {
		t.Error("Generate(0) succeeded")
	}
	if _, err := Generate(testElection, 2, bytes.NewReader(make([]byte, 20))); err == nil {
		t.Error("Generate succeeded with too little randomness")
	}
}

func BenchmarkGenerate1000(b *testing.B) {
	for b.Loop() {
		if _, err := Generate(testElection, 1000, nil); err != nil {
			b.Fatal(err)
		}
	}
}
