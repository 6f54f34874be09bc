package credential_test

import (
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/evote/evote/election"
	"github.com/evote/evote/voter/credential"
)

// A voter types the code from the letter, carelessly; it still reads, and
// gives the credential's signing key for this election.
func ExampleParse() {
	code, err := credential.Parse("c5q2o sbrc5 pqov3 54ihp ys354 4-3")
	fmt.Println(code.Text(), err)
	electionID := election.ID(sha256.Sum256([]byte("example election")))
	_ = code.Key(electionID) // signs the voter's ballots

	// A mistyped character is caught, and an impossible one named.
	_, err = credential.Parse("C5Q20-SBRC5-PQ0V3-541HP-YS354-44")
	fmt.Println(errors.Is(err, credential.ErrChecksum), err)
	_, err = credential.Parse("C5Q20-SBUC5-PQ0V3-541HP-YS354-43")
	fmt.Println(err)
	// Output:
	// C5Q20-SBRC5-PQ0V3-541HP-YS354-43 <nil>
	// true checksum mismatch: a character is mistyped
	// character 9 'U' is not a code character
}
