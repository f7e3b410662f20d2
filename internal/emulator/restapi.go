package emulator

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"strconv"
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

// clone returns a deep copy, so that a patch can be applied to the copy and
// thrown away whole when one of its operations is refused, and so that an
// answer being encoded never shares memory with the stored state.
func (a *restAPI) clone() *restAPI {
	c := *a
	c.BinaryMediaTypes = slices.Clone(a.BinaryMediaTypes)
	c.EndpointConfiguration.Types = slices.Clone(a.EndpointConfiguration.Types)
	c.EndpointConfiguration.VpcEndpointIDs = slices.Clone(a.EndpointConfiguration.VpcEndpointIDs)
	if a.MinimumCompressionSize != nil {
		size := *a.MinimumCompressionSize
		c.MinimumCompressionSize = &size
	}
	if a.Tags != nil {
		c.Tags = make(map[string]string, len(a.Tags))
		for k, v := range a.Tags {
			c.Tags[k] = v
		}
	}
	return &c
}

// endpointType is the API's single endpoint type (AWS allows exactly one).
func (a *restAPI) endpointType() string {
	if len(a.EndpointConfiguration.Types) == 0 {
		return ""
	}
	return a.EndpointConfiguration.Types[0]
}

// restAPIService emulates the REST API operations of apigateway v1.
type restAPIService struct {
	// apis holds every REST API by world ("account/region") and then by id.
	apis map[string]map[string]*restAPI
}

func newRestAPIService() *restAPIService {
	return &restAPIService{apis: map[string]map[string]*restAPI{}}
}

func (s *restAPIService) routes() []route {
	return []route{
		{Method: http.MethodPost, Pattern: "/restapis", Operation: "CreateRestApi", Mutates: true, Handle: s.createRestAPI},
		{Method: http.MethodGet, Pattern: "/restapis", Operation: "GetRestApis", Handle: s.getRestAPIs},
		{Method: http.MethodGet, Pattern: "/restapis/{restapi_id}", Operation: "GetRestApi", Handle: s.getRestAPI},
		{Method: http.MethodPatch, Pattern: "/restapis/{restapi_id}", Operation: "UpdateRestApi", Mutates: true, Handle: s.updateRestAPI},
		{Method: http.MethodDelete, Pattern: "/restapis/{restapi_id}", Operation: "DeleteRestApi", Mutates: true, Handle: s.deleteRestAPI},
		{Method: http.MethodGet, Pattern: "/restapis/{restapi_id}/resources", Operation: "GetResources", Handle: s.getResources},
		{Method: http.MethodPut, Pattern: "/tags/{resource_arn}", Operation: "TagResource", Mutates: true, Handle: s.tagResource},
		{Method: http.MethodDelete, Pattern: "/tags/{resource_arn}", Operation: "UntagResource", Mutates: true, Handle: s.untagResource},
		{Method: http.MethodGet, Pattern: "/tags/{resource_arn}", Operation: "GetTags", Handle: s.getTags},
	}
}

func (s *restAPIService) snapshot() (json.RawMessage, error) {
	return json.Marshal(s.apis)
}

func (s *restAPIService) restore(state json.RawMessage) error {
	apis := map[string]map[string]*restAPI{}
	if err := json.Unmarshal(state, &apis); err != nil {
		return err
	}
	s.apis = apis
	return nil
}

func restWorldKey(c *call) string { return c.Account + "/" + c.Region }

// world returns the REST APIs of the caller's account and region, creating
// the map on first use.
func (s *restAPIService) world(c *call) map[string]*restAPI {
	apis := s.apis[restWorldKey(c)]
	if apis == nil {
		apis = map[string]*restAPI{}
		s.apis[restWorldKey(c)] = apis
	}
	return apis
}

// lookup finds an API of the caller's world. The id is matched exactly:
// AWS ids are case-sensitive (recorded case get-rest-api-id-is-case-sensitive).
func (s *restAPIService) lookup(c *call, id string) (*restAPI, error) {
	if api, ok := s.apis[restWorldKey(c)][id]; ok {
		return api, nil
	}
	return nil, notFound("Invalid API identifier specified %s:%s", c.Account, id)
}

