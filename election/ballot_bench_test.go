package election

import (
	"fmt"
	"testing"
)

// BenchmarkNewBallot encrypts, proves and signs a ballot of one contest of
// 5 options, choose up to 2: what a voter's device pays per ballot.
func BenchmarkNewBallot(b *testing.B) {
	m := singleManifest(newTestTrustees(b, 3))
	id := testElectionID("bench")
	_, pk := testElectionKey(b)
	cred := testKeyFrom("bench-voter")
	sel := [][]uint64{{0, 1, 0, 1, 0}}
	for b.Loop() {
		if _, _, err := NewBallot(m, id, pk, cred, 0, 0, sel, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCheckBallots is the full per-ballot cost a board node pays for
// the same ballot: decoding, the credential's signature and every proof;
// batch=1 checks one ballot alone (CheckBallot), larger batches check
// together (CheckBallots). ns/ballot compares them.
func BenchmarkCheckBallots(b *testing.B) {
	m := singleManifest(newTestTrustees(b, 3))
	id := testElectionID("bench")
	_, pk := testElectionKey(b)
	v, err := NewBallotVerifier(m, id, pk.K)
	if err != nil {
		b.Fatal(err)
	}
	voters := testVoters(1024, 1)
	elig := eligibility(voters)
	es := make([]*Entry, len(voters))
	parallelEach(len(voters), func(i int) {
		sel := [][]uint64{{0, 0, 0, 0, 0}}
		sel[0][i%5], sel[0][(i+2)%5] = 1, 1
		es[i], _, err = NewBallot(m, id, pk, voters[i].key, 0, 0, sel, nil)
		if err != nil {
			panic(err)
		}
	})
	for _, n := range []int{1, 64, 1024} {
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			batch := es[:n]
			for b.Loop() {
				if n == 1 {
					if _, err := v.CheckBallot(batch[0], elig); err != nil {
						b.Fatal(err)
					}
					continue
				}
				if _, errs := v.CheckBallots(batch, elig); errs != nil {
					b.Fatal(errs)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/ballot")
		})
	}
}
