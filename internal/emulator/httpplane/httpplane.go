// Package httpplane is the execute-api data plane of HTTP APIs: stage and
// route selection, throttling, authorizers, CORS, parameter mapping, and the
// HTTP_PROXY and AWS_PROXY (Lambda) integrations. It reads the control
// plane only through Source, so the two evolve on their own.
package httpplane

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
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
	// AccountID and Region own the API: they name it in the execute-api
	// ARN a Lambda permission is checked against, and in requestContext.
	AccountID, Region string
	// ProtocolType is "HTTP", "WEBSOCKET" or "REST"; only HTTP is served.
	ProtocolType              string
	DisableExecuteAPIEndpoint bool
	// CORS is nil when the API has no corsConfiguration.
	CORS *CORS
	// Stages each carry the routes they serve: the API's current routes for
	// a stage with autoDeploy, its deployment's snapshot otherwise.
	Stages []Stage
}

// Stage is one stage, its settings and the routes its deployment serves.
type Stage struct {
	Name string
	// Variables are the stage variables, for ${stageVariables.x} in
	// integration URIs and $stageVariables.x in mappings and identity
	// sources.
	Variables map[string]string
	// DefaultThrottling is defaultRouteSettings' throttling; RouteThrottling
	// is routeSettings' by route key, which overrides it member by member.
	DefaultThrottling Throttling
	RouteThrottling   map[string]Throttling
	Routes            []Route
}

// Throttling is a route setting's rate (requests per second) and burst;
// nil members fall back to the next level (route, stage, account).
type Throttling struct {
	RateLimit  *float64
	BurstLimit *int64
}

// Route is one route, such as "GET /users/{id}", "ANY /{proxy+}" or
// "$default".
type Route struct {
	RouteKey string
	// AuthorizationType is NONE (or ""), JWT, CUSTOM or AWS_IAM.
	AuthorizationType string
	// AuthorizationScopes are the scopes a JWT must carry one of.
	AuthorizationScopes []string
	// Authorizer is the route's authorizer, nil when it has none.
	Authorizer *Authorizer
	// Integration is nil when the route has no target.
	Integration *Integration
}

// Authorizer is a JWT or Lambda (REQUEST) authorizer as deployed.
type Authorizer struct {
	ID, Name string
	Type     string // JWT or REQUEST
	// URI is the Lambda authorizer's invocation URI.
	URI string
	// IdentitySource lists $request.header.X, $request.querystring.x,
	// $context.x and $stageVariables.x expressions.
	IdentitySource       []string
	PayloadFormatVersion string // 1.0 or 2.0, Lambda authorizers only
	// ResultTTLSeconds is how long a Lambda authorizer's answer is cached;
	// nil when unset.
	ResultTTLSeconds      *int64
	EnableSimpleResponses bool
	// JWTIssuer and JWTAudience are the JWT authorizer's configuration.
	JWTIssuer   string
	JWTAudience []string
}

