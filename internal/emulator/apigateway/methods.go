package apigateway

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restMethod is the Method object, stored as answered. omitzero keeps a map
// that was set empty ({}), while a map never set (or emptied by patches) is
// left out, as AWS answers.
type restMethod struct {
	HTTPMethod          string                         `json:"httpMethod"`
	AuthorizationType   string                         `json:"authorizationType"`
	AuthorizerID        string                         `json:"authorizerId,omitempty"`
	APIKeyRequired      bool                           `json:"apiKeyRequired"`
	RequestValidatorID  string                         `json:"requestValidatorId,omitempty"`
	OperationName       string                         `json:"operationName,omitempty"`
	RequestParameters   map[string]bool                `json:"requestParameters,omitzero"`
	RequestModels       map[string]string              `json:"requestModels,omitzero"`
	MethodResponses     map[string]*restMethodResponse `json:"methodResponses,omitempty"`
	MethodIntegration   *restIntegration               `json:"methodIntegration,omitempty"`
	AuthorizationScopes []string                       `json:"authorizationScopes,omitempty"`
}

// restMethodResponse is the MethodResponse object.
type restMethodResponse struct {
	StatusCode         string            `json:"statusCode"`
	ResponseParameters map[string]bool   `json:"responseParameters,omitzero"`
	ResponseModels     map[string]string `json:"responseModels,omitzero"`
}

// restHTTPMethods are the verbs a method may have, in AWS's order.
var restHTTPMethods = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"}

var restAuthorizationTypes = []string{"NONE", "AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"}

var restStatusCodePattern = regexp.MustCompile(`^[1-5]\d\d$`)

// checkStatusCode adds the model violation of a statusCode label to v.
func (v *restModelValidation) statusCode(code string) {
	if !restStatusCodePattern.MatchString(code) {
		v.violations = append(v.violations, "Value '"+code+"' at 'statusCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [1-5]\\d\\d")
	}
}

func validateStatusCode(code string) error {
	var v restModelValidation
	v.statusCode(code)
	return v.err()
}

// lookupMethod finds the method a path names; its verb is matched in upper
// case.
func (s *Service) lookupMethod(c *core.Call, params core.PathParams) (*restChildren, *restResource, *restMethod, error) {
	tree, res, err := s.lookupResource(c, params)
	if err != nil {
		return nil, nil, nil, err
	}
	m, ok := res.Methods[strings.ToUpper(params["http_method"])]
	if !ok {
		return nil, nil, nil, methodNotFound()
	}
	return tree, res, m, nil
}

type putMethodInput struct {
	AuthorizationType   *string           `json:"authorizationType"`
	AuthorizerID        string            `json:"authorizerId"`
	APIKeyRequired      bool              `json:"apiKeyRequired"`
	OperationName       string            `json:"operationName"`
	RequestParameters   map[string]bool   `json:"requestParameters"`
	RequestModels       map[string]string `json:"requestModels"`
	RequestValidatorID  string            `json:"requestValidatorId"`
	AuthorizationScopes []string          `json:"authorizationScopes"`
}

func (s *Service) putMethod(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in putMethodInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.AuthorizationType == nil {
		var v restModelValidation
		v.null("putMethodInput.authorizationType")
		return 0, nil, v.err()
	}
	tree, res, err := s.lookupResource(c, params)
	if err != nil {
		return 0, nil, err
	}
	verb := strings.ToUpper(params["http_method"])
	if !slices.Contains(restHTTPMethods, verb) {
		return 0, nil, invalidHTTPMethod()
	}
	m := &restMethod{
		HTTPMethod:          verb,
		AuthorizationType:   strings.ToUpper(*in.AuthorizationType),
		AuthorizerID:        in.AuthorizerID,
		APIKeyRequired:      in.APIKeyRequired,
		OperationName:       in.OperationName,
		RequestParameters:   in.RequestParameters,
		RequestModels:       in.RequestModels,
		RequestValidatorID:  in.RequestValidatorID,
		AuthorizationScopes: in.AuthorizationScopes,
	}
	if err := tree.checkMethod(m); err != nil {
		return 0, nil, err
	}
	if _, taken := res.Methods[verb]; taken {
		return 0, nil, methodExists()
	}
	if res.Methods == nil {
		res.Methods = map[string]*restMethod{}
	}
	res.Methods[verb] = m
	return http.StatusCreated, core.DeepCopy(*m), nil
}

