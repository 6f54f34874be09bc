package election

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/threshold"
)

// fxVoters returns n deterministic voter credential keys.
func fxVoters(n int) []ed25519.PrivateKey {
	vs := make([]ed25519.PrivateKey, n)
	for i := range vs {
		vs[i] = fxKey(fmt.Sprintf("voter/%d", i))
	}
	return vs
}

// fxCredentialParts splits the voters' credentials (style i mod styles)
// into parts of at most per keys, in key order.
func fxCredentialParts(voters []ed25519.PrivateKey, styles, per int) []*CredentialList {
	var all []Credential
	for i, v := range voters {
		all = append(all, Credential{Key: fxPub(v), Style: uint16(i % styles)})
	}
	slices.SortFunc(all, func(a, b Credential) int { return bytes.Compare(a.Key, b.Key) })
	var parts []*CredentialList
	for len(all) > 0 {
		n := min(per, len(all))
		parts = append(parts, &CredentialList{Part: uint32(len(parts)), Credentials: all[:n]})
		all = all[n:]
	}
	for _, p := range parts {
		p.Parts = uint32(len(parts))
	}
	return parts
}

// fxElection is a record in progress with everything needed to extend it.
type fxElection struct {
	m      *Manifest
	k      *fxKeys
	r      *Record
	voters []ed25519.PrivateKey
}

// fxNew returns a record holding only the manifest of a referendum with n
// trustees (t decrypt) and the given number of nodes.
func fxNew(t testing.TB, n, thr, nodes int) *fxElection {
	t.Helper()
	m, k := fxManifest(t, n, thr, nodes)
	r, err := NewRecord(fxManifestEntry(t, m, k))
	if err != nil {
		t.Fatal(err)
	}
	return &fxElection{m: m, k: k, r: r, voters: fxVoters(3)}
}

func (x *fxElection) sign(typ EntryType, payload []byte, key ed25519.PrivateKey) *Entry {
	return fxSign(typ, x.r.ID(), payload, key)
}

func (x *fxElection) mustApply(t testing.TB, e *Entry) {
	t.Helper()
	if err := x.r.Apply(e); err != nil {
		t.Fatalf("Apply(%s): %v", e.Type, err)
	}
}

// credentials applies the whole credential list in one part.
func (x *fxElection) credentials(t testing.TB) {
	t.Helper()
	for _, p := range fxCredentialParts(x.voters, 1, len(x.voters)) {
		x.mustApply(t, x.sign(TypeCredentials, p.Bytes(), x.k.commission))
	}
}

// injectCeremony puts every trustee's verified commitments on the record as
// if their dealings had been applied, and returns the outcome.
func (x *fxElection) injectCeremony(t testing.TB) *threshold.Result {
	t.Helper()
	for i := 1; i <= x.r.params.N; i++ {
		seed := sha256.Sum256(fmt.Appendf(nil, "dealing/%d", i))
		_, c, err := threshold.NewDealing(x.r.params, i, x.r.ctx, bytes.NewReader(bytes.Repeat(seed[:], 64)))
		if err != nil {
			t.Fatal(err)
		}
		x.r.commitments[i] = c
	}
	res, err := x.r.qualify()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// open brings the record to the voting phase.
func (x *fxElection) open(t testing.TB) {
	t.Helper()
	x.credentials(t)
	res := x.injectCeremony(t)
	x.mustApply(t, x.sign(TypeOpen, NewOpen(res).Bytes(), x.k.commission))
}

// wantCheck fails unless err is a *CheckError of check about entry e.
func wantCheck(t testing.TB, err error, check int, e *Entry) *CheckError {
	t.Helper()
	var ce *CheckError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a failure of check %d", err, check)
	}
	if ce.Check != check {
		t.Fatalf("err = %v, want check %d", err, check)
	}
	if e != nil && ce.Entry != e.ID() {
		t.Errorf("CheckError.Entry = %x, want %x", ce.Entry, e.ID())
	}
	return ce
}

