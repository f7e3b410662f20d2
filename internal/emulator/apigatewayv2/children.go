package apigatewayv2

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// child is one kind of resource kept under an API (routes, integrations,
// stages, deployments). Its Create, Get, Gets, Update and Delete handlers are
// built from where the API keeps the kind, how one is named, and the hooks
// that hold the kind's own rules, so every kind looks up, copies, pages and
// stores the same way.
type child[T, V any] struct {
	// label is the path label naming one, such as "routeId".
	label    string
	of       func(*APIRecord) map[string]*T
	idOf     func(*T) string
	notFound core.Message
	// view is the object as answered.
	view func(*T) V

	// fresh returns a new item with AWS's defaults, before the body is
	// decoded onto it.
	fresh func(c *core.Call) *T
	// prepare validates an item about to be stored and fills what the caller
	// may not set (ids, immutable members). current is nil on create.
	prepare func(c *core.Call, record *APIRecord, current, item *T) error
	// stored runs after a create or update, such as redeploying stages.
	stored func(c *core.Call, record *APIRecord, current, item *T)
	// deletable refuses to delete what something still uses; nil allows all.
	deletable func(record *APIRecord, item *T) error
	// deleted runs after a delete.
	deleted func(c *core.Call, record *APIRecord)
}

func (k child[T, V]) lookup(svc *Service, c *core.Call, params core.PathParams) (*APIRecord, *T, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	item, ok := k.of(record)[params[k.label]]
	if !ok {
		return nil, nil, k.notFound.With(params[k.label])
	}
	return record, item, nil
}

// handlers binds the kind to the service for the route table.
type childHandlers[T, V any] struct {
	kind child[T, V]
	svc  *Service
}

func (h childHandlers[T, V]) get(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, item, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, h.kind.view(item), nil
}

func (h childHandlers[T, V]) list(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, err := h.svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, h.kind.of(record), h.kind.idOf, h.kind.view)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (h childHandlers[T, V]) create(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, err := h.svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	item := h.kind.fresh(c)
	if err := decodeBody(body, item); err != nil {
		return 0, nil, err
	}
	return h.store(c, record, nil, item, http.StatusCreated)
}

// update changes only the members present in the body: it decodes the body
// onto a copy of the stored item, which a refusal throws away whole.
func (h childHandlers[T, V]) update(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, current, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := core.DeepCopy(*current)
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	return h.store(c, record, current, &updated, http.StatusOK)
}

func (h childHandlers[T, V]) store(c *core.Call, record *APIRecord, current, item *T, status int) (int, any, error) {
	if err := h.kind.prepare(c, record, current, item); err != nil {
		return 0, nil, err
	}
	h.kind.of(record)[h.kind.idOf(item)] = item
	if h.kind.stored != nil {
		h.kind.stored(c, record, current, item)
	}
	return status, h.kind.view(item), nil
}

func (h childHandlers[T, V]) delete(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, item, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	if h.kind.deletable != nil {
		if err := h.kind.deletable(record, item); err != nil {
			return 0, nil, err
		}
	}
	delete(h.kind.of(record), h.kind.idOf(item))
	if h.kind.deleted != nil {
		h.kind.deleted(c, record)
	}
	return http.StatusNoContent, nil, nil
}

// copyOf is the view of objects answered as stored.
func copyOf[T any](item *T) T { return *item }

// redeploy is the stored and deleted hook of the kinds a deployment
// freezes: stages with autoDeploy serve every change at once.
func redeploy[T any](c *core.Call, record *APIRecord, _, _ *T) { record.autoDeploy(c) }
