package election

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

// batchElection is the benchmark ballot's election (one contest of 5
// options, choose up to 2; 3 trustees, 1 node) with n eligible voters.
type batchElection struct {
	m      *Manifest
	k      *fxKeys
	voters []ed25519.PrivateKey
	id     ID
	pk     *elgamal.PublicKey
}

func newBatchElection(t testing.TB, voters int) *batchElection {
	t.Helper()
	m, k := fxManifest(t, 3, 2, 1)
	m.Contests = singleManifest(newTestTrustees(t, 3)).Contests
	x := &batchElection{m: m, k: k, voters: fxVoters(voters)}
	r := x.record(t)
	x.id, x.pk = r.ID(), elgamal.NewPublicKey(r.Key())
	return x
}

// record returns a new record of the election in the voting phase. Every
// call gives the same record: the keys and the ceremony are deterministic.
func (x *batchElection) record(t testing.TB) *Record {
	t.Helper()
	r, err := NewRecord(fxManifestEntry(t, x.m, x.k))
	if err != nil {
		t.Fatal(err)
	}
	(&fxElection{m: x.m, k: x.k, r: r, voters: x.voters}).open(t)
	return r
}

// ballot returns voter's ballot with counter, deterministic in its
// arguments and variant.
func (x *batchElection) ballot(t testing.TB, voter int, counter uint32, variant int) (*Entry, *BallotOpening) {
	t.Helper()
	e, o, err := x.newBallot(x.id, x.voters[voter], voter, counter, variant)
	if err != nil {
		t.Fatal(err)
	}
	return e, o
}

func (x *batchElection) newBallot(election ID, key ed25519.PrivateKey, voter int, counter uint32, variant int) (*Entry, *BallotOpening, error) {
	sel := [][]uint64{make([]uint64, 5)}
	sel[0][voter%5], sel[0][(voter+2+variant)%5] = 1, 1
	return NewBallot(x.m, election, x.pk, key, 0, counter, sel,
		fxRand(fmt.Sprintf("batch/%x/%d/%d/%d", election[:4], voter, counter, variant)))
}

// ballots returns one ballot (counter 0) of each voter in [from, to), made
// on all cores.
func (x *batchElection) ballots(t testing.TB, from, to int) []*Entry {
	t.Helper()
	es := make([]*Entry, to-from)
	errs := make([]error, len(es))
	parallelEach(len(es), func(i int) {
		es[i], _, errs[i] = x.newBallot(x.id, x.voters[from+i], from+i, 0, 0)
	})
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return es
}

func (x *batchElection) spoiled(t testing.TB, voter int, variant int) *Entry {
	t.Helper()
	b, o := x.ballot(t, voter, 0, variant+100)
	e, err := NewSpoiled(x.m, b, o, x.voters[voter])
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// applyOneByOne applies es with Apply and returns its errors.
func applyOneByOne(r *Record, es []*Entry) []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = r.Apply(e)
	}
	return errs
}

// applyInBatches applies es with ApplyBatch, size entries at a time.
func applyInBatches(r *Record, es []*Entry, size int) []error {
	var errs []error
	for len(es) > 0 {
		n := min(size, len(es))
		errs = append(errs, r.ApplyBatch(es[:n])...)
		es = es[n:]
	}
	return errs
}

// sameError reports how two errors of the same entry differ, or "" when
// they are the same: both nil, or the same check, entry, type, sentinel
// errors and message.
func sameError(a, b error) string {
	if a == nil || b == nil {
		if a != b {
			return fmt.Sprintf("%v, want %v", a, b)
		}
		return ""
	}
	var ca, cb *CheckError
	if !errors.As(a, &ca) || !errors.As(b, &cb) {
		return fmt.Sprintf("%v or %v is not a *CheckError", a, b)
	}
	if ca.Check != cb.Check || ca.Entry != cb.Entry || ca.Type != cb.Type || a.Error() != b.Error() {
		return fmt.Sprintf("%v, want %v", a, b)
	}
	for _, s := range []error{ErrDuplicate, ErrTooEarly, ErrTooLate, ErrSignature, ErrEncoding, ErrNotEligible} {
		if errors.Is(a, s) != errors.Is(b, s) {
			return fmt.Sprintf("%v and %v disagree on %v", a, b, s)
		}
	}
	return ""
}

