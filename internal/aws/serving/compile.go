package serving

import (
	"fmt"
	"slices"
	"strings"
)

// restMethodVerbs are the verbs a REST method may have.
var restMethodVerbs = []string{"GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS", "HEAD", "ANY"}

// restTree is the resource tree and methods REST route keys compile to.
type restTree struct {
	// Resources are the paths of every resource but the root, each after
	// its parent.
	Resources []string
	// Methods are the routes as methods, in declaration order.
	Methods []restMethodRoute
}

// restMethodRoute is one method: a verb on a resource path, and the route
// it serves.
type restMethodRoute struct {
	Path  string
	Verb  string
	Route Route
}

// Key is the method's key, "VERB /path", which is the route key.
func (m restMethodRoute) Key() string { return m.Verb + " " + m.Path }

// CompileRoutes turns REST route keys ("GET /pets/{id}", "ANY /{proxy+}")
// into the resource tree AWS holds: one resource per path prefix, a method
// per route. It refuses what AWS would: a verb REST does not have, a
// greedy part that is not last, and two different variable parts under one
// parent ("/pets/{id}" beside "/pets/{petId}").
func compileRoutes(routes []Route) (*restTree, error) {
	tree := &restTree{}
	seen := map[string]bool{"/": true}
	variableChild := map[string]string{}
	for _, r := range routes {
		verb, path, ok := strings.Cut(r.Key, " ")
		if !ok || !slices.Contains(restMethodVerbs, verb) || !strings.HasPrefix(path, "/") {
			return nil, fmt.Errorf("route %q: a REST route key is a verb (%s) and a path starting with /", r.Key, strings.Join(restMethodVerbs, ", "))
		}
		if r.Integration == "" {
			return nil, fmt.Errorf("route %q: a REST route needs an integration", r.Key)
		}
		if err := addResourcePath(tree, seen, variableChild, r.Key, path); err != nil {
			return nil, err
		}
		tree.Methods = append(tree.Methods, restMethodRoute{Path: path, Verb: verb, Route: r})
	}
	return tree, nil
}

// addResourcePath adds every prefix of path the tree lacks, parents first.
func addResourcePath(tree *restTree, seen map[string]bool, variableChild map[string]string, key, path string) error {
	if path == "/" {
		return nil
	}
	segments := strings.Split(strings.TrimPrefix(path, "/"), "/")
	parent := "/"
	for i, part := range segments {
		if part == "" {
			return fmt.Errorf("route %q: empty path part", key)
		}
		variable := strings.HasPrefix(part, "{")
		if variable && (!strings.HasSuffix(part, "}") || len(part) < 3) {
			return fmt.Errorf("route %q: path part %q is neither a literal nor {name}", key, part)
		}
		if strings.HasSuffix(part, "+}") && i != len(segments)-1 {
			return fmt.Errorf("route %q: the greedy part %s must be last", key, part)
		}
		if variable {
			if other, ok := variableChild[parent]; ok && other != part {
				return fmt.Errorf("route %q: %s and %s cannot both be variables under %s (REST allows one variable part per parent)", key, other, part, parent)
			}
			variableChild[parent] = part
		}
		current := joinPath(parent, part)
		if !seen[current] {
			seen[current] = true
			tree.Resources = append(tree.Resources, current)
		}
		parent = current
	}
	return nil
}

func joinPath(parent, part string) string {
	if parent == "/" {
		return "/" + part
	}
	return parent + "/" + part
}

// parentPath is the path of a resource's parent ("/" for top-level ones).
func parentPath(path string) string {
	i := strings.LastIndex(path, "/")
	if i <= 0 {
		return "/"
	}
	return path[:i]
}

func lastPart(path string) string { return path[strings.LastIndex(path, "/")+1:] }

// pathParameters are the names of a path's variable parts ("proxy" for
// {proxy+}).
func pathParameters(path string) []string {
	var names []string
	for _, part := range strings.Split(path, "/") {
		if name, ok := strings.CutPrefix(part, "{"); ok {
			names = append(names, strings.TrimSuffix(strings.TrimSuffix(name, "}"), "+"))
		}
	}
	return names
}

// methodSettingKey is how a REST stage keys a method's settings: the
// resource path with "/" escaped as "~1", then the verb ("~1pets~1{id}/GET").
func methodSettingKey(path, verb string) string {
	return strings.ReplaceAll(path, "/", "~1") + "/" + verb
}
