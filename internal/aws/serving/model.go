// Package serving is the operator's AWS layer for what an API serves: its
// integrations, authorizers, routes, stages and deployments. The API itself
// (name, CORS, tags) is package gateway's; everything a deployment
// snapshots, and the stages serving it, is this package's.
//
// One pass is Observe (one list walk per child family), Plan (a pure diff
// of what AWS holds against the desired Serving, ordered so that AWS never
// refuses a step), then Apply. The API is the object's: children it does
// not declare are deleted. Deployments are decided in the same plan from a
// hash of the desired configuration, recorded in the deployment's
// description, so a change reaches its stages exactly once and a crash
// between creating a deployment and moving the stages never makes a second
// one.
//
// The model is protocol-neutral where AWS is: the same Serving describes an
// HTTP, WebSocket or REST API, and REST route keys are compiled into the
// resource tree. Validation of what the protocol allows is admission's; the
// few rules a plan cannot work around (two variable path parts under one
// REST resource) are refused by Plan.
package serving

import "time"

// Serving is everything an API serves, as its object declares it. Lists are
// keyed: integrations and authorizers by Name, routes by Key, stages by Name.
type Serving struct {
	Integrations []Integration
	Authorizers  []Authorizer
	Routes       []Route
	Stages       []Stage
	// Document is the digest of the OpenAPI document that defines the
	// API's integrations, authorizers and routes (REST: resources and
	// methods) instead, "" for none. The plan then leaves those as the
	// document made them, and deploys each new document: the digest is
	// part of the hash.
	Document string
	// ResponseResync is how long a full read of a WebSocket API's route
	// and integration responses is trusted by the passes after it (they
	// cost one call per child; see responseCache); 0 reads them every pass.
	// A pass that writes to the API makes the next one read them again.
	ResponseResync time.Duration
}

// Integration is a named backend. Exactly one of Lambda, HTTP, VPCLink and
// Mock is set.
type Integration struct {
	Name    string
	Lambda  *LambdaIntegration
	HTTP    *HTTPIntegration
	VPCLink *VPCLinkIntegration
	// Mock answers from API Gateway itself (REST and WebSocket only).
	Mock *MockIntegration

	// RequestParameters are AWS's parameter mappings, as the protocol spells
	// them ("overwrite:path" for HTTP APIs, "integration.request.header.x"
	// for REST and WebSocket).
	RequestParameters map[string]string
	// TimeoutMillis is the integration timeout; 0 leaves AWS's default.
	TimeoutMillis int32
	Description   string
}

// LambdaIntegration is an AWS_PROXY integration with a function.
type LambdaIntegration struct {
	FunctionARN string
	// PayloadFormatVersion is "1.0" or "2.0" (HTTP APIs); "" is "2.0" on
	// HTTP APIs and ignored elsewhere.
	PayloadFormatVersion string
}

// HTTPIntegration is an HTTP_PROXY integration with a URL on the internet.
type HTTPIntegration struct {
	URL string
	// Method is the verb sent to the backend; "" is ANY.
	Method string
}

// VPCLinkIntegration is an HTTP_PROXY integration through a VPC link.
type VPCLinkIntegration struct {
	// ConnectionID is the VPC link's id.
	ConnectionID string
	// ListenerARN names the ALB/NLB listener or Cloud Map service (HTTP
	// APIs).
	ListenerARN string
	// URI is the URL sent through the link to the NLB (REST APIs).
	URI    string
	Method string
}

// MockIntegration is a MOCK integration's answer: REST methods answer
// StatusCode with Body; WebSocket two-way routes send Body back.
type MockIntegration struct {
	// StatusCode is the REST answer's status; 0 is 200.
	StatusCode int32
	// Body is the answer's body (application/json); "" answers none.
	Body string
}

// Authorizer is a named authorizer. Exactly one of JWT, Lambda and Cognito
// is set.
type Authorizer struct {
	Name    string
	JWT     *JWTAuthorizer
	Lambda  *LambdaAuthorizer
	Cognito *CognitoAuthorizer
	// IdentitySource is where the identity is read
	// ("$request.header.Authorization" on v2, "method.request.header.Authorization"
	// on REST). REST keeps one comma-separated string; it is joined.
	IdentitySource []string
}

