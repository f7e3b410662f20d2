// Package dataplane is the front door of the emulator's invoke traffic: it
// tells an invoke request from a control-plane call, resolves which API it
// addresses (execute-api host, custom domain name, or the path-style
// fallback) and hands it to the plane that serves that API (REST, HTTP or
// WebSocket). It tells its observers (the stats, the access log) of every
// request it answered.
package dataplane

import (
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// pathStylePrefix lets clients that cannot set the Host header reach an
// API: /_aws/execute-api/{apiId}/{stage path...}.
const pathStylePrefix = "/_aws/execute-api/"

// Config is what the front door serves.
type Config struct {
	// Planes are asked in order; the first that knows the API answers.
	Planes []execute.Plane
	// Domains finds the custom domain names; nil serves the execute-api
	// hosts and the path-style prefix only.
	Domains Domains
	// OwnHosts are the hosts the control plane is reached on (such as
	// "localhost"): never custom domains, whatever domain names exist, so
	// that a domain name cannot take the control plane's place. IP
	// addresses never are either.
	OwnHosts []string
	// Observers are told of every request once it is answered.
	Observers []Observer
}

// FrontDoor is the handler of invoke requests; Claims tells which requests
// are.
type FrontDoor struct {
	planes    []execute.Plane
	domains   Domains
	ownHosts  map[string]bool
	observers []Observer
}

// New returns the front door of cfg.
func New(cfg Config) *FrontDoor {
	own := map[string]bool{}
	for _, host := range cfg.OwnHosts {
		own[normalizeHost(host)] = true
	}
	return &FrontDoor{planes: cfg.Planes, domains: cfg.Domains, ownHosts: own, observers: cfg.Observers}
}

// ServeHTTP answers an invoke request and tells the observers how.
func (f *FrontDoor) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	started := time.Now()
	recorder := &responseRecorder{ResponseWriter: w}
	req := f.serve(recorder, r)
	f.observe(Exchange{
		Started:   started,
		Latency:   time.Since(started),
		Request:   r,
		Invoke:    *req,
		Status:    recorder.finalStatus(),
		Bytes:     recorder.bytes,
		RequestID: requestIDOf(req, w.Header()),
	})
}

// serve resolves the API and asks each plane in turn; the request it
// returns says what the planes matched.
func (f *FrontDoor) serve(w http.ResponseWriter, r *http.Request) *execute.Request {
	req, ok := f.resolve(r)
	switch {
	case !ok:
		execute.WriteError(w, http.StatusNotFound, execute.MessageNotFound)
		return req
	case req.APIID == "":
		// A custom domain whose mappings match no base path: API Gateway
		// has nowhere to send it and answers as for an unknown API.
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return req
	}
	for _, plane := range f.planes {
		if plane.Serve(w, r, req) {
			return req
		}
	}
	// AWS answers an unknown API id as it answers a disabled endpoint, so
	// that the endpoint does not reveal which APIs exist.
	execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
	return req
}

// Claims reports whether a request is for the data plane rather than the
// control plane.
func (f *FrontDoor) Claims(r *http.Request) bool {
	_, ok := f.resolve(r)
	return ok
}

// resolve tells whether a request is for the data plane and which API and
// stage it addresses: Host `{apiId}.execute-api.{anything}[:port]`, a
// custom domain name (whose mapping may also choose the stage), or the
// path-style fallback `/_aws/execute-api/{apiId}/rest...` for clients that
// cannot set Host. Path is the request path as the API sees it, still
// escaped. A custom domain without a matching mapping is claimed with an
// empty APIID.
func (f *FrontDoor) resolve(r *http.Request) (*execute.Request, bool) {
	host := normalizeHost(r.Host)
	if apiID, ok := executeAPIHost(host); ok {
		return &execute.Request{APIID: apiID, Path: r.URL.EscapedPath()}, true
	}
	if req, ok := f.customDomainRequest(host, r.URL.EscapedPath()); ok {
		return req, true
	}
	rest, isPathStyle := strings.CutPrefix(r.URL.EscapedPath(), pathStylePrefix)
	if !isPathStyle {
		return &execute.Request{}, false
	}
	apiID, path, _ := strings.Cut(rest, "/")
	if apiID == "" {
		return &execute.Request{}, false
	}
	return &execute.Request{APIID: apiID, Path: "/" + path}, true
}

// normalizeHost returns a Host header's host, lower case, without port or
// the trailing dot of a fully qualified name.
func normalizeHost(hostport string) string {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	return strings.TrimSuffix(strings.ToLower(host), ".")
}

// executeAPIHost returns the API id of a host of the form
// {apiId}.execute-api.{anything}.
func executeAPIHost(host string) (apiID string, ok bool) {
	labels := strings.Split(host, ".")
	if len(labels) < 3 || labels[0] == "" || labels[1] != "execute-api" {
		return "", false
	}
	return labels[0], true
}

// requestIDOf is the id the plane answered with, or else the one the
// emulator set on every answer.
func requestIDOf(req *execute.Request, header http.Header) string {
	if req.RequestID != "" {
		return req.RequestID
	}
	return header.Get("x-amzn-RequestId")
}
