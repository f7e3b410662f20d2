package restplane

import (
	"encoding/json"
	"net/http"
	"strings"
)

// Parameter mappings name a source for each integration request parameter
// (integration.request.path.id ← method.request.path.id), method response
// header (method.response.header.X ← integration.response.header.Y) or
// gateway response header. The sources API Gateway documents and the plane
// reads: 'static value', method.request.{path, querystring, header,
// multivaluequerystring, multivalueheader}.{name}, method.request.body and
// method.request.body.{JSONPath}, stageVariables.{name},
// context.{variable}, and on the response side
// integration.response.{header, multivalueheader}.{name},
// integration.response.body and integration.response.body.{JSONPath}.

// integrationAnswer is what the backend answered, for response mappings.
type integrationAnswer struct {
	status int
	header http.Header
	body   []byte
}

// resolveMappingSource returns a source's value; false when the request
// (or the backend's answer) has none.
func resolveMappingSource(source string, in *templateInput) (string, bool) {
	source = strings.TrimSpace(source)
	if len(source) >= 2 && strings.HasPrefix(source, "'") && strings.HasSuffix(source, "'") {
		return source[1 : len(source)-1], true
	}
	if name, ok := strings.CutPrefix(source, "stageVariables."); ok {
		value, found := in.stageVariables[name]
		return value, found
	}
	if name, ok := strings.CutPrefix(source, "context."); ok {
		return contextValue(in.context, name)
	}
	if rest, ok := strings.CutPrefix(source, "method.request."); ok {
		return methodRequestValue(rest, in)
	}
	if rest, ok := strings.CutPrefix(source, "integration.response."); ok && in.answer != nil {
		return integrationResponseValue(rest, in.answer)
	}
	return "", false
}

func contextValue(context map[string]any, dotted string) (string, bool) {
	var value any = context
	for _, name := range strings.Split(dotted, ".") {
		value = memberOf(value, name)
	}
	if value == nil {
		return "", false
	}
	return renderValue(value, "", true), true
}

func methodRequestValue(rest string, in *templateInput) (string, bool) {
	if rest == "body" {
		return string(in.body), true
	}
	if path, ok := strings.CutPrefix(rest, "body."); ok {
		return jsonPathText(in.body, "$."+path)
	}
	location, name, _ := strings.Cut(rest, ".")
	switch location {
	case "path":
		value, ok := in.path[name]
		return value, ok
	case "querystring":
		value, ok := in.querystring[name]
		return value, ok
	case "multivaluequerystring":
		values, ok := in.multiQuerystring[name]
		return strings.Join(values, ","), ok
	case "header":
		return headerValue(in.header, name)
	case "multivalueheader":
		values := in.multiHeader.Values(name)
		return strings.Join(values, ","), len(values) > 0
	}
	return "", false
}

func headerValue(headers map[string]string, name string) (string, bool) {
	for key, value := range headers {
		if strings.EqualFold(key, name) {
			return value, true
		}
	}
	return "", false
}

func integrationResponseValue(rest string, answer *integrationAnswer) (string, bool) {
	if rest == "body" {
		return string(answer.body), true
	}
	if path, ok := strings.CutPrefix(rest, "body."); ok {
		return jsonPathText(answer.body, "$."+path)
	}
	location, name, _ := strings.Cut(rest, ".")
	values := answer.header.Values(name)
	switch location {
	case "header":
		if len(values) == 0 {
			return "", false
		}
		return values[len(values)-1], true
	case "multivalueheader":
		return strings.Join(values, ","), len(values) > 0
	}
	return "", false
}

// jsonPathText is the JSONPath's value as text: a string as it is,
// anything else as JSON.
func jsonPathText(body []byte, path string) (string, bool) {
	value, err := selectJSONPath(body, path)
	if err != nil || value == nil {
		return "", false
	}
	if s, ok := value.(string); ok {
		return s, true
	}
	encoded, _ := json.Marshal(value)
	return string(encoded), true
}

// mappedRequest is what an integration request's parameter mappings made.
type mappedRequest struct {
	path        map[string]string
	querystring map[string][]string
	header      http.Header
}

// mapIntegrationRequest applies integration.request.* mappings. A source
// the request lacks maps nothing.
func mapIntegrationRequest(mappings map[string]string, in *templateInput) mappedRequest {
	mapped := mappedRequest{path: map[string]string{}, querystring: map[string][]string{}, header: http.Header{}}
	for target, source := range mappings {
		rest, ok := strings.CutPrefix(target, "integration.request.")
		if !ok {
			continue
		}
		value, ok := resolveMappingSource(source, in)
		if !ok {
			continue
		}
		location, name, _ := strings.Cut(rest, ".")
		switch location {
		case "path":
			mapped.path[name] = value
		case "querystring":
			mapped.querystring[name] = []string{value}
		case "multivaluequerystring":
			mapped.querystring[name] = strings.Split(value, ",")
		case "header":
			mapped.header.Set(name, value)
		case "multivalueheader":
			mapped.header[http.CanonicalHeaderKey(name)] = strings.Split(value, ",")
		}
	}
	return mapped
}
