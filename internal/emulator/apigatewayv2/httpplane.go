package apigatewayv2

import (
	"sort"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/httpplane"
)

// DeployedAPI implements httpplane.Source: the deployed view of an HTTP or
// WebSocket API, whatever its account or region. Every stage serves the
// routes frozen in its deployment; stages with autoDeploy are redeployed on
// each change, so they serve the current routes. The caller holds the state
// lock.
func (svc *Service) DeployedAPI(apiID string) (httpplane.API, bool) {
	for _, world := range svc.worlds {
		if record, ok := world.APIs[apiID]; ok {
			return record.dataPlaneView(), true
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
		stage := httpplane.Stage{Name: name}
		if id := record.Stages[name].DeploymentID; id != nil {
			if deployment := record.Deployments[*id]; deployment != nil {
				stage.Routes = deployment.dataPlaneRoutes()
			}
		}
		view.Stages = append(view.Stages, stage)
	}
	return view
}

func (deployment *DeploymentRecord) dataPlaneRoutes() []httpplane.Route {
	routes := make([]httpplane.Route, 0, len(deployment.Routes))
	for _, route := range deployment.Routes {
		served := httpplane.Route{RouteKey: route.RouteKey}
		if route.Target != nil {
			id := strings.TrimPrefix(*route.Target, "integrations/")
			if integration := deployment.Integrations[id]; integration != nil {
				served.Integration = dataPlaneIntegrationOf(integration)
			}
		}
		routes = append(routes, served)
	}
	sort.Slice(routes, func(i, j int) bool { return routes[i].RouteKey < routes[j].RouteKey })
	return routes
}

func dataPlaneIntegrationOf(integration *Integration) *httpplane.Integration {
	served := &httpplane.Integration{Type: integration.IntegrationType}
	if integration.IntegrationURI != nil {
		served.URI = *integration.IntegrationURI
	}
	if integration.IntegrationMethod != nil {
		served.Method = *integration.IntegrationMethod
	}
	if integration.PayloadFormatVersion != nil {
		served.PayloadFormatVersion = *integration.PayloadFormatVersion
	}
	if integration.TimeoutInMillis != nil {
		served.TimeoutMillis = int(*integration.TimeoutInMillis)
	}
	return served
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
		AllowCredentials: cors.AllowCredentials != nil && *cors.AllowCredentials,
	}
	if cors.MaxAge != nil {
		served.MaxAge = ptr(int32(*cors.MaxAge))
	}
	return served
}
