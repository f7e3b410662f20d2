package emulator

import (
	"net/http"
	"strings"
)

const (
	httpRouteSelectionExpression = "$request.method $request.path"
	defaultAPIKeySelection       = "$request.header.x-api-key"
)

func (svc *v2Service) createAPI(c *call, r *http.Request, body []byte, _ pathParams) (int, any, error) {
	api := v2API{Tags: map[string]string{}}
	var quick v2QuickCreate
	if err := decodeBody(body, &api); err != nil {
		return 0, nil, err
	}
	if err := decodeBody(body, &quick); err != nil {
		return 0, nil, err
	}
	if err := validateProtocolType(api.ProtocolType); err != nil {
		return 0, nil, err
	}
	api.APIID = newID(10)
	api.APIEndpoint, api.APIGatewayManaged = "", false
	api.CreatedDate = c.Now.Truncate(1e9)
	if api.Tags == nil {
		api.Tags = map[string]string{}
	}
	if err := validateTags(api.Tags); err != nil {
		return 0, nil, err
	}
	if err := normaliseAPI(&api); err != nil {
		return 0, nil, err
	}
	record := &v2APIRecord{
		API:          api,
		Routes:       map[string]*v2Route{},
		Integrations: map[string]*v2Integration{},
		Stages:       map[string]*v2Stage{},
		Deployments:  map[string]*v2DeploymentRecord{},
	}
	if err := quickCreate(c, record, quick); err != nil {
		return 0, nil, err
	}
	svc.world(c).APIs[api.APIID] = record
	return http.StatusCreated, svc.apiView(record), nil
}

// normaliseAPI validates the API's members and fills AWS's defaults. It runs
// on create and after every update.
func normaliseAPI(api *v2API) error {
	if err := validateName(api.Name); err != nil {
		return err
	}
	if api.Description != nil && len(*api.Description) > 1024 {
		return badRequest("Invalid description: must be at most 1024 characters")
	}
	if api.Version != nil && (len(*api.Version) < 1 || len(*api.Version) > 64) {
		return badRequest("Invalid version: must be between 1 and 64 characters")
	}
	switch api.IPAddressType {
	case "":
		api.IPAddressType = "ipv4"
	case "ipv4", "dualstack":
	default:
		return badRequest("Invalid ipAddressType %s: must be one of [ipv4, dualstack]", api.IPAddressType)
	}
	switch api.APIKeySelectionExpression {
	case "":
		api.APIKeySelectionExpression = defaultAPIKeySelection
	case defaultAPIKeySelection, "$context.authorizer.usageIdentifierKey":
	default:
		return badRequest("Invalid API Key Selection Expression: %s. Supported expressions: [%s, $context.authorizer.usageIdentifierKey]", api.APIKeySelectionExpression, defaultAPIKeySelection)
	}
	if api.ProtocolType == "WEBSOCKET" {
		return validateWebSocketAPI(api)
	}
	return normaliseHTTPAPI(api)
}

func validateWebSocketAPI(api *v2API) error {
	if api.CorsConfiguration != nil {
		return badRequest("CORS configuration is supported only for HTTP APIs")
	}
	if strings.TrimSpace(api.RouteSelectionExpression) == "" {
		return badRequest("Route selection expression is required for WEBSOCKET APIs")
	}
	return nil
}

func normaliseHTTPAPI(api *v2API) error {
	switch api.RouteSelectionExpression {
	case "", httpRouteSelectionExpression, "${request.method} ${request.path}":
		api.RouteSelectionExpression = httpRouteSelectionExpression
	default:
		return badRequest("Unsupported route selection expression for HTTP API: %s", api.RouteSelectionExpression)
	}
	return validateCors(api.CorsConfiguration)
}

func validateProtocolType(protocolType string) error {
	if protocolType != "HTTP" && protocolType != "WEBSOCKET" {
		return badRequest("Invalid protocol type %s: must be one of [HTTP, WEBSOCKET]", protocolType)
	}
	return nil
}

func validateName(name string) error {
	if n := len([]rune(name)); n < 1 || n > 128 {
		return badRequest("Invalid name: must be between 1 and 128 characters")
	}
	return nil
}

func validateCors(cors *v2Cors) error {
	if cors == nil {
		return nil
	}
	if cors.AllowCredentials != nil && *cors.AllowCredentials {
		for _, origin := range cors.AllowOrigins {
			if origin == "*" {
				return badRequest("allow-credentials is not supported if 'allow-origin' is *")
			}
		}
	}
	if cors.MaxAge != nil && (*cors.MaxAge < -1 || *cors.MaxAge > 86400) {
		return badRequest("Invalid maxAge %d: must be between -1 and 86400", *cors.MaxAge)
	}
	return nil
}

// quickCreate builds the integration, route and auto-deployed $default stage
// that CreateApi makes when given a target (HTTP APIs only).
func quickCreate(c *call, record *v2APIRecord, quick v2QuickCreate) error {
	if quick.Target == nil {
		if quick.RouteKey != nil || quick.CredentialsArn != nil {
			return badRequest("routeKey and credentialsArn are supported only with target, for quick create")
		}
		return nil
	}
	if record.API.ProtocolType != "HTTP" {
		return badRequest("Quick create is supported only for HTTP APIs")
	}
	integration := &v2Integration{
		APIGatewayManaged: true,
		ConnectionType:    "INTERNET",
		CredentialsArn:    quick.CredentialsArn,
		IntegrationID:     newID(7),
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
	route := &v2Route{
		APIGatewayManaged: true, AuthorizationType: "NONE", RouteID: newID(7), RouteKey: routeKey,
		Target: ptr("integrations/" + integration.IntegrationID),
	}
	record.Integrations[integration.IntegrationID] = integration
	record.Routes[route.RouteID] = route
	record.Stages["$default"] = newStage(c, "$default", true)
	record.Stages["$default"].APIGatewayManaged = true
	record.autoDeploy(c)
	return nil
}

func (svc *v2Service) getAPI(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, svc.apiView(record), nil
}

func (svc *v2Service) getAPIs(c *call, r *http.Request, body []byte, _ pathParams) (int, any, error) {
	page, err := paginate(r, svc.world(c).APIs, func(rec *v2APIRecord) string { return rec.API.APIID }, svc.apiView)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// updateAPI changes only the members present in the body. protocolType and
// tags are not UpdateApi members; corsConfiguration, when sent, replaces the
// whole configuration.
func (svc *v2Service) updateAPI(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := deepCopy(record.API)
	if bodyHas(body, "corsConfiguration") {
		updated.CorsConfiguration = nil
	}
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	if record.API.ProtocolType == "WEBSOCKET" && bodyHas(body, "corsConfiguration") && updated.CorsConfiguration != nil {
		return 0, nil, badRequest("CORS configuration is supported only for HTTP APIs")
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

func (svc *v2Service) deleteAPI(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(svc.world(c).APIs, record.API.APIID)
	return http.StatusNoContent, nil, nil
}

func (svc *v2Service) deleteCors(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	record.API.CorsConfiguration = nil
	return http.StatusNoContent, nil, nil
}

// apiView is the Api object as answered: the stored one plus apiEndpoint,
// which names this emulator's own data plane.
func (svc *v2Service) apiView(record *v2APIRecord) v2API {
	api := record.API
	scheme := "http://"
	if api.ProtocolType == "WEBSOCKET" {
		scheme = "ws://"
	}
	api.APIEndpoint = scheme + api.APIID + "." + svc.endpointBase()
	return api
}

func ptr[T any](v T) *T { return &v }
