package serving

import (
	"maps"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// restAuthorizationType is the authorization a method has: AWS_IAM, or
// what its authorizer gives.
func restAuthorizationType(r Route, authorizers map[string]*Authorizer) string {
	a := authorizers[r.Authorizer]
	switch {
	case r.IAMAuthorization:
		return "AWS_IAM"
	case a == nil:
		return "NONE"
	case a.Cognito != nil:
		return "COGNITO_USER_POOLS"
	default:
		return "CUSTOM"
	}
}

// paramsValidator is the name of the request validator that makes REST
// methods refuse requests without their required parameters: AWS checks
// them only for methods with a validator that validates parameters.
const paramsValidator = "params-only"

// restValidatorFields are the params-only validator's compared fields.
var restValidatorFields = fields{"validateRequestParameters": "true", "validateRequestBody": "false"}

func observedRestValidator(v types.RequestValidator) child {
	return child{ID: aws.ToString(v.Id), Key: aws.ToString(v.Name), Fields: fields{
		"validateRequestParameters": strconv.FormatBool(v.ValidateRequestParameters),
		"validateRequestBody":       strconv.FormatBool(v.ValidateRequestBody),
	}}
}

// requiresParameters reports whether a route declares a required parameter.
func requiresParameters(r Route) bool {
	for _, required := range r.RequestParameters {
		if required {
			return true
		}
	}
	return false
}

// restMethodRequest is what a method and its integration send: the route's
// own settings and declared parameters, plus the path parameters an HTTP
// integration's URL names, mapped from the method request as a proxy
// resource needs.
type restMethodRequest struct {
	methodParameters      map[string]bool
	integrationParameters map[string]string
}

func newRestMethodRequest(m restMethodRoute, in *Integration) restMethodRequest {
	req := restMethodRequest{methodParameters: map[string]bool{}, integrationParameters: map[string]string{}}
	maps.Copy(req.integrationParameters, in.RequestParameters)
	uri := restIntegrationURI(in)
	if uri != "" {
		for _, name := range pathParameters(m.Path) {
			if strings.Contains(uri, "{"+name+"}") {
				req.methodParameters["method.request.path."+name] = true
				if _, own := req.integrationParameters["integration.request.path."+name]; !own {
					req.integrationParameters["integration.request.path."+name] = "method.request.path." + name
				}
			}
		}
	}
	maps.Copy(req.methodParameters, m.Route.RequestParameters)
	return req
}

// restMockStatus is the status a REST MOCK integration answers.
func restMockStatus(mock *MockIntegration) string {
	if mock.StatusCode == 0 {
		return "200"
	}
	return strconv.Itoa(int(mock.StatusCode))
}

// restMockRequestTemplates make a MOCK integration answer its status: the
// request template's statusCode chooses the integration response.
func restMockRequestTemplates(mock *MockIntegration) map[string]string {
	return map[string]string{restContentType: `{"statusCode": ` + restMockStatus(mock) + `}`}
}

// restMockResponses are a MOCK integration's integration responses by
// status, each as its application/json template ("" for none): the body.
func restMockResponses(mock *MockIntegration) map[string]string {
	return map[string]string{restMockStatus(mock): mock.Body}
}

// restContentType is the content type of mock templates.
const restContentType = "application/json"

func restIntegrationURI(in *Integration) string {
	switch {
	case in.HTTP != nil:
		return in.HTTP.URL
	case in.VPCLink != nil:
		return in.VPCLink.URI
	}
	return ""
}

// restMethodFields are a desired method's compared fields, its
// integration's prefixed "integration.".
func restMethodFields(d *desiredState, m restMethodRoute) fields {
	in := d.integrations[m.Route.Integration]
	req := newRestMethodRequest(m, in)
	f := fields{
		"authorizationType":             restAuthorizationType(m.Route, d.authorizers),
		"authorizer":                    m.Route.Authorizer,
		"requestValidator":              "",
		"authorizationScopes":           canonical(sortedSet(m.Route.AuthorizationScopes)),
		"apiKeyRequired":                strconv.FormatBool(m.Route.APIKeyRequired),
		"requestParameters":             canonical(req.methodParameters),
		"integration.requestParameters": canonical(req.integrationParameters),
	}
	if requiresParameters(m.Route) {
		f["requestValidator"] = paramsValidator
	}
	if in.TimeoutMillis > 0 {
		f["integration.timeoutMillis"] = strconv.Itoa(int(in.TimeoutMillis))
	}
	switch {
	case in.Lambda != nil:
		f["integration.type"], f["integration.method"], f["integration.connectionType"] = "AWS_PROXY", "POST", "INTERNET"
		f["integration.uri"] = lambdaInvocationURI(d.region, in.Lambda.FunctionARN)
	case in.HTTP != nil:
		f["integration.type"], f["integration.connectionType"] = "HTTP_PROXY", "INTERNET"
		f["integration.uri"], f["integration.method"] = in.HTTP.URL, orDefault(in.HTTP.Method, "ANY")
	case in.VPCLink != nil:
		f["integration.type"], f["integration.connectionType"] = "HTTP_PROXY", "VPC_LINK"
		f["integration.connectionId"] = in.VPCLink.ConnectionID
		f["integration.uri"], f["integration.method"] = in.VPCLink.URI, orDefault(in.VPCLink.Method, "ANY")
	case in.Mock != nil:
		f["integration.type"] = "MOCK"
		f["integration.requestTemplates"] = canonical(restMockRequestTemplates(in.Mock))
		f["integration.responses"] = canonical(restMockResponses(in.Mock))
		f["responses"] = canonical([]string{restMockStatus(in.Mock)})
	}
	return f
}

func observedRestMethod(path string, m types.Method, authorizers, validators map[string]string) child {
	f := fields{
		"authorizationType":   aws.ToString(m.AuthorizationType),
		"authorizer":          referenceName(authorizers, aws.ToString(m.AuthorizerId)),
		"requestValidator":    referenceName(validators, aws.ToString(m.RequestValidatorId)),
		"authorizationScopes": canonical(sortedSet(m.AuthorizationScopes)),
		"apiKeyRequired":      strconv.FormatBool(aws.ToBool(m.ApiKeyRequired)),
		"requestParameters":   canonical(m.RequestParameters),
		"responses":           canonical(sortedKeys(m.MethodResponses)),
	}
	if i := m.MethodIntegration; i != nil {
		f["integration.type"] = string(i.Type)
		f["integration.method"] = aws.ToString(i.HttpMethod)
		f["integration.uri"] = aws.ToString(i.Uri)
		f["integration.connectionType"] = string(i.ConnectionType)
		f["integration.connectionId"] = aws.ToString(i.ConnectionId)
		f["integration.requestParameters"] = canonical(i.RequestParameters)
		f["integration.requestTemplates"] = canonical(i.RequestTemplates)
		f["integration.timeoutMillis"] = strconv.Itoa(int(i.TimeoutInMillis))
		templates := map[string]string{}
		for status, r := range i.IntegrationResponses {
			templates[status] = r.ResponseTemplates[restContentType]
		}
		f["integration.responses"] = canonical(templates)
	}
	verb := aws.ToString(m.HttpMethod)
	return child{Key: verb + " " + path, Fields: f}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	return sortedSet(keys)
}

func restAuthorizerType(a Authorizer) string {
	if a.Cognito != nil {
		return "COGNITO_USER_POOLS"
	}
	return orDefault(a.Lambda.Type, "REQUEST")
}

func restAuthorizerFields(region string, a Authorizer) fields {
	f := fields{"type": restAuthorizerType(a), "identitySource": join(a.IdentitySource)}
	if a.Cognito != nil {
		f["providerARNs"] = canonical(sortedSet(a.Cognito.UserPoolARNs))
		return f
	}
	f["uri"] = lambdaInvocationURI(region, a.Lambda.FunctionARN)
	f["identityValidationExpression"] = a.Lambda.IdentityValidationExpression
	if ttl := a.Lambda.ResultTTLSeconds; ttl != nil {
		f["ttl"] = strconv.Itoa(int(*ttl))
	}
	return f
}

func observedRestAuthorizer(a types.Authorizer) child {
	f := fields{
		"type":                         string(a.Type),
		"identitySource":               aws.ToString(a.IdentitySource),
		"providerARNs":                 canonical(sortedSet(a.ProviderARNs)),
		"uri":                          aws.ToString(a.AuthorizerUri),
		"identityValidationExpression": aws.ToString(a.IdentityValidationExpression),
	}
	if a.AuthorizerResultTtlInSeconds != nil {
		f["ttl"] = strconv.Itoa(int(*a.AuthorizerResultTtlInSeconds))
	}
	return child{ID: aws.ToString(a.Id), Key: aws.ToString(a.Name), Fields: f}
}

// restSetting is one method setting in the form both sides compare. AWS
// answers a setting's throttling as its account defaults when none was set
// (rate 10000, burst 5000): those read as unset.
type restSetting struct {
	Rate            *float64 `json:"rate,omitempty"`
	Burst           *int32   `json:"burst,omitempty"`
	DetailedMetrics bool     `json:"detailedMetrics,omitempty"`
	LoggingLevel    string   `json:"loggingLevel,omitempty"`
	DataTrace       bool     `json:"dataTrace,omitempty"`
	Caching         bool     `json:"caching,omitempty"`
	CacheTTL        int32    `json:"cacheTtl,omitempty"`
}

const (
	// accountRateLimit and accountBurstLimit are the account's throttling
	// in a region (AWS's default quota), shared by every API.
	accountRateLimit  = 10000
	accountBurstLimit = 5000
	// allMethods is the method-settings key of the whole stage.
	allMethods = "*/*"
)

func observedRestSetting(s types.MethodSetting) restSetting {
	rs := restSetting{
		DetailedMetrics: s.MetricsEnabled, DataTrace: s.DataTraceEnabled, LoggingLevel: aws.ToString(s.LoggingLevel),
		Caching: s.CachingEnabled,
	}
	if rs.LoggingLevel == "OFF" {
		rs.LoggingLevel = ""
	}
	if s.CachingEnabled {
		rs.CacheTTL = s.CacheTtlInSeconds
	}
	if s.ThrottlingRateLimit != accountRateLimit || s.ThrottlingBurstLimit != accountBurstLimit {
		rs.Rate, rs.Burst = aws.Float64(s.ThrottlingRateLimit), aws.Int32(s.ThrottlingBurstLimit)
	}
	return rs
}

// desiredMethodSettings are a stage's method settings by key: the stage's
// defaults and cache under */*, each route's settings under its method.
func desiredMethodSettings(s Stage) map[string]restSetting {
	settings := map[string]restSetting{}
	if s.Defaults.declared() || (s.Cache != nil && s.Cache.Enabled) {
		defaults := desiredRouteSetting(s.Defaults)
		all := restSetting{
			Rate: defaults.Rate, Burst: defaults.Burst, DetailedMetrics: defaults.DetailedMetrics,
			LoggingLevel: defaults.LoggingLevel, DataTrace: defaults.DataTrace,
		}
		if c := s.Cache; c != nil && c.Enabled {
			all.Caching, all.CacheTTL = true, c.TTLSeconds
		}
		settings[allMethods] = all
	}
	for key, rs := range s.RouteSettings {
		verb, path, _ := strings.Cut(key, " ")
		setting := desiredRouteSetting(rs)
		settings[methodSettingKey(path, verb)] = restSetting{
			Rate: setting.Rate, Burst: setting.Burst, DetailedMetrics: setting.DetailedMetrics,
			LoggingLevel: setting.LoggingLevel, DataTrace: setting.DataTrace,
		}
	}
	return settings
}

func restStageFields(s Stage) fields {
	f := fields{
		"description":    s.Description,
		"variables":      canonical(s.Variables),
		"methodSettings": canonicalSettings(desiredMethodSettings(s)),
		"cache":          "",
		"accessLogs":     "",
		"tracing":        strconv.FormatBool(s.Tracing),
	}
	if c := s.Cache; c != nil && c.Enabled {
		f["cache"] = orDefault(c.Size, "0.5")
	}
	if a := s.AccessLogs; a != nil {
		f["accessLogs"] = canonicalAccessLogs(a.DestinationARN, a.Format)
	}
	return f
}

func canonicalSettings(settings map[string]restSetting) string {
	if len(settings) == 0 {
		return ""
	}
	return canonical(settings)
}

func observedRestStage(s types.Stage) stage {
	settings := map[string]restSetting{}
	st := stage{Name: aws.ToString(s.StageName), DeploymentID: aws.ToString(s.DeploymentId)}
	for key, ms := range s.MethodSettings {
		settings[key] = observedRestSetting(ms)
		st.SettingKeys = append(st.SettingKeys, key)
	}
	for key := range s.Variables {
		st.VariableKeys = append(st.VariableKeys, key)
	}
	st.Fields = fields{
		"description":    aws.ToString(s.Description),
		"variables":      canonical(s.Variables),
		"methodSettings": canonicalSettings(settings),
		"cache":          "",
		"accessLogs":     "",
		"deployment":     st.DeploymentID,
		"tracing":        strconv.FormatBool(s.TracingEnabled),
	}
	if s.CacheClusterEnabled {
		st.Fields["cache"] = string(s.CacheClusterSize)
	}
	if a := s.AccessLogSettings; a != nil {
		st.Fields["accessLogs"] = canonicalAccessLogs(aws.ToString(a.DestinationArn), aws.ToString(a.Format))
		st.HasAccessLogs = st.Fields["accessLogs"] != ""
	}
	return st
}
