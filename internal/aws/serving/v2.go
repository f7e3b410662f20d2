package serving

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// v2PageSize is the page size of the v2 child lists, as for GetApis: the
// model types maxResults as a free string; 100 is what clients rely on.
const v2PageSize = "100"

// v2List walks one v2 child list: page asks for the page a token names.
func v2List[T any](ctx context.Context, page func(ctx context.Context, token *string) ([]T, *string, error)) ([]T, error) {
	return gateway.WalkPages(ctx, page)
}

func (c *Client) observeV2(ctx context.Context, o *Observed, responseResync time.Duration) error {
	id := aws.String(o.API.ID)
	integrations, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.Integration, *string, error) {
		out, err := c.v2.GetIntegrations(ctx, &apigatewayv2.GetIntegrationsInput{ApiId: id, MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return err
	}
	authorizers, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.Authorizer, *string, error) {
		out, err := c.v2.GetAuthorizers(ctx, &apigatewayv2.GetAuthorizersInput{ApiId: id, MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return err
	}
	routes, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.Route, *string, error) {
		out, err := c.v2.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: id, MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return err
	}
	stages, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.Stage, *string, error) {
		out, err := c.v2.GetStages(ctx, &apigatewayv2.GetStagesInput{ApiId: id, MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return err
	}
	deployments, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.Deployment, *string, error) {
		out, err := c.v2.GetDeployments(ctx, &apigatewayv2.GetDeploymentsInput{ApiId: id, MaxResults: aws.String(v2PageSize), NextToken: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.NextToken, nil
	})
	if err != nil {
		return err
	}
	integrationResponses, routeResponses, err := c.v2Responses(ctx, o.API.ID, integrations, routes, responseResync)
	if err != nil {
		return err
	}
	o.fillV2(integrations, integrationResponses, authorizers, routes, routeResponses, stages, deployments)
	return nil
}

// v2Responses are the responses of the API's children: those the last
// full read found when it is younger than responseResync and was of the
// same children (see responseCache), else read now.
func (c *Client) v2Responses(ctx context.Context, apiID string, integrations []types.Integration, routes []types.Route, responseResync time.Duration) (map[string][]types.IntegrationResponse, map[string][]types.RouteResponse, error) {
	children := respondingChildren(integrations, routes)
	if children == "" {
		return nil, nil, nil
	}
	if cached, ok := c.responses.recent(apiID, children, responseResync); ok {
		return cached.integrations, cached.routes, nil
	}
	integrationResponses, routeResponses, err := c.observeV2Responses(ctx, aws.String(apiID), integrations, routes)
	if err != nil {
		return nil, nil, err
	}
	c.responses.store(apiID, cachedResponses{readAt: time.Now(), children: children, integrations: integrationResponses, routes: routeResponses})
	return integrationResponses, routeResponses, nil
}

// observeV2Responses reads the responses of the WebSocket children that
// can have them, by the child's id: the integration responses of MOCK
// integrations and the route responses of routes with a route response
// selection expression (without one, AWS sends nothing back). HTTP APIs
// have neither, so their pass makes no call here.
func (c *Client) observeV2Responses(ctx context.Context, api *string, integrations []types.Integration, routes []types.Route) (map[string][]types.IntegrationResponse, map[string][]types.RouteResponse, error) {
	integrationResponses := map[string][]types.IntegrationResponse{}
	for _, i := range integrations {
		if i.IntegrationType != types.IntegrationTypeMock {
			continue
		}
		responses, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.IntegrationResponse, *string, error) {
			out, err := c.v2.GetIntegrationResponses(ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: api, IntegrationId: i.IntegrationId, MaxResults: aws.String(v2PageSize), NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out.Items, out.NextToken, nil
		})
		if err != nil {
			return nil, nil, err
		}
		integrationResponses[aws.ToString(i.IntegrationId)] = responses
	}
	routeResponses := map[string][]types.RouteResponse{}
	for _, r := range routes {
		if aws.ToString(r.RouteResponseSelectionExpression) == "" {
			continue
		}
		responses, err := v2List(ctx, func(ctx context.Context, token *string) ([]types.RouteResponse, *string, error) {
			out, err := c.v2.GetRouteResponses(ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: api, RouteId: r.RouteId, MaxResults: aws.String(v2PageSize), NextToken: token})
			if err != nil {
				return nil, nil, err
			}
			return out.Items, out.NextToken, nil
		})
		if err != nil {
			return nil, nil, err
		}
		routeResponses[aws.ToString(r.RouteId)] = responses
	}
	return integrationResponses, routeResponses, nil
}

