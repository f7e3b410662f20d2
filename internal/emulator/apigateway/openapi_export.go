package apigateway

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

const (
	exportOAS30   = "oas30"
	exportSwagger = "swagger"
)

// exportExtensions are the extensions GetExport was asked for
// (parameters.extensions: integrations, authorizers, apigateway, validators,
// documentation; "apigateway" means every API Gateway extension).
type exportExtensions struct {
	integrations, authorizers, validators, apigateway bool
}

func parseExportExtensions(value string) exportExtensions {
	var e exportExtensions
	for name := range strings.SplitSeq(value, ",") {
		switch strings.TrimSpace(strings.ToLower(name)) {
		case "integrations":
			e.integrations = true
		case "authorizers":
			e.authorizers = true
		case "validators":
			e.validators = true
		case "apigateway":
			e.integrations, e.authorizers, e.validators, e.apigateway = true, true, true, true
		}
	}
	return e
}

// restExporter writes the document of one deployment snapshot.
type restExporter struct {
	api       *restAPI
	tree      *restChildren // the API's current models, validators, gateway responses
	snapshot  *restChildren // the deployment's resources and authorizers
	swagger   bool
	ext       exportExtensions
	region    string
	stage     string
	deployed  int64
	modelRefs string
}

// getExport is GetExport: the document of what the stage's deployment
// serves, JSON or YAML as the Accept header asks.
func (s *Service) getExport(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	api, tree, err := s.apiChildrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	stage, ok := tree.Stages[params["stage_name"]]
	if !ok {
		return 0, nil, stageNotFound()
	}
	exportType := params["export_type"]
	if exportType != exportOAS30 && exportType != exportSwagger {
		return 0, nil, core.BadRequest("Invalid export type specified: %s. Must be one of: [oas30, swagger]", exportType)
	}
	accept := strings.ToLower(strings.Join(r.Header.Values("Accept"), ","))
	asYAML := strings.Contains(accept, "yaml")
	if accept != "" && !asYAML && !strings.Contains(accept, "json") && !strings.Contains(accept, "*/*") {
		return 0, nil, core.BadRequest("Invalid accepts type specified: %s. Must be one of: [application/json, application/yaml]", r.Header.Get("Accept"))
	}
	record := tree.Deployments[stage.DeploymentID]
	if record == nil {
		return 0, nil, core.NotFound("Invalid deployment identifier specified")
	}
	e := &restExporter{
		api:       api,
		tree:      tree,
		snapshot:  &restChildren{Resources: record.Resources, Authorizers: record.Authorizers},
		swagger:   exportType == exportSwagger,
		ext:       parseExportExtensions(r.URL.Query().Get("extensions")),
		region:    c.Region,
		stage:     stage.StageName,
		deployed:  record.Deployment.CreatedDate,
		modelRefs: modelRefPrefix(api.ID),
	}
	doc := e.document()
	body, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return 0, nil, err
	}
	contentType, suffix := "application/json", "json"
	if asYAML {
		if body, err = yaml.JSONToYAML(body); err != nil {
			return 0, nil, err
		}
		contentType, suffix = "application/yaml", "yaml"
	}
	header := http.Header{}
	header.Set("Content-Type", contentType)
	header.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s_%s.%s"`, exportType, time.Unix(e.deployed, 0).UTC().Format("2006-01-02T15:04:05Z"), suffix))
	return http.StatusOK, &core.Raw{Header: header, Body: body}, nil
}

type object = map[string]any

