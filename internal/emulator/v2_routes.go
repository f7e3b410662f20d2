package emulator

import (
	"net/http"
	"regexp"
	"strings"
)

// httpRouteKeyPattern is "METHOD /path" for HTTP APIs ($default aside).
var httpRouteKeyPattern = regexp.MustCompile(`^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY) (/[^ ]*)$`)

func validateHTTPRouteKey(routeKey string) error {
	if routeKey == "$default" || httpRouteKeyPattern.MatchString(routeKey) {
		return nil
	}
	return badRequest("Invalid route key %q: must be $default or METHOD /path, such as GET /pets", routeKey)
}

func (svc *v2Service) createRoute(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	route := v2Route{AuthorizationType: "NONE"}
	if err := decodeBody(body, &route); err != nil {
		return 0, nil, err
	}
	route.RouteID, route.APIGatewayManaged = newID(7), false
	if err := record.validateRoute(&route); err != nil {
		return 0, nil, err
	}
	record.Routes[route.RouteID] = &route
	record.autoDeploy(c)
	return http.StatusCreated, route, nil
}

// validateRoute checks a route against its API: key syntax, uniqueness, and
// a target naming an existing integration.
func (record *v2APIRecord) validateRoute(route *v2Route) error {
	if record.API.ProtocolType == "HTTP" {
		if err := validateHTTPRouteKey(route.RouteKey); err != nil {
			return err
		}
	} else if strings.TrimSpace(route.RouteKey) == "" {
		return badRequest("Route key must not be empty")
	}
	for _, other := range record.Routes {
		if other.RouteID != route.RouteID && other.RouteKey == route.RouteKey {
			return conflict("Route with key %s already exists for this API", route.RouteKey)
		}
	}
	switch route.AuthorizationType {
	case "NONE", "AWS_IAM", "CUSTOM", "JWT":
	default:
		return badRequest("Invalid authorization type %s: must be one of [NONE, AWS_IAM, CUSTOM, JWT]", route.AuthorizationType)
	}
	if route.Target != nil {
		integrationID, ok := strings.CutPrefix(*route.Target, "integrations/")
		if !ok || record.Integrations[integrationID] == nil {
			return badRequest("Invalid target %s: must be integrations/{integrationId} of an existing integration", *route.Target)
		}
	}
	return nil
}

func (svc *v2Service) lookupRoute(c *call, params pathParams) (*v2APIRecord, *v2Route, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	route, ok := record.Routes[params["routeId"]]
	if !ok {
		return nil, nil, notFound("Invalid Route identifier specified %s", params["routeId"])
	}
	return record, route, nil
}

func (svc *v2Service) getRoute(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	_, route, err := svc.lookupRoute(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, route, nil
}

func (svc *v2Service) getRoutes(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, record.Routes, func(rt *v2Route) string { return rt.RouteID }, copyOf[v2Route])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (svc *v2Service) updateRoute(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, route, err := svc.lookupRoute(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := deepCopy(*route)
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	updated.RouteID, updated.APIGatewayManaged = route.RouteID, route.APIGatewayManaged
	if err := record.validateRoute(&updated); err != nil {
		return 0, nil, err
	}
	record.Routes[route.RouteID] = &updated
	record.autoDeploy(c)
	return http.StatusOK, updated, nil
}

func (svc *v2Service) deleteRoute(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, route, err := svc.lookupRoute(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(record.Routes, route.RouteID)
	record.autoDeploy(c)
	return http.StatusNoContent, nil, nil
}
