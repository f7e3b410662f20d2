package apigateway

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restChildren is everything a REST API holds besides its own members:
// resources (with their methods, integrations and responses), deployments
// and the snapshots they froze, stages, authorizers, models, request
// validators, customised gateway responses and documentation. It lives in
// the REST API's record, so persistence, restore and (account, region)
// isolation cover it with the API.
type restChildren struct {
	Resources        map[string]*restResource         `json:"resources"`
	Deployments      map[string]*restDeploymentRecord `json:"deployments"`
	Stages           map[string]*restStage            `json:"stages"`
	Authorizers      map[string]*restAuthorizer       `json:"authorizers"`
	Models           map[string]*restModel            `json:"models"`
	Validators       map[string]*restValidator        `json:"requestValidators"`
	GatewayResponses map[string]*restGatewayResponse  `json:"gatewayResponses"`
	DocParts         map[string]*restDocPart          `json:"documentationParts"`
	DocVersions      map[string]*restDocVersion       `json:"documentationVersions"`
}

// newRestChildren makes what every API is created with: the root resource
// "/" and the default models Empty and Error.
func newRestChildren(rootID string) *restChildren {
	t := &restChildren{}
	t.fill(rootID)
	return t
}

// fill creates the maps a record read from an older state file lacks, and
// the root resource and default models when there are no resources yet.
func (t *restChildren) fill(rootID string) {
	if t.Resources == nil {
		t.Resources = map[string]*restResource{rootID: {ID: rootID}}
	}
	if t.Models == nil {
		t.Models = defaultModels()
	}
	fillMap(&t.Deployments)
	fillMap(&t.Stages)
	fillMap(&t.Authorizers)
	fillMap(&t.Validators)
	fillMap(&t.GatewayResponses)
	fillMap(&t.DocParts)
	fillMap(&t.DocVersions)
}

func fillMap[T any](m *map[string]*T) {
	if *m == nil {
		*m = map[string]*T{}
	}
}

// children returns the API's children, creating them for an API stored
// before the emulator kept any.
func (a *restAPI) children() *restChildren {
	if a.Children == nil {
		a.Children = &restChildren{}
	}
	a.Children.fill(a.RootResourceID)
	return a.Children
}

// lookupChildren finds the caller's API and its children; missing answers
// an unknown API, which AWS words differently per kind.
func (s *Service) lookupChildren(c *core.Call, params core.PathParams) (*restAPI, *restChildren, bool) {
	api, ok := s.apis[c.WorldKey()][params["restapi_id"]]
	if !ok {
		return nil, nil, false
	}
	return api, api.children(), true
}

// apiChildrenOf is lookupChildren with the unknown API answered as the
// operation answers it: unknown() when given, else AWS's usual 404.
func (s *Service) apiChildrenOf(c *core.Call, params core.PathParams, unknown ...func() error) (*restAPI, *restChildren, error) {
	api, tree, ok := s.lookupChildren(c, params)
	switch {
	case ok:
		return api, tree, nil
	case len(unknown) > 0:
		return nil, nil, unknown[0]()
	default:
		return nil, nil, core.NotFoundAPI(c.Account, params["restapi_id"])
	}
}

// childrenOf is apiChildrenOf for operations that need only the children.
func (s *Service) childrenOf(c *core.Call, params core.PathParams, unknown ...func() error) (*restChildren, error) {
	_, tree, err := s.apiChildrenOf(c, params, unknown...)
	return tree, err
}