func (s *restAPIService) createRestAPI(c *call, _ *http.Request, body []byte, _ pathParams) (int, any, error) {
	var in restCreateInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if err := in.validate(); err != nil {
		return 0, nil, err
	}
	api := in.build(c, s.unusedID(c))
	if err := c.limit(createRestAPIQuotaBucket(api.endpointType())); err != nil {
		return 0, nil, err
	}
	s.world(c)[api.ID] = api
	return http.StatusCreated, api.clone(), nil
}

// createRestAPIQuotaBucket names the quota AWS applies: edge-optimized
// creates are limited far more tightly (1 per 30 s) than the others.
func createRestAPIQuotaBucket(endpointType string) string {
	if endpointType == restEndpointEdge {
		return "CreateRestApi/EDGE"
	}
	return "CreateRestApi"
}

func (s *restAPIService) unusedID(c *call) string {
	for {
		id := newID(10)
		if _, taken := s.world(c)[id]; !taken {
			return id
		}
	}
}

func (s *restAPIService) getRestAPI(c *call, _ *http.Request, _ []byte, params pathParams) (int, any, error) {
	api, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, api.clone(), nil
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
func (s *restAPIService) getRestAPIs(c *call, r *http.Request, _ []byte, _ pathParams) (int, any, error) {
	limit, err := restPageSize(r)
	if err != nil {
		return 0, nil, err
	}
	after := r.URL.Query().Get("position")
	ids := make([]string, 0, len(s.apis[restWorldKey(c)]))
	for id := range s.apis[restWorldKey(c)] {
		if id > after {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	page := restPage[*restAPI]{Items: []*restAPI{}}
	for _, id := range ids {
		if len(page.Items) == limit {
			page.Position = page.Items[len(page.Items)-1].ID
			break
		}
		page.Items = append(page.Items, s.apis[restWorldKey(c)][id].clone())
	}
	return http.StatusOK, page, nil
}

// restPageSize reads the limit query parameter: 25 by default, at most 500.
func restPageSize(r *http.Request) (int, error) {
	raw := r.URL.Query().Get("limit")
	if raw == "" {
		return restDefaultPageSize, nil
	}
	limit, err := strconv.Atoi(raw)
	if err != nil || limit < 1 || limit > restMaxPageSize {
		return 0, badRequest("Invalid limit specified. Must be between 1 and %d", restMaxPageSize)
	}
	return limit, nil
}

func (s *restAPIService) updateRestAPI(c *call, _ *http.Request, body []byte, params pathParams) (int, any, error) {
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
	answer := updated.clone()
	tags := answer.Tags
	if tags == nil {
		tags = map[string]string{}
	}
	return http.StatusOK, restAPIWithTags{restAPI: answer, Tags: tags}, nil
}

func (s *restAPIService) deleteRestAPI(c *call, _ *http.Request, _ []byte, params pathParams) (int, any, error) {
	api, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	if err := c.limit("DeleteRestApi"); err != nil {
		return 0, nil, err
	}
	delete(s.world(c), api.ID)
	return http.StatusAccepted, nil, nil
}

// restResource is a Resource of a REST API. The emulator keeps only the root
// resource "/" that every API is created with.
type restResource struct {
	ID   string `json:"id"`
	Path string `json:"path"`
}

func (s *restAPIService) getResources(c *call, r *http.Request, _ []byte, params pathParams) (int, any, error) {
	api, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	if _, err := restPageSize(r); err != nil {
		return 0, nil, err
	}
	root := restResource{ID: api.RootResourceID, Path: "/"}
	return http.StatusOK, restPage[restResource]{Items: []restResource{root}}, nil
}

// decodeRestBody decodes a JSON request body; an empty body is an empty input.
func decodeRestBody(body []byte, into any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, into); err != nil {
		return badRequest("Invalid request body: %v", err)
	}
	return nil
}
