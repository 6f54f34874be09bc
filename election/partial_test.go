package election

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// tallyFixture is a finished ceremony and some ballots under its key: all
// of style 1, so that contest council (style 0 only) has aggregates whose
// A is the identity.
type tallyFixture struct {
	*ceremony
	aggregates [][]*elgamal.Ciphertext
	want       [][]uint64 // the true counts
	ballots    uint64
}

func newTallyFixture(t testing.TB) *tallyFixture {
	t.Helper()
	tt := newTestTrustees(t, 3)
	m := styledManifest(t, tt)
	id := testElectionID("tally")
	c := runCeremony(t, m, id, tt)
	l, err := NewBallotLayout(m)
	if err != nil {
		t.Fatal(err)
	}
	pk := elgamal.NewPublicKey(c.res.Key)
	f := &tallyFixture{ceremony: c, aggregates: make([][]*elgamal.Ciphertext, len(m.Contests)), want: make([][]uint64, len(m.Contests))}
	for ci, ct := range m.Contests {
		f.aggregates[ci] = make([]*elgamal.Ciphertext, len(ct.Options))
		f.want[ci] = make([]uint64, len(ct.Options))
		for o := range ct.Options {
			f.aggregates[ci][o] = elgamal.Zero()
		}
	}
	for i := range 5 {
		sel := selectionsFor(1, i)
		e, _, err := NewBallot(m, id, pk, testKeyFrom("tally-voter-"+strconv.Itoa(i)), 1, 0, sel, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, err := DecodeBallot(l, e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		for p, cts := range ciphertextsByContest(l, b) {
			for o, ct := range cts {
				f.aggregates[p][o] = elgamal.Add(f.aggregates[p][o], ct)
			}
		}
		positions, _ := l.StyleContests(1)
		for k, p := range positions {
			for o, s := range sel[k] {
				f.want[p][o] += s
			}
		}
		f.ballots++
	}
	return f
}

func (f *tallyFixture) partial(t testing.TB, j int) *Entry {
	t.Helper()
	e, err := NewPartial(f.m, f.id, f.tt.signing[j-1], f.shares[j-1], f.aggregates, nil)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestPartialDecryptsTheCounts(t *testing.T) {
	f := newTallyFixture(t)
	partials := map[int]*Partial{}
	for _, j := range []int{3, 1} {
		e := f.partial(t, j)
		if want := 2 + 128*totalOptions(f.m); len(e.Payload) != want {
			t.Errorf("partial of trustee %d: %d bytes, want %d", j, len(e.Payload), want)
		}
		p, err := DecodePartial(f.m, e.Payload)
		if err != nil {
			t.Fatal(err)
		}
		if p.Trustee != j || !bytes.Equal(p.Bytes(), e.Payload) {
			t.Errorf("trustee %d: decoded trustee %d, re-encoding equal = %v", j, p.Trustee, bytes.Equal(p.Bytes(), e.Payload))
		}
		for o := range p.Decryptions[1] {
			if p.Decryptions[1][o] != nil {
				t.Errorf("council option %d: a partial decryption of an empty aggregate", o)
			}
		}
		V, _ := f.res.VerificationKey(j)
		if err := p.Verify(f.m, f.id, f.aggregates, V); err != nil {
			t.Fatalf("trustee %d: honest partial rejected: %v", j, err)
		}
		partials[j] = p
	}
	params := thresholdParams(f.m)
	for c, ct := range f.m.Contests {
		for o := range ct.Options {
			agg := f.aggregates[c][o]
			M := agg.B
			if !agg.A.IsIdentity() {
				var err error
				if M, err = combinePartials(params, partials, c, o, agg); err != nil {
					t.Fatal(err)
				}
			}
			n, err := dlog.Solve(M, f.ballots)
			if err != nil || n != f.want[c][o] {
				t.Errorf("contest %s option %d: %d (%v), want %d", ct.ID, o, n, err, f.want[c][o])
			}
		}
	}
}

func TestPartialVerifyRejects(t *testing.T) {
	f := newTallyFixture(t)
	e := f.partial(t, 2)
	p, err := DecodePartial(f.m, e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	V1, _ := f.res.VerificationKey(1)
	V2, _ := f.res.VerificationKey(2)
	if err := p.Verify(f.m, f.id, f.aggregates, V1); !errors.Is(err, proof.ErrEquation) && !errors.Is(err, proof.ErrChallenge) {
		t.Errorf("against another trustee's key: %v", err)
	}
	if err := p.Verify(f.m, testElectionID("other"), f.aggregates, V2); err == nil {
		t.Error("partial accepted in another election")
	}
	// The partials of option 0 and 1 of the mayor swapped.
	sw := *p
	sw.Decryptions = [][]*threshold.PartialDecryption{append([]*threshold.PartialDecryption(nil), p.Decryptions[0]...), p.Decryptions[1], p.Decryptions[2], p.Decryptions[3]}
	sw.Decryptions[0][0], sw.Decryptions[0][1] = p.Decryptions[0][1], p.Decryptions[0][0]
	if err := sw.Verify(f.m, f.id, f.aggregates, V2); err == nil || !strings.Contains(err.Error(), "contest mayor: option ana") {
		t.Errorf("swapped partials: %v", err)
	}
	// A missing partial, and one where none belongs.
	missing := *p
	missing.Decryptions = [][]*threshold.PartialDecryption{{nil, p.Decryptions[0][1], p.Decryptions[0][2], p.Decryptions[0][3]}, p.Decryptions[1], p.Decryptions[2], p.Decryptions[3]}
	if err := missing.Verify(f.m, f.id, f.aggregates, V2); !errors.Is(err, ErrTrusteeEntry) || !strings.Contains(err.Error(), "no partial") {
		t.Errorf("missing partial: %v", err)
	}
	extra := *p
	extra.Decryptions = [][]*threshold.PartialDecryption{p.Decryptions[0], append([]*threshold.PartialDecryption{p.Decryptions[0][0]}, p.Decryptions[1][1:]...), p.Decryptions[2], p.Decryptions[3]}
	if err := extra.Verify(f.m, f.id, f.aggregates, V2); !errors.Is(err, ErrTrusteeEntry) || !strings.Contains(err.Error(), "needs none") {
		t.Errorf("partial of an empty aggregate: %v", err)
	}
	if err := p.Verify(f.m, f.id, f.aggregates[:3], V2); !errors.Is(err, ErrTrusteeEntry) {
		t.Errorf("aggregates of the wrong shape: %v", err)
	}
	if _, err := NewPartial(f.m, f.id, testKeyFrom("outsider"), f.shares[0], f.aggregates, nil); !errors.Is(err, ErrTrusteeEntry) {
		t.Errorf("partial by a non-trustee: %v", err)
	}
	// Trustee 1's key with trustee 2's share: the proofs are bound to
	// trustee 1 and fail against V_1.
	mixed, err := NewPartial(f.m, f.id, f.tt.signing[0], f.shares[1], f.aggregates, nil)
	if err != nil {
		t.Fatal(err)
	}
	q, err := DecodePartial(f.m, mixed.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Verify(f.m, f.id, f.aggregates, V1); err == nil {
		t.Error("trustee 1's partial made with trustee 2's share verifies")
	}
}

func TestDecodePartialStrict(t *testing.T) {
	f := newTallyFixture(t)
	good := f.partial(t, 1).Payload
	council := 2 + 128*4 // the first slot of contest council, an empty aggregate
	edit := func(fn func(p []byte)) []byte { p := bytes.Clone(good); fn(p); return p }
	cases := map[string][]byte{
		"empty":                     nil,
		"short":                     good[:len(good)-1],
		"trailing":                  append(bytes.Clone(good), 0),
		"trustee 0":                 edit(func(p []byte) { p[1] = 0 }),
		"trustee 4":                 edit(func(p []byte) { p[1] = 4 }),
		"D not canonical":           edit(func(p []byte) { setNonCanonical(p[2:34]) }),
		"D identity":                edit(func(p []byte) { clear(p[2:34]) }),
		"z out of range":            edit(func(p []byte) { setAboveOrder(p[2+96 : 2+128]) }),
		"empty slot not all zero":   edit(func(p []byte) { p[council+127] = 1 }),
		"empty slot with a point D": edit(func(p []byte) { copy(p[council:council+32], good[2:34]) }),
	}
	for name, p := range cases {
		if _, err := DecodePartial(f.m, p); !errors.Is(err, ErrEncoding) {
			t.Errorf("%s: got %v, want ErrEncoding", name, err)
		}
	}
}
