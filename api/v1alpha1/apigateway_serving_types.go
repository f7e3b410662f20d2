package v1alpha1

// The parts of an APIGateway that serve traffic: integrations (backends),
// authorizers, routes and stages, or an OpenAPI document in place of the
// first three. Everything a deployment snapshots belongs to the one object,
// so that one reconcile can deploy it consistently.
//
// CEL cost: the rules that look across lists (a route naming an
// integration, route settings naming a route) sit on APIGatewaySpec, where
// they run once per object, and test membership with sets.contains over
// lists of names (one pass over each list, then |a|x|b| comparisons at
// cost 1) rather than nested exists() (about ten cost units per pair).
// Every list, map and string below is bounded so that the API server can
// price each rule before it accepts the CRD; validation_serving_test.go
// submits the largest objects these bounds allow.

// HTTPMethod is an HTTP method API Gateway routes or forwards, or ANY.
// +kubebuilder:validation:Enum=GET;POST;PUT;PATCH;DELETE;HEAD;OPTIONS;ANY
type HTTPMethod string

// HTTPMethodAny matches, or forwards, every method.
const HTTPMethodAny HTTPMethod = "ANY"

// PayloadFormatVersion is the shape of the event API Gateway sends to a
// Lambda function: 2.0 exists only for HTTP APIs; REST and WebSocket APIs
// always send 1.0.
// +kubebuilder:validation:Enum="1.0";"2.0"
type PayloadFormatVersion string

const (
	// PayloadFormat1 is the REST-compatible event (every protocol).
	PayloadFormat1 PayloadFormatVersion = "1.0"
	// PayloadFormat2 is the HTTP API event (HTTP only).
	PayloadFormat2 PayloadFormatVersion = "2.0"
)

// InvokePermissionPolicy says who grants API Gateway the right to invoke a
// Lambda function.
// +kubebuilder:validation:Enum=Managed;None
type InvokePermissionPolicy string

const (
	// InvokePermissionManaged means the operator adds a statement to the
	// function's resource policy allowing this API (and only the methods
	// and paths that use the function) to invoke it, and removes it with
	// the integration or authorizer.
	InvokePermissionManaged InvokePermissionPolicy = "Managed"
	// InvokePermissionNone means the user manages the function's policy; the
	// operator leaves it alone.
	InvokePermissionNone InvokePermissionPolicy = "None"
)

// Integration is a backend that routes send requests to. Exactly one of
// lambda, http, vpcLink and mock is set.
// +kubebuilder:validation:XValidation:rule="[has(self.lambda), has(self.http), has(self.vpcLink), has(self.mock)].filter(x, x).size() == 1",message="an integration sets exactly one of lambda, http, vpcLink and mock; keep the one backend this integration sends requests to"
type Integration struct {
	// Name routes use to refer to this integration: lowercase letters,
	// digits and -, at most 63 characters (a DNS label).
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="integration names are lowercase letters, digits and - (not at either end), at most 63 characters, such as orders-fn; rename the integration"
	Name string `json:"name"`

	// A Lambda function, invoked as a proxy (AWS_PROXY).
	// +optional
	Lambda *LambdaIntegration `json:"lambda,omitempty"`
	// An HTTP endpoint, forwarded to as a proxy (HTTP_PROXY).
	// +optional
	HTTP *HTTPIntegration `json:"http,omitempty"`
	// A private backend behind a VPC link (VPC_LINK).
	// +optional
	VPCLink *VPCLinkIntegration `json:"vpcLink,omitempty"`
	// A response made by API Gateway itself (MOCK); REST and WEBSOCKET only.
	// +optional
	Mock *MockIntegration `json:"mock,omitempty"`

	// Request parameter mappings, in the protocol's own form: for HTTP
	// APIs "overwrite:path", "append:header.name" or
	// "remove:querystring.name" to a value such as "$request.path"; for
	// REST and WEBSOCKET APIs "integration.request.header.name" to
	// "method.request.header.name" (REST), "route.request.header.name"
	// (WEBSOCKET) or a 'static value'. AWS checks their form.
	// +optional
	// +kubebuilder:validation:MaxProperties=50
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 256)",message="requestParameters keys must be 1 to 256 characters, such as overwrite:path or integration.request.header.x-user; fix the key"
	RequestParameters map[string]ParameterMapping `json:"requestParameters,omitempty"`

	// How long API Gateway waits for the backend, in milliseconds: 50 to
	// 30000 for HTTP APIs, 50 to 29000 for WEBSOCKET and EDGE REST APIs,
	// and up to 300000 for REGIONAL and PRIVATE REST APIs whose account
	// was granted more than 29 s (the "Maximum integration timeout in
	// milliseconds" quota). AWS's default is the maximum.
	// +optional
	// +kubebuilder:validation:Minimum=50
	// +kubebuilder:validation:Maximum=300000
	TimeoutMillis *int32 `json:"timeoutMillis,omitempty"`

	// Description of the integration.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`
}

