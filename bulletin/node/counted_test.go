package node

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"net/http"
	"testing"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
)

// GET …/credentials/{key}/ballot answers the ballot that counts for a
// credential now: the revote once it is there, 404 for a credential that
// has not voted, 400 for a key that is not one.
func TestCountedBallot(t *testing.T) {
	good := readRecord(t, "good_referendum.rec")
	el := election.ID(sha256.Sum256(good[0]))
	n := startNode(t, testConfig(t, testKey("node/0")))
	ctx := context.Background()
	for i := 0; i <= 12; i++ { // through revote/2
		if _, err := n.client.Submit(ctx, good[i]); err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
	}
	voter := func(i int) ed25519.PublicKey {
		return testKey("voter/" + string(rune('0'+i))).Public().(ed25519.PublicKey)
	}
	st, err := n.client.CountedBallot(ctx, el, voter(2))
	if err != nil {
		t.Fatal(err)
	}
	if st.ID != sha256.Sum256(good[12]) {
		t.Fatalf("voter 2's counted ballot is %x, want the revote", st.ID[:6])
	}
	st, err = n.client.CountedBallot(ctx, el, voter(0))
	if err != nil || st.ID != sha256.Sum256(good[8]) {
		t.Fatalf("voter 0: %v, %v", st, err)
	}
	_, stranger, _ := ed25519.GenerateKey(nil)
	_, err = n.client.CountedBallot(ctx, el, stranger.Public().(ed25519.PublicKey))
	var ce *client.Error
	if !errors.As(err, &ce) || ce.Status != http.StatusNotFound {
		t.Fatalf("a credential with no ballot: %v, want 404", err)
	}
	resp, err := http.Get("http://" + n.HTTPAddr() + "/v1/elections/" + el.String() + "/credentials/abcd/ballot")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("a short key: %d, want 400", resp.StatusCode)
	}
}
