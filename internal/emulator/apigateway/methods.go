package apigateway

import (
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
	for _, contentType := range sortedKeys(models) {
		if _, ok := t.Models[models[contentType]]; !ok {
			return modelIdentifierNotFound(models[contentType])
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
		{path: "/operationName", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			setString(&m.OperationName, op)
			return nil
		}},
		{path: "/requestValidatorId", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			setString(&m.RequestValidatorID, op)
			return nil
		}},
		{path: "/apiKeyRequired", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			m.APIKeyRequired = patchBool(op)
			return nil
		}},
		{path: "/authorizationType", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			m.AuthorizationType = strings.ToUpper(op.value())
			return nil
		}},
		{path: "/authorizerId", ops: []string{"replace"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, _ string) error {
			setString(&m.AuthorizerID, op)
			return nil
		}},
		{path: "/requestParameters/", ops: []string{"add", "replace", "remove"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, key string) error {
			patchMapKey(&m.RequestParameters, op, key, patchBool(op))
			return nil
		}},
		{path: "/requestModels/", ops: []string{"add", "replace", "remove"}, apply: func(_ *core.Call, m *restMethod, op restPatchOperation, key string) error {
			patchMapKey(&m.RequestModels, op, key, op.value())
			return nil
		}},
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
	updated := core.DeepCopy(*m)
	if err := methodPatches.apply(c, &updated, ops); err != nil {
		return 0, nil, err
	}
	if err := tree.checkMethod(&updated); err != nil {
		return 0, nil, err
	}
	res.Methods[m.HTTPMethod] = &updated
	return http.StatusOK, core.DeepCopy(updated), nil
}

func (s *Service) deleteMethod(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, res, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(res.Methods, m.HTTPMethod)
	return http.StatusNoContent, nil, nil
}

// Method responses.

func (s *Service) lookupMethodResponse(c *core.Call, params core.PathParams) (*restMethod, *restMethodResponse, error) {
	_, _, m, err := s.lookupMethod(c, params)
	if err != nil {
		return nil, nil, err
	}
	mr, ok := m.MethodResponses[params["status_code"]]
	if !ok {
		return nil, nil, responseNotFound()
	}
	return m, mr, nil
}

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
	tree, _, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := tree.checkModelNames(in.ResponseModels); err != nil {
		return 0, nil, err
	}
	mr := &restMethodResponse{StatusCode: params["status_code"], ResponseParameters: in.ResponseParameters, ResponseModels: in.ResponseModels}
	if m.MethodResponses == nil {
		m.MethodResponses = map[string]*restMethodResponse{}
	}
	m.MethodResponses[mr.StatusCode] = mr
	return http.StatusCreated, core.DeepCopy(*mr), nil
}

func (s *Service) getMethodResponse(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	if err := validateStatusCode(params["status_code"]); err != nil {
		return 0, nil, err
	}
	_, mr, err := s.lookupMethodResponse(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*mr), nil
}

var methodResponsePatches = restPatchTable[restMethodResponse]{patchers: []restPatcher[restMethodResponse]{
	{path: "/responseParameters/", ops: []string{"add", "replace", "remove"}, apply: func(_ *core.Call, mr *restMethodResponse, op restPatchOperation, key string) error {
		patchMapKey(&mr.ResponseParameters, op, key, patchBool(op))
		return nil
	}},
	{path: "/responseModels/", ops: []string{"add", "replace", "remove"}, apply: func(_ *core.Call, mr *restMethodResponse, op restPatchOperation, key string) error {
		patchMapKey(&mr.ResponseModels, op, key, op.value())
		return nil
	}},
}}

// updateMethodResponse answers 201, as AWS does (recorded). Its model
// validation lists the op violations first, then the status code's.
func (s *Service) updateMethodResponse(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		PatchOperations []restPatchOperation `json:"patchOperations"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	v.patchOps("updateMethodResponseInput", in.PatchOperations)
	v.statusCode(params["status_code"])
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, _, m, err := s.lookupMethod(c, params)
	if err != nil {
		return 0, nil, err
	}
	mr, ok := m.MethodResponses[params["status_code"]]
	if !ok {
		return 0, nil, responseNotFound()
	}
	updated := core.DeepCopy(*mr)
	if err := methodResponsePatches.apply(c, &updated, in.PatchOperations); err != nil {
		return 0, nil, err
	}
	if err := tree.checkModelNames(updated.ResponseModels); err != nil {
		return 0, nil, err
	}
	m.MethodResponses[mr.StatusCode] = &updated
	return http.StatusCreated, core.DeepCopy(updated), nil
}

func (s *Service) deleteMethodResponse(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	if err := validateStatusCode(params["status_code"]); err != nil {
		return 0, nil, err
	}
	m, mr, err := s.lookupMethodResponse(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(m.MethodResponses, mr.StatusCode)
	return http.StatusNoContent, nil, nil
}