// JWTAuthorizer validates JWTs (HTTP APIs).
type JWTAuthorizer struct {
	Issuer   string
	Audience []string
}

// LambdaAuthorizer runs a function: REQUEST (v2 and REST) or TOKEN (REST).
type LambdaAuthorizer struct {
	FunctionARN string
	// Type is "REQUEST" or "TOKEN"; "" is REQUEST.
	Type string
	// ResultTTLSeconds caches the answer; nil leaves AWS's default.
	ResultTTLSeconds *int32
	// PayloadFormatVersion is "1.0" or "2.0" (HTTP APIs; "" is "2.0").
	PayloadFormatVersion string
	// SimpleResponses lets a 2.0 function answer {"isAuthorized": bool}.
	SimpleResponses bool
	// IdentityValidationExpression is a regular expression the token must
	// match (REST TOKEN authorizers).
	IdentityValidationExpression string
}

// CognitoAuthorizer accepts tokens of user pools (REST).
type CognitoAuthorizer struct {
	UserPoolARNs []string
}

// Route is one route, by key: "GET /orders/{id}", "ANY /{proxy+}",
// "$default" (HTTP, WebSocket), "$connect", "$disconnect" or a custom
// WebSocket key.
type Route struct {
	Key string
	// Integration names a declared integration; "" is no target (v2 only).
	Integration string
	// Authorizer names a declared authorizer; "" is no authorization.
	Authorizer          string
	AuthorizationScopes []string
	APIKeyRequired      bool
	// IAMAuthorization makes callers sign their requests (AWS_IAM); it
	// excludes Authorizer.
	IAMAuthorization bool
	// RequestParameters are the parameters the route declares
	// ("method.request.querystring.page" on REST,
	// "route.request.header.Auth" on WebSocket), each with whether it is
	// required.
	RequestParameters map[string]bool
	// ReturnResponse makes a WebSocket route two-way: its integration's
	// answer goes back to the client.
	ReturnResponse bool
}

// Stage is one stage, by name ("$default" serves an HTTP API at its root).
type Stage struct {
	Name        string
	Description string
	// AutoDeploy lets AWS deploy every change at once (v2 only); stages
	// without it are deployed by this package.
	AutoDeploy bool
	// Defaults are the stage's settings of every route (v2
	// defaultRouteSettings, REST */* method settings).
	Defaults RouteSettings
	// RouteSettings are per-route settings, by route key.
	RouteSettings map[string]RouteSettings
	AccessLogs    *AccessLogs
	Variables     map[string]string
	// Cache is the stage's cache cluster (REST only).
	Cache *Cache
	// Tracing turns AWS X-Ray tracing on (REST only).
	Tracing bool
}

// Throttling is a steady rate and a burst.
type Throttling struct {
	RateLimit  float64
	BurstLimit int32
}

// RouteSettings are a stage's defaults, or their overrides for one route.
type RouteSettings struct {
	Throttling      *Throttling
	DetailedMetrics bool
	// LoggingLevel is "", "OFF", "ERROR" or "INFO" (WebSocket and REST).
	LoggingLevel string
	DataTrace    bool
}

// AccessLogs send one line per request to a log group.
type AccessLogs struct {
	DestinationARN string
	Format         string
}

// Cache is a REST stage's cache cluster.
type Cache struct {
	Enabled bool
	// Size is the cluster size in GB ("0.5" ... "237"); "" is 0.5.
	Size       string
	TTLSeconds int32
}

// StageStatus is what a stage serves after a pass.
type StageStatus struct {
	Name         string
	InvokeURL    string
	DeploymentID string
}

// Result is the outcome of a pass.
type Result struct {
	// Stages are the declared stages, in declaration order.
	Stages []StageStatus
	// DeploymentCreated is the id of the deployment this pass made, or "".
	DeploymentCreated string
	// Changes are every difference the pass found and acted on, worded for
	// events (the caller tells drift from spec changes: when the spec did
	// not change since the last pass, they are drift).
	Changes []Change
	// ObservedRoutes is how many routes (REST: methods) the pass found in
	// AWS: what an OpenAPI document made, which the spec does not list.
	ObservedRoutes int
}
