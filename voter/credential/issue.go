package credential

import (
	"crypto/ed25519"
	"fmt"
	"io"
	"strings"

	"github.com/evote/evote/election"
)

// Issue is one issue of credentials for an election: the secret side, a
// code per voter for printing, and the public side, the signed credentials
// entries for the board. The two are linked only through the keys, and the
// entries list the keys sorted, so the board learns the number of voters
// per style and nothing else about the roll.
type Issue struct {
	ElectionID  election.ID
	Voters      []Voter
	Styles      []string     // Styles[i] is the style id of Voters[i], "" when the election has none
	Credentials []Credential // Credentials[i] is Voters[i]'s
	Entries     []*election.Entry
}

// NewIssue draws a credential for each voter (from rand; crypto/rand when
// nil) and signs the public list with the commission's key. styles are the
// manifest's ballot styles: each voter's Style must name one of them, or be
// empty when there is exactly one; with no styles, every Style must be
// empty.
func NewIssue(electionID election.ID, voters []Voter, styles []election.Style, commission ed25519.PrivateKey, rand io.Reader) (*Issue, error) {
	if len(voters) == 0 {
		return nil, fmt.Errorf("credentials: no voters")
	}
	if len(commission) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("credentials: commission key is %d bytes, want %d", len(commission), ed25519.PrivateKeySize)
	}
	indices, ids, err := resolveStyles(voters, styles)
	if err != nil {
		return nil, err
	}
	creds, err := Generate(electionID, len(voters), rand)
	if err != nil {
		return nil, err
	}
	parts, err := PublicList(creds, indices)
	if err != nil {
		return nil, err
	}
	return &Issue{
		ElectionID:  electionID,
		Voters:      voters,
		Styles:      ids,
		Credentials: creds,
		Entries:     Entries(electionID, parts, commission),
	}, nil
}

// resolveStyles returns each voter's style index in the manifest and its
// style id.
func resolveStyles(voters []Voter, styles []election.Style) ([]uint16, []string, error) {
	index := make(map[string]uint16, len(styles))
	names := make([]string, len(styles))
	for i, s := range styles {
		index[s.ID] = uint16(i)
		names[i] = s.ID
	}
	indices := make([]uint16, len(voters))
	ids := make([]string, len(voters))
	for i, v := range voters {
		switch {
		case len(styles) == 0 && v.Style == "":
		case len(styles) == 0:
			return nil, nil, voterError(v, fmt.Errorf("voter %s: style %q, but the election has no ballot styles", v.ID, v.Style))
		case v.Style == "" && len(styles) == 1:
			ids[i] = styles[0].ID
		case v.Style == "":
			return nil, nil, voterError(v, fmt.Errorf("voter %s: no style; the election has styles %s", v.ID, strings.Join(names, ", ")))
		default:
			x, ok := index[v.Style]
			if !ok {
				return nil, nil, voterError(v, fmt.Errorf("voter %s: style %q is not one of the election's styles (%s)", v.ID, v.Style, strings.Join(names, ", ")))
			}
			indices[i], ids[i] = x, v.Style
		}
	}
	return indices, ids, nil
}

// voterError places err at the voter's roll line, if it has one.
func voterError(v Voter, err error) error {
	if v.Line > 0 {
		return &RollError{Line: v.Line, Err: err}
	}
	return fmt.Errorf("credentials: %w", err)
}
