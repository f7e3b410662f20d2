package v1alpha1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// ProtocolType is the kind of API: REST APIs are API Gateway v1; HTTP and
// WEBSOCKET APIs are API Gateway v2.
// +kubebuilder:validation:Enum=REST;HTTP;WEBSOCKET
type ProtocolType string

const (
	// ProtocolREST is a REST API (API Gateway v1).
	ProtocolREST ProtocolType = "REST"
	// ProtocolHTTP is an HTTP API (API Gateway v2).
	ProtocolHTTP ProtocolType = "HTTP"
	// ProtocolWebSocket is a WebSocket API (API Gateway v2).
	ProtocolWebSocket ProtocolType = "WEBSOCKET"
)

// EndpointType is where the API is served from.
// +kubebuilder:validation:Enum=REGIONAL;EDGE;PRIVATE
type EndpointType string

const (
	// EndpointRegional serves the API from its region; the only type of
	// HTTP and WebSocket APIs.
	EndpointRegional EndpointType = "REGIONAL"
	// EndpointEdge serves a REST API through CloudFront's edge locations.
	EndpointEdge EndpointType = "EDGE"
	// EndpointPrivate serves a REST API only inside VPCs, through interface
	// VPC endpoints.
	EndpointPrivate EndpointType = "PRIVATE"
)

// CORSConfiguration is the CORS behaviour API Gateway applies to an HTTP API.
// +kubebuilder:validation:XValidation:rule="!(has(self.allowCredentials) && self.allowCredentials && has(self.allowOrigins) && self.allowOrigins.exists(o, o == '*'))",message="allowCredentials: true cannot be combined with allowOrigins \"*\": AWS refuses it (allow-credentials is not supported if 'allow-origin' is *) and browsers never send credentials to a wildcard origin; list the exact origins instead (for example https://app.example.com), or set allowCredentials: false"
type CORSConfiguration struct {
	// Origins allowed to call the API: exact origins, "*", or the prefix forms
	// "https://*" and "http://*".
	//
	// An origin is scheme://host[:port] and a DNS name is at most 253
	// characters, so 512 bounds every real origin; the bound also keeps the
	// duplicate check (100 x 100 comparisons) within the API server's CEL
	// cost budget, which refuses the CRD otherwise.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=512
	// +kubebuilder:validation:XValidation:rule="self.all(o, o == '*' || o == 'null' || o.matches('^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?# ]+$'))",message="allowOrigins entries must be \"*\" or origins such as https://app.example.com (scheme, host and optional port, without path or trailing slash, which browsers never send); fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(o, self.exists_one(p, p == o))",message="allowOrigins lists an origin twice; remove the duplicate"
	AllowOrigins []string `json:"allowOrigins,omitempty"`
	// Methods allowed in cross-origin requests (GET, HEAD, POST, PUT,
	// PATCH, DELETE, OPTIONS), or "*". These are the methods API Gateway's
	// HTTP API CORS settings name (the CDK's CorsHttpMethod, ANY being "*");
	// CONNECT, TRACE and TRACK are forbidden methods that a browser never
	// sends. Upper case only: browsers compare the preflight's
	// Access-Control-Allow-Methods case-sensitively, so "patch" would never
	// allow PATCH.
	//
	// The longest method is OPTIONS; 16 bounds the duplicate check's cost.
	// +optional
	// +kubebuilder:validation:MaxItems=20
	// +kubebuilder:validation:items:MaxLength=16
	// +kubebuilder:validation:XValidation:rule="self.all(m, m in ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', '*'])",message="allowMethods entries must be GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or \"*\", in upper case (browsers compare methods case-sensitively); fix the misspelt or unknown method"
	// +kubebuilder:validation:XValidation:rule="self.all(m, self.exists_one(n, n.upperAscii() == m.upperAscii()))",message="allowMethods lists a method twice (methods are case-insensitive); remove the duplicate"
	AllowMethods []string `json:"allowMethods,omitempty"`
	// Request headers allowed in cross-origin requests, or "*". AWS stores
	// them lowercased; they are compared case-insensitively.
	//
	// No header name comes near 256 characters; the bound keeps the
	// case-insensitive duplicate check (100 x 100) within the CEL cost budget.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.all(h, h.matches('^[A-Za-z0-9!#$%&\\\\x27*+.^_\\\\x60|~-]+$'))",message="allowHeaders entries must be header names such as Content-Type (no spaces, colons or values) or \"*\"; fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(h, self.exists_one(g, g.lowerAscii() == h.lowerAscii()))",message="allowHeaders lists a header twice (header names are case-insensitive); remove the duplicate"
	AllowHeaders []string `json:"allowHeaders,omitempty"`
	// Response headers exposed to the browser, or "*". Bounded as
	// allowHeaders is, for the same reason.
	// +optional
	// +kubebuilder:validation:MaxItems=100
	// +kubebuilder:validation:items:MaxLength=256
	// +kubebuilder:validation:XValidation:rule="self.all(h, h.matches('^[A-Za-z0-9!#$%&\\\\x27*+.^_\\\\x60|~-]+$'))",message="exposeHeaders entries must be header names such as X-Request-Id (no spaces, colons or values) or \"*\"; fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(h, self.exists_one(g, g.lowerAscii() == h.lowerAscii()))",message="exposeHeaders lists a header twice (header names are case-insensitive); remove the duplicate"
	ExposeHeaders []string `json:"exposeHeaders,omitempty"`
	// Seconds a browser may cache a preflight answer; -1 disables caching.
	// +optional
	// +kubebuilder:validation:XValidation:rule="self >= -1 && self <= 86400",message="maxAge must be between -1 and 86400 seconds (AWS's range; -1 disables caching of preflight answers)"
	MaxAge *int32 `json:"maxAge,omitempty"`
	// Whether cross-origin requests may carry credentials (cookies,
	// Authorization). Requires explicit origins.
	// +optional
	AllowCredentials *bool `json:"allowCredentials,omitempty"`
}

