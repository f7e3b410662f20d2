package apigateway

import (
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restGatewayResponse is the GatewayResponse object. Only the responses an
// API customised are stored; the others are AWS's defaults.
type restGatewayResponse struct {
	ResponseType       string            `json:"responseType"`
	StatusCode         string            `json:"statusCode,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters"`
	ResponseTemplates  map[string]string `json:"responseTemplates"`
	DefaultResponse    bool              `json:"defaultResponse"`
}

// restGatewayResponseTypes are the types and their default status codes
// (DEFAULT_4XX and DEFAULT_5XX have none), in the model's order.
var restGatewayResponseTypes = []struct{ kind, status string }{
	{"DEFAULT_4XX", ""}, {"DEFAULT_5XX", ""}, {"RESOURCE_NOT_FOUND", "404"}, {"UNAUTHORIZED", "401"},
	{"INVALID_API_KEY", "403"}, {"ACCESS_DENIED", "403"}, {"AUTHORIZER_FAILURE", "500"},
	{"AUTHORIZER_CONFIGURATION_ERROR", "500"}, {"INVALID_SIGNATURE", "403"}, {"EXPIRED_TOKEN", "403"},
	{"MISSING_AUTHENTICATION_TOKEN", "403"}, {"INTEGRATION_FAILURE", "504"}, {"INTEGRATION_TIMEOUT", "504"},
	{"API_CONFIGURATION_ERROR", "500"}, {"UNSUPPORTED_MEDIA_TYPE", "415"}, {"BAD_REQUEST_PARAMETERS", "400"},
	{"BAD_REQUEST_BODY", "400"}, {"REQUEST_TOO_LARGE", "413"}, {"THROTTLED", "429"}, {"QUOTA_EXCEEDED", "429"},
	{"WAF_FILTERED", "403"},
}

func gatewayResponseTypeNames() []string {
	return core.Map(restGatewayResponseTypes, func(t struct{ kind, status string }) string { return t.kind })
}

// defaultGatewayResponse is the response AWS answers for a type nobody
// customised.
func defaultGatewayResponse(kind string) *restGatewayResponse {
	i := slices.IndexFunc(restGatewayResponseTypes, func(t struct{ kind, status string }) bool { return t.kind == kind })
	return &restGatewayResponse{
		ResponseType:       kind,
		StatusCode:         restGatewayResponseTypes[i].status,
		ResponseParameters: map[string]string{},
		ResponseTemplates:  map[string]string{"application/json": `{"message":$context.error.messageString}`},
		DefaultResponse:    true,
	}
}

// gatewayResponses is every type's response: the customised one or the
// default.
func (t *restChildren) gatewayResponses() map[string]*restGatewayResponse {
	all := map[string]*restGatewayResponse{}
	for _, kind := range gatewayResponseTypeNames() {
		if custom, ok := t.GatewayResponses[kind]; ok {
			all[kind] = custom
		} else {
			all[kind] = defaultGatewayResponse(kind)
		}
	}
	return all
}

func validateResponseType(kind string) error {
	var v restModelValidation
	v.enum("responseType", &kind, gatewayResponseTypeNames())
	return v.err()
}

func (s *Service) putGatewayResponse(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		StatusCode         *string           `json:"statusCode"`
		ResponseParameters map[string]string `json:"responseParameters"`
		ResponseTemplates  map[string]string `json:"responseTemplates"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	kind := params["response_type"]
	var v restModelValidation
	v.enum("responseType", &kind, gatewayResponseTypeNames())
	if in.StatusCode != nil {
		v.statusCode(*in.StatusCode)
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	gr := &restGatewayResponse{
		ResponseType:       kind,
		StatusCode:         restDeref(in.StatusCode),
		ResponseParameters: in.ResponseParameters,
		ResponseTemplates:  in.ResponseTemplates,
	}
	if gr.ResponseParameters == nil {
		gr.ResponseParameters = map[string]string{}
	}
	if gr.ResponseTemplates == nil {
		gr.ResponseTemplates = map[string]string{}
	}
	tree.GatewayResponses[kind] = gr
	return http.StatusCreated, core.DeepCopy(*gr), nil
}

func (s *Service) lookupGatewayResponse(c *core.Call, params core.PathParams) (*restChildren, *restGatewayResponse, error) {
	kind := params["response_type"]
	if err := validateResponseType(kind); err != nil {
		return nil, nil, err
	}
	_, tree, ok := s.lookupChildren(c, params)
	if !ok {
		return nil, nil, core.NotFoundAPI(c.Account, params["restapi_id"])
	}
	return tree, tree.gatewayResponses()[kind], nil
}

func (s *Service) getGatewayResponse(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, gr, err := s.lookupGatewayResponse(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*gr), nil
}

// getGatewayResponses lists every type, the defaults with defaultResponse
// true, paged by type.
func (s *Service) getGatewayResponses(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	return restListAnswer(r, tree.gatewayResponses(), func(gr *restGatewayResponse) string { return gr.ResponseType },
		func(gr *restGatewayResponse) restGatewayResponse { return core.DeepCopy(*gr) })
}

var gatewayResponsePatches = restPatchTable[restGatewayResponse]{patchers: []restPatcher[restGatewayResponse]{
	{path: "/statusCode", ops: []string{"replace"}, apply: func(_ *core.Call, gr *restGatewayResponse, op restPatchOperation, _ string) error {
		if err := validateStatusCode(op.value()); err != nil {
			return err
		}
		gr.StatusCode = op.value()
		return nil
	}},
	{path: "/responseParameters/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(gr *restGatewayResponse) *map[string]string { return &gr.ResponseParameters }, stringValue)},
	{path: "/responseTemplates/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(gr *restGatewayResponse) *map[string]string { return &gr.ResponseTemplates }, stringValue)},
}}

// updateGatewayResponse customises a type, starting from its current
// response (the default if none was put).
func (s *Service) updateGatewayResponse(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateGatewayResponseInput")
	if err != nil {
		return 0, nil, err
	}
	tree, current, err := s.lookupGatewayResponse(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated, err := patchedCopy(c, gatewayResponsePatches, current, ops, nil)
	if err != nil {
		return 0, nil, err
	}
	updated.DefaultResponse = false
	if updated.ResponseParameters == nil {
		updated.ResponseParameters = map[string]string{}
	}
	if updated.ResponseTemplates == nil {
		updated.ResponseTemplates = map[string]string{}
	}
	tree.GatewayResponses[updated.ResponseType] = updated
	return http.StatusOK, core.DeepCopy(*updated), nil
}

// deleteGatewayResponse restores the type's default.
func (s *Service) deleteGatewayResponse(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, gr, err := s.lookupGatewayResponse(c, params)
	if err != nil {
		return 0, nil, err
	}
	if gr.DefaultResponse {
		return 0, nil, gatewayResponseNotFound()
	}
	delete(tree.GatewayResponses, gr.ResponseType)
	return http.StatusAccepted, nil, nil
}