func TestNewRecord(t *testing.T) {
	x := fxNew(t, 3, 2, 1)
	me := fxManifestEntry(t, x.m, x.k)
	if x.r.ID() != me.ID() || x.r.Phase() != PhaseSetup || x.r.Len() != 1 || !x.r.Has(me.ID()) {
		t.Errorf("record: id %s phase %s len %d", x.r.ID(), x.r.Phase(), x.r.Len())
	}
	if x.r.Key() != nil || x.r.Ceremony() != nil || x.r.Sealed() != nil || x.r.Aggregates() != nil {
		t.Error("a new record has a key, ceremony, seal or aggregates")
	}
	if x.r.Manifest() == nil || x.r.Layout() == nil {
		t.Error("no manifest or layout")
	}
}

func TestNewRecordRejects(t *testing.T) {
	m, k := fxManifest(t, 2, 2, 1)
	good := fxManifestEntry(t, m, k)
	resign := func(f func(e *Entry), key ed25519.PrivateKey) *Entry {
		e := *good
		f(&e)
		e.Sign(key)
		return &e
	}
	invalid := *m
	invalid.SealQuorum = 0
	cases := []struct {
		name  string
		e     *Entry
		check int
	}{
		{"short author", &Entry{Version: 1, Type: TypeManifest, Author: good.Author[:31], Payload: good.Payload, Signature: good.Signature}, CheckEncoding},
		{"election not zero", resign(func(e *Entry) { e.Election[0] = 1 }, k.commission), CheckElection},
		{"version", resign(func(e *Entry) { e.Version = 2 }, k.commission), CheckVersion},
		{"unknown type", resign(func(e *Entry) { e.Type = 99 }, k.commission), CheckType},
		{"not a manifest", resign(func(e *Entry) { e.Type = TypeCredentials }, k.commission), CheckType},
		{"bad signature", &Entry{Version: 1, Type: TypeManifest, Author: good.Author, Payload: good.Payload, Signature: make([]byte, 64)}, CheckSignature},
		{"malformed payload", resign(func(e *Entry) { e.Payload = append(slices.Clone(e.Payload), 0) }, k.commission), CheckManifestEncoding},
		{"manifest version", resign(func(e *Entry) { c := *m; c.Version = 7; e.Payload = c.Bytes() }, k.commission), CheckManifestEncoding},
		{"manifest group", resign(func(e *Entry) { c := *m; c.Group = "x"; e.Payload = c.Bytes() }, k.commission), CheckManifestEncoding},
		{"signed by a trustee", resign(func(e *Entry) {}, k.trustees[0]), CheckAuthor},
		{"invalid manifest", resign(func(e *Entry) { e.Payload = invalid.Bytes() }, k.commission), CheckManifestRules},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := NewRecord(c.e)
			if r != nil {
				t.Error("NewRecord returned a record")
			}
			wantCheck(t, err, c.check, c.e)
		})
	}
	var ve *ValidationError
	if _, err := NewRecord(cases[len(cases)-1].e); !errors.As(err, &ve) || ve.Errors[0].Path != "seal_quorum" {
		t.Errorf("invalid manifest: err = %v, want a ValidationError at seal_quorum", err)
	}
}

