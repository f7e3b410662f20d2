package apigatewayv2

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Route quotas and the HTTP methods of route keys.
const (
	maxRoutesPerAPI     = 300
	maxScopesPerRoute   = 10
	defaultRouteKey     = "$default"
	connectRouteKey     = "$connect"
	disconnectRouteKey  = "$disconnect"
	authorizationNone   = "NONE"
	authorizationIAM    = "AWS_IAM"
	authorizationJWT    = "JWT"
	authorizationCustom = "CUSTOM"
)

var (
	httpRouteMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"}
	// pathParameterName is a {name} or {name+} between the braces.
	pathParameterName = regexp.MustCompile(`^[A-Za-z0-9._-]+\+?$`)
	// pathLiteral is a path segment without variables.
	pathLiteral = regexp.MustCompile(`^[A-Za-z0-9._~:@!$&'()*+,;=%-]+$`)
	// routeParameterKey is a WebSocket route's request parameter.
	routeParameterKey = regexp.MustCompile(`^route\.request\.(header|querystring)\.[^\s]+$`)
)

// validateHTTPRouteKey accepts $default or "METHOD /path", the path made of
// literals, {param} variables and one {proxy+} greedy variable at its end.
func validateHTTPRouteKey(routeKey string) error {
	if routeKey == defaultRouteKey {
		return nil
	}
	method, path, ok := strings.Cut(routeKey, " ")
	if !ok || !slices.Contains(httpRouteMethods, method) || !strings.HasPrefix(path, "/") {
		return errInvalidRouteKey.With(routeKey)
	}
	if path == "/" {
		return nil
	}
	segments := strings.Split(path[1:], "/")
	seen := map[string]bool{}
	for i, segment := range segments {
		name, isVariable := strings.CutPrefix(segment, "{")
		if !isVariable {
			if !pathLiteral.MatchString(segment) {
				return errInvalidRouteKey.With(routeKey)
			}
			continue
		}
		name, closed := strings.CutSuffix(name, "}")
		if !closed || !pathParameterName.MatchString(name) {
			return errInvalidRouteKey.With(routeKey)
		}
		if strings.HasSuffix(name, "+") && i != len(segments)-1 {
			return errGreedyPathNotLast.With(routeKey)
		}
		if name = strings.TrimSuffix(name, "+"); seen[name] {
			return errInvalidRouteKey.With(routeKey)
		}
		seen[name] = true
	}
	return nil
}

// validateWebSocketRouteKey accepts $connect, $disconnect, $default and
// custom keys, which may not take the $ that marks the predefined ones.
func validateWebSocketRouteKey(routeKey string) error {
	switch {
	case strings.TrimSpace(routeKey) == "":
		return errEmptyRouteKey.With()
	case routeKey == connectRouteKey, routeKey == disconnectRouteKey, routeKey == defaultRouteKey:
		return nil
	case strings.HasPrefix(routeKey, "$"):
		return errReservedRouteKey.With(routeKey)
	}
	return nil
}

func (svc *Service) routes() childHandlers[Route, Route] {
	return childHandlers[Route, Route]{svc: svc, kind: child[Route, Route]{
		label:    "routeId",
		of:       func(record *APIRecord) map[string]*Route { return record.Routes },
		idOf:     func(r *Route) string { return r.RouteID },
		notFound: errNotFoundRoute,
		view:     copyOf[Route],
		fresh:    func(*core.Call) *Route { return &Route{AuthorizationType: authorizationNone} },
		prepare: func(_ *core.Call, record *APIRecord, current, route *Route) error {
			if current == nil {
				route.RouteID, route.APIGatewayManaged = core.NewID(7), false
			} else {
				route.RouteID, route.APIGatewayManaged = current.RouteID, current.APIGatewayManaged
			}
			return record.validateRoute(route)
		},
		stored: redeploy[Route],
		deleted: func(c *core.Call, record *APIRecord) {
			for routeID := range record.RouteResponses {
				if record.Routes[routeID] == nil {
					delete(record.RouteResponses, routeID)
				}
			}
			record.autoDeploy(c)
		},
		keyOf:    func(r *Route) string { return r.RouteKey },
		conflict: errConflictRoute,
		limit:    maxRoutesPerAPI, plural: "Routes", tooMany: errTooMany,
	}}
}