// ParameterMapping is the value a request parameter is mapped from.
// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=512
type ParameterMapping string

// LambdaIntegration invokes a Lambda function with the request as its event.
type LambdaIntegration struct {
	// The function's ARN, optionally with a version or alias
	// (arn:aws:lambda:eu-west-1:123456789012:function:orders:live).
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$')",message="functionARN must be a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:orders (optionally :version or :alias); fix it"
	FunctionARN string `json:"functionARN"`

	// The event's format: "1.0" or "2.0" for HTTP APIs (the operator sends
	// "2.0" when unset); REST and WEBSOCKET APIs only send "1.0".
	// +optional
	PayloadFormatVersion PayloadFormatVersion `json:"payloadFormatVersion,omitempty"`

	// Managed (the default): the operator allows API Gateway to invoke the
	// function; None: the user does.
	// +optional
	// +kubebuilder:default=Managed
	InvokePermission InvokePermissionPolicy `json:"invokePermission,omitempty"`
}

// HTTPIntegration forwards requests to an HTTP endpoint.
type HTTPIntegration struct {
	// The endpoint: an http or https URL, which may use the route's path
	// variables, such as https://catalog.example.com/{proxy}.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^/?# ]+([/?#][^ ]*)?$')",message="url must be an http or https URL with a host and no spaces, such as https://catalog.example.com/{proxy}; fix it"
	URL string `json:"url"`
	// The method sent to the endpoint; ANY (the default) sends the
	// client's.
	// +optional
	// +kubebuilder:default=ANY
	Method HTTPMethod `json:"method,omitempty"`
}

// VPCLinkIntegration forwards requests to a private backend through a VPC
// link: for HTTP APIs an ALB or NLB listener or a Cloud Map service (a v2 VPC
// link); for REST and WEBSOCKET APIs the URL of an NLB (a REST VPC link).
// +kubebuilder:validation:XValidation:rule="has(self.vpcLinkRef) != has(self.vpcLinkID)",message="vpcLink sets exactly one of vpcLinkRef (an APIGatewayVPCLink object) and vpcLinkID (the id of a VPC link made outside Kubernetes)"
// +kubebuilder:validation:XValidation:rule="has(self.listenerARN) != has(self.uri)",message="vpcLink sets exactly one of listenerARN (HTTP APIs: the ALB or NLB listener or Cloud Map service) and uri (REST and WEBSOCKET APIs: the NLB's URL)"
type VPCLinkIntegration struct {
	// The APIGatewayVPCLink object that holds the link: of this namespace,
	// or of another one that lists this namespace in allowedNamespaces.
	// +optional
	VPCLinkRef *VPCLinkReference `json:"vpcLinkRef,omitempty"`
	// The id of a VPC link managed outside Kubernetes.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]+$')",message="vpcLinkID must be a VPC link id such as abc123 (lowercase letters and digits); fix it, or use vpcLinkRef"
	VPCLinkID string `json:"vpcLinkID,omitempty"`
	// HTTP APIs: the ARN of the ALB or NLB listener, or of the Cloud Map
	// service, that receives the requests.
	// +optional
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:(elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:listener/(app|net)/[^/]+/[^/]+/[^/]+|servicediscovery:[a-z0-9-]+:[0-9]{12}:service/srv-[A-Za-z0-9]+)$')",message="listenerARN must be the ARN of an ALB or NLB listener (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/NAME/ID/ID) or of a Cloud Map service (arn:aws:servicediscovery:REGION:ACCOUNT:service/srv-ID); fix it"
	ListenerARN string `json:"listenerARN,omitempty"`
	// REST and WEBSOCKET APIs: the URL requests are sent to through the
	// NLB, such as http://orders.internal:8080/{proxy}.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^https?://[^/?# ]+([/?#][^ ]*)?$')",message="uri must be an http or https URL with a host and no spaces, such as http://orders.internal:8080/{proxy}; fix it"
	URI string `json:"uri,omitempty"`
	// The method sent to the backend; ANY (the default) sends the client's.
	// +optional
	// +kubebuilder:default=ANY
	Method HTTPMethod `json:"method,omitempty"`
}

