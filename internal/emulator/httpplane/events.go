package httpplane

import (
	"encoding/base64"
	"encoding/json"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// The events a Lambda proxy integration receives, in the two payload
// formats "Create AWS Lambda proxy integrations for HTTP APIs" documents.
// Header names are lower-case in both.

const payloadFormat2 = "2.0"

// eventV2 is payload format 2.0.
type eventV2 struct {
	Version               string            `json:"version"`
	RouteKey              string            `json:"routeKey"`
	RawPath               string            `json:"rawPath"`
	RawQueryString        string            `json:"rawQueryString"`
	Cookies               []string          `json:"cookies,omitempty"`
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters,omitempty"`
	PathParameters        map[string]string `json:"pathParameters,omitempty"`
	StageVariables        map[string]string `json:"stageVariables,omitempty"`
	RequestContext        requestContextV2  `json:"requestContext"`
	Body                  string            `json:"body,omitempty"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
}

type requestContextV2 struct {
	AccountID    string        `json:"accountId"`
	APIID        string        `json:"apiId"`
	Authorizer   *authorizerV2 `json:"authorizer,omitempty"`
	DomainName   string        `json:"domainName"`
	DomainPrefix string        `json:"domainPrefix"`
	HTTP         httpV2        `json:"http"`
	RequestID    string        `json:"requestId"`
	RouteKey     string        `json:"routeKey"`
	Stage        string        `json:"stage"`
	Time         string        `json:"time"`
	TimeEpoch    int64         `json:"timeEpoch"`
}

type httpV2 struct {
	Method    string `json:"method"`
	Path      string `json:"path"`
	Protocol  string `json:"protocol"`
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent"`
}

type authorizerV2 struct {
	JWT    *jwtAuthorizerV2 `json:"jwt,omitempty"`
	Lambda map[string]any   `json:"lambda,omitempty"`
}

type jwtAuthorizerV2 struct {
	Claims map[string]string `json:"claims"`
	Scopes []string          `json:"scopes"`
}

// eventV1 is payload format 1.0, close to a REST API's proxy event: an
// HTTP API adds the version, always sends an authorizer member and has no
// resource id.
type eventV1 struct {
	Version string `json:"version"`
	execute.ProxyEventV1
	RequestContext requestContextV1 `json:"requestContext"`
}

type requestContextV1 struct {
	execute.ProxyRequestContextV1
	Authorizer map[string]any          `json:"authorizer"`
	Identity   execute.ProxyIdentityV1 `json:"identity"`
	ResourceID *string                 `json:"resourceId"`
}

// eventV2Of builds the 2.0 event. rawPath is the path as the API saw it (a
// custom domain's base path excluded, as AWS documents); cookies leave the
// headers for their own field.
func (c *routedCall) eventV2Of() eventV2 {
	headers := http.Header{}
	for name, values := range c.request.Header {
		if !strings.EqualFold(name, "Cookie") {
			headers[name] = values
		}
	}
	body, isBase64 := c.eventBody()
	event := eventV2{
		Version:               payloadFormat2,
		RouteKey:              c.match.route.RouteKey,
		RawPath:               c.path,
		RawQueryString:        c.request.URL.RawQuery,
		Cookies:               cookiesOf(c.request),
		Headers:               joinedByName(lowerCaseNames(headers)),
		QueryStringParameters: joinedByName(c.request.URL.Query()),
		PathParameters:        nonEmpty(c.match.params),
		StageVariables:        nonEmpty(c.stage.Variables),
		Body:                  body,
		IsBase64Encoded:       isBase64,
		RequestContext: requestContextV2{
			AccountID:    c.api.AccountID,
			APIID:        c.api.ID,
			Authorizer:   c.identity.authorizerV2(),
			DomainName:   c.domainName(),
			DomainPrefix: c.domainPrefix(),
			HTTP: httpV2{
				Method: c.request.Method, Path: unescapedPath(c.path), Protocol: c.request.Proto,
				SourceIP: c.sourceIP(), UserAgent: c.request.UserAgent(),
			},
			RequestID: c.requestID,
			RouteKey:  c.match.route.RouteKey,
			Stage:     c.stage.Name,
			Time:      c.received.UTC().Format(requestTimeLayout),
			TimeEpoch: c.received.UnixMilli(),
		},
	}
	return event
}

// eventV1Of builds the 1.0 event: resource is the route's path template,
// path the path the caller sent, a custom domain's base path included.
func (c *routedCall) eventV1Of() eventV1 {
	headers := lowerCaseNames(c.request.Header)
	query := c.request.URL.Query()
	resource := routePath(c.match.route.RouteKey)
	body, isBase64 := c.eventBody()
	event := eventV1{
		Version: "1.0",
		ProxyEventV1: execute.ProxyEventV1{
			Resource:                        resource,
			Path:                            unescapedPath(c.callerPath),
			HTTPMethod:                      c.request.Method,
			Headers:                         lastByName(headers),
			MultiValueHeaders:               nonEmptyValues(headers),
			QueryStringParameters:           lastByName(query),
			MultiValueQueryStringParameters: nonEmptyValues(query),
			PathParameters:                  nonEmpty(c.match.params),
			StageVariables:                  nonEmpty(c.stage.Variables),
			IsBase64Encoded:                 isBase64,
		},
		RequestContext: requestContextV1{
			ProxyRequestContextV1: execute.ProxyRequestContextV1{
				AccountID:         c.api.AccountID,
				APIID:             c.api.ID,
				DomainName:        c.domainName(),
				DomainPrefix:      c.domainPrefix(),
				ExtendedRequestID: c.requestID,
				HTTPMethod:        c.request.Method,
				Path:              unescapedPath(c.callerPath),
				Protocol:          c.request.Proto,
				RequestID:         c.requestID,
				RequestTime:       c.received.UTC().Format(requestTimeLayout),
				RequestTimeEpoch:  c.received.UnixMilli(),
				ResourcePath:      resource,
				Stage:             c.stage.Name,
			},
			Authorizer: c.identity.authorizerV1(),
			Identity:   execute.ProxyIdentityV1{SourceIP: c.sourceIP(), UserAgent: c.request.UserAgent()},
		},
	}
	if len(c.body) > 0 {
		event.Body = &body
	}
	return event
}

// routePath is a route key's path ("/users/{id}" of "GET /users/{id}"), or
// the key itself for $default.
func routePath(routeKey string) string {
	if _, path, ok := strings.Cut(routeKey, " "); ok {
		return path
	}
	return routeKey
}

// authorizerV2 is requestContext.authorizer of a 2.0 event; nil without an
// authorizer.
func (id identity) authorizerV2() *authorizerV2 {
	switch {
	case id.jwtClaims != nil:
		return &authorizerV2{JWT: &jwtAuthorizerV2{Claims: stringClaims(id.jwtClaims), Scopes: id.jwtScopes}}
	case id.lambdaContext != nil:
		return &authorizerV2{Lambda: id.lambdaContext}
	}
	return nil
}

// authorizerV1 is requestContext.authorizer of a 1.0 event: the JWT's
// claims and scopes (both null without a JWT authorizer, as in AWS's
// example), or the Lambda authorizer's context and principal.
func (id identity) authorizerV1() map[string]any {
	if id.lambdaContext != nil {
		authorizer := map[string]any{"principalId": id.principalID}
		for key, value := range id.lambdaContext {
			authorizer[key] = value
		}
		return authorizer
	}
	authorizer := map[string]any{"claims": nil, "scopes": nil}
	if id.jwtClaims != nil {
		authorizer["claims"], authorizer["scopes"] = stringClaims(id.jwtClaims), id.jwtScopes
	}
	return authorizer
}

// stringClaims renders every claim as text, as the JWT authorizer's event
// field does.
func stringClaims(claims map[string]any) map[string]string {
	rendered := make(map[string]string, len(claims))
	for name, value := range claims {
		rendered[name], _ = scalarString(value)
	}
	return rendered
}

// stringify renders an array or object claim as JSON.
func stringify(value any) string {
	encoded, _ := json.Marshal(value)
	return string(encoded)
}

// eventBody is the body as the event carries it: as sent when it is text,
// base64-encoded otherwise.
func (c *routedCall) eventBody() (string, bool) {
	if len(c.body) == 0 {
		return "", false
	}
	if isTextual(c.request.Header.Get("Content-Type"), c.body) {
		return string(c.body), false
	}
	return base64.StdEncoding.EncodeToString(c.body), true
}

// isTextual tells whether a body travels as text: a text/*, JSON, XML,
// JavaScript or form media type, or no media type and valid UTF-8.
func isTextual(contentType string, body []byte) bool {
	if contentType == "" {
		return utf8.Valid(body)
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	textual := strings.HasPrefix(mediaType, "text/") ||
		strings.HasSuffix(mediaType, "/json") || strings.HasSuffix(mediaType, "+json") ||
		strings.HasSuffix(mediaType, "/xml") || strings.HasSuffix(mediaType, "+xml") ||
		mediaType == "application/javascript" || mediaType == "application/x-www-form-urlencoded"
	return textual && utf8.Valid(body)
}

// cookiesOf lists each cookie of the Cookie headers, "name=value".
func cookiesOf(r *http.Request) []string {
	var cookies []string
	for _, header := range r.Header.Values("Cookie") {
		for _, cookie := range strings.Split(header, ";") {
			if cookie = strings.TrimSpace(cookie); cookie != "" {
				cookies = append(cookies, cookie)
			}
		}
	}
	return cookies
}

func lowerCaseNames(h http.Header) map[string][]string {
	lowered := make(map[string][]string, len(h))
	for name, values := range h {
		key := strings.ToLower(name)
		lowered[key] = append(lowered[key], values...)
	}
	return lowered
}

// joinedByName joins repeated values with commas (2.0); nil when there
// are none.
func joinedByName(values map[string][]string) map[string]string {
	if len(values) == 0 {
		return nil
	}
	joined := make(map[string]string, len(values))
	for name, list := range values {
		joined[name] = strings.Join(list, ",")
	}
	return joined
}

// lastByName keeps each name's last value (1.0); nil when there are none.
func lastByName(values map[string][]string) map[string]string {
	if len(values) == 0 {
		return nil
	}
	last := make(map[string]string, len(values))
	for name, list := range values {
		last[name] = list[len(list)-1]
	}
	return last
}

func nonEmptyValues(values map[string][]string) map[string][]string {
	if len(values) == 0 {
		return nil
	}
	return values
}

func nonEmpty(values map[string]string) map[string]string {
	if len(values) == 0 {
		return nil
	}
	return values
}
