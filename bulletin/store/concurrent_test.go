package store

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/evote/evote/election"
)

// TestConcurrentAppends: many callers on two elections; every item lands
// once, indexes are dense, and each election's tree matches its entries.
func TestConcurrentAppends(t *testing.T) {
	s := openTest(t, t.TempDir())
	defer s.Close()
	const callers, perCaller = 16, 40
	type ack struct {
		el    election.ID
		item  Item
		index uint64
	}
	acks := make(chan ack, callers*perCaller*4) // at most 4 items a call
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			el := elA
			if c%2 == 1 {
				el = elB
			}
			for i := range perCaller {
				// Batches of one to three, and every fifth repeats an
				// item of another caller of the same election.
				n := 1 + i%3
				var items []Item
				for k := range n {
					items = append(items, item(uint64(c*1000+i*10+k), election.EntryType(7+k%2), 200+k))
				}
				if i%5 == 0 {
					items = append(items, item(uint64(((c+2)%callers)*1000+i*10), 7, 200))
				}
				got, err := s.Append(context.Background(), el, items)
				if err != nil {
					t.Error(err)
					return
				}
				for k, a := range got {
					acks <- ack{el, items[k], a.Index}
				}
			}
		})
	}
	wg.Wait()
	close(acks)

	at := map[election.ID]map[uint64]election.ID{elA: {}, elB: {}}
	for a := range acks {
		if id, ok := at[a.el][a.index]; ok && id != a.item.ID {
			t.Fatalf("index %d acknowledged for two ids", a.index)
		}
		at[a.el][a.index] = a.item.ID
	}
	for _, el := range []election.ID{elA, elB} {
		entries := checkLog(t, s, el)
		if len(entries) != len(at[el]) {
			t.Fatalf("%d entries stored, %d distinct indexes acknowledged", len(entries), len(at[el]))
		}
		for index, id := range at[el] {
			st, err := s.EntryAt(context.Background(), el, index)
			if err != nil || st.ID != id {
				t.Fatalf("index %d: %v, %v; want %x", index, st, err, id)
			}
		}
	}
	st := s.Stats()
	t.Logf("%d entries in %d commits", st.Entries, st.Commits)
	if st.Commits == 0 || st.Commits > callers*perCaller {
		t.Errorf("%d commits for %d Append calls", st.Commits, callers*perCaller)
	}
}

// TestBatchSplitsAtRequestBorders: with tiny memtables a batch needs many
// transactions; each request still lands whole, and one that fits in no
// transaction fails alone.
func TestBatchSplitsAtRequestBorders(t *testing.T) {
	opt := DefaultOptions()
	opt.MemTableSize = 1 << 20 // transactions of ~150 KB: a few hundred entries
	s, err := OpenWith(t.TempDir(), nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	big := make([]Item, 2000)
	for i := range big {
		big[i] = item(uint64(1_000_000+i), 7, 600)
	}
	if _, err := s.Append(ctx, elA, big); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a request of 2000 items: %v, want ErrTooLarge", err)
	}

	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			items := make([]Item, 120)
			for i := range items {
				items[i] = item(uint64(c*1000+i), 7, 600)
			}
			got, err := s.Append(ctx, elA, items)
			if err != nil {
				t.Error(err)
				return
			}
			for i := 1; i < len(got); i++ {
				if got[i].Index != got[0].Index+uint64(i) {
					t.Errorf("request %d not contiguous: %d then %d", c, got[i-1].Index, got[i].Index)
					return
				}
			}
		})
	}
	wg.Wait()
	if entries := checkLog(t, s, elA); len(entries) != 8*120 {
		t.Fatalf("%d entries, want %d", len(entries), 8*120)
	}
	if st := s.Stats(); st.Commits < 3 {
		t.Errorf("%d commits for 960 entries in transactions of a few hundred", st.Commits)
	}
}
