package election

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/contest"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

// ballotFixture is an election with the styled manifest and a few voters.
type ballotFixture struct {
	m      *Manifest
	id     ID
	v      *BallotVerifier
	voters []voter
	elig   CredentialStyles
}

func newBallotFixture(t testing.TB) *ballotFixture {
	t.Helper()
	m := styledManifest(t, newTestTrustees(t, 3))
	id := testElectionID("styled")
	_, pk := testElectionKey(t)
	v, err := NewBallotVerifier(m, id, pk.K)
	if err != nil {
		t.Fatal(err)
	}
	voters := testVoters(4, 2)
	return &ballotFixture{m: m, id: id, v: v, voters: voters, elig: eligibility(voters)}
}

func (f *ballotFixture) ballot(t testing.TB, i int, counter uint32, rand string) (*Entry, *BallotOpening) {
	t.Helper()
	_, pk := testElectionKey(t)
	vt := f.voters[i]
	e, o, err := NewBallot(f.m, f.id, pk, vt.key, vt.style, counter, selectionsFor(vt.style, i), seeded(rand))
	if err != nil {
		t.Fatal(err)
	}
	return e, o
}

func TestBallotLayout(t *testing.T) {
	f := newBallotFixture(t)
	l := f.v.Layout()
	if l.Styles() != 2 {
		t.Fatalf("%d styles, want 2", l.Styles())
	}
	district, err := l.StyleContests(1)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 2, 3}; !equalInts(district, want) {
		t.Errorf("district contests %v, want %v in manifest order", district, want)
	}
	// city: 6 + mayor (4·320 + 128) + council (9·320 + 4·128) + 2 × (2·320 + 2·128)
	if want := 6 + 1408 + 3392 + 2*896; l.Size() != want {
		t.Errorf("ballot size %d, want %d", l.Size(), want)
	}
	if _, err := l.StyleContests(2); !errors.Is(err, ErrBallot) {
		t.Errorf("style 2: got %v, want ErrBallot", err)
	}
	bad := []struct {
		name string
		edit func(m *Manifest)
		want string
	}{
		{"unknown contest", func(m *Manifest) { m.Styles[1].Contests[0] = "sheriff" }, `unknown contest "sheriff"`},
		{"repeated contest", func(m *Manifest) { m.Styles[1].Contests[0] = "mayor" }, "listed twice"},
		{"empty style", func(m *Manifest) { m.Styles[1].Contests = nil }, "no contests"},
		{"impossible limits", func(m *Manifest) { m.Contests[0].MaxSelections = 5 }, "exceeds the 4 options"},
		{"no contests", func(m *Manifest) { m.Contests, m.Styles = nil, nil }, "no contests"},
	}
	for _, tc := range bad {
		m := styledManifest(t, newTestTrustees(t, 3))
		tc.edit(m)
		if _, err := NewBallotLayout(m); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Every ballot of an election has the same size, decodes, re-encodes to the
// same bytes, passes every check, and decrypts to the selections.
func TestBallotRoundTrip(t *testing.T) {
	f := newBallotFixture(t)
	k, _ := testElectionKey(t)
	for i, vt := range f.voters {
		e, _ := f.ballot(t, i, 0, "round-trip")
		if len(e.Payload) != f.v.Layout().Size() {
			t.Errorf("voter %d (style %d): payload %d bytes, want %d", i, vt.style, len(e.Payload), f.v.Layout().Size())
		}
		b, err := DecodeBallot(f.v.Layout(), e.Payload)
		if err != nil {
			t.Fatalf("voter %d: %v", i, err)
		}
		if !bytes.Equal(b.Bytes(f.v.Layout()), e.Payload) {
			t.Errorf("voter %d: re-encoding differs", i)
		}
		checked, err := f.v.CheckBallot(e, f.elig)
		if err != nil {
			t.Fatalf("voter %d: valid ballot rejected: %v", i, err)
		}
		want := selectionsFor(vt.style, i)
		for c, enc := range checked.Contests {
			for o, opt := range enc.Options {
				m := k.Decrypt(opt.Ciphertext)
				if !m.Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(want[c][o]))) {
					t.Errorf("voter %d: contest %d option %d does not decrypt to %d", i, c, o, want[c][o])
				}
			}
		}
		if BallotTracker(e) != e.ID() {
			t.Error("tracker is not the entry id")
		}
	}
}

