// Package authorizers decides, as API Gateway's authorizers do, whether an
// invoke request may reach its integration: JWT authorizers (HTTP APIs),
// Lambda authorizers (REST TOKEN and REQUEST, HTTP REQUEST, WebSocket
// REQUEST on $connect) and Amazon Cognito user pool authorizers (REST).
//
// The planes own the wire: they resolve the identity sources from the
// request, build the event the Lambda function receives and write the
// answer. This package owns the decision: token verification (JWKS
// discovery and caching), the Lambda call, IAM policy evaluation against
// the method ARN, and the result cache.
package authorizers

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Kind is an authorizer's type, as the control planes store it.
type Kind string

const (
	// KindJWT verifies a JSON Web Token against an OIDC issuer (HTTP APIs).
	KindJWT Kind = "JWT"
	// KindRequest calls a Lambda function with the request's identity
	// sources (REST, HTTP and WebSocket APIs).
	KindRequest Kind = "REQUEST"
	// KindToken calls a Lambda function with one bearer token (REST APIs).
	KindToken Kind = "TOKEN"
	// KindCognitoUserPools verifies an Amazon Cognito user pool token (REST
	// APIs).
	KindCognitoUserPools Kind = "COGNITO_USER_POOLS"
)

// APIType is the kind of API an authorizer belongs to. AWS words its
// answers differently per kind (a REST explicit deny is "User is not
// authorized to access this resource with an explicit deny", an HTTP API's
// is "Forbidden"), so the decision depends on it.
type APIType string

// The kinds of API.
const (
	// APIREST is a REST API (apigateway v1).
	APIREST APIType = "REST"
	// APIHTTP is an HTTP API (apigatewayv2, protocol HTTP).
	APIHTTP APIType = "HTTP"
	// APIWebSocket is a WebSocket API (apigatewayv2, protocol WEBSOCKET);
	// its authorizer runs on $connect.
	APIWebSocket APIType = "WEBSOCKET"
)

// Spec is one authorizer as the control plane stores it, already read into
// the fields the decision needs.
type Spec struct {
	// ID is the authorizer's id; APIID the API it belongs to.
	ID, APIID string
	// API is the kind of API (REST, HTTP, WebSocket).
	API APIType
	// Kind is the authorizer's type.
	Kind Kind

	// FunctionARN is the Lambda function of a REQUEST or TOKEN authorizer;
	// read it from the authorizerUri with execute.FunctionARN.
	FunctionARN string
	// SourceARN is the ARN API Gateway calls the function from:
	// arn:aws:execute-api:{region}:{account}:{apiId}/authorizers/{authorizerId}.
	// The function's resource policy must allow it.
	SourceARN string

	// IdentitySource is the authorizer's identity sources as the control
	// plane stores them (method.request.header.Authorization, $request.header.Authorization,
	// route.request.querystring.token, ...). The plane resolves their values
	// into Request.Identity; this package only counts and compares them.
	IdentitySource []string
	// IdentityValidationExpression is a TOKEN authorizer's regular
	// expression; a token that does not match it is refused with 401 before
	// the function is called. "" accepts any token.
	IdentityValidationExpression string
	// ResultTTL is how long a Lambda authorizer's answer is cached
	// (authorizerResultTtlInSeconds); 0 calls the function every time.
	ResultTTL time.Duration

	// PayloadFormatVersion ("1.0" or "2.0") and SimpleResponses are those of
	// an HTTP API's REQUEST authorizer. Format 1.0 answers are always IAM
	// policies; format 2.0 answers are simple ({"isAuthorized": ...}) when
	// SimpleResponses is set, IAM policies otherwise.
	PayloadFormatVersion string
	SimpleResponses      bool

	// Issuer and Audience are a JWT authorizer's jwtConfiguration.
	Issuer   string
	Audience []string

	// ProviderARNs are a COGNITO_USER_POOLS authorizer's user pools
	// (arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}).
	ProviderARNs []string
}

// Request is what the plane resolved from one invoke request.
type Request struct {
	// Identity holds the values of Spec.IdentitySource, in the same order;
	// "" where the request has none. For TOKEN, JWT and COGNITO_USER_POOLS
	// authorizers the first value is the token (a "Bearer " prefix is
	// stripped for JWT authorizers, as AWS does).
	Identity []string
	// Event is the JSON the Lambda function receives, built by the plane (a
	// TOKEN event, a REST REQUEST event, an HTTP 1.0 or 2.0 event, a
	// WebSocket $connect event). Unused by JWT and Cognito authorizers.
	Event []byte
	// MethodARN is what an IAM policy returned by a Lambda authorizer must
	// allow: arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}
	// for REST and HTTP format 1.0, the routeArn for HTTP format 2.0, the
	// $connect route's ARN for WebSocket APIs.
	MethodARN string
	// Stage is the stage being invoked: cached results belong to one stage,
	// as AWS keeps one authorizer cache per stage.
	Stage string
	// Scopes are the authorization scopes the route (HTTP) or method (REST,
	// Cognito) requires; the token must carry at least one of them. Empty
	// requires none.
	Scopes []string
}