// TestApplyEnvelope breaks each envelope check (16–23) once.
func TestApplyEnvelope(t *testing.T) {
	x := fxNew(t, 2, 2, 1)
	part := fxCredentialParts(x.voters, 1, 10)[0].Bytes()
	good := x.sign(TypeCredentials, part, x.k.commission)
	other := fxSign(TypeCredentials, ID{1}, part, x.k.commission)
	resigned := func(f func(e *Entry)) *Entry {
		e := x.sign(TypeCredentials, part, x.k.commission)
		f(e)
		e.Sign(x.k.commission)
		return e
	}
	badSig := x.sign(TypeCredentials, part, x.k.commission)
	badSig.Signature[5] ^= 1
	cases := []struct {
		name  string
		e     *Entry
		check int
		is    error
	}{
		{"short signature", &Entry{Version: 1, Type: TypeCredentials, Election: x.r.ID(), Author: good.Author, Payload: part, Signature: good.Signature[:63]}, CheckEncoding, ErrEncoding},
		{"manifest again", fxManifestEntry(t, x.m, x.k), CheckDuplicate, ErrDuplicate},
		{"another election", other, CheckElection, nil},
		{"manifest for this election", resigned(func(e *Entry) { e.Type = TypeManifest; e.Payload = x.m.Bytes() }), CheckAuthor, nil},
		{"wrong version", resigned(func(e *Entry) { e.Version = 2 }), CheckVersion, ErrVersion},
		{"version 0", resigned(func(e *Entry) { e.Version = 0 }), CheckVersion, ErrVersion},
		{"unknown type 0", resigned(func(e *Entry) { e.Type = 0 }), CheckType, nil},
		{"unknown type 13", resigned(func(e *Entry) { e.Type = 13 }), CheckType, nil},
		{"bad signature", badSig, CheckSignature, ErrSignature},
		{"signed by a trustee", x.sign(TypeCredentials, part, x.k.trustees[0]), CheckAuthor, nil},
		{"signed by a node", x.sign(TypeOpen, part, x.k.nodes[0]), CheckAuthor, nil},
		{"dealing by the commission", x.sign(TypeDealing, nil, x.k.commission), CheckAuthor, nil},
		{"seal by a trustee", x.sign(TypeSeal, nil, x.k.trustees[1]), CheckAuthor, nil},
		{"ballot by a stranger", x.sign(TypeBallot, nil, fxKey("stranger")), CheckAuthor, nil},
		{"close in setup", x.sign(TypeClose, nil, x.k.commission), CheckPhase, ErrTooEarly},
		{"seal in setup", x.sign(TypeSeal, nil, x.k.nodes[0]), CheckPhase, ErrTooEarly},
		{"result in setup", x.sign(TypeResult, nil, x.k.commission), CheckPhase, ErrTooEarly},
		{"partial in setup", x.sign(TypePartial, nil, x.k.trustees[0]), CheckPhase, ErrTooEarly},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := x.r.Len()
			ce := wantCheck(t, x.r.Apply(c.e), c.check, c.e)
			if c.is != nil && !errors.Is(ce, c.is) {
				t.Errorf("err = %v, want it to wrap %v", ce, c.is)
			}
			if x.r.Len() != before || (c.check != CheckDuplicate && x.r.Has(c.e.ID())) || x.r.Credentials() != 0 {
				t.Error("a rejected entry changed the record")
			}
		})
	}
	x.mustApply(t, good)
	wantCheck(t, x.r.Apply(good), CheckDuplicate, good)
	if !errors.Is(x.r.Apply(good), ErrDuplicate) {
		t.Error("duplicate does not wrap ErrDuplicate")
	}
}

func TestApplyBytes(t *testing.T) {
	x := fxNew(t, 2, 2, 1)
	good := x.sign(TypeCredentials, fxCredentialParts(x.voters, 1, 10)[0].Bytes(), x.k.commission)
	b := good.Bytes()
	for _, c := range []struct {
		name  string
		b     []byte
		check int
	}{
		{"empty", nil, CheckEncoding},
		{"truncated", b[:len(b)-1], CheckEncoding},
		{"trailing byte", append(slices.Clone(b), 0), CheckEncoding},
		{"payload length too long", func() []byte {
			c := slices.Clone(b)
			c[2+1+32+32+3]++
			return c
		}(), CheckEncoding},
		{"version", func() []byte { c := slices.Clone(b); c[1] = 2; return c }(), CheckVersion},
		{"type", func() []byte { c := slices.Clone(b); c[2] = 200; return c }(), CheckType},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, err := x.r.ApplyBytes(c.b)
			ce := wantCheck(t, err, c.check, nil)
			if e != nil || ce.Entry != sha256.Sum256(c.b) {
				t.Errorf("entry %v, error names %x", e, ce.Entry)
			}
		})
	}
	e, err := x.r.ApplyBytes(b)
	if err != nil || e.ID() != good.ID() {
		t.Fatalf("ApplyBytes(good) = %v, %v", e, err)
	}
}