// fillV2 reduces the lists to the compared model. Children API Gateway
// manages itself (quick create) are left out: AWS refuses to change them.
func (o *Observed) fillV2(integrations []types.Integration, integrationResponses map[string][]types.IntegrationResponse, authorizers []types.Authorizer,
	routes []types.Route, routeResponses map[string][]types.RouteResponse, stages []types.Stage, deployments []types.Deployment) {
	var integrationNames, authorizerNames map[string]string
	for _, i := range integrations {
		if !aws.ToBool(i.ApiGatewayManaged) {
			o.Integrations = append(o.Integrations, observedV2Integration(i, integrationResponses[aws.ToString(i.IntegrationId)]))
		}
	}
	o.Integrations, integrationNames = canonicalChildren(o.Integrations)
	for _, a := range authorizers {
		o.Authorizers = append(o.Authorizers, observedV2Authorizer(a))
	}
	o.Authorizers, authorizerNames = canonicalChildren(o.Authorizers)
	for _, r := range routes {
		if !aws.ToBool(r.ApiGatewayManaged) {
			o.Routes = append(o.Routes, observedV2Route(r, routeResponses[aws.ToString(r.RouteId)], integrationNames, authorizerNames))
		}
	}
	for _, s := range stages {
		if !aws.ToBool(s.ApiGatewayManaged) {
			o.Stages = append(o.Stages, observedV2Stage(s))
		}
	}
	for _, d := range deployments {
		o.Deployments = append(o.Deployments, Deployment{
			ID: aws.ToString(d.DeploymentId), Description: aws.ToString(d.Description),
			Created: aws.ToTime(d.CreatedDate), AutoDeployed: aws.ToBool(d.AutoDeployed),
		})
	}
}

func planV2(d *desiredState, o *Observed, acts *actions) {
	var integrations, authorizers, routes keyed
	for _, i := range d.serving.Integrations {
		integrations.add(i.Name, v2IntegrationFields(d.protocol, d.region, i))
	}
	for _, a := range d.serving.Authorizers {
		authorizers.add(a.Name, v2AuthorizerFields(d.protocol, d.region, a))
	}
	for _, r := range d.serving.Routes {
		routes.add(r.Key, v2RouteFields(d.protocol, r, d.authorizers))
	}
	diffFamily(acts, KindIntegration, o.Integrations, integrations, phaseTargets, phaseTargetDeletes)
	diffFamily(acts, KindAuthorizer, o.Authorizers, authorizers, phaseTargets, phaseTargetDeletes)
	diffFamily(acts, KindRoute, o.Routes, routes, phaseRoutes, phaseRoutes)
}

func (a *applier) applyV2(ctx context.Context, action Action) error {
	switch action.Kind {
	case KindIntegration:
		return a.applyV2Integration(ctx, action)
	case KindAuthorizer:
		return a.applyV2Authorizer(ctx, action)
	case KindRoute:
		return a.applyV2Route(ctx, action)
	case KindDeployment:
		return a.applyV2Deployment(ctx, action)
	case KindStage:
		return a.applyV2Stage(ctx, action)
	}
	return nil
}