// Decision is an authorizer's answer.
type Decision struct {
	// Status is 0 when the request may go on; otherwise the status to
	// answer with: 401, 403 or 500.
	Status int
	// Message is the body's message, as AWS words it for this case; "" when
	// AWS's body has a null message (a REST authorizer failure). Body
	// renders the whole body.
	Message string
	// ResponseType is the REST gateway response type that answers a
	// refusal (UNAUTHORIZED, ACCESS_DENIED, AUTHORIZER_FAILURE,
	// AUTHORIZER_CONFIGURATION_ERROR), so the REST plane can apply the API's
	// gateway responses; "" when allowed.
	ResponseType string
	// Header holds headers the answer carries: WWW-Authenticate on a JWT
	// refusal, x-amzn-ErrorType on a REST or WebSocket one. Nil when there
	// are none.
	Header http.Header

	// PrincipalID is a Lambda authorizer's principalId.
	PrincipalID string
	// Context is a Lambda authorizer's context ($context.authorizer.{key}
	// in REST and WebSocket, requestContext.authorizer.lambda in HTTP APIs).
	Context map[string]any
	// Claims are a verified token's claims (JWT and Cognito), as the token
	// carries them (numbers as float64, arrays as []any):
	// requestContext.authorizer.jwt.claims in HTTP APIs,
	// requestContext.authorizer.claims in REST.
	Claims map[string]any
	// Scopes are a verified JWT's scopes, from its scope or scp claim
	// (requestContext.authorizer.jwt.scopes).
	Scopes []string
	// UsageIdentifierKey is a REST Lambda authorizer's usageIdentifierKey,
	// the API key when the API's apiKeySource is AUTHORIZER.
	UsageIdentifierKey string

	// Cached reports that the answer came from the result cache, without
	// calling the function.
	Cached bool
	// IntegrationLatency is how long the Lambda call took
	// ($context.authorizer.integrationLatency); 0 when none was made.
	IntegrationLatency time.Duration

	// messageKey is the body's member name: AWS answers a REST Lambda
	// authorizer's deny with "Message", everything else with "message".
	messageKey string
}

// Allowed reports whether the request may go on.
func (d Decision) Allowed() bool { return d.Status == 0 }

// Body is the JSON body AWS answers a refusal with, such as
// {"message":"Unauthorized"}, {"Message":"User is not authorized to access
// this resource"} (REST) or {"message":null} (a REST authorizer failure).
func (d Decision) Body() []byte {
	key := d.messageKey
	if key == "" {
		key = "message"
	}
	var message any
	if d.Message != "" {
		message = d.Message
	}
	body, _ := json.Marshal(map[string]any{key: message})
	return body
}

// MessageString is $context.error.messageString for REST gateway response
// templates: the message quoted as a JSON string, or null.
func (d Decision) MessageString() string {
	if d.Message == "" {
		return "null"
	}
	quoted, _ := json.Marshal(d.Message)
	return string(quoted)
}

// The REST gateway response types an authorizer's refusal answers with.
const (
	ResponseUnauthorized                 = "UNAUTHORIZED"
	ResponseAccessDenied                 = "ACCESS_DENIED"
	ResponseAuthorizerFailure            = "AUTHORIZER_FAILURE"
	ResponseAuthorizerConfigurationError = "AUTHORIZER_CONFIGURATION_ERROR"
)

// Config is what the authorizers depend on.
type Config struct {
	// Functions runs Lambda authorizers.
	Functions execute.Functions
	// HTTPClient fetches OIDC discovery documents and JWKS; nil uses
	// http.DefaultClient.
	HTTPClient *http.Client
	// CognitoIssuer maps a Cognito user pool ARN to the issuer URL its
	// tokens carry, for a local issuer standing in for the pool. Without a
	// mapping the pool's AWS issuer
	// (https://cognito-idp.{region}.amazonaws.com/{poolId}) is used, which a
	// local emulator normally cannot reach: the request is then refused.
	CognitoIssuer func(userPoolARN string) (issuerURL string, ok bool)
	// Now is the clock for token lifetimes and the result cache; nil uses
	// time.Now.
	Now func() time.Time
}

// Authorizers makes authorization decisions and keeps what they cache: the
// Lambda authorizers' results and the issuers' signing keys. It is safe for
// concurrent use.
type Authorizers struct {
	cfg  Config
	keys *keySets

	mu      sync.Mutex
	results map[resultKey]cachedResult
}

// New returns Authorizers with empty caches.
func New(cfg Config) *Authorizers {
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Authorizers{
		cfg:     cfg,
		keys:    newKeySets(cfg.HTTPClient, cfg.Now),
		results: map[resultKey]cachedResult{},
	}
}

// Authorize decides whether req may go on under the authorizer spec. An
// authorizer of a kind it does not know refuses with 500, as an authorizer
// API Gateway cannot run does.
func (a *Authorizers) Authorize(ctx context.Context, spec Spec, req Request) Decision {
	switch spec.Kind {
	case KindJWT:
		return a.authorizeJWT(ctx, spec, req)
	case KindCognitoUserPools:
		return a.authorizeCognito(ctx, spec, req)
	case KindToken, KindRequest:
		if a.cfg.Functions == nil {
			return authorizerFailed(spec.API, ResponseAuthorizerConfigurationError)
		}
		return a.authorizeLambda(ctx, spec, req)
	}
	return authorizerFailed(spec.API, ResponseAuthorizerConfigurationError)
}