// LocalObjectReference names an object of the referrer's namespace.
type LocalObjectReference struct {
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
}

// MockIntegration answers without a backend: REST APIs send statusCode and
// body; WEBSOCKET APIs send body back on two-way routes.
type MockIntegration struct {
	// The status of the answer (REST). Defaults to 200.
	// +optional
	// +kubebuilder:default=200
	// +kubebuilder:validation:Minimum=100
	// +kubebuilder:validation:Maximum=599
	StatusCode int32 `json:"statusCode,omitempty"`
	// The body of the answer, sent as application/json.
	// +optional
	// +kubebuilder:validation:MaxLength=10240
	Body string `json:"body,omitempty"`
}

// Authorizer decides whether a request may reach its route. Exactly one of
// jwt (HTTP), lambda (every protocol) and cognito (REST) is set.
// +kubebuilder:validation:XValidation:rule="[has(self.jwt), has(self.lambda), has(self.cognito)].filter(x, x).size() == 1",message="an authorizer sets exactly one of jwt, lambda and cognito; keep the one that checks this authorizer's requests"
type Authorizer struct {
	// Name routes use to refer to this authorizer: lowercase letters,
	// digits and -, at most 63 characters.
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:XValidation:rule="self.matches('^[a-z0-9]([-a-z0-9]*[a-z0-9])?$')",message="authorizer names are lowercase letters, digits and - (not at either end), at most 63 characters, such as cognito; rename the authorizer"
	Name string `json:"name"`

	// A JSON Web Token authorizer (HTTP APIs only).
	// +optional
	JWT *JWTAuthorizer `json:"jwt,omitempty"`
	// A Lambda authorizer (a REQUEST or, on REST APIs, TOKEN function).
	// +optional
	Lambda *LambdaAuthorizer `json:"lambda,omitempty"`
	// A Cognito user pool authorizer (REST APIs only; HTTP APIs use jwt
	// with the pool's issuer).
	// +optional
	Cognito *CognitoAuthorizer `json:"cognito,omitempty"`

	// Where the caller's identity is read from, in the protocol's form:
	// HTTP "$request.header.Authorization" (also $request.querystring.,
	// $context., $stageVariables.); REST "method.request.header.Authorization"
	// (also method.request.querystring., context., stageVariables.);
	// WEBSOCKET "route.request.header.Auth" (also route.request.querystring.,
	// context., stageVariables.). Defaults to the Authorization header
	// where AWS needs one.
	// +optional
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.all(s, s.matches('^([$]request[.](header|querystring)|[$]context|[$]stageVariables|method[.]request[.](header|querystring)|route[.]request[.](header|querystring)|context|stageVariables)[.][^ ]+$'))",message="identitySource entries must name where the identity is, such as $request.header.Authorization (HTTP), method.request.header.Authorization (REST) or route.request.header.Auth (WEBSOCKET); fix the entry"
	IdentitySource []string `json:"identitySource,omitempty"`
}

// JWTAuthorizer accepts requests bearing a token its issuer signed for one
// of the audiences.
type JWTAuthorizer struct {
	// The token issuer's URL (its iss claim), such as
	// https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf. API
	// Gateway reads its keys from {issuer}/.well-known/openid-configuration.
	// http is accepted only for localhost and 127.0.0.1, for issuers run
	// beside a local emulator; AWS fetches keys over https only.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:XValidation:rule="self.matches('^(https://[^/?# ]+|http://(localhost|127[.]0[.]0[.]1)(:[0-9]+)?)([/][^?# ]*)?$')",message="issuer must be an https URL without query or fragment, such as https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf (http only for localhost or 127.0.0.1); fix it"
	Issuer string `json:"issuer"`
	// The audiences (aud claim, or client_id of Cognito access tokens) a
	// token may be for: 1 to 50 (AWS's quota).
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=256
	Audience []string `json:"audience"`
}