// The same randomness gives the same ballot, byte for byte.
func TestNewBallotDeterministic(t *testing.T) {
	f := newBallotFixture(t)
	a, _ := f.ballot(t, 1, 3, "same")
	b, _ := f.ballot(t, 1, 3, "same")
	c, _ := f.ballot(t, 1, 3, "other")
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same seed, different ballots")
	}
	if bytes.Equal(a.Payload, c.Payload) {
		t.Error("different seeds, same ballot")
	}
}

func TestNewBallotRejects(t *testing.T) {
	f := newBallotFixture(t)
	_, pk := testElectionKey(t)
	key := f.voters[0].key
	city := selectionsFor(0, 1)
	overMayor := selectionsFor(0, 1)
	overMayor[0] = []uint64{1, 1, 0, 0}
	overCouncil := selectionsFor(0, 1)
	overCouncil[1] = []uint64{1, 1, 1, 1, 0, 0, 0, 0, 0}
	notBinary := selectionsFor(0, 1)
	notBinary[2] = []uint64{2, 0}
	shortOptions := selectionsFor(0, 1)
	shortOptions[3] = []uint64{1}
	cases := []struct {
		name  string
		style uint16
		sel   [][]uint64
		key   ed25519.PrivateKey
		want  string
	}{
		{"over the limit", 0, overMayor, key, "contest mayor"},
		{"council over the limit", 0, overCouncil, key, "contest council"},
		{"not 0 or 1", 0, notBinary, key, "selected 2 times"},
		{"wrong option count", 0, shortOptions, key, "1 selections for 2 options"},
		{"wrong contest count", 1, city, key, "style 1 has 3"},
		{"unknown style", 7, city, key, "style 7"},
		{"bad key", 0, city, key[:10], "credential key"},
	}
	for _, tc := range cases {
		_, _, err := NewBallot(f.m, f.id, pk, tc.key, tc.style, 0, tc.sel, nil)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error containing %q", tc.name, err, tc.want)
		}
	}
	for _, sel := range [][][]uint64{overMayor, overCouncil, notBinary, shortOptions} {
		if _, _, err := NewBallot(f.m, f.id, pk, key, 0, 0, sel, nil); !errors.Is(err, contest.ErrSelections) {
			t.Errorf("%v: got %v, want contest.ErrSelections", sel, err)
		}
	}
}

