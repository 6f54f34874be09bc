package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/evote/evote/bulletin"
	"github.com/evote/evote/bulletin/tlog"
	"github.com/evote/evote/election"
)

// TooEarlyRetry is the Retry-After the API suggests for an entry that
// arrived before the phase it belongs to (election.ErrTooEarly).
const TooEarlyRetry = 30 * time.Second

// errorBody is the JSON of every refusal.
type errorBody struct {
	Error string `json:"error"`
	// Check is the numbered record check an entry failed (docs/SPEC.md §7.8).
	Check int `json:"check,omitempty"`
}

// statusError is an answer the API decides on its own, without the
// Board's help: bad parameters, bodies or routes, a missing feature, an
// unhealthy node.
type statusError struct {
	status     int
	msg        string
	retryAfter time.Duration
}

func (e *statusError) Error() string { return e.msg }

// badRequest returns a 400 naming the problem.
func badRequest(format string, args ...any) error {
	return &statusError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}

// answer is how the API answers an error.
type answer struct {
	status     int
	body       errorBody
	retryAfter time.Duration
	fault      bool // a server fault: log it, show a generic message
}

// answerFor maps an error from parsing or from the Board to its answer.
func answerFor(err error) answer {
	var re *statusError
	var tooBig *http.MaxBytesError
	var ce *election.CheckError
	switch {
	case errors.As(err, &re):
		return answer{status: re.status, body: errorBody{Error: re.msg}, retryAfter: re.retryAfter}
	case errors.As(err, &tooBig):
		return answer{status: http.StatusRequestEntityTooLarge,
			body: errorBody{Error: fmt.Sprintf("request body is larger than %d bytes", tooBig.Limit)}}
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return answer{status: http.StatusServiceUnavailable, body: errorBody{Error: "request cancelled or timed out"}}
	case errors.As(err, &ce):
		return checkAnswer(err, ce)
	case errors.Is(err, bulletin.ErrUnknownElection), errors.Is(err, bulletin.ErrNotFound):
		return answer{status: http.StatusNotFound, body: errorBody{Error: err.Error()}}
	case errors.Is(err, tlog.ErrOutOfRange):
		return answer{status: http.StatusBadRequest, body: errorBody{Error: err.Error()}}
	case errors.Is(err, election.ErrTooEarly):
		return answer{status: http.StatusConflict, body: errorBody{Error: err.Error()}, retryAfter: TooEarlyRetry}
	case errors.Is(err, election.ErrTooLate):
		return answer{status: http.StatusConflict, body: errorBody{Error: err.Error()}}
	case errors.Is(err, election.ErrEncoding), errors.Is(err, election.ErrVersion):
		return answer{status: http.StatusBadRequest, body: errorBody{Error: err.Error()}}
	case errors.Is(err, election.ErrSignature):
		return answer{status: http.StatusUnprocessableEntity, body: errorBody{Error: err.Error()}}
	default:
		return answer{status: http.StatusInternalServerError, body: errorBody{Error: "internal error"}, fault: true}
	}
}

// checkAnswer maps a failed record check: an entry that does not decode is
// a bad request (400); one of an election the node does not serve, 404; one
// in the wrong phase, a conflict with the record's state (409, with a
// retry hint when it is merely early); any other broken rule, 422.
func checkAnswer(err error, ce *election.CheckError) answer {
	a := answer{status: http.StatusUnprocessableEntity, body: errorBody{Error: err.Error(), Check: ce.Check}}
	switch {
	case errors.Is(err, bulletin.ErrUnknownElection):
		a.status = http.StatusNotFound
	case errors.Is(err, election.ErrTooEarly):
		a.status, a.retryAfter = http.StatusConflict, TooEarlyRetry
	case ce.Check == election.CheckPhase, ce.Check == election.CheckDuplicate:
		a.status = http.StatusConflict
	case ce.Check == election.CheckEncoding, ce.Check == election.CheckVersion, ce.Check == election.CheckType:
		a.status = http.StatusBadRequest
	}
	return a
}

// writeError answers err. Server faults are logged with the route, never
// with the client's address.
func (s *server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	a := answerFor(err)
	if a.fault {
		s.log.LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("route", r.Pattern), slog.String("error", err.Error()))
	}
	if a.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((a.retryAfter+time.Second-1)/time.Second)))
	}
	writeJSON(w, a.status, a.body)
}

// unmatched answers a request that no route matches with the mux's status
// (404, or 405 with its Allow header) and a JSON error.
func (s *server) unmatched(w http.ResponseWriter, r *http.Request) {
	c := &captureWriter{header: http.Header{}}
	s.mux.ServeHTTP(c, r)
	if allow := c.header.Get("Allow"); allow != "" {
		w.Header().Set("Allow", allow)
	}
	status, msg := c.status, fmt.Sprintf("no route %s %s", r.Method, r.URL.Path)
	if status == http.StatusMethodNotAllowed {
		msg = fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path,
			strings.Join(strings.Fields(strings.ReplaceAll(c.header.Get("Allow"), ",", " ")), ", "))
	}
	if status < 400 {
		status = http.StatusNotFound
	}
	writeJSON(w, status, errorBody{Error: msg})
}

// captureWriter records the status and headers a handler writes and
// discards its body.
type captureWriter struct {
	header http.Header
	status int
}

func (c *captureWriter) Header() http.Header { return c.header }

func (c *captureWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	return len(b), nil
}
