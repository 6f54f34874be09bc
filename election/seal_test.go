package election

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/crypto/group"
)

func TestSealEncoding(t *testing.T) {
	s := &Seal{Count: 3, Ballots: sha256.Sum256([]byte("b")), TreeSize: 17, Root: sha256.Sum256([]byte("r"))}
	b := s.Bytes()
	if len(b) != SealSize {
		t.Fatalf("%d bytes, want %d", len(b), SealSize)
	}
	got, err := DecodeSeal(b)
	if err != nil || *got != *s {
		t.Fatalf("DecodeSeal = %+v, %v", got, err)
	}
	for _, bad := range [][]byte{nil, b[:SealSize-1], append(slices.Clone(b), 0)} {
		if _, err := DecodeSeal(bad); err == nil {
			t.Errorf("DecodeSeal(%d bytes) succeeded", len(bad))
		}
	}
}

func TestBallotSetHash(t *testing.T) {
	ids := []ID{{3}, {1}, {2}}
	h := BallotSetHash(ids)
	if ids[0] != (ID{3}) {
		t.Error("BallotSetHash sorted its argument")
	}
	if BallotSetHash([]ID{{2}, {3}, {1}}) != h {
		t.Error("hash depends on order")
	}
	if BallotSetHash(ids[:2]) == h || BallotSetHash([]ID{{1}, {2}, {4}}) == h {
		t.Error("different sets, same hash")
	}
	// The definition, spelled out.
	want := sha256.New()
	want.Write([]byte("evote/ballot-set/v1"))
	want.Write([]byte{0, 0, 0, 0, 0, 0, 0, 3})
	for _, id := range []ID{{1}, {2}, {3}} {
		want.Write(id[:])
	}
	if !bytes.Equal(h[:], want.Sum(nil)) {
		t.Error("hash differs from its definition")
	}
	empty := sha256.Sum256(append([]byte("evote/ballot-set/v1"), 0, 0, 0, 0, 0, 0, 0, 0))
	if BallotSetHash(nil) != empty {
		t.Error("empty set")
	}
}

// fxInjectBallot puts a ballot on the record as if the ballot rule had
// accepted it: voter v selects option o of the referendum.
func (x *fxElection) injectBallot(t testing.TB, v, o int) ID {
	t.Helper()
	id := sha256.Sum256(fmt.Appendf(nil, "ballot/%d/%d/%d", v, o, len(x.r.ballots)))
	cts := make([]*elgamal.Ciphertext, 2)
	for i := range cts {
		m := group.ScalarFromUint64(0)
		if i == o {
			m = group.ScalarFromUint64(1)
		}
		cts[i] = elgamal.Encrypt(x.r.Key(), m, group.ScalarFromUint64(uint64(100+v*10+i)))
	}
	x.r.ballots = append(x.r.ballots, id)
	x.r.last[[32]byte(fxPub(x.voters[v]))] = &castBallot{id: id, ciphertexts: [][]*elgamal.Ciphertext{cts}}
	return id
}

func (x *fxElection) seal(node int, s *Seal) *Entry {
	return x.sign(TypeSeal, s.Bytes(), x.k.nodes[node])
}

