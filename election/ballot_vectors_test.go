package election

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evote/evote/crypto/proof"
	"github.com/evote/evote/crypto/threshold"
)

// payloadVector is one file testdata/ballot_*.json or trustee_*.json: an
// entry of the styled test election (styledManifest, election id
// testElectionID("vectors"), key testElectionKey, voters testVoters(4, 2))
// and what checking it must give.
type payloadVector struct {
	Description string `json:"description"`
	// Election and Key are the election id and the joint election key K, hex.
	Election string `json:"election"`
	Key      string `json:"key"`
	// Entry is the entry's canonical bytes, hex.
	Entry string `json:"entry"`
	// Expect is "ok" or the failure: "encoding", "signature", "eligibility",
	// "style", "election", "proofs", "opening".
	Expect string `json:"expect"`
	// Selections are what a good spoiled ballot opens to.
	Selections [][]uint64 `json:"selections,omitempty"`
	// Regenerate says a good vector is rebuilt from the fixture's seeds and
	// must match byte for byte (ballots, spoiled ballots, complaints,
	// reveals, results; not dealings, whose share encryption is randomised).
	Regenerate bool `json:"regenerate,omitempty"`
}

const vectorElection = "vectors"

// vectorFiles builds every vector from the fixture.
func vectorFiles(t testing.TB) map[string]payloadVector {
	t.Helper()
	f := newBallotFixture(t)
	f.id = testElectionID(vectorElection)
	_, pk := testElectionKey(t)
	v, err := NewBallotVerifier(f.m, f.id, pk.K)
	if err != nil {
		t.Fatal(err)
	}
	f.v = v
	l := v.Layout()
	city, _ := f.ballot(t, 0, 0, "vector/city")
	district, dOpen := f.ballot(t, 1, 3, "vector/district")
	spoiled, err := NewSpoiled(f.m, district, dOpen, f.voters[1].key)
	if err != nil {
		t.Fatal(err)
	}
	hexOf := func(e *Entry) string { return hex.EncodeToString(e.Bytes()) }
	edit := func(e *Entry, key int, fn func(p []byte)) string {
		p := bytes.Clone(e.Payload)
		fn(p)
		return hexOf(resign(e, p, f.voters[key].key))
	}
	out := map[string]payloadVector{
		"ballot_good_city.json": {Description: "voter 0, style 0 (every contest, no padding), counter 0", Entry: hexOf(city), Expect: "ok", Regenerate: true},
		"ballot_good_district.json": {Description: "voter 1, style 1 (mayor, measure_a, measure_b; padded with zeros), counter 3",
			Entry: hexOf(district), Expect: "ok", Regenerate: true},
		"ballot_good_spoiled_district.json": {Description: "voter 1's district ballot spoiled with its opening",
			Entry: hexOf(spoiled), Expect: "ok", Selections: selectionsFor(1, 1), Regenerate: true},
		"ballot_fail_short.json": {Description: "the city ballot without its last byte, re-signed",
			Entry: hexOf(resign(city, city.Payload[:l.Size()-1], f.voters[0].key)), Expect: "encoding"},
		"ballot_fail_trailing.json": {Description: "the city ballot with a zero byte appended, re-signed",
			Entry: hexOf(resign(city, append(bytes.Clone(city.Payload), 0), f.voters[0].key)), Expect: "encoding"},
		"ballot_fail_padding.json": {Description: "the district ballot with its last padding byte 0x01, re-signed",
			Entry: edit(district, 1, func(p []byte) { p[len(p)-1] = 1 }), Expect: "encoding"},
		"ballot_fail_unknown_style.json": {Description: "the city ballot naming style 2, re-signed",
			Entry: edit(city, 0, func(p []byte) { p[5] = 2 }), Expect: "encoding"},
		"ballot_fail_noncanonical_point.json": {Description: "the city ballot with mayor option 0's A = 2^255 − 19, re-signed",
			Entry: edit(city, 0, func(p []byte) { setNonCanonical(p[6:38]) }), Expect: "encoding"},
		"ballot_fail_scalar_range.json": {Description: "the city ballot with a proof scalar 2^256 − 1, re-signed",
			Entry: edit(city, 0, func(p []byte) { setAboveOrder(p[6+128 : 6+160]) }), Expect: "encoding"},
		"ballot_fail_signature.json": {Description: "the city ballot with one signature bit flipped",
			Entry: func() string {
				e := *city
				e.Signature = bytes.Clone(e.Signature)
				e.Signature[9] ^= 4
				return hexOf(&e)
			}(), Expect: "signature"},
		"ballot_fail_ineligible.json": {Description: "the city ballot signed by a credential not on the list",
			Entry: hexOf(resign(city, city.Payload, testKeyFrom("outsider"))), Expect: "eligibility"},
		"ballot_fail_style_of_credential.json": {Description: "the city (style 0) ballot signed by voter 1, whose style is 1",
			Entry: hexOf(resign(city, city.Payload, f.voters[1].key)), Expect: "style"},
		"ballot_fail_other_credential.json": {Description: "the city ballot signed by voter 2 (style 0): proofs bound to voter 0",
			Entry: hexOf(resign(city, city.Payload, f.voters[2].key)), Expect: "proofs"},
		"ballot_fail_other_election.json": {Description: "the city ballot relabelled for another election, re-signed",
			Entry: func() string {
				e := *city
				e.Election = testElectionID("other")
				e.Sign(f.voters[0].key)
				return hexOf(&e)
			}(), Expect: "election"},
		"ballot_fail_contests_swapped.json": {Description: "the city ballot with measure_a and measure_b swapped, re-signed",
			Entry: edit(city, 0, func(p []byte) {
				n := l.specs[2].Size()
				a, b := l.Size()-2*n, l.Size()-n
				tmp := bytes.Clone(p[a:b])
				copy(p[a:b], p[b:])
				copy(p[b:], tmp)
			}), Expect: "proofs"},
		"ballot_fail_spoiled_opening.json": {Description: "the spoiled ballot with the first two options' randomness swapped, re-signed",
			Entry: edit(spoiled, 1, func(p []byte) {
				r := l.Size()
				tmp := bytes.Clone(p[r : r+32])
				copy(p[r:r+32], p[r+32:r+64])
				copy(p[r+32:r+64], tmp)
			}), Expect: "opening"},
		"ballot_fail_spoiled_padding.json": {Description: "the spoiled ballot with its last padding byte 0x01, re-signed",
			Entry: edit(spoiled, 1, func(p []byte) { p[len(p)-1] = 1 }), Expect: "encoding"},
	}
	// Trustee entries of the same election.
	tt := newTestTrustees(t, 3)
	c := runCeremony(t, f.m, f.id, tt)
	tkey := func(i int, e *Entry, p []byte) string { return hexOf(resign(e, p, tt.signing[i-1])) }
	d1 := c.dealings[0]
	complaint, err := NewComplaint(f.m, f.id, tt.signing[2], 1)
	if err != nil {
		t.Fatal(err)
	}
	reveal, err := NewReveal(f.m, f.id, tt.signing[0], c.polys[0], 3)
	if err != nil {
		t.Fatal(err)
	}
	result, err := NewResult(f.m, f.id, testCommission, testResult(f.m))
	if err != nil {
		t.Fatal(err)
	}
	editT := func(i int, e *Entry, fn func(p []byte)) string {
		p := bytes.Clone(e.Payload)
		fn(p)
		return tkey(i, e, p)
	}
	for name, vec := range map[string]payloadVector{
		"trustee_good_dealing.json":   {Description: "trustee 1's dealing (n = 3, t = 2)", Entry: hexOf(d1), Expect: "ok"},
		"trustee_good_complaint.json": {Description: "trustee 3 complains about dealer 1", Entry: hexOf(complaint), Expect: "ok", Regenerate: true},
		"trustee_good_reveal.json":    {Description: "dealer 1 reveals trustee 3's share", Entry: hexOf(reveal), Expect: "ok", Regenerate: true},
		"trustee_good_result.json":    {Description: "a result of 10 ballots", Entry: hexOf(result), Expect: "ok", Regenerate: true},
		"trustee_fail_dealing_short.json": {Description: "trustee 1's dealing without its last byte",
			Entry: tkey(1, d1, d1.Payload[:len(d1.Payload)-1]), Expect: "encoding"},
		"trustee_fail_dealing_count.json": {Description: "trustee 1's dealing claiming 3 commitments",
			Entry: editT(1, d1, func(p []byte) { p[3] = 3 }), Expect: "encoding"},
		"trustee_fail_dealing_proofs_swapped.json": {Description: "trustee 1's dealing with the proofs of coefficients 0 and 1 swapped",
			Entry: editT(1, d1, func(p []byte) {
				a, b := 4+32, 4+96+32 // R ‖ z of coefficient 0 and 1
				tmp := bytes.Clone(p[a : a+64])
				copy(p[a:a+64], p[b:b+64])
				copy(p[b:b+64], tmp)
			}), Expect: "proofs"},
		"trustee_fail_complaint_self.json": {Description: "trustee 3 complains about itself",
			Entry: tkey(3, complaint, []byte{0, 3, 0, 3}), Expect: "encoding"},
		"trustee_fail_reveal_scalar.json": {Description: "dealer 1's reveal with share 2^256 − 1",
			Entry: editT(1, reveal, func(p []byte) { setAboveOrder(p[4:]) }), Expect: "encoding"},
		"trustee_fail_result_count.json": {Description: "a result counting an option 11 times of 10 ballots",
			Entry: func() string {
				p := bytes.Clone(result.Payload)
				p[15] = 11
				return hexOf(resign(result, p, testCommission))
			}(), Expect: "encoding"},
	} {
		out[name] = vec
	}
	for name, vec := range out {
		vec.Election, vec.Key = hex.EncodeToString(f.id[:]), hex.EncodeToString(pk.K.Bytes())
		out[name] = vec
	}
	return out
}