// restKind is one kind of item kept directly under an API (deployments,
// stages, authorizers, models, request validators, documentation). Its Get,
// Gets, Update and Delete handlers are built from where the API keeps the
// kind and the hooks holding the kind's own rules, so every kind looks up,
// copies, pages, patches and deletes the same way.
type restKind[T any] struct {
	// label is the path label naming one, such as "authorizer_id".
	label string
	of    func(*restChildren) map[string]*T
	idOf  func(*T) string
	// notFound answers an unknown item, and also an unknown API on Get,
	// Update and Delete, as AWS does for models and request validators.
	notFound func(id string) error
	// view is the item as answered; nil answers a copy of the stored item.
	view func(*T) any
	// update is the input name of the Update operation's model validation
	// ("updateModelInput"), and patches its paths.
	update  string
	patches restPatchTable[T]
	// check validates an updated item against the API before it is stored.
	check func(tree *restChildren, item *T) error
	// updated is the status UpdateX answers (200 unless AWS says otherwise).
	updated int
	// deletable refuses to delete what something still uses; nil allows all.
	deletable func(tree *restChildren, item *T) error
}

func (k restKind[T]) lookup(s *Service, c *core.Call, params core.PathParams) (*restChildren, *T, error) {
	_, tree, ok := s.lookupChildren(c, params)
	if !ok {
		return nil, nil, k.notFound(params[k.label])
	}
	item, ok := k.of(tree)[params[k.label]]
	if !ok {
		return nil, nil, k.notFound(params[k.label])
	}
	return tree, item, nil
}

func (k restKind[T]) answer(item *T) any {
	if k.view != nil {
		return k.view(item)
	}
	copied := core.DeepCopy(*item)
	return &copied
}

// restHandlers binds a kind to the service for the route table.
type restHandlers[T any] struct {
	kind restKind[T]
	svc  *Service
}

func (h restHandlers[T]) get(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, item, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, h.kind.answer(item), nil
}

// list pages the kind in id order; an unknown API is AWS's usual 404.
func (h restHandlers[T]) list(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, err := h.svc.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	return restListAnswer(r, h.kind.of(tree), h.kind.idOf, h.kind.answer)
}

func (h restHandlers[T]) update(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, h.kind.update)
	if err != nil {
		return 0, nil, err
	}
	tree, current, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	updated, err := patchedCopy(c, h.kind.patches, current, ops, func(item *T) error {
		if h.kind.check == nil {
			return nil
		}
		return h.kind.check(tree, item)
	})
	if err != nil {
		return 0, nil, err
	}
	*current = *updated
	status := http.StatusOK
	if h.kind.updated != 0 {
		status = h.kind.updated
	}
	return status, h.kind.answer(current), nil
}

func (h restHandlers[T]) delete(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, item, err := h.kind.lookup(h.svc, c, params)
	if err == nil {
		err = h.kind.remove(tree, item)
	}
	return http.StatusAccepted, nil, err
}

// remove deletes item unless the kind's deletable refuses.
func (k restKind[T]) remove(tree *restChildren, item *T) error {
	if k.deletable != nil {
		if err := k.deletable(tree, item); err != nil {
			return err
		}
	}
	delete(k.of(tree), k.idOf(item))
	return nil
}

// patchedCopy applies ops to a copy of current and checks the result, for
// the caller to store; a refusal leaves current as it was.
func patchedCopy[T any](c *core.Call, table restPatchTable[T], current *T, ops []restPatchOperation, check func(*T) error) (*T, error) {
	updated := core.DeepCopy(*current)
	if err := table.apply(c, &updated, ops); err != nil {
		return nil, err
	}
	if check != nil {
		if err := check(&updated); err != nil {
			return nil, err
		}
	}
	return &updated, nil
}

