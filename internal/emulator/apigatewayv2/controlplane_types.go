package apigatewayv2

// The wire shapes of the control plane's further kinds (docs/aws-wire.md §4
// and botocore's apigatewayv2 model), stored as answered.

// Authorizer is the Authorizer object.
type Authorizer struct {
	AuthorizerCredentialsArn       *string           `json:"authorizerCredentialsArn,omitempty"`
	AuthorizerID                   string            `json:"authorizerId"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   *int64            `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerType                 string            `json:"authorizerType"`
	AuthorizerURI                  *string           `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 []string          `json:"identitySource,omitempty"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Name                           string            `json:"name"`
}

// JWTConfiguration is jwtConfiguration.
type JWTConfiguration struct {
	Audience []string `json:"audience,omitempty"`
	Issuer   *string  `json:"issuer,omitempty"`
}

// Model is the Model object.
type Model struct {
	ContentType *string `json:"contentType,omitempty"`
	Description *string `json:"description,omitempty"`
	ModelID     string  `json:"modelId"`
	Name        string  `json:"name"`
	Schema      *string `json:"schema,omitempty"`
}

// ModelTemplate is GetModelTemplate's answer.
type ModelTemplate struct {
	Value string `json:"value"`
}

// RouteResponse is the RouteResponse object (WebSocket APIs).
type RouteResponse struct {
	ModelSelectionExpression *string                         `json:"modelSelectionExpression,omitempty"`
	ResponseModels           map[string]string               `json:"responseModels,omitempty"`
	ResponseParameters       map[string]ParameterConstraints `json:"responseParameters,omitempty"`
	RouteResponseID          string                          `json:"routeResponseId"`
	RouteResponseKey         string                          `json:"routeResponseKey"`
}

// IntegrationResponse is the IntegrationResponse object (WebSocket APIs).
type IntegrationResponse struct {
	ContentHandlingStrategy     *string           `json:"contentHandlingStrategy,omitempty"`
	IntegrationResponseID       string            `json:"integrationResponseId"`
	IntegrationResponseKey      string            `json:"integrationResponseKey"`
	ResponseParameters          map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates           map[string]string `json:"responseTemplates,omitempty"`
	TemplateSelectionExpression *string           `json:"templateSelectionExpression,omitempty"`
}

// ensureConfig makes the maps of Config that a state file written before
// they existed leaves nil.
func (record *APIRecord) ensureConfig() {
	if record.Authorizers == nil {
		record.Authorizers = map[string]*Authorizer{}
	}
	if record.Models == nil {
		record.Models = map[string]*Model{}
	}
	if record.RouteResponses == nil {
		record.RouteResponses = map[string]map[string]*RouteResponse{}
	}
	if record.IntegrationResponses == nil {
		record.IntegrationResponses = map[string]map[string]*IntegrationResponse{}
	}
}
