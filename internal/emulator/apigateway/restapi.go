// Package apigateway emulates the REST API operations of API Gateway v1
// (apigateway): REST APIs, their patches, tags and root resource.
package apigateway

import (
	"encoding/json"
	"net/http"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restAPI is one REST API (apigateway v1), stored exactly as it is answered on
// the wire: the JSON names are AWS's member names, and omitempty reproduces
// AWS's habit of leaving unset members out instead of sending them empty
// (the recorded cases assert that absence).
type restAPI struct {
	ID                        string                    `json:"id"`
	Name                      string                    `json:"name"`
	Description               string                    `json:"description,omitempty"`
	CreatedDate               int64                     `json:"createdDate"`
	Version                   string                    `json:"version,omitempty"`
	BinaryMediaTypes          []string                  `json:"binaryMediaTypes,omitempty"`
	MinimumCompressionSize    *int64                    `json:"minimumCompressionSize,omitempty"`
	APIKeySource              string                    `json:"apiKeySource"`
	EndpointConfiguration     restEndpointConfiguration `json:"endpointConfiguration"`
	Policy                    string                    `json:"policy,omitempty"`
	Tags                      map[string]string         `json:"tags,omitempty"`
	DisableExecuteAPIEndpoint bool                      `json:"disableExecuteApiEndpoint"`
	RootResourceID            string                    `json:"rootResourceId"`
	SecurityPolicy            string                    `json:"securityPolicy,omitempty"`
	EndpointAccessMode        string                    `json:"endpointAccessMode,omitempty"`
	// Children are the API's resources, stages and the rest: stored with
	// the API, never answered with it (see view).
	Children *restChildren `json:"children,omitempty"`
}

type restEndpointConfiguration struct {
	Types          []string `json:"types"`
	IPAddressType  string   `json:"ipAddressType"`
	VpcEndpointIDs []string `json:"vpcEndpointIds,omitempty"`
}

// restAPIWithTags is the UpdateRestApi answer: AWS sends "tags": {} there
// even for an API that has none, while Create and Get leave the member out.
// The outer Tags shadows the embedded one for encoding/json.
type restAPIWithTags struct {
	*restAPI
	Tags map[string]string `json:"tags"`
}

// clone returns a deep copy (core.DeepCopy), so that a patch can be applied
// to the copy and thrown away whole when one of its operations is refused,
// and so that an answer being encoded never shares memory with the stored
// state.
func (a *restAPI) clone() *restAPI {
	c := core.DeepCopy(*a)
	return &c
}

// view is the API as answered: its members without its children.
func (a *restAPI) view() *restAPI {
	shallow := *a
	shallow.Children = nil
	return shallow.clone()
}

// endpointType is the API's single endpoint type (AWS allows exactly one).
func (a *restAPI) endpointType() string {
	if len(a.EndpointConfiguration.Types) == 0 {
		return ""
	}
	return a.EndpointConfiguration.Types[0]
}

// Service emulates the REST API operations of apigateway v1.
type Service struct {
	// apis holds every REST API by world and then by id.
	apis core.Worlds[map[string]*restAPI]
	// The account-wide kinds (apikeys_account.go).
	apiKeys    core.Worlds[map[string]*apiKey]
	usagePlans core.Worlds[map[string]*usagePlan]
	vpcLinks   core.Worlds[map[string]*vpcLink]
	domains    *accountwide.Store
	// restStages tells whether a REST API has a stage (apikeys_account.go).
	restStages func(api *restAPI, stage string) bool
}

// New returns an apigateway without APIs.
func New() *Service {
	s := &Service{apis: core.Worlds[map[string]*restAPI]{}}
	s.initAccountWide()
	return s
}

// Name is the service's key in the state file and the quota table.
func (s *Service) Name() string { return awsquotas.ServiceAPIGateway }

// Routes is the REST control plane's route table: REST APIs, their
// children and the account-wide kinds.
func (s *Service) Routes() []core.Route {
	routes := []core.Route{
		{Method: http.MethodPost, Pattern: "/restapis", Operation: "CreateRestApi", Mutates: true, Handle: s.createRestAPI},
		{Method: http.MethodGet, Pattern: "/restapis", Operation: "GetRestApis", Handle: s.getRestAPIs},
		{Method: http.MethodGet, Pattern: "/restapis/{restapi_id}", Operation: "GetRestApi", Handle: s.getRestAPI},
		{Method: http.MethodPatch, Pattern: "/restapis/{restapi_id}", Operation: "UpdateRestApi", Mutates: true, Handle: s.updateRestAPI},
		{Method: http.MethodDelete, Pattern: "/restapis/{restapi_id}", Operation: "DeleteRestApi", Mutates: true, Handle: s.deleteRestAPI},
		{Method: http.MethodPut, Pattern: "/tags/{resource_arn}", Operation: "TagResource", Mutates: true, Handle: s.tagResource},
		{Method: http.MethodDelete, Pattern: "/tags/{resource_arn}", Operation: "UntagResource", Mutates: true, Handle: s.untagResource},
		{Method: http.MethodGet, Pattern: "/tags/{resource_arn}", Operation: "GetTags", Handle: s.getTags},
	}
	routes = append(routes, s.restChildRoutes()...)
	routes = append(routes, s.openAPIRoutes()...)
	return append(routes, s.accountWideRoutes()...)
}

// Snapshot returns the whole state for the state file.
func (s *Service) Snapshot() (json.RawMessage, error) { return core.Snapshot(s.state()) }

// Restore replaces the state with one Snapshot returned.
func (s *Service) Restore(raw json.RawMessage) error { return s.restoreState(raw) }

// world returns the REST APIs of the caller's account and region, creating
// the map on first use.
func (s *Service) world(c *core.Call) map[string]*restAPI {
	return s.apis.Of(c, func() map[string]*restAPI { return map[string]*restAPI{} })
}

// lookup finds an API of the caller's world. The id is matched exactly:
// AWS ids are case-sensitive (recorded case get-rest-api-id-is-case-sensitive).
func (s *Service) lookup(c *core.Call, id string) (*restAPI, error) {
	if api, ok := s.apis[c.WorldKey()][id]; ok {
		return api, nil
	}
	return nil, core.NotFoundAPI(c.Account, id)
}

// quota names one of the apigateway operations AWS quotas on their own.
func quota(operation, variant string) awsquotas.Operation {
	return awsquotas.Operation{Service: awsquotas.ServiceAPIGateway, Name: operation, Variant: variant}
}

func (s *Service) createRestAPI(c *core.Call, r *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	if r.URL.Query().Get("mode") == "import" {
		return s.importRestAPI(c, r, body) // ImportRestApi shares the route (openapi_import.go)
	}
	var in restCreateInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if err := in.validate(); err != nil {
		return 0, nil, err
	}
	api := in.build(c, s.unusedID(c))
	if err := c.Limit(createRestAPIQuota(api.endpointType())); err != nil {
		return 0, nil, err
	}
	s.world(c)[api.ID] = api
	return http.StatusCreated, api.view(), nil
}

// createRestAPIQuota names the quota AWS applies: edge-optimized creates
// are limited far more tightly (1 per 30 s) than the others.
func createRestAPIQuota(endpointType string) awsquotas.Operation {
	if endpointType == restEndpointEdge {
		return quota("CreateRestApi", awsquotas.VariantEdge)
	}
	return quota("CreateRestApi", "")
}

func (s *Service) unusedID(c *core.Call) string {
	for {
		id := core.NewID(10)
		if _, taken := s.world(c)[id]; !taken {
			return id
		}
	}
}

func (s *Service) getRestAPI(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	api, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, api.view(), nil
}

// restPage is a v1 collection page: the wire list key is "item" (singular).
type restPage[T any] struct {
	Items    []T    `json:"item"`
	Position string `json:"position,omitempty"`
}

const (
	restDefaultPageSize = 25
	restMaxPageSize     = 500
)

// getRestAPIs lists the APIs sorted by id. The position token is the last id
// of the page, so that deleting APIs between two pages skips nothing.
func (s *Service) getRestAPIs(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	return restListAnswer(r, s.apis[c.WorldKey()], func(a *restAPI) string { return a.ID }, (*restAPI).view)
}

// restPageSize reads the limit query parameter: 25 by default, at most 500.
func restPageSize(r *http.Request) (int, error) {
	limit, ok := core.ParsePageSize(r.URL.Query().Get("limit"), restDefaultPageSize, restMaxPageSize)
	if !ok {
		return 0, invalidLimit()
	}
	return limit, nil
}

func (s *Service) updateRestAPI(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		PatchOperations []restPatchOperation `json:"patchOperations"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	// AWS's input validation runs before the API is looked up.
	if err := validatePatchOps("updateRestApiInput", in.PatchOperations); err != nil {
		return 0, nil, err
	}
	stored, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	updated := stored.clone()
	for _, op := range in.PatchOperations {
		if err := patchRestAPI(c, updated, op); err != nil {
			return 0, nil, err
		}
	}
	s.world(c)[updated.ID] = updated
	answer := updated.view()
	tags := answer.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return http.StatusOK, restAPIWithTags{restAPI: answer, Tags: tags}, nil
}

func (s *Service) deleteRestAPI(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	api, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("DeleteRestApi", "")); err != nil {
		return 0, nil, err
	}
	delete(s.world(c), api.ID)
	return http.StatusAccepted, nil, nil
}

// decodeRestBody decodes a JSON request body; an empty body is an empty input.
func decodeRestBody(body []byte, into any) error {
	return core.DecodeJSON(body, into, invalidBody)
}
