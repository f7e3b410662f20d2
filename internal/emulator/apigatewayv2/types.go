package apigatewayv2

import "time"

// The v2 wire shapes. Field names are the apigatewayv2 JSON member names
// (docs/aws-wire.md §4). Records are stored in these shapes too,
// so responses and the state file never drift apart.

// API is the Api object.
type API struct {
	APIEndpoint               string            `json:"apiEndpoint,omitempty"`
	APIGatewayManaged         bool              `json:"apiGatewayManaged,omitempty"`
	APIID                     string            `json:"apiId"`
	APIKeySelectionExpression string            `json:"apiKeySelectionExpression,omitempty"`
	CorsConfiguration         *Cors             `json:"corsConfiguration,omitempty"`
	CreatedDate               time.Time         `json:"createdDate"`
	Description               *string           `json:"description,omitempty"`
	DisableExecuteAPIEndpoint bool              `json:"disableExecuteApiEndpoint"`
	DisableSchemaValidation   *bool             `json:"disableSchemaValidation,omitempty"`
	IPAddressType             string            `json:"ipAddressType,omitempty"`
	Name                      string            `json:"name"`
	ProtocolType              string            `json:"protocolType"`
	RouteSelectionExpression  string            `json:"routeSelectionExpression"`
	Tags                      map[string]string `json:"tags"`
	Version                   *string           `json:"version,omitempty"`
}

// Cors is corsConfiguration.
type Cors struct {
	AllowCredentials *bool    `json:"allowCredentials,omitempty"`
	AllowHeaders     []string `json:"allowHeaders,omitempty"`
	AllowMethods     []string `json:"allowMethods,omitempty"`
	AllowOrigins     []string `json:"allowOrigins,omitempty"`
	ExposeHeaders    []string `json:"exposeHeaders,omitempty"`
	MaxAge           *int64   `json:"maxAge,omitempty"`
}

// QuickCreate holds CreateApi's quick-create members, which the Api object
// does not echo.
type QuickCreate struct {
	CredentialsArn *string `json:"credentialsArn"`
	RouteKey       *string `json:"routeKey"`
	Target         *string `json:"target"`
}

// Route is the Route object.
type Route struct {
	APIGatewayManaged                bool                            `json:"apiGatewayManaged,omitempty"`
	APIKeyRequired                   bool                            `json:"apiKeyRequired"`
	AuthorizationScopes              []string                        `json:"authorizationScopes,omitempty"`
	AuthorizationType                string                          `json:"authorizationType"`
	AuthorizerID                     *string                         `json:"authorizerId,omitempty"`
	ModelSelectionExpression         *string                         `json:"modelSelectionExpression,omitempty"`
	OperationName                    *string                         `json:"operationName,omitempty"`
	RequestModels                    map[string]string               `json:"requestModels,omitempty"`
	RequestParameters                map[string]ParameterConstraints `json:"requestParameters,omitempty"`
	RouteID                          string                          `json:"routeId"`
	RouteKey                         string                          `json:"routeKey"`
	RouteResponseSelectionExpression *string                         `json:"routeResponseSelectionExpression,omitempty"`
	Target                           *string                         `json:"target,omitempty"`
}

// ParameterConstraints is the ParameterConstraints object: whether a route's
// request parameter is required.
type ParameterConstraints struct {
	Required *bool `json:"required,omitempty"`
}

// Integration is the Integration object.
type Integration struct {
	APIGatewayManaged                      bool                         `json:"apiGatewayManaged,omitempty"`
	ConnectionID                           *string                      `json:"connectionId,omitempty"`
	ConnectionType                         string                       `json:"connectionType,omitempty"`
	ContentHandlingStrategy                *string                      `json:"contentHandlingStrategy,omitempty"`
	CredentialsArn                         *string                      `json:"credentialsArn,omitempty"`
	Description                            *string                      `json:"description,omitempty"`
	IntegrationID                          string                       `json:"integrationId"`
	IntegrationMethod                      *string                      `json:"integrationMethod,omitempty"`
	IntegrationResponseSelectionExpression *string                      `json:"integrationResponseSelectionExpression,omitempty"`
	IntegrationSubtype                     *string                      `json:"integrationSubtype,omitempty"`
	IntegrationType                        string                       `json:"integrationType"`
	IntegrationURI                         *string                      `json:"integrationUri,omitempty"`
	PassthroughBehavior                    *string                      `json:"passthroughBehavior,omitempty"`
	PayloadFormatVersion                   *string                      `json:"payloadFormatVersion,omitempty"`
	RequestParameters                      map[string]string            `json:"requestParameters,omitempty"`
	RequestTemplates                       map[string]string            `json:"requestTemplates,omitempty"`
	ResponseParameters                     map[string]map[string]string `json:"responseParameters,omitempty"`
	TemplateSelectionExpression            *string                      `json:"templateSelectionExpression,omitempty"`
	TimeoutInMillis                        *int64                       `json:"timeoutInMillis,omitempty"`
	TLSConfig                              *TLSConfig                   `json:"tlsConfig,omitempty"`
}

