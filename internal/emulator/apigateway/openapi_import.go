package apigateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi2conv"
	"github.com/getkin/kin-openapi/openapi3"
	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// The x-amazon-apigateway-* extensions ImportRestApi, PutRestApi and
// GetExport understand ("OpenAPI extensions to API Gateway").
const (
	extIntegration      = "x-amazon-apigateway-integration"
	extAuthorizer       = "x-amazon-apigateway-authorizer"
	extAuthType         = "x-amazon-apigateway-authtype"
	extAPIKeySource     = "x-amazon-apigateway-api-key-source"
	extBinaryMediaTypes = "x-amazon-apigateway-binary-media-types"
	extValidators       = "x-amazon-apigateway-request-validators"
	extValidator        = "x-amazon-apigateway-request-validator"
	extGatewayResponses = "x-amazon-apigateway-gateway-responses"
	extAnyMethod        = "x-amazon-apigateway-any-method"
	extEndpointConfig   = "x-amazon-apigateway-endpoint-configuration"
	extAuth             = "x-amazon-apigateway-auth"
	extPolicy           = "x-amazon-apigateway-policy"
	extCompression      = "x-amazon-apigateway-minimum-compression-size"
)

// The kinds of security scheme that are not authorizers.
const (
	schemeAPIKey = "apiKey"
	schemeIAM    = "awsSigv4"
)

// openAPIRoutes are PutRestApi and GetExport. ImportRestApi shares
// CreateRestApi's route (POST /restapis, told apart by ?mode=import).
func (s *Service) openAPIRoutes() []core.Route {
	return []core.Route{
		{Method: http.MethodPut, Pattern: restAPIPath, Operation: "PutRestApi", Mutates: true, Handle: s.putRestAPI},
		{Method: http.MethodGet, Pattern: restAPIPath + "/stages/{stage_name}/exports/{export_type}", Operation: "GetExport", Handle: s.getExport},
	}
}

// restAPIWithWarnings is the ImportRestApi and PutRestApi answer: the API
// and the import's warnings (absent when there are none).
type restAPIWithWarnings struct {
	*restAPI
	Warnings []string `json:"warnings,omitempty"`
}

// oasIntegration is x-amazon-apigateway-integration.
type oasIntegration struct {
	Type                string                            `json:"type"`
	URI                 string                            `json:"uri,omitempty"`
	HTTPMethod          string                            `json:"httpMethod,omitempty"`
	Credentials         string                            `json:"credentials,omitempty"`
	RequestParameters   map[string]string                 `json:"requestParameters,omitempty"`
	RequestTemplates    map[string]string                 `json:"requestTemplates,omitempty"`
	PassthroughBehavior string                            `json:"passthroughBehavior,omitempty"`
	ConnectionType      string                            `json:"connectionType,omitempty"`
	ConnectionID        string                            `json:"connectionId,omitempty"`
	TimeoutInMillis     *int64                            `json:"timeoutInMillis,omitempty"`
	ContentHandling     string                            `json:"contentHandling,omitempty"`
	CacheNamespace      string                            `json:"cacheNamespace,omitempty"`
	CacheKeyParameters  []string                          `json:"cacheKeyParameters,omitempty"`
	TLSConfig           *restTLSConfig                    `json:"tlsConfig,omitempty"`
	Responses           map[string]oasIntegrationResponse `json:"responses,omitempty"`
}

