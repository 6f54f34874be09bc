package dlog_test

import (
	"fmt"

	"github.com/evote/evote/crypto/dlog"
	"github.com/evote/evote/crypto/group"
)

func ExampleSolve() {
	// A decrypted tally: 42 votes, as the point 42·G.
	M := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(42))
	// 100 ballots, at most one vote per option each.
	m, err := dlog.Solve(M, 100)
	fmt.Println(m, err)
	// Output: 42 <nil>
}

func ExampleTable_Log() {
	// One table for every option of a contest with 1000 ballots.
	table, err := dlog.NewTable(1000)
	if err != nil {
		panic(err)
	}
	for _, votes := range []uint64{17, 983, 1001} {
		M := new(group.Point).ScalarBaseMult(group.ScalarFromUint64(votes))
		m, err := table.Log(M)
		fmt.Println(m, err)
	}
	// Output:
	// 17 <nil>
	// 983 <nil>
	// 0 dlog: point is not m·G for any m in [0, 1000]
}