// LambdaAuthorizerType is how a REST Lambda authorizer receives the caller's
// identity.
// +kubebuilder:validation:Enum=TOKEN;REQUEST
type LambdaAuthorizerType string

const (
	// LambdaAuthorizerToken receives one header's value (REST only).
	LambdaAuthorizerToken LambdaAuthorizerType = "TOKEN"
	// LambdaAuthorizerRequest receives the request's headers, query
	// string, stage variables and context.
	LambdaAuthorizerRequest LambdaAuthorizerType = "REQUEST"
)

// LambdaAuthorizer runs a Lambda function that allows or denies the request.
// +kubebuilder:validation:XValidation:rule="!has(self.identityValidationExpression) || (has(self.type) && self.type == 'TOKEN')",message="identityValidationExpression applies only to type: TOKEN (REST APIs); remove it, or set type: TOKEN"
// +kubebuilder:validation:XValidation:rule="!(has(self.simpleResponses) && self.simpleResponses) || (has(self.payloadFormatVersion) && self.payloadFormatVersion == '2.0')",message="simpleResponses needs payloadFormatVersion: \"2.0\" (HTTP APIs); set it, or remove simpleResponses"
type LambdaAuthorizer struct {
	// The function's ARN, optionally with a version or alias.
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$')",message="functionARN must be a Lambda function ARN such as arn:aws:lambda:eu-west-1:123456789012:function:authorize (optionally :version or :alias); fix it"
	FunctionARN string `json:"functionARN"`
	// Seconds API Gateway caches the function's answer for an identity:
	// 0 (no caching) to 3600. AWS's default applies when unset (300 for
	// REST, none for HTTP).
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=3600
	ResultTTLSeconds *int32 `json:"resultTTLSeconds,omitempty"`
	// HTTP APIs: the event's format, "1.0" or "2.0" (the operator sends
	// "2.0" when unset). REST and WEBSOCKET authorizers receive their own.
	// +optional
	PayloadFormatVersion PayloadFormatVersion `json:"payloadFormatVersion,omitempty"`
	// HTTP APIs with payloadFormatVersion "2.0": the function answers
	// {"isAuthorized": true} instead of an IAM policy.
	// +optional
	SimpleResponses *bool `json:"simpleResponses,omitempty"`
	// REST APIs: TOKEN (the default) or REQUEST. HTTP and WEBSOCKET Lambda
	// authorizers are always REQUEST.
	// +optional
	Type LambdaAuthorizerType `json:"type,omitempty"`
	// REST TOKEN authorizers: a regular expression the token must match
	// before the function is called.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	IdentityValidationExpression string `json:"identityValidationExpression,omitempty"`
	// Managed (the default): the operator allows API Gateway to invoke the
	// function; None: the user does.
	// +optional
	// +kubebuilder:default=Managed
	InvokePermission InvokePermissionPolicy `json:"invokePermission,omitempty"`
}

// CognitoAuthorizer accepts tokens of the user pools (REST APIs).
type CognitoAuthorizer struct {
	// The user pools' ARNs, such as
	// arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.all(a, a.matches('^arn:aws[a-z-]*:cognito-idp:[a-z0-9-]+:[0-9]{12}:userpool/[a-z0-9-]+_[A-Za-z0-9]+$'))",message="userPoolARNs entries must be user pool ARNs such as arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf; fix the entry"
	UserPoolARNs []string `json:"userPoolARNs"`
}