func (a *applier) applyV2Integration(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.v2.DeleteIntegration(ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: api, IntegrationId: aws.String(action.ID)})
		return err
	}
	declared := a.desired.integrations[action.Key]
	in := v2IntegrationInput(a.desired, declared)
	in.ApiId = api
	if action.Op == OpCreate {
		out, err := a.c.v2.CreateIntegration(ctx, in, gateway.RetryCreateOnlyWhenThrottledV2)
		if err != nil {
			return err
		}
		a.integrationIDs[action.Key] = aws.ToString(out.IntegrationId)
		return a.putV2IntegrationResponses(ctx, aws.ToString(out.IntegrationId), nil, declared)
	}
	changed := changedFields(action)
	current := a.observedChild(a.observed.Integrations, action.ID)
	update := &apigatewayv2.UpdateIntegrationInput{
		ApiId: api, IntegrationId: aws.String(action.ID),
		IntegrationType: in.IntegrationType, IntegrationUri: in.IntegrationUri, IntegrationMethod: in.IntegrationMethod,
		ConnectionType: in.ConnectionType, ConnectionId: in.ConnectionId, PayloadFormatVersion: in.PayloadFormatVersion,
		RequestParameters: in.RequestParameters, RequestTemplates: in.RequestTemplates,
		TemplateSelectionExpression: in.TemplateSelectionExpression,
		TimeoutInMillis:             in.TimeoutInMillis, Description: in.Description,
	}
	if changed["requestParameters"] {
		update.RequestParameters = withRemovals(declared.RequestParameters, mapKeys(current.Fields["requestParameters"]))
	}
	if changed["connectionId"] && update.ConnectionId == nil {
		// Leaving a VPC link: the connection type alone would keep the old
		// link's id, as AWS keeps every member an update leaves out.
		update.ConnectionId = aws.String("")
	}
	if _, err := a.c.v2.UpdateIntegration(ctx, update); err != nil {
		return err
	}
	if !changed["responses"] {
		return nil
	}
	return a.putV2IntegrationResponses(ctx, action.ID, current.ResponseIDs, declared)
}

// putV2IntegrationResponses replaces a WebSocket MOCK integration's
// integration responses (those observed, by id) with its declared one: the
// $default response whose template is the mock's body.
func (a *applier) putV2IntegrationResponses(ctx context.Context, integrationID string, observed []string, in *Integration) error {
	api, id := aws.String(a.apiID), aws.String(integrationID)
	for _, responseID := range observed {
		if _, err := a.c.v2.DeleteIntegrationResponse(ctx, &apigatewayv2.DeleteIntegrationResponseInput{ApiId: api, IntegrationId: id, IntegrationResponseId: aws.String(responseID)}); err != nil {
			return err
		}
	}
	if in.Mock == nil || a.desired.protocol != gateway.ProtocolWebSocket {
		return nil
	}
	for key, template := range v2MockResponses(in.Mock) {
		if _, err := a.c.v2.CreateIntegrationResponse(ctx, &apigatewayv2.CreateIntegrationResponseInput{
			ApiId: api, IntegrationId: id, IntegrationResponseKey: aws.String(key),
			ResponseTemplates: map[string]string{v2DefaultKey: template}, TemplateSelectionExpression: aws.String(v2DefaultSelection),
		}, gateway.RetryCreateOnlyWhenThrottledV2); err != nil {
			return err
		}
	}
	return nil
}

// observedChild is the observed child of a family with the id.
func (a *applier) observedChild(family []child, id string) child {
	for _, c := range family {
		if c.ID == id {
			return c
		}
	}
	return child{ID: id, Fields: fields{}}
}

// withRemovals is desired plus an empty value for each observed key no
// longer declared: v2 updates merge maps, and take a key sent empty as its
// removal (as Terraform's provider relies on for stage variables and
// request parameters).
func withRemovals(desired map[string]string, observedKeys []string) map[string]string {
	out := map[string]string{}
	for _, key := range observedKeys {
		out[key] = ""
	}
	maps.Copy(out, desired)
	return out
}

// mapKeys are the keys of a map compared as canonical JSON.
func mapKeys(canonicalMap string) []string {
	var m map[string]any
	if canonicalMap != "" {
		_ = json.Unmarshal([]byte(canonicalMap), &m)
	}
	return slices.Sorted(maps.Keys(m))
}

// v2IntegrationInput is the create input of a declared integration; an
// update sends the same members.
func v2IntegrationInput(d *desiredState, in *Integration) *apigatewayv2.CreateIntegrationInput {
	f := v2IntegrationFields(d.protocol, d.region, *in)
	out := &apigatewayv2.CreateIntegrationInput{
		IntegrationType:      types.IntegrationType(f["type"]),
		IntegrationUri:       optional(f["uri"]),
		IntegrationMethod:    optional(f["method"]),
		PayloadFormatVersion: optional(f["payloadFormatVersion"]),
		ConnectionId:         optional(f["connectionId"]),
		ConnectionType:       types.ConnectionType(f["connectionType"]),
		RequestParameters:    in.RequestParameters,
		Description:          aws.String(f["description"]),
	}
	if in.TimeoutMillis > 0 {
		out.TimeoutInMillis = aws.Int32(in.TimeoutMillis)
	}
	if in.Mock != nil {
		// A WebSocket mock answers what its template makes of the request.
		out.RequestTemplates = v2MockRequestTemplates
		out.TemplateSelectionExpression = aws.String(v2DefaultSelection)
	}
	return out
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}

