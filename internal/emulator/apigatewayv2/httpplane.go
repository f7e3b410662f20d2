package apigatewayv2

import (
	"sort"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/httpplane"
)

// DeployedAPI implements httpplane.Source: the deployed view of an HTTP or
// WebSocket API, whatever its account or region. Every stage serves the
// routes, integrations and authorizers frozen in its deployment; stages with
// autoDeploy are redeployed on each change, so they serve the current ones.
// Stage variables and route settings belong to the stage, not to a
// deployment, and apply at once, as in AWS. The caller holds the state lock.
func (svc *Service) DeployedAPI(apiID string) (httpplane.API, bool) {
	for worldKey, world := range svc.worlds {
		if record, ok := world.APIs[apiID]; ok {
			view := record.dataPlaneView()
			// A world is keyed "account/region" (core.Call.WorldKey).
			view.AccountID, view.Region, _ = strings.Cut(worldKey, "/")
			return view, true
		}
	}
	return httpplane.API{}, false
}

func (record *APIRecord) dataPlaneView() httpplane.API {
	view := httpplane.API{
		ID:                        record.API.APIID,
		ProtocolType:              record.API.ProtocolType,
		DisableExecuteAPIEndpoint: record.API.DisableExecuteAPIEndpoint,
		CORS:                      dataPlaneCORSOf(record.API.CorsConfiguration),
	}
	names := make([]string, 0, len(record.Stages))
	for name := range record.Stages {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		view.Stages = append(view.Stages, record.dataPlaneStage(record.Stages[name]))
	}
	return view
}

func (record *APIRecord) dataPlaneStage(stage *Stage) httpplane.Stage {
	served := httpplane.Stage{
		Name:            stage.StageName,
		Variables:       stage.StageVariables,
		RouteThrottling: map[string]httpplane.Throttling{},
	}
	if stage.DefaultRouteSettings != nil {
		served.DefaultThrottling = throttlingOf(*stage.DefaultRouteSettings)
	}
	for routeKey, settings := range stage.RouteSettings {
		served.RouteThrottling[routeKey] = throttlingOf(settings)
	}
	if id := stage.DeploymentID; id != nil {
		if deployment := record.Deployments[*id]; deployment != nil {
			served.Routes = deployment.dataPlaneRoutes()
		}
	}
	return served
}

func throttlingOf(settings RouteSettings) httpplane.Throttling {
	return httpplane.Throttling{RateLimit: settings.ThrottlingRateLimit, BurstLimit: settings.ThrottlingBurstLimit}
}

func (deployment *DeploymentRecord) dataPlaneRoutes() []httpplane.Route {
	routes := make([]httpplane.Route, 0, len(deployment.Routes))
	for _, route := range deployment.Routes {
		served := httpplane.Route{
			RouteKey:            route.RouteKey,
			AuthorizationType:   route.AuthorizationType,
			AuthorizationScopes: route.AuthorizationScopes,
		}
		if route.Target != nil {
			id := strings.TrimPrefix(*route.Target, "integrations/")
			if integration := deployment.Integrations[id]; integration != nil {
				served.Integration = dataPlaneIntegrationOf(integration)
			}
		}
		if route.AuthorizerID != nil {
			if authorizer := deployment.Authorizers[*route.AuthorizerID]; authorizer != nil {
				served.Authorizer = dataPlaneAuthorizerOf(authorizer)
			}
		}
		routes = append(routes, served)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].RouteKey < routes[j].RouteKey })
	return routes
}

func dataPlaneIntegrationOf(integration *Integration) *httpplane.Integration {
	return &httpplane.Integration{
		Type:                 integration.IntegrationType,
		URI:                  valueOf(integration.IntegrationURI),
		Method:               valueOf(integration.IntegrationMethod),
		PayloadFormatVersion: valueOf(integration.PayloadFormatVersion),
		TimeoutMillis:        int(valueOf(integration.TimeoutInMillis)),
		RequestParameters:    integration.RequestParameters,
		ResponseParameters:   integration.ResponseParameters,
	}
}

func dataPlaneAuthorizerOf(authorizer *Authorizer) *httpplane.Authorizer {
	served := &httpplane.Authorizer{
		ID:                    authorizer.AuthorizerID,
		Name:                  authorizer.Name,
		Type:                  authorizer.AuthorizerType,
		URI:                   valueOf(authorizer.AuthorizerURI),
		IdentitySource:        authorizer.IdentitySource,
		PayloadFormatVersion:  valueOf(authorizer.AuthorizerPayloadFormatVersion),
		ResultTTLSeconds:      authorizer.AuthorizerResultTTLInSeconds,
		EnableSimpleResponses: valueOf(authorizer.EnableSimpleResponses),
	}
	if jwt := authorizer.JWTConfiguration; jwt != nil {
		served.JWTIssuer, served.JWTAudience = valueOf(jwt.Issuer), jwt.Audience
	}
	return served
}

// valueOf is *p, or the zero value when p is nil.
func valueOf[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func dataPlaneCORSOf(cors *Cors) *httpplane.CORS {
	if cors == nil {
		return nil
	}
	served := &httpplane.CORS{
		AllowOrigins:     cors.AllowOrigins,
		AllowMethods:     cors.AllowMethods,
		AllowHeaders:     cors.AllowHeaders,
		ExposeHeaders:    cors.ExposeHeaders,
		AllowCredentials: valueOf(cors.AllowCredentials),
	}
	if cors.MaxAge != nil {
		served.MaxAge = ptr(int32(*cors.MaxAge))
	}
	return served
}