// Route sends the requests (HTTP, REST) or messages (WEBSOCKET) that match
// its key to an integration.
// +kubebuilder:validation:XValidation:rule="!(has(self.iamAuthorization) && self.iamAuthorization && has(self.authorizer))",message="a route uses either an authorizer or iamAuthorization, not both; remove one"
type Route struct {
	// What the route matches. HTTP: "METHOD /path" (METHOD one of GET,
	// POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY; path segments literal,
	// {name}, or a last {name+}, such as "GET /orders/{id}" or
	// "ANY /{proxy+}") or "$default". REST: "METHOD /path" as for HTTP.
	// WEBSOCKET: "$connect", "$disconnect", "$default" or a custom key
	// (the value of the routeSelectionExpression, such as sendmessage).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=256
	Key string `json:"key"`
	// The name of the integration (in spec.integrations) the route sends to.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=63
	Integration string `json:"integration"`
	// The name of the authorizer (in spec.authorizers) that checks the
	// route's requests; none when unset.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	Authorizer string `json:"authorizer,omitempty"`
	// Requests must be signed (SigV4) by an IAM principal allowed to
	// execute-api:Invoke the route (AWS_IAM authorization).
	// +optional
	IAMAuthorization *bool `json:"iamAuthorization,omitempty"`
	// OAuth scopes a token must carry (one of them), with a JWT (HTTP) or
	// Cognito (REST) authorizer: at most 10 (AWS's quota).
	// +optional
	// +kubebuilder:validation:MaxItems=10
	// +kubebuilder:validation:items:MinLength=1
	// +kubebuilder:validation:items:MaxLength=256
	AuthorizationScopes []string `json:"authorizationScopes,omitempty"`
	// REST and WEBSOCKET: callers must send an API key of a usage plan.
	// +optional
	APIKeyRequired *bool `json:"apiKeyRequired,omitempty"`
	// REST and WEBSOCKET: the request parameters the route declares, by
	// name (REST "method.request.querystring.page",
	// "method.request.header.x-user", "method.request.path.id"; WEBSOCKET
	// "route.request.header.Auth"), and whether each is required.
	// +optional
	// +kubebuilder:validation:MaxProperties=20
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) <= 256 && k.matches('^(method[.]request[.](path|querystring|multivaluequerystring|header|multivalueheader)|route[.]request[.](header|querystring))[.][^ .]+$'))",message="requestParameters keys must be method.request.(path|querystring|header).NAME (REST) or route.request.(header|querystring).NAME (WEBSOCKET), such as method.request.querystring.page; fix the key"
	RequestParameters map[string]RouteParameter `json:"requestParameters,omitempty"`
	// WEBSOCKET only: send the integration's response back to the client
	// (a two-way route, with the $default route response).
	// +optional
	ReturnResponse *bool `json:"returnResponse,omitempty"`
}

// RouteParameter is a request parameter a route declares.
type RouteParameter struct {
	// Requests without the parameter are refused (400) before the
	// integration is called.
	// +optional
	Required bool `json:"required,omitempty"`
}

// LoggingLevel is how much of each request API Gateway writes to CloudWatch
// Logs (execution logs: REST and WEBSOCKET APIs; HTTP APIs have access logs
// only).
// +kubebuilder:validation:Enum=OFF;ERROR;INFO
type LoggingLevel string

// CacheSize is a REST stage cache's size in GB, as AWS names them.
// +kubebuilder:validation:Enum="0.5";"1.6";"6.1";"13.5";"28.4";"58.2";"118";"237"
type CacheSize string

// Throttling limits the requests a stage or route accepts.
type Throttling struct {
	// Requests per second, sustained.
	// +optional
	// +kubebuilder:validation:Minimum=0
	RateLimit *int32 `json:"rateLimit,omitempty"`
	// Requests accepted at once above the rate (the bucket's size).
	// +optional
	// +kubebuilder:validation:Minimum=0
	BurstLimit *int32 `json:"burstLimit,omitempty"`
}

// RouteSettings are a stage's settings for one route, or its defaults.
type RouteSettings struct {
	// Throttling of the route's requests.
	// +optional
	Throttling *Throttling `json:"throttling,omitempty"`
	// Per-route CloudWatch metrics.
	// +optional
	DetailedMetrics *bool `json:"detailedMetrics,omitempty"`
	// Execution logging (REST and WEBSOCKET only).
	// +optional
	LoggingLevel LoggingLevel `json:"loggingLevel,omitempty"`
	// Log full requests and responses (REST and WEBSOCKET only; for
	// debugging: they may hold secrets).
	// +optional
	DataTrace *bool `json:"dataTrace,omitempty"`
}