// compareErrors reports every entry whose batch error differs from the
// sequential one.
func compareErrors(t *testing.T, what string, got, want []error) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d errors, want %d", what, len(got), len(want))
	}
	for i := range got {
		if d := sameError(got[i], want[i]); d != "" {
			t.Errorf("%s: entry %d: %s", what, i, d)
		}
	}
}

// Every record vector, applied in batches of several sizes, gives the
// errors of a replay entry by entry and the same record. The batches start
// before the open entry, so ApplyBatch also goes from applying one by one
// to batching in the middle of a batch.
func TestApplyBatchRecordVectors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordVectorDir, "*.rec"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no vectors in %s (%v)", recordVectorDir, err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".rec"), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			entries, err := DecodeRecordFile(b)
			if err != nil {
				t.Fatal(err)
			}
			first, err := decodeEnvelope(entries[0])
			if err != nil {
				t.Fatal(err)
			}
			want, err := NewRecord(first)
			if err != nil {
				t.Skip("a bad manifest: there is no record to apply entries to")
			}
			wantErrs := make([]error, len(entries)-1)
			for i, eb := range entries[1:] {
				_, wantErrs[i] = want.ApplyBytes(eb)
			}
			for _, size := range []int{len(entries), 5, 1} {
				got, _ := NewRecord(first)
				var errs []error
				for rest := entries[1:]; len(rest) > 0; {
					n := min(size, len(rest))
					es, batchErrs := got.ApplyBytesBatch(rest[:n])
					for k := range es {
						if (es[k] == nil) != (batchErrs[k] != nil) || es[k] != nil && string(es[k].Bytes()) != string(rest[k]) {
							t.Errorf("batches of %d: entry %d: entry %v with error %v", size, len(errs)+k, es[k] != nil, batchErrs[k])
						}
					}
					errs = append(errs, batchErrs...)
					rest = rest[n:]
				}
				compareErrors(t, fmt.Sprintf("batches of %d", size), errs, wantErrs)
				if !reflect.DeepEqual(got, want) {
					t.Errorf("batches of %d: the record differs from the one applied entry by entry", size)
				}
			}
		})
	}
}

// batchCase is one entry of a mixed batch and what Apply must say of it.
type batchCase struct {
	name  string
	e     *Entry
	check int   // 0: accepted
	is    error // a sentinel the error must wrap, if any
}

