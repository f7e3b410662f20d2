// Package dataplane is the execute-api data plane of HTTP APIs: stage and
// route selection, HTTP_PROXY forwarding and CORS. It reads the control
// plane only through Source, so the two evolve on their own.
package dataplane

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Source is what the data plane reads of the control plane, per
// request. The control plane implements it; the data plane never sees its
// state otherwise, so the two can evolve on their own.
type Source interface {
	// DeployedAPI returns the deployed view of an API by id, whatever its
	// account or region (API ids are unique across the emulator, as the
	// execute-api host names them without an account).
	DeployedAPI(apiID string) (API, bool)
}

// API is the deployed view of one API.
type API struct {
	ID string
	// ProtocolType is "HTTP", "WEBSOCKET" or "REST"; only HTTP is served.
	ProtocolType              string
	DisableExecuteAPIEndpoint bool
	// CORS is nil when the API has no corsConfiguration.
	CORS *CORS
	// Stages each carry the routes they serve: the API's current routes for
	// a stage with autoDeploy, its deployment's snapshot otherwise.
	Stages []Stage
}

// Stage is one stage and the routes it serves.
type Stage struct {
	Name   string
	Routes []Route
}

// Route is one route, such as "GET /users/{id}", "ANY /{proxy+}" or
// "$default".
type Route struct {
	RouteKey string
	// Integration is nil when the route has no target.
	Integration *Integration
}

// Integration is the integration a route targets.
type Integration struct {
	Type                 string // HTTP_PROXY, AWS_PROXY, MOCK...
	URI                  string
	Method               string // integrationMethod; empty or ANY forwards the request's method
	PayloadFormatVersion string
	TimeoutMillis        int // 0 means AWS's default of 30000
}

// CORS is an API's corsConfiguration.
type CORS struct {
	AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders []string
	MaxAge                                                  *int32 // nil when unset
	AllowCredentials                                        bool
}

const (
	protocolHTTP     = "HTTP"
	defaultStageName = "$default"
	// pathStylePrefix lets clients that cannot set the Host header reach an
	// API: /_aws/execute-api/{apiId}/{stage path...}.
	pathStylePrefix = "/_aws/execute-api/"
)

// New returns the handler serving invoke requests of HTTP APIs. The
// server sends it the requests for which target says ok.
func New(source Source) http.Handler {
	return &dataPlane{source: source, integrationClient: newProxyClient()}
}

type dataPlane struct {
	source            Source
	integrationClient *http.Client
}

func (d *dataPlane) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setDataPlaneRequestIDs(w.Header())
	apiID, path, ok := target(r)
	if !ok {
		writeGatewayError(w, http.StatusNotFound, "Not Found")
		return
	}
	api, found := d.source.DeployedAPI(apiID)
	// AWS answers an unknown id and a disabled default endpoint alike, so
	// that the endpoint does not reveal which APIs exist.
	if !found || api.DisableExecuteAPIEndpoint {
		writeGatewayError(w, http.StatusForbidden, "Forbidden")
		return
	}
	if api.ProtocolType != protocolHTTP {
		writeGatewayError(w, http.StatusNotImplemented, fmt.Sprintf(
			"The emulator's data plane serves HTTP APIs only; API %s is a %s API", api.ID, api.ProtocolType))
		return
	}
	d.serveStage(w, r, api, path)
}

// serveStage picks the stage and the route, then answers: through the
// route's integration, with an automatic CORS preflight, or with 404. All but
// the preflight get the CORS headers of an actual request.
func (d *dataPlane) serveStage(w http.ResponseWriter, r *http.Request, api API, path string) {
	withCORSHeaders := withCORS(w, r, api.CORS)
	stage, stagePath, ok := selectStage(api.Stages, path)
	if !ok {
		writeGatewayError(withCORSHeaders, http.StatusNotFound, "Not Found")
		return
	}
	match, ok := matchRoute(stage.Routes, r.Method, stagePath)
	if !ok {
		if isPreflight(r, api.CORS) {
			answerPreflight(w, r, api.CORS)
			return
		}
		writeGatewayError(withCORSHeaders, http.StatusNotFound, "Not Found")
		return
	}
	d.invoke(withCORSHeaders, r, match, stagePath)
}

// selectStage returns the stage a path addresses and the path within it. A
// named stage is matched by the first segment; any other path goes to the
// $default stage, served at the root. Without either, nothing matches.
func selectStage(stages []Stage, path string) (Stage, string, bool) {
	first, rest := splitFirstSegment(path)
	for _, stage := range stages {
		if stage.Name != defaultStageName && stage.Name == first {
			return stage, rest, true
		}
	}
	for _, stage := range stages {
		if stage.Name == defaultStageName {
			return stage, path, true
		}
	}
	return Stage{}, "", false
}

// splitFirstSegment splits "/prod/users" into "prod" and "/users"; the rest
// is "/" when nothing follows the first segment.
func splitFirstSegment(escapedPath string) (first, rest string) {
	trimmed := strings.TrimPrefix(escapedPath, "/")
	first, rest, found := strings.Cut(trimmed, "/")
	if unescaped, err := url.PathUnescape(first); err == nil {
		first = unescaped
	}
	if !found {
		return first, "/"
	}
	return first, "/" + rest
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

// writeGatewayError answers as API Gateway does for errors of its own: a
// JSON body with only a message.
func writeGatewayError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]string{"message": message})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// setDataPlaneRequestIDs adds the two request ids an HTTP API sends: the
// generic x-amzn-RequestId and the HTTP API's own short apigw-requestid.
func setDataPlaneRequestIDs(h http.Header) {
	requestID, raw := core.NewRequestID()
	h.Set("x-amzn-RequestId", requestID)
	h.Set("apigw-requestid", base64.StdEncoding.EncodeToString(raw[:10]))
}