// Stage is a named, deployed snapshot of the API's routes, with settings.
// The operator deploys it: HTTP and WEBSOCKET stages with autoDeploy (the
// default) are deployed by API Gateway on every change; REST stages, and
// others with autoDeploy: false, get a new deployment from the operator when
// what they serve changes.
// +kubebuilder:validation:XValidation:rule="!has(self.cache) || !self.cache.enabled || has(self.cache.size)",message="a stage cache that is enabled needs a size (\"0.5\" to \"237\" GB); set cache.size"
type Stage struct {
	// The stage's name, part of the invoke URL: letters, digits, - and _,
	// at most 128 characters, or "$default" (HTTP APIs: served at the
	// root of the URL).
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="self == '$default' || self.matches('^[A-Za-z0-9_-]+$')",message="stage names are letters, digits, - and _ (at most 128), such as prod, or $default (HTTP APIs); rename the stage"
	Name string `json:"name"`
	// Description of the stage.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	Description string `json:"description,omitempty"`
	// HTTP and WEBSOCKET: API Gateway deploys every change to the stage
	// (true when unset). REST stages are deployed by the operator.
	// +optional
	AutoDeploy *bool `json:"autoDeploy,omitempty"`

	// The stage's defaults for every route (AWS's default route settings;
	// for REST APIs the */* method settings): throttling, detailedMetrics,
	// loggingLevel, dataTrace.
	RouteSettings `json:",inline"`
	// Settings of single routes, by route key (a key of spec.routes), over
	// the stage's defaults (the embedded RouteSettings). At most 100: the
	// stage-wide defaults cover the rest.
	// +optional
	// +kubebuilder:validation:MaxProperties=100
	PerRoute map[string]RouteSettings `json:"routeSettings,omitempty"`

	// Access logs, one line per request, to a CloudWatch Logs group (or,
	// for REST APIs, a Firehose stream).
	// +optional
	AccessLogs *AccessLogSettings `json:"accessLogs,omitempty"`
	// Stage variables, read by integrations and mappings as
	// ${stageVariables.name}: at most 100, names of letters, digits and _
	// (at most 64), values of letters, digits and -._~:/?#&=, (at most
	// 512), as AWS allows.
	// +optional
	// +kubebuilder:validation:MaxProperties=100
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) <= 64 && k.matches('^[A-Za-z0-9_]+$'))",message="stage variable names are letters, digits and _ (at most 64), such as backend_url; rename the variable"
	Variables map[string]StageVariableValue `json:"variables,omitempty"`
	// REST only: the stage's response cache.
	// +optional
	Cache *StageCache `json:"cache,omitempty"`
	// REST only: AWS X-Ray tracing of the stage's requests.
	// +optional
	Tracing *bool `json:"tracing,omitempty"`

	// Custom domain names (APIGatewayDomainNames) the stage is served
	// at, each under a base path: an API mapping each. A domain is named
	// once per stage (checked before any AWS call: a duplicate rule here
	// would exceed the API server's CEL budget).
	// +optional
	// +listType=atomic
	// +kubebuilder:validation:MaxItems=10
	Domains []StageDomain `json:"domains,omitempty"`
}

// StageVariableValue is the value of a stage variable.
// +kubebuilder:validation:MaxLength=512
// +kubebuilder:validation:XValidation:rule="self.matches('^[A-Za-z0-9._~:/?#&=,-]+$')",message="stage variable values are letters, digits and - . _ ~ : / ? # & = , (at most 512, no spaces), such as blue or https://orders.internal/v2; fix the value"
type StageVariableValue string

// AccessLogSettings sends one log line per request.
type AccessLogSettings struct {
	// The CloudWatch Logs group's ARN (or, for REST APIs, a Firehose
	// delivery stream's, whose name starts with amazon-apigateway-).
	// +kubebuilder:validation:MaxLength=1600
	// +kubebuilder:validation:XValidation:rule="self.matches('^arn:aws[a-z-]*:(logs:[a-z0-9-]+:[0-9]{12}:log-group:[^:*]+(:[*])?|firehose:[a-z0-9-]+:[0-9]{12}:deliverystream/amazon-apigateway-[A-Za-z0-9_.-]+)$')",message="destinationARN must be a CloudWatch Logs group ARN such as arn:aws:logs:eu-west-1:123456789012:log-group:/apigw/orders (or a Firehose stream named amazon-apigateway-...); fix it"
	DestinationARN string `json:"destinationARN"`
	// The line's format, with $context variables; it must hold
	// $context.requestId (or $context.extendedRequestId), as AWS requires.
	// At most 3 KB (AWS's quota).
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=3072
	// +kubebuilder:validation:XValidation:rule="self.contains('$context.requestId') || self.contains('$context.extendedRequestId')",message="accessLogs.format must hold $context.requestId (AWS refuses formats without it), such as {\"requestId\":\"$context.requestId\",\"status\":\"$context.status\"}; add it"
	Format string `json:"format"`
}

