package core

import (
	"net/url"
	"strings"
)

// router matches a request to a route: REST routes by method and escaped
// path, query routes by their Action.
type router struct {
	entries []routerEntry
	actions map[string]*Route
}

type routerEntry struct {
	route    *Route
	segments []string
	literals int
}

func newRouter(services []Service) *router {
	var routes []Route
	for _, svc := range services {
		routes = append(routes, svc.Routes()...)
	}
	return newRouteTable(routes)
}

// newAdminRouter matches the admin routes of the services that have some
// (AdminService), by their path under /_emulator.
func newAdminRouter(services []Service) *router {
	var routes []Route
	for _, svc := range services {
		if admin, ok := svc.(AdminService); ok {
			routes = append(routes, admin.AdminRoutes()...)
		}
	}
	return newRouteTable(routes)
}

func newRouteTable(routes []Route) *router {
	rt := &router{actions: map[string]*Route{}}
	for _, r := range routes {
		if r.Protocol == Query {
			rt.actions[r.Operation] = &r
			continue
		}
		segments := splitPath(r.Pattern)
		literals := 0
		for _, seg := range segments {
			if !isLabel(seg) {
				literals++
			}
		}
		rt.entries = append(rt.entries, routerEntry{route: &r, segments: segments, literals: literals})
	}
	return rt
}

// matchAction finds the query route of an Action.
func (rt *router) matchAction(action string) (*Route, bool) {
	r, ok := rt.actions[action]
	return r, ok
}

// match finds the route for method and escapedPath. Each path segment is
// unescaped on its own, so an ARN label carrying %2F stays one segment. When
// several patterns match, the one with the most literal segments wins.
func (rt *router) match(method, escapedPath string) (*Route, PathParams, bool) {
	rawSegments := splitPath(escapedPath)
	segments := make([]string, len(rawSegments))
	for i, raw := range rawSegments {
		unescaped, err := url.PathUnescape(raw)
		if err != nil {
			return nil, nil, false
		}
		segments[i] = unescaped
	}
	var best *routerEntry
	var bestParams PathParams
	for i := range rt.entries {
		entry := &rt.entries[i]
		if entry.route.Method != method || (best != nil && entry.literals <= best.literals) {
			continue
		}
		if params, ok := matchSegments(entry.segments, segments); ok {
			best, bestParams = entry, params
		}
	}
	if best == nil {
		return nil, nil, false
	}
	return best.route, bestParams, true
}

func matchSegments(pattern, segments []string) (PathParams, bool) {
	if len(pattern) != len(segments) {
		return nil, false
	}
	params := PathParams{}
	for i, p := range pattern {
		if isLabel(p) {
			if segments[i] == "" {
				return nil, false
			}
			params[p[1:len(p)-1]] = segments[i]
		} else if p != segments[i] {
			return nil, false
		}
	}
	return params, true
}

func isLabel(segment string) bool {
	return len(segment) > 2 && segment[0] == '{' && segment[len(segment)-1] == '}'
}

// splitPath splits "/a/b/" into ["a", "b"], keeping inner empty segments.
func splitPath(path string) []string {
	path = strings.TrimPrefix(path, "/")
	path = strings.TrimSuffix(path, "/")
	if path == "" {
		return nil
	}
	return strings.Split(path, "/")
}