// oasIntegrationResponse is one member of the integration's responses,
// keyed by its selection pattern ("default": none).
type oasIntegrationResponse struct {
	StatusCode         string            `json:"statusCode"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
	ContentHandling    string            `json:"contentHandling,omitempty"`
}

// oasAuthorizer is x-amazon-apigateway-authorizer.
type oasAuthorizer struct {
	Type                         string   `json:"type"`
	AuthorizerURI                string   `json:"authorizerUri,omitempty"`
	AuthorizerCredentials        string   `json:"authorizerCredentials,omitempty"`
	IdentitySource               string   `json:"identitySource,omitempty"`
	IdentityValidationExpression string   `json:"identityValidationExpression,omitempty"`
	AuthorizerResultTTLInSeconds *int64   `json:"authorizerResultTtlInSeconds,omitempty"`
	ProviderARNs                 []string `json:"providerARNs,omitempty"`
}

type oasValidator struct {
	ValidateRequestBody       bool `json:"validateRequestBody"`
	ValidateRequestParameters bool `json:"validateRequestParameters"`
}

type oasGatewayResponse struct {
	StatusCode         string            `json:"statusCode,omitempty"`
	ResponseParameters map[string]string `json:"responseParameters,omitempty"`
	ResponseTemplates  map[string]string `json:"responseTemplates,omitempty"`
}

// extension decodes the extension name of exts into target; false when
// it is absent.
func extension(exts map[string]any, name string, target any) (bool, error) {
	raw, ok := exts[name]
	if !ok {
		return false, nil
	}
	encoded, err := json.Marshal(raw)
	if err != nil {
		return true, err
	}
	if err := json.Unmarshal(encoded, target); err != nil {
		return true, fmt.Errorf("%s: %w", name, err)
	}
	return true, nil
}

// importFailed is AWS's wording for a document it cannot import:
// "Errors found during import:" and one line per error.
func importFailed(errs ...string) error {
	return core.BadRequest("Errors found during import:\n\t%s", strings.Join(errs, "\n\t"))
}

// warningsFound is the answer of failonwarnings=true to a document with
// warnings (wording inferred from the errors' form).
func warningsFound(warnings []string) error {
	return core.BadRequest("Warnings found during import:\n\t%s", strings.Join(warnings, "\n\t"))
}

// parseOpenAPI reads an OpenAPI 3.0 or Swagger 2.0 document, JSON or YAML,
// into the OpenAPI 3 model (Swagger through openapi2conv).
func parseOpenAPI(body []byte) (*openapi3.T, error) {
	if len(strings.TrimSpace(string(body))) == 0 {
		return nil, core.BadRequest("Invalid OpenAPI input: the body is empty")
	}
	asJSON, err := yaml.YAMLToJSON(body)
	if err != nil {
		return nil, core.BadRequest("Invalid OpenAPI input: %v", err)
	}
	var head struct {
		Swagger string `json:"swagger"`
		OpenAPI string `json:"openapi"`
	}
	if err := json.Unmarshal(asJSON, &head); err != nil {
		return nil, core.BadRequest("Invalid OpenAPI input: the document is not an object")
	}
	switch {
	case strings.HasPrefix(head.Swagger, "2."):
		var doc2 openapi2.T
		if err := json.Unmarshal(asJSON, &doc2); err != nil {
			return nil, core.BadRequest("Invalid OpenAPI input: %v", err)
		}
		doc3, err := openapi2conv.ToV3(&doc2)
		if err != nil {
			return nil, core.BadRequest("Invalid OpenAPI input: %v", err)
		}
		return doc3, nil
	case strings.HasPrefix(head.OpenAPI, "3."):
		loader := openapi3.NewLoader()
		loader.Context = context.Background()
		doc, err := loader.LoadFromData(asJSON)
		if err != nil {
			return nil, core.BadRequest("Invalid OpenAPI input: %v", err)
		}
		return doc, nil
	default:
		return nil, core.BadRequest("Invalid OpenAPI input: neither 'swagger: 2.0' nor 'openapi: 3.0.x' is declared")
	}
}

// oasImport is a parsed document applied to a REST API.
type oasImport struct {
	doc      *openapi3.T
	warnings []string
	errors   []string
	// tree is the tree being written, for the lookups of later steps.
	tree *restChildren
	// prefix goes before every path (the basepath parameter).
	prefix string
	call   *core.Call
}

// newImport reads the parameters every import shares: basepath (ignore,
// prepend or split; ignore when absent).
func newImport(c *core.Call, doc *openapi3.T, query map[string][]string) (*oasImport, error) {
	im := &oasImport{doc: doc, call: c}
	base := strings.Trim(documentBasePath(doc), "/")
	switch mode := firstValue(query, "basepath"); mode {
	case "", "ignore":
	case "prepend":
		if base != "" {
			im.prefix = "/" + base
		}
	case "split":
		if _, rest, ok := strings.Cut(base, "/"); ok {
			im.prefix = "/" + rest
		}
	default:
		return nil, core.BadRequest("Invalid basepath specified: %s. Must be one of: [ignore, prepend, split]", mode)
	}
	return im, nil
}

// documentBasePath is the document's base path as AWS finds it: the first
// server variable named basePath (its default), else the path of the first
// server's url (Swagger's basePath becomes that url in the conversion).
func documentBasePath(doc *openapi3.T) string {
	for _, server := range doc.Servers {
		if v := server.Variables["basePath"]; v != nil {
			return v.Default
		}
	}
	if len(doc.Servers) == 0 || doc.Servers[0] == nil {
		return ""
	}
	raw := doc.Servers[0].URL
	for name, v := range doc.Servers[0].Variables {
		if v != nil {
			raw = strings.ReplaceAll(raw, "{"+name+"}", v.Default)
		}
	}
	if i := strings.Index(raw, "://"); i >= 0 {
		raw = raw[i+3:]
		if j := strings.Index(raw, "/"); j >= 0 {
			return raw[j:]
		}
		return ""
	}
	return raw
}

func (im *oasImport) warn(format string, args ...any) {
	im.warnings = append(im.warnings, fmt.Sprintf(format, args...))
}

func (im *oasImport) fail(format string, args ...any) {
	im.errors = append(im.errors, fmt.Sprintf(format, args...))
}

// apply writes the document onto api and tree. Overwrite starts from an
// empty tree (the root resource and the default models); deployments,
// stages and documentation stay, as they are not part of the document.
func (im *oasImport) apply(api *restAPI, tree *restChildren, overwrite bool) *restChildren {
	if overwrite {
		fresh := newRestChildren(api.RootResourceID)
		fresh.Deployments, fresh.Stages = tree.Deployments, tree.Stages
		fresh.DocParts, fresh.DocVersions = tree.DocParts, tree.DocVersions
		tree = fresh
	}
	im.tree = tree
	im.applyAPI(api, overwrite)
	im.applyModels(api, tree)
	validators := im.applyValidators(tree)
	authorizers, apiKeySchemes := im.applyAuthorizers(tree)
	im.applyGatewayResponses(tree)
	im.applyPaths(tree, validators, authorizers, apiKeySchemes)
	return tree
}

func (im *oasImport) applyAPI(api *restAPI, overwrite bool) {
	doc := im.doc
	if doc.Info != nil {
		if doc.Info.Title != "" {
			api.Name = doc.Info.Title
		}
		if doc.Info.Description != "" || overwrite {
			api.Description = doc.Info.Description
		}
	}
	var source string
	if ok, err := extension(doc.Extensions, extAPIKeySource, &source); err != nil {
		im.fail("Invalid %s: %v", extAPIKeySource, err)
	} else if ok {
		if slices.Contains(restAPIKeySourceEnum, strings.ToUpper(source)) {
			api.APIKeySource = strings.ToUpper(source)
		} else {
			im.warn("Invalid API key source '%s' in %s, ignoring", source, extAPIKeySource)
		}
	} else if overwrite {
		api.APIKeySource = "HEADER"
	}
	var binary []string
	if ok, err := extension(doc.Extensions, extBinaryMediaTypes, &binary); err != nil {
		im.fail("Invalid %s: %v", extBinaryMediaTypes, err)
	} else if ok {
		if overwrite {
			api.BinaryMediaTypes = binary
		} else {
			for _, t := range binary {
				if !slices.Contains(api.BinaryMediaTypes, t) {
					api.BinaryMediaTypes = append(api.BinaryMediaTypes, t)
				}
			}
		}
	} else if overwrite {
		api.BinaryMediaTypes = nil
	}
	im.applyPolicyAndCompression(api, overwrite)
	var endpoint struct {
		VpcEndpointIDs            []string `json:"vpcEndpointIds"`
		DisableExecuteAPIEndpoint *bool    `json:"disableExecuteApiEndpoint"`
	}
	if ok, err := extension(doc.Extensions, extEndpointConfig, &endpoint); err != nil {
		im.fail("Invalid %s: %v", extEndpointConfig, err)
	} else if ok {
		if len(endpoint.VpcEndpointIDs) > 0 {
			api.EndpointConfiguration.VpcEndpointIDs = endpoint.VpcEndpointIDs
		}
		assignIfSet(&api.DisableExecuteAPIEndpoint, endpoint.DisableExecuteAPIEndpoint)
	}
}

// applyPolicyAndCompression reads x-amazon-apigateway-policy (a policy
// document, stored as CreateRestApi stores one) and
// x-amazon-apigateway-minimum-compression-size.
func (im *oasImport) applyPolicyAndCompression(api *restAPI, overwrite bool) {
	var policy map[string]any
	if ok, err := extension(im.doc.Extensions, extPolicy, &policy); err != nil {
		im.fail("Invalid %s: %v", extPolicy, err)
	} else if ok {
		encoded, _ := json.Marshal(policy)
		if err := checkRestPolicy(string(encoded)); err != nil {
			im.fail("Invalid %s: %s", extPolicy, errorMessage(err))
		} else {
			api.Policy = storedRestPolicy(string(encoded), im.call, api.ID)
		}
	} else if overwrite {
		api.Policy = ""
	}
	var size int64
	if ok, err := extension(im.doc.Extensions, extCompression, &size); err != nil {
		im.fail("Invalid %s: %v", extCompression, err)
	} else if ok {
		if err := checkCompressionSize(size); err != nil {
			im.fail("%s", errorMessage(err))
		} else {
			api.MinimumCompressionSize = &size
		}
	} else if overwrite {
		api.MinimumCompressionSize = nil
	}
}

// modelRefPrefix is where AWS's model schemas point at other models.
func modelRefPrefix(apiID string) string {
	return fmt.Sprintf("https://apigateway.amazonaws.com/restapis/%s/models/", apiID)
}

// applyModels makes a model of each schema (definitions in Swagger,
// components.schemas in OpenAPI 3), its $refs pointing at the API's models.
func (im *oasImport) applyModels(api *restAPI, tree *restChildren) {
	if im.doc.Components == nil {
		return
	}
	for _, name := range slices.Sorted(maps.Keys(im.doc.Components.Schemas)) {
		ref := im.doc.Components.Schemas[name]
		if !restModelName.MatchString(name) {
			im.warn("Model name must be alphanumeric: %s", name) // the words of AWS's importer
			continue
		}
		if ref == nil || ref.Value == nil {
			continue
		}
		encoded, err := json.Marshal(ref.Value)
		if err != nil {
			im.fail("Unable to create model '%s': %v", name, err)
			continue
		}
		schema := strings.ReplaceAll(string(encoded), `"#/components/schemas/`, `"`+modelRefPrefix(api.ID))
		schema = strings.ReplaceAll(schema, `"#/definitions/`, `"`+modelRefPrefix(api.ID))
		model := tree.Models[name]
		if model == nil {
			model = &restModel{ID: core.NewID(6), Name: name, ContentType: "application/json"}
			tree.Models[name] = model
		}
		model.Schema = schema
		model.Description = ref.Value.Description
	}
}

// applyValidators creates x-amazon-apigateway-request-validators and
// returns the validators' ids by name.
func (im *oasImport) applyValidators(tree *restChildren) map[string]string {
	byName := map[string]string{}
	for id, v := range tree.Validators {
		byName[v.Name] = id
	}
	var declared map[string]oasValidator
	if _, err := extension(im.doc.Extensions, extValidators, &declared); err != nil {
		im.fail("Invalid %s: %v", extValidators, err)
	}
	for _, name := range slices.Sorted(maps.Keys(declared)) {
		v := declared[name]
		id, ok := byName[name]
		if !ok {
			id = unusedChildID(tree.Validators, 6)
			byName[name] = id
		}
		tree.Validators[id] = &restValidator{ID: id, Name: name, ValidateRequestBody: v.ValidateRequestBody, ValidateRequestParameters: v.ValidateRequestParameters}
	}
	return byName
}

// applyAuthorizers creates an authorizer of every security scheme with
// x-amazon-apigateway-authorizer; it returns their ids by scheme name, and
// the names of the API key schemes.
func (im *oasImport) applyAuthorizers(tree *restChildren) (map[string]string, map[string]string) {
	authorizers := map[string]string{}
	for id, a := range tree.Authorizers {
		authorizers[a.Name] = id
	}
	apiKeys := map[string]string{}
	if im.doc.Components == nil {
		return authorizers, apiKeys
	}
	for _, name := range slices.Sorted(maps.Keys(im.doc.Components.SecuritySchemes)) {
		ref := im.doc.Components.SecuritySchemes[name]
		if ref == nil || ref.Value == nil {
			continue
		}
		scheme := ref.Value
		var ext oasAuthorizer
		ok, err := extension(scheme.Extensions, extAuthorizer, &ext)
		switch {
		case err != nil:
			im.fail("Invalid authorizer definition for '%s': %v", name, err)
			continue
		case !ok && strings.EqualFold(fmt.Sprint(scheme.Extensions[extAuthType]), "awsSigv4"):
			apiKeys[name] = schemeIAM
			continue
		case !ok && scheme.Type == "apiKey":
			apiKeys[name] = schemeAPIKey
			continue
		case !ok:
			im.warn("Ignoring security definition '%s' of type '%s': it has no %s", name, scheme.Type, extAuthorizer)
			continue
		}
		a := &restAuthorizer{
			Name:                         name,
			Type:                         strings.ToUpper(ext.Type),
			ProviderARNs:                 ext.ProviderARNs,
			AuthorizerURI:                ext.AuthorizerURI,
			AuthorizerCredentials:        ext.AuthorizerCredentials,
			IdentitySource:               ext.IdentitySource,
			IdentityValidationExpression: ext.IdentityValidationExpression,
		}
		if authType, _ := scheme.Extensions[extAuthType].(string); authType != "" {
			a.AuthType = authType
		}
		ttl := int64(defaultAuthorizerTTL)
		assignIfSet(&ttl, ext.AuthorizerResultTTLInSeconds)
		a.AuthorizerResultTTLInSeconds = &ttl
		if a.IdentitySource == "" && a.Type != "REQUEST" && scheme.In == "header" && scheme.Name != "" {
			a.IdentitySource = "method.request.header." + scheme.Name
		}
		if !slices.Contains(restAuthorizerTypes, a.Type) {
			im.fail("Invalid authorizer type '%s' for '%s'", ext.Type, name)
			continue
		}
		if err := checkAuthorizer(a); err != nil {
			im.fail("Unable to create authorizer '%s': %s", name, errorMessage(err))
			continue
		}
		id, exists := authorizers[name]
		if !exists {
			if len(tree.Authorizers) >= maxRestAuthorizers {
				im.fail("Unable to create authorizer '%s': %s", name, errorMessage(tooManyAuthorizers()))
				continue
			}
			id = unusedChildID(tree.Authorizers, 6)
			authorizers[name] = id
		}
		a.ID = id
		tree.Authorizers[id] = a
	}
	return authorizers, apiKeys
}

// errorMessage is the message of an error the handlers would answer.
func errorMessage(err error) string {
	if e := (*core.Error)(nil); errors.As(err, &e) {
		return e.Message
	}
	return err.Error()
}

func (im *oasImport) applyGatewayResponses(tree *restChildren) {
	var declared map[string]oasGatewayResponse
	if _, err := extension(im.doc.Extensions, extGatewayResponses, &declared); err != nil {
		im.fail("Invalid %s: %v", extGatewayResponses, err)
	}
	for _, kind := range slices.Sorted(maps.Keys(declared)) {
		if validateResponseType(kind) != nil {
			im.warn("Ignoring gateway response of unknown type '%s'", kind)
			continue
		}
		g := declared[kind]
		gr := &restGatewayResponse{ResponseType: kind, StatusCode: g.StatusCode, ResponseParameters: g.ResponseParameters, ResponseTemplates: g.ResponseTemplates}
		if gr.ResponseParameters == nil {
			gr.ResponseParameters = map[string]string{}
		}
		if gr.ResponseTemplates == nil {
			gr.ResponseTemplates = map[string]string{}
		}
		tree.GatewayResponses[kind] = gr
	}
}

// applyPaths creates the resources of every path and the methods of its
// operations; a method the document defines replaces the one there was.
func (im *oasImport) applyPaths(tree *restChildren, validators, authorizers map[string]string, apiKeys map[string]string) {
	if im.doc.Paths == nil {
		return
	}
	defaultValidator := ""
	if _, err := extension(im.doc.Extensions, extValidator, &defaultValidator); err != nil {
		im.fail("Invalid %s: %v", extValidator, err)
	}
	items := im.doc.Paths.Map()
	for _, path := range slices.Sorted(maps.Keys(items)) {
		item := items[path]
		res, err := tree.ensurePath(im.prefix + path)
		if err != nil {
			im.fail("Unable to create resource at path '%s': %s", path, errorMessage(err))
			continue
		}
		ops := map[string]*openapi3.Operation{}
		for verb, op := range item.Operations() {
			ops[strings.ToUpper(verb)] = op
		}
		if raw, ok := item.Extensions[extAnyMethod]; ok {
			var op openapi3.Operation
			encoded, _ := json.Marshal(raw)
			if err := op.UnmarshalJSON(encoded); err != nil {
				im.fail("Invalid %s at path '%s': %v", extAnyMethod, path, err)
			} else {
				ops["ANY"] = &op
			}
		}
		for _, verb := range slices.Sorted(maps.Keys(ops)) {
			if verb == "TRACE" {
				im.warn("Ignoring unsupported method 'TRACE' at path '%s'", path)
				continue
			}
			m := im.method(tree, path, verb, item, ops[verb], res.ID, defaultValidator, validators, authorizers, apiKeys)
			if m == nil {
				continue
			}
			if res.Methods == nil {
				res.Methods = map[string]*restMethod{}
			}
			res.Methods[verb] = m
		}
	}
}

// ensurePath finds or creates the resources of path, root first.
func (t *restChildren) ensurePath(path string) (*restResource, error) {
	var current *restResource
	for _, r := range t.Resources {
		if r.isRoot() {
			current = r
		}
	}
	for part := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		if part == "" {
			continue
		}
		var next *restResource
		for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
			if r := t.Resources[id]; r.ParentID == current.ID && r.PathPart == part {
				next = r
			}
		}
		if next == nil {
			if err := t.checkPathPart(current, part, ""); err != nil {
				return nil, err
			}
			if len(t.Resources) >= maxRestResources {
				return nil, tooManyResources()
			}
			next = &restResource{ID: unusedChildID(t.Resources, 10), ParentID: current.ID, PathPart: part}
			t.Resources[next.ID] = next
		}
		current = next
	}
	return current, nil
}

// method builds one method from its operation.
func (im *oasImport) method(tree *restChildren, path, verb string, item *openapi3.PathItem, op *openapi3.Operation,
	resourceID, defaultValidator string, validators, authorizers map[string]string, apiKeys map[string]string) *restMethod {
	where := fmt.Sprintf("'%s %s'", verb, path)
	m := &restMethod{HTTPMethod: verb, AuthorizationType: "NONE", OperationName: op.OperationID}
	params := append(slices.Clone(item.Parameters), op.Parameters...)
	for _, p := range params {
		if p == nil || p.Value == nil {
			continue
		}
		in := map[string]string{"path": "path", "query": "querystring", "header": "header"}[p.Value.In]
		if in == "" {
			im.warn("Ignoring parameter '%s' of unsupported location '%s' on method %s", p.Value.Name, p.Value.In, where)
			continue
		}
		if m.RequestParameters == nil {
			m.RequestParameters = map[string]bool{}
		}
		m.RequestParameters["method.request."+in+"."+p.Value.Name] = p.Value.Required || p.Value.In == "path"
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		m.RequestModels = im.models(tree, op.RequestBody.Value.Content)
	}
	im.security(m, op, authorizers, apiKeys, where)
	var auth struct {
		Type string `json:"type"`
	}
	if ok, _ := extension(op.Extensions, extAuth, &auth); ok && strings.EqualFold(auth.Type, "AWS_IAM") {
		m.AuthorizationType = "AWS_IAM"
	}
	validator := defaultValidator
	if _, err := extension(op.Extensions, extValidator, &validator); err != nil {
		im.fail("Invalid %s on method %s: %v", extValidator, where, err)
	}
	if validator != "" {
		id, ok := validators[validator]
		if !ok {
			im.fail("Unable to put method %s: no request validator named '%s'", where, validator)
			return nil
		}
		m.RequestValidatorID = id
	}
	if op.Responses != nil {
		for code, ref := range op.Responses.Map() {
			if ref == nil || ref.Value == nil {
				continue
			}
			if validateStatusCode(code) != nil {
				if code != "default" {
					im.warn("Ignoring response '%s' of method %s: not a status code", code, where)
				}
				continue
			}
			mr := &restMethodResponse{StatusCode: code}
			for _, header := range slices.Sorted(maps.Keys(ref.Value.Headers)) {
				if mr.ResponseParameters == nil {
					mr.ResponseParameters = map[string]bool{}
				}
				mr.ResponseParameters["method.response.header."+header] = false
			}
			mr.ResponseModels = im.models(tree, ref.Value.Content)
			if m.MethodResponses == nil {
				m.MethodResponses = map[string]*restMethodResponse{}
			}
			m.MethodResponses[code] = mr
		}
	}
	if err := tree.checkMethod(m); err != nil {
		im.fail("Unable to put method %s: %s", where, errorMessage(err))
		return nil
	}
	var ext oasIntegration
	ok, err := extension(op.Extensions, extIntegration, &ext)
	switch {
	case err != nil:
		im.fail("Unable to put integration on %s: %v", where, err)
	case ok:
		m.MethodIntegration = im.integration(&ext, resourceID, where)
	}
	return m
}

// models maps each content type whose schema is a $ref to a model to that
// model's name.
func (im *oasImport) models(tree *restChildren, content openapi3.Content) map[string]string {
	var models map[string]string
	for _, ct := range slices.Sorted(maps.Keys(content)) {
		media := content[ct]
		if media == nil || media.Schema == nil || media.Schema.Ref == "" {
			continue
		}
		name := media.Schema.Ref[strings.LastIndex(media.Schema.Ref, "/")+1:]
		if _, ok := tree.Models[name]; !ok {
			im.warn("Reference to model '%s' not found. Ignoring.", name) // the words of AWS's importer
			continue
		}
		if models == nil {
			models = map[string]string{}
		}
		models[ct] = name
	}
	return models
}

// security applies the operation's security requirements (or the
// document's): API key schemes set apiKeyRequired, an authorizer scheme
// sets CUSTOM or COGNITO_USER_POOLS with its scopes.
func (im *oasImport) security(m *restMethod, op *openapi3.Operation, authorizers map[string]string, apiKeys map[string]string, where string) {
	requirements := im.doc.Security
	if op.Security != nil {
		requirements = *op.Security
	}
	for _, requirement := range requirements {
		for _, name := range slices.Sorted(maps.Keys(requirement)) {
			switch id, isAuthorizer := authorizers[name]; {
			case apiKeys[name] == schemeAPIKey:
				m.APIKeyRequired = true
			case apiKeys[name] == schemeIAM:
				m.AuthorizationType = "AWS_IAM"
			case isAuthorizer:
				m.AuthorizerID = id
				m.AuthorizationType = "CUSTOM"
				if im.authorizerType(id) == authorizerCognito {
					m.AuthorizationType = "COGNITO_USER_POOLS"
					m.AuthorizationScopes = slices.Clone(requirement[name])
				}
			default:
				im.warn("Ignoring security requirement '%s' on method %s: no such security definition", name, where)
			}
		}
	}
}

// authorizerType is the type of the authorizer id of the tree being written.
func (im *oasImport) authorizerType(id string) string {
	if a, ok := im.tree.Authorizers[id]; ok {
		return a.Type
	}
	return ""
}

// integration builds an integration from x-amazon-apigateway-integration.
func (im *oasImport) integration(ext *oasIntegration, resourceID, where string) *restIntegration {
	typ := strings.ToUpper(ext.Type)
	in := putIntegrationInput{
		Type:               &typ,
		HTTPMethod:         strings.ToUpper(ext.HTTPMethod),
		URI:                ext.URI,
		ConnectionID:       ext.ConnectionID,
		Credentials:        ext.Credentials,
		RequestParameters:  ext.RequestParameters,
		RequestTemplates:   ext.RequestTemplates,
		CacheNamespace:     ext.CacheNamespace,
		CacheKeyParameters: ext.CacheKeyParameters,
		TimeoutInMillis:    ext.TimeoutInMillis,
		TLSConfig:          ext.TLSConfig,
	}
	if ext.ConnectionType != "" {
		connection := strings.ToUpper(ext.ConnectionType)
		in.ConnectionType = &connection
	}
	if ext.PassthroughBehavior != "" {
		passthrough := strings.ToUpper(ext.PassthroughBehavior)
		in.PassthroughBehavior = &passthrough
	}
	if ext.ContentHandling != "" {
		in.ContentHandling = &ext.ContentHandling
	}
	if err := in.validateModel(); err != nil {
		im.fail("Unable to put integration on %s: %s", where, errorMessage(err))
		return nil
	}
	i := in.build(resourceID)
	if err := checkIntegration(i); err != nil {
		im.fail("Unable to put integration on %s: %s", where, errorMessage(err))
		return nil
	}
	for _, pattern := range slices.Sorted(maps.Keys(ext.Responses)) {
		r := ext.Responses[pattern]
		if validateStatusCode(r.StatusCode) != nil {
			im.fail("Unable to put integration response on %s for pattern '%s': invalid status code '%s'", where, pattern, r.StatusCode)
			continue
		}
		ir := &restIntegrationResponse{StatusCode: r.StatusCode, ResponseParameters: r.ResponseParameters, ResponseTemplates: r.ResponseTemplates, ContentHandling: r.ContentHandling}
		if pattern != "default" {
			ir.SelectionPattern = &pattern
		}
		if i.IntegrationResponses == nil {
			i.IntegrationResponses = map[string]*restIntegrationResponse{}
		}
		i.IntegrationResponses[r.StatusCode] = ir
	}
	return i
}

// importRestAPI is ImportRestApi: POST /restapis?mode=import.
func (s *Service) importRestAPI(c *core.Call, r *http.Request, body []byte) (int, any, error) {
	query := r.URL.Query()
	doc, err := parseOpenAPI(body)
	if err != nil {
		return 0, nil, err
	}
	if doc.Info == nil || doc.Info.Title == "" {
		return 0, nil, importFailed("Unable to create API: the document's info.title (the API's name) is missing")
	}
	in := restCreateInput{Name: &doc.Info.Title}
	if types := query.Get("endpointConfigurationTypes"); types != "" {
		in.EndpointConfiguration = &restEndpointConfigInput{Types: strings.Split(types, ",")}
	}
	if err := in.validate(); err != nil {
		return 0, nil, err
	}
	im, err := newImport(c, doc, query)
	if err != nil {
		return 0, nil, err
	}
	api := in.build(c, s.unusedID(c))
	tree := im.run(api, api.children(), true)
	if err := im.outcome(query); err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("ImportRestApi", "")); err != nil {
		return 0, nil, err
	}
	api.Children = tree
	s.world(c)[api.ID] = api
	return http.StatusCreated, restAPIWithWarnings{restAPI: api.view(), Warnings: im.warnings}, nil
}

// run applies the document to a copy of the API's tree and returns the
// copy; the caller keeps it only when outcome allows.
func (im *oasImport) run(api *restAPI, tree *restChildren, overwrite bool) *restChildren {
	working := core.DeepCopy(*tree)
	return im.apply(api, &working, overwrite)
}

// outcome is the import's answer: its errors, or its warnings when
// failonwarnings is true.
func (im *oasImport) outcome(query map[string][]string) error {
	if len(im.errors) > 0 {
		return importFailed(im.errors...)
	}
	fail, _ := strconv.ParseBool(firstValue(query, "failonwarnings"))
	if fail && len(im.warnings) > 0 {
		return warningsFound(im.warnings)
	}
	return nil
}

func firstValue(query map[string][]string, name string) string {
	if values := query[name]; len(values) > 0 {
		return values[0]
	}
	return ""
}

// putRestAPI is PutRestApi: PUT /restapis/{id}?mode=overwrite|merge (merge
// when absent, as AWS documents).
func (s *Service) putRestAPI(c *core.Call, r *http.Request, body []byte, params core.PathParams) (int, any, error) {
	query := r.URL.Query()
	mode := query.Get("mode")
	if mode == "" {
		mode = "merge"
	}
	if mode != "merge" && mode != "overwrite" {
		var v restModelValidation
		v.enum("putRestApiInput.mode", &mode, []string{"merge", "overwrite"})
		return 0, nil, v.err()
	}
	stored, err := s.lookup(c, params["restapi_id"])
	if err != nil {
		return 0, nil, err
	}
	doc, err := parseOpenAPI(body)
	if err != nil {
		return 0, nil, err
	}
	im, err := newImport(c, doc, query)
	if err != nil {
		return 0, nil, err
	}
	api := stored.clone()
	tree := im.run(api, stored.children(), mode == "overwrite")
	if err := im.outcome(query); err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("PutRestApi", "")); err != nil {
		return 0, nil, err
	}
	api.Children = tree
	s.world(c)[api.ID] = api
	return http.StatusOK, restAPIWithWarnings{restAPI: api.view(), Warnings: im.warnings}, nil
}