// TLSConfig is the TlsConfig object of a private integration.
type TLSConfig struct {
	ServerNameToVerify *string `json:"serverNameToVerify,omitempty"`
}

// Stage is the Stage object.
type Stage struct {
	AccessLogSettings           *AccessLogSettings       `json:"accessLogSettings,omitempty"`
	APIGatewayManaged           bool                     `json:"apiGatewayManaged,omitempty"`
	AutoDeploy                  bool                     `json:"autoDeploy"`
	ClientCertificateID         *string                  `json:"clientCertificateId,omitempty"`
	CreatedDate                 time.Time                `json:"createdDate"`
	DefaultRouteSettings        *RouteSettings           `json:"defaultRouteSettings,omitempty"`
	DeploymentID                *string                  `json:"deploymentId,omitempty"`
	Description                 *string                  `json:"description,omitempty"`
	LastDeploymentStatusMessage *string                  `json:"lastDeploymentStatusMessage,omitempty"`
	LastUpdatedDate             time.Time                `json:"lastUpdatedDate"`
	RouteSettings               map[string]RouteSettings `json:"routeSettings"`
	StageName                   string                   `json:"stageName"`
	StageVariables              map[string]string        `json:"stageVariables"`
	Tags                        map[string]string        `json:"tags"`
}

// AccessLogSettings is the AccessLogSettings object of a stage.
type AccessLogSettings struct {
	DestinationArn *string `json:"destinationArn,omitempty"`
	Format         *string `json:"format,omitempty"`
}

// RouteSettings is the RouteSettings object: a stage's default, or per route
// key, logging, metrics and throttling.
type RouteSettings struct {
	DataTraceEnabled       *bool    `json:"dataTraceEnabled,omitempty"`
	DetailedMetricsEnabled *bool    `json:"detailedMetricsEnabled,omitempty"`
	LoggingLevel           *string  `json:"loggingLevel,omitempty"`
	ThrottlingBurstLimit   *int64   `json:"throttlingBurstLimit,omitempty"`
	ThrottlingRateLimit    *float64 `json:"throttlingRateLimit,omitempty"`
}

// Deployment is the Deployment object.
type Deployment struct {
	AutoDeployed            bool      `json:"autoDeployed"`
	CreatedDate             time.Time `json:"createdDate"`
	DeploymentID            string    `json:"deploymentId"`
	DeploymentStatus        string    `json:"deploymentStatus"`
	DeploymentStatusMessage *string   `json:"deploymentStatusMessage,omitempty"`
	Description             *string   `json:"description,omitempty"`
}

// Page is the shape of every v2 list response.
type Page[T any] struct {
	Items     []T    `json:"items"`
	NextToken string `json:"nextToken,omitempty"`
}

// APIRecord is an API and everything under it.
type APIRecord struct {
	API          API                          `json:"api"`
	Routes       map[string]*Route            `json:"routes"`
	Integrations map[string]*Integration      `json:"integrations"`
	Stages       map[string]*Stage            `json:"stages"`
	Deployments  map[string]*DeploymentRecord `json:"deployments"`
	Config
}

// Config is what an API holds besides its routes and integrations and
// what a deployment freezes with them: authorizers, models, and the
// WebSocket route and integration responses, by route and integration id.
type Config struct {
	Authorizers          map[string]*Authorizer                     `json:"authorizers,omitempty"`
	Models               map[string]*Model                          `json:"models,omitempty"`
	RouteResponses       map[string]map[string]*RouteResponse       `json:"routeResponses,omitempty"`
	IntegrationResponses map[string]map[string]*IntegrationResponse `json:"integrationResponses,omitempty"`
}

// DeploymentRecord is a deployment and the routes and integrations it
// froze: what a stage pointing at it serves.
type DeploymentRecord struct {
	Deployment   Deployment              `json:"deployment"`
	Routes       map[string]*Route       `json:"routes"`
	Integrations map[string]*Integration `json:"integrations"`
	Config
	// Selection is the API's selection expressions as deployed (WebSocket
	// APIs route each message by them); nil in state files written before
	// it was frozen, when the API's current ones are served.
	Selection *SelectionExpressions `json:"selection,omitempty"`
}

// SelectionExpressions are an API's routeSelectionExpression and
// apiKeySelectionExpression, which a deployment freezes.
type SelectionExpressions struct {
	Route  string `json:"routeSelectionExpression"`
	APIKey string `json:"apiKeySelectionExpression,omitempty"`
}

// World is one account and region's APIs.
type World struct {
	APIs map[string]*APIRecord `json:"apis"`
}
