package apigatewayv2

import (
	"regexp"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// httpRouteKeyPattern is "METHOD /path" for HTTP APIs ($default aside).
var httpRouteKeyPattern = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/[^ ]*)$`)

func validateHTTPRouteKey(routeKey string) error {
	if routeKey == "$default" || httpRouteKeyPattern.MatchString(routeKey) {
		return nil
	}
	return errInvalidRouteKey.With(routeKey)
}

func (svc *Service) routes() childHandlers[Route, Route] {
	return childHandlers[Route, Route]{svc: svc, kind: child[Route, Route]{
		label:    "routeId",
		of:       func(record *APIRecord) map[string]*Route { return record.Routes },
		idOf:     func(r *Route) string { return r.RouteID },
		notFound: errNotFoundRoute,
		view:     copyOf[Route],
		fresh:    func(*core.Call) *Route { return &Route{AuthorizationType: "NONE"} },
		prepare: func(_ *core.Call, record *APIRecord, current, route *Route) error {
			if current == nil {
				route.RouteID, route.APIGatewayManaged = core.NewID(7), false
			} else {
				route.RouteID, route.APIGatewayManaged = current.RouteID, current.APIGatewayManaged
			}
			return record.validateRoute(route)
		},
		stored:  redeploy[Route],
		deleted: func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
	}}
}

// validateRoute checks a route against its API: key syntax, uniqueness, and
// a target naming an existing integration.
func (record *APIRecord) validateRoute(route *Route) error {
	if record.API.ProtocolType == "HTTP" {
		if err := validateHTTPRouteKey(route.RouteKey); err != nil {
			return err
		}
	} else if strings.TrimSpace(route.RouteKey) == "" {
		return errEmptyRouteKey.With()
	}
	for _, other := range record.Routes {
		if other.RouteID != route.RouteID && other.RouteKey == route.RouteKey {
			return errConflictRoute.With(route.RouteKey)
		}
	}
	switch route.AuthorizationType {
	case "NONE", "AWS_IAM", "CUSTOM", "JWT":
	default:
		return errInvalidAuthorizationType.With(route.AuthorizationType)
	}
	if route.Target != nil {
		integrationID, ok := strings.CutPrefix(*route.Target, "integrations/")
		if !ok || record.Integrations[integrationID] == nil {
			return errInvalidTarget.With(*route.Target)
		}
	}
	return nil
}
