package restplane

// Source is what the REST plane reads of the control plane, per request.
// The control plane implements it (apigateway/restplane.go); the plane
// never sees its state otherwise, so the two evolve on their own.
type Source interface {
	// DeployedAPI returns the deployed view of a REST API by id, whatever
	// its account or region (API ids are unique across the emulator, as the
	// execute-api host names them without an account).
	DeployedAPI(apiID string) (API, bool)
	// KeyUsage finds, in the account and region of an API, the enabled API
	// key whose value is keyValue and the usage plan that holds it and
	// includes apiID/stage. Found is false when there is no such key or
	// plan: API Gateway then answers 403 Forbidden.
	KeyUsage(account, region, apiID, stage, keyValue string) KeyUsage
}

// API is the deployed view of one REST API.
type API struct {
	ID, Account, Region string
	// APIKeySource is HEADER (x-api-key) or AUTHORIZER (the Lambda
	// authorizer's usageIdentifierKey).
	APIKeySource              string
	DisableExecuteAPIEndpoint bool
	// Stages by name.
	Stages map[string]Stage
}

// Stage is one stage and what it serves.
type Stage struct {
	Name      string
	Variables map[string]string
	// Throttles are the stage's method settings' throttling by key:
	// "*/*" for the whole stage, "/resource/path/METHOD" for one method.
	Throttles map[string]Throttle
	// Deployment is nil when the stage's deployment is gone.
	Deployment *Deployment
}

// Deployment is the snapshot a stage serves: the API as it was when the
// deployment was created.
type Deployment struct {
	ID          string
	Resources   []Resource
	Authorizers map[string]Authorizer
	Validators  map[string]Validator
	// GatewayResponses are the API's customised gateway responses, by type
	// (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN...); types not here answer
	// AWS's defaults.
	GatewayResponses map[string]GatewayResponse
}

// Resource is one resource of the tree, with its full path such as
// "/pets/{id}" or "/{proxy+}".
type Resource struct {
	ID, Path string
	// Methods by verb (GET... or ANY).
	Methods map[string]Method
}

// Method is one method of a resource.
type Method struct {
	HTTPMethod string
	// AuthorizationType is NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS.
	AuthorizationType   string
	AuthorizerID        string
	AuthorizationScopes []string
	APIKeyRequired      bool
	RequestValidatorID  string
	// RequestParameters are method.request.{location}.{name} → required.
	RequestParameters map[string]bool
	// Integration is nil when the method has none (AWS refuses to deploy
	// that, but a snapshot of an older state may hold one).
	Integration *Integration
}

// Integration is a method's integration.
type Integration struct {
	Type string // HTTP, HTTP_PROXY, MOCK, AWS_PROXY, AWS
	// HTTPMethod is the method sent to an HTTP backend.
	HTTPMethod string
	URI        string
	// RequestParameters are integration.request.{location}.{name} → source.
	RequestParameters map[string]string
	// RequestTemplates by content type.
	RequestTemplates map[string]string
	// PassthroughBehavior is WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER.
	PassthroughBehavior string
	TimeoutMillis       int64
	// Responses are the integration responses, by status code order.
	Responses []IntegrationResponse
}

// IntegrationResponse maps a backend answer to the method's answer.
type IntegrationResponse struct {
	StatusCode string
	// SelectionPattern is a regular expression on the backend's status code
	// (HTTP, MOCK) or error message (Lambda); "" or absent marks the
	// default response.
	SelectionPattern string
	// ResponseParameters are method.response.header.{name} → source.
	ResponseParameters map[string]string
	// ResponseTemplates by content type.
	ResponseTemplates map[string]string
}

// Authorizer is one authorizer of the deployment.
type Authorizer struct {
	ID, Name string
	Type     string // TOKEN, REQUEST, COGNITO_USER_POOLS
	// AuthorizerURI is the Lambda invocation URI of TOKEN and REQUEST.
	AuthorizerURI string
	// IdentitySource is the stored comma-separated list, such as
	// "method.request.header.Authorization".
	IdentitySource               string
	IdentityValidationExpression string
	// ResultTTLSeconds is nil when unset (AWS's default of 300 applies).
	ResultTTLSeconds *int64
	ProviderARNs     []string
}

// Validator is a request validator.
type Validator struct {
	ValidateRequestParameters, ValidateRequestBody bool
}

// GatewayResponse is a customised gateway response.
type GatewayResponse struct {
	// StatusCode is "" when the customisation keeps the type's status.
	StatusCode string
	// ResponseParameters are gatewayresponse.header.{name} → source.
	ResponseParameters map[string]string
	// ResponseTemplates by content type.
	ResponseTemplates map[string]string
}

// KeyUsage is an API key and the usage plan it is used under.
type KeyUsage struct {
	Found         bool
	KeyID, PlanID string
	// Throttle is the plan's throttle for the stage (the stage's own in the
	// plan, else the plan's); nil for none.
	Throttle *Throttle
	// MethodThrottles are the plan's per-method throttles for the stage,
	// by "/resource/path/METHOD".
	MethodThrottles map[string]Throttle
	// Quota is nil for none.
	Quota *Quota
}

// Throttle is a token bucket: RateLimit requests per second, up to
// BurstLimit at once.
type Throttle struct {
	BurstLimit int64
	RateLimit  float64
}

// Quota is a number of requests per period (DAY, WEEK or MONTH), the
// period starting Offset days after its natural start.
type Quota struct {
	Limit, Offset int64
	Period        string
}