// document is the whole export.
func (e *restExporter) document() object {
	info := object{"title": e.api.Name, "version": time.Unix(e.deployed, 0).UTC().Format("2006-01-02T15:04:05Z")}
	if e.api.Description != "" {
		info["description"] = e.api.Description
	}
	host := fmt.Sprintf("%s.execute-api.%s.amazonaws.com", e.api.ID, e.region)
	doc := object{"info": info, "paths": e.paths()}
	if e.swagger {
		doc["swagger"] = "2.0"
		doc["host"] = host
		doc["basePath"] = "/" + e.stage
		doc["schemes"] = []string{"https"}
	} else {
		doc["openapi"] = "3.0.1"
		doc["servers"] = []object{{
			"url":       "https://" + host + "/{basePath}",
			"variables": object{"basePath": object{"default": e.stage}},
		}}
	}
	schemas := e.schemas()
	security := e.securitySchemes()
	if e.swagger {
		if len(schemas) > 0 {
			doc["definitions"] = schemas
		}
		if len(security) > 0 {
			doc["securityDefinitions"] = security
		}
	} else {
		components := object{}
		if len(schemas) > 0 {
			components["schemas"] = schemas
		}
		if len(security) > 0 {
			components["securitySchemes"] = security
		}
		if len(components) > 0 {
			doc["components"] = components
		}
	}
	if e.ext.validators && len(e.tree.Validators) > 0 {
		validators := object{}
		for _, v := range e.tree.Validators {
			validators[v.Name] = oasValidator{ValidateRequestBody: v.ValidateRequestBody, ValidateRequestParameters: v.ValidateRequestParameters}
		}
		doc[extValidators] = validators
	}
	if e.ext.apigateway {
		if len(e.api.BinaryMediaTypes) > 0 {
			doc[extBinaryMediaTypes] = e.api.BinaryMediaTypes
		}
		if policy := exportPolicy(e.api.Policy); policy != nil {
			doc[extPolicy] = policy
		}
		if e.api.MinimumCompressionSize != nil {
			doc[extCompression] = *e.api.MinimumCompressionSize
		}
		if e.api.APIKeySource != "" && e.api.APIKeySource != "HEADER" {
			doc[extAPIKeySource] = e.api.APIKeySource
		}
		if len(e.tree.GatewayResponses) > 0 {
			responses := object{}
			for kind, gr := range e.tree.GatewayResponses {
				responses[kind] = oasGatewayResponse{StatusCode: gr.StatusCode, ResponseParameters: gr.ResponseParameters, ResponseTemplates: gr.ResponseTemplates}
			}
			doc[extGatewayResponses] = responses
		}
	}
	return doc
}

// paths are the snapshot's resources with methods, by full path.
func (e *restExporter) paths() object {
	paths := object{}
	for _, id := range slices.Sorted(maps.Keys(e.snapshot.Resources)) {
		res := e.snapshot.Resources[id]
		if len(res.Methods) == 0 {
			continue
		}
		item := object{}
		for _, verb := range slices.Sorted(maps.Keys(res.Methods)) {
			key := strings.ToLower(verb)
			if verb == "ANY" {
				key = extAnyMethod
			}
			item[key] = e.operation(res.Methods[verb], res.ID)
		}
		paths[e.snapshot.resourcePath(res)] = item
	}
	return paths
}

// modelRef is how the document names a model.
func (e *restExporter) modelRef(name string) object {
	if e.swagger {
		return object{"$ref": "#/definitions/" + name}
	}
	return object{"$ref": "#/components/schemas/" + name}
}

