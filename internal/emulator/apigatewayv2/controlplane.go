package apigatewayv2

import (
	"maps"
	"net/http"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// controlPlaneRoutes are the operations of issue 10: authorizers, models,
// route and integration responses, and what edits a route, a stage or a
// deployment beyond its CRUD.
func (svc *Service) controlPlaneRoutes() []core.Route {
	const (
		api   = "/v2/apis/{apiId}"
		route = api + "/routes/{routeId}"
		stage = api + "/stages/{stageName}"
	)
	table := []core.Route{
		{Method: http.MethodDelete, Pattern: route + "/requestparameters/{requestParameterKey}", Operation: "DeleteRouteRequestParameter", Mutates: true, Handle: svc.deleteRouteRequestParameter},
		{Method: http.MethodGet, Pattern: api + "/models/{modelId}/template", Operation: "GetModelTemplate", Handle: svc.getModelTemplate},
		{Method: http.MethodPatch, Pattern: api + "/deployments/{deploymentId}", Operation: "UpdateDeployment", Mutates: true, Handle: svc.updateDeployment},
		{Method: http.MethodDelete, Pattern: stage + "/accesslogsettings", Operation: "DeleteAccessLogSettings", Mutates: true, Handle: svc.stageEdit(deleteAccessLogSettings)},
		{Method: http.MethodDelete, Pattern: stage + "/routesettings/{routeKey}", Operation: "DeleteRouteSettings", Mutates: true, Handle: svc.stageEdit(deleteRouteSettings)},
		{Method: http.MethodDelete, Pattern: stage + "/cache/authorizers", Operation: "ResetAuthorizersCache", Mutates: true, Handle: svc.stageEdit(resetAuthorizersCache)},
	}
	table = append(table, svc.authorizers().routes(api+"/authorizers", "Authorizer", "Authorizers")...)
	table = append(table, svc.models().routes(api+"/models", "Model", "Models")...)
	table = append(table, svc.routeResponses().routes(route+"/routeresponses", "RouteResponse", "RouteResponses")...)
	return append(table, svc.integrationResponses().routes(api+"/integrations/{integrationId}/integrationresponses", "IntegrationResponse", "IntegrationResponses")...)
}

// nested returns, for the parent a path label names, its map of children,
// made on first use; parentOK says whether the parent exists.
func nested[T any](byParent map[string]map[string]*T, parentID string, parentOK bool, notFound core.Message) (map[string]*T, error) {
	if !parentOK {
		return nil, notFound.With(parentID)
	}
	if byParent[parentID] == nil {
		byParent[parentID] = map[string]*T{}
	}
	return byParent[parentID], nil
}

func (svc *Service) routeResponses() childHandlers[RouteResponse, RouteResponse] {
	return childHandlers[RouteResponse, RouteResponse]{svc: svc, kind: child[RouteResponse, RouteResponse]{
		label: "routeResponseId",
		in: func(record *APIRecord, params core.PathParams) (map[string]*RouteResponse, error) {
			id := params["routeId"]
			return nested(record.RouteResponses, id, record.Routes[id] != nil, errNotFoundRoute)
		},
		idOf:     func(r *RouteResponse) string { return r.RouteResponseID },
		notFound: errNotFoundRouteResponse,
		view:     copyOf[RouteResponse],
		fresh:    func(*core.Call) *RouteResponse { return &RouteResponse{} },
		setID:    func(r *RouteResponse, id string) { r.RouteResponseID = id },
		idLength: 6,
		prepare: func(_ *core.Call, record *APIRecord, _, response *RouteResponse) error {
			if record.API.ProtocolType != "WEBSOCKET" {
				return errWebSocketOnly.With("Route responses")
			}
			if response.RouteResponseKey != defaultRouteKey {
				return errInvalidRouteResponseKey.With(response.RouteResponseKey)
			}
			for _, contentType := range slices.Sorted(maps.Keys(response.ResponseModels)) {
				if record.modelNamed(response.ResponseModels[contentType]) == nil {
					return errInvalidRequestModel.With(response.ResponseModels[contentType], contentType)
				}
			}
			return nil
		},
		stored:   redeploy[RouteResponse],
		deleted:  func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
		keyOf:    func(r *RouteResponse) string { return r.RouteResponseKey },
		conflict: errConflictRouteResponse,
	}}
}

func (svc *Service) integrationResponses() childHandlers[IntegrationResponse, IntegrationResponse] {
	return childHandlers[IntegrationResponse, IntegrationResponse]{svc: svc, kind: child[IntegrationResponse, IntegrationResponse]{
		label: "integrationResponseId",
		in: func(record *APIRecord, params core.PathParams) (map[string]*IntegrationResponse, error) {
			id := params["integrationId"]
			return nested(record.IntegrationResponses, id, record.Integrations[id] != nil, errNotFoundIntegration)
		},
		idOf:     func(r *IntegrationResponse) string { return r.IntegrationResponseID },
		notFound: errNotFoundIntegrationResponse,
		view:     copyOf[IntegrationResponse],
		fresh:    func(*core.Call) *IntegrationResponse { return &IntegrationResponse{} },
		setID:    func(r *IntegrationResponse, id string) { r.IntegrationResponseID = id },
		idLength: 6,
		prepare: func(_ *core.Call, record *APIRecord, _, response *IntegrationResponse) error {
			if record.API.ProtocolType != "WEBSOCKET" {
				return errWebSocketOnly.With("Integration responses")
			}
			key := response.IntegrationResponseKey
			if key != defaultRouteKey && (len(key) < 3 || !strings.HasPrefix(key, "/") || !strings.HasSuffix(key, "/")) {
				return errInvalidIntegrationRespKey.With(key)
			}
			return validateContentHandling(response.ContentHandlingStrategy)
		},
		stored:   redeploy[IntegrationResponse],
		deleted:  func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
		keyOf:    func(r *IntegrationResponse) string { return r.IntegrationResponseKey },
		conflict: errConflictIntegrationResp,
	}}
}

// deleteRouteRequestParameter removes one of a route's request parameters.
func (svc *Service) deleteRouteRequestParameter(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, route, err := svc.routes().kind.lookup(svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	key := params["requestParameterKey"]
	if _, ok := route.RequestParameters[key]; !ok {
		return 0, nil, errNotFoundRequestParameter.With(key)
	}
	updated := core.DeepCopy(*route)
	delete(updated.RequestParameters, key)
	record.Routes[route.RouteID] = &updated
	record.autoDeploy(c)
	return http.StatusNoContent, nil, nil
}

// updateDeployment changes a deployment's description, its one mutable
// member.
func (svc *Service) updateDeployment(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	_, deployment, err := svc.deployments().kind.lookup(svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	var input DeploymentInput
	if err := decodeBody(body, &input); err != nil {
		return 0, nil, err
	}
	if input.Description != nil {
		if len(*input.Description) > 1024 {
			return 0, nil, errInvalidDescription.With()
		}
		deployment.Deployment.Description = input.Description
	}
	return http.StatusOK, deployment.Deployment, nil
}