// StageCache is a REST stage's response cache.
type StageCache struct {
	// Whether the stage has a cache (billed by the hour while it exists).
	Enabled bool `json:"enabled"`
	// Its size in GB.
	// +optional
	Size CacheSize `json:"size,omitempty"`
	// Seconds responses are kept: 0 to 3600 (AWS's default, 300, when
	// unset).
	// +optional
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:Maximum=3600
	TTLSeconds *int32 `json:"ttlSeconds,omitempty"`
}

// OpenAPIMode is how a REST API takes a new document (PutRestApi's mode).
// +kubebuilder:validation:Enum=Overwrite;Merge
type OpenAPIMode string

const (
	// OpenAPIOverwrite replaces the API's routes with the document's.
	OpenAPIOverwrite OpenAPIMode = "Overwrite"
	// OpenAPIMerge adds the document's routes to the API's (REST only).
	OpenAPIMerge OpenAPIMode = "Merge"
)

// OpenAPISource is an OpenAPI document that defines the API's routes,
// integrations and authorizers (HTTP and REST APIs). The document owns
// them: spec.routes, spec.integrations and spec.authorizers stay empty;
// spec.stages still apply.
// +kubebuilder:validation:XValidation:rule="has(self.inline) != has(self.configMapRef)",message="openAPI sets exactly one of inline (the document itself) and configMapRef (a ConfigMap key holding it)"
type OpenAPISource struct {
	// The document, in YAML or JSON.
	// +optional
	// +kubebuilder:validation:MaxLength=1048576
	Inline string `json:"inline,omitempty"`
	// A key of a ConfigMap of this namespace that holds the document; the
	// operator watches it. The ConfigMap must carry the label
	// aws-infra-operator.runner.codes/openapi-document: "true" (the consent
	// of whoever may change it to its data reaching AWS).
	// +optional
	ConfigMapRef *ConfigMapKeyReference `json:"configMapRef,omitempty"`
	// REST APIs: Overwrite (the default) replaces the API's definition
	// with the document; Merge adds the document to it. HTTP APIs are
	// always overwritten (ReimportApi).
	// +optional
	// +kubebuilder:default=Overwrite
	Mode OpenAPIMode `json:"mode,omitempty"`
	// Refuse a document AWS imports with warnings, rather than reporting
	// them in a condition.
	// +optional
	FailOnWarnings bool `json:"failOnWarnings,omitempty"`
}

// ConfigMapKeyReference names a key of a ConfigMap of the referrer's
// namespace.
type ConfigMapKeyReference struct {
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Name string `json:"name"`
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=253
	Key string `json:"key"`
}

// StageStatus is what a stage serves.
type StageStatus struct {
	// The stage's name.
	Name string `json:"name"`
	// The URL that reaches the stage.
	// +optional
	InvokeURL string `json:"invokeURL,omitempty"`
	// The deployment the stage serves.
	// +optional
	DeploymentID string `json:"deploymentID,omitempty"`
	// The generation of the object the stage's deployment was made from.
	// +optional
	DeployedGeneration int64 `json:"deployedGeneration,omitempty"`
}

// OpenAPIStatus is the OpenAPI document last applied.
type OpenAPIStatus struct {
	// SHA-256 (hex) of the document last applied: a change of the
	// document, not of AWS's export of it, makes the operator apply it.
	// +optional
	Digest string `json:"digest,omitempty"`
	// The warnings AWS gave for it.
	// +optional
	Warnings []string `json:"warnings,omitempty"`
}

// InvokePermissionStatus is one statement the operator wrote in a Lambda
// function's resource policy.
type InvokePermissionStatus struct {
	// The function (qualified by an alias or version, or not).
	FunctionARN string `json:"functionARN"`
	// The statement id.
	StatementID string `json:"statementID"`
}