// APIGatewaySpec is the desired AWS API Gateway API.
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'HTTP' || !has(self.corsConfiguration)",message="corsConfiguration is supported only with protocolType: HTTP (API Gateway has no CORS setting for REST or WEBSOCKET APIs); remove corsConfiguration, or use protocolType: HTTP"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'REST' || self.endpointType == 'REGIONAL'",message="endpointType EDGE and PRIVATE exist only for protocolType: REST; HTTP and WEBSOCKET APIs (API Gateway v2) are always regional and cannot be private, so AWS would expose this API publicly. Use endpointType: REGIONAL (or omit it), or for a VPC-only API use protocolType: REST with endpointType: PRIVATE"
// +kubebuilder:validation:XValidation:rule="!has(self.vpcEndpointIds) || self.endpointType == 'PRIVATE'",message="vpcEndpointIds apply only to endpointType: PRIVATE (a REST API); remove them or set endpointType: PRIVATE"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'WEBSOCKET' || (!has(self.routeSelectionExpression) && !has(self.apiKeySelectionExpression))",message="routeSelectionExpression and apiKeySelectionExpression apply only to protocolType: WEBSOCKET; remove them"
// +kubebuilder:validation:XValidation:rule="!has(self.openAPI) || ((!has(self.routes) || size(self.routes) == 0) && (!has(self.integrations) || size(self.integrations) == 0) && (!has(self.authorizers) || size(self.authorizers) == 0))",message="openAPI defines the API's routes, integrations and authorizers: remove spec.routes, spec.integrations and spec.authorizers (put them in the document), or remove openAPI (spec.stages stay with either)"
// +kubebuilder:validation:XValidation:rule="!has(self.openAPI) || self.protocolType != 'WEBSOCKET'",message="openAPI applies to HTTP and REST APIs only (AWS imports no WebSocket document); declare spec.routes and spec.integrations instead"
// +kubebuilder:validation:XValidation:rule="!has(self.openAPI) || !has(self.openAPI.mode) || self.openAPI.mode != 'Merge' || self.protocolType == 'REST'",message="openAPI.mode: Merge exists only for REST APIs (PutRestApi); HTTP APIs are always overwritten: remove mode or set it to Overwrite",fieldPath=".openAPI.mode"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'HTTP' || !has(self.routes) || self.routes.all(r, r.key == '$default' || r.key.matches('^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/|(/([A-Za-z0-9._~:@!$&\\\\x27()*+,;=%-]+|[{][A-Za-z0-9._-]+[}]))*/([A-Za-z0-9._~:@!$&\\\\x27()*+,;=%-]+|[{][A-Za-z0-9._-]+[+]?[}]))$'))",messageExpression="self.routes.map(r, !(r.key == '$default' || r.key.matches('^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/|(/([A-Za-z0-9._~:@!$&\\\\x27()*+,;=%-]+|[{][A-Za-z0-9._-]+[}]))*/([A-Za-z0-9._~:@!$&\\\\x27()*+,;=%-]+|[{][A-Za-z0-9._-]+[+]?[}]))$')), 'route key ' + r.key)[0] + ' is not valid for an HTTP API: write $default or METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of literal segments, {name} segments and at most a last {name+}, such as GET /orders/{id} or ANY /{proxy+}'",message="a route key is not valid for an HTTP API: write $default or METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of literal segments, {name} segments and at most a last {name+}, such as GET /orders/{id} or ANY /{proxy+}",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'REST' || !has(self.routes) || self.routes.all(r, r.key.matches('^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/|(/([A-Za-z0-9._-]+|[{][A-Za-z0-9._-]+[}]))*/([A-Za-z0-9._-]+|[{][A-Za-z0-9._-]+[+]?[}]))$'))",messageExpression="self.routes.map(r, !r.key.matches('^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/|(/([A-Za-z0-9._-]+|[{][A-Za-z0-9._-]+[}]))*/([A-Za-z0-9._-]+|[{][A-Za-z0-9._-]+[+]?[}]))$'), 'route key ' + r.key)[0] + ' is not valid for a REST API: write METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of segments of a-zA-Z0-9._- , {name} segments and at most a last {name+}, such as GET /pets/{id} or ANY /{proxy+} ($default exists only for HTTP APIs)'",message="a route key is not valid for a REST API: write METHOD /path, METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ANY and the path of segments of a-zA-Z0-9._- , {name} segments and at most a last {name+}, such as GET /pets/{id} or ANY /{proxy+} ($default exists only for HTTP APIs)",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'WEBSOCKET' || !has(self.routes) || self.routes.all(r, r.key in ['$connect', '$disconnect', '$default'] || (!r.key.startsWith('$') && !r.key.matches('[\\\\s]')))",messageExpression="self.routes.map(r, !(r.key in ['$connect', '$disconnect', '$default'] || (!r.key.startsWith('$') && !r.key.matches('[\\\\s]'))), 'route key ' + r.key)[0] + ' is not valid for a WEBSOCKET API: use $connect, $disconnect, $default or a custom key without spaces that does not start with $ (the value routeSelectionExpression picks, such as sendmessage)'",message="a route key is not valid for a WEBSOCKET API: use $connect, $disconnect, $default or a custom key without spaces that does not start with $ (the value routeSelectionExpression picks, such as sendmessage)",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="!has(self.routes) || sets.contains(has(self.integrations) ? self.integrations.map(i, i.name) : [], self.routes.map(r, r.integration))",messageExpression="[has(self.integrations) ? self.integrations.map(i, i.name) : []].map(names, self.routes.map(r, !(r.integration in names), 'route ' + r.key + ' names integration ' + r.integration + ', which spec.integrations does not declare; add an integration of that name, or fix the name'))[0][0]",message="a route names an integration that spec.integrations does not declare; add an integration of that name, or fix the name",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="!has(self.routes) || sets.contains(has(self.authorizers) ? self.authorizers.map(a, a.name) : [], self.routes.filter(r, has(r.authorizer)).map(r, r.authorizer))",messageExpression="[has(self.authorizers) ? self.authorizers.map(a, a.name) : []].map(names, self.routes.map(r, has(r.authorizer) && !(r.authorizer in names), 'route ' + r.key + ' names authorizer ' + r.authorizer + ', which spec.authorizers does not declare; add an authorizer of that name, or fix the name'))[0][0]",message="a route names an authorizer that spec.authorizers does not declare; add an authorizer of that name, or fix the name",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="!has(self.routes) || self.routes.all(r, !has(r.authorizationScopes) || size(r.authorizationScopes) == 0 || (has(r.authorizer) && has(self.authorizers) && self.authorizers.exists(a, a.name == r.authorizer && (has(a.jwt) || has(a.cognito)))))",message="authorizationScopes are checked only by a JWT (HTTP) or Cognito (REST) authorizer: set the route's authorizer to one, or remove authorizationScopes",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'WEBSOCKET' || !has(self.routes) || self.routes.all(r, r.key == '$connect' || (!has(r.authorizer) && !(has(r.iamAuthorization) && r.iamAuthorization)))",message="a WEBSOCKET API authorizes only the $connect route (AWS checks the connection once); move the authorizer or iamAuthorization to the $connect route",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'HTTP' || !has(self.routes) || self.routes.all(r, !(has(r.apiKeyRequired) && r.apiKeyRequired) && !has(r.requestParameters))",message="apiKeyRequired and route requestParameters exist only for REST and WEBSOCKET APIs (HTTP APIs have neither API keys nor declared parameters); remove them",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="!has(self.routes) || self.routes.all(r, !has(r.requestParameters) || r.requestParameters.all(k, k.startsWith(self.protocolType == 'REST' ? 'method.request.' : 'route.request.')))",message="route requestParameters are named method.request.... on REST APIs and route.request.... on WEBSOCKET APIs; rename the parameter for this API's protocol",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'WEBSOCKET' || !has(self.routes) || self.routes.all(r, !has(r.returnResponse))",message="returnResponse (a two-way route) exists only for WEBSOCKET APIs; HTTP and REST routes always answer: remove returnResponse",fieldPath=".routes"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'HTTP' || !has(self.integrations) || self.integrations.all(i, !has(i.mock))",message="mock integrations exist only for REST and WEBSOCKET APIs; on an HTTP API use a Lambda or HTTP backend",fieldPath=".integrations"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'HTTP' || !has(self.integrations) || self.integrations.all(i, !has(i.lambda) || !has(i.lambda.payloadFormatVersion) || i.lambda.payloadFormatVersion == '1.0')",message="payloadFormatVersion \"2.0\" exists only for HTTP APIs; REST and WEBSOCKET APIs send 1.0 events: remove payloadFormatVersion",fieldPath=".integrations"
// +kubebuilder:validation:XValidation:rule="!has(self.integrations) || self.integrations.all(i, !has(i.vpcLink) || has(i.vpcLink.listenerARN) == (self.protocolType == 'HTTP'))",message="a vpcLink integration names listenerARN on HTTP APIs and uri (the NLB's URL) on REST and WEBSOCKET APIs; use the field of this API's protocol",fieldPath=".integrations"
// +kubebuilder:validation:XValidation:rule="!has(self.integrations) || self.integrations.all(i, !has(i.timeoutMillis) || i.timeoutMillis <= (self.protocolType == 'HTTP' ? 30000 : (self.protocolType == 'REST' && self.endpointType != 'EDGE' ? 300000 : 29000)))",message="timeoutMillis is at most 30000 for HTTP APIs, 29000 for WEBSOCKET and EDGE REST APIs, and 300000 for REGIONAL and PRIVATE REST APIs (beyond 29000 after a quota increase); lower it",fieldPath=".integrations"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'HTTP' || !has(self.authorizers) || self.authorizers.all(a, !has(a.jwt))",message="jwt authorizers exist only for HTTP APIs; on a REST API use cognito (user pools) or lambda, on a WEBSOCKET API lambda",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'REST' || !has(self.authorizers) || self.authorizers.all(a, !has(a.cognito))",message="cognito authorizers exist only for REST APIs; on an HTTP API use jwt with the user pool's issuer (https://cognito-idp.REGION.amazonaws.com/POOL_ID), on a WEBSOCKET API lambda",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'HTTP' || !has(self.authorizers) || self.authorizers.all(a, !has(a.lambda) || (!has(a.lambda.payloadFormatVersion) && !has(a.lambda.simpleResponses)))",message="payloadFormatVersion and simpleResponses of a lambda authorizer exist only for HTTP APIs; remove them",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'REST' || !has(self.authorizers) || self.authorizers.all(a, !has(a.lambda) || !has(a.lambda.type) || a.lambda.type == 'REQUEST')",message="type: TOKEN exists only for REST APIs; HTTP and WEBSOCKET Lambda authorizers are REQUEST authorizers: remove type",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="!has(self.authorizers) || self.authorizers.all(a, !has(a.identitySource) || a.identitySource.all(s, self.protocolType == 'HTTP' ? s.startsWith('$') : (!s.startsWith('$') && !s.startsWith(self.protocolType == 'REST' ? 'route.' : 'method.'))))",message="identitySource entries take the protocol's form: $request.header.NAME on HTTP APIs, method.request.header.NAME on REST APIs, route.request.header.NAME on WEBSOCKET APIs (or the protocol's forms of querystring, context and stageVariables); fix the entry",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'REST' || !has(self.authorizers) || self.authorizers.all(a, !has(a.identitySource) || (has(a.lambda) && has(a.lambda.type) && a.lambda.type == 'REQUEST') || (size(a.identitySource) == 1 && a.identitySource[0].startsWith('method.request.header.')))",message="REST TOKEN and cognito authorizers read one header: set identitySource to one method.request.header.NAME entry (such as method.request.header.Authorization), or use a lambda authorizer of type: REQUEST",fieldPath=".authorizers"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'HTTP' || !has(self.stages) || self.stages.all(s, s.name != '$default')",message="the $default stage exists only for HTTP APIs; name the stage, such as prod",fieldPath=".stages"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'REST' || !has(self.stages) || self.stages.all(s, !has(s.autoDeploy))",message="autoDeploy exists only for HTTP and WEBSOCKET stages; the operator deploys REST stages on every change: remove autoDeploy",fieldPath=".stages"
// +kubebuilder:validation:XValidation:rule="self.protocolType != 'HTTP' || !has(self.stages) || self.stages.all(s, !has(s.loggingLevel) && !has(s.dataTrace) && (!has(s.routeSettings) || s.routeSettings.all(k, !has(s.routeSettings[k].loggingLevel) && !has(s.routeSettings[k].dataTrace))))",message="loggingLevel and dataTrace (execution logs) exist only for REST and WEBSOCKET stages; HTTP APIs log through accessLogs: remove them",fieldPath=".stages"
// +kubebuilder:validation:XValidation:rule="self.protocolType == 'REST' || !has(self.stages) || self.stages.all(s, !has(s.cache) && !has(s.tracing))",message="cache and tracing exist only for REST stages; remove them",fieldPath=".stages"
// +kubebuilder:validation:XValidation:rule="has(self.openAPI) || !has(self.stages) || self.stages.all(s, !has(s.routeSettings) || sets.contains(has(self.routes) ? self.routes.map(r, r.key) : [], s.routeSettings.map(k, k)))",messageExpression="[has(self.routes) ? self.routes.map(r, r.key) : []].map(keys, self.stages.map(s, has(s.routeSettings) && !sets.contains(keys, s.routeSettings.map(k, k)), 'stage ' + s.name + ' has routeSettings for a route key that spec.routes does not declare; declare the route, or fix the key (compared exactly with the keys of spec.routes, such as GET /orders/{id})'))[0][0]",message="a stage has routeSettings for a route key that spec.routes does not declare; declare the route, or fix the key",fieldPath=".stages"
type APIGatewaySpec struct {
	// The provider (account, region, credentials) that holds the API: an
	// AWSProvider of this namespace (the default), an AWSProvider of
	// another namespace that allows this one, or a ClusterAWSProvider
	// that allows this namespace.
	ProviderRef ProviderReference `json:"providerRef"`

	// Name of the API in AWS.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="name must not hold control characters (tabs, newlines, escapes); remove them"
	Name string `json:"name"`

	// Description of the API.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	// +kubebuilder:validation:XValidation:rule="!self.matches('[\\x00-\\x1f\\x7f]')",message="description must not hold control characters (tabs, newlines, escapes); write it on one line without them"
	Description string `json:"description,omitempty"`

	// REST (API Gateway v1), HTTP or WEBSOCKET (API Gateway v2). Immutable:
	// AWS cannot change the protocol of an API.
	// +optional
	// +kubebuilder:default=REST
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="protocolType is immutable: AWS cannot change the protocol of an API; create a new APIGateway with the other protocol instead"
	ProtocolType ProtocolType `json:"protocolType,omitempty"`

	// REGIONAL, EDGE or PRIVATE. EDGE and PRIVATE exist only for REST APIs.
	// A REST API moves between types as AWS allows (not PRIVATE to EDGE).
	// +optional
	// +kubebuilder:default=REGIONAL
	// +kubebuilder:validation:XValidation:rule="!(oldSelf == 'PRIVATE' && self == 'EDGE')",message="endpointType cannot change from PRIVATE to EDGE (AWS refuses it); change it to REGIONAL, or create a new APIGateway"
	EndpointType EndpointType `json:"endpointType,omitempty"`

	// Refuse requests on the default execute-api endpoint, so that clients
	// must use a custom domain name.
	// +optional
	DisableExecuteAPIEndpoint bool `json:"disableExecuteApiEndpoint,omitempty"`

	// CORS settings, for HTTP APIs only.
	// +optional
	CORSConfiguration *CORSConfiguration `json:"corsConfiguration,omitempty"`

	// Tag values are checked for length only. AWS's character set applies to
	// them too, but a map's values cannot be given a maxLength by a marker,
	// and a regular expression over 48 values the API server must cost as
	// 3 MiB strings each exceeds its CEL budget 12 times over, so the CRD
	// would be refused. Keys are checked in full.

	// Tags on the API, added to the provider's defaultTags (these win). Keys
	// starting with "aws:" are reserved by AWS. AWS allows 50 tags; the
	// operator adds two ownership tags of its own, so at most 48 are
	// allowed here, and the provider's defaultTags count too (checked
	// before any AWS call).
	// +optional
	// +kubebuilder:validation:MaxProperties=48
	// +kubebuilder:validation:XValidation:rule="self.all(k, size(k) >= 1 && size(k) <= 128 && size(self[k]) <= 256)",message="tag keys must be 1 to 128 characters and values at most 256 (AWS's limits); shorten or remove the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, !k.lowerAscii().startsWith('aws:'))",message="tag keys starting with aws: (in any case) are reserved by AWS; rename the tag"
	// +kubebuilder:validation:XValidation:rule="self.all(k, k.matches('^[\\\\p{L}\\\\p{Z}\\\\p{N}_.:/=+\\\\-@]*$'))",message="tag keys may hold only letters, digits, spaces and _ . : / = + - @ (AWS's character set); remove or replace the other characters"
	Tags map[string]string `json:"tags,omitempty"`

	// What happens to the AWS API when this object is deleted, or when it
	// moves to another account or region (the provider's region or
	// account changes, or providerRef names another provider): Delete (the
	// default) deletes it; Retain keeps it, tags and all; Orphan keeps it and
	// removes the ownership tags so that another object can adopt it.
	// +optional
	// +kubebuilder:default=Delete
	DeletionPolicy DeletionPolicy `json:"deletionPolicy,omitempty"`

	// WEBSOCKET only: how API Gateway picks the route of a message.
	// Defaults to $request.body.action.
	// +optional
	// +kubebuilder:validation:MaxLength=1024
	RouteSelectionExpression string `json:"routeSelectionExpression,omitempty"`

	// WEBSOCKET only: where API keys are read from.
	// +optional
	// +kubebuilder:validation:Enum=$request.header.x-api-key;$context.authorizer.usageIdentifierKey
	APIKeySelectionExpression string `json:"apiKeySelectionExpression,omitempty"`

	// REST with endpointType PRIVATE only: the VPC endpoints that get Route 53
	// aliases for this API.
	// +optional
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self.all(v, v.matches('^vpce-([0-9a-f]{8}|[0-9a-f]{17})$'))",message="vpcEndpointIds entries must be VPC endpoint ids such as vpce-0123456789abcdef0; fix the entry"
	// +kubebuilder:validation:XValidation:rule="self.all(v, self.exists_one(w, w == v))",message="vpcEndpointIds lists an endpoint twice; remove the duplicate"
	VPCEndpointIDs []string `json:"vpcEndpointIds,omitempty"`

	// The backends routes send requests to, by name. At most 300 (AWS's
	// quota for HTTP and WEBSOCKET APIs; a REST integration belongs to one
	// method, and REST allows 300 resources).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=300
	Integrations []Integration `json:"integrations,omitempty"`

	// The authorizers routes may name. At most 10 (AWS's quota).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=10
	Authorizers []Authorizer `json:"authorizers,omitempty"`

	// The routes, by key. At most 300 (AWS's quota of routes, and of REST
	// resources: every path segment of a REST route is a resource, shared
	// by the routes below it, so a REST API of many deep paths may reach
	// AWS's quota before 300 routes).
	// +optional
	// +listType=map
	// +listMapKey=key
	// +kubebuilder:validation:MaxItems=300
	Routes []Route `json:"routes,omitempty"`

	// The stages that serve the API, by name. At most 10 (AWS's quota).
	// +optional
	// +listType=map
	// +listMapKey=name
	// +kubebuilder:validation:MaxItems=10
	Stages []Stage `json:"stages,omitempty"`

	// An OpenAPI document that defines the routes, integrations and
	// authorizers instead (HTTP and REST APIs).
	// +optional
	OpenAPI *OpenAPISource `json:"openAPI,omitempty"`
}

