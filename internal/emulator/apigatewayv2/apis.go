package apigatewayv2

import (
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

const (
	httpRouteSelectionExpression = "$request.method $request.path"
	defaultAPIKeySelection       = "$request.header.x-api-key"
	authorizerAPIKeySelection    = "$context.authorizer.usageIdentifierKey"
)

func (svc *Service) createAPI(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	api := API{Tags: map[string]string{}}
	var quick QuickCreate
	if err := decodeBody(body, &api); err != nil {
		return 0, nil, err
	}
	if err := decodeBody(body, &quick); err != nil {
		return 0, nil, err
	}
	if api.ProtocolType != "HTTP" && api.ProtocolType != "WEBSOCKET" {
		return 0, nil, errInvalidProtocolType.With(api.ProtocolType)
	}
	api.APIID = core.NewID(10)
	api.APIEndpoint, api.APIGatewayManaged = "", false
	api.CreatedDate = c.Now.Truncate(1e9)
	if api.Tags == nil {
		api.Tags = map[string]string{}
	}
	if violation := tags.Check(nil, api.Tags); violation != nil {
		return 0, nil, invalidTags(violation)
	}
	if err := normaliseAPI(&api); err != nil {
		return 0, nil, err
	}
	record := &APIRecord{
		API:          api,
		Routes:       map[string]*Route{},
		Integrations: map[string]*Integration{},
		Stages:       map[string]*Stage{},
		Deployments:  map[string]*DeploymentRecord{},
	}
	if err := quickCreate(c, record, quick); err != nil {
		return 0, nil, err
	}
	svc.world(c).APIs[api.APIID] = record
	return http.StatusCreated, svc.apiView(record), nil
}

// normaliseAPI validates the API's members and fills AWS's defaults. It runs
// on create and after every update.
func normaliseAPI(api *API) error {
	if n := len([]rune(api.Name)); n < 1 || n > 128 {
		return errInvalidName.With()
	}
	if api.Description != nil && len(*api.Description) > 1024 {
		return errInvalidDescription.With()
	}
	if api.Version != nil && (len(*api.Version) < 1 || len(*api.Version) > 64) {
		return errInvalidVersion.With()
	}
	switch api.IPAddressType {
	case "":
		api.IPAddressType = "ipv4"
	case "ipv4", "dualstack":
	default:
		return errInvalidIPAddressType.With(api.IPAddressType)
	}
	switch api.APIKeySelectionExpression {
	case "":
		api.APIKeySelectionExpression = defaultAPIKeySelection
	case defaultAPIKeySelection, authorizerAPIKeySelection:
	default:
		return errInvalidAPIKeySelection.With(api.APIKeySelectionExpression, defaultAPIKeySelection, authorizerAPIKeySelection)
	}
	if api.ProtocolType == "WEBSOCKET" {
		return validateWebSocketAPI(api)
	}
	return normaliseHTTPAPI(api)
}

func validateWebSocketAPI(api *API) error {
	if api.CorsConfiguration != nil {
		return errCorsOnlyForHTTPAPIs.With()
	}
	if strings.TrimSpace(api.RouteSelectionExpression) == "" {
		return errRouteSelectionRequired.With()
	}
	return nil
}

func normaliseHTTPAPI(api *API) error {
	switch api.RouteSelectionExpression {
	case "", httpRouteSelectionExpression, "${request.method} ${request.path}":
		api.RouteSelectionExpression = httpRouteSelectionExpression
	default:
		return errUnsupportedRouteSelection.With(api.RouteSelectionExpression)
	}
	return validateCors(api.CorsConfiguration)
}

func validateCors(cors *Cors) error {
	if cors == nil {
		return nil
	}
	if cors.AllowCredentials != nil && *cors.AllowCredentials {
		for _, origin := range cors.AllowOrigins {
			if origin == "*" {
				return errCredentialsWithWildcardOrigin.With()
			}
		}
	}
	if cors.MaxAge != nil && (*cors.MaxAge < -1 || *cors.MaxAge > 86400) {
		return errInvalidMaxAge.With(*cors.MaxAge)
	}
	return nil
}

// quickCreate builds the integration, route and auto-deployed $default stage
// that CreateApi makes when given a target (HTTP APIs only).
func quickCreate(c *core.Call, record *APIRecord, quick QuickCreate) error {
	if quick.Target == nil {
		if quick.RouteKey != nil || quick.CredentialsArn != nil {
			return errQuickCreateNeedsTarget.With()
		}
		return nil
	}
	if record.API.ProtocolType != "HTTP" {
		return errQuickCreateOnlyForHTTPAPIs.With()
	}
	integration := &Integration{
		APIGatewayManaged: true,
		ConnectionType:    "INTERNET",
		CredentialsArn:    quick.CredentialsArn,
		IntegrationID:     core.NewID(7),
		IntegrationURI:    quick.Target,
		TimeoutInMillis:   ptr(int64(30000)),
	}
	if strings.HasPrefix(*quick.Target, "http://") || strings.HasPrefix(*quick.Target, "https://") {
		integration.IntegrationType, integration.IntegrationMethod, integration.PayloadFormatVersion = "HTTP_PROXY", ptr("ANY"), ptr("1.0")
	} else {
		integration.IntegrationType, integration.PayloadFormatVersion = "AWS_PROXY", ptr("2.0")
	}
	routeKey := "$default"
	if quick.RouteKey != nil {
		routeKey = *quick.RouteKey
	}
	if err := validateHTTPRouteKey(routeKey); err != nil {
		return err
	}
	route := &Route{
		APIGatewayManaged: true, AuthorizationType: "NONE", RouteID: core.NewID(7), RouteKey: routeKey,
		Target: ptr("integrations/" + integration.IntegrationID),
	}
	record.Integrations[integration.IntegrationID] = integration
	record.Routes[route.RouteID] = route
	record.Stages["$default"] = newStage(c, "$default", true)
	record.Stages["$default"].APIGatewayManaged = true
	record.autoDeploy(c)
	return nil
}

func (svc *Service) getAPI(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, svc.apiView(record), nil
}

func (svc *Service) getAPIs(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	page, err := paginate(r, svc.world(c).APIs, func(rec *APIRecord) string { return rec.API.APIID }, svc.apiView)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// updateAPI changes only the members present in the body. protocolType and
// tags are not UpdateApi members; corsConfiguration, when sent, replaces the
// whole configuration.
func (svc *Service) updateAPI(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := core.DeepCopy(record.API)
	sendsCors := core.BodyHas(body, "corsConfiguration")
	if sendsCors {
		updated.CorsConfiguration = nil
	}
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	if record.API.ProtocolType == "WEBSOCKET" && sendsCors && updated.CorsConfiguration != nil {
		return 0, nil, errCorsOnlyForHTTPAPIs.With()
	}
	immutable := record.API
	updated.APIID, updated.ProtocolType, updated.CreatedDate = immutable.APIID, immutable.ProtocolType, immutable.CreatedDate
	updated.Tags, updated.APIEndpoint, updated.APIGatewayManaged = immutable.Tags, "", immutable.APIGatewayManaged
	if err := normaliseAPI(&updated); err != nil {
		return 0, nil, err
	}
	record.API = updated
	return http.StatusOK, svc.apiView(record), nil
}

func (svc *Service) deleteAPI(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(svc.world(c).APIs, record.API.APIID)
	return http.StatusNoContent, nil, nil
}

func (svc *Service) deleteCors(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	record.API.CorsConfiguration = nil
	return http.StatusNoContent, nil, nil
}

// apiView is the Api object as answered: the stored one plus apiEndpoint,
// which names this emulator's own data plane.
func (svc *Service) apiView(record *APIRecord) API {
	api := record.API
	scheme := "http://"
	if api.ProtocolType == "WEBSOCKET" {
		scheme = "ws://"
	}
	api.APIEndpoint = scheme + api.APIID + "." + svc.endpointBase()
	return api
}
