package core

import (
	"io"
	"net/http"
)

const adminPrefix = "/_emulator/"

// serveAdmin answers the emulator's own endpoints, which are not AWS APIs:
//
//	GET  /_emulator/stats        the Stats as JSON
//	POST /_emulator/reset-stats  zero the counters
//
// When signatures are enforced, these are refused to callers a management
// call would refuse, with the same error: the counters tell which operations
// an account runs, and a reset hides them.
func (d *Dispatcher) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if d.Auth.Enforced() {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil || len(body) > maxBodyBytes {
			WriteError(w, bodyTooLarge())
			return
		}
		if _, authErr := d.Auth.Authenticate(r, body, RESTJSON); authErr != nil {
			WriteError(w, authErr)
			return
		}
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == adminPrefix+"stats":
		WriteJSON(w, http.StatusOK, d.Stats())
	case r.Method == http.MethodPost && r.URL.Path == adminPrefix+"reset-stats":
		d.stats.reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		WriteError(w, unknownAdminEndpoint(r.Method, r.URL.Path))
	}
}
