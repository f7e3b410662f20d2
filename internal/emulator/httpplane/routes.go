package httpplane

import (
	"net/url"
	"strings"
)

const (
	defaultRouteKey = "$default"
	anyMethod       = "ANY"
)

// segmentKind orders route path segments from most to least specific.
type segmentKind int

const (
	literalSegment segmentKind = iota // users
	paramSegment                      // {id}
	greedySegment                     // {proxy+}
)

// routeSegment is one segment of a route key's path.
type routeSegment struct {
	kind segmentKind
	// text is the literal, or the variable's name without braces and "+".
	text string
}

// routePattern is a parsed "METHOD /path" route key.
type routePattern struct {
	method   string
	segments []routeSegment
}

// routeMatch is the route chosen for a request and the values of its path
// variables (a greedy variable holds the rest of the path, slashes included).
type routeMatch struct {
	route  Route
	params map[string]string
	// isDefault marks the $default route, which AWS forwards with the whole
	// request path.
	isDefault bool
}

// matchRoute picks the most specific route for a method and an escaped path
// within a stage. Paths are compared segment by segment, earlier segments
// first, literal before {param} before {proxy+}; for the same path an exact
// method beats ANY ("ANY matches the methods you haven't defined for a
// resource"); the $default route catches the rest.
func matchRoute(routes []Route, method, escapedPath string) (routeMatch, bool) {
	requestSegments := splitRequestPath(escapedPath)
	var best routeMatch
	var bestPattern routePattern
	found := false
	for _, route := range routes {
		pattern, ok := parseRouteKey(route.RouteKey)
		if !ok {
			continue
		}
		params, ok := pattern.match(method, requestSegments)
		if !ok {
			continue
		}
		if !found || pattern.moreSpecificThan(bestPattern) {
			best, bestPattern, found = routeMatch{route: route, params: params}, pattern, true
		}
	}
	if found {
		return best, true
	}
	for _, route := range routes {
		if route.RouteKey == defaultRouteKey {
			return routeMatch{route: route, isDefault: true}, true
		}
	}
	return routeMatch{}, false
}

// parseRouteKey parses "GET /users/{id}"; $default and malformed keys are
// not patterns.
func parseRouteKey(key string) (routePattern, bool) {
	method, path, ok := strings.Cut(key, " ")
	if !ok || method == "" || !strings.HasPrefix(path, "/") {
		return routePattern{}, false
	}
	pattern := routePattern{method: strings.ToUpper(method)}
	for _, text := range splitURLPath(path) {
		pattern.segments = append(pattern.segments, parseRouteSegment(text))
	}
	return pattern, true
}

func parseRouteSegment(text string) routeSegment {
	name, isVariable := strings.CutPrefix(text, "{")
	name, closed := strings.CutSuffix(name, "}")
	if !isVariable || !closed {
		return routeSegment{kind: literalSegment, text: text}
	}
	if greedyName, isGreedy := strings.CutSuffix(name, "+"); isGreedy {
		return routeSegment{kind: greedySegment, text: greedyName}
	}
	return routeSegment{kind: paramSegment, text: name}
}

// match reports whether the pattern serves a request, and its variables.
func (p routePattern) match(method string, requestSegments []string) (map[string]string, bool) {
	if p.method != anyMethod && p.method != method {
		return nil, false
	}
	params := map[string]string{}
	for i, segment := range p.segments {
		if segment.kind == greedySegment {
			// A greedy variable takes one or more segments, and must be last.
			if i >= len(requestSegments) || i != len(p.segments)-1 {
				return nil, false
			}
			params[segment.text] = strings.Join(requestSegments[i:], "/")
			return params, true
		}
		if i >= len(requestSegments) {
			return nil, false
		}
		switch {
		case segment.kind == paramSegment && requestSegments[i] != "":
			params[segment.text] = requestSegments[i]
		case segment.kind == literalSegment && segment.text == requestSegments[i]:
		default:
			return nil, false
		}
	}
	if len(p.segments) != len(requestSegments) {
		return nil, false
	}
	return params, true
}

// moreSpecificThan orders two patterns that both match one request.
func (p routePattern) moreSpecificThan(other routePattern) bool {
	for i := 0; i < len(p.segments) && i < len(other.segments); i++ {
		if p.segments[i].kind != other.segments[i].kind {
			return p.segments[i].kind < other.segments[i].kind
		}
	}
	if len(p.segments) != len(other.segments) {
		// Both matched, so the shorter one ends in a greedy variable that
		// swallowed what the longer one matched segment by segment.
		return len(p.segments) > len(other.segments)
	}
	return p.method != anyMethod && other.method == anyMethod
}

// splitRequestPath splits an escaped request path into unescaped segments;
// "/" has none. A segment that does not unescape is kept as sent.
func splitRequestPath(escapedPath string) []string {
	segments := splitURLPath(escapedPath)
	for i, segment := range segments {
		if unescaped, err := url.PathUnescape(segment); err == nil {
			segments[i] = unescaped
		}
	}
	return segments
}

func splitURLPath(path string) []string {
	trimmed := strings.TrimPrefix(path, "/")
	if trimmed == "" {
		return nil
	}
	return strings.Split(trimmed, "/")
}
