// Package httpplane is the execute-api data plane of HTTP APIs: stage and
// route selection, HTTP_PROXY forwarding and CORS. It reads the control
// plane only through Source, so the two evolve on their own.
package httpplane

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
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
)

// New returns the plane serving the invoke requests of HTTP APIs.
func New(source Source) execute.Plane {
	return &plane{source: source, integrationClient: execute.NewProxyClient()}
}

type plane struct {
	source            Source
	integrationClient *http.Client
}

// Serve answers a request for one of the HTTP APIs Source knows.
func (d *plane) Serve(w http.ResponseWriter, r *http.Request, req *execute.Request) bool {
	api, found := d.source.DeployedAPI(req.APIID)
	if !found || api.ProtocolType != protocolHTTP {
		return false
	}
	setDataPlaneRequestIDs(w.Header())
	// AWS answers a disabled default endpoint as it answers an unknown id,
	// so that the endpoint does not reveal which APIs exist.
	if api.DisableExecuteAPIEndpoint && req.CustomDomain == "" {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	d.serveStage(w, r, api, req)
	return true
}

// serveStage picks the stage and the route, then answers: through the
// route's integration, with an automatic CORS preflight, or with 404. All but
// the preflight get the CORS headers of an actual request.
func (d *plane) serveStage(w http.ResponseWriter, r *http.Request, api API, req *execute.Request) {
	withCORSHeaders := withCORS(w, r, api.CORS)
	stage, stagePath, ok := stageOf(api.Stages, req)
	if !ok {
		execute.WriteError(withCORSHeaders, http.StatusNotFound, "Not Found")
		return
	}
	req.Served(stage.Name, "")
	match, ok := matchRoute(stage.Routes, r.Method, stagePath)
	if !ok {
		if isPreflight(r, api.CORS) {
			answerPreflight(w, r, api.CORS)
			return
		}
		execute.WriteError(withCORSHeaders, http.StatusNotFound, "Not Found")
		return
	}
	req.Served(stage.Name, match.route.RouteKey)
	d.invoke(withCORSHeaders, r, match, stagePath)
}

// stageOf returns the stage a request addresses and the path within it:
// the stage a custom domain's mapping chose, with the whole path, or else
// the stage the path names.
func stageOf(stages []Stage, req *execute.Request) (Stage, string, bool) {
	if req.Stage == "" {
		return selectStage(stages, req.Path)
	}
	for _, stage := range stages {
		if stage.Name == req.Stage {
			return stage, req.Path, true
		}
	}
	return Stage{}, "", false
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

// setDataPlaneRequestIDs adds the two request ids an HTTP API sends: the
// generic x-amzn-RequestId and the HTTP API's own short apigw-requestid.
func setDataPlaneRequestIDs(h http.Header) {
	requestID, raw := core.NewRequestID()
	h.Set("x-amzn-RequestId", requestID)
	h.Set("apigw-requestid", base64.StdEncoding.EncodeToString(raw[:10]))
}
