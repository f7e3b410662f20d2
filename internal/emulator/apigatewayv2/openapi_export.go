package apigatewayv2

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/openapi"
)

// The messages of ExportApi (the emulator's words; AWS's are not recorded).
var (
	errInvalidSpecification = core.BadRequestMessage("Invalid specification %s: must be OAS30")
	errInvalidOutputType    = core.BadRequestMessage("Invalid outputType %s: must be one of [JSON, YAML]")
	errInvalidExportVersion = core.BadRequestMessage("Invalid exportVersion %s: the only supported version is 1.0")
	errInvalidBoolean       = core.BadRequestMessage("Invalid %s %s: must be true or false")
	errExportWebSocket      = core.BadRequestMessage("Export is supported only for HTTP APIs")
	errStageNotDeployed     = core.BadRequestMessage("Stage %s has no deployment to export")
)

// sigv4Scheme names the security scheme of AWS_IAM routes in an export.
const sigv4Scheme = "sigv4"

var pathVariable = regexp.MustCompile(`\{([^{}]+)\}`)

// exportSource is what an export describes: the API's current routes,
// integrations and authorizers, or those a stage's deployment froze.
type exportSource struct {
	routes       map[string]*Route
	integrations map[string]*Integration
	authorizers  map[string]*Authorizer
	stageName    string
}

// exportAPI is ExportApi: the API as an OpenAPI 3.0 definition, answered
// as the raw document.
func (svc *Service) exportAPI(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	if spec := params["specification"]; spec != "OAS30" {
		return 0, nil, errInvalidSpecification.With(spec)
	}
	query := r.URL.Query()
	outputType := query.Get("outputType")
	if outputType != "JSON" && outputType != "YAML" {
		return 0, nil, errInvalidOutputType.With(outputType)
	}
	if v := query.Get("exportVersion"); v != "" && v != importExportV1 {
		return 0, nil, errInvalidExportVersion.With(v)
	}
	extensions := true
	if v := query.Get("includeExtensions"); v != "" {
		if extensions, err = strconv.ParseBool(v); err != nil {
			return 0, nil, errInvalidBoolean.With("includeExtensions", v)
		}
	}
	if record.API.ProtocolType != "HTTP" {
		return 0, nil, errExportWebSocket.With()
	}
	source := exportSource{routes: record.Routes, integrations: record.Integrations, authorizers: record.Authorizers}
	if name := query.Get("stageName"); name != "" {
		stage := record.Stages[name]
		if stage == nil {
			return 0, nil, errNotFoundStage.With(name)
		}
		if stage.DeploymentID == nil || record.Deployments[*stage.DeploymentID] == nil {
			return 0, nil, errStageNotDeployed.With(name)
		}
		deployment := record.Deployments[*stage.DeploymentID]
		source = exportSource{routes: deployment.Routes, integrations: deployment.Integrations, authorizers: deployment.Authorizers, stageName: name}
	}
	doc := svc.exportDocument(record, source, extensions)
	encoded, contentType, err := openapi.Encode(doc, outputType)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, &core.Raw{Header: http.Header{"Content-Type": {contentType}}, Body: encoded}, nil
}

// exportVersion is info.version: the API's version, or AWS's rendering of
// its creation time when it has none.
func exportVersion(api API) string {
	if api.Version != nil {
		return *api.Version
	}
	return api.CreatedDate.UTC().Format("2006-01-02 15:04:05") + "UTC"
}

type object = map[string]any

func (svc *Service) exportDocument(record *APIRecord, source exportSource, extensions bool) object {
	api := svc.apiView(record)
	info := object{"title": api.Name, "version": exportVersion(api)}
	if api.Description != nil {
		info["description"] = *api.Description
	}
	basePath := source.stageName
	if basePath == defaultRouteKey {
		basePath = ""
	}
	doc := object{
		"openapi": "3.0.1",
		"info":    info,
		"servers": []object{{
			"url":       api.APIEndpoint + "/{basePath}",
			"variables": object{"basePath": object{"default": basePath}},
		}},
		"paths": exportPaths(source, extensions),
	}
	if schemes := exportSecuritySchemes(source, extensions); len(schemes) > 0 {
		doc["components"] = object{"securitySchemes": schemes}
	}
	if extensions {
		doc[extImportExport] = importExportV1
		if api.CorsConfiguration != nil {
			doc[extCors] = api.CorsConfiguration
		}
		if api.DisableExecuteAPIEndpoint {
			doc[extEndpointConfig] = object{"disableExecuteApiEndpoint": true}
		}
	}
	return doc
}

