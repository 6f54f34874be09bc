package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrBadAnswer is wrapped when a node's answer fails the client's checks:
// not the JSON the API defines, too long, or saying something false that
// the client can see (an entry whose bytes do not hash to its id, a seal
// with a bad signature…). The client tries the next node.
var ErrBadAnswer = errors.New("bad answer")

// Error is a node's refusal: an HTTP status other than 2xx with the API's
// JSON error, or whatever the node sent instead.
type Error struct {
	Node    string // the node's base URL
	Status  int    // the HTTP status
	Message string // the API's "error", or the status text
	// Check is the numbered record check the entry failed (docs/SPEC.md
	// §7.8), 0 when the refusal is not about one.
	Check int
	// RetryAfter is the node's hint, from its Retry-After header, of when
	// to try again (a rate limit, an entry that came too early); 0 if none.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	s := fmt.Sprintf("node %s: %d %s: %s", e.Node, e.Status, http.StatusText(e.Status), e.Message)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %v)", e.RetryAfter)
	}
	return s
}

// failover reports whether another node may answer differently: the node
// is failing (5xx) or busy (429). Any other refusal is about the request.
func (e *Error) failover() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests
}

// newError reads a refusal.
func newError(node string, resp *http.Response, body []byte) *Error {
	e := &Error{Node: node, Status: resp.StatusCode}
	var eb struct {
		Error string `json:"error"`
		Check int    `json:"check"`
	}
	if json.Unmarshal(body, &eb) == nil && eb.Error != "" {
		e.Message, e.Check = eb.Error, eb.Check
	} else {
		e.Message = http.StatusText(resp.StatusCode)
		if t := strings.TrimSpace(string(body)); t != "" && utf8.ValidString(t) {
			e.Message = clip(t)
		}
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	return e
}

// clip shortens what a node sent before the client quotes it.
func clip(s string) string {
	const max = 200
	if len(s) <= max {
		return s
	}
	return strings.ToValidUTF8(s[:max], "") + "…"
}

// UnavailableError says that no node gave an acceptable answer; Errs holds
// what went wrong with each node tried, in order (connection errors,
// *Error for 5xx and 429, errors wrapping ErrBadAnswer). errors.As finds
// an *Error among them.
type UnavailableError struct {
	Method, Path string
	Errs         []error
}

func (e *UnavailableError) Error() string {
	parts := make([]string, len(e.Errs))
	for i, err := range e.Errs {
		parts[i] = err.Error()
	}
	return fmt.Sprintf("client: %s %s: no node answered (tried %d): %s", e.Method, e.Path, len(e.Errs), strings.Join(parts, "; "))
}

func (e *UnavailableError) Unwrap() []error { return e.Errs }