func (a *applier) applyV2Authorizer(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.v2.DeleteAuthorizer(ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: api, AuthorizerId: aws.String(action.ID)})
		return err
	}
	in := v2AuthorizerInput(a.desired, a.desired.authorizers[action.Key])
	in.ApiId = api
	if action.Op == OpCreate {
		out, err := a.c.v2.CreateAuthorizer(ctx, in, gateway.RetryCreateOnlyWhenThrottledV2)
		if err != nil {
			return err
		}
		a.authorizerIDs[action.Key] = aws.ToString(out.AuthorizerId)
		return nil
	}
	_, err := a.c.v2.UpdateAuthorizer(ctx, &apigatewayv2.UpdateAuthorizerInput{
		ApiId: api, AuthorizerId: aws.String(action.ID), Name: in.Name, AuthorizerType: in.AuthorizerType,
		IdentitySource: in.IdentitySource, AuthorizerUri: in.AuthorizerUri, JwtConfiguration: in.JwtConfiguration,
		AuthorizerResultTtlInSeconds: in.AuthorizerResultTtlInSeconds, AuthorizerPayloadFormatVersion: in.AuthorizerPayloadFormatVersion,
		EnableSimpleResponses: in.EnableSimpleResponses, IdentityValidationExpression: in.IdentityValidationExpression,
	})
	return err
}

func v2AuthorizerInput(d *desiredState, a *Authorizer) *apigatewayv2.CreateAuthorizerInput {
	f := v2AuthorizerFields(d.protocol, d.region, *a)
	in := &apigatewayv2.CreateAuthorizerInput{
		Name:           aws.String(a.Name),
		AuthorizerType: types.AuthorizerType(f["type"]),
		IdentitySource: a.IdentitySource,
		AuthorizerUri:  optional(f["uri"]),
	}
	switch {
	case a.JWT != nil:
		in.JwtConfiguration = &types.JWTConfiguration{Issuer: aws.String(a.JWT.Issuer), Audience: a.JWT.Audience}
		if len(a.IdentitySource) == 0 {
			in.IdentitySource = []string{v2IdentitySource}
		}
	case a.Lambda != nil:
		in.AuthorizerResultTtlInSeconds = a.Lambda.ResultTTLSeconds
		in.IdentityValidationExpression = optional(a.Lambda.IdentityValidationExpression)
		if d.protocol == gateway.ProtocolHTTP {
			in.AuthorizerPayloadFormatVersion = aws.String(f["payloadFormatVersion"])
			in.EnableSimpleResponses = aws.Bool(a.Lambda.SimpleResponses)
		}
	}
	return in
}

