package election

import (
	"fmt"
	"reflect"
	"testing"
)

// The mixed batch of TestApplyBatchMixed, prechecked by the record's
// Prechecker one slice ahead of the slice the record applies, as a board's
// pipeline does (under -race, the precheck of slice k+1 runs while slice
// k is applied): every entry gets the error Apply gives it one by one, and
// the records end equal.
func TestApplyPrecheckedPipelined(t *testing.T) {
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

	for _, size := range []int{len(es), 37, 1} {
		got := x.record(t)
		if err := got.Apply(before); err != nil {
			t.Fatal(err)
		}
		p := got.Prechecker()
		if p == nil {
			t.Fatal("no prechecker for an open record")
		}
		var slices [][]*Entry
		for i := 0; i < len(es); i += size {
			slices = append(slices, es[i:min(i+size, len(es))])
		}
		ahead := make(chan *Prechecked, 1)
		go func() {
			for _, s := range slices {
				ahead <- p.Precheck(s, nil)
			}
			close(ahead)
		}()
		var gotErrs []error
		for pc := range ahead {
			gotErrs = append(gotErrs, got.ApplyPrechecked(pc)...)
		}
		compareErrors(t, fmt.Sprintf("pipelined slices of %d", size), gotErrs, wantErrs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("pipelined slices of %d: the record differs from the one applied entry by entry", size)
		}
	}
}

// Before the open entry there is nothing to precheck under, and a
// Prechecked from another record (another key, even an equal one) is not
// trusted: its ballots are checked again in full.
func TestPrecheckerNeedsTheRecordKey(t *testing.T) {
	x := newBatchElection(t, 2)
	closed, err := NewRecord(fxManifestEntry(t, x.m, x.k))
	if err != nil {
		t.Fatal(err)
	}
	if closed.Prechecker() != nil {
		t.Fatal("a prechecker before the open entry")
	}
	good, _ := x.ballot(t, 1, 0, 0)
	bad := resign(good, good.Payload, x.voters[0]) // voter 1's proofs, signed by voter 0
	other := x.record(t)                           // the same election, its own key pointer
	pc := other.Prechecker().Precheck([]*Entry{bad, good}, nil)
	r := x.record(t)
	errs := r.ApplyPrechecked(pc)
	wantCheck(t, errs[0], CheckBallotProofs, bad)
	if errs[1] != nil {
		t.Fatalf("the good ballot: %v", errs[1])
	}
}

// PrecheckBytes and ApplyBytesPrechecked give what ApplyBytesBatch gives:
// the same entries and errors for bytes that do not decode, good ballots,
// a repeat and a bad signature.
func TestApplyBytesPrechecked(t *testing.T) {
	x := newBatchElection(t, 3)
	b0, _ := x.ballot(t, 0, 0, 0)
	b1, _ := x.ballot(t, 1, 0, 0)
	badSig := b1.Bytes()
	badSig[len(badSig)-1] ^= 1
	bs := [][]byte{[]byte("garbage"), b0.Bytes(), badSig, b1.Bytes(), b0.Bytes(), append(b1.Bytes(), 0)}
	want := x.record(t)
	wantEntries, wantErrs := want.ApplyBytesBatch(bs)
	got := x.record(t)
	gotEntries, gotErrs := got.ApplyBytesPrechecked(got.Prechecker().PrecheckBytes(bs, nil))
	compareErrors(t, "prechecked bytes", gotErrs, wantErrs)
	for i := range bs {
		if (gotEntries[i] == nil) != (wantEntries[i] == nil) {
			t.Errorf("entry %d: applied %v, ApplyBytesBatch %v", i, gotEntries[i] != nil, wantEntries[i] != nil)
		}
	}
	if wantErrs[1] != nil || wantErrs[3] != nil || wantErrs[0] == nil || wantErrs[2] == nil || wantErrs[4] == nil || wantErrs[5] == nil {
		t.Fatalf("the cases are not what they should be: %v", wantErrs)
	}
	if !reflect.DeepEqual(got, want) {
		t.Error("the records differ")
	}
}

// An entry the caller skips is not prechecked, and is then checked in
// full: a good ballot is still applied, a bad one still refused, a repeat
// still a duplicate.
func TestPrecheckSkip(t *testing.T) {
	x := newBatchElection(t, 3)
	b0, _ := x.ballot(t, 0, 0, 0)
	b1, _ := x.ballot(t, 1, 0, 0)
	bad := resign(b1, b1.Payload, x.voters[2]) // voter 1's proofs under voter 2
	es := []*Entry{b0, bad, b1, b0}
	want := x.record(t)
	wantErrs := want.ApplyBatch(es)
	got := x.record(t)
	skipped := map[ID]bool{}
	pc := got.Prechecker().Precheck(es, func(id ID) bool { skipped[id] = true; return true })
	if len(skipped) != 3 {
		t.Fatalf("skip asked about %d ids, want the 3 distinct ones", len(skipped))
	}
	for _, p := range pc.pre {
		if p != nil {
			t.Fatal("a skipped entry was prechecked")
		}
	}
	compareErrors(t, "all skipped", got.ApplyPrechecked(pc), wantErrs)
	if !reflect.DeepEqual(got, want) {
		t.Error("the records differ")
	}
}

// TrustStored gives the record and the outcomes that ApplyBytesBatch gives
// for entries that are valid, and, as its name says, does not verify a
// signature or a proof again: a ballot whose proofs were swapped after it
// was "stored" is applied (which is why only a node's own log may go
// through it). Undecodable bytes still fail.
func TestTrustStored(t *testing.T) {
	x := newBatchElection(t, 3)
	var bs [][]byte
	for v := range 3 {
		b, _ := x.ballot(t, v, 0, 0)
		bs = append(bs, b.Bytes())
	}
	want := x.record(t)
	_, wantErrs := want.ApplyBytesBatch(bs)
	got := x.record(t)
	_, gotErrs := got.ApplyBytesPrechecked(got.Prechecker().TrustStored(bs))
	compareErrors(t, "trusted", gotErrs, wantErrs)
	if !reflect.DeepEqual(got, want) {
		t.Error("the records differ")
	}

	good, _ := x.ballot(t, 1, 1, 0)
	forged := resign(good, good.Payload, x.voters[2]) // voter 1's proofs, signed by voter 2
	r := x.record(t)
	_, errs := r.ApplyBytesPrechecked(r.Prechecker().TrustStored([][]byte{forged.Bytes(), []byte("garbage")}))
	if errs[0] != nil {
		t.Fatalf("a trusted entry was checked again: %v", errs[0])
	}
	if errs[1] == nil {
		t.Fatal("undecodable bytes were applied")
	}
	if _, errs := x.record(t).ApplyBytesBatch([][]byte{forged.Bytes()}); errs[0] == nil {
		t.Fatal("the forged ballot passes the full check: the test proves nothing")
	}
}
