package api

import (
	"net/http"
)

// health answers GET /healthz: 200 {"status": "ok"}, or 503 with what
// stops the node when the Board is a HealthChecker that reports a problem.
func (s *server) health(w http.ResponseWriter, r *http.Request) error {
	if hc, ok := s.board.(HealthChecker); ok {
		if err := hc.Health(r.Context()); err != nil {
			return &statusError{status: http.StatusServiceUnavailable, msg: "unhealthy: " + err.Error()}
		}
	}
	writeJSON(w, http.StatusOK, HealthJSON{Status: "ok"})
	return nil
}