func (a *applier) applyV2Route(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.v2.DeleteRoute(ctx, &apigatewayv2.DeleteRouteInput{ApiId: api, RouteId: aws.String(action.ID)})
		return err
	}
	r := a.routeByKey(action.Key)
	f := v2RouteFields(a.desired.protocol, r, a.desired.authorizers)
	in := &apigatewayv2.CreateRouteInput{
		ApiId:               api,
		RouteKey:            aws.String(r.Key),
		AuthorizationType:   types.AuthorizationType(f["authorizationType"]),
		AuthorizationScopes: r.AuthorizationScopes,
		RequestParameters:   v2RouteParameters(r.RequestParameters),
	}
	if r.Integration != "" {
		in.Target = aws.String("integrations/" + a.integrationIDs[r.Integration])
	}
	if r.Authorizer != "" {
		in.AuthorizerId = aws.String(a.authorizerIDs[r.Authorizer])
	}
	if a.desired.protocol == gateway.ProtocolWebSocket {
		in.ApiKeyRequired = aws.Bool(r.APIKeyRequired)
		in.RouteResponseSelectionExpression = optional(f["routeResponseSelectionExpression"])
	}
	if action.Op == OpCreate {
		out, err := a.c.v2.CreateRoute(ctx, in, gateway.RetryCreateOnlyWhenThrottledV2)
		if err != nil {
			return err
		}
		return a.putV2RouteResponses(ctx, aws.ToString(out.RouteId), nil, r)
	}
	changed := changedFields(action)
	current := a.observedChild(a.observed.Routes, action.ID)
	update := &apigatewayv2.UpdateRouteInput{
		ApiId: api, RouteId: aws.String(action.ID), RouteKey: in.RouteKey, Target: in.Target,
		AuthorizationType: in.AuthorizationType, AuthorizerId: in.AuthorizerId,
		AuthorizationScopes: in.AuthorizationScopes, ApiKeyRequired: in.ApiKeyRequired,
		RequestParameters: in.RequestParameters,
	}
	if update.AuthorizationScopes == nil && changed["authorizationScopes"] {
		update.AuthorizationScopes = []string{}
	}
	if changed["routeResponseSelectionExpression"] {
		update.RouteResponseSelectionExpression = aws.String(f["routeResponseSelectionExpression"])
	}
	if _, err := a.c.v2.UpdateRoute(ctx, update); err != nil {
		return err
	}
	if changed["requestParameters"] {
		// UpdateRoute merges request parameters; a removed one has a call
		// of its own.
		for _, key := range mapKeys(current.Fields["requestParameters"]) {
			if _, kept := r.RequestParameters[key]; kept {
				continue
			}
			if _, err := a.c.v2.DeleteRouteRequestParameter(ctx, &apigatewayv2.DeleteRouteRequestParameterInput{ApiId: api, RouteId: aws.String(action.ID), RequestParameterKey: aws.String(key)}); err != nil {
				return err
			}
		}
	}
	if !changed["routeResponses"] {
		return nil
	}
	return a.putV2RouteResponses(ctx, action.ID, current.ResponseIDs, r)
}

// v2RouteParameters are a route's declared parameters as v2 takes them.
func v2RouteParameters(declared map[string]bool) map[string]types.ParameterConstraints {
	if len(declared) == 0 {
		return nil
	}
	out := make(map[string]types.ParameterConstraints, len(declared))
	for name, required := range declared {
		out[name] = types.ParameterConstraints{Required: aws.Bool(required)}
	}
	return out
}

// putV2RouteResponses replaces a WebSocket route's route responses (those
// observed, by id) with the $default one that makes a two-way route send
// its integration's answer back.
func (a *applier) putV2RouteResponses(ctx context.Context, routeID string, observed []string, r Route) error {
	api, id := aws.String(a.apiID), aws.String(routeID)
	for _, responseID := range observed {
		if _, err := a.c.v2.DeleteRouteResponse(ctx, &apigatewayv2.DeleteRouteResponseInput{ApiId: api, RouteId: id, RouteResponseId: aws.String(responseID)}); err != nil {
			return err
		}
	}
	if !r.ReturnResponse || a.desired.protocol != gateway.ProtocolWebSocket {
		return nil
	}
	_, err := a.c.v2.CreateRouteResponse(ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: api, RouteId: id, RouteResponseKey: aws.String(v2DefaultKey)}, gateway.RetryCreateOnlyWhenThrottledV2)
	return err
}

func (a *applier) routeByKey(key string) Route {
	for _, r := range a.desired.serving.Routes {
		if r.Key == key {
			return r
		}
	}
	return Route{Key: key}
}

func (a *applier) applyV2Deployment(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.v2.DeleteDeployment(ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: api, DeploymentId: aws.String(action.ID)})
		return err
	}
	out, err := a.c.v2.CreateDeployment(ctx, &apigatewayv2.CreateDeploymentInput{
		ApiId: api, Description: aws.String(hashMark + a.plan.Hash),
	}, gateway.RetryCreateOnlyWhenThrottledV2)
	if err != nil {
		return err
	}
	a.createdDeployment = aws.ToString(out.DeploymentId)
	return nil
}

