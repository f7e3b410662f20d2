package emulator

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
)

// v2Service emulates apigatewayv2: HTTP and WebSocket APIs with their routes,
// integrations, stages, deployments and tags.
type v2Service struct {
	// endpointBase returns "execute-api.{host}[:port]" for apiEndpoint.
	endpointBase func() string
	// worlds holds each account and region's state, keyed "account/region".
	worlds map[string]*v2World
}

func newV2Service(endpointBase func() string) *v2Service {
	return &v2Service{endpointBase: endpointBase, worlds: map[string]*v2World{}}
}

func (svc *v2Service) routes() []route {
	return []route{
		{http.MethodPost, "/v2/apis", "CreateApi", true, svc.createAPI},
		{http.MethodGet, "/v2/apis", "GetApis", false, svc.getAPIs},
		{http.MethodGet, "/v2/apis/{apiId}", "GetApi", false, svc.getAPI},
		{http.MethodPatch, "/v2/apis/{apiId}", "UpdateApi", true, svc.updateAPI},
		{http.MethodDelete, "/v2/apis/{apiId}", "DeleteApi", true, svc.deleteAPI},
		{http.MethodDelete, "/v2/apis/{apiId}/cors", "DeleteCorsConfiguration", true, svc.deleteCors},

		{http.MethodPost, "/v2/apis/{apiId}/routes", "CreateRoute", true, svc.createRoute},
		{http.MethodGet, "/v2/apis/{apiId}/routes", "GetRoutes", false, svc.getRoutes},
		{http.MethodGet, "/v2/apis/{apiId}/routes/{routeId}", "GetRoute", false, svc.getRoute},
		{http.MethodPatch, "/v2/apis/{apiId}/routes/{routeId}", "UpdateRoute", true, svc.updateRoute},
		{http.MethodDelete, "/v2/apis/{apiId}/routes/{routeId}", "DeleteRoute", true, svc.deleteRoute},

		{http.MethodPost, "/v2/apis/{apiId}/integrations", "CreateIntegration", true, svc.createIntegration},
		{http.MethodGet, "/v2/apis/{apiId}/integrations", "GetIntegrations", false, svc.getIntegrations},
		{http.MethodGet, "/v2/apis/{apiId}/integrations/{integrationId}", "GetIntegration", false, svc.getIntegration},
		{http.MethodPatch, "/v2/apis/{apiId}/integrations/{integrationId}", "UpdateIntegration", true, svc.updateIntegration},
		{http.MethodDelete, "/v2/apis/{apiId}/integrations/{integrationId}", "DeleteIntegration", true, svc.deleteIntegration},

		{http.MethodPost, "/v2/apis/{apiId}/stages", "CreateStage", true, svc.createStage},
		{http.MethodGet, "/v2/apis/{apiId}/stages", "GetStages", false, svc.getStages},
		{http.MethodGet, "/v2/apis/{apiId}/stages/{stageName}", "GetStage", false, svc.getStage},
		{http.MethodPatch, "/v2/apis/{apiId}/stages/{stageName}", "UpdateStage", true, svc.updateStage},
		{http.MethodDelete, "/v2/apis/{apiId}/stages/{stageName}", "DeleteStage", true, svc.deleteStage},

		{http.MethodPost, "/v2/apis/{apiId}/deployments", "CreateDeployment", true, svc.createDeployment},
		{http.MethodGet, "/v2/apis/{apiId}/deployments", "GetDeployments", false, svc.getDeployments},
		{http.MethodGet, "/v2/apis/{apiId}/deployments/{deploymentId}", "GetDeployment", false, svc.getDeployment},
		{http.MethodDelete, "/v2/apis/{apiId}/deployments/{deploymentId}", "DeleteDeployment", true, svc.deleteDeployment},

		{http.MethodPost, "/v2/tags/{resourceArn}", "TagResource", true, svc.tagResource},
		{http.MethodDelete, "/v2/tags/{resourceArn}", "UntagResource", true, svc.untagResource},
		{http.MethodGet, "/v2/tags/{resourceArn}", "GetTags", false, svc.getTags},
	}
}

func (svc *v2Service) snapshot() (json.RawMessage, error) { return json.Marshal(svc.worlds) }

func (svc *v2Service) restore(raw json.RawMessage) error {
	worlds := map[string]*v2World{}
	if err := json.Unmarshal(raw, &worlds); err != nil {
		return err
	}
	svc.worlds = worlds
	return nil
}

// world returns the caller's account and region state, creating it.
func (svc *v2Service) world(c *call) *v2World {
	key := c.Account + "/" + c.Region
	w := svc.worlds[key]
	if w == nil {
		w = &v2World{APIs: map[string]*v2APIRecord{}}
		svc.worlds[key] = w
	}
	return w
}

// lookupAPI returns the API named by the apiId label, or AWS's NotFound.
func (svc *v2Service) lookupAPI(c *call, params pathParams) (*v2APIRecord, error) {
	apiID := params["apiId"]
	record, ok := svc.world(c).APIs[apiID]
	if !ok {
		return nil, notFound("Invalid API identifier specified %s:%s", c.Account, apiID)
	}
	return record, nil
}

// decodeBody unmarshals a request body onto target, leaving the members the
// body does not carry as they were: Create starts from defaults, Update from
// the current object.
func decodeBody(body []byte, target any) error {
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, target); err != nil {
		return badRequest("Could not parse request body into json: %s", err.Error())
	}
	return nil
}

// bodyHas reports whether a JSON object body carries member, even as null.
func bodyHas(body []byte, member string) bool {
	var members map[string]json.RawMessage
	if json.Unmarshal(body, &members) != nil {
		return false
	}
	_, ok := members[member]
	return ok
}

// defaultPageSize is the page size when maxResults is absent.
const defaultPageSize = 100

// paginate returns one page of items, in id order, each answered through
// view. nextToken is opaque to clients: the base64 of the last id served.
func paginate[T, V any](r *http.Request, items map[string]*T, idOf func(*T) string, view func(*T) V) (v2Page[V], error) {
	size := defaultPageSize
	if raw := r.URL.Query().Get("maxResults"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 500 {
			return v2Page[V]{}, badRequest("Invalid maxResults value %q: must be an integer between 1 and 500", raw)
		}
		size = n
	}
	after := ""
	if token := r.URL.Query().Get("nextToken"); token != "" {
		decoded, err := base64.RawURLEncoding.DecodeString(token)
		if err != nil || len(decoded) == 0 {
			return v2Page[V]{}, badRequest("Invalid pagination token")
		}
		after = string(decoded)
	}
	byID := make(map[string]*T, len(items))
	ids := make([]string, 0, len(items))
	for _, item := range items {
		if id := idOf(item); id > after {
			byID[id] = item
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	page := v2Page[V]{Items: []V{}}
	for i, id := range ids {
		if i == size {
			page.NextToken = base64.RawURLEncoding.EncodeToString([]byte(ids[i-1]))
			break
		}
		page.Items = append(page.Items, view(byID[id]))
	}
	return page, nil
}

// copyOf is the view of objects answered as stored.
func copyOf[T any](item *T) T { return *item }

// deepCopy returns a copy of v sharing no maps, slices or pointers with it, so
// an update that fails validation leaves the stored object untouched.
func deepCopy[T any](v T) T {
	encoded, err := json.Marshal(v)
	if err != nil {
		panic(err) // the v2 shapes always marshal
	}
	var copied T
	if err := json.Unmarshal(encoded, &copied); err != nil {
		panic(err)
	}
	return copied
}
