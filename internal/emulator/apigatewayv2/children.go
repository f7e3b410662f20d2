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

	// setID, when set, names the item: a new id of idLength characters on
	// create, the stored one on update, before prepare runs.
	setID    func(item *T, id string)
	idLength int

	// in, for a kind kept under another child (route responses under a
	// route), returns the map the path's labels name, or the parent's
	// NotFound; nil keeps the kind under the API, in of.
	in func(record *APIRecord, params core.PathParams) (map[string]*T, error)
	// keyOf names what must be unique among the kind's siblings (a route's
	// key); conflict is AWS's answer to a second one. nil: no rule.
	keyOf    func(*T) string
	conflict core.Message
	// limit is AWS's quota of the kind per API (0: none); tooMany answers a
	// create past it with the kind's plural name and the quota.
	limit   int
	plural  string
	tooMany core.Message
}

// items returns the map of the kind that params name.
func (k child[T, V]) items(record *APIRecord, params core.PathParams) (map[string]*T, error) {
	if k.in != nil {
		return k.in(record, params)
	}
	return k.of(record), nil
}

// admit applies the rules every kind shares: the quota on create, and the
// uniqueness of keyOf among siblings.
func (k child[T, V]) admit(siblings map[string]*T, current, item *T) error {
	if current == nil && k.limit > 0 && len(siblings) >= k.limit {
		return k.tooMany.With(k.plural, k.limit)
	}
	if k.keyOf == nil {
		return nil
	}
	for id, other := range siblings {
		if id != k.idOf(item) && k.keyOf(other) == k.keyOf(item) {
			return k.conflict.With(k.keyOf(item))
		}
	}
	return nil
}

func (k child[T, V]) lookup(svc *Service, c *core.Call, params core.PathParams) (*APIRecord, *T, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	items, err := k.items(record, params)
	if err != nil {
		return nil, nil, err
	}
	item, ok := items[params[k.label]]
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
	items, err := h.kind.items(record, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, items, h.kind.idOf, h.kind.view)
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
	siblings, err := h.kind.items(record, params)
	if err != nil {
		return 0, nil, err
	}
	item := h.kind.fresh(c)
	if err := decodeBody(body, item); err != nil {
		return 0, nil, err
	}
	return h.store(c, record, siblings, nil, item, http.StatusCreated)
}

// update changes only the members present in the body: it decodes the body
// onto a copy of the stored item, which a refusal throws away whole.
func (h childHandlers[T, V]) update(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, current, err := h.kind.lookup(h.svc, c, params)
	if err != nil {
		return 0, nil, err
	}
	siblings, _ := h.kind.items(record, params)
	updated := core.DeepCopy(*current)
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	return h.store(c, record, siblings, current, &updated, http.StatusOK)
}

func (h childHandlers[T, V]) store(c *core.Call, record *APIRecord, siblings map[string]*T, current, item *T, status int) (int, any, error) {
	if h.kind.setID != nil {
		if current == nil {
			h.kind.setID(item, core.NewID(h.kind.idLength))
		} else {
			h.kind.setID(item, h.kind.idOf(current))
		}
	}
	if err := h.kind.prepare(c, record, current, item); err != nil {
		return 0, nil, err
	}
	if err := h.kind.admit(siblings, current, item); err != nil {
		return 0, nil, err
	}
	siblings[h.kind.idOf(item)] = item
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
	siblings, _ := h.kind.items(record, params)
	delete(siblings, h.kind.idOf(item))
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

// routes is the kind's Create, Get{plural}, Get, Update and Delete routes:
// collection is the list's path, label the one's path label, name the
// operations' noun ("Route").
func (h childHandlers[T, V]) routes(collection, name, plural string) []core.Route {
	one := collection + "/{" + h.kind.label + "}"
	return []core.Route{
		{Method: http.MethodPost, Pattern: collection, Operation: "Create" + name, Mutates: true, Handle: h.create},
		{Method: http.MethodGet, Pattern: collection, Operation: "Get" + plural, Handle: h.list},
		{Method: http.MethodGet, Pattern: one, Operation: "Get" + name, Handle: h.get},
		{Method: http.MethodPatch, Pattern: one, Operation: "Update" + name, Mutates: true, Handle: h.update},
		{Method: http.MethodDelete, Pattern: one, Operation: "Delete" + name, Mutates: true, Handle: h.delete},
	}
}
