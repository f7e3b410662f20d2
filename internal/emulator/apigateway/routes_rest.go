package apigateway

import (
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

const (
	restAPIPath      = "/restapis/{restapi_id}"
	restResourcePath = restAPIPath + "/resources/{resource_id}"
	restMethodPath   = restResourcePath + "/methods/{http_method}"
)

// restChildRoutes are the routes of everything under a REST API: resources,
// methods and their responses, integrations and theirs, deployments, stages,
// authorizers, models, request validators, gateway responses and
// documentation.
func (s *Service) restChildRoutes() []core.Route {
	route := func(method, pattern, operation string, handle core.HandlerFunc) core.Route {
		return core.Route{Method: method, Pattern: pattern, Operation: operation, Handle: handle, Mutates: method != http.MethodGet}
	}
	mr := responseHandlers[restMethod, restMethodResponse]{methodResponses, s}
	ir := responseHandlers[restIntegration, restIntegrationResponse]{integrationResponses, s}
	routes := []core.Route{
		route(http.MethodPost, restAPIPath+"/resources/{parent_id}", "CreateResource", s.createResource),
		route(http.MethodGet, restAPIPath+"/resources", "GetResources", s.getResources),
		route(http.MethodGet, restResourcePath, "GetResource", s.getResource),
		route(http.MethodPatch, restResourcePath, "UpdateResource", s.updateResource),
		route(http.MethodDelete, restResourcePath, "DeleteResource", s.deleteResource),

		route(http.MethodPut, restMethodPath, "PutMethod", s.putMethod),
		route(http.MethodGet, restMethodPath, "GetMethod", s.getMethod),
		route(http.MethodPatch, restMethodPath, "UpdateMethod", s.updateMethod),
		route(http.MethodDelete, restMethodPath, "DeleteMethod", s.deleteMethod),
		route(http.MethodPut, restMethodPath+"/responses/{status_code}", "PutMethodResponse", s.putMethodResponse),
		route(http.MethodGet, restMethodPath+"/responses/{status_code}", "GetMethodResponse", mr.get),
		route(http.MethodPatch, restMethodPath+"/responses/{status_code}", "UpdateMethodResponse", mr.updateOne),
		route(http.MethodDelete, restMethodPath+"/responses/{status_code}", "DeleteMethodResponse", mr.deleteOne),

		route(http.MethodPut, restMethodPath+"/integration", "PutIntegration", s.putIntegration),
		route(http.MethodGet, restMethodPath+"/integration", "GetIntegration", s.getIntegration),
		route(http.MethodPatch, restMethodPath+"/integration", "UpdateIntegration", s.updateIntegration),
		route(http.MethodDelete, restMethodPath+"/integration", "DeleteIntegration", s.deleteIntegration),
		route(http.MethodPut, restMethodPath+"/integration/responses/{status_code}", "PutIntegrationResponse", s.putIntegrationResponse),
		route(http.MethodGet, restMethodPath+"/integration/responses/{status_code}", "GetIntegrationResponse", ir.get),
		route(http.MethodPatch, restMethodPath+"/integration/responses/{status_code}", "UpdateIntegrationResponse", ir.updateOne),
		route(http.MethodDelete, restMethodPath+"/integration/responses/{status_code}", "DeleteIntegrationResponse", ir.deleteOne),

		route(http.MethodPost, restAPIPath+"/deployments", "CreateDeployment", s.createDeployment),
		route(http.MethodGet, restAPIPath+"/deployments/{deployment_id}", "GetDeployment", s.getDeployment),
		route(http.MethodPost, restAPIPath+"/stages", "CreateStage", s.createStage),
		route(http.MethodGet, restAPIPath+"/stages", "GetStages", s.getStages),
		route(http.MethodPatch, restAPIPath+"/stages/{stage_name}", "UpdateStage", s.updateStage),
		route(http.MethodDelete, restAPIPath+"/stages/{stage_name}/cache/data", "FlushStageCache", s.flushStageCache),
		route(http.MethodDelete, restAPIPath+"/stages/{stage_name}/cache/authorizers", "FlushStageAuthorizersCache", s.flushStageCache),
		route(http.MethodPost, restAPIPath+"/authorizers", "CreateAuthorizer", s.createAuthorizer),
		route(http.MethodPost, restAPIPath+"/authorizers/{authorizer_id}", "TestInvokeAuthorizer", s.testInvokeAuthorizer),
		route(http.MethodPost, restAPIPath+"/models", "CreateModel", s.createModel),
		route(http.MethodGet, restAPIPath+"/models/{model_name}/default_template", "GetModelTemplate", s.getModelTemplate),
		route(http.MethodPost, restAPIPath+"/requestvalidators", "CreateRequestValidator", s.createRequestValidator),
		route(http.MethodPost, restAPIPath+"/documentation/parts", "CreateDocumentationPart", s.createDocumentationPart),
		route(http.MethodPost, restAPIPath+"/documentation/versions", "CreateDocumentationVersion", s.createDocumentationVersion),

		route(http.MethodPut, restAPIPath+"/gatewayresponses/{response_type}", "PutGatewayResponse", s.putGatewayResponse),
		route(http.MethodGet, restAPIPath+"/gatewayresponses/{response_type}", "GetGatewayResponse", s.getGatewayResponse),
		route(http.MethodGet, restAPIPath+"/gatewayresponses", "GetGatewayResponses", s.getGatewayResponses),
		route(http.MethodPatch, restAPIPath+"/gatewayresponses/{response_type}", "UpdateGatewayResponse", s.updateGatewayResponse),
		route(http.MethodDelete, restAPIPath+"/gatewayresponses/{response_type}", "DeleteGatewayResponse", s.deleteGatewayResponse),
	}
	// The kinds kept directly under the API share their Gets, Get, Update
	// and Delete handlers; GetDeployment, GetStages and UpdateStage above
	// have rules of their own.
	routes = append(routes, kindRoutes(s, deploymentKind, "/deployments", "Deployment", "Deployments", "GetDeployment")...)
	routes = append(routes, kindRoutes(s, stageKind, "/stages", "Stage", "Stages", "GetStages", "UpdateStage")...)
	routes = append(routes, kindRoutes(s, authorizerKind, "/authorizers", "Authorizer", "Authorizers")...)
	routes = append(routes, kindRoutes(s, modelKind, "/models", "Model", "Models")...)
	routes = append(routes, kindRoutes(s, validatorKind, "/requestvalidators", "RequestValidator", "RequestValidators")...)
	routes = append(routes, kindRoutes(s, docPartKind, "/documentation/parts", "DocumentationPart", "DocumentationParts")...)
	routes = append(routes, kindRoutes(s, docVersionKind, "/documentation/versions", "DocumentationVersion", "DocumentationVersions")...)
	return routes
}

// kindRoutes are a kind's Gets, Get, Update and Delete routes, less the
// operations named in own (served by handlers of their own).
func kindRoutes[T any](s *Service, kind restKind[T], collection, one, many string, own ...string) []core.Route {
	h := restHandlers[T]{kind: kind, svc: s}
	item := restAPIPath + collection + "/{" + kind.label + "}"
	all := []core.Route{
		{Method: http.MethodGet, Pattern: restAPIPath + collection, Operation: "Get" + many, Handle: h.list},
		{Method: http.MethodGet, Pattern: item, Operation: "Get" + one, Handle: h.get},
		{Method: http.MethodPatch, Pattern: item, Operation: "Update" + one, Handle: h.update, Mutates: true},
		{Method: http.MethodDelete, Pattern: item, Operation: "Delete" + one, Handle: h.delete, Mutates: true},
	}
	var routes []core.Route
	for _, r := range all {
		if !slices.Contains(own, r.Operation) {
			routes = append(routes, r)
		}
	}
	return routes
}