func (e *restExporter) operation(m *restMethod, resourceID string) object {
	op := object{}
	if m.OperationName != "" {
		op["operationId"] = m.OperationName
	}
	var parameters []object
	for _, name := range slices.Sorted(maps.Keys(m.RequestParameters)) {
		rest, _ := strings.CutPrefix(name, "method.request.")
		location, param, _ := strings.Cut(rest, ".")
		in := map[string]string{"path": "path", "querystring": "query", "header": "header"}[location]
		if in == "" {
			continue
		}
		p := object{"name": param, "in": in, "required": m.RequestParameters[name] || in == "path"}
		if e.swagger {
			p["type"] = "string"
		} else {
			p["schema"] = object{"type": "string"}
		}
		parameters = append(parameters, p)
	}
	if len(m.RequestModels) > 0 {
		if e.swagger {
			ct := slices.Sorted(maps.Keys(m.RequestModels))[0]
			op["consumes"] = slices.Sorted(maps.Keys(m.RequestModels))
			parameters = append(parameters, object{"in": "body", "name": m.RequestModels[ct], "required": true, "schema": e.modelRef(m.RequestModels[ct])})
		} else {
			content := object{}
			for ct, model := range m.RequestModels {
				content[ct] = object{"schema": e.modelRef(model)}
			}
			op["requestBody"] = object{"content": content, "required": true}
		}
	}
	if len(parameters) > 0 {
		op["parameters"] = parameters
	}
	op["responses"] = e.responses(m)
	if security := e.security(m); len(security) > 0 {
		op["security"] = security
	}
	if e.ext.validators && m.RequestValidatorID != "" {
		if v := e.tree.Validators[m.RequestValidatorID]; v != nil {
			op[extValidator] = v.Name
		}
	}
	if e.ext.integrations && m.MethodIntegration != nil {
		op[extIntegration] = exportIntegration(m.MethodIntegration, resourceID)
	}
	return op
}

func (e *restExporter) responses(m *restMethod) object {
	responses := object{}
	for code, mr := range m.MethodResponses {
		response := object{"description": code + " response"}
		headers := object{}
		for name := range mr.ResponseParameters {
			if header, ok := strings.CutPrefix(name, "method.response.header."); ok {
				if e.swagger {
					headers[header] = object{"type": "string"}
				} else {
					headers[header] = object{"schema": object{"type": "string"}}
				}
			}
		}
		if len(headers) > 0 {
			response["headers"] = headers
		}
		if len(mr.ResponseModels) > 0 {
			if e.swagger {
				ct := slices.Sorted(maps.Keys(mr.ResponseModels))[0]
				response["schema"] = e.modelRef(mr.ResponseModels[ct])
			} else {
				content := object{}
				for ct, model := range mr.ResponseModels {
					content[ct] = object{"schema": e.modelRef(model)}
				}
				response["content"] = content
			}
		}
		responses[code] = response
	}
	if len(responses) == 0 {
		// OpenAPI requires responses; AWS writes a 200 for methods without any.
		responses["200"] = object{"description": "200 response"}
	}
	return responses
}

func (e *restExporter) security(m *restMethod) []object {
	var security []object
	if m.APIKeyRequired {
		security = append(security, object{"api_key": []string{}})
	}
	if a := e.snapshot.Authorizers[m.AuthorizerID]; a != nil && (m.AuthorizationType == "CUSTOM" || m.AuthorizationType == "COGNITO_USER_POOLS") {
		scopes := m.AuthorizationScopes
		if scopes == nil {
			scopes = []string{}
		}
		security = append(security, object{a.Name: scopes})
	}
	if m.AuthorizationType == "AWS_IAM" {
		security = append(security, object{"sigv4": []string{}})
	}
	return security
}

// securitySchemes are the schemes the exported methods use: api_key, and
// one per authorizer (with x-amazon-apigateway-authorizer when asked).
func (e *restExporter) securitySchemes() object {
	schemes := object{}
	used := map[string]bool{}
	for _, res := range e.snapshot.Resources {
		for _, m := range res.Methods {
			if m.APIKeyRequired {
				schemes["api_key"] = object{"type": "apiKey", "name": "x-api-key", "in": "header"}
			}
			if m.AuthorizationType == "AWS_IAM" {
				schemes["sigv4"] = object{"type": "apiKey", "name": "Authorization", "in": "header", extAuthType: "awsSigv4"}
			}
			used[m.AuthorizerID] = true
		}
	}
	for id, a := range e.snapshot.Authorizers {
		if !used[id] {
			continue
		}
		header := "Unused"
		if name, ok := strings.CutPrefix(a.IdentitySource, "method.request.header."); ok && !strings.Contains(name, ",") {
			header = name
		}
		scheme := object{"type": "apiKey", "name": header, "in": "header"}
		if a.Type == authorizerCognito {
			scheme[extAuthType] = "cognito_user_pools"
		} else {
			scheme[extAuthType] = "custom"
		}
		if a.AuthType != "" {
			scheme[extAuthType] = a.AuthType
		}
		if e.ext.authorizers {
			scheme[extAuthorizer] = oasAuthorizer{
				Type:                         strings.ToLower(a.Type),
				AuthorizerURI:                a.AuthorizerURI,
				AuthorizerCredentials:        a.AuthorizerCredentials,
				IdentitySource:               a.IdentitySource,
				IdentityValidationExpression: a.IdentityValidationExpression,
				AuthorizerResultTTLInSeconds: a.AuthorizerResultTTLInSeconds,
				ProviderARNs:                 a.ProviderARNs,
			}
		}
		schemes[a.Name] = scheme
	}
	return schemes
}

