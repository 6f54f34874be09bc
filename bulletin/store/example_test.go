package store_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"

	"github.com/evote/evote/bulletin/store"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// A node appends entries, pages through them by type, and proves one's
// inclusion in the current tree.
func Example() {
	dir, err := os.MkdirTemp("", "evote-store")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(dir, nil)
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()

	el := election.ID(sha256.Sum256([]byte("an election")))
	var items []store.Item
	for _, text := range []string{"credentials", "ballot 1", "ballot 2", "ballot 1"} {
		typ := election.TypeBallot
		if text == "credentials" {
			typ = election.TypeCredentials
		}
		items = append(items, store.Item{ID: sha256.Sum256([]byte(text)), Type: typ, Bytes: []byte(text)})
	}
	appended, err := s.Append(ctx, el, items)
	if err != nil {
		panic(err)
	}
	fmt.Println(appended)

	ballots, err := s.Entries(ctx, el, election.TypeBallot, 0, 10)
	if err != nil {
		panic(err)
	}
	for _, b := range ballots {
		fmt.Println(b.Index, string(b.Bytes))
	}

	size, root, err := s.Head(ctx, el)
	if err != nil {
		panic(err)
	}
	proof, err := s.InclusionProof(ctx, el, 2, size)
	if err != nil {
		panic(err)
	}
	fmt.Println(size, tlog.VerifyInclusion(2, size, tlog.LeafHash([]byte("ballot 2")), proof, root))
	// Output:
	// [{0 false} {1 false} {2 false} {1 true}]
	// 1 ballot 1
	// 2 ballot 2
	// 3 <nil>
}
