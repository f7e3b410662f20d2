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
}

// APIGateway is an AWS API Gateway API (REST, HTTP or WebSocket) managed from Kubernetes.
// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:resource:shortName=apigw,categories=aws
// +kubebuilder:printcolumn:name="Protocol",type=string,JSONPath=`.spec.protocolType`
// +kubebuilder:printcolumn:name="Ready",type=boolean,JSONPath=`.status.ready`
// +kubebuilder:printcolumn:name="API-ID",type=string,JSONPath=`.status.apiId`
// +kubebuilder:printcolumn:name="Endpoint",type=string,JSONPath=`.status.apiEndpoint`
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