// checkMethod validates a method against the API, as PutMethod and
// UpdateMethod (after all its operations) do. An authorizer id only counts
// for CUSTOM and COGNITO_USER_POOLS; with another type AWS drops it.
func (t *restChildren) checkMethod(m *restMethod) error {
	if !slices.Contains(restAuthorizationTypes, m.AuthorizationType) {
		return invalidAuthorizationType()
	}
	if m.AuthorizationType == "CUSTOM" || m.AuthorizationType == "COGNITO_USER_POOLS" {
		if _, ok := t.Authorizers[m.AuthorizerID]; !ok {
			return authorizerRequired()
		}
	} else {
		m.AuthorizerID = ""
	}
	if m.RequestValidatorID != "" {
		if _, ok := t.Validators[m.RequestValidatorID]; !ok {
			return unknownMethodValidator()
		}
	}
	for name := range m.RequestParameters {
		if !restMethodRequestParameter.MatchString(name) {
			return invalidMethodRequestParameter(name)
		}
	}
	return t.checkModelNames(m.RequestModels)
}

var restMethodRequestParameter = regexp.MustCompile(`^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader)\.[^.\s]+$`)

// checkModelNames refuses request or response models naming no model.
func (t *restChildren) checkModelNames(models map[string]string) error {
	for _, contentType := range slices.Sorted(maps.Keys(models)) {
		if _, ok := t.Models[models[contentType]]; !ok {
			return modelIdentifierNotFound(models[contentType])
		}
	}
	return nil
}

func (s *Service) getMethod(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, _, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*m), nil
}

// methodPatches are UpdateMethod's paths. An unknown path is worded
// "Invalid patch path /x" (recorded), unlike Resources.
var methodPatches = restPatchTable[restMethod]{
	unknownPath: func(op restPatchOperation, _ []string) error { return shortInvalidPatchPath(op) },
	patchers: []restPatcher[restMethod]{
		{path: "/operationName", ops: []string{"replace"}, apply: stringMember(func(m *restMethod) *string { return &m.OperationName })},
		{path: "/requestValidatorId", ops: []string{"replace"}, apply: stringMember(func(m *restMethod) *string { return &m.RequestValidatorID })},
		{path: "/apiKeyRequired", ops: []string{"replace"}, apply: boolMember(func(m *restMethod) *bool { return &m.APIKeyRequired })},
		{path: "/authorizationType", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			m.AuthorizationType = strings.ToUpper(op.value())
			return nil
		}},
		{path: "/authorizerId", ops: []string{"replace"}, apply: stringMember(func(m *restMethod) *string { return &m.AuthorizerID })},
		{path: "/requestParameters/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(m *restMethod) *map[string]bool { return &m.RequestParameters }, patchBool)},
		{path: "/requestModels/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(m *restMethod) *map[string]string { return &m.RequestModels }, stringValue)},
		{path: "/authorizationScopes", ops: []string{"add", "remove"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			m.AuthorizationScopes = patchSetMember(m.AuthorizationScopes, op, op.value())
			return nil
		}},
	},
}

// patchSetMember adds or removes one element of a list kept as a set.
func patchSetMember(list []string, op restPatchOperation, value string) []string {
	if op.Op == "remove" {
		return slices.DeleteFunc(list, func(v string) bool { return v == value })
	}
	if value != "" && !slices.Contains(list, value) {
		list = append(list, value)
	}
	return list
}

func (s *Service) updateMethod(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateMethodInput")
	if err != nil {
		return 0, nil, err
	}
	tree, res, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated, err := patchedCopy(c, methodPatches, m, ops, tree.checkMethod)
	if err != nil {
		return 0, nil, err
	}
	res.Methods[m.HTTPMethod] = updated
	return http.StatusOK, core.DeepCopy(*updated), nil
}

func (s *Service) deleteMethod(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, res, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(res.Methods, m.HTTPMethod)
	return http.StatusNoContent, nil, nil
}

// Method responses (the others are responseHandlers').

func (s *Service) putMethodResponse(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	if err := validateStatusCode(params["status_code"]); err != nil {
		return 0, nil, err
	}
	var in struct {
		ResponseParameters map[string]bool   `json:"responseParameters"`
		ResponseModels     map[string]string `json:"responseModels"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	tree, m, err := methodResponses.parent(s, c, params)
	if err != nil {
		return 0, nil, err
	}
	code := params["status_code"]
	mr := &restMethodResponse{StatusCode: code, ResponseParameters: in.ResponseParameters, ResponseModels: in.ResponseModels}
	return responseHandlers[restMethod, restMethodResponse]{methodResponses, s}.put(tree, m, code, mr)
}