// checkVector runs the check of a vector's entry type and returns the
// failure kind ("ok" for none) and, for a spoiled ballot, its selections.
func checkVector(t testing.TB, e *Entry) (string, [][]uint64, error) {
	t.Helper()
	f := newBallotFixture(t)
	_, pk := testElectionKey(t)
	v, err := NewBallotVerifier(f.m, testElectionID(vectorElection), pk.K)
	if err != nil {
		t.Fatal(err)
	}
	params := thresholdParams(f.m)
	var sel [][]uint64
	switch e.Type {
	case TypeBallot:
		_, err = v.CheckBallot(e, f.elig)
	case TypeSpoiled:
		_, sel, err = v.CheckSpoiled(e, f.elig)
	case TypeDealing:
		var d *Dealing
		if d, err = DecodeDealing(params, e.Payload); err == nil {
			err = threshold.VerifyCommitments(params, d.Dealer, electionContext(e.Election), d.Commitments)
		}
	case TypeComplaint:
		_, err = DecodeComplaint(params, e.Payload)
	case TypeReveal:
		_, err = DecodeReveal(params, e.Payload)
	case TypeResult:
		_, err = DecodeResult(f.m, e.Payload)
	default:
		t.Fatalf("no vector check for %s entries", e.Type)
	}
	if err == nil && e.VerifySignature() != nil {
		err = e.VerifySignature()
	}
	return failureKind(err), sel, err
}