// decodeStatusPatch decodes the patch of a response named by its status
// code: the model validation lists the op violations, then the code's.
func decodeStatusPatch(body []byte, input, statusCode string) ([]restPatchOperation, error) {
	var in struct {
		PatchOperations []restPatchOperation `json:"patchOperations"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return nil, err
	}
	var v restModelValidation
	v.patchOps(input, in.PatchOperations)
	v.statusCode(statusCode)
	return in.PatchOperations, v.err()
}

// restListPage is one page of a v1 collection in id order: position is the
// last id of the page, so deleting items between two pages skips nothing.
func restListPage[T, V any](r *http.Request, items map[string]*T, idOf func(*T) string, view func(*T) V) (restPage[V], error) {
	limit, err := restPageSize(r)
	if err != nil {
		return restPage[V]{}, err
	}
	found, more := core.PageAfter(items, idOf, r.URL.Query().Get("position"), limit)
	page := restPage[V]{Items: core.Map(found, view)}
	if more {
		page.Position = idOf(found[len(found)-1])
	}
	return page, nil
}

// restListAnswer answers one page of a collection (restListPage).
func restListAnswer[T, V any](r *http.Request, items map[string]*T, idOf func(*T) string, view func(*T) V) (int, any, error) {
	page, err := restListPage(r, items, idOf, view)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// assignIfSet copies a member that was sent over its default.
func assignIfSet[T any](dst *T, sent *T) {
	if sent != nil {
		*dst = *sent
	}
}

// decodePatch decodes an Update* body and runs the model validation of its
// operations (before any lookup, as AWS does).
func decodePatch(body []byte, input string) ([]restPatchOperation, error) {
	var in struct {
		PatchOperations []restPatchOperation `json:"patchOperations"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return nil, err
	}
	if err := validatePatchOps(input, in.PatchOperations); err != nil {
		return nil, err
	}
	return in.PatchOperations, nil
}

// unusedChildID returns a fresh id of n characters not used in items.
func unusedChildID[T any](items map[string]*T, n int) string {
	for {
		id := core.NewID(n)
		if _, taken := items[id]; !taken {
			return id
		}
	}
}

// Patch value helpers. Values are strings on the wire.

// patchBool reads a boolean as AWS does for most members: "true" in any
// case is true, anything else false (recorded for apiKeyRequired).
func patchBool(op restPatchOperation) bool { return strings.EqualFold(op.value(), "true") }

// patchStrictBool refuses what is neither true nor false.
func patchStrictBool(op restPatchOperation) (bool, error) {
	switch strings.ToLower(op.value()) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, invalidPatchBoolean(op)
}

func patchInt(op restPatchOperation) (int64, error) {
	n, err := strconv.ParseInt(op.value(), 10, 64)
	if err != nil {
		return 0, invalidPatchNumber(op)
	}
	return n, nil
}

// patchMapKey adds, replaces or removes one key of a map member; the map
// becomes nil (member absent) when its last key goes, as AWS answers.
func patchMapKey[V any](m *map[string]V, op restPatchOperation, key string, value V) {
	if op.Op == "remove" {
		delete(*m, key)
		if len(*m) == 0 {
			*m = nil
		}
		return
	}
	if *m == nil {
		*m = map[string]V{}
	}
	(*m)[key] = value
}

// setString sets a string member; replace with "" or remove clears it.
func setString(member *string, op restPatchOperation) {
	*member = removableValue(op)
}

// Patchers of the usual member kinds, for the patch tables.

// stringMember patches a string member (setString).
func stringMember[T any](member func(*T) *string) func(*core.Call, *T, restPatchOperation, string) error {
	return func(_ *core.Call, item *T, op restPatchOperation, _ string) error {
		setString(member(item), op)
		return nil
	}
}

// boolMember patches a boolean member the lenient way (patchBool).
func boolMember[T any](member func(*T) *bool) func(*core.Call, *T, restPatchOperation, string) error {
	return func(_ *core.Call, item *T, op restPatchOperation, _ string) error {
		*member(item) = patchBool(op)
		return nil
	}
}

// mapMember patches the key of a map member (patchMapKey) with the value
// read from the operation.
func mapMember[T, V any](member func(*T) *map[string]V, value func(restPatchOperation) V) func(*core.Call, *T, restPatchOperation, string) error {
	return func(_ *core.Call, item *T, op restPatchOperation, key string) error {
		patchMapKey(member(item), op, key, value(op))
		return nil
	}
}

// stringValue reads a map value as sent.
func stringValue(op restPatchOperation) string { return op.value() }
