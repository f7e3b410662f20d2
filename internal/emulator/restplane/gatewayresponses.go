package restplane

import (
	"encoding/json"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// responseType is a gateway response type: API Gateway's own answers, which
// an API can customise (status, headers, body templates).
type responseType struct {
	name   string
	status int
	// errorType is the x-amzn-ErrorType header AWS sends with it.
	errorType string
	// message is the default $context.error.message.
	message string
	// spaced marks the answers AWS writes as {"message": "..."}, with a
	// space, when not customised (the integration and configuration errors
	// and parameter validation); the others are {"message":"..."}.
	spaced bool
}

var (
	missingAuthenticationToken = responseType{"MISSING_AUTHENTICATION_TOKEN", http.StatusForbidden, "MissingAuthenticationTokenException", "Missing Authentication Token", false}
	invalidAPIKey              = responseType{"INVALID_API_KEY", http.StatusForbidden, "ForbiddenException", "Forbidden", false}
	authorizerConfiguration    = responseType{"AUTHORIZER_CONFIGURATION_ERROR", http.StatusInternalServerError, "AuthorizerConfigurationException", "Internal server error", true}
	throttled                  = responseType{"THROTTLED", http.StatusTooManyRequests, "TooManyRequestsException", "Too Many Requests", false}
	quotaExceeded              = responseType{"QUOTA_EXCEEDED", http.StatusTooManyRequests, "LimitExceededException", "Limit Exceeded", false}
	badRequestParameters       = responseType{"BAD_REQUEST_PARAMETERS", http.StatusBadRequest, "BadRequestException", "", true}
	unsupportedMediaType       = responseType{"UNSUPPORTED_MEDIA_TYPE", http.StatusUnsupportedMediaType, "UnsupportedMediaTypeException", "Unsupported Media Type", false}
	apiConfigurationError      = responseType{"API_CONFIGURATION_ERROR", http.StatusInternalServerError, "InternalServerErrorException", "Internal server error", true}
	// integrationFailure is the answer to a Lambda proxy response API
	// Gateway cannot read: 502, although the type's own default is 504.
	integrationFailure = responseType{"INTEGRATION_FAILURE", http.StatusBadGateway, "InternalServerErrorException", "Internal server error", true}
	integrationTimeout = responseType{"INTEGRATION_TIMEOUT", http.StatusGatewayTimeout, "InternalServerErrorException", "Endpoint request timed out", true}
)

// customisation is the gateway response that applies to a type: the type's
// own, else DEFAULT_4XX or DEFAULT_5XX by its status class.
func customisation(d *Deployment, kind responseType) (GatewayResponse, bool) {
	if d == nil {
		return GatewayResponse{}, false
	}
	if custom, ok := d.GatewayResponses[kind.name]; ok {
		return custom, true
	}
	family := "DEFAULT_4XX"
	if kind.status >= 500 {
		family = "DEFAULT_5XX"
	}
	custom, ok := d.GatewayResponses[family]
	// A DEFAULT_xXX status code would move every type of the class to one
	// status; inferred that AWS keeps each type's own.
	custom.StatusCode = ""
	return custom, ok
}

// fail answers with a gateway response: the API's customisation of the type
// when its deployment has one, AWS's default otherwise. message replaces
// the type's default $context.error.message when not "".
func (x *exchange) fail(kind responseType, message string) {
	if message == "" {
		message = kind.message
	}
	header := x.w.Header()
	header.Set("x-amzn-ErrorType", kind.errorType)
	header.Set("Content-Type", "application/json")
	custom, customised := customisation(x.deployment, kind)
	if !customised {
		x.w.WriteHeader(kind.status)
		_, _ = x.w.Write(defaultErrorBody(message, kind.spaced))
		return
	}
	status := kind.status
	if code, err := strconv.Atoi(custom.StatusCode); err == nil {
		status = code
	}
	in := x.templateInput()
	in.context["error"] = map[string]any{"message": message, "messageString": jsonString(message), "responseType": kind.name}
	for name, source := range custom.ResponseParameters {
		header, ok := strings.CutPrefix(name, "gatewayresponse.header.")
		if value, resolved := resolveMappingSource(source, in); ok && resolved {
			x.w.Header().Set(header, value)
		}
	}
	body := defaultErrorBody(message, false)
	if template, _, ok := selectTemplate(custom.ResponseTemplates, x.r.Header.Get("Accept")); ok {
		rendered, err := renderTemplate(template, in)
		if err != nil {
			rendered = string(body)
		}
		body = []byte(rendered)
	}
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

// defaultErrorBody is {"message":"..."}, or {"message": "..."} when
// spaced, as AWS writes each.
func defaultErrorBody(message string, spaced bool) []byte {
	if spaced {
		return []byte(`{"message": ` + jsonString(message) + `}`)
	}
	return []byte(`{"message":` + jsonString(message) + `}`)
}

func jsonString(s string) string {
	encoded, _ := json.Marshal(s)
	return string(encoded)
}

// selectTemplate picks the template for a content type (a request's
// Content-Type, a response's Accept): the exact one, else
// application/json, else the first by name. The chosen content type is
// returned too.
func selectTemplate(templates map[string]string, contentType string) (template, chosen string, ok bool) {
	if len(templates) == 0 {
		return "", "", false
	}
	mediaType := strings.TrimSpace(strings.Split(contentType, ";")[0])
	for _, candidate := range []string{mediaType, "application/json"} {
		if t, ok := templates[candidate]; ok {
			return t, candidate, true
		}
	}
	first := slices.Sorted(maps.Keys(templates))[0]
	return templates[first], first, true
}