// applyV2Stage creates or updates a stage with one call, then removes what
// UpdateStage cannot: route settings (DeleteRouteSettings, one per key),
// access logs (DeleteAccessLogSettings). A stage variable is removed by
// sending it empty, which is how AWS's UpdateStage drops one; the stage's
// throttling by sending the account's limits (v2DefaultRouteSettings).
func (a *applier) applyV2Stage(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.v2.DeleteStage(ctx, &apigatewayv2.DeleteStageInput{ApiId: api, StageName: aws.String(action.ID)})
		return err
	}
	s := a.desired.stages[action.Key]
	deployment, managed := a.deploymentFor(s.Name)
	if action.Op == OpCreate {
		in := &apigatewayv2.CreateStageInput{
			ApiId: api, StageName: aws.String(s.Name), AutoDeploy: aws.Bool(s.AutoDeploy),
			Description: optional(s.Description), StageVariables: s.Variables,
			DefaultRouteSettings: v2DefaultRouteSettings(a.desired.protocol, s, true), RouteSettings: v2RouteSettings(a.desired.protocol, s),
			AccessLogSettings: v2AccessLogs(s),
		}
		if managed {
			in.DeploymentId = aws.String(deployment)
		}
		_, err := a.c.v2.CreateStage(ctx, in, gateway.RetryCreateOnlyWhenThrottledV2)
		return err
	}
	changed := changedFields(action)
	current := a.observedStage(s.Name)
	in := &apigatewayv2.UpdateStageInput{ApiId: api, StageName: aws.String(s.Name)}
	set := func(field string, apply func()) {
		if changed[field] {
			apply()
		}
	}
	set("autoDeploy", func() { in.AutoDeploy = aws.Bool(s.AutoDeploy) })
	set("deployment", func() { in.DeploymentId = aws.String(deployment) })
	set("description", func() { in.Description = aws.String(s.Description) })
	set("defaultRouteSettings", func() { in.DefaultRouteSettings = v2DefaultRouteSettings(a.desired.protocol, s, false) })
	set("routeSettings", func() { in.RouteSettings = v2RouteSettings(a.desired.protocol, s) })
	set("variables", func() { in.StageVariables = withRemovals(s.Variables, current.VariableKeys) })
	if changed["accessLogs"] && s.AccessLogs != nil {
		in.AccessLogSettings = v2AccessLogs(s)
	}
	if _, err := a.c.v2.UpdateStage(ctx, in); err != nil {
		return err
	}
	if changed["routeSettings"] {
		for _, key := range current.SettingKeys {
			if _, kept := s.RouteSettings[key]; !kept {
				if _, err := a.c.v2.DeleteRouteSettings(ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: api, StageName: aws.String(s.Name), RouteKey: aws.String(key)}); err != nil {
					return err
				}
			}
		}
	}
	if changed["accessLogs"] && s.AccessLogs == nil && current.HasAccessLogs {
		_, err := a.c.v2.DeleteAccessLogSettings(ctx, &apigatewayv2.DeleteAccessLogSettingsInput{ApiId: api, StageName: aws.String(s.Name)})
		return err
	}
	return nil
}

func (a *applier) observedStage(name string) stage {
	for _, s := range a.observed.Stages {
		if s.Name == name {
			return s
		}
	}
	return stage{Name: name}
}

// v2DefaultRouteSettings are the stage's defaults as v2 takes them, nil
// when a new stage declares none. Throttling is always sent, the account's
// limits when none is declared: AWS keeps the members an update leaves out,
// so an update could not otherwise lift the throttling a stage had.
func v2DefaultRouteSettings(protocol gateway.Protocol, s *Stage, creating bool) *types.RouteSettings {
	if creating && !s.Defaults.declared() {
		return nil
	}
	rs := toV2RouteSettings(protocol, s.Defaults)
	if s.Defaults.Throttling == nil {
		rs.ThrottlingRateLimit, rs.ThrottlingBurstLimit = aws.Float64(accountRateLimit), aws.Int32(accountBurstLimit)
	}
	return &rs
}

func v2RouteSettings(protocol gateway.Protocol, s *Stage) map[string]types.RouteSettings {
	if len(s.RouteSettings) == 0 {
		return nil
	}
	out := make(map[string]types.RouteSettings, len(s.RouteSettings))
	for _, key := range slices.Sorted(maps.Keys(s.RouteSettings)) {
		out[key] = toV2RouteSettings(protocol, s.RouteSettings[key])
	}
	return out
}

func v2AccessLogs(s *Stage) *types.AccessLogSettings {
	if s.AccessLogs == nil {
		return nil
	}
	return &types.AccessLogSettings{DestinationArn: aws.String(s.AccessLogs.DestinationARN), Format: aws.String(s.AccessLogs.Format)}
}