// Strict decoding: every field of a ballot corrupted in turn, with the
// entry signed again so that the payload checks are reached.
func TestBallotStrictDecoding(t *testing.T) {
	f := newBallotFixture(t)
	l := f.v.Layout()
	city, _ := f.ballot(t, 0, 0, "strict")     // style 0, no padding
	district, _ := f.ballot(t, 1, 0, "strict") // style 1, padded
	key0, key1 := f.voters[0].key, f.voters[1].key
	edit := func(p []byte, fn func(p []byte) []byte) []byte { return fn(bytes.Clone(p)) }
	cases := []struct {
		name    string
		entry   *Entry
		key     ed25519.PrivateKey
		payload []byte
		want    error // what CheckBallot wraps
		msg     string
	}{
		{"empty", city, key0, nil, ErrEncoding, "0 bytes"},
		{"one byte short", city, key0, city.Payload[:l.Size()-1], ErrEncoding, "bytes, every ballot"},
		{"trailing byte", city, key0, append(bytes.Clone(city.Payload), 0), ErrEncoding, "bytes, every ballot"},
		{"unknown style", city, key0, edit(city.Payload, func(p []byte) []byte { p[5] = 9; return p }), ErrEncoding, "style 9"},
		{"style of the other voter", city, key0, edit(city.Payload, func(p []byte) []byte { p[5] = 1; return p }), ErrEncoding, "contest"},
		{"padding not zero", district, key1, edit(district.Payload, func(p []byte) []byte { p[len(p)-1] = 1; return p }), ErrEncoding, "padding byte"},
		{"padding first byte", district, key1, edit(district.Payload, func(p []byte) []byte {
			st := l.styles[1]
			p[st.size] = 0x80
			return p
		}), ErrEncoding, "padding byte 0"},
		{"ciphertext A not canonical", city, key0, edit(city.Payload, func(p []byte) []byte { setNonCanonical(p[6:38]); return p }), ErrEncoding, "contest mayor"},
		{"ciphertext A identity", city, key0, edit(city.Payload, func(p []byte) []byte { clear(p[6:38]); return p }), ErrEncoding, "contest mayor"},
		{"proof scalar out of range", city, key0, edit(city.Payload, func(p []byte) []byte {
			// option 0's proof: branch 0 is a ‖ b ‖ c ‖ z after the 64-byte ciphertext
			setAboveOrder(p[6+64+64 : 6+64+96])
			return p
		}), ErrEncoding, "contest mayor"},
		{"range proof point not canonical", city, key0, edit(city.Payload, func(p []byte) []byte {
			off := 6 + 4*320 // mayor's range proof
			setNonCanonical(p[off : off+32])
			return p
		}), ErrEncoding, "contest mayor"},
		{"last contest corrupted", city, key0, edit(city.Payload, func(p []byte) []byte {
			setNonCanonical(p[l.Size()-64 : l.Size()-32])
			return p
		}), ErrEncoding, "contest measure_b"},
		{"counter changed", city, key0, edit(city.Payload, func(p []byte) []byte { p[3] = 1; return p }), nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := resign(tc.entry, tc.payload, tc.key)
			_, decErr := DecodeBallot(l, tc.payload)
			_, err := f.v.CheckBallot(e, f.elig)
			if tc.want == nil {
				// The counter is not bound by the proofs, only by the signature.
				if decErr != nil || err != nil {
					t.Fatalf("re-signed ballot with another counter rejected: %v / %v", decErr, err)
				}
				return
			}
			if !errors.Is(decErr, tc.want) || !strings.Contains(decErr.Error(), tc.msg) {
				t.Errorf("DecodeBallot: got %v, want %v containing %q", decErr, tc.want, tc.msg)
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("CheckBallot: got %v, want %v", err, tc.want)
			}
		})
	}
}

// setNonCanonical overwrites a 32-byte point encoding with the field
// element p = 2^255 − 19 itself, which no canonical encoding uses.
func setNonCanonical(b []byte) {
	b[0] = 0xed
	for i := 1; i < 31; i++ {
		b[i] = 0xff
	}
	b[31] = 0x7f
}

// setAboveOrder overwrites a 32-byte scalar with 2^256 − 1 ≥ ℓ.
func setAboveOrder(b []byte) {
	for i := range b {
		b[i] = 0xff
	}
}

// The envelope checks of CheckBallot, each with its own error.
func TestCheckBallotEnvelope(t *testing.T) {
	f := newBallotFixture(t)
	e, _ := f.ballot(t, 0, 0, "envelope")
	outsider := testKeyFrom("outsider")
	otherElection := *e
	otherElection.Election = testElectionID("other")
	otherElection.Sign(f.voters[0].key)
	wrongType := *e
	wrongType.Type = TypeSpoiled
	wrongType.Sign(f.voters[0].key)
	badSig := *e
	badSig.Signature = bytes.Clone(e.Signature)
	badSig.Signature[0] ^= 1
	oldVersion := *e
	oldVersion.Version = 0
	oldVersion.Sign(f.voters[0].key)
	// The credential of voter 1 votes with style 1; voter 0's style-0 payload,
	// signed by voter 1, has the wrong style.
	wrongStyle := resign(e, e.Payload, f.voters[1].key)
	cases := []struct {
		name string
		e    *Entry
		want error
		msg  string
	}{
		{"another election", &otherElection, ErrBallot, "for election"},
		{"wrong type", &wrongType, ErrBallot, "a spoiled entry"},
		{"bad signature", &badSig, ErrSignature, ""},
		{"wrong version", &oldVersion, ErrVersion, ""},
		{"not eligible", resign(e, e.Payload, outsider), ErrNotEligible, ""},
		{"style is not the credential's", wrongStyle, ErrBallot, "votes with style 1"},
	}
	for _, tc := range cases {
		if _, err := f.v.CheckBallot(tc.e, f.elig); !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: got %v, want %v containing %q", tc.name, err, tc.want, tc.msg)
		}
	}
}

