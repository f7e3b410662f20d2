package apigateway

import (
	"errors"
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restResponses is a kind of response kept by status code under a parent:
// method responses under a method, integration responses under an
// integration. Their Get, Update and Delete handlers are built from it, and
// their Puts store through it.
type restResponses[P, T any] struct {
	// parent finds what holds the responses, answering AWS's 404s; on
	// Delete, deleteParent does when AWS words those differently.
	parent       func(s *Service, c *core.Call, params core.PathParams) (*restChildren, *P, error)
	deleteParent func(s *Service, c *core.Call, params core.PathParams) (*restChildren, *P, error)
	of           func(*P) *map[string]*T
	// update is the input name of the Update operation's model validation.
	update string
	// updated is the status UpdateX answers.
	updated int
	patches restPatchTable[T]
	// check validates an item about to be stored against the API.
	check func(tree *restChildren, item *T) error
}

// responseHandlers binds a kind of response to the service.
type responseHandlers[P, T any] struct {
	kind restResponses[P, T]
	svc  *Service
}

func (h responseHandlers[P, T]) lookup(c *core.Call, params core.PathParams, parent func(*Service, *core.Call, core.PathParams) (*restChildren, *P, error)) (*restChildren, *P, *T, error) {
	if err := validateStatusCode(params["status_code"]); err != nil {
		return nil, nil, nil, err
	}
	tree, p, err := parent(h.svc, c, params)
	if err != nil {
		return nil, nil, nil, err
	}
	item, ok := (*h.kind.of(p))[params["status_code"]]
	if !ok {
		return nil, nil, nil, responseNotFound()
	}
	return tree, p, item, nil
}

func (h responseHandlers[P, T]) get(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, _, item, err := h.lookup(c, params, h.kind.parent)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, core.DeepCopy(*item), nil
}

func (h responseHandlers[P, T]) updateOne(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodeStatusPatch(body, h.kind.update, params["status_code"])
	if err != nil {
		return 0, nil, err
	}
	tree, p, item, err := h.lookup(c, params, h.kind.parent)
	if err != nil {
		return 0, nil, err
	}
	updated, err := patchedCopy(c, h.kind.patches, item, ops, func(item *T) error { return h.kind.check(tree, item) })
	if err != nil {
		return 0, nil, err
	}
	(*h.kind.of(p))[params["status_code"]] = updated
	return h.kind.updated, core.DeepCopy(*updated), nil
}

func (h responseHandlers[P, T]) deleteOne(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	parent := h.kind.parent
	if h.kind.deleteParent != nil {
		parent = h.kind.deleteParent
	}
	_, p, _, err := h.lookup(c, params, parent)
	if err != nil {
		return 0, nil, err
	}
	delete(*h.kind.of(p), params["status_code"])
	return http.StatusNoContent, nil, nil
}

// put stores a response a Put made, after the kind's check.
func (h responseHandlers[P, T]) put(tree *restChildren, p *P, code string, item *T) (int, any, error) {
	if err := h.kind.check(tree, item); err != nil {
		return 0, nil, err
	}
	responses := h.kind.of(p)
	if *responses == nil {
		*responses = map[string]*T{}
	}
	(*responses)[code] = item
	return http.StatusCreated, core.DeepCopy(*item), nil
}

var methodResponses = restResponses[restMethod, restMethodResponse]{
	parent: func(s *Service, c *core.Call, params core.PathParams) (*restChildren, *restMethod, error) {
		tree, _, m, err := s.lookupMethod(c, params)
		return tree, m, err
	},
	of:      func(m *restMethod) *map[string]*restMethodResponse { return &m.MethodResponses },
	update:  "updateMethodResponseInput",
	updated: http.StatusCreated, // as AWS answers (recorded)
	check:   func(tree *restChildren, mr *restMethodResponse) error { return tree.checkModelNames(mr.ResponseModels) },
	patches: restPatchTable[restMethodResponse]{patchers: []restPatcher[restMethodResponse]{
		{path: "/responseParameters/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(mr *restMethodResponse) *map[string]bool { return &mr.ResponseParameters }, patchBool)},
		{path: "/responseModels/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(mr *restMethodResponse) *map[string]string { return &mr.ResponseModels }, stringValue)},
	}},
}

var integrationResponses = restResponses[restIntegration, restIntegrationResponse]{
	parent: func(s *Service, c *core.Call, params core.PathParams) (*restChildren, *restIntegration, error) {
		return s.lookupIntegration(c, params)
	},
	// DeleteIntegrationResponse answers a method that does not exist as a
	// missing integration, not a missing method (recorded).
	deleteParent: func(s *Service, c *core.Call, params core.PathParams) (*restChildren, *restIntegration, error) {
		tree, i, err := s.lookupIntegration(c, params)
		if e := (*core.Error)(nil); errors.As(err, &e) && e.Error() == methodNotFound().Error() {
			err = integrationNotFound()
		}
		return tree, i, err
	},
	of:      func(i *restIntegration) *map[string]*restIntegrationResponse { return &i.IntegrationResponses },
	update:  "updateIntegrationResponseInput",
	updated: http.StatusOK,
	check:   func(*restChildren, *restIntegrationResponse) error { return nil },
	patches: restPatchTable[restIntegrationResponse]{patchers: []restPatcher[restIntegrationResponse]{
		{path: "/selectionPattern", ops: []string{"replace"}, apply: func(_ *core.Call, ir *restIntegrationResponse, op restPatchOperation, _ string) error {
			value := op.value()
			ir.SelectionPattern = &value
			return nil
		}},
		{path: "/contentHandling", ops: []string{"replace", "remove"}, apply: patchContentHandling(func(ir *restIntegrationResponse) *string { return &ir.ContentHandling })},
		{path: "/responseParameters/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(ir *restIntegrationResponse) *map[string]string { return &ir.ResponseParameters }, stringValue)},
		{path: "/responseTemplates/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(ir *restIntegrationResponse) *map[string]string { return &ir.ResponseTemplates }, stringValue)},
	}},
}
