package config_test

import (
	"errors"
	"fmt"

	"github.com/evote/evote/election/config"
)

// Parse reports every problem of a config at once, each at its line and
// column with its field path.
func ExampleParse() {
	yaml := `title: "Board election"
contests:
  - id: Chair
    title: "Chair"
    max_selections: 3
    options:
      - {id: ann, title: "Ann"}
      - {id: bo, title: "Bo"}
seal_quorum: three
`
	_, err := config.Parse("board.yaml", []byte(yaml))
	var cerr *config.Error
	if errors.As(err, &cerr) {
		for _, p := range cerr.Problems {
			fmt.Println(p)
		}
	}
	// Output:
	// board.yaml:1:1: schedule: missing; this field is required
	// board.yaml:1:1: commission_key: missing; this field is required
	// board.yaml:1:1: trustees: missing; this field is required
	// board.yaml:1:1: nodes: missing; this field is required
	// board.yaml:3:9: contests[0].id: "Chair" is not an id: 1–64 characters of a–z, 0–9, _ and -
	// board.yaml:5:21: contests[0].max_selections: 3 exceeds the 2 options
	// board.yaml:9:14: seal_quorum: want a whole number, got the text "three"
}

// Load reads a config file; key paths in it are relative to the file.
func ExampleLoad() {
	m, err := config.Load("../../election-configs/referendum.yaml")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s: %d contest, %d of %d trustees decrypt\n", m.Title, len(m.Contests), m.Trustees.Threshold, len(m.Trustees.Members))
	// Output:
	// Riverside Library Bond Referendum 2027: 1 contest, 2 of 3 trustees decrypt
}
