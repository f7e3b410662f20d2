package restplane

import (
	"net/url"
	"strings"
)

const anyMethod = "ANY"

// pathPartKind orders resource path parts from most to least specific.
type pathPartKind int

const (
	literalPart  pathPartKind = iota // pets
	variablePart                     // {id}
	greedyPart                       // {proxy+}
)

type pathPart struct {
	kind pathPartKind
	// text is the literal, or the variable's name without braces and "+".
	text string
}

// route is the resource and method chosen for a request, with the values
// of the resource's path variables.
type route struct {
	resource Resource
	method   Method
	params   map[string]string
}

// key is the route as the stats and the access log name it:
// "GET /pets/{id}" (the method's own verb, ANY included).
func (r route) key() string { return r.method.HTTPMethod + " " + r.resource.Path }

// matchRoute picks the resource and method serving a method and an escaped
// path within a stage. Of the resources whose path matches, the most
// specific wins (part by part from the left: a literal before {param}
// before {proxy+}), as API Gateway documents for proxy resources; a
// resource serves a verb through its own method or, failing that, its ANY
// method. A resource without either is passed over for the next one.
func matchRoute(resources []Resource, verb, escapedPath string) (route, bool) {
	segments := requestSegments(escapedPath)
	var best route
	var bestParts []pathPart
	found := false
	for _, resource := range resources {
		method, ok := resource.Methods[verb]
		if !ok {
			method, ok = resource.Methods[anyMethod]
		}
		if !ok {
			continue
		}
		parts := parseResourcePath(resource.Path)
		params, ok := matchParts(parts, segments)
		if !ok {
			continue
		}
		if !found || moreSpecific(parts, bestParts) {
			best, bestParts, found = route{resource: resource, method: method, params: params}, parts, true
		}
	}
	return best, found
}

func parseResourcePath(path string) []pathPart {
	var parts []pathPart
	for _, text := range splitPath(path) {
		name, isVariable := strings.CutPrefix(text, "{")
		name, closed := strings.CutSuffix(name, "}")
		switch {
		case !isVariable || !closed:
			parts = append(parts, pathPart{kind: literalPart, text: text})
		case strings.HasSuffix(name, "+"):
			parts = append(parts, pathPart{kind: greedyPart, text: strings.TrimSuffix(name, "+")})
		default:
			parts = append(parts, pathPart{kind: variablePart, text: name})
		}
	}
	return parts
}

// matchParts matches a resource's parts against the request's segments: a
// variable takes one non-empty segment, a greedy variable (always last)
// one or more.
func matchParts(parts []pathPart, segments []string) (map[string]string, bool) {
	params := map[string]string{}
	for i, part := range parts {
		if i >= len(segments) {
			return nil, false
		}
		switch part.kind {
		case greedyPart:
			params[part.text] = strings.Join(segments[i:], "/")
			return params, true
		case variablePart:
			if segments[i] == "" {
				return nil, false
			}
			params[part.text] = segments[i]
		default:
			if part.text != segments[i] {
				return nil, false
			}
		}
	}
	return params, len(parts) == len(segments)
}

// moreSpecific orders two resources that both match one request.
func moreSpecific(parts, other []pathPart) bool {
	for i := 0; i < len(parts) && i < len(other); i++ {
		if parts[i].kind != other[i].kind {
			return parts[i].kind < other[i].kind
		}
	}
	// Both matched, so the shorter ends in a greedy variable that took
	// what the longer one matched part by part.
	return len(parts) > len(other)
}

// requestSegments splits an escaped path into unescaped segments; "/" and
// "" have none, and one trailing slash is ignored (inferred: AWS serves
// /pets/ as /pets).
func requestSegments(escapedPath string) []string {
	segments := splitPath(strings.TrimSuffix(escapedPath, "/"))
	for i, segment := range segments {
		if unescaped, err := url.PathUnescape(segment); err == nil {
			segments[i] = unescaped
		}
	}
	return segments
}

func splitPath(path string) []string {
	trimmed := strings.TrimPrefix(path, "/")
	if trimmed == "" {
		return nil
	}
	return strings.Split(trimmed, "/")
}

// splitStage splits "/prod/pets" into "prod" and "/pets"; the rest is "/"
// when nothing follows the stage.
func splitStage(escapedPath string) (stage, rest string) {
	first, rest, found := strings.Cut(strings.TrimPrefix(escapedPath, "/"), "/")
	if unescaped, err := url.PathUnescape(first); err == nil {
		first = unescaped
	}
	if !found {
		return first, "/"
	}
	return first, "/" + rest
}
