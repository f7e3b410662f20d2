package openapi

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"sigs.k8s.io/yaml"
)

// Lambdas are the Lambda functions a document has API Gateway invoke.
type Lambdas struct {
	// Routes are, by function ARN, the route keys ("GET /orders/{id}")
	// whose integration invokes the function, sorted.
	Routes map[string][]string
	// Authorizers are, by security scheme name, the function each Lambda
	// authorizer runs.
	Authorizers map[string]string
}

// operationKeys are the path item keys that hold operations, with the verb
// of the route key they make.
var operationKeys = map[string]string{
	"get": "GET", "put": "PUT", "post": "POST", "delete": "DELETE", "options": "OPTIONS",
	"head": "HEAD", "patch": "PATCH", "trace": "TRACE", "x-amazon-apigateway-any-method": "ANY",
}

// integrationsRef is where HTTP API documents keep integrations that
// operations name by $ref.
const integrationsRef = "#/components/x-amazon-apigateway-integrations/"

// LambdaFunctions reads the functions the document's integrations
// (x-amazon-apigateway-integration uri) and authorizers
// (x-amazon-apigateway-authorizer authorizerUri) invoke. A URI is either the
// function's ARN (HTTP APIs) or API Gateway's Lambda invocation path
// (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations);
// URIs built from stage variables name no function this can know, and are
// left out.
func LambdaFunctions(body string) (Lambdas, error) {
	var doc struct {
		Paths      map[string]map[string]json.RawMessage `json:"paths"`
		Components struct {
			SecuritySchemes map[string]struct {
				Authorizer *struct {
					URI string `json:"authorizerUri"`
				} `json:"x-amazon-apigateway-authorizer"`
			} `json:"securitySchemes"`
			Integrations map[string]integration `json:"x-amazon-apigateway-integrations"`
		} `json:"components"`
		// OpenAPI 2.0 (REST) keeps security schemes here.
		SecurityDefinitions map[string]struct {
			Authorizer *struct {
				URI string `json:"authorizerUri"`
			} `json:"x-amazon-apigateway-authorizer"`
		} `json:"securityDefinitions"`
	}
	asJSON, err := yaml.YAMLToJSON([]byte(body))
	if err != nil {
		return Lambdas{}, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	if err := json.Unmarshal(asJSON, &doc); err != nil {
		return Lambdas{}, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	found := Lambdas{Routes: map[string][]string{}, Authorizers: map[string]string{}}
	for path, item := range doc.Paths {
		for key, raw := range item {
			verb, ok := operationKeys[key]
			if !ok {
				continue
			}
			var op struct {
				Integration *integration `json:"x-amazon-apigateway-integration"`
			}
			if json.Unmarshal(raw, &op) != nil || op.Integration == nil {
				continue
			}
			in := *op.Integration
			if name, ok := strings.CutPrefix(in.Ref, integrationsRef); ok {
				in = doc.Components.Integrations[name]
			}
			if fn := functionOf(in.URI); fn != "" {
				found.Routes[fn] = append(found.Routes[fn], verb+" "+path)
			}
		}
	}
	for _, fn := range slices.Collect(maps.Keys(found.Routes)) {
		slices.Sort(found.Routes[fn])
	}
	for name, scheme := range doc.Components.SecuritySchemes {
		if scheme.Authorizer != nil {
			if fn := functionOf(scheme.Authorizer.URI); fn != "" {
				found.Authorizers[name] = fn
			}
		}
	}
	for name, scheme := range doc.SecurityDefinitions {
		if scheme.Authorizer != nil {
			if fn := functionOf(scheme.Authorizer.URI); fn != "" {
				found.Authorizers[name] = fn
			}
		}
	}
	return found, nil
}

type integration struct {
	Ref string `json:"$ref"`
	URI string `json:"uri"`
}

// functionOf returns the function ARN a Lambda integration URI names, or "".
func functionOf(uri string) string {
	if strings.ContainsAny(uri, "${}") {
		return "" // stage variables or placeholders: known only at request time
	}
	if _, rest, ok := strings.Cut(uri, ":lambda:path/2015-03-31/functions/"); ok {
		fn, _, _ := strings.Cut(rest, "/invocations")
		return fn
	}
	if strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:") && strings.Contains(uri, ":function:") {
		return uri
	}
	return ""
}
