package httpplane

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// Parameter mapping, as "Transform API requests and responses for HTTP APIs"
// documents it: a key "{operation}:{target}" (append, overwrite or remove;
// header.{name}, querystring.{name} or path; statuscode for responses) and a
// value that is static text or holds $request.*, $response.*, $context.* and
// $stageVariables.* references, with or without braces.

const (
	operationAppend    = "append"
	operationOverwrite = "overwrite"
	operationRemove    = "remove"
	targetHeader       = "header."
	targetQueryString  = "querystring."
	targetPath         = "path"
	targetStatusCode   = "statuscode"
)

// reference finds ${…} and bare $request., $response., $context. and
// $stageVariables. references in a mapping value.
var reference = regexp.MustCompile(`\$\{([^}]+)\}|\$((?:request|response|context|stageVariables)\.[A-Za-z0-9._\-\[\]]+|request\.path)`)

// mappedResponse is an integration's answer as response mappings see it.
type mappedResponse struct {
	status int
	header http.Header
	body   []byte
}

// evaluate substitutes every reference in a mapping value; a reference to
// nothing becomes empty.
func (c *routedCall) evaluate(value string, response *mappedResponse) string {
	return reference.ReplaceAllStringFunc(value, func(found string) string {
		groups := reference.FindStringSubmatch(found)
		name := groups[1] + groups[2]
		resolved, _ := c.resolve(name, response)
		return resolved
	})
}

// resolve returns the value of one reference without its "$": such as
// request.header.Authorization, request.querystring.id, request.path.id,
// request.path, request.body.user.name, context.requestId,
// stageVariables.backend, response.header.X or response.body.id.
func (c *routedCall) resolve(name string, response *mappedResponse) (string, bool) {
	source, rest, _ := strings.Cut(name, ".")
	switch source {
	case "request":
		return c.requestValue(rest)
	case "context":
		return c.contextVariable(rest)
	case "stageVariables":
		value, ok := c.stage.Variables[rest]
		return value, ok
	case "response":
		if response == nil {
			return "", false
		}
		return responseValue(rest, response)
	}
	return "", false
}

func (c *routedCall) requestValue(name string) (string, bool) {
	if name == targetPath {
		return unescapedPath(c.stagePath), true
	}
	kind, key, _ := strings.Cut(name, ".")
	switch kind {
	case "header":
		return joinedValues(c.request.Header.Values(key))
	case "querystring":
		return joinedValues(c.request.URL.Query()[key])
	case "path":
		value, ok := c.match.params[key]
		return value, ok
	case "body":
		return jsonValue(c.body, key)
	}
	return "", false
}

func responseValue(name string, response *mappedResponse) (string, bool) {
	kind, key, _ := strings.Cut(name, ".")
	switch kind {
	case "header":
		return joinedValues(response.header.Values(key))
	case "body":
		return jsonValue(response.body, key)
	}
	return "", false
}

// joinedValues joins repeated headers or query parameters with commas, as
// API Gateway does.
func joinedValues(values []string) (string, bool) {
	return strings.Join(values, ","), len(values) > 0
}

// jsonValue follows a dotted path such as "user.name" or "items.0" into a
// JSON document; "" is the whole document.
func jsonValue(document []byte, path string) (string, bool) {
	var value any
	if json.Unmarshal(document, &value) != nil {
		return "", false
	}
	if path != "" {
		for _, key := range strings.Split(strings.NewReplacer("[", ".", "]", "").Replace(path), ".") {
			value = childOf(value, key)
		}
	}
	return scalarString(value)
}

func childOf(value any, key string) any {
	switch v := value.(type) {
	case map[string]any:
		return v[key]
	case []any:
		if i, err := strconv.Atoi(key); err == nil && i >= 0 && i < len(v) {
			return v[i]
		}
	}
	return nil
}

// mapping is one parsed "operation:target" key and its evaluated value.
type mapping struct {
	operation, target, value string
}

// mappingsOf parses and evaluates a set of mappings; keys that do not parse
// are left out (the control plane refuses them).
func (c *routedCall) mappingsOf(parameters map[string]string, response *mappedResponse) []mapping {
	mappings := make([]mapping, 0, len(parameters))
	for key, value := range parameters {
		operation, target, ok := strings.Cut(key, ":")
		if !ok {
			continue
		}
		mappings = append(mappings, mapping{operation: operation, target: target, value: c.evaluate(value, response)})
	}
	return mappings
}

// mapRequest applies the integration's request mappings to the request the
// backend will get.
func (c *routedCall) mapRequest(parameters map[string]string, target *url.URL, header http.Header) {
	if len(parameters) == 0 {
		return
	}
	query := target.Query()
	for _, m := range c.mappingsOf(parameters, nil) {
		switch {
		case m.target == targetPath && m.operation == operationOverwrite:
			target.Path, target.RawPath = m.value, ""
		case strings.HasPrefix(m.target, targetHeader):
			applyTo(header, strings.TrimPrefix(m.target, targetHeader), m)
		case strings.HasPrefix(m.target, targetQueryString):
			applyTo(query, strings.TrimPrefix(m.target, targetQueryString), m)
		}
	}
	target.RawQuery = query.Encode()
}

// mapResponse applies the response mappings of the integration's status
// code.
func (c *routedCall) mapResponse(parameters map[string]map[string]string, response *mappedResponse) {
	forStatus := parameters[strconv.Itoa(response.status)]
	for _, m := range c.mappingsOf(forStatus, response) {
		switch {
		case m.target == targetStatusCode && m.operation == operationOverwrite:
			if status, err := strconv.Atoi(m.value); err == nil && status >= 100 && status <= 599 {
				response.status = status
			}
		case strings.HasPrefix(m.target, targetHeader):
			applyTo(response.header, strings.TrimPrefix(m.target, targetHeader), m)
		}
	}
}

// multiValues is what http.Header and url.Values share.
type multiValues interface {
	Set(key, value string)
	Add(key, value string)
	Del(key string)
}

// applyTo runs one mapping on the header or query parameter name.
func applyTo(values multiValues, name string, m mapping) {
	switch m.operation {
	case operationRemove:
		values.Del(name)
	case operationOverwrite:
		values.Set(name, m.value)
	case operationAppend:
		values.Add(name, m.value)
	}
}
