// Package wsplane is the execute-api data plane of WebSocket APIs: the
// $connect handshake (with its Lambda REQUEST authorizer), route selection
// for each message, the $disconnect notification, the MOCK, HTTP,
// HTTP_PROXY and AWS_PROXY integrations, two-way routes, and the
// @connections management API that backends call to push messages to a
// client, read its connection or close it. It reads the control plane only
// through Source.
package wsplane

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Source is what the plane reads of the control plane, per handshake and per
// message, so that a redeployment reaches open connections at their next
// message, as it does on AWS.
type Source interface {
	// WebSocketAPI returns the deployed view of a WEBSOCKET API by id,
	// whatever its account or region; false for an unknown id or an API of
	// another protocol.
	WebSocketAPI(apiID string) (API, bool)
}

// API is the deployed view of one WebSocket API.
type API struct {
	ID, Account, Region       string
	DisableExecuteAPIEndpoint bool
	Stages                    []Stage
}

// Stage is one stage and what its deployment froze.
type Stage struct {
	Name      string
	Variables map[string]string
	// RouteSelectionExpression picks a message's route, such as
	// $request.body.action.
	RouteSelectionExpression string
	// APIKeySelectionExpression is carried for completeness; API keys are
	// not enforced (docs/emulator.md).
	APIKeySelectionExpression string
	// Routes by route key ($connect, $disconnect, $default, custom keys).
	Routes map[string]Route
}

// Route is one route of a stage's deployment.
type Route struct {
	Key string
	// AuthorizationType is NONE, AWS_IAM or CUSTOM; only $connect's counts.
	AuthorizationType string
	// Authorizer is the CUSTOM authorizer of $connect, nil otherwise.
	Authorizer *Authorizer
	// RouteResponseSelectionExpression and HasDefaultRouteResponse together
	// make a route two-way: the integration's answer goes back to the
	// client.
	RouteResponseSelectionExpression string
	HasDefaultRouteResponse          bool
	// Integration is nil when the route has no target.
	Integration *Integration
}

// TwoWay reports whether the route sends its integration's answer back to
// the client, as AWS does for a route with a route response selection
// expression and a $default route response.
func (r Route) TwoWay() bool {
	return r.RouteResponseSelectionExpression != "" && r.HasDefaultRouteResponse
}

// Authorizer is a Lambda REQUEST authorizer.
type Authorizer struct {
	ID, Type string
	// URI is the authorizerUri (a Lambda invocation URI).
	URI string
	// IdentitySource lists route.request.header.X,
	// route.request.querystring.X, stageVariables.X or context.X.
	IdentitySource []string
	ResultTTL      time.Duration
}

// Integration is the integration a route targets.
type Integration struct {
	ID   string
	Type string // MOCK, HTTP, HTTP_PROXY, AWS_PROXY, AWS
	URI  string
	// Method is integrationMethod (HTTP and HTTP_PROXY).
	Method        string
	TimeoutMillis int // 0 means AWS's default of 29000
	// RequestTemplates by template key, chosen by
	// TemplateSelectionExpression (non-proxy integrations).
	RequestTemplates            map[string]string
	TemplateSelectionExpression string
	// RequestParameters map integration.request.{header|querystring}.{name}
	// to context.*, stageVariables.*, route.request.* or a 'literal'.
	RequestParameters map[string]string
	// Responses are the integration responses (non-proxy integrations).
	Responses []IntegrationResponse
}

// IntegrationResponse is one integration response: the key (a /regex/ on
// the integration's status, or $default) and its templates.
type IntegrationResponse struct {
	Key                         string
	Templates                   map[string]string
	TemplateSelectionExpression string
}

// Config is what the plane depends on.
type Config struct {
	Source Source
	// Functions runs AWS_PROXY integrations; nil answers them as a missing
	// function (500).
	Functions execute.Functions
	// Authorizers decides $connect requests of CUSTOM routes; nil refuses
	// them with 500.
	Authorizers Authorizers
	// Authenticator verifies the SigV4 signature of @connections calls and of
	// AWS_IAM $connect requests, as the control plane's does.
	Authenticator core.Authenticator
	// IdleTimeout closes a connection without traffic (AWS: 10 minutes);
	// MaxConnectionDuration closes any connection (AWS: 2 hours).
	IdleTimeout, MaxConnectionDuration time.Duration
}

// AWS's connection limits (API Gateway quotas for WebSocket APIs).
const (
	DefaultIdleTimeout           = 10 * time.Minute
	DefaultMaxConnectionDuration = 2 * time.Hour
	// maxMessageBytes is the largest message a client may send (and a
	// backend may post): 128 KB.
	maxMessageBytes = 128 << 10
)

// New returns the plane serving WebSocket APIs.
func New(cfg Config) execute.Plane {
	if cfg.IdleTimeout <= 0 {
		cfg.IdleTimeout = DefaultIdleTimeout
	}
	if cfg.MaxConnectionDuration <= 0 {
		cfg.MaxConnectionDuration = DefaultMaxConnectionDuration
	}
	return &plane{cfg: cfg, client: execute.NewProxyClient(), connections: map[string]*connection{}}
}

type plane struct {
	cfg    Config
	client *http.Client

	mu          sync.Mutex
	connections map[string]*connection
}

// Serve answers a handshake or an @connections call for one of the
// WebSocket APIs Source knows.
func (p *plane) Serve(w http.ResponseWriter, r *http.Request, req *execute.Request) bool {
	api, found := p.cfg.Source.WebSocketAPI(req.APIID)
	if !found {
		return false
	}
	// AWS answers a disabled default endpoint as it answers an unknown id.
	if api.DisableExecuteAPIEndpoint && req.CustomDomain == "" {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	stageName, rest := stageOf(req)
	stage, ok := api.stage(stageName)
	if !ok {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	if connectionID, ok := managementTarget(rest); ok {
		p.manage(w, r, req, api, stage, connectionID)
		return true
	}
	if rest != "" && rest != "/" {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	p.connect(w, r, req, api, stage)
	return true
}

// stageOf returns the stage a request addresses and the path after it: the
// stage a custom domain chose, or the path's first segment.
func stageOf(req *execute.Request) (stage, rest string) {
	if req.Stage != "" {
		return req.Stage, req.Path
	}
	first, rest, _ := strings.Cut(strings.TrimPrefix(req.Path, "/"), "/")
	if unescaped, err := url.PathUnescape(first); err == nil {
		first = unescaped
	}
	if rest != "" {
		rest = "/" + rest
	}
	return first, rest
}

func (api API) stage(name string) (Stage, bool) {
	for _, stage := range api.Stages {
		if stage.Name == name {
			return stage, true
		}
	}
	return Stage{}, false
}

// managementTarget tells an @connections call, /@connections/{connectionId},
// and returns the (unescaped) connection id. Clients may escape the "@".
func managementTarget(rest string) (string, bool) {
	segments := strings.Split(strings.TrimPrefix(rest, "/"), "/")
	if len(segments) != 2 || segments[1] == "" {
		return "", false
	}
	resource, err := url.PathUnescape(segments[0])
	if err != nil || resource != "@connections" {
		return "", false
	}
	id, err := url.PathUnescape(segments[1])
	if err != nil {
		return "", false
	}
	return id, true
}