// mixedBatch returns a batch of 300 entries of x's election: good ballots
// with bad entries of every kind among them, a close and a seal that move
// the phase forward halfway, and entries after each. before is a ballot
// that must be on the record before the batch.
func mixedBatch(t *testing.T, x *batchElection) (cases []batchCase, before *Entry) {
	good := x.ballots(t, 0, 270)
	var cs []batchCase
	add := func(name string, e *Entry, check int, is error) {
		cs = append(cs, batchCase{name, e, check, is})
	}
	addGood := func(es []*Entry) {
		for _, e := range es {
			add(fmt.Sprintf("ballot of %x", e.Author[:4]), e, 0, nil)
		}
	}
	before, _ = x.ballot(t, 280, 0, 0)

	addGood(good[:100])
	add("already on the record", before, CheckDuplicate, ErrDuplicate)
	add("another credential's proofs", resign(good[10], good[10].Payload, x.voters[281]), CheckBallotProofs, nil)
	badSig, _ := x.ballot(t, 282, 0, 0)
	badSig = resign(badSig, badSig.Payload, x.voters[282])
	badSig.Signature[7] ^= 1
	add("bad signature", badSig, CheckSignature, ErrSignature)
	add("bad signature again", badSig, CheckSignature, ErrSignature)
	outsider, _, err := x.newBallot(x.id, fxKey("not a voter"), 999, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	add("ineligible", outsider, CheckAuthor, nil)
	other, _, err := x.newBallot(testElectionID("other"), x.voters[283], 283, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	add("other election", other, CheckElection, nil)
	short, _ := x.ballot(t, 283, 0, 0)
	add("short ballot", resign(short, short.Payload[:len(short.Payload)-1], x.voters[283]), CheckBallotEncoding, ErrEncoding)
	v2 := *short
	v2.Version = 2
	add("version 2", resign(&v2, v2.Payload, x.voters[283]), CheckVersion, ErrVersion)
	truncated := *short
	truncated.Author = truncated.Author[:31]
	add("31-byte author", &truncated, CheckEncoding, ErrEncoding)
	add("seal before close", fxSign(TypeSeal, x.id, make([]byte, 80), x.k.nodes[0]), CheckPhase, ErrTooEarly)

	addGood(good[100:200])
	add("the same ballot twice", good[3], CheckDuplicate, ErrDuplicate)
	revote, _ := x.ballot(t, 5, 1, 0)
	add("revote", revote, 0, nil)
	high, _ := x.ballot(t, 6, 2, 0)
	low, _ := x.ballot(t, 6, 1, 0)
	add("revote with counter 2", high, 0, nil)
	add("then counter 1", low, 0, nil)
	spoiled := x.spoiled(t, 284, 0)
	add("spoiled", spoiled, 0, nil)
	add("spoiled with another credential's proofs", resign(spoiled, spoiled.Payload, x.voters[285]), CheckSpoiledOpening, nil)
	a, b := x.spoiled(t, 286, 0), x.spoiled(t, 286, 1)
	l, err := NewBallotLayout(x.m)
	if err != nil {
		t.Fatal(err)
	}
	size := l.Size()
	swapped := append(append([]byte{}, a.Payload[:size]...), b.Payload[size:]...)
	add("spoiled with another ballot's opening", resign(a, swapped, x.voters[286]), CheckSpoiledOpening, ErrOpening)
	add("close", fxSign(TypeClose, x.id, nil, x.k.commission), 0, nil)

	addGood(good[200:])
	add("second close", fxSign(TypeClose, x.id, (&Close{Reason: "again"}).Bytes(), x.k.commission), CheckPhase, ErrTooLate)
	// The seal must name the set the record holds by then.
	scratch := x.record(t)
	scratch.Apply(before)
	for _, c := range cs {
		scratch.Apply(c.e)
	}
	add("seal", fxSign(TypeSeal, x.id, scratch.NewSeal(1, [32]byte{}).Bytes(), x.k.nodes[0]), 0, nil)
	late, _ := x.ballot(t, 287, 0, 0)
	add("ballot after the seal quorum", late, CheckPhase, ErrTooLate)
	add("spoiled after the seal quorum", x.spoiled(t, 288, 0), CheckPhase, ErrTooLate)
	for len(cs) < 300 {
		add("a ballot seen before", good[len(cs)%len(good)], CheckDuplicate, ErrDuplicate)
	}
	return cs, before
}

// A batch of 300 entries with bad ones of every kind: ApplyBatch, whole or
// in slices, gives every entry the error that Apply gives it one by one,
// each bad entry fails the check it breaks, and the records end equal.
func TestApplyBatchMixed(t *testing.T) {
	x := newBatchElection(t, 290)
	cases, before := mixedBatch(t, x)
	es := make([]*Entry, len(cases))
	for i, c := range cases {
		es[i] = c.e
	}
	want := x.record(t)
	if err := want.Apply(before); err != nil {
		t.Fatal(err)
	}
	wantErrs := applyOneByOne(want, es)
	for i, c := range cases {
		err := wantErrs[i]
		var ce *CheckError
		switch {
		case c.check == 0 && err != nil:
			t.Errorf("%d %s: %v", i, c.name, err)
		case c.check == 0:
		case !errors.As(err, &ce) || ce.Check != c.check || ce.Entry != c.e.ID():
			t.Errorf("%d %s: %v, want check %d", i, c.name, err, c.check)
		case c.is != nil && !errors.Is(err, c.is):
			t.Errorf("%d %s: %v, want an error wrapping %v", i, c.name, err, c.is)
		}
	}
	if want.Phase() != PhaseDecryption {
		t.Fatalf("the batch leaves the record in the %s phase, want decryption", want.Phase())
	}
	for _, size := range []int{len(es), 37} {
		got := x.record(t)
		if err := got.Apply(before); err != nil {
			t.Fatal(err)
		}
		compareErrors(t, fmt.Sprintf("batches of %d", size), applyInBatches(got, es, size), wantErrs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("batches of %d: the record differs from the one applied entry by entry", size)
		}
	}
}

// When the batch's combination fails, it finds exactly the ballots whose
// proofs are bad: only they are checked again alone, fail check 37, and
// stay off the record; every other ballot is applied.
func TestApplyBatchNamesTheBadProofs(t *testing.T) {
	x := newBatchElection(t, 64)
	es := x.ballots(t, 0, 64)
	bad := map[int]bool{5: true, 40: true, 41: true}
	orig := append([]*Entry(nil), es...)
	for i := range bad {
		// Voter i+1's ballot, signed by voter i: its proofs bind i+1.
		es[i] = resign(orig[i], orig[i+1].Payload, x.voters[i])
	}
	r := x.record(t)
	_, pre := r.precheck(es)
	for i, p := range pre {
		if !p.signatureVerified() || p.decodedBallot() == nil {
			t.Fatalf("ballot %d: the first step did not verify the signature or decode", i)
		}
		if p.proofsVerified(r.key.K) == bad[i] {
			t.Errorf("ballot %d: proofs verified %v, want %v", i, p.proofsVerified(r.key.K), !bad[i])
		}
	}
	for i, err := range r.ApplyBatch(es) {
		switch {
		case bad[i]:
			wantCheck(t, err, CheckBallotProofs, es[i])
			if r.Has(es[i].ID()) {
				t.Errorf("ballot %d with bad proofs is on the record", i)
			}
		case err != nil:
			t.Errorf("ballot %d: %v", i, err)
		}
	}
	if len(r.ballots) != len(es)-len(bad) {
		t.Errorf("%d ballots on the record, want %d", len(r.ballots), len(es)-len(bad))
	}
}

// The payload rules trust a ballot's proofs only when they verified under
// the record's own key: a preChecked that says so for another key, or for
// no decoded ballot, makes the rule check them.
func TestPreCheckedTrustsOnlyTheRecordKey(t *testing.T) {
	x := newBatchElection(t, 2)
	r := x.record(t)
	good, _ := x.ballot(t, 1, 0, 0)
	e := resign(good, good.Payload, x.voters[0]) // voter 1's proofs under voter 0
	b, err := DecodeBallot(r.layout, e.Payload)
	if err != nil {
		t.Fatal(err)
	}
	otherKey := new(group.Point).Set(r.key.K) // equal, but not the record's
	for _, pre := range []*preChecked{
		nil,
		{signature: true},
		{signature: true, ballot: b},
		{signature: true, ballot: b, proofsKey: otherKey},
		{signature: true, proofsKey: r.key.K},
	} {
		wantCheck(t, r.apply(e, e.ID(), pre), CheckBallotProofs, e)
	}
	if len(r.ballots) != 0 {
		t.Fatal("a ballot with bad proofs was applied")
	}
	// Its own key: trusted (which is why only the batch may set it).
	if err := r.apply(e, e.ID(), &preChecked{signature: true, ballot: b, proofsKey: r.key.K}); err != nil {
		t.Fatalf("a ballot cleared under the record's key: %v", err)
	}
}

// benchBallots returns the benchmarks' election and 1024 ballots, built
// once for all the benchmarks of a run.
func benchBallots(b *testing.B) (*batchElection, []*Entry) {
	benchCache.Lock()
	defer benchCache.Unlock()
	if benchCache.x == nil {
		benchCache.x = newBatchElection(b, 1024)
		benchCache.es = benchCache.x.ballots(b, 0, 1024)
	}
	return benchCache.x, benchCache.es
}

var benchCache struct {
	sync.Mutex
	x  *batchElection
	es []*Entry
}

// BenchmarkApply applies 1024 ballots of the benchmark contest to a record
// one by one, as a board does with Apply; ns/ballot is the cost of one.
func BenchmarkApply(b *testing.B) {
	benchmarkApply(b, func(r *Record, es []*Entry) []error { return applyOneByOne(r, es) })
}

// BenchmarkApplyBatch applies the same ballots with ApplyBatch.
func BenchmarkApplyBatch(b *testing.B) {
	benchmarkApply(b, (*Record).ApplyBatch)
}

// benchmarkApply reports ns/ballot, the wall time, and where the process's
// CPU time can be read, cpu-ns/ballot: what it costs on all cores
// together, which other processes on the machine do not inflate as much.
// A board that ingests 4,000 ballots/s on 2 cores needs it under 500,000.
func benchmarkApply(b *testing.B, apply func(*Record, []*Entry) []error) {
	x, all := benchBallots(b)
	for _, n := range []int{64, 1024} {
		b.Run(fmt.Sprintf("ballots=%d", n), func(b *testing.B) {
			es := all[:n]
			var cpu time.Duration
			cpuKnown := true
			b.ResetTimer()
			for range b.N {
				b.StopTimer()
				r := x.record(b)
				before, ok1 := processCPU()
				b.StartTimer()
				errs := apply(r, es)
				b.StopTimer()
				after, ok2 := processCPU()
				cpu += after - before
				cpuKnown = cpuKnown && ok1 && ok2
				for i, err := range errs {
					if err != nil {
						b.Fatalf("ballot %d: %v", i, err)
					}
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/ballot")
			if cpuKnown {
				b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N*n), "cpu-ns/ballot")
			}
		})
	}
}

// processCPU returns the user and system CPU time the process has used,
// from /proc/self/stat (Linux), in clock ticks of 10 ms; false where there
// is no such file.
func processCPU() (time.Duration, bool) {
	b, err := os.ReadFile("/proc/self/stat")
	if err != nil {
		return 0, false
	}
	// The fields after the command name, which is in parentheses and may
	// hold spaces: state is the first, utime and stime the 12th and 13th.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0, false
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	const tick = 10 * time.Millisecond // USER_HZ, 100 on Linux
	return time.Duration(utime+stime) * tick, true
}

// FuzzApplyBytesBatch feeds a record file of arbitrary entries to a record
// in the voting phase, in one batch and one by one: the errors and the
// records must be the same.
func FuzzApplyBytesBatch(f *testing.F) {
	x := newBatchElection(f, 4)
	b0, _ := x.ballot(f, 0, 0, 0)
	b1, _ := x.ballot(f, 1, 0, 0)
	closing := fxSign(TypeClose, x.id, nil, x.k.commission)
	flipped := b1.Bytes()
	flipped[len(flipped)-100] ^= 1
	f.Add(EncodeRecordFile([][]byte{b0.Bytes(), b0.Bytes(), flipped, closing.Bytes(), b1.Bytes()}))
	f.Add(EncodeRecordFile([][]byte{x.spoiled(f, 2, 0).Bytes(), resign(b0, b0.Payload, x.voters[3]).Bytes()}))
	f.Fuzz(func(t *testing.T, file []byte) {
		entries, err := DecodeRecordFile(file)
		if err != nil {
			return
		}
		want := x.record(t)
		wantErrs := make([]error, len(entries))
		for i, b := range entries {
			_, wantErrs[i] = want.ApplyBytes(b)
		}
		got := x.record(t)
		_, errs := got.ApplyBytesBatch(entries)
		compareErrors(t, "batch", errs, wantErrs)
		if !reflect.DeepEqual(got, want) {
			t.Fatal("the record differs from the one applied entry by entry")
		}
	})
}