// validateRoute checks a route against its API: key syntax, authorization,
// the members of its protocol, and a target naming an existing integration.
func (record *APIRecord) validateRoute(route *Route) error {
	websocket := record.API.ProtocolType == "WEBSOCKET"
	if websocket {
		if err := validateWebSocketRouteKey(route.RouteKey); err != nil {
			return err
		}
	} else if err := validateHTTPRouteKey(route.RouteKey); err != nil {
		return err
	}
	if err := record.validateAuthorization(route); err != nil {
		return err
	}
	if websocket {
		if err := record.validateWebSocketRoute(route); err != nil {
			return err
		}
	} else if err := validateHTTPRoute(route); err != nil {
		return err
	}
	if route.Target != nil {
		integrationID, ok := strings.CutPrefix(*route.Target, "integrations/")
		if !ok || record.Integrations[integrationID] == nil {
			return errInvalidTarget.With(*route.Target)
		}
	}
	return nil
}

// validateAuthorization checks the authorization type for the protocol and
// that JWT and CUSTOM name an authorizer of their kind. NONE and AWS_IAM
// drop an authorizer and scopes left from an earlier type.
func (record *APIRecord) validateAuthorization(route *Route) error {
	websocket := record.API.ProtocolType == "WEBSOCKET"
	allowed := []string{authorizationNone, authorizationIAM, authorizationCustom, authorizationJWT}
	if websocket {
		allowed = allowed[:3]
	}
	if !slices.Contains(allowed, route.AuthorizationType) {
		return errInvalidAuthorizationType.With(route.AuthorizationType)
	}
	if websocket && route.AuthorizationType != authorizationNone && route.RouteKey != connectRouteKey {
		return errAuthorizationOnConnect.With()
	}
	needs := map[string]string{authorizationJWT: "JWT", authorizationCustom: "REQUEST"}[route.AuthorizationType]
	if needs == "" {
		route.AuthorizerID, route.AuthorizationScopes = nil, nil
		return nil
	}
	if route.AuthorizerID == nil || *route.AuthorizerID == "" {
		return errAuthorizerRequired.With(route.AuthorizationType)
	}
	authorizer := record.Authorizers[*route.AuthorizerID]
	if authorizer == nil {
		return errInvalidAuthorizer.With(*route.AuthorizerID)
	}
	if authorizer.AuthorizerType != needs {
		return errAuthorizerTypeMismatch.With(route.AuthorizationType, needs, authorizer.AuthorizerID, authorizer.AuthorizerType)
	}
	if len(route.AuthorizationScopes) > 0 && route.AuthorizationType != authorizationJWT {
		return errScopesOnlyForJWT.With()
	}
	if len(route.AuthorizationScopes) > maxScopesPerRoute {
		return errTooManyScopes.With(maxScopesPerRoute)
	}
	return nil
}

// validateHTTPRoute refuses the members AWS supports only for WebSocket.
func validateHTTPRoute(route *Route) error {
	websocketOnly := map[string]bool{
		"apiKeyRequired":                   route.APIKeyRequired,
		"modelSelectionExpression":         route.ModelSelectionExpression != nil,
		"requestModels":                    len(route.RequestModels) > 0,
		"requestParameters":                len(route.RequestParameters) > 0,
		"routeResponseSelectionExpression": route.RouteResponseSelectionExpression != nil,
	}
	return refuseSet(websocketOnly, errWebSocketOnly)
}

// refuseSet answers message for the first member, in name order, that is
// set.
func refuseSet(members map[string]bool, message core.Message) error {
	names := make([]string, 0, len(members))
	for name, set := range members {
		if set {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return nil
	}
	slices.Sort(names)
	return message.With(names[0])
}

// validateWebSocketRoute checks request parameters and that request models
// name models of the API.
func (record *APIRecord) validateWebSocketRoute(route *Route) error {
	for _, key := range slices.Sorted(maps.Keys(route.RequestParameters)) {
		if !routeParameterKey.MatchString(key) {
			return errInvalidRouteParameter.With(key)
		}
	}
	for _, contentType := range slices.Sorted(maps.Keys(route.RequestModels)) {
		if record.modelNamed(route.RequestModels[contentType]) == nil {
			return errInvalidRequestModel.With(route.RequestModels[contentType], contentType)
		}
	}
	return nil
}
