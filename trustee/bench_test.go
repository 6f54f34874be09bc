package trustee_test

import (
	"fmt"
	"testing"

	"github.com/evote/evote/tally/tallytest"
)

// BenchmarkCeremony times a whole key ceremony of n honest trustees in one
// process: each makes its dealing, reads the record, checks every share it
// received, and computes its share of the election key after the open
// entry; the record checks every entry as a board would. The state files use
// a cheap passphrase cost (the ceremony, not Argon2id, is measured).
func BenchmarkCeremony(b *testing.B) {
	for _, n := range []int{3, 7} {
		b.Run(fmt.Sprintf("trustees=%d", n), func(b *testing.B) {
			for range b.N {
				b.StopTimer()
				e := tallytest.New(b, n, n/2+1, 2, 1)
				trustees := newTrustees(b, e)
				b.StartTimer()
				for _, tr := range trustees {
					plan, err := tr.Step(replica(b, e))
					if err != nil {
						b.Fatal(err)
					}
					for _, en := range plan.Post {
						if err := e.Post(en); err != nil {
							b.Fatal(err)
						}
					}
				}
				r := replica(b, e)
				res, err := r.Ceremony()
				if err != nil {
					b.Fatal(err)
				}
				e.Open(b, res)
				r = replica(b, e)
				for _, tr := range trustees {
					if _, err := tr.Step(r); err != nil {
						b.Fatal(err)
					}
					if tr.Store().State.Share == nil {
						b.Fatalf("trustee %d has no share", tr.Index())
					}
				}
			}
		})
	}
}
