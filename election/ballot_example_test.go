package election_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/evote/evote/crypto/elgamal"
	"github.com/evote/evote/election"
)

// A voter's device encrypts a ballot, the voter challenges it (Benaloh),
// a second device opens the spoiled ballot, and the device casts a fresh
// ballot that the board checks.
func ExampleNewBallot() {
	m := &election.Manifest{
		Version: election.ProtocolVersion, Group: election.GroupName, Title: "Referendum",
		Contests: []election.Contest{{
			ID: "library", Title: "Build the library?", MinSelections: 1, MaxSelections: 1,
			Options: []election.Option{{ID: "yes", Title: "Yes"}, {ID: "no", Title: "No"}},
		}},
	}
	electionID := election.ID(sha256.Sum256([]byte("the manifest entry")))
	_, K, _ := elgamal.GenerateKey(nil) // in an election: the trustees' joint key
	pk := elgamal.NewPublicKey(K)
	_, cred, _ := ed25519.GenerateKey(nil)
	eligible := election.CredentialStyles{[32]byte(cred.Public().(ed25519.PublicKey)): 0}
	verifier, _ := election.NewBallotVerifier(m, electionID, K)
	yes := [][]uint64{{1, 0}}

	challenged, opening, _ := election.NewBallot(m, electionID, pk, cred, 0, 0, yes, nil)
	spoiled, _ := election.NewSpoiled(m, challenged, opening, cred)
	_, selections, err := verifier.CheckSpoiled(spoiled, eligible)
	fmt.Println("the challenged ballot encrypted", selections, err)

	cast, _, _ := election.NewBallot(m, electionID, pk, cred, 0, 0, yes, nil)
	_, err = verifier.CheckBallot(cast, eligible)
	fmt.Println("cast ballot:", len(cast.Payload), "bytes, check:", err)
	fmt.Println("tracker is the entry id:", election.BallotTracker(cast) == cast.ID())
	// Output:
	// the challenged ballot encrypted [[1 0]] <nil>
	// cast ballot: 774 bytes, check: <nil>
	// tracker is the entry id: true
}
