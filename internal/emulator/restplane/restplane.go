// Package restplane is the execute-api data plane of REST APIs: stage and
// resource selection over a deployment's snapshot, API keys and usage
// plans, throttling and quotas, Lambda and Cognito authorizers, request
// validation, the HTTP, HTTP_PROXY, MOCK and AWS_PROXY (Lambda)
// integrations with parameter mappings and mapping templates, and gateway
// responses. It reads the control plane only through Source.
package restplane

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// maxPayloadBytes is API Gateway's payload quota for REST APIs (10 MB).
const maxPayloadBytes = 10 << 20

// Config is what the plane serves and calls.
type Config struct {
	Source Source
	// Functions runs the Lambda functions of AWS_PROXY integrations and
	// Lambda authorizers; nil answers them as functions that do not exist.
	Functions execute.Functions
	// Authorizers decides CUSTOM (Lambda TOKEN and REQUEST) and
	// COGNITO_USER_POOLS methods; nil refuses them as authorizers API
	// Gateway cannot run (500).
	Authorizers Authorizers
	// Now is the clock of quotas and request times; nil is time.Now.
	Now func() time.Time
}

// New returns the plane serving the invoke requests of REST APIs.
func New(cfg Config) execute.Plane {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &plane{
		Config:            cfg,
		limiter:           execute.NewLimiter(),
		quotas:            newQuotaBook(),
		integrationClient: execute.NewProxyClient(),
	}
}

type plane struct {
	Config
	limiter           *execute.Limiter
	quotas            *quotaBook
	integrationClient *http.Client
}

// exchange is one request on its way through the plane.
type exchange struct {
	w          http.ResponseWriter
	r          *http.Request
	body       []byte
	api        API
	stage      Stage
	deployment *Deployment
	route      route
	// stagePath is the escaped path within the stage, such as "/pets/1".
	stagePath    string
	customDomain bool
	requestID    string
	received     time.Time
	// apiKey and apiKeyID are the key the request was metered with.
	apiKey, apiKeyID string
	// authorizer is $context.authorizer: principalId, the Lambda
	// authorizer's context or the Cognito token's claims.
	authorizer map[string]any
	// usageIdentifierKey is a Lambda authorizer's key for AUTHORIZER APIs.
	usageIdentifierKey string
}

// Serve answers a request for one of the REST APIs Source knows.
func (p *plane) Serve(w http.ResponseWriter, r *http.Request, req *execute.Request) bool {
	api, found := p.Source.DeployedAPI(req.APIID)
	if !found {
		return false
	}
	x := &exchange{w: w, r: r, api: api, received: p.Now()}
	x.requestID = setRequestIDs(w.Header())
	req.RequestID = x.requestID
	// AWS answers a disabled default endpoint as it answers an unknown id.
	if api.DisableExecuteAPIEndpoint && req.CustomDomain == "" {
		execute.WriteError(w, http.StatusForbidden, execute.MessageForbidden)
		return true
	}
	stageName, stagePath := req.Stage, req.Path
	if stageName == "" {
		stageName, stagePath = splitStage(req.Path)
	}
	stage, ok := api.Stages[stageName]
	if !ok || stage.Deployment == nil {
		x.fail(missingAuthenticationToken, "")
		return true
	}
	x.stage, x.deployment, x.stagePath, x.customDomain = stage, stage.Deployment, stagePath, req.CustomDomain != ""
	matched, ok := matchRoute(stage.Deployment.Resources, r.Method, stagePath)
	if !ok {
		req.Served(stage.Name, "")
		x.fail(missingAuthenticationToken, "")
		return true
	}
	x.route = matched
	req.Served(stage.Name, matched.key())
	body, err := io.ReadAll(io.LimitReader(r.Body, maxPayloadBytes+1))
	if err != nil || len(body) > maxPayloadBytes {
		x.failWith(http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE", "Request Too Long")
		return true
	}
	x.body = body
	p.serveMethod(x)
	return true
}

// serveMethod runs a routed request through the method: stage throttling,
// authorization, the API key and its usage plan, request validation, then
// the integration. The order is inferred from AWS's documentation (each
// step names the ones before it), not recorded.
func (p *plane) serveMethod(x *exchange) {
	steps := []func(*exchange) bool{
		p.throttleStage,
		p.authorize,
		p.meterAPIKey,
		validateRequest,
	}
	for _, step := range steps {
		if !step(x) {
			return
		}
	}
	p.integrate(x)
}

// failWith answers a gateway response type the plane has no constant for.
func (x *exchange) failWith(status int, name, message string) {
	x.fail(responseType{name: name, status: status, errorType: "BadRequestException", message: message}, "")
}

// setRequestIDs adds the two request ids a REST API sends: the generic
// x-amzn-RequestId and API Gateway's extended id x-amz-apigw-id (a short
// base64 value, such as "P4Hu3FfRoAMFkWA=").
func setRequestIDs(h http.Header) string {
	requestID, raw := core.NewRequestID()
	h.Set("x-amzn-RequestId", requestID)
	h.Set("x-amz-apigw-id", base64.StdEncoding.EncodeToString(raw[:11]))
	return requestID
}

// templateInput is what this request's templates and mappings read.
func (x *exchange) templateInput() *templateInput {
	query := x.r.URL.Query()
	in := &templateInput{
		body:             x.body,
		path:             x.route.params,
		querystring:      firstValues(query),
		multiQuerystring: query,
		header:           firstValues(x.r.Header),
		multiHeader:      x.r.Header,
		context:          x.contextVariables(),
		stageVariables:   x.stage.Variables,
	}
	if in.path == nil {
		in.path = map[string]string{}
	}
	return in
}

func firstValues(values map[string][]string) map[string]string {
	first := make(map[string]string, len(values))
	for name, list := range values {
		if len(list) > 0 {
			first[name] = list[0]
		}
	}
	return first
}

// requestTimeLayout is $context.requestTime's CLF format.
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// contextVariables are $context.* as templates and mappings read them.
func (x *exchange) contextVariables() map[string]any {
	authorizer := map[string]any{}
	for k, v := range x.authorizer {
		authorizer[k] = v
	}
	return map[string]any{
		"requestId":         x.requestID,
		"extendedRequestId": x.w.Header().Get("x-amz-apigw-id"),
		"apiId":             x.api.ID,
		"accountId":         x.api.Account,
		"stage":             x.stage.Name,
		"resourceId":        x.route.resource.ID,
		"resourcePath":      x.route.resource.Path,
		"httpMethod":        x.r.Method,
		"path":              x.requestPath(),
		"protocol":          x.r.Proto,
		"domainName":        x.r.Host,
		"domainPrefix":      strings.Split(x.r.Host, ".")[0],
		"requestTime":       x.received.UTC().Format(requestTimeLayout),
		"requestTimeEpoch":  float64(x.received.UnixMilli()),
		"identity": map[string]any{
			"sourceIp":  execute.ClientAddress(x.r.RemoteAddr),
			"userAgent": x.r.UserAgent(),
			"apiKey":    x.apiKey,
			"apiKeyId":  x.apiKeyID,
		},
		"authorizer": authorizer,
	}
}

// requestPath is $context.path: the path as the caller sent it, stage
// (or a custom domain's base path) included, without the path-style
// prefix.
func (x *exchange) requestPath() string {
	if x.customDomain {
		return x.r.URL.Path
	}
	return "/" + x.stage.Name + unescapedPath(x.stagePath)
}

func unescapedPath(escaped string) string {
	if path, err := url.PathUnescape(escaped); err == nil {
		return path
	}
	return escaped
}
