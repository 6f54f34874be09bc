package contest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
	"github.com/evote/evote/crypto/proof"
)

var (
	spec5of2 = Spec{Options: 5, Min: 0, Max: 2}
	binding  = Binding{Election: []byte("election-1"), Credential: []byte("credential-1"), Contest: 0}
)

func testKey(t testing.TB) (*elgamal.PrivateKey, *group.Point) {
	k, K, err := elgamal.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k, K
}

func TestEncryptVerifyDecrypt(t *testing.T) {
	k, K := testKey(t)
	pk := elgamal.NewPublicKey(K)
	sel := []uint64{0, 1, 0, 1, 0}
	e, o, err := Encrypt(binding, spec5of2, pk, sel, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Verify(binding, spec5of2, K); err != nil {
		t.Fatalf("valid contest rejected: %v", err)
	}
	enc := e.Bytes()
	if len(enc) != spec5of2.Size() {
		t.Fatalf("encoding is %d bytes, want %d", len(enc), spec5of2.Size())
	}
	d, err := Decode(enc, spec5of2)
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Verify(binding, spec5of2, K); err != nil {
		t.Fatalf("decoded contest rejected: %v", err)
	}
	for i, opt := range e.Options {
		want := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(sel[i]))
		if !k.Decrypt(opt.Ciphertext).Equal(want) {
			t.Errorf("option %d does not decrypt to %d", i, sel[i])
		}
		if !elgamal.Encrypt(K, group.ScalarFromUint64(sel[i]), o.Randomness[i]).B.Equal(opt.Ciphertext.B) {
			t.Errorf("option %d: opening does not reproduce the ciphertext", i)
		}
	}
}

func TestEncryptRejectsBadSelections(t *testing.T) {
	_, K := testKey(t)
	pk := elgamal.NewPublicKey(K)
	for _, sel := range [][]uint64{{1, 1, 1, 0, 0}, {0, 2, 0, 0, 0}, {0, 0, 0, 0}} {
		if _, _, err := Encrypt(binding, spec5of2, pk, sel, nil); !errors.Is(err, ErrSelections) {
			t.Errorf("%v: got %v, want ErrSelections", sel, err)
		}
	}
	if _, _, err := Encrypt(binding, Spec{Options: 2, Min: 0, Max: 3}, pk, []uint64{0, 0}, nil); err == nil {
		t.Error("spec with max > options accepted")
	}
}

// A proof copied to another voter, contest, option or election fails.
func TestProofsAreBound(t *testing.T) {
	_, K := testKey(t)
	pk := elgamal.NewPublicKey(K)
	e, _, err := Encrypt(binding, spec5of2, pk, []uint64{1, 0, 0, 0, 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	other := func(f func(*Binding)) Binding { b := binding; f(&b); return b }
	cases := map[string]Binding{
		"credential": other(func(b *Binding) { b.Credential = []byte("credential-2") }),
		"contest":    other(func(b *Binding) { b.Contest = 1 }),
		"election":   other(func(b *Binding) { b.Election = []byte("election-2") }),
	}
	for name, b := range cases {
		if err := e.Verify(b, spec5of2, K); !errors.Is(err, proof.ErrChallenge) {
			t.Errorf("moved to another %s: got %v, want ErrChallenge", name, err)
		}
	}
	swapped := *e
	swapped.Options = append([]Option(nil), e.Options...)
	swapped.Options[0], swapped.Options[1] = swapped.Options[1], swapped.Options[0]
	if err := swapped.Verify(binding, spec5of2, K); !errors.Is(err, proof.ErrChallenge) {
		t.Errorf("options swapped: got %v, want ErrChallenge", err)
	}
	_, K2 := testKey(t)
	if err := e.Verify(binding, spec5of2, K2); err == nil {
		t.Error("accepted under another election key")
	}
}

// Too many selections with honestly made option proofs: the range proof,
// forced for an in-range value, fails.
func TestOverLimitFails(t *testing.T) {
	_, K := testKey(t)
	pk := elgamal.NewPublicKey(K)
	e, _, err := Encrypt(binding, Spec{Options: 5, Min: 0, Max: 3}, pk, []uint64{1, 1, 1, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Reuse the options of a 3-selection ballot with a range proof for [0, 2]
	// taken from a legitimate 2-selection ballot.
	e2, _, err := Encrypt(binding, spec5of2, pk, []uint64{1, 1, 0, 0, 0}, nil)
	if err != nil {
		t.Fatal(err)
	}
	e.Range = e2.Range
	if err := e.Verify(binding, spec5of2, K); err == nil {
		t.Error("3 selections accepted in a contest of at most 2")
	}
}

var fixture struct {
	sync.Mutex
	K     *group.Point
	pk    *elgamal.PublicKey
	items []Item
}

// batchFixture returns n valid encrypted contests under one key, made once,
// decoded from their bytes, and shared by the tests and benchmarks.
func batchFixture(b testing.TB, n int) (*group.Point, []Item) {
	fixture.Lock()
	defer fixture.Unlock()
	if fixture.K == nil {
		_, fixture.K = testKey(b)
		fixture.pk = elgamal.NewPublicKey(fixture.K)
	}
	for i := len(fixture.items); i < n; i++ {
		bind := binding
		bind.Credential = []byte(fmt.Sprintf("credential-%d", i))
		sel := make([]uint64, 5)
		sel[i%5] = 1
		sel[(i/5)%5] = 1
		e, _, err := Encrypt(bind, spec5of2, fixture.pk, sel, nil)
		if err != nil {
			b.Fatal(err)
		}
		// Verifiers always start from bytes: decode, as they do.
		if e, err = Decode(e.Bytes(), spec5of2); err != nil {
			b.Fatal(err)
		}
		fixture.items = append(fixture.items, Item{Binding: bind, Encrypted: e})
	}
	return fixture.K, fixture.items[:n]
}

func TestVerifyBatch(t *testing.T) {
	K, items := batchFixture(t, 64)
	items = append([]Item(nil), items...)
	if errs := VerifyBatch(spec5of2, K, items); errs != nil {
		t.Fatalf("good batch rejected: %v", errors.Join(errs...))
	}
	items[5].Binding.Credential = []byte("someone else")
	items[40] = Item{Binding: items[41].Binding, Encrypted: items[40].Encrypted}
	errs := VerifyBatch(spec5of2, K, items)
	for i := range items {
		bad := i == 5 || i == 40
		if got := errs != nil && errs[i] != nil; got != bad {
			t.Errorf("item %d: failed=%v, want %v", i, got, bad)
		}
	}
}