// schemas are the API's models but the default Empty and Error when no
// method uses them, their $refs pointing inside the document again.
func (e *restExporter) schemas() object {
	schemas := object{}
	for name, model := range e.tree.Models {
		if (name == "Empty" || name == "Error") && !e.modelUsed(name) {
			continue
		}
		local := "#/components/schemas/"
		if e.swagger {
			local = "#/definitions/"
		}
		var schema map[string]any
		if err := json.Unmarshal([]byte(strings.ReplaceAll(model.Schema, e.modelRefs, local)), &schema); err != nil {
			continue
		}
		delete(schema, "$schema")
		schemas[name] = schema
	}
	return schemas
}

func (e *restExporter) modelUsed(name string) bool {
	for _, res := range e.snapshot.Resources {
		for _, m := range res.Methods {
			if modelUsed(m, name) {
				return true
			}
		}
	}
	return false
}

// exportIntegration is x-amazon-apigateway-integration, with the types and
// passthrough behaviour in lower case as AWS writes them. The cache
// namespace is left out when it is the default (the resource's id).
func exportIntegration(i *restIntegration, resourceID string) oasIntegration {
	out := oasIntegration{
		Type:                strings.ToLower(i.Type),
		URI:                 i.URI,
		HTTPMethod:          i.HTTPMethod,
		Credentials:         i.Credentials,
		RequestParameters:   i.RequestParameters,
		RequestTemplates:    i.RequestTemplates,
		PassthroughBehavior: strings.ToLower(i.PassthroughBehavior),
		ConnectionID:        i.ConnectionID,
		ContentHandling:     i.ContentHandling,
		CacheNamespace:      i.CacheNamespace,
		CacheKeyParameters:  i.CacheKeyParameters,
		TLSConfig:           i.TLSConfig,
	}
	if out.CacheNamespace == resourceID {
		out.CacheNamespace = ""
	}
	if i.ConnectionType == connectionVpcLink {
		out.ConnectionType = i.ConnectionType
	}
	if i.TimeoutInMillis != maxIntegrationTimeout {
		timeout := i.TimeoutInMillis
		out.TimeoutInMillis = &timeout
	}
	for _, ir := range i.IntegrationResponses {
		pattern := "default"
		if ir.SelectionPattern != nil && *ir.SelectionPattern != "" {
			pattern = *ir.SelectionPattern
		}
		if out.Responses == nil {
			out.Responses = map[string]oasIntegrationResponse{}
		}
		out.Responses[pattern] = oasIntegrationResponse{StatusCode: ir.StatusCode, ResponseParameters: ir.ResponseParameters, ResponseTemplates: ir.ResponseTemplates, ContentHandling: ir.ContentHandling}
	}
	return out
}

// exportPolicy undoes the stored policy's extra JSON escaping
// (storedRestPolicy) and answers the document; nil for none.
func exportPolicy(stored string) map[string]any {
	if stored == "" {
		return nil
	}
	var unescaped string
	if err := json.Unmarshal([]byte(`"`+stored+`"`), &unescaped); err != nil {
		return nil
	}
	var policy map[string]any
	if err := json.Unmarshal([]byte(unescaped), &policy); err != nil {
		return nil
	}
	return policy
}
