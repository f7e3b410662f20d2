package apigateway

import (
	"maps"
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restValidator is the RequestValidator object, stored as answered: both
// flags are always answered.
type restValidator struct {
	ID                        string `json:"id"`
	Name                      string `json:"name,omitempty"`
	ValidateRequestBody       bool   `json:"validateRequestBody"`
	ValidateRequestParameters bool   `json:"validateRequestParameters"`
}

// createRequestValidator answers an unknown API with a 400, not a 404
// (recorded).
func (s *Service) createRequestValidator(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in restValidator
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params, invalidRestAPIIdentifier)
	if err != nil {
		return 0, nil, err
	}
	in.ID = unusedChildID(tree.Validators, 6)
	tree.Validators[in.ID] = &in
	return http.StatusCreated, core.DeepCopy(in), nil
}

var validatorKind = restKind[restValidator]{
	label:    "requestvalidator_id",
	of:       func(t *restChildren) map[string]*restValidator { return t.Validators },
	idOf:     func(v *restValidator) string { return v.ID },
	notFound: func(string) error { return validatorNotFound() },
	update:   "updateRequestValidatorInput",
	patches: restPatchTable[restValidator]{patchers: []restPatcher[restValidator]{
		{path: "/name", ops: []string{"replace"}, apply: stringMember(func(v *restValidator) *string { return &v.Name })},
		{path: "/validateRequestBody", ops: []string{"replace"}, apply: boolMember(func(v *restValidator) *bool { return &v.ValidateRequestBody })},
		{path: "/validateRequestParameters", ops: []string{"replace"}, apply: boolMember(func(v *restValidator) *bool { return &v.ValidateRequestParameters })},
	}},
	deletable: func(t *restChildren, v *restValidator) error {
		for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
			for _, m := range t.Resources[id].Methods {
				if m.RequestValidatorID == v.ID {
					return validatorInUse()
				}
			}
		}
		return nil
	},
}
