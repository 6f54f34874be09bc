package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"slices"
	"testing"

	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

func TestAppendAndRead(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	var items []Item
	for i := range uint64(40) {
		items = append(items, item(i, election.EntryType(1+i%3), 100+int(i)*50))
	}
	for start := 0; start < len(items); start += 9 {
		got, err := s.Append(ctx, elA, items[start:min(start+9, len(items))])
		if err != nil {
			t.Fatal(err)
		}
		for k, a := range got {
			if a.Index != uint64(start+k) || a.Existing {
				t.Fatalf("item %d appended as %+v", start+k, a)
			}
		}
	}
	if _, err := s.Append(ctx, elB, items[:3]); err != nil {
		t.Fatal(err)
	}

	entries := checkLog(t, s, elA)
	for i, e := range entries {
		if !bytes.Equal(e, items[i].Bytes) {
			t.Fatalf("entry %d differs", i)
		}
	}
	if got := checkLog(t, s, elB); len(got) != 3 {
		t.Fatalf("election B has %d entries", len(got))
	}
	els, err := s.Elections(ctx)
	if err != nil || len(els) != 2 || !slices.Contains(els, elA) || !slices.Contains(els, elB) {
		t.Fatalf("Elections = %x, %v", els, err)
	}

	t.Run("by type with a cursor", func(t *testing.T) {
		for typ := election.EntryType(1); typ <= 3; typ++ {
			var seen []uint64
			for from := uint64(0); ; {
				page, err := s.Entries(ctx, elA, typ, from, 4)
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range page {
					if st.Type != typ || st.ID != items[st.Index].ID || !bytes.Equal(st.Bytes, items[st.Index].Bytes) {
						t.Fatalf("type %d page: %+v", typ, st)
					}
					seen = append(seen, st.Index)
				}
				if len(page) < 4 {
					break
				}
				from = page[len(page)-1].Index + 1
			}
			var want []uint64
			for i := range items {
				if items[i].Type == typ {
					want = append(want, uint64(i))
				}
			}
			if !slices.Equal(seen, want) {
				t.Errorf("type %d: indexes %v, want %v", typ, seen, want)
			}
		}
		if page, err := s.Entries(ctx, elA, 9, 0, 10); err != nil || len(page) != 0 {
			t.Errorf("type 9: %v, %v; want an empty page", page, err)
		}
		if page, err := s.Entries(ctx, elA, 0, 40, 10); err != nil || len(page) != 0 {
			t.Errorf("from the end: %v, %v; want an empty page", page, err)
		}
		if _, err := s.Entries(ctx, elA, 0, 0, 0); err == nil {
			t.Error("limit 0 accepted")
		}
	})

	t.Run("roots and proofs", func(t *testing.T) {
		ref := newRefTree(t, entries)
		for size := uint64(0); size <= 40; size++ {
			root, err := s.Root(ctx, elA, size)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tlog.RootAt(refNodes(ref.nodes), size)
			if err != nil || root != want {
				t.Fatalf("Root(%d) = %x, want %x (%v)", size, root, want, err)
			}
			for index := range size {
				p, err := s.InclusionProof(ctx, elA, index, size)
				if err != nil {
					t.Fatal(err)
				}
				if err := tlog.VerifyInclusion(index, size, tlog.LeafHash(entries[index]), p, root); err != nil {
					t.Fatal(err)
				}
			}
			p, err := s.ConsistencyProof(ctx, elA, size, 40)
			if err != nil {
				t.Fatal(err)
			}
			if err := tlog.VerifyConsistency(size, 40, p, root, ref.tree.Root()); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.EntryAt(ctx, elA, 17)
		if err != nil || st.Index != 17 || st.ID != items[17].ID {
			t.Fatalf("EntryAt(17) = %+v, %v", st, err)
		}
	})
}

func TestNotFoundAndOutOfRange(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Append(ctx, elA, []Item{item(1, 7, 64), item(2, 7, 64)}); err != nil {
		t.Fatal(err)
	}
	unknown := election.ID(sha256.Sum256([]byte("unknown")))
	notFound := map[string]error{}
	_, _, notFound["Head"] = s.Head(ctx, unknown)
	_, notFound["Entries"] = s.Entries(ctx, unknown, 0, 0, 1)
	_, notFound["Entry of unknown election"] = s.Entry(ctx, unknown, item(1, 7, 64).ID)
	_, notFound["Entry of unknown id"] = s.Entry(ctx, elA, unknown)
	_, notFound["EntryAt"] = s.EntryAt(ctx, unknown, 0)
	_, notFound["Root"] = s.Root(ctx, unknown, 0)
	_, notFound["InclusionProof"] = s.InclusionProof(ctx, unknown, 0, 1)
	_, notFound["ConsistencyProof"] = s.ConsistencyProof(ctx, unknown, 0, 1)
	for name, err := range notFound {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v, want ErrNotFound", name, err)
		}
	}
	outOfRange := map[string]error{}
	_, outOfRange["EntryAt"] = s.EntryAt(ctx, elA, 2)
	_, outOfRange["Root"] = s.Root(ctx, elA, 3)
	_, outOfRange["InclusionProof size"] = s.InclusionProof(ctx, elA, 0, 3)
	_, outOfRange["InclusionProof index"] = s.InclusionProof(ctx, elA, 2, 2)
	_, outOfRange["ConsistencyProof size2"] = s.ConsistencyProof(ctx, elA, 1, 3)
	_, outOfRange["ConsistencyProof order"] = s.ConsistencyProof(ctx, elA, 2, 1)
	for name, err := range outOfRange {
		if !errors.Is(err, ErrOutOfRange) {
			t.Errorf("%s: %v, want ErrOutOfRange", name, err)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, _, err := s.Head(cancelled, elA); !errors.Is(err, context.Canceled) {
		t.Errorf("Head with a cancelled context: %v", err)
	}
}

func TestDuplicatesAreNotStoredTwice(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	a, b, c := item(1, 7, 300), item(2, 7, 300), item(3, 8, 300)
	if _, err := s.Append(ctx, elA, []Item{a, b}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Append(ctx, elA, []Item{b, c, c, a})
	if err != nil {
		t.Fatal(err)
	}
	want := []Appended{{1, true}, {2, false}, {2, true}, {0, true}}
	if !slices.Equal(got, want) {
		t.Fatalf("Append = %+v, want %+v", got, want)
	}
	got, err = s.Append(ctx, elA, []Item{c})
	if err != nil || !slices.Equal(got, []Appended{{2, true}}) {
		t.Fatalf("Append of a stored entry = %+v, %v", got, err)
	}
	if entries := checkLog(t, s, elA); len(entries) != 3 {
		t.Fatalf("%d entries, want 3", len(entries))
	}
	// Another election holds its own copy.
	got, err = s.Append(ctx, elB, []Item{c})
	if err != nil || !slices.Equal(got, []Appended{{0, false}}) {
		t.Fatalf("Append to another election = %+v, %v", got, err)
	}
	if st := s.Stats(); st.Entries != 4 {
		t.Errorf("Stats.Entries = %d, want 4", st.Entries)
	}
}

func TestAppendPreconditions(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	ctx := context.Background()
	good := item(1, 7, 100)
	badID := item(2, 7, 100)
	badID.ID[0] ^= 1
	zeroType := item(3, 0, 100)
	empty := Item{ID: sha256.Sum256(nil), Type: 7}
	huge := Item{Type: 7, Bytes: make([]byte, election.MaxEntrySize+1)}
	huge.ID = sha256.Sum256(huge.Bytes)
	for name, items := range map[string][]Item{
		"no items":  nil,
		"bad id":    {good, badID},
		"type 0":    {good, zeroType},
		"too large": {good, huge},
		"empty":     {good, empty},
	} {
		if _, err := s.Append(ctx, elA, items); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if els, err := s.Elections(ctx); err != nil || len(els) != 0 {
		t.Errorf("rejected appends stored something: %x, %v", els, err)
	}
}

func TestClose(t *testing.T) {
	s := openTest(t, t.TempDir())
	ctx := context.Background()
	if _, err := s.Append(ctx, elA, []Item{item(1, 7, 100)}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Append(ctx, elA, []Item{item(2, 7, 100)}); !errors.Is(err, ErrClosed) {
		t.Errorf("Append after Close: %v", err)
	}
	if _, _, err := s.Head(ctx, elA); !errors.Is(err, ErrClosed) {
		t.Errorf("Head after Close: %v", err)
	}
	if err := s.Close(); !errors.Is(err, ErrClosed) {
		t.Errorf("second Close: %v", err)
	}
}

func TestDurableAcrossReopen(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s := openTest(t, dir)
	for i := range uint64(25) {
		if _, err := s.Append(ctx, elA, []Item{item(i, 7, 3500)}); err != nil {
			t.Fatal(err)
		}
	}
	before := checkLog(t, s, elA)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir)
	defer s.Close()
	if after := checkLog(t, s, elA); len(after) != len(before) {
		t.Fatalf("%d entries after reopening, %d before", len(after), len(before))
	}
	// The committer picks the tree up from disk and goes on.
	got, err := s.Append(ctx, elA, []Item{item(0, 7, 3500), item(100, 7, 3500)})
	if err != nil || !slices.Equal(got, []Appended{{0, true}, {25, false}}) {
		t.Fatalf("Append after reopening = %+v, %v", got, err)
	}
	if entries := checkLog(t, s, elA); len(entries) != 26 {
		t.Fatalf("%d entries, want 26", len(entries))
	}
}