// APIGatewayStatus is what the operator observed of the API in AWS. The API
// id is a cache of what the operator found: ownership is proved by the
// API's owner-uid tag, never by status.
type APIGatewayStatus struct {
	ManagedStatus `json:",inline"`
	// The AWS API id.
	// +optional
	APIID string `json:"apiId,omitempty"`
	// The invoke URL.
	// +optional
	APIEndpoint string `json:"apiEndpoint,omitempty"`
	// The protocol of the API in AWS.
	// +optional
	ProtocolType ProtocolType `json:"protocolType,omitempty"`
	// The API's ARN.
	// +optional
	ARN string `json:"arn,omitempty"`
	// The endpoint type of the API in AWS.
	// +optional
	EndpointType EndpointType `json:"endpointType,omitempty"`
	// What each stage serves.
	// +optional
	// +listType=map
	// +listMapKey=name
	Stages []StageStatus `json:"stages,omitempty"`
	// The number of routes the API has in AWS.
	// +optional
	RouteCount int32 `json:"routeCount,omitempty"`
	// The number of stages the API has in AWS.
	// +optional
	StageCount int32 `json:"stageCount,omitempty"`
	// The OpenAPI document last applied, when spec.openAPI is set.
	// +optional
	OpenAPI *OpenAPIStatus `json:"openAPI,omitempty"`
	// The Lambda invoke permissions the operator granted API Gateway, so
	// that the statement of a removed integration or authorizer is found
	// and removed. A statement is touched only when its id carries this
	// object's prefix, whatever status says.
	// +optional
	// +kubebuilder:validation:MaxItems=310
	InvokePermissions []InvokePermissionStatus `json:"invokePermissions,omitempty"`
	// The custom-domain URLs the stages are served at (their
	// spec.stages[].domains), once mapped.
	// +optional
	DomainMappings []DomainMapping `json:"domainMappings,omitempty"`
}

