// Package openapi holds the OpenAPI helpers the API Gateway emulators share:
// loading a definition (JSON or YAML) with kin-openapi, reading the
// x-amazon-apigateway-* extensions into typed values, and encoding an
// exported definition as JSON or YAML. It imports nothing of the emulator.
package openapi

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"sigs.k8s.io/yaml"
)

// Load parses an OpenAPI 3 definition, JSON or YAML. It resolves local
// references and never fetches remote ones.
func Load(body []byte) (*openapi3.T, error) {
	doc, err := Parse(body)
	if err != nil {
		return nil, err
	}
	return doc, Resolve(doc)
}

// Parse reads an OpenAPI 3 definition, JSON or YAML, without resolving its
// references: a definition whose references do not resolve still parses.
func Parse(body []byte) (*openapi3.T, error) {
	encoded, err := yaml.YAMLToJSON(body)
	if err != nil {
		return nil, fmt.Errorf("the definition is neither JSON nor YAML: %w", err)
	}
	doc := &openapi3.T{}
	if err := doc.UnmarshalJSON(encoded); err != nil {
		return nil, err
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.") {
		return nil, fmt.Errorf("unsupported openapi version %q: only 3.x is supported", doc.OpenAPI)
	}
	return doc, nil
}

// Resolve resolves a parsed definition's local references.
func Resolve(doc *openapi3.T) error {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	return loader.ResolveRefsIn(doc, nil)
}

// Extension decodes the extension named key of extensions into target; ok
// says whether it was present.
func Extension(extensions map[string]any, key string, target any) (ok bool, err error) {
	value, ok := extensions[key]
	if !ok {
		return false, nil
	}
	raw, err := json.Marshal(value)
	if err != nil {
		return true, err
	}
	if err := json.Unmarshal(raw, target); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}

// Encode writes a definition (any JSON-encodable value) as outputType, JSON
// or YAML, and returns its content type.
func Encode(doc any, outputType string) ([]byte, string, error) {
	encoded, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, "", err
	}
	if strings.EqualFold(outputType, "YAML") {
		converted, err := yaml.JSONToYAML(encoded)
		return converted, "application/yaml", err
	}
	return encoded, "application/json", nil
}