func TestSealQuorum(t *testing.T) {
	setup := func(t *testing.T) *fxElection {
		x := fxNew(t, 2, 2, 4) // quorum 3 of 4
		x.open(t)
		x.injectBallot(t, 0, 0)
		x.injectBallot(t, 1, 1)
		x.injectBallot(t, 2, 0)
		x.mustApply(t, x.sign(TypeClose, nil, x.k.commission))
		return x
	}
	t.Run("quorum reached", func(t *testing.T) {
		x := setup(t)
		s := x.r.NewSeal(9, sha256.Sum256([]byte("root")))
		if s.Count != 3 || s.Ballots != BallotSetHash(x.r.ballots) {
			t.Fatalf("NewSeal = %+v", s)
		}
		x.mustApply(t, x.seal(0, s))
		x.mustApply(t, x.seal(2, s))
		if x.r.Phase() != PhaseClosed || x.r.Sealed() != nil {
			t.Fatal("two seals of four made a quorum")
		}
		// A node that disagrees is kept on the record as evidence.
		x.mustApply(t, x.seal(1, &Seal{Count: 2, TreeSize: 5}))
		x.mustApply(t, x.seal(3, s))
		if x.r.Phase() != PhaseDecryption || x.r.Sealed() == nil || *x.r.Sealed() != *s {
			t.Fatalf("phase %s after three agreeing seals", x.r.Phase())
		}
		agg := x.r.Aggregates()
		for o, want := range []uint64{2, 1} {
			// The test ballots use known randomness, so the aggregate is
			// checkable directly: B − (Σr)·K = want·G.
			var rsum uint64
			for v := range 3 {
				rsum += uint64(100 + v*10 + o)
			}
			M := new(group.Point).Subtract(agg[0][o].B, new(group.Point).ScalarMult(group.ScalarFromUint64(rsum), x.r.Key()))
			if !M.Equal(new(group.Point).ScalarBaseMult(group.ScalarFromUint64(want))) {
				t.Errorf("aggregate of option %d does not hold %d", o, want)
			}
		}
		again := x.seal(0, &Seal{Count: 3, Ballots: s.Ballots, TreeSize: 10})
		wantCheck(t, x.r.Apply(again), CheckSealOnce, again)
	})
	t.Run("quorum on a set the record lacks", func(t *testing.T) {
		x := setup(t)
		missing := ID{0xff}
		ids := append(slices.Clone(x.r.ballots), missing)
		s := &Seal{Count: 4, Ballots: BallotSetHash(ids)}
		for n := range 3 {
			x.mustApply(t, x.seal(n, s))
		}
		if x.r.Phase() != PhaseClosed {
			t.Fatalf("phase %s", x.r.Phase())
		}
		p := x.sign(TypePartial, nil, x.k.trustees[0])
		ce := wantCheck(t, x.r.Apply(p), CheckSealQuorum, p)
		if !errors.Is(ce, ErrTooEarly) {
			t.Errorf("err = %v, want ErrTooEarly", ce)
		}
		// The missing ballot arrives from another node; the next entry
		// moves the record on.
		x.r.ballots = append(x.r.ballots, missing)
		x.mustApply(t, x.seal(3, &Seal{Count: 1}))
		if x.r.Phase() != PhaseDecryption {
			t.Errorf("phase %s once the record holds the sealed set", x.r.Phase())
		}
	})
	t.Run("quorum on a smaller set", func(t *testing.T) {
		x := setup(t)
		s := &Seal{Count: 2, Ballots: BallotSetHash(x.r.ballots[:2])}
		for n := range 3 {
			x.mustApply(t, x.seal(n, s))
		}
		p := x.sign(TypePartial, nil, x.k.trustees[0])
		ce := wantCheck(t, x.r.Apply(p), CheckSealQuorum, p)
		if errors.Is(ce, ErrTooEarly) {
			t.Errorf("err = %v: a record with ballots outside the sealed set will not catch up", ce)
		}
	})
	t.Run("malformed and misplaced", func(t *testing.T) {
		x := fxNew(t, 2, 2, 4)
		x.open(t)
		s := x.seal(0, &Seal{})
		if ce := wantCheck(t, x.r.Apply(s), CheckPhase, s); !errors.Is(ce, ErrTooEarly) {
			t.Errorf("seal while voting: %v", ce)
		}
		x.mustApply(t, x.sign(TypeClose, nil, x.k.commission))
		bad := x.sign(TypeSeal, append((&Seal{}).Bytes(), 0), x.k.nodes[0])
		wantCheck(t, x.r.Apply(bad), CheckSealEncoding, bad)
		byCommission := x.sign(TypeSeal, (&Seal{}).Bytes(), x.k.commission)
		wantCheck(t, x.r.Apply(byCommission), CheckAuthor, byCommission)
	})
}
