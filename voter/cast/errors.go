package cast

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/evote/evote/bulletin/client"
	"github.com/evote/evote/election"
)

// ErrUnreachable is wrapped when no board node gave an answer: every node
// the device knows was down, unreachable or answered nonsense.
var ErrUnreachable = errors.New("no board node answered")

// boardError puts a client failure in a voter's words: when no node answered
// it wraps ErrUnreachable and lists the nodes tried; a node's refusal is kept
// as it is (its message names the problem).
func boardError(err error) error {
	var un *client.UnavailableError
	if errors.As(err, &un) {
		reasons := make([]string, 0, len(un.Errs))
		for _, e := range un.Errs {
			reasons = append(reasons, e.Error())
		}
		return fmt.Errorf("%w (tried %d: %s)", ErrUnreachable, len(un.Errs), strings.Join(reasons, "; "))
	}
	return err
}

// isNotFound reports whether err is a node's 404.
func isNotFound(err error) bool {
	var ce *client.Error
	return errors.As(err, &ce) && ce.Status == http.StatusNotFound
}

// refusalCheck returns the record check a node's refusal names, and
// whether err is a refusal at all.
func refusalCheck(err error) (*client.Error, bool) {
	var ce *client.Error
	if errors.As(err, &ce) {
		return ce, true
	}
	return nil, false
}

// short abbreviates an id for messages: 12 hex digits identify an entry
// among millions and fit on a line.
func short(id election.ID) string { return id.String()[:12] }
