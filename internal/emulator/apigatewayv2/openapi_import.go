package apigatewayv2

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/openapi"
)

// The API Gateway extensions of an HTTP API definition ("Working with
// OpenAPI definitions for HTTP APIs").
const (
	extIntegration    = "x-amazon-apigateway-integration"
	extAuthorizer     = "x-amazon-apigateway-authorizer"
	extAuthType       = "x-amazon-apigateway-authtype"
	extAnyMethod      = "x-amazon-apigateway-any-method"
	extCors           = "x-amazon-apigateway-cors"
	extImportExport   = "x-amazon-apigateway-importexport-version"
	extEndpointConfig = "x-amazon-apigateway-endpoint-configuration"
	extPrefix         = "x-amazon-apigateway-"
	importExportV1    = "1.0"
	sigv4AuthType     = "awsSigv4"
)

// The messages of ImportApi and ReimportApi. AWS's exact words are not
// recorded; these are the emulator's (docs/emulator.md, "v2 OpenAPI").
var (
	errInvalidDefinition   = core.BadRequestMessage("Invalid OpenAPI definition: %s")
	errDefinitionRequired  = core.BadRequestMessage("The OpenAPI definition (body) is required")
	errInvalidBasepath     = core.BadRequestMessage("Invalid basepath %s: must be one of [ignore, prepend, split]")
	errWarningsFound       = core.BadRequestMessage("Warnings found during import:\n\t%s")
	errInvalidExtension    = core.BadRequestMessage("Invalid %s: %s")
	errImportExportVersion = core.BadRequestMessage("Unsupported x-amazon-apigateway-importexport-version %s: only 1.0 is supported")
	errReimportWebSocket   = core.BadRequestMessage("Import is supported only for HTTP APIs")
)

