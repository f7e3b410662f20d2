// Package apigatewayv2 emulates the apigatewayv2 control plane: HTTP and
// WebSocket APIs with their routes, integrations, stages, deployments and
// tags. It also gives the data plane its deployed view of each API.
package apigatewayv2

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Service is apigatewayv2.
type Service struct {
	// endpointBase returns "execute-api.{host}[:port]" for apiEndpoint.
	endpointBase func() string
	worlds       core.Worlds[*World]
	// The account-wide kinds (domainnames_state.go).
	vpcLinks    core.Worlds[map[string]*VpcLink]
	domains     *accountwide.Store
	ownsDomains bool
}

// New returns an empty apigatewayv2; endpointBase names the data plane's
// host in every apiEndpoint.
func New(endpointBase func() string) *Service {
	svc := &Service{endpointBase: endpointBase, worlds: core.Worlds[*World]{}}
	svc.initAccountWide()
	return svc
}

// Name is "apigatewayv2", the key of the service's state in the state file.
func (svc *Service) Name() string { return awsquotas.ServiceAPIGatewayV2 }

// Routes are apigatewayv2's operations: APIs, their routes, integrations,
// stages and deployments, tags, the rest of the control plane
// (controlPlaneRoutes) and the account-wide kinds (accountWideRoutes).
func (svc *Service) Routes() []core.Route {
	route := func(method, pattern, operation string, mutates bool, handle core.HandlerFunc) core.Route {
		return core.Route{Method: method, Pattern: pattern, Operation: operation, Mutates: mutates, Handle: handle}
	}
	const (
		api          = "/v2/apis/{apiId}"
		routes       = api + "/routes"
		integrations = api + "/integrations"
		stages       = api + "/stages"
		deployments  = api + "/deployments"
	)
	return append([]core.Route{
		route(http.MethodPost, "/v2/apis", "CreateApi", true, svc.createAPI),
		route(http.MethodGet, "/v2/apis", "GetApis", false, svc.getAPIs),
		route(http.MethodGet, api, "GetApi", false, svc.getAPI),
		route(http.MethodPatch, api, "UpdateApi", true, svc.updateAPI),
		route(http.MethodDelete, api, "DeleteApi", true, svc.deleteAPI),
		route(http.MethodDelete, api+"/cors", "DeleteCorsConfiguration", true, svc.deleteCors),

		route(http.MethodPost, routes, "CreateRoute", true, svc.routes().create),
		route(http.MethodGet, routes, "GetRoutes", false, svc.routes().list),
		route(http.MethodGet, routes+"/{routeId}", "GetRoute", false, svc.routes().get),
		route(http.MethodPatch, routes+"/{routeId}", "UpdateRoute", true, svc.routes().update),
		route(http.MethodDelete, routes+"/{routeId}", "DeleteRoute", true, svc.routes().delete),

		route(http.MethodPost, integrations, "CreateIntegration", true, svc.integrations().create),
		route(http.MethodGet, integrations, "GetIntegrations", false, svc.integrations().list),
		route(http.MethodGet, integrations+"/{integrationId}", "GetIntegration", false, svc.integrations().get),
		route(http.MethodPatch, integrations+"/{integrationId}", "UpdateIntegration", true, svc.integrations().update),
		route(http.MethodDelete, integrations+"/{integrationId}", "DeleteIntegration", true, svc.integrations().delete),

		route(http.MethodPost, stages, "CreateStage", true, svc.stages().create),
		route(http.MethodGet, stages, "GetStages", false, svc.stages().list),
		route(http.MethodGet, stages+"/{stageName}", "GetStage", false, svc.stages().get),
		route(http.MethodPatch, stages+"/{stageName}", "UpdateStage", true, svc.stages().update),
		route(http.MethodDelete, stages+"/{stageName}", "DeleteStage", true, svc.stages().delete),

		route(http.MethodPost, deployments, "CreateDeployment", true, svc.createDeployment),
		route(http.MethodGet, deployments, "GetDeployments", false, svc.deployments().list),
		route(http.MethodGet, deployments+"/{deploymentId}", "GetDeployment", false, svc.deployments().get),
		route(http.MethodDelete, deployments+"/{deploymentId}", "DeleteDeployment", true, svc.deployments().delete),

		route(http.MethodPost, "/v2/tags/{resourceArn}", "TagResource", true, svc.tagResource),
		route(http.MethodDelete, "/v2/tags/{resourceArn}", "UntagResource", true, svc.untagResource),
		route(http.MethodGet, "/v2/tags/{resourceArn}", "GetTags", false, svc.getTags),
	}, slices.Concat(svc.controlPlaneRoutes(), svc.accountWideRoutes(), svc.openAPIRoutes())...)
}

// Snapshot returns every world's APIs and VPC links, and the domain names
// when this service owns them rather than sharing apigateway's.
func (svc *Service) Snapshot() (json.RawMessage, error) { return core.Snapshot(svc.state()) }

// Restore replaces the service's state with a Snapshot's.
func (svc *Service) Restore(raw json.RawMessage) error { return svc.restoreState(raw) }

// world returns the caller's account and region state, creating it.
func (svc *Service) world(c *core.Call) *World {
	return svc.worlds.Of(c, func() *World { return &World{APIs: map[string]*APIRecord{}} })
}

// lookupAPI returns the API named by the apiId label, or AWS's NotFound.
func (svc *Service) lookupAPI(c *core.Call, params core.PathParams) (*APIRecord, error) {
	apiID := params["apiId"]
	record, ok := svc.world(c).APIs[apiID]
	if !ok {
		return nil, core.NotFoundAPI(c.Account, apiID)
	}
	record.ensureConfig()
	return record, nil
}

// decodeBody unmarshals a request body onto target (see core.DecodeJSON).
func decodeBody(body []byte, target any) error {
	return core.DecodeJSON(body, target, unparsableBody)
}

// defaultPageSize is the page size when maxResults is absent (AWS's default
// is not documented).
const (
	defaultPageSize = 100
	maxPageSize     = 500
)

// paginate returns one page of items, in id order, each answered through
// view. nextToken is opaque to clients: the base64 of the last id served.
func paginate[T, V any](r *http.Request, items map[string]*T, idOf func(*T) string, view func(*T) V) (Page[V], error) {
	query := r.URL.Query()
	size, ok := core.ParsePageSize(query.Get("maxResults"), defaultPageSize, maxPageSize)
	if !ok {
		return Page[V]{}, errInvalidMaxResults.With(query.Get("maxResults"), maxPageSize)
	}
	after := ""
	if token := query.Get("nextToken"); token != "" {
		decoded, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(decoded) == 0 {
			return Page[V]{}, errInvalidPaginationToken.With()
		}
		after = string(decoded)
	}
	served, more := core.PageAfter(items, idOf, after, size)
	page := Page[V]{Items: core.Map(served, view)}
	if more {
		page.NextToken = base64.RawURLEncoding.EncodeToString([]byte(idOf(served[len(served)-1])))
	}
	return page, nil
}

func ptr[T any](v T) *T { return &v }