func exportPaths(source exportSource, extensions bool) object {
	paths := object{}
	for _, id := range slices.Sorted(maps.Keys(source.routes)) {
		route := source.routes[id]
		method, path := "ANY", "/$default"
		if route.RouteKey != defaultRouteKey {
			method, path, _ = strings.Cut(route.RouteKey, " ")
		}
		item, _ := paths[path].(object)
		if item == nil {
			item = object{}
			paths[path] = item
			if parameters := pathParameters(path); len(parameters) > 0 {
				item["parameters"] = parameters
			}
		}
		operation := object{"responses": object{"default": object{"description": "Default response for " + route.RouteKey}}}
		if route.OperationName != nil {
			operation["operationId"] = *route.OperationName
		}
		if security := exportSecurity(route, source.authorizers); security != nil {
			operation["security"] = security
		}
		if extensions && route.Target != nil {
			if integration := source.integrations[strings.TrimPrefix(*route.Target, "integrations/")]; integration != nil {
				operation[extIntegration] = exportIntegration(integration)
			}
		}
		key := strings.ToLower(method)
		if method == "ANY" {
			if !extensions {
				continue
			}
			key = extAnyMethod
		}
		item[key] = operation
	}
	return paths
}

// pathParameters declares a path's {variables}, as OpenAPI requires.
func pathParameters(path string) []object {
	var parameters []object
	for _, match := range pathVariable.FindAllStringSubmatch(path, -1) {
		parameters = append(parameters, object{"name": match[1], "in": "path", "required": true, "schema": object{"type": "string"}})
	}
	return parameters
}

func exportSecurity(route *Route, authorizers map[string]*Authorizer) []object {
	switch route.AuthorizationType {
	case authorizationIAM:
		return []object{{sigv4Scheme: []string{}}}
	case authorizationJWT, authorizationCustom:
		if route.AuthorizerID == nil || authorizers[*route.AuthorizerID] == nil {
			return nil
		}
		scopes := route.AuthorizationScopes
		if scopes == nil {
			scopes = []string{}
		}
		return []object{{authorizers[*route.AuthorizerID].Name: scopes}}
	}
	return nil
}

func exportSecuritySchemes(source exportSource, extensions bool) object {
	schemes := object{}
	for _, id := range slices.Sorted(maps.Keys(source.authorizers)) {
		authorizer := source.authorizers[id]
		ext := object{"identitySource": strings.Join(authorizer.IdentitySource, ", ")}
		scheme := object{"type": "apiKey", "name": "Unused", "in": "header"}
		if authorizer.AuthorizerType == authorizerTypeJWT {
			scheme = object{"type": "oauth2", "flows": object{}}
			ext["type"] = "jwt"
			ext["jwtConfiguration"] = authorizer.JWTConfiguration
		} else {
			ext["type"] = "request"
			setIf(ext, "authorizerUri", authorizer.AuthorizerURI)
			setIf(ext, "authorizerCredentials", authorizer.AuthorizerCredentialsArn)
			setIf(ext, "authorizerPayloadFormatVersion", authorizer.AuthorizerPayloadFormatVersion)
			setIf(ext, "authorizerResultTtlInSeconds", authorizer.AuthorizerResultTTLInSeconds)
			setIf(ext, "enableSimpleResponses", authorizer.EnableSimpleResponses)
			setIf(ext, "identityValidationExpression", authorizer.IdentityValidationExpression)
		}
		if extensions {
			scheme[extAuthorizer] = ext
		}
		schemes[authorizer.Name] = scheme
	}
	for _, route := range source.routes {
		if route.AuthorizationType == authorizationIAM {
			scheme := object{"type": "apiKey", "name": "Authorization", "in": "header"}
			if extensions {
				scheme[extAuthType] = sigv4AuthType
			}
			schemes[sigv4Scheme] = scheme
			break
		}
	}
	return schemes
}

func exportIntegration(integration *Integration) object {
	ext := object{
		"type":           strings.ToLower(integration.IntegrationType),
		"connectionType": integration.ConnectionType,
	}
	method := integration.IntegrationMethod
	if method == nil && integration.IntegrationType == "AWS_PROXY" {
		method = ptr("POST")
	}
	setIf(ext, "httpMethod", method)
	setIf(ext, "uri", integration.IntegrationURI)
	setIf(ext, "payloadFormatVersion", integration.PayloadFormatVersion)
	setIf(ext, "connectionId", integration.ConnectionID)
	setIf(ext, "timeoutInMillis", integration.TimeoutInMillis)
	setIf(ext, "credentials", integration.CredentialsArn)
	setIf(ext, "description", integration.Description)
	setIf(ext, "integrationSubtype", integration.IntegrationSubtype)
	setIf(ext, "tlsConfig", integration.TLSConfig)
	if len(integration.RequestParameters) > 0 {
		ext["requestParameters"] = integration.RequestParameters
	}
	if len(integration.ResponseParameters) > 0 {
		ext["responseParameters"] = integration.ResponseParameters
	}
	return ext
}

func setIf[T any](target object, key string, value *T) {
	if value != nil {
		target[key] = *value
	}
}
