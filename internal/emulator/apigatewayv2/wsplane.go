package apigatewayv2

import (
	"sort"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/wsplane"
)

const protocolWebSocket = "WEBSOCKET"

// WebSocketAPI implements wsplane.Source: the deployed view of a WebSocket
// API, whatever its account or region. Each stage serves what its
// deployment froze (routes, route responses, integrations, integration
// responses, authorizers and the selection expressions). The caller holds
// the state lock.
func (svc *Service) WebSocketAPI(apiID string) (wsplane.API, bool) {
	for worldKey, world := range svc.worlds {
		record, ok := world.APIs[apiID]
		if !ok || record.API.ProtocolType != protocolWebSocket {
			continue
		}
		account, region, _ := strings.Cut(worldKey, "/")
		return record.webSocketView(account, region), true
	}
	return wsplane.API{}, false
}

func (record *APIRecord) webSocketView(account, region string) wsplane.API {
	view := wsplane.API{
		ID: record.API.APIID, Account: account, Region: region,
		DisableExecuteAPIEndpoint: record.API.DisableExecuteAPIEndpoint,
	}
	names := make([]string, 0, len(record.Stages))
	for name := range record.Stages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		stage := record.Stages[name]
		served := wsplane.Stage{Name: name, Variables: stage.StageVariables}
		if stage.DeploymentID != nil {
			if deployment := record.Deployments[*stage.DeploymentID]; deployment != nil {
				deployment.webSocketStage(&served, record.API)
			}
		}
		view.Stages = append(view.Stages, served)
	}
	return view
}

// webSocketStage fills a stage with what the deployment froze. A deployment
// from a state file older than its frozen selection expressions serves the
// API's current ones.
func (deployment *DeploymentRecord) webSocketStage(stage *wsplane.Stage, api API) {
	selection := SelectionExpressions{Route: api.RouteSelectionExpression, APIKey: api.APIKeySelectionExpression}
	if deployment.Selection != nil {
		selection = *deployment.Selection
	}
	stage.RouteSelectionExpression, stage.APIKeySelectionExpression = selection.Route, selection.APIKey
	stage.Routes = map[string]wsplane.Route{}
	for _, route := range deployment.Routes {
		stage.Routes[route.RouteKey] = deployment.webSocketRoute(route)
	}
}

func (deployment *DeploymentRecord) webSocketRoute(route *Route) wsplane.Route {
	served := wsplane.Route{
		Key:                              route.RouteKey,
		AuthorizationType:                route.AuthorizationType,
		RouteResponseSelectionExpression: deref(route.RouteResponseSelectionExpression),
	}
	for _, response := range deployment.RouteResponses[route.RouteID] {
		if response.RouteResponseKey == "$default" {
			served.HasDefaultRouteResponse = true
		}
	}
	if route.AuthorizerID != nil {
		if authorizer := deployment.Authorizers[*route.AuthorizerID]; authorizer != nil {
			served.Authorizer = webSocketAuthorizerOf(authorizer)
		}
	}
	if route.Target != nil {
		id := strings.TrimPrefix(*route.Target, "integrations/")
		if integration := deployment.Integrations[id]; integration != nil {
			served.Integration = webSocketIntegrationOf(integration, deployment.IntegrationResponses[id])
		}
	}
	return served
}

func webSocketAuthorizerOf(authorizer *Authorizer) *wsplane.Authorizer {
	served := &wsplane.Authorizer{
		ID: authorizer.AuthorizerID, Type: authorizer.AuthorizerType,
		URI: deref(authorizer.AuthorizerURI), IdentitySource: authorizer.IdentitySource,
	}
	if authorizer.AuthorizerResultTTLInSeconds != nil {
		served.ResultTTL = time.Duration(*authorizer.AuthorizerResultTTLInSeconds) * time.Second
	}
	return served
}

func webSocketIntegrationOf(integration *Integration, responses map[string]*IntegrationResponse) *wsplane.Integration {
	served := &wsplane.Integration{
		ID:                          integration.IntegrationID,
		Type:                        integration.IntegrationType,
		URI:                         deref(integration.IntegrationURI),
		Method:                      deref(integration.IntegrationMethod),
		RequestTemplates:            integration.RequestTemplates,
		TemplateSelectionExpression: deref(integration.TemplateSelectionExpression),
		RequestParameters:           integration.RequestParameters,
	}
	if integration.TimeoutInMillis != nil {
		served.TimeoutMillis = int(*integration.TimeoutInMillis)
	}
	for _, response := range responses {
		served.Responses = append(served.Responses, wsplane.IntegrationResponse{
			Key:                         response.IntegrationResponseKey,
			Templates:                   response.ResponseTemplates,
			TemplateSelectionExpression: deref(response.TemplateSelectionExpression),
		})
	}
	sort.Slice(served.Responses, func(i, j int) bool { return served.Responses[i].Key < served.Responses[j].Key })
	return served
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
