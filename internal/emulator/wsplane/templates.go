package wsplane

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// The references a mapping template may hold that the emulator
// substitutes. It is not a Velocity engine: directives (#set, #if,
// #foreach) and $util are left as written (docs/emulator.md).
var (
	contextReference = regexp.MustCompile(`\$\{?(context|stageVariables)\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)\}?`)
	inputJSON        = regexp.MustCompile(`\$input\.json\('([^']*)'\)`)
	inputPath        = regexp.MustCompile(`\$input\.path\('([^']*)'\)`)
	inputBody        = regexp.MustCompile(`\$input\.body\b`)
)

// render substitutes a template's references: $context.*, $stageVariables.*,
// $input.body, $input.json('$...') and $input.path('$...'), input being the
// message (request templates) or the integration's answer (response
// templates).
func (x *exchange) render(template string, input []byte) string {
	var document any
	parsed := json.Unmarshal(input, &document) == nil
	at := func(path string) (any, bool) {
		if !parsed {
			return nil, false
		}
		steps := strings.Split(strings.TrimPrefix(strings.TrimPrefix(path, "$"), "."), ".")
		if len(steps) == 1 && steps[0] == "" {
			return document, true
		}
		return jsonPath(document, steps)
	}
	out := inputJSON.ReplaceAllStringFunc(template, func(reference string) string {
		value, ok := at(inputJSON.FindStringSubmatch(reference)[1])
		if !ok {
			return "null"
		}
		encoded, _ := json.Marshal(value)
		return string(encoded)
	})
	out = inputPath.ReplaceAllStringFunc(out, func(reference string) string {
		value, ok := at(inputPath.FindStringSubmatch(reference)[1])
		if !ok || value == nil {
			return ""
		}
		return jsonText(value)
	})
	out = inputBody.ReplaceAllLiteralString(out, string(input))
	return contextReference.ReplaceAllStringFunc(out, func(reference string) string {
		match := contextReference.FindStringSubmatch(reference)
		if match[1] == "stageVariables" {
			return x.stage.Variables[match[2]]
		}
		return x.contextVariable(match[2])
	})
}

// contextVariable is $context.{name} of the exchange; "" for names the
// emulator does not know.
func (x *exchange) contextVariable(name string) string {
	rc := x.requestContext()
	if key, ok := strings.CutPrefix(name, "authorizer."); ok {
		if value, found := rc.Authorizer[key]; found {
			return jsonText(value)
		}
		return ""
	}
	switch name {
	case "connectionId":
		return rc.ConnectionID
	case "routeKey":
		return rc.RouteKey
	case "requestId", "extendedRequestId":
		return rc.RequestID
	case "messageId":
		return rc.MessageID
	case "eventType":
		return rc.EventType
	case "messageDirection":
		return rc.MessageDirection
	case "stage":
		return rc.Stage
	case "apiId":
		return rc.APIID
	case "domainName":
		return rc.DomainName
	case "connectedAt":
		return strconv.FormatInt(rc.ConnectedAt, 10)
	case "requestTime":
		return rc.RequestTime
	case "requestTimeEpoch":
		return strconv.FormatInt(rc.RequestTimeEpoch, 10)
	case "identity.sourceIp":
		return rc.Identity.SourceIP
	case "identity.userAgent":
		return rc.Identity.UserAgent
	}
	return ""
}
