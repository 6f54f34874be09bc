package client_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http/httptest"

	"github.com/evote/evote/bulletin/api"
	"github.com/evote/evote/bulletin/api/apitest"
	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
)

// A voter's device submits a ballot to the first node that answers, then
// checks, against that node's signed checkpoint, that its log holds the
// ballot at the receipt's index.
func ExampleClient_Submit() {
	ctx := context.Background()
	board := apitest.NewBoard(1)
	srv := httptest.NewServer(api.New(board, api.Options{}))
	defer srv.Close()
	manifest := apitest.Entry(apitest.Key(0), election.ID{}, election.TypeManifest, []byte("manifest"))
	if _, err := board.Submit(ctx, manifest); err != nil {
		panic(err)
	}
	el := election.ID(sha256.Sum256(manifest))

	// The first node is down; the client moves on to the second.
	c, err := client.New([]string{"http://127.0.0.1:1", srv.URL}, client.Options{})
	if err != nil {
		panic(err)
	}
	ballot := apitest.Entry(apitest.Key(1), el, election.TypeBallot, []byte("ballot"))
	receipt, err := c.Submit(ctx, ballot)
	if err != nil {
		panic(err)
	}
	fmt.Printf("stored at index %d\n", receipt.Index)

	// Proofs are about one node's log: ask the node that gave the receipt,
	// with the verifier of the key the manifest lists for it.
	node := c.Nodes()[1]
	cp, err := node.Checkpoint(ctx, el, board.Verifier())
	if err != nil {
		panic(err)
	}
	if err := node.VerifyInclusion(ctx, cp, receipt.Index, ballot); err != nil {
		panic(err)
	}
	fmt.Printf("included in the log of size %d\n", cp.Size)

	// A refusal comes back as a *client.Error naming the broken check.
	_, err = c.Submit(ctx, ballot[:40])
	var refusal *client.Error
	if errors.As(err, &refusal) {
		fmt.Printf("refused: %d, check %d\n", refusal.Status, refusal.Check)
	}
	// Output:
	// stored at index 1
	// included in the log of size 2
	// refused: 400, check 16
}