// Proofs are bound to the credential, the contest position and the
// election: moved to any other, they fail.
func TestBallotProofsAreBound(t *testing.T) {
	f := newBallotFixture(t)
	l := f.v.Layout()
	e, _ := f.ballot(t, 0, 0, "bound")
	// Voter 2 has style 0 too: the same payload, signed by voter 2.
	if f.voters[2].style != 0 {
		t.Fatal("fixture: voter 2 must share voter 0's style")
	}
	moved := resign(e, e.Payload, f.voters[2].key)
	if _, err := f.v.CheckBallot(moved, f.elig); !errors.Is(err, proof.ErrChallenge) || !strings.Contains(err.Error(), "contest mayor") {
		t.Errorf("ballot moved to another credential: got %v, want a challenge mismatch in contest mayor", err)
	}

	// measure_a and measure_b have the same shape: swap their encryptions.
	swapped := bytes.Clone(e.Payload)
	n := l.specs[2].Size()
	a, b := l.Size()-2*n, l.Size()-n
	copy(swapped[a:b], e.Payload[b:])
	copy(swapped[b:], e.Payload[a:b])
	_, err := f.v.CheckBallot(resign(e, swapped, f.voters[0].key), f.elig)
	if !errors.Is(err, proof.ErrChallenge) || !strings.Contains(err.Error(), "contest measure_a") {
		t.Errorf("contests swapped: got %v, want a challenge mismatch in contest measure_a", err)
	}

	// The same ballot in another election (relabelled and re-signed).
	other := testElectionID("other")
	_, pk := testElectionKey(t)
	v2, err := NewBallotVerifier(f.m, other, pk.K)
	if err != nil {
		t.Fatal(err)
	}
	relabelled := *e
	relabelled.Election = other
	relabelled.Sign(f.voters[0].key)
	if _, err := v2.CheckBallot(&relabelled, f.elig); !errors.Is(err, proof.ErrChallenge) {
		t.Errorf("ballot moved to another election: got %v, want a challenge mismatch", err)
	}

	// Under another election key the proofs fail too.
	_, K2, _ := newKeyPair(t)
	v3, err := NewBallotVerifier(f.m, f.id, K2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v3.CheckBallot(e, f.elig); err == nil {
		t.Error("ballot accepted under another election key")
	}
}

func newKeyPair(t testing.TB) (*group.Scalar, *group.Point, error) {
	x := randomScalar(t)
	return x, new(group.Point).ScalarBaseMult(x), nil
}

// A ballot whose options each hold a valid 0/1 proof but whose sum exceeds
// the contest's maximum fails the range proof: options taken from two
// ballots of the same credential, each within the limit.
func TestBallotOverTheLimitFails(t *testing.T) {
	f := newBallotFixture(t)
	_, pk := testElectionKey(t)
	key := f.voters[0].key
	council := func(sel ...int) [][]uint64 {
		s := selectionsFor(0, 0)
		s[1] = make([]uint64, 9)
		for _, o := range sel {
			s[1][o] = 1
		}
		return s
	}
	x, _, err := NewBallot(f.m, f.id, pk, key, 0, 0, council(0, 1, 2), seeded("limit-x"))
	if err != nil {
		t.Fatal(err)
	}
	y, _, err := NewBallot(f.m, f.id, pk, key, 0, 0, council(3), seeded("limit-y"))
	if err != nil {
		t.Fatal(err)
	}
	// Option 3 of council from y (selected) replaces x's (not selected):
	// four selections under x's range proof for three.
	off := ballotHeaderSize + f.v.Layout().specs[0].Size() + 3*320
	forged := bytes.Clone(x.Payload)
	copy(forged[off:off+320], y.Payload[off:off+320])
	_, err = f.v.CheckBallot(resign(x, forged, key), f.elig)
	if err == nil || !strings.Contains(err.Error(), "contest council") || !strings.Contains(err.Error(), "range") {
		t.Errorf("four selections of at most three: got %v, want a range proof failure in contest council", err)
	}
}

// CheckBallots on 200 ballots with 3 bad ones names exactly those 3, each
// with its own reason.
func TestCheckBallotsNamesTheBadOnes(t *testing.T) {
	tt := newTestTrustees(t, 3)
	m := singleManifest(tt)
	id := testElectionID("batch")
	_, pk := testElectionKey(t)
	v, err := NewBallotVerifier(m, id, pk.K)
	if err != nil {
		t.Fatal(err)
	}
	voters := testVoters(200, 1)
	elig := eligibility(voters)
	es := make([]*Entry, len(voters))
	parallelEach(len(voters), func(i int) {
		sel := [][]uint64{{0, 0, 0, 0, 0}}
		sel[0][i%5] = 1
		e, _, err := NewBallot(m, id, pk, voters[i].key, 0, 0, sel, seeded("batch-"+strconv.Itoa(i)))
		if err != nil {
			panic(err)
		}
		es[i] = e
	})
	// 17: proof moved to another credential; 101: bad signature; 188: a
	// proof byte flipped.
	es[17] = resign(es[17], es[17].Payload, voters[18].key)
	es[101].Signature = bytes.Clone(es[101].Signature)
	es[101].Signature[5] ^= 0x40
	flipped := bytes.Clone(es[188].Payload)
	flipped[6+64+64+5] ^= 1 // a challenge scalar of option 0's proof, still canonical
	es[188] = resign(es[188], flipped, voters[188].key)

	ballots, errs := v.CheckBallots(es, elig)
	if errs == nil {
		t.Fatal("no errors for 3 bad ballots")
	}
	for i := range es {
		bad := i == 17 || i == 101 || i == 188
		if bad != (errs[i] != nil) {
			t.Errorf("ballot %d: error %v, bad = %v", i, errs[i], bad)
		}
		if bad != (ballots[i] == nil) {
			t.Errorf("ballot %d: ballot returned = %v, bad = %v", i, ballots[i] != nil, bad)
		}
	}
	if !errors.Is(errs[17], proof.ErrChallenge) || !errors.Is(errs[101], ErrSignature) {
		t.Errorf("reasons: 17: %v; 101: %v", errs[17], errs[101])
	}
	if errs[188] == nil || !strings.Contains(errs[188].Error(), "option 0") {
		t.Errorf("ballot 188: %v, want a failure of option 0", errs[188])
	}
	if !strings.Contains(errs[17].Error(), es[17].ID().String()) {
		t.Errorf("error does not name the entry: %v", errs[17])
	}
	// All good: nil errors.
	good := append(append(append([]*Entry{}, es[:17]...), es[18:101]...), es[102:188]...)
	if _, errs := v.CheckBallots(good, elig); errs != nil {
		t.Errorf("good ballots rejected: %v", errs)
	}
}

func TestCredentialStyles(t *testing.T) {
	k1, k2 := testKeyFrom("a").Public().(ed25519.PublicKey), testKeyFrom("b").Public().(ed25519.PublicKey)
	c, err := NewCredentialStyles(
		&CredentialList{Part: 0, Parts: 2, Credentials: []Credential{{Key: k1, Style: 1}}},
		&CredentialList{Part: 1, Parts: 2, Credentials: []Credential{{Key: k2, Style: 0}}},
	)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := c.CredentialStyle(k1); !ok || s != 1 {
		t.Errorf("k1: %d %v", s, ok)
	}
	if _, ok := c.CredentialStyle(k1[:31]); ok {
		t.Error("short key found")
	}
	if _, err := NewCredentialStyles(&CredentialList{Credentials: []Credential{{Key: k1}}}, &CredentialList{Credentials: []Credential{{Key: k1}}}); err == nil {
		t.Error("a credential listed twice accepted")
	}
}
