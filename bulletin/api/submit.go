package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"

	"github.com/evote/evote/election"
)

// submit answers POST /v1/entries: 201 with the receipt of a new entry, 200
// with the stored copy's receipt for a duplicate.
func (s *server) submit(w http.ResponseWriter, r *http.Request) error {
	if err := noQuery(r); err != nil {
		return err
	}
	entry, err := s.readEntry(w, r)
	if err != nil {
		return err
	}
	rc, err := s.board.Submit(r.Context(), entry)
	switch {
	case err == nil && rc != nil:
		s.metrics.submitted.WithLabelValues("stored").Inc()
		writeJSON(w, http.StatusCreated, SubmitJSON{Receipt: receiptJSON(rc)})
		return nil
	case errors.Is(err, election.ErrDuplicate) && rc != nil:
		s.metrics.submitted.WithLabelValues("duplicate").Inc()
		writeJSON(w, http.StatusOK, SubmitJSON{Receipt: receiptJSON(rc)})
		return nil
	case err == nil || errors.Is(err, election.ErrDuplicate):
		return fmt.Errorf("board broke its contract: Submit gave no receipt (error %v)", err)
	default:
		s.metrics.submitted.WithLabelValues("refused").Inc()
		return err
	}
}

// readEntry reads the entry from the body: raw bytes as
// application/octet-stream, or {"entry": base64} as application/json. It
// refuses a body over MaxBody without reading it all.
func (s *server) readEntry(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	media, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (media != "application/octet-stream" && media != "application/json") {
		return nil, &statusError{status: http.StatusUnsupportedMediaType,
			msg: fmt.Sprintf("Content-Type %q: send the entry as application/octet-stream or as application/json {\"entry\": base64}",
				clip(r.Header.Get("Content-Type")))}
	}
	if r.ContentLength > s.opts.MaxBody {
		return nil, &http.MaxBytesError{Limit: s.opts.MaxBody}
	}
	body, err := readBody(http.MaxBytesReader(w, r.Body, s.opts.MaxBody), r.ContentLength)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, err
		}
		return nil, badRequest("reading the request body: %v", err)
	}
	if media == "application/json" {
		return decodeSubmitJSON(body)
	}
	if len(body) == 0 {
		return nil, badRequest("empty body: the entry's bytes are missing")
	}
	return body, nil
}

// readBody reads a body of length n, or of unknown length when n < 0; a
// known length saves growing the buffer while reading. The server has
// already checked n against the limit.
func readBody(r io.Reader, n int64) ([]byte, error) {
	if n < 0 {
		return io.ReadAll(r)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	return buf, nil
}

// decodeSubmitJSON decodes {"entry": base64} strictly: one object, no other
// field, nothing after it, canonical padded standard base64.
func decodeSubmitJSON(body []byte) ([]byte, error) {
	var req SubmitRequestJSON
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, badRequest("request body: want {\"entry\": base64}: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, badRequest("request body: data after the JSON object")
	}
	if req.Entry == "" {
		return nil, badRequest("request body: \"entry\" is missing or empty")
	}
	entry, err := base64.StdEncoding.Strict().DecodeString(req.Entry)
	if err != nil {
		return nil, badRequest("request body: \"entry\" is not padded standard base64: %v", err)
	}
	return entry, nil
}
