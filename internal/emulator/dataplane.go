package emulator

import (
	"net/http"
)

// dataPlaneSource is what the data plane reads of the control plane, per
// request. The control plane implements it; the data plane never sees its
// state otherwise, so the two can evolve on their own.
type dataPlaneSource interface {
	// dataPlaneAPI returns the deployed view of an API by id, whatever its
	// account or region (API ids are unique across the emulator, as the
	// execute-api host names them without an account).
	dataPlaneAPI(apiID string) (dataPlaneAPI, bool)
}

// dataPlaneAPI is the deployed view of one API.
type dataPlaneAPI struct {
	ID string
	// ProtocolType is "HTTP", "WEBSOCKET" or "REST"; only HTTP is served.
	ProtocolType              string
	DisableExecuteAPIEndpoint bool
	// CORS is nil when the API has no corsConfiguration.
	CORS *dataPlaneCORS
	// Stages each carry the routes they serve: the API's current routes for
	// a stage with autoDeploy, its deployment's snapshot otherwise.
	Stages []dataPlaneStage
}

// dataPlaneStage is one stage and the routes it serves.
type dataPlaneStage struct {
	Name   string
	Routes []dataPlaneRoute
}

// dataPlaneRoute is one route, such as "GET /users/{id}", "ANY /{proxy+}" or
// "$default".
type dataPlaneRoute struct {
	RouteKey string
	// Integration is nil when the route has no target.
	Integration *dataPlaneIntegration
}

// dataPlaneIntegration is the integration a route targets.
type dataPlaneIntegration struct {
	Type                 string // HTTP_PROXY, AWS_PROXY, MOCK...
	URI                  string
	Method               string // integrationMethod; empty or ANY forwards the request's method
	PayloadFormatVersion string
	TimeoutMillis        int // 0 means AWS's default of 30000
}

// dataPlaneCORS is an API's corsConfiguration.
type dataPlaneCORS struct {
	AllowOrigins, AllowMethods, AllowHeaders, ExposeHeaders []string
	MaxAge                                                  *int32 // nil when unset
	AllowCredentials                                        bool
}

// newDataPlane returns the handler serving invoke requests of HTTP APIs. The
// server sends it the requests for which dataPlaneTarget says ok.
func newDataPlane(source dataPlaneSource) http.Handler {
	return &dataPlane{source: source}
}

type dataPlane struct {
	source dataPlaneSource
}

func (d *dataPlane) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, `{"message":"Not Implemented"}`, http.StatusNotImplemented)
}

// dataPlaneTarget tells whether a request is for the data plane and which
// API: Host `{apiId}.execute-api.localhost[:port]` (any host
// `{id}.execute-api.*`), or the path-style fallback
// `/_aws/execute-api/{apiId}/rest...` for clients that cannot set Host. path
// is the request path as the API sees it (escaped form).
func dataPlaneTarget(r *http.Request) (apiID, path string, ok bool) {
	return "", "", false
}
