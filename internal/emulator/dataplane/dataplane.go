// Package dataplane is the front door of the emulator's invoke traffic: it
// tells an invoke request from a control-plane call, resolves which API it
// addresses (execute-api host or the path-style fallback) and hands it to
// the plane that serves that API (REST, HTTP or WebSocket).
package dataplane

import (
	"net"
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// pathStylePrefix lets clients that cannot set the Host header reach an
// API: /_aws/execute-api/{apiId}/{stage path...}.
const pathStylePrefix = "/_aws/execute-api/"

// Config is what the front door serves.
type Config struct {
	// Planes are asked in order; the first that knows the API answers.
	Planes []execute.Plane
}

// New returns the handler of invoke requests; Claims tells which requests
// are.
func New(cfg Config) http.Handler { return &frontDoor{planes: cfg.Planes} }

type frontDoor struct {
	planes []execute.Plane
}

func (f *frontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	apiID, path, ok := target(r)
	if !ok {
		execute.WriteError(w, http.StatusNotFound, execute.MessageNotFound)
		return
	}
	req := &execute.Request{APIID: apiID, Path: path}
	for _, plane := range f.planes {
		if plane.Serve(w, r, req) {
			return
		}
	}
	// AWS answers an unknown API id as it answers a disabled endpoint, so
	// that the endpoint does not reveal which APIs exist.
	execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
}

// Claims reports whether a request is for the data plane rather than the
// control plane.
func Claims(r *http.Request) bool {
	_, _, ok := target(r)
	return ok
}

// target tells whether a request is for the data plane and which
// API: Host `{apiId}.execute-api.localhost[:port]` (any host
// `{id}.execute-api.*`), or the path-style fallback
// `/_aws/execute-api/{apiId}/rest...` for clients that cannot set Host. path
// is the request path as the API sees it, still escaped.
func target(r *http.Request) (apiID, path string, ok bool) {
	if apiID, ok := executeAPIHost(r.Host); ok {
		return apiID, r.URL.EscapedPath(), true
	}
	rest, isPathStyle := strings.CutPrefix(r.URL.EscapedPath(), pathStylePrefix)
	if !isPathStyle {
		return "", "", false
	}
	apiID, path, _ = strings.Cut(rest, "/")
	if apiID == "" {
		return "", "", false
	}
	return apiID, "/" + path, true
}

// executeAPIHost returns the API id of a host of the form
// {apiId}.execute-api.{anything}, with or without a port.
func executeAPIHost(hostport string) (apiID string, ok bool) {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	labels := strings.Split(strings.ToLower(host), ".")
	if len(labels) < 3 || labels[0] == "" || labels[1] != "execute-api" {
		return "", false
	}
	return labels[0], true
}