// Integration is the integration a route targets.
type Integration struct {
	Type                 string // HTTP_PROXY, AWS_PROXY, MOCK...
	URI                  string
	Method               string // integrationMethod; empty or ANY forwards the request's method
	PayloadFormatVersion string
	TimeoutMillis        int // 0 means AWS's default of 30000
	// RequestParameters maps "overwrite:header.x", "append:querystring.y",
	// "remove:header.z" or "overwrite:path" to a value expression.
	RequestParameters map[string]string
	// ResponseParameters maps a status code to mappings such as
	// "overwrite:header.x" or "overwrite:statuscode".
	ResponseParameters map[string]map[string]string
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

// Config is what the plane needs besides the control plane's view.
type Config struct {
	Source Source
	// Functions invokes Lambda functions for AWS_PROXY integrations and
	// Lambda authorizers; nil answers them as a missing function (500).
	Functions execute.Functions
	// Authorizers decides for the routes' JWT and Lambda authorizers; nil
	// makes one of Functions.
	Authorizers *authorizers.Authorizers
}

// New returns the plane serving the invoke requests of HTTP APIs.
func New(cfg Config) execute.Plane {
	if cfg.Authorizers == nil {
		cfg.Authorizers = authorizers.New(authorizers.Config{Functions: cfg.Functions})
	}
	return &plane{
		source:            cfg.Source,
		authorizers:       cfg.Authorizers,
		functions:         cfg.Functions,
		integrationClient: execute.NewProxyClient(),
		limiter:           execute.NewLimiter(),
		now:               time.Now,
	}
}

type plane struct {
	source            Source
	authorizers       *authorizers.Authorizers
	functions         execute.Functions
	integrationClient *http.Client
	limiter           *execute.Limiter
	now               func() time.Time
}

// Serve answers a request for one of the HTTP APIs Source knows.
func (d *plane) Serve(w http.ResponseWriter, r *http.Request, req *execute.Request) bool {
	api, found := d.source.DeployedAPI(req.APIID)
	if !found || api.ProtocolType != protocolHTTP {
		return false
	}
	req.RequestID = setDataPlaneRequestIDs(w.Header())
	// AWS answers a disabled default endpoint as it answers an unknown id,
	// so that the endpoint does not reveal which APIs exist. A custom
	// domain still serves the API.
	if api.DisableExecuteAPIEndpoint && req.CustomDomain == "" {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	d.serveStage(w, r, req, api)
	return true
}

// serveStage picks the stage and the route, then answers: with 404 when
// nothing matches, 429 past the route's throttling, the authorizer's
// refusal, a CORS preflight
// answered by the gateway, or the route's integration. All but the
// preflights get the CORS headers of an actual request.
func (d *plane) serveStage(w http.ResponseWriter, r *http.Request, req *execute.Request, api API) {
	withCORSHeaders := withCORS(w, r, api.CORS)
	stage, stagePath, ok := stageOf(api.Stages, req)
	if !ok {
		execute.WriteError(withCORSHeaders, http.StatusNotFound, execute.MessageNotFound)
		return
	}
	match, ok := matchRoute(stage.Routes, r.Method, stagePath)
	if !ok {
		req.Served(stage.Name, "")
		if isPreflight(r, api.CORS) {
			answerPreflight(w, r, api.CORS)
			return
		}
		execute.WriteError(withCORSHeaders, http.StatusNotFound, execute.MessageNotFound)
		return
	}
	req.Served(stage.Name, match.route.RouteKey)
	if !d.withinThrottling(api, stage, match.route.RouteKey) {
		execute.WriteError(withCORSHeaders, http.StatusTooManyRequests, execute.MessageTooManyRequests)
		return
	}
	call := &routedCall{
		api: api, stage: stage, match: match, request: r, requestID: req.RequestID,
		path: req.Path, stagePath: stagePath, callerPath: req.Path, received: d.now(),
	}
	if req.CustomDomain != "" {
		call.callerPath = r.URL.EscapedPath()
	}
	// A preflight is authorized like any request on its route (hence AWS's
	// advice of an OPTIONS /{proxy+} route without authorization); once
	// through, the gateway answers it itself, ignoring the integration, as
	// it answers one that matches no route.
	if !d.authorize(withCORSHeaders, call) {
		return
	}
	if isPreflight(r, api.CORS) {
		answerPreflight(w, r, api.CORS)
		return
	}
	d.invoke(withCORSHeaders, call)
}

// stageOf returns the stage a request addresses and the path within it: the
// stage a custom domain's mapping chose, the whole path being the stage's,
// or else the stage the path names.
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
// It returns the latter, the id requestContext.requestId carries.
func setDataPlaneRequestIDs(h http.Header) string {
	requestID, raw := core.NewRequestID()
	shortID := base64.StdEncoding.EncodeToString(raw[:10])
	h.Set("x-amzn-RequestId", requestID)
	h.Set("apigw-requestid", shortID)
	return shortID
}
