package wsplane

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// routeFor picks the route of a message as AWS does: the key the route
// selection expression yields, when a route has it; $default when the
// message is not JSON, the expression yields nothing, or no route has the
// key. ok is false when there is no $default either.
func routeFor(stage Stage, body []byte) (Route, bool) {
	if key, ok := evaluateSelection(stage.RouteSelectionExpression, body); ok && key != routeConnect && key != routeDisconnect {
		if route, found := stage.Routes[key]; found {
			return route, true
		}
	}
	route, found := stage.Routes[routeDefault]
	return route, found
}

// bodyReference is "$request.body.{path}" (the whole expression) and
// "${request.body.{path}}" (inside a larger one).
var (
	wholeBodyReference = regexp.MustCompile(`^\$request\.body\.(.+)$`)
	bodyReferences     = regexp.MustCompile(`\$\{request\.body\.([^}]+)\}`)
)

// evaluateSelection evaluates a route or template selection expression
// against a JSON message: $request.body.action, a combination such as
// ${request.body.service}/${request.body.action}, or a literal such as
// \$default. ok is false when a referenced member is missing or the message
// is not JSON.
func evaluateSelection(expression string, body []byte) (string, bool) {
	switch {
	case expression == "":
		return "", false
	case wholeBodyReference.MatchString(expression):
		return bodyMember(body, wholeBodyReference.FindStringSubmatch(expression)[1])
	case bodyReferences.MatchString(expression):
		missing := false
		value := bodyReferences.ReplaceAllStringFunc(expression, func(reference string) string {
			member, ok := bodyMember(body, bodyReferences.FindStringSubmatch(reference)[1])
			missing = missing || !ok
			return member
		})
		if missing {
			return "", false
		}
		return value, true
	default:
		return strings.ReplaceAll(expression, `\$`, "$"), true
	}
}

// bodyMember is the member at a dotted path of a JSON message, as text: a
// string as is, any other value as JSON.
func bodyMember(body []byte, path string) (string, bool) {
	var document any
	if err := json.Unmarshal(body, &document); err != nil {
		return "", false
	}
	value, ok := jsonPath(document, strings.Split(path, "."))
	if !ok || value == nil {
		return "", false
	}
	return jsonText(value), true
}

// jsonPath walks members (and array indexes) of a decoded JSON document.
func jsonPath(document any, path []string) (any, bool) {
	for _, step := range path {
		switch node := document.(type) {
		case map[string]any:
			value, ok := node[step]
			if !ok {
				return nil, false
			}
			document = value
		case []any:
			index, err := strconv.Atoi(step)
			if err != nil || index < 0 || index >= len(node) {
				return nil, false
			}
			document = node[index]
		default:
			return nil, false
		}
	}
	return document, true
}

func jsonText(value any) string {
	if text, ok := value.(string); ok {
		return text
	}
	encoded, _ := json.Marshal(value)
	return string(encoded)
}

// selectTemplate picks a template by a template selection expression: the
// template of the key it yields, else the $default template. ok is false
// when neither exists, in which case the body passes through
// (passthroughBehavior WHEN_NO_MATCH, WebSocket APIs' default).
func selectTemplate(templates map[string]string, expression string, body []byte) (string, bool) {
	if key, ok := evaluateSelection(expression, body); ok {
		if template, found := templates[key]; found {
			return template, true
		}
	}
	template, found := templates[routeDefault]
	return template, found
}

// selectIntegrationResponse picks the integration response whose key
// matches the integration's status (/2\d\d/), else the $default one.
func selectIntegrationResponse(responses []IntegrationResponse, status int) (IntegrationResponse, bool) {
	code := strconv.Itoa(status)
	var fallback *IntegrationResponse
	for i, response := range responses {
		if response.Key == routeDefault {
			fallback = &responses[i]
			continue
		}
		pattern, ok := strings.CutPrefix(response.Key, "/")
		pattern, ok2 := strings.CutSuffix(pattern, "/")
		if !ok || !ok2 {
			continue
		}
		if matcher, err := regexp.Compile(`^(?:` + pattern + `)$`); err == nil && matcher.MatchString(code) {
			return response, true
		}
	}
	if fallback != nil {
		return *fallback, true
	}
	return IntegrationResponse{}, false
}