func TestCredentialParts(t *testing.T) {
	voters := fxVoters(7)
	parts := fxCredentialParts(voters, 1, 3) // 3 parts: 3, 3, 1 keys
	newX := func() *fxElection {
		x := fxNew(t, 2, 2, 1)
		x.voters = voters
		return x
	}
	t.Run("in order", func(t *testing.T) {
		x := newX()
		for _, p := range parts {
			x.mustApply(t, x.sign(TypeCredentials, p.Bytes(), x.k.commission))
		}
		if x.r.Credentials() != 7 {
			t.Errorf("Credentials() = %d", x.r.Credentials())
		}
		for _, v := range voters {
			if s, ok := x.r.Eligible(fxPub(v)); !ok || s != 0 {
				t.Errorf("voter not eligible")
			}
		}
		if _, ok := x.r.Eligible(fxPub(fxKey("stranger"))); ok {
			t.Error("a stranger is eligible")
		}
		extra := &CredentialList{Part: 3, Parts: 4}
		wantCheck(t, x.r.Apply(x.sign(TypeCredentials, extra.Bytes(), x.k.commission)), CheckCredentialsParts, nil)
	})
	mod := func(p *CredentialList, f func(c *CredentialList)) []byte {
		c := &CredentialList{Part: p.Part, Parts: p.Parts, Credentials: slices.Clone(p.Credentials)}
		f(c)
		return c.Bytes()
	}
	cases := []struct {
		name    string
		applied int // parts applied first
		payload []byte
		check   int
		is      error
	}{
		{"part 1 first", 0, parts[1].Bytes(), CheckCredentialsParts, ErrTooEarly},
		{"part 0 again", 1, mod(parts[0], func(c *CredentialList) { c.Credentials = c.Credentials[:2] }), CheckCredentialsParts, nil},
		{"other total", 1, mod(parts[1], func(c *CredentialList) { c.Parts = 4 }), CheckCredentialsParts, nil},
		{"keys not increasing across parts", 1, mod(parts[1], func(c *CredentialList) { c.Credentials[0] = parts[0].Credentials[2] }), CheckCredentialsParts, nil},
		{"unknown style", 0, mod(parts[0], func(c *CredentialList) { c.Credentials[1].Style = 1 }), CheckCredentialsParts, nil},
		{"unsorted", 0, mod(parts[0], func(c *CredentialList) { c.Credentials[0], c.Credentials[1] = c.Credentials[1], c.Credentials[0] }), CheckCredentialsEncoding, nil},
		{"part beyond parts", 0, mod(parts[0], func(c *CredentialList) { c.Part = 5 }), CheckCredentialsEncoding, nil},
		{"trailing bytes", 0, append(parts[0].Bytes(), 0), CheckCredentialsEncoding, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := newX()
			for _, p := range parts[:c.applied] {
				x.mustApply(t, x.sign(TypeCredentials, p.Bytes(), x.k.commission))
			}
			n := x.r.Credentials()
			ce := wantCheck(t, x.r.Apply(x.sign(TypeCredentials, c.payload, x.k.commission)), c.check, nil)
			if c.is != nil && !errors.Is(ce, c.is) {
				t.Errorf("err = %v, want %v", ce, c.is)
			}
			if x.r.Credentials() != n || x.r.creds.parts != uint32(c.applied) {
				t.Error("a rejected part changed the record")
			}
		})
	}
	t.Run("role key", func(t *testing.T) {
		x := newX()
		keys := []ed25519.PublicKey{x.m.Commission, x.m.Trustees.Members[1].SigningKey, x.m.Nodes[0].SigningKey}
		for _, k := range keys {
			p := &CredentialList{Part: 0, Parts: 1, Credentials: []Credential{{Key: k}}}
			ce := wantCheck(t, x.r.Apply(x.sign(TypeCredentials, p.Bytes(), x.k.commission)), CheckCredentialsParts, nil)
			if !strings.Contains(ce.Error(), "signing key of") {
				t.Errorf("err = %v", ce)
			}
		}
	})
}

