package synth

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/evote/evote/election"
	"github.com/evote/evote/record"
)

// ReadForIngest reads the record that Write put in dir and returns what a
// board ingest benchmark submits: the entries before the ballots (manifest,
// credentials, ceremony, open) and the ballots, leaving out everything from
// the close on.
func ReadForIngest(dir string) (setup, ballots [][]byte, err error) {
	f, err := os.Open(filepath.Join(dir, record.EntriesFile))
	if err != nil {
		return nil, nil, fmt.Errorf("synth: %w", err)
	}
	defer f.Close()
	rd := record.NewReader(f)
	for {
		e, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return setup, ballots, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("synth: reading %s: %w", dir, err)
		}
		switch typ := election.EntryType(e[2]); {
		case typ == election.TypeBallot:
			ballots = append(ballots, e)
		case typ < election.TypeBallot:
			setup = append(setup, e)
		}
	}
}