func failureKind(err error) string {
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, ErrEncoding):
		return "encoding"
	case errors.Is(err, ErrSignature):
		return "signature"
	case errors.Is(err, ErrNotEligible):
		return "eligibility"
	case errors.Is(err, ErrOpening):
		return "opening"
	case errors.Is(err, proof.ErrChallenge), errors.Is(err, proof.ErrEquation):
		return "proofs"
	case errors.Is(err, ErrBallot) && strings.Contains(err.Error(), "for election"):
		return "election"
	case errors.Is(err, ErrBallot) && strings.Contains(err.Error(), "votes with style"):
		return "style"
	}
	return "other: " + err.Error()
}

// TestPayloadVectors checks every file testdata/ballot_*.json and
// trustee_*.json, and rebuilds the good ones that are deterministic to
// compare every byte. go test -run TestPayloadVectors -update rewrites them.
func TestPayloadVectors(t *testing.T) {
	if *updateVectors {
		for name, vec := range vectorFiles(t) {
			b, err := json.MarshalIndent(vec, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join("testdata", name), append(b, '\n'), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	files, err := filepath.Glob("testdata/ballot_*.json")
	if err != nil {
		t.Fatal(err)
	}
	trustee, _ := filepath.Glob("testdata/trustee_*.json")
	files = append(files, trustee...)
	if len(files) < 20 {
		t.Fatalf("%d vector files, want every one of vectorFiles", len(files))
	}
	fresh := vectorFiles(t)
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var vec payloadVector
			if err := json.Unmarshal(raw, &vec); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(name, "_good_") != (vec.Expect == "ok") {
				t.Fatalf("file name and expect %q disagree", vec.Expect)
			}
			b, err := hex.DecodeString(vec.Entry)
			if err != nil {
				t.Fatal(err)
			}
			e, err := DecodeEntry(b)
			if err != nil {
				t.Fatal(err)
			}
			kind, sel, err := checkVector(t, e)
			if kind != vec.Expect {
				t.Fatalf("got %s (%v), want %s", kind, err, vec.Expect)
			}
			if vec.Selections != nil && !reflect.DeepEqual(sel, vec.Selections) {
				t.Errorf("opened %v, want %v", sel, vec.Selections)
			}
			if vec.Regenerate && fresh[name].Entry != vec.Entry {
				t.Errorf("regenerated entry differs from the file")
			}
		})
	}
}