func TestOpen(t *testing.T) {
	setup := func(t *testing.T) (*fxElection, *threshold.Result) {
		x := fxNew(t, 3, 2, 1)
		x.credentials(t)
		return x, x.injectCeremony(t)
	}
	t.Run("good", func(t *testing.T) {
		x, res := setup(t)
		x.mustApply(t, x.sign(TypeOpen, NewOpen(res).Bytes(), x.k.commission))
		if x.r.Phase() != PhaseVoting || !x.r.Key().Equal(res.Key) || !slices.Equal(x.r.Ceremony().QUAL, []int{1, 2, 3}) {
			t.Errorf("phase %s, key %v", x.r.Phase(), x.r.Key())
		}
		cr := x.sign(TypeCredentials, (&CredentialList{Part: 1, Parts: 2}).Bytes(), x.k.commission)
		if ce := wantCheck(t, x.r.Apply(cr), CheckPhase, cr); !errors.Is(ce, ErrTooLate) {
			t.Errorf("credentials after open: %v", ce)
		}
		again := x.sign(TypeOpen, (&Open{Key: res.Key, Qualified: []int{1, 2}}).Bytes(), x.k.commission)
		if ce := wantCheck(t, x.r.Apply(again), CheckPhase, again); !errors.Is(ce, ErrTooLate) {
			t.Errorf("second open: %v", ce)
		}
	})
	other := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(7))
	cases := []struct {
		name    string
		payload func(res *threshold.Result) []byte
		check   int
	}{
		{"wrong key", func(res *threshold.Result) []byte { return (&Open{Key: other, Qualified: res.QUAL}).Bytes() }, CheckOpenCeremony},
		{"wrong set", func(res *threshold.Result) []byte { return (&Open{Key: res.Key, Qualified: []int{1, 2}}).Bytes() }, CheckOpenCeremony},
		{"identity key", func(res *threshold.Result) []byte {
			b := NewOpen(res).Bytes()
			copy(b, make([]byte, 32))
			return b
		}, CheckOpenEncoding},
		{"unsorted set", func(res *threshold.Result) []byte { return (&Open{Key: res.Key, Qualified: []int{2, 1, 3}}).Bytes() }, CheckOpenEncoding},
		{"repeated index", func(res *threshold.Result) []byte { return (&Open{Key: res.Key, Qualified: []int{1, 1, 3}}).Bytes() }, CheckOpenEncoding},
		{"index 0", func(res *threshold.Result) []byte { return (&Open{Key: res.Key, Qualified: []int{0, 1}}).Bytes() }, CheckOpenEncoding},
		{"empty set", func(res *threshold.Result) []byte { return (&Open{Key: res.Key}).Bytes() }, CheckOpenEncoding},
		{"trailing", func(res *threshold.Result) []byte { return append(NewOpen(res).Bytes(), 0) }, CheckOpenEncoding},
		{"short", func(res *threshold.Result) []byte { return NewOpen(res).Bytes()[:35] }, CheckOpenEncoding},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x, res := setup(t)
			e := x.sign(TypeOpen, c.payload(res), x.k.commission)
			wantCheck(t, x.r.Apply(e), c.check, e)
			if x.r.Phase() != PhaseSetup || x.r.Ceremony() != nil {
				t.Error("a rejected open changed the record")
			}
		})
	}
	t.Run("credentials incomplete", func(t *testing.T) {
		x := fxNew(t, 3, 2, 1)
		parts := fxCredentialParts(x.voters, 1, 2)
		x.mustApply(t, x.sign(TypeCredentials, parts[0].Bytes(), x.k.commission))
		res := x.injectCeremony(t)
		e := x.sign(TypeOpen, NewOpen(res).Bytes(), x.k.commission)
		if ce := wantCheck(t, x.r.Apply(e), CheckOpenCredentials, e); !errors.Is(ce, ErrTooEarly) {
			t.Errorf("err = %v", ce)
		}
	})
	t.Run("no dealings", func(t *testing.T) {
		x := fxNew(t, 3, 2, 1)
		x.credentials(t)
		e := x.sign(TypeOpen, (&Open{Key: other, Qualified: []int{1, 2}}).Bytes(), x.k.commission)
		// The named dealers' dealings may still be on their way to this
		// replica: too early, not wrong.
		ce := wantCheck(t, x.r.Apply(e), CheckOpenCeremony, e)
		if !errors.Is(ce, ErrTooEarly) {
			t.Errorf("err = %v", ce)
		}
	})
}