// ImportedAPI is ImportApi's and ReimportApi's answer: the Api object with
// what the import reported.
type ImportedAPI struct {
	API
	ImportInfo []string `json:"importInfo,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
}

// integrationExtension is x-amazon-apigateway-integration of an HTTP API.
type integrationExtension struct {
	ConnectionID         *string                      `json:"connectionId,omitempty"`
	ConnectionType       *string                      `json:"connectionType,omitempty"`
	Credentials          *string                      `json:"credentials,omitempty"`
	Description          *string                      `json:"description,omitempty"`
	HTTPMethod           *string                      `json:"httpMethod,omitempty"`
	IntegrationSubtype   *string                      `json:"integrationSubtype,omitempty"`
	PayloadFormatVersion *string                      `json:"payloadFormatVersion,omitempty"`
	RequestParameters    map[string]string            `json:"requestParameters,omitempty"`
	ResponseParameters   map[string]map[string]string `json:"responseParameters,omitempty"`
	TimeoutInMillis      *int64                       `json:"timeoutInMillis,omitempty"`
	TLSConfig            *TLSConfig                   `json:"tlsConfig,omitempty"`
	Type                 string                       `json:"type"`
	URI                  *string                      `json:"uri,omitempty"`
}

// authorizerExtension is x-amazon-apigateway-authorizer of an HTTP API.
// identitySource is a comma-separated string (a list is accepted too).
type authorizerExtension struct {
	AuthorizerCredentials          *string           `json:"authorizerCredentials,omitempty"`
	AuthorizerPayloadFormatVersion *string           `json:"authorizerPayloadFormatVersion,omitempty"`
	AuthorizerResultTTLInSeconds   *int64            `json:"authorizerResultTtlInSeconds,omitempty"`
	AuthorizerURI                  *string           `json:"authorizerUri,omitempty"`
	EnableSimpleResponses          *bool             `json:"enableSimpleResponses,omitempty"`
	IdentitySource                 json.RawMessage   `json:"identitySource,omitempty"`
	IdentityValidationExpression   *string           `json:"identityValidationExpression,omitempty"`
	JWTConfiguration               *JWTConfiguration `json:"jwtConfiguration,omitempty"`
	Type                           string            `json:"type"`
}

type endpointConfigExtension struct {
	DisableExecuteAPIEndpoint *bool `json:"disableExecuteApiEndpoint,omitempty"`
}

// importPlan is what a definition asks for, read and checked before any
// state changes.
type importPlan struct {
	name, description, version *string
	cors                       *Cors
	disableExecuteAPIEndpoint  *bool
	authorizers                map[string]*Authorizer // by security scheme name
	iamSchemes                 map[string]bool
	routes                     []plannedRoute
	warnings                   []string
}

type plannedRoute struct {
	key, operationName string
	integration        *Integration
	security           []map[string][]string
}

type importOptions struct {
	basepath       string
	failOnWarnings bool
}

func readImportOptions(r *http.Request) (importOptions, error) {
	query := r.URL.Query()
	opts := importOptions{basepath: query.Get("basepath"), failOnWarnings: strings.EqualFold(query.Get("failOnWarnings"), "true")}
	switch opts.basepath {
	case "":
		opts.basepath = "ignore"
	case "ignore", "prepend", "split":
	default:
		return opts, errInvalidBasepath.With(opts.basepath)
	}
	return opts, nil
}

// readDefinition reads the request and plans the import of its definition.
func readDefinition(r *http.Request, body []byte) (*importPlan, importOptions, error) {
	opts, err := readImportOptions(r)
	if err != nil {
		return nil, opts, err
	}
	var input struct {
		Body *string `json:"body"`
	}
	if err := decodeBody(body, &input); err != nil {
		return nil, opts, err
	}
	if input.Body == nil || strings.TrimSpace(*input.Body) == "" {
		return nil, opts, errDefinitionRequired.With()
	}
	plan, err := planImport([]byte(*input.Body), opts.basepath)
	if err != nil {
		return nil, opts, err
	}
	if opts.failOnWarnings && len(plan.warnings) > 0 {
		return nil, opts, errWarningsFound.With(strings.Join(plan.warnings, "\n\t"))
	}
	return plan, opts, nil
}

// planImport parses a definition with kin-openapi and reads the API, its
// authorizers, routes and integrations from it. A definition that is not
// OpenAPI 3 JSON or YAML is refused; one whose references do not resolve or
// that does not validate imports with a warning, as AWS's does.
func planImport(definition []byte, basepath string) (*importPlan, error) {
	doc, err := openapi.Parse(definition)
	if err != nil {
		return nil, errInvalidDefinition.With(err.Error())
	}
	plan := &importPlan{authorizers: map[string]*Authorizer{}, iamSchemes: map[string]bool{}}
	if err := openapi.Resolve(doc); err != nil {
		plan.warn("Parse issue: %s", err)
	} else if err := validateDefinition(doc); err != nil {
		plan.warn("Parse issue: %s", err)
	}
	if err := plan.readRoot(doc); err != nil {
		return nil, err
	}
	if err := plan.readSecuritySchemes(doc); err != nil {
		return nil, err
	}
	prefix := basePathPrefix(doc, basepath)
	if doc.Paths == nil {
		return plan, nil
	}
	paths := doc.Paths.Map()
	for _, path := range slices.Sorted(maps.Keys(paths)) {
		if err := plan.readPath(doc, prefix, path, paths[path]); err != nil {
			return nil, err
		}
	}
	return plan, nil
}

// validateDefinition is kin-openapi's validation less the servers, which
// only basepath reads: AWS's own exports give the basePath variable an
// empty default, which kin-openapi counts as missing.
func validateDefinition(doc *openapi3.T) error {
	servers := doc.Servers
	doc.Servers = nil
	defer func() { doc.Servers = servers }()
	return doc.Validate(context.Background(), openapi3.DisableExamplesValidation(), openapi3.DisableSchemaDefaultsValidation())
}

func (plan *importPlan) warn(format string, args ...any) {
	plan.warnings = append(plan.warnings, fmt.Sprintf(format, args...))
}

func (plan *importPlan) readRoot(doc *openapi3.T) error {
	if doc.Info != nil {
		plan.name = nonEmpty(doc.Info.Title)
		plan.description = nonEmpty(doc.Info.Description)
		plan.version = nonEmpty(doc.Info.Version)
	}
	var version string
	if ok, err := openapi.Extension(doc.Extensions, extImportExport, &version); err != nil {
		return errInvalidExtension.With(extImportExport, err.Error())
	} else if ok && version != importExportV1 {
		return errImportExportVersion.With(version)
	}
	var cors Cors
	if ok, err := openapi.Extension(doc.Extensions, extCors, &cors); err != nil {
		return errInvalidExtension.With(extCors, err.Error())
	} else if ok {
		plan.cors = &cors
	}
	var endpoint endpointConfigExtension
	if ok, err := openapi.Extension(doc.Extensions, extEndpointConfig, &endpoint); err != nil {
		return errInvalidExtension.With(extEndpointConfig, err.Error())
	} else if ok {
		plan.disableExecuteAPIEndpoint = endpoint.DisableExecuteAPIEndpoint
	}
	plan.warnUnsupported(doc.Extensions, "the root of the definition", extImportExport, extCors, extEndpointConfig)
	return nil
}

// warnUnsupported warns of every API Gateway extension at where that HTTP
// APIs do not import.
func (plan *importPlan) warnUnsupported(extensions map[string]any, where string, supported ...string) {
	for _, key := range slices.Sorted(maps.Keys(extensions)) {
		if strings.HasPrefix(key, extPrefix) && !slices.Contains(supported, key) {
			plan.warn("Unsupported extension %s at %s was ignored", key, where)
		}
	}
}

func (plan *importPlan) readSecuritySchemes(doc *openapi3.T) error {
	if doc.Components == nil {
		return nil
	}
	schemes := doc.Components.SecuritySchemes
	for _, name := range slices.Sorted(maps.Keys(schemes)) {
		scheme := schemes[name].Value
		if scheme == nil {
			continue
		}
		var authType string
		if _, err := openapi.Extension(scheme.Extensions, extAuthType, &authType); err == nil && authType == sigv4AuthType {
			plan.iamSchemes[name] = true
			continue
		}
		var ext authorizerExtension
		ok, err := openapi.Extension(scheme.Extensions, extAuthorizer, &ext)
		if err != nil {
			return errInvalidExtension.With(extAuthorizer, err.Error())
		}
		if !ok {
			plan.warn("Security scheme %s has no %s and was ignored", name, extAuthorizer)
			continue
		}
		authorizer, err := authorizerFromExtension(name, ext)
		if err != nil {
			return err
		}
		if authorizer == nil {
			plan.warn("Security scheme %s: unsupported authorizer type %s for HTTP APIs was ignored", name, ext.Type)
			continue
		}
		plan.authorizers[name] = authorizer
	}
	return nil
}

func authorizerFromExtension(name string, ext authorizerExtension) (*Authorizer, error) {
	authorizer := &Authorizer{
		Name:                           name,
		AuthorizerCredentialsArn:       ext.AuthorizerCredentials,
		AuthorizerPayloadFormatVersion: ext.AuthorizerPayloadFormatVersion,
		AuthorizerResultTTLInSeconds:   ext.AuthorizerResultTTLInSeconds,
		AuthorizerURI:                  ext.AuthorizerURI,
		EnableSimpleResponses:          ext.EnableSimpleResponses,
		IdentityValidationExpression:   ext.IdentityValidationExpression,
		JWTConfiguration:               ext.JWTConfiguration,
	}
	switch strings.ToLower(ext.Type) {
	case "jwt":
		authorizer.AuthorizerType = authorizerTypeJWT
	case "request":
		authorizer.AuthorizerType = authorizerTypeRequest
	default:
		return nil, nil
	}
	if len(ext.IdentitySource) > 0 {
		var joined string
		var list []string
		switch {
		case json.Unmarshal(ext.IdentitySource, &joined) == nil:
			for _, source := range strings.Split(joined, ",") {
				if source = strings.TrimSpace(source); source != "" {
					list = append(list, source)
				}
			}
		case json.Unmarshal(ext.IdentitySource, &list) == nil:
		default:
			return nil, errInvalidExtension.With(extAuthorizer, "identitySource must be a string")
		}
		authorizer.IdentitySource = list
	}
	return authorizer, nil
}

// basePathPrefix is what basepath prepends to every route path: nothing
// for ignore; the path of the first server URL (its variables at their
// defaults) for prepend; that path less its first segment for split.
func basePathPrefix(doc *openapi3.T, basepath string) string {
	if basepath == "ignore" || len(doc.Servers) == 0 || doc.Servers[0] == nil {
		return ""
	}
	server := doc.Servers[0]
	raw := server.URL
	for name, variable := range server.Variables {
		if variable != nil {
			raw = strings.ReplaceAll(raw, "{"+name+"}", variable.Default)
		}
	}
	path := raw
	if parsed, err := url.Parse(raw); err == nil && (parsed.Scheme != "" || parsed.Host != "") {
		path = parsed.Path
	}
	path = "/" + strings.Trim(path, "/")
	if basepath == "split" {
		rest := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)
		path = "/"
		if len(rest) == 2 {
			path += rest[1]
		}
	}
	return strings.TrimSuffix(path, "/")
}

func (plan *importPlan) readPath(doc *openapi3.T, prefix, path string, item *openapi3.PathItem) error {
	if item == nil {
		return nil
	}
	plan.warnUnsupported(item.Extensions, "path "+path, extAnyMethod)
	routePath := prefix + path
	if routePath != "/" {
		routePath = strings.TrimSuffix(routePath, "/")
	}
	operations := item.Operations()
	methods := slices.Sorted(maps.Keys(operations))
	var anyMethod openapi3.Operation
	if ok, err := openapi.Extension(item.Extensions, extAnyMethod, &anyMethod); err != nil {
		return errInvalidExtension.With(extAnyMethod, err.Error())
	} else if ok {
		operations = maps.Clone(operations)
		operations["ANY"] = &anyMethod
		methods = append(methods, "ANY")
	}
	for _, method := range methods {
		operation := operations[method]
		key := strings.ToUpper(method) + " " + routePath
		if path == "/$default" && method == "ANY" {
			key = defaultRouteKey
		}
		route, err := plan.readOperation(doc, key, operation)
		if err != nil {
			return err
		}
		plan.routes = append(plan.routes, route)
	}
	return nil
}

func (plan *importPlan) readOperation(doc *openapi3.T, key string, operation *openapi3.Operation) (plannedRoute, error) {
	route := plannedRoute{key: key, operationName: operation.OperationID}
	plan.warnUnsupported(operation.Extensions, "route "+key, extIntegration)
	var ext integrationExtension
	ok, err := openapi.Extension(operation.Extensions, extIntegration, &ext)
	if err != nil {
		return route, errInvalidExtension.With(extIntegration, err.Error())
	}
	if ok {
		route.integration = integrationFromExtension(ext)
	}
	security := operation.Security
	if security == nil {
		security = &doc.Security
	}
	for _, requirement := range *security {
		route.security = append(route.security, requirement)
	}
	return route, nil
}

func integrationFromExtension(ext integrationExtension) *Integration {
	integration := &Integration{
		ConnectionID:         ext.ConnectionID,
		ConnectionType:       "INTERNET",
		CredentialsArn:       ext.Credentials,
		Description:          ext.Description,
		IntegrationMethod:    ext.HTTPMethod,
		IntegrationSubtype:   ext.IntegrationSubtype,
		IntegrationType:      strings.ToUpper(ext.Type),
		IntegrationURI:       ext.URI,
		PayloadFormatVersion: ext.PayloadFormatVersion,
		RequestParameters:    ext.RequestParameters,
		ResponseParameters:   ext.ResponseParameters,
		TimeoutInMillis:      ext.TimeoutInMillis,
		TLSConfig:            ext.TLSConfig,
	}
	if ext.ConnectionType != nil {
		integration.ConnectionType = strings.ToUpper(*ext.ConnectionType)
	}
	return integration
}

// applyTo builds the planned authorizers, integrations (one per distinct
// x-amazon-apigateway-integration) and routes into record, replacing what
// it had, and updates the API's members the definition names.
func (plan *importPlan) applyTo(record *APIRecord) error {
	api := &record.API
	if plan.name != nil {
		api.Name = *plan.name
	}
	api.Description, api.Version, api.CorsConfiguration = plan.description, plan.version, plan.cors
	if plan.disableExecuteAPIEndpoint != nil {
		api.DisableExecuteAPIEndpoint = *plan.disableExecuteAPIEndpoint
	}
	if err := normaliseAPI(api); err != nil {
		return err
	}
	record.Routes, record.Integrations = map[string]*Route{}, map[string]*Integration{}
	record.Authorizers = map[string]*Authorizer{}
	authorizerIDs := map[string]string{}
	for _, name := range slices.Sorted(maps.Keys(plan.authorizers)) {
		authorizer := core.DeepCopy(plan.authorizers[name])
		authorizer.AuthorizerID = core.NewID(6)
		if err := normaliseAuthorizer("HTTP", authorizer); err != nil {
			return err
		}
		record.Authorizers[authorizer.AuthorizerID] = authorizer
		authorizerIDs[name] = authorizer.AuthorizerID
	}
	if len(record.Authorizers) > maxAuthorizersPerAPI {
		return errTooMany.With("Authorizers", maxAuthorizersPerAPI)
	}
	byDefinition := map[string]string{}
	for _, planned := range plan.routes {
		route := &Route{RouteID: core.NewID(7), RouteKey: planned.key, AuthorizationType: authorizationNone}
		if planned.operationName != "" {
			route.OperationName = ptr(planned.operationName)
		}
		if planned.integration != nil {
			id, err := record.addIntegration(planned.integration, byDefinition)
			if err != nil {
				return err
			}
			route.Target = ptr("integrations/" + id)
		}
		plan.authorize(route, planned.security, authorizerIDs)
		if err := record.validateRoute(route); err != nil {
			return err
		}
		for _, other := range record.Routes {
			if other.RouteKey == route.RouteKey {
				return errConflictRoute.With(route.RouteKey)
			}
		}
		record.Routes[route.RouteID] = route
	}
	if len(record.Routes) > maxRoutesPerAPI {
		return errTooMany.With("Routes", maxRoutesPerAPI)
	}
	if len(record.Integrations) > maxIntegrationsPerAPI {
		return errTooMany.With("Integrations", maxIntegrationsPerAPI)
	}
	return nil
}

// addIntegration stores integration unless an identical one is stored, and
// returns the id routes target.
func (record *APIRecord) addIntegration(planned *Integration, byDefinition map[string]string) (string, error) {
	key, _ := json.Marshal(planned)
	if id, ok := byDefinition[string(key)]; ok {
		return id, nil
	}
	integration := core.DeepCopy(planned)
	integration.IntegrationID = core.NewID(7)
	if err := normaliseIntegration("HTTP", integration); err != nil {
		return "", err
	}
	record.Integrations[integration.IntegrationID] = integration
	byDefinition[string(key)] = integration.IntegrationID
	return integration.IntegrationID, nil
}

// authorize sets a route's authorization from its security requirements:
// the first names the authorizer (JWT with its scopes, or CUSTOM) or the
// sigv4 scheme (AWS_IAM). HTTP routes take one authorizer, so further
// requirements are reported and ignored.
func (plan *importPlan) authorize(route *Route, security []map[string][]string, authorizerIDs map[string]string) {
	if len(security) == 0 {
		return
	}
	if len(security) > 1 {
		plan.warn("Route %s: only the first security requirement is imported", route.RouteKey)
	}
	requirement := security[0]
	names := slices.Sorted(maps.Keys(requirement))
	if len(names) == 0 {
		return
	}
	if len(names) > 1 {
		plan.warn("Route %s: only one security scheme per route is imported, %s was used", route.RouteKey, names[0])
	}
	name := names[0]
	switch {
	case plan.iamSchemes[name]:
		route.AuthorizationType = authorizationIAM
	case authorizerIDs[name] != "":
		authorizer := plan.authorizers[name]
		route.AuthorizerID = ptr(authorizerIDs[name])
		route.AuthorizationType = authorizationCustom
		if authorizer.AuthorizerType == authorizerTypeJWT {
			route.AuthorizationType = authorizationJWT
			route.AuthorizationScopes = requirement[name]
		}
	default:
		plan.warn("Route %s: security scheme %s is not an imported authorizer and was ignored", route.RouteKey, name)
	}
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// importAPI is ImportApi: a new HTTP API from an OpenAPI 3.0 definition.
func (svc *Service) importAPI(c *core.Call, r *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	plan, _, err := readDefinition(r, body)
	if err != nil {
		return 0, nil, err
	}
	record := &APIRecord{
		API: API{
			APIID: core.NewID(10), ProtocolType: "HTTP", CreatedDate: c.Now.Truncate(1e9), Tags: map[string]string{},
		},
		Routes: map[string]*Route{}, Integrations: map[string]*Integration{},
		Stages: map[string]*Stage{}, Deployments: map[string]*DeploymentRecord{},
	}
	record.ensureConfig()
	if plan.name == nil {
		return 0, nil, errInvalidDefinition.With("info.title is required: it names the API")
	}
	if err := plan.applyTo(record); err != nil {
		return 0, nil, err
	}
	svc.world(c).APIs[record.API.APIID] = record
	return http.StatusCreated, ImportedAPI{API: svc.apiView(record), Warnings: plan.warnings}, nil
}

// reimportAPI is ReimportApi: the API's routes, integrations and
// authorizers replaced by a definition's, its name, description, version
// and CORS too; stages stay, and those with autoDeploy are redeployed.
func (svc *Service) reimportAPI(c *core.Call, r *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	if record.API.ProtocolType != "HTTP" {
		return 0, nil, errReimportWebSocket.With()
	}
	plan, _, err := readDefinition(r, body)
	if err != nil {
		return 0, nil, err
	}
	updated := core.DeepCopy(*record)
	updated.API.APIEndpoint = ""
	updated.RouteResponses, updated.IntegrationResponses = map[string]map[string]*RouteResponse{}, map[string]map[string]*IntegrationResponse{}
	if err := plan.applyTo(&updated); err != nil {
		return 0, nil, err
	}
	*record = updated
	record.autoDeploy(c)
	return http.StatusCreated, ImportedAPI{API: svc.apiView(record), Warnings: plan.warnings}, nil
}

// openAPIRoutes are ImportApi, ReimportApi and ExportApi.
func (svc *Service) openAPIRoutes() []core.Route {
	return []core.Route{
		{Method: http.MethodPut, Pattern: "/v2/apis", Operation: "ImportApi", Mutates: true, Handle: svc.importAPI},
		{Method: http.MethodPut, Pattern: "/v2/apis/{apiId}", Operation: "ReimportApi", Mutates: true, Handle: svc.reimportAPI},
		{Method: http.MethodGet, Pattern: "/v2/apis/{apiId}/exports/{specification}", Operation: "ExportApi", Handle: svc.exportAPI},
	}
}
