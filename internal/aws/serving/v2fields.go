package serving

import (
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// integrationMark is how a v2 integration carries the name of the declared
// integration it is. v2 integrations have no name and take no tags, and a
// create whose answer is lost (a crash, a timeout) must be found again
// rather than made twice: the description is the one free-text member AWS
// keeps verbatim, plays no part in serving, and comes back in
// GetIntegrations. The user's own description follows the mark after a
// space (names hold no spaces).
const integrationMark = "infra-operator:integration="

func markedDescription(name, description string) string {
	if description == "" {
		return integrationMark + name
	}
	return integrationMark + name + " " + description
}

// markedName is the integration name a description carries, or "".
func markedName(description string) string {
	rest, ok := strings.CutPrefix(description, integrationMark)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	return name
}

// lambdaInvocationURI is API Gateway's URI for invoking a function from
// region, which REST integrations and every Lambda authorizer require and
// v2 integrations accept. The partition is the function's.
func lambdaInvocationURI(region, functionARN string) string {
	partition := "aws"
	if parts := strings.SplitN(functionARN, ":", 3); len(parts) == 3 {
		partition = parts[1]
	}
	return "arn:" + partition + ":apigateway:" + region + ":lambda:path/2015-03-31/functions/" + functionARN + "/invocations"
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// v2IntegrationFields are a desired integration's compared fields. Members
// an integration of its kind does not have (a connection id, request
// templates) are compared empty, so that what is left of an earlier kind is
// removed.
func v2IntegrationFields(protocol gateway.Protocol, region string, in Integration) fields {
	f := fields{
		"requestParameters": canonical(in.RequestParameters),
		"requestTemplates":  "",
		"connectionId":      "",
		"description":       markedDescription(in.Name, in.Description),
	}
	if in.TimeoutMillis > 0 {
		f["timeoutMillis"] = strconv.Itoa(int(in.TimeoutMillis))
	}
	http := protocol == gateway.ProtocolHTTP
	switch {
	case in.Lambda != nil:
		f["type"], f["uri"], f["connectionType"] = "AWS_PROXY", lambdaInvocationURI(region, in.Lambda.FunctionARN), "INTERNET"
		if http {
			f["payloadFormatVersion"] = orDefault(in.Lambda.PayloadFormatVersion, "2.0")
		} else {
			f["method"] = "POST"
		}
	case in.HTTP != nil:
		f["type"], f["uri"], f["connectionType"] = "HTTP_PROXY", in.HTTP.URL, "INTERNET"
		f["method"] = orDefault(in.HTTP.Method, "ANY")
	case in.VPCLink != nil:
		f["type"], f["connectionType"], f["connectionId"] = "HTTP_PROXY", "VPC_LINK", in.VPCLink.ConnectionID
		f["uri"] = in.VPCLink.URI
		if http {
			f["uri"] = in.VPCLink.ListenerARN
		}
		f["method"] = orDefault(in.VPCLink.Method, "ANY")
	case in.Mock != nil:
		f["type"] = "MOCK"
		f["requestTemplates"] = canonical(v2MockRequestTemplates)
		f["responses"] = canonical(v2MockResponses(in.Mock))
	}
	if http && f["type"] == "HTTP_PROXY" {
		f["payloadFormatVersion"] = "1.0"
	}
	return f
}

// v2MockRequestTemplates make a WebSocket MOCK integration succeed: its one
// template, chosen by the selection expression \$default, names the status.
var v2MockRequestTemplates = map[string]string{v2DefaultKey: `{"statusCode": 200}`}

const (
	// v2DefaultKey is the key of the route response, integration response
	// and template that apply when no other does.
	v2DefaultKey = "$default"
	// v2DefaultSelection is a selection expression that always selects
	// v2DefaultKey (the $ escaped, as AWS wants it).
	v2DefaultSelection = `\$default`
)

// v2MockResponses are a WebSocket MOCK integration's integration responses
// by key, each as its $default template: the body, sent back on two-way
// routes. A mock without a body needs none.
func v2MockResponses(mock *MockIntegration) map[string]string {
	if mock.Body == "" {
		return nil
	}
	return map[string]string{v2DefaultKey: mock.Body}
}

func observedV2Integration(i types.Integration, responses []types.IntegrationResponse) child {
	f := fields{
		"type":                 string(i.IntegrationType),
		"uri":                  aws.ToString(i.IntegrationUri),
		"method":               aws.ToString(i.IntegrationMethod),
		"connectionType":       string(i.ConnectionType),
		"connectionId":         aws.ToString(i.ConnectionId),
		"payloadFormatVersion": aws.ToString(i.PayloadFormatVersion),
		"requestParameters":    canonical(i.RequestParameters),
		"requestTemplates":     canonical(i.RequestTemplates),
		"description":          aws.ToString(i.Description),
	}
	if i.TimeoutInMillis != nil {
		f["timeoutMillis"] = strconv.Itoa(int(*i.TimeoutInMillis))
	}
	c := child{ID: aws.ToString(i.IntegrationId), Key: markedName(aws.ToString(i.Description)), Fields: f}
	templates := map[string]string{}
	for _, r := range responses {
		templates[aws.ToString(r.IntegrationResponseKey)] = r.ResponseTemplates[v2DefaultKey]
		c.ResponseIDs = append(c.ResponseIDs, aws.ToString(r.IntegrationResponseId))
	}
	f["responses"] = canonical(templates)
	return c
}

// v2AuthorizationType is the authorization a route has: AWS_IAM, or what
// its authorizer gives.
func v2AuthorizationType(r Route, authorizers map[string]*Authorizer) string {
	a := authorizers[r.Authorizer]
	switch {
	case r.IAMAuthorization:
		return "AWS_IAM"
	case a == nil:
		return "NONE"
	case a.JWT != nil:
		return "JWT"
	default:
		return "CUSTOM"
	}
}

// v2RouteFields are a desired route's compared fields; authorizers are the
// declared ones by name.
func v2RouteFields(protocol gateway.Protocol, r Route, authorizers map[string]*Authorizer) fields {
	f := fields{
		"integration":         r.Integration,
		"authorizationType":   v2AuthorizationType(r, authorizers),
		"authorizer":          r.Authorizer,
		"authorizationScopes": canonical(sortedSet(r.AuthorizationScopes)),
	}
	if protocol == gateway.ProtocolWebSocket {
		f["apiKeyRequired"] = strconv.FormatBool(r.APIKeyRequired)
		f["requestParameters"] = canonical(r.RequestParameters)
		f["routeResponseSelectionExpression"], f["routeResponses"] = "", ""
		if r.ReturnResponse {
			f["routeResponseSelectionExpression"] = v2DefaultKey
			f["routeResponses"] = canonical([]string{v2DefaultKey})
		}
	}
	return f
}

func observedV2Route(r types.Route, responses []types.RouteResponse, integrations, authorizers map[string]string) child {
	parameters := map[string]bool{}
	for name, constraints := range r.RequestParameters {
		parameters[name] = aws.ToBool(constraints.Required)
	}
	c := child{ID: aws.ToString(r.RouteId), Key: aws.ToString(r.RouteKey), Fields: fields{
		"integration":                      referenceName(integrations, strings.TrimPrefix(aws.ToString(r.Target), "integrations/")),
		"authorizationType":                string(r.AuthorizationType),
		"authorizer":                       referenceName(authorizers, aws.ToString(r.AuthorizerId)),
		"authorizationScopes":              canonical(sortedSet(r.AuthorizationScopes)),
		"apiKeyRequired":                   strconv.FormatBool(aws.ToBool(r.ApiKeyRequired)),
		"requestParameters":                canonical(parameters),
		"routeResponseSelectionExpression": aws.ToString(r.RouteResponseSelectionExpression),
	}}
	var keys []string
	for _, rr := range responses {
		keys = append(keys, aws.ToString(rr.RouteResponseKey))
		c.ResponseIDs = append(c.ResponseIDs, aws.ToString(rr.RouteResponseId))
	}
	c.Fields["routeResponses"] = canonical(sortedSet(keys))
	return c
}

// v2IdentitySource is AWS's default for a JWT authorizer when none is given.
const v2IdentitySource = "$request.header.Authorization"

func v2AuthorizerFields(protocol gateway.Protocol, region string, a Authorizer) fields {
	f := fields{"identitySource": canonical(a.IdentitySource)}
	switch {
	case a.JWT != nil:
		f["type"], f["issuer"], f["audience"] = "JWT", a.JWT.Issuer, canonical(sortedSet(a.JWT.Audience))
		if len(a.IdentitySource) == 0 {
			f["identitySource"] = canonical([]string{v2IdentitySource})
		}
	case a.Lambda != nil:
		f["type"], f["uri"] = "REQUEST", lambdaInvocationURI(region, a.Lambda.FunctionARN)
		if a.Lambda.ResultTTLSeconds != nil {
			f["ttl"] = strconv.Itoa(int(*a.Lambda.ResultTTLSeconds))
		}
		if protocol == gateway.ProtocolHTTP {
			f["payloadFormatVersion"] = orDefault(a.Lambda.PayloadFormatVersion, "2.0")
			f["simpleResponses"] = strconv.FormatBool(a.Lambda.SimpleResponses)
		}
	}
	return f
}

func observedV2Authorizer(a types.Authorizer) child {
	f := fields{
		"type":                 string(a.AuthorizerType),
		"uri":                  aws.ToString(a.AuthorizerUri),
		"identitySource":       canonical(a.IdentitySource),
		"payloadFormatVersion": aws.ToString(a.AuthorizerPayloadFormatVersion),
		"simpleResponses":      strconv.FormatBool(aws.ToBool(a.EnableSimpleResponses)),
	}
	if jwt := a.JwtConfiguration; jwt != nil {
		f["issuer"], f["audience"] = aws.ToString(jwt.Issuer), canonical(sortedSet(jwt.Audience))
	}
	if a.AuthorizerResultTtlInSeconds != nil {
		f["ttl"] = strconv.Itoa(int(*a.AuthorizerResultTtlInSeconds))
	}
	return child{ID: aws.ToString(a.AuthorizerId), Key: aws.ToString(a.Name), Fields: f}
}

// routeSetting is one route's settings in the form both sides compare.
type routeSetting struct {
	Rate            *float64 `json:"rate,omitempty"`
	Burst           *int32   `json:"burst,omitempty"`
	DetailedMetrics bool     `json:"detailedMetrics,omitempty"`
	LoggingLevel    string   `json:"loggingLevel,omitempty"`
	DataTrace       bool     `json:"dataTrace,omitempty"`
}

func desiredRouteSetting(s RouteSettings) routeSetting {
	rs := routeSetting{DetailedMetrics: s.DetailedMetrics, DataTrace: s.DataTrace, LoggingLevel: s.LoggingLevel}
	if s.LoggingLevel == "OFF" {
		rs.LoggingLevel = ""
	}
	if t := s.Throttling; t != nil {
		rs.Rate, rs.Burst = aws.Float64(t.RateLimit), aws.Int32(t.BurstLimit)
	}
	return rs
}

func observedRouteSetting(s types.RouteSettings) routeSetting {
	rs := routeSetting{
		Rate: s.ThrottlingRateLimit, Burst: s.ThrottlingBurstLimit,
		DetailedMetrics: aws.ToBool(s.DetailedMetricsEnabled), DataTrace: aws.ToBool(s.DataTraceEnabled),
		LoggingLevel: string(s.LoggingLevel),
	}
	if rs.LoggingLevel == "OFF" {
		rs.LoggingLevel = ""
	}
	return rs
}

// toV2RouteSettings are settings as v2 takes them. WebSocket settings
// carry every execution-log member, so that a change back to AWS's default
// (OFF, no data trace) is sent too; HTTP APIs have none.
func toV2RouteSettings(protocol gateway.Protocol, s RouteSettings) types.RouteSettings {
	rs := types.RouteSettings{DetailedMetricsEnabled: aws.Bool(s.DetailedMetrics)}
	if protocol == gateway.ProtocolWebSocket {
		rs.LoggingLevel = types.LoggingLevel(orDefault(s.LoggingLevel, "OFF"))
		rs.DataTraceEnabled = aws.Bool(s.DataTrace)
	}
	if t := s.Throttling; t != nil {
		rs.ThrottlingRateLimit, rs.ThrottlingBurstLimit = aws.Float64(t.RateLimit), aws.Int32(t.BurstLimit)
	}
	return rs
}

// declared reports whether any setting is set.
func (s RouteSettings) declared() bool {
	return s.Throttling != nil || s.DetailedMetrics || s.LoggingLevel != "" || s.DataTrace
}

// canonicalDefaultSetting is a stage's default route settings as compared.
// A stage's throttling, once set, cannot be unset (UpdateStage merges, and
// 0 blocks every request), so it is reset to the account's own limits,
// which read as unset as they do on REST stages.
func canonicalDefaultSetting(rs routeSetting) string {
	if rs.Rate != nil && rs.Burst != nil && *rs.Rate == accountRateLimit && *rs.Burst == accountBurstLimit {
		rs.Rate, rs.Burst = nil, nil
	}
	return canonical(rs)
}

func canonicalRouteSettings[S any](settings map[string]S, normal func(S) routeSetting) string {
	if len(settings) == 0 {
		return ""
	}
	normalised := make(map[string]routeSetting, len(settings))
	for key, s := range settings {
		normalised[key] = normal(s)
	}
	return canonical(normalised)
}

func canonicalAccessLogs(destination, format string) string {
	if destination == "" && format == "" {
		return ""
	}
	return canonical([]string{destination, format})
}

// v2StageFields are a desired stage's compared fields (the deployment is
// added by the deployment planner).
func v2StageFields(s Stage) fields {
	f := fields{
		"autoDeploy":           strconv.FormatBool(s.AutoDeploy),
		"defaultRouteSettings": canonicalDefaultSetting(desiredRouteSetting(s.Defaults)),
		"routeSettings":        canonicalRouteSettings(s.RouteSettings, desiredRouteSetting),
		"variables":            canonical(s.Variables),
		"accessLogs":           "",
	}
	if s.Description != "" {
		f["description"] = s.Description
	}
	if a := s.AccessLogs; a != nil {
		f["accessLogs"] = canonicalAccessLogs(a.DestinationARN, a.Format)
	}
	return f
}

func observedV2Stage(s types.Stage) stage {
	st := stage{
		Name:         aws.ToString(s.StageName),
		DeploymentID: aws.ToString(s.DeploymentId),
		AutoDeploy:   aws.ToBool(s.AutoDeploy),
		Fields: fields{
			"description":          aws.ToString(s.Description),
			"autoDeploy":           strconv.FormatBool(aws.ToBool(s.AutoDeploy)),
			"routeSettings":        canonicalRouteSettings(s.RouteSettings, observedRouteSetting),
			"variables":            canonical(s.StageVariables),
			"deployment":           aws.ToString(s.DeploymentId),
			"defaultRouteSettings": canonicalDefaultSetting(routeSetting{}),
		},
	}
	if d := s.DefaultRouteSettings; d != nil {
		st.Fields["defaultRouteSettings"] = canonicalDefaultSetting(observedRouteSetting(*d))
	}
	if a := s.AccessLogSettings; a != nil {
		st.Fields["accessLogs"] = canonicalAccessLogs(aws.ToString(a.DestinationArn), aws.ToString(a.Format))
		st.HasAccessLogs = st.Fields["accessLogs"] != ""
	}
	for key := range s.RouteSettings {
		st.SettingKeys = append(st.SettingKeys, key)
	}
	for key := range s.StageVariables {
		st.VariableKeys = append(st.VariableKeys, key)
	}
	return st
}
