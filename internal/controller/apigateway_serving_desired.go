package controller

import (
	"context"
	"maps"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
)

// servingOf is what the spec says the API serves, with the defaults admission
// cannot write (they depend on the protocol) filled in: HTTP payloads 2.0,
// REST Lambda authorizers TOKEN, v2 stages deployed automatically.
// VPC links named by vpcLinkRef are resolved to their AWS ids by links.
func servingOf(ctx context.Context, obj *v1alpha1.APIGateway, links *vpcLinkResolver) (serving.Serving, error) {
	spec := obj.Spec
	var s serving.Serving
	for _, in := range spec.Integrations {
		integration, err := integrationOf(ctx, links, spec.ProtocolType, in)
		if err != nil {
			return serving.Serving{}, err
		}
		s.Integrations = append(s.Integrations, integration)
	}
	for _, au := range spec.Authorizers {
		s.Authorizers = append(s.Authorizers, authorizerOf(spec.ProtocolType, au))
	}
	for _, r := range spec.Routes {
		s.Routes = append(s.Routes, routeOf(r))
	}
	for _, st := range spec.Stages {
		s.Stages = append(s.Stages, stageOf(spec.ProtocolType, st))
	}
	return s, nil
}

func integrationOf(ctx context.Context, links *vpcLinkResolver, protocol v1alpha1.ProtocolType, in v1alpha1.Integration) (serving.Integration, error) {
	out := serving.Integration{Name: in.Name, Description: in.Description, Mock: mockOf(in.Mock)}
	if in.TimeoutMillis != nil {
		out.TimeoutMillis = *in.TimeoutMillis
	}
	if len(in.RequestParameters) > 0 {
		out.RequestParameters = make(map[string]string, len(in.RequestParameters))
		for k, v := range in.RequestParameters {
			out.RequestParameters[k] = string(v)
		}
	}
	switch {
	case in.Lambda != nil:
		out.Lambda = &serving.LambdaIntegration{FunctionARN: in.Lambda.FunctionARN, PayloadFormatVersion: payloadVersion(protocol, in.Lambda.PayloadFormatVersion)}
	case in.HTTP != nil:
		out.HTTP = &serving.HTTPIntegration{URL: in.HTTP.URL, Method: string(in.HTTP.Method)}
	case in.VPCLink != nil:
		connectionID := in.VPCLink.VPCLinkID
		if ref := in.VPCLink.VPCLinkRef; ref != nil {
			id, err := resolveVPCLink(ctx, links, in.Name, *ref)
			if err != nil {
				return out, err
			}
			connectionID = id
		}
		out.VPCLink = &serving.VPCLinkIntegration{ConnectionID: connectionID, ListenerARN: in.VPCLink.ListenerARN, URI: in.VPCLink.URI, Method: string(in.VPCLink.Method)}
	}
	return out, nil
}

func mockOf(m *v1alpha1.MockIntegration) *serving.MockIntegration {
	if m == nil {
		return nil
	}
	return &serving.MockIntegration{StatusCode: m.StatusCode, Body: m.Body}
}

func routeOf(r v1alpha1.Route) serving.Route {
	out := serving.Route{
		Key: r.Key, Integration: r.Integration, Authorizer: r.Authorizer,
		AuthorizationScopes: r.AuthorizationScopes,
		APIKeyRequired:      isTrue(r.APIKeyRequired),
		IAMAuthorization:    isTrue(r.IAMAuthorization),
		ReturnResponse:      isTrue(r.ReturnResponse),
	}
	if len(r.RequestParameters) > 0 {
		out.RequestParameters = make(map[string]bool, len(r.RequestParameters))
		for name, p := range r.RequestParameters {
			out.RequestParameters[name] = p.Required
		}
	}
	return out
}

func isTrue(b *bool) bool { return b != nil && *b }

func authorizerOf(protocol v1alpha1.ProtocolType, au v1alpha1.Authorizer) serving.Authorizer {
	out := serving.Authorizer{Name: au.Name, IdentitySource: au.IdentitySource}
	switch {
	case au.JWT != nil:
		out.JWT = &serving.JWTAuthorizer{Issuer: au.JWT.Issuer, Audience: au.JWT.Audience}
	case au.Cognito != nil:
		out.Cognito = &serving.CognitoAuthorizer{UserPoolARNs: au.Cognito.UserPoolARNs}
	case au.Lambda != nil:
		l := au.Lambda
		kind := string(l.Type)
		if kind == "" && protocol == v1alpha1.ProtocolREST {
			kind = string(v1alpha1.LambdaAuthorizerToken)
		}
		out.Lambda = &serving.LambdaAuthorizer{
			FunctionARN: l.FunctionARN, Type: kind, ResultTTLSeconds: l.ResultTTLSeconds,
			PayloadFormatVersion:         payloadVersion(protocol, l.PayloadFormatVersion),
			SimpleResponses:              isTrue(l.SimpleResponses),
			IdentityValidationExpression: l.IdentityValidationExpression,
		}
	}
	return out
}

// payloadVersion is "2.0" on HTTP APIs unless the spec says otherwise, and
// nothing elsewhere (REST and WebSocket speak 1.0 only).
func payloadVersion(protocol v1alpha1.ProtocolType, v v1alpha1.PayloadFormatVersion) string {
	if protocol != v1alpha1.ProtocolHTTP {
		return ""
	}
	if v == "" {
		return string(v1alpha1.PayloadFormat2)
	}
	return string(v)
}

func stageOf(protocol v1alpha1.ProtocolType, st v1alpha1.Stage) serving.Stage {
	out := serving.Stage{
		Name: st.Name, Description: st.Description,
		AutoDeploy: protocol != v1alpha1.ProtocolREST && (st.AutoDeploy == nil || *st.AutoDeploy),
		Defaults:   routeSettingsOf(st.RouteSettings),
		Tracing:    isTrue(st.Tracing),
	}
	if len(st.PerRoute) > 0 {
		out.RouteSettings = make(map[string]serving.RouteSettings, len(st.PerRoute))
		for key, rs := range st.PerRoute {
			out.RouteSettings[key] = routeSettingsOf(rs)
		}
	}
	if st.AccessLogs != nil {
		out.AccessLogs = &serving.AccessLogs{DestinationARN: st.AccessLogs.DestinationARN, Format: st.AccessLogs.Format}
	}
	if len(st.Variables) > 0 {
		out.Variables = make(map[string]string, len(st.Variables))
		for k, v := range maps.All(st.Variables) {
			out.Variables[k] = string(v)
		}
	}
	if c := st.Cache; c != nil {
		out.Cache = &serving.Cache{Enabled: c.Enabled, Size: string(c.Size)}
		if c.TTLSeconds != nil {
			out.Cache.TTLSeconds = *c.TTLSeconds
		}
	}
	return out
}

func routeSettingsOf(rs v1alpha1.RouteSettings) serving.RouteSettings {
	return serving.RouteSettings{
		Throttling:      throttlingOf(rs.Throttling),
		DetailedMetrics: isTrue(rs.DetailedMetrics),
		LoggingLevel:    string(rs.LoggingLevel),
		DataTrace:       isTrue(rs.DataTrace),
	}
}

func throttlingOf(t *v1alpha1.Throttling) *serving.Throttling {
	if t == nil || (t.RateLimit == nil && t.BurstLimit == nil) {
		return nil
	}
	out := &serving.Throttling{}
	if t.RateLimit != nil {
		out.RateLimit = float64(*t.RateLimit)
	}
	if t.BurstLimit != nil {
		out.BurstLimit = *t.BurstLimit
	}
	return out
}
