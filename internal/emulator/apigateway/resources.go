package apigateway

import (
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// maxRestResources is AWS's quota of resources per REST API (root included).
const maxRestResources = 300

// restResource is a Resource as stored: its methods are kept by verb, and
// its path is computed from its parents when answered (a move re-paths the
// whole subtree).
type restResource struct {
	ID       string                 `json:"id"`
	ParentID string                 `json:"parentId,omitempty"`
	PathPart string                 `json:"pathPart,omitempty"`
	Methods  map[string]*restMethod `json:"methods,omitempty"`
}

// restResourceView is the Resource object as answered.
type restResourceView struct {
	ID              string         `json:"id"`
	ParentID        string         `json:"parentId,omitempty"`
	PathPart        string         `json:"pathPart,omitempty"`
	Path            string         `json:"path"`
	ResourceMethods map[string]any `json:"resourceMethods,omitempty"`
}

func (r *restResource) isRoot() bool { return r.ParentID == "" }

// resourcePath is the full path of a resource: "/" for the root.
func (t *restChildren) resourcePath(r *restResource) string {
	var parts []string
	for cur := r; cur != nil && !cur.isRoot(); cur = t.Resources[cur.ParentID] {
		parts = append(parts, cur.PathPart)
	}
	slices.Reverse(parts)
	return "/" + strings.Join(parts, "/")
}

// resourceView answers a resource. Its methods are listed by verb, as empty
// objects unless embed=methods asks for them whole.
func (t *restChildren) resourceView(r *restResource, embedMethods bool) restResourceView {
	v := restResourceView{ID: r.ID, ParentID: r.ParentID, PathPart: r.PathPart, Path: t.resourcePath(r)}
	if len(r.Methods) > 0 {
		v.ResourceMethods = map[string]any{}
		for verb, m := range r.Methods {
			if embedMethods {
				v.ResourceMethods[verb] = core.DeepCopy(*m)
			} else {
				v.ResourceMethods[verb] = struct{}{}
			}
		}
	}
	return v
}

func embedsMethods(r *http.Request) bool {
	return slices.Contains(r.URL.Query()["embed"], "methods")
}

// lookupResource finds the resource a path names. AWS answers an unknown
// API as an unknown resource (recorded for PutMethod and the integration
// responses).
func (s *Service) lookupResource(c *core.Call, params core.PathParams) (*restChildren, *restResource, error) {
	_, tree, ok := s.lookupChildren(c, params)
	if !ok {
		return nil, nil, resourceNotFound()
	}
	res, ok := tree.Resources[params["resource_id"]]
	if !ok {
		return nil, nil, resourceNotFound()
	}
	return tree, res, nil
}

var (
	restPlainPathPart    = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	restVariablePathPart = regexp.MustCompile(`^\{[a-zA-Z0-9._-]+\+?\}$`)
)

func isVariablePart(part string) bool { return strings.HasPrefix(part, "{") }

func isGreedyPart(part string) bool { return strings.HasSuffix(part, "+}") }

// checkPathPart validates pathPart as a child of parent, in AWS's order:
// the part's shape, the greedy parent, a same-named sibling (409), then a
// second variable sibling. self is the resource being renamed or moved.
func (t *restChildren) checkPathPart(parent *restResource, part, self string) error {
	if !restPlainPathPart.MatchString(part) && !restVariablePathPart.MatchString(part) {
		return invalidPathPart()
	}
	if isGreedyPart(parent.PathPart) {
		return greedyParent(parent.PathPart)
	}
	for _, sibling := range t.Resources {
		if sibling.ParentID != parent.ID || sibling.ID == self {
			continue
		}
		if sibling.PathPart == part {
			return siblingNameTaken(part)
		}
		if isVariablePart(part) && isVariablePart(sibling.PathPart) {
			return secondVariableSibling(sibling.PathPart)
		}
	}
	return nil
}

func (s *Service) createResource(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		PathPart *string `json:"pathPart"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.PathPart == nil {
		var v restModelValidation
		v.null("createResourceInput.pathPart")
		return 0, nil, v.err()
	}
	tree, err := s.childrenOf(c, params, resourceNotFound)
	if err != nil {
		return 0, nil, err
	}
	parent, ok := tree.Resources[params["parent_id"]]
	if !ok {
		return 0, nil, resourceNotFound()
	}
	if err := tree.checkPathPart(parent, *in.PathPart, ""); err != nil {
		return 0, nil, err
	}
	if len(tree.Resources) >= maxRestResources {
		return 0, nil, tooManyResources()
	}
	res := &restResource{ID: unusedChildID(tree.Resources, 10), ParentID: parent.ID, PathPart: *in.PathPart}
	tree.Resources[res.ID] = res
	return http.StatusCreated, tree.resourceView(res, false), nil
}

func (s *Service) getResource(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, res, err := s.lookupResource(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, tree.resourceView(res, embedsMethods(r)), nil
}

// getResources pages the resources in id order. AWS quotas it on its own.
func (s *Service) getResources(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("GetResources", "")); err != nil {
		return 0, nil, err
	}
	embed := embedsMethods(r)
	return restListAnswer(r, tree.Resources, func(res *restResource) string { return res.ID },
		func(res *restResource) restResourceView { return tree.resourceView(res, embed) })
}

// resourcePatches are UpdateResource's paths: replace /pathPart and
// /parentId only (recorded). The moves are checked against the tree.
var resourcePatches = restPatchTable[resourcePatch]{opsAsPaths: true, patchers: []restPatcher[resourcePatch]{
	{path: "/parentId", ops: []string{"replace"}, apply: patchResourceParent},
	{path: "/pathPart", ops: []string{"replace"}, apply: patchResourcePathPart},
}}

// resourcePatch is what an UpdateResource operation changes: a copy of the
// resource, checked against the API's tree.
type resourcePatch struct {
	tree *restChildren
	res  restResource
}

func patchResourceParent(_ *core.Call, p *resourcePatch, op restPatchOperation, _ string) error {
	if p.res.isRoot() {
		return rootParentFixed()
	}
	parent, ok := p.tree.Resources[op.value()]
	if !ok {
		return resourceNotFound()
	}
	for cur := parent; cur != nil; cur = p.tree.Resources[cur.ParentID] {
		if cur.ID == p.res.ID {
			return cyclicalResources()
		}
	}
	if err := p.tree.checkPathPart(parent, p.res.PathPart, p.res.ID); err != nil {
		return err
	}
	p.res.ParentID = parent.ID
	return nil
}

func patchResourcePathPart(_ *core.Call, p *resourcePatch, op restPatchOperation, _ string) error {
	if p.res.isRoot() {
		return rootPathPartFixed()
	}
	if err := p.tree.checkPathPart(p.tree.Resources[p.res.ParentID], op.value(), p.res.ID); err != nil {
		return err
	}
	p.res.PathPart = op.value()
	return nil
}

func (s *Service) updateResource(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateResourceInput")
	if err != nil {
		return 0, nil, err
	}
	tree, res, err := s.lookupResource(c, params)
	if err != nil {
		return 0, nil, err
	}
	// Each operation sees the moves before it: the resource is patched in
	// place in a copy of the tree's entry, stored once all succeed.
	p := &resourcePatch{tree: tree, res: core.DeepCopy(*res)}
	original := *res
	for _, op := range ops {
		if err := resourcePatches.applyOne(c, p, op); err != nil {
			*res = original
			return 0, nil, err
		}
		*res = p.res
	}
	return http.StatusOK, tree.resourceView(res, false), nil
}

// deleteResource deletes the resource and its whole subtree.
func (s *Service) deleteResource(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, res, err := s.lookupResource(c, params)
	if err != nil {
		return 0, nil, err
	}
	if res.isRoot() {
		return 0, nil, rootNotDeletable()
	}
	doomed := map[string]bool{res.ID: true}
	for grew := true; grew; {
		grew = false
		for id, other := range tree.Resources {
			if !doomed[id] && doomed[other.ParentID] {
				doomed[id], grew = true, true
			}
		}
	}
	for id := range doomed {
		delete(tree.Resources, id)
	}
	return http.StatusAccepted, nil, nil
}
