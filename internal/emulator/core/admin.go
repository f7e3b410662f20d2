package core

import (
	"io"
	"net/http"
	"strings"
)

const adminPrefix = "/_emulator/"

// serveAdmin answers the emulator's own endpoints, which are not AWS APIs:
//
//	GET  /_emulator/stats        the Stats as JSON: control-plane calls and invoke requests
//	POST /_emulator/reset-stats  zero the counters, both planes'
//
// and the admin routes of the services (AdminService).
//
// When signatures are enforced, these are refused to callers a management
// call would refuse, with the same error: the counters tell which operations
// an account runs, and a reset hides them.
func (d *Dispatcher) serveAdmin(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil || len(body) > maxBodyBytes {
		WriteError(w, bodyTooLarge())
		return
	}
	// Unchecked, the caller still names its account and region, which an
	// admin route may default to.
	who, authErr := d.Auth.Authenticate(r, body, RESTJSON)
	if authErr != nil && d.Auth.Enforced() {
		WriteError(w, authErr)
		return
	}
	switch {
	case r.Method == http.MethodGet && r.URL.Path == adminPrefix+"stats":
		WriteJSON(w, http.StatusOK, d.Stats())
	case r.Method == http.MethodPost && r.URL.Path == adminPrefix+"reset-stats":
		d.stats.reset()
		w.WriteHeader(http.StatusNoContent)
	default:
		d.serveAdminRoute(w, r, body, who)
	}
}

// serveAdminRoute runs a service's admin route under the state lock.
func (d *Dispatcher) serveAdminRoute(w http.ResponseWriter, r *http.Request, body []byte, who Caller) {
	path := strings.TrimPrefix(r.URL.EscapedPath(), strings.TrimSuffix(adminPrefix, "/"))
	route, params, ok := d.admin.match(r.Method, path)
	if !ok {
		WriteError(w, unknownAdminEndpoint(r.Method, r.URL.Path))
		return
	}
	unmetered := *route
	unmetered.Unmetered = true
	status, response, err := d.runLocked(&unmetered, r, body, params, &Call{
		Account:   who.Identity.Account,
		Region:    who.Region,
		RequestID: w.Header().Get("x-amzn-RequestId"),
		Operation: route.Operation,
		Caller:    who.Identity,
	})
	if err != nil {
		WriteError(w, asError(err, RESTJSON))
		return
	}
	WriteJSON(w, status, response)
}