// APIGateway is an AWS API Gateway API (REST, HTTP or WebSocket) managed from Kubernetes.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=apigw,categories=aws
// +kubebuilder:printcolumn:name="Protocol",type=string,JSONPath=`.spec.protocolType`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="API-ID",type=string,JSONPath=`.status.apiId`
// +kubebuilder:printcolumn:name="Endpoint",type=string,JSONPath=`.status.apiEndpoint`
// +kubebuilder:printcolumn:name="Routes",type=integer,JSONPath=`.status.routeCount`,priority=1
// +kubebuilder:printcolumn:name="Stages",type=integer,JSONPath=`.status.stageCount`,priority=1
// +kubebuilder:printcolumn:name="Deployed",type=string,JSONPath=`.status.conditions[?(@.type=="Deployed")].status`,priority=1
// +kubebuilder:printcolumn:name="Status",type=string,JSONPath=`.status.conditions[?(@.type=="Ready")].reason`,priority=1
// +kubebuilder:printcolumn:name="Account",type=string,JSONPath=`.status.scope.accountID`,priority=1
// +kubebuilder:printcolumn:name="Region",type=string,JSONPath=`.status.scope.region`,priority=1
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
type APIGateway struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   APIGatewaySpec   `json:"spec"`
	Status APIGatewayStatus `json:"status,omitempty"`
}

// APIGatewayList is a list of APIGateways.
// +kubebuilder:object:root=true
type APIGatewayList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []APIGateway `json:"items"`
}

func init() {
	register(&APIGateway{}, &APIGatewayList{})
}