func TestClose(t *testing.T) {
	for _, reason := range []string{"", "polls closed at 20:00", strings.Repeat("é", MaxCloseReason/2)} {
		b := (&Close{Reason: reason}).Bytes()
		c, err := DecodeClose(b)
		if err != nil || c.Reason != reason {
			t.Errorf("DecodeClose(%q) = %v, %v", reason, c, err)
		}
	}
	if b := (&Close{}).Bytes(); len(b) != 0 {
		t.Errorf("empty reason encodes as %x", b)
	}
	for _, b := range [][]byte{
		{0, 0, 0, 0},
		{0, 0, 0, 1},
		{0, 0, 0, 1, 'a', 0},
		{0, 0, 0, 1, 0xff},
		append([]byte{0, 0, 4, 1}, bytes.Repeat([]byte("a"), MaxCloseReason+1)...),
		{1},
	} {
		if _, err := DecodeClose(b); err == nil {
			t.Errorf("DecodeClose(%x) succeeded", b)
		}
	}
	x := fxNew(t, 2, 2, 1)
	x.open(t)
	bad := x.sign(TypeClose, []byte{0, 0, 0, 0}, x.k.commission)
	wantCheck(t, x.r.Apply(bad), CheckCloseEncoding, bad)
	byTrustee := x.sign(TypeClose, nil, x.k.trustees[0])
	wantCheck(t, x.r.Apply(byTrustee), CheckAuthor, byTrustee)
	x.mustApply(t, x.sign(TypeClose, (&Close{Reason: "done"}).Bytes(), x.k.commission))
	if x.r.Phase() != PhaseClosed {
		t.Errorf("phase %s after close", x.r.Phase())
	}
	again := x.sign(TypeClose, nil, x.k.commission)
	if ce := wantCheck(t, x.r.Apply(again), CheckPhase, again); !errors.Is(ce, ErrTooLate) {
		t.Errorf("second close: %v", ce)
	}
}

func TestPhaseString(t *testing.T) {
	for p, want := range map[Phase]string{PhaseSetup: "setup", PhaseVoting: "voting", PhaseClosed: "closed", PhaseDecryption: "decryption", PhaseDone: "done", 9: "phase(9)"} {
		if got := p.String(); got != want {
			t.Errorf("%d: %q, want %q", p, got, want)
		}
	}
}

func TestCheckErrorAndNames(t *testing.T) {
	for c := CheckEncoding; c <= CheckComplete; c++ {
		if CheckName(c) == "" {
			t.Errorf("check %d has no name", c)
		}
	}
	if CheckName(15) != "" || CheckName(CheckComplete+1) != "" {
		t.Error("names for numbers that are not record checks")
	}
	err := &CheckError{Check: CheckSignature, Entry: ID{0xab, 0xcd}, Type: TypeBallot, Err: ErrSignature}
	if got := err.Error(); !strings.HasPrefix(got, "check 21 (signature): ballot entry abcd") || !errors.Is(err, ErrSignature) {
		t.Errorf("Error() = %q", got)
	}
}
