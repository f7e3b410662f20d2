package apigateway

import (
	"maps"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/restplane"
)

// This file is the REST data plane's view of the control plane
// (restplane.Source). Each call builds fresh values, so the plane never
// shares memory with the stored state. The caller holds the state lock.

// DeployedAPI implements restplane.Source: every stage carries the snapshot
// of its deployment, never the API's live definition.
func (s *Service) DeployedAPI(apiID string) (restplane.API, bool) {
	for world, apis := range s.apis {
		if api, ok := apis[apiID]; ok {
			account, region, _ := strings.Cut(world, "/")
			return api.dataPlaneView(account, region), true
		}
	}
	return restplane.API{}, false
}

func (a *restAPI) dataPlaneView(account, region string) restplane.API {
	tree := a.children()
	view := restplane.API{
		ID: a.ID, Account: account, Region: region,
		APIKeySource:              a.APIKeySource,
		DisableExecuteAPIEndpoint: a.DisableExecuteAPIEndpoint,
		Stages:                    map[string]restplane.Stage{},
	}
	for name, stage := range tree.Stages {
		served := restplane.Stage{Name: name, Variables: maps.Clone(stage.Variables), Throttles: stageThrottles(stage)}
		if record := tree.Deployments[stage.DeploymentID]; record != nil {
			served.Deployment = record.dataPlaneView()
		}
		view.Stages[name] = served
	}
	return view
}

// stageThrottles reads the stage's method settings as "*/*" and
// "/resource/path/METHOD" keys: the control plane keeps each key as its
// patch path wrote it ("~1pets~1{id}/GET", "test/GET").
func stageThrottles(stage *restStage) map[string]restplane.Throttle {
	throttles := map[string]restplane.Throttle{}
	for key, setting := range stage.MethodSettings {
		throttle := restplane.Throttle{BurstLimit: setting.ThrottlingBurstLimit, RateLimit: setting.ThrottlingRateLimit}
		if key == "*/*" {
			throttles[key] = throttle
			continue
		}
		path, verb, ok := cutLast(key, "/")
		if !ok {
			continue
		}
		path = strings.ReplaceAll(strings.ReplaceAll(path, "~1", "/"), "~0", "~")
		if !strings.HasPrefix(path, "/") {
			path = "/" + path
		}
		throttles[path+"/"+verb] = throttle
	}
	return throttles
}

func cutLast(s, sep string) (before, after string, found bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

func (d *restDeploymentRecord) dataPlaneView() *restplane.Deployment {
	frozen := &restChildren{Resources: d.Resources}
	view := &restplane.Deployment{
		ID:               d.Deployment.ID,
		Authorizers:      map[string]restplane.Authorizer{},
		Validators:       map[string]restplane.Validator{},
		GatewayResponses: map[string]restplane.GatewayResponse{},
	}
	for _, id := range slices.Sorted(maps.Keys(d.Resources)) {
		resource := d.Resources[id]
		served := restplane.Resource{ID: id, Path: frozen.resourcePath(resource), Methods: map[string]restplane.Method{}}
		for verb, method := range resource.Methods {
			served.Methods[verb] = method.dataPlaneView()
		}
		view.Resources = append(view.Resources, served)
	}
	for id, a := range d.Authorizers {
		view.Authorizers[id] = restplane.Authorizer{
			ID: a.ID, Name: a.Name, Type: a.Type, AuthorizerURI: a.AuthorizerURI,
			IdentitySource: a.IdentitySource, IdentityValidationExpression: a.IdentityValidationExpression,
			ResultTTLSeconds: a.AuthorizerResultTTLInSeconds, ProviderARNs: slices.Clone(a.ProviderARNs),
		}
	}
	for id, v := range d.Validators {
		view.Validators[id] = restplane.Validator{ValidateRequestParameters: v.ValidateRequestParameters, ValidateRequestBody: v.ValidateRequestBody}
	}
	for kind, g := range d.GatewayResponses {
		view.GatewayResponses[kind] = restplane.GatewayResponse{
			StatusCode: g.StatusCode, ResponseParameters: maps.Clone(g.ResponseParameters), ResponseTemplates: maps.Clone(g.ResponseTemplates),
		}
	}
	return view
}

func (m *restMethod) dataPlaneView() restplane.Method {
	served := restplane.Method{
		HTTPMethod: m.HTTPMethod, AuthorizationType: m.AuthorizationType, AuthorizerID: m.AuthorizerID,
		AuthorizationScopes: slices.Clone(m.AuthorizationScopes), APIKeyRequired: m.APIKeyRequired,
		RequestValidatorID: m.RequestValidatorID, RequestParameters: maps.Clone(m.RequestParameters),
	}
	if i := m.MethodIntegration; i != nil {
		served.Integration = &restplane.Integration{
			Type: i.Type, HTTPMethod: i.HTTPMethod, URI: i.URI,
			RequestParameters: maps.Clone(i.RequestParameters), RequestTemplates: maps.Clone(i.RequestTemplates),
			PassthroughBehavior: i.PassthroughBehavior, TimeoutMillis: i.TimeoutInMillis,
		}
		for _, code := range slices.Sorted(maps.Keys(i.IntegrationResponses)) {
			r := i.IntegrationResponses[code]
			served.Integration.Responses = append(served.Integration.Responses, restplane.IntegrationResponse{
				StatusCode: r.StatusCode, SelectionPattern: restDeref(r.SelectionPattern),
				ResponseParameters: maps.Clone(r.ResponseParameters), ResponseTemplates: maps.Clone(r.ResponseTemplates),
			})
		}
	}
	return served
}

// KeyUsage implements restplane.Source: an enabled key of that value in
// the API's account and region, and the usage plan holding it that
// includes the API's stage.
func (s *Service) KeyUsage(account, region, apiID, stage, keyValue string) restplane.KeyUsage {
	world := account + "/" + region
	var key *apiKey
	for _, candidate := range s.apiKeys[world] {
		if candidate.Enabled && candidate.Value == keyValue {
			key = candidate
			break
		}
	}
	if key == nil {
		return restplane.KeyUsage{}
	}
	plans := s.usagePlans[world]
	for _, id := range slices.Sorted(maps.Keys(plans)) {
		plan := plans[id]
		i := plan.stageIndex(apiID, stage)
		if !plan.Keys[key.ID] || i < 0 {
			continue
		}
		usage := restplane.KeyUsage{Found: true, KeyID: key.ID, PlanID: plan.ID, MethodThrottles: map[string]restplane.Throttle{}}
		if plan.Throttle != nil {
			usage.Throttle = &restplane.Throttle{BurstLimit: plan.Throttle.BurstLimit, RateLimit: plan.Throttle.RateLimit}
		}
		if plan.Quota != nil {
			usage.Quota = &restplane.Quota{Limit: plan.Quota.Limit, Offset: plan.Quota.Offset, Period: plan.Quota.Period}
		}
		for method, t := range plan.APIStages[i].Throttle {
			usage.MethodThrottles[method] = restplane.Throttle{BurstLimit: t.BurstLimit, RateLimit: t.RateLimit}
		}
		return usage
	}
	return restplane.KeyUsage{}
}
