package restplane

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// proxyEvent is the Lambda proxy integration's input, payload format 1.0,
// as API Gateway documents it: a REST API's requestContext carries the
// resource id, the API key used, and an authorizer member only with an
// authorizer.
type proxyEvent struct {
	execute.ProxyEventV1
	RequestContext proxyRequestContext `json:"requestContext"`
}

type proxyRequestContext struct {
	execute.ProxyRequestContextV1
	Authorizer map[string]any `json:"authorizer,omitempty"`
	Identity   proxyIdentity  `json:"identity"`
	ResourceID string         `json:"resourceId"`
}

// proxyIdentity is requestContext.identity with the API key members; they
// are null without an API key.
type proxyIdentity struct {
	execute.ProxyIdentityV1
	APIKey   *string `json:"apiKey"`
	APIKeyID *string `json:"apiKeyId"`
}

// serveLambdaProxy invokes the integration's function with the 1.0 event
// and answers what it returned. A function that does not exist or does not
// allow API Gateway to call it from this method's ARN answers 500; a failed
// function or a response API Gateway cannot read answers 502.
func (p *plane) serveLambdaProxy(x *exchange, integration *Integration) {
	functionARN, ok := execute.FunctionARN(integration.URI)
	if !ok {
		execute.WriteError(x.w, http.StatusNotImplemented, "The emulator's REST data plane runs AWS_PROXY integrations of Lambda functions only, not "+integration.URI)
		return
	}
	event, err := json.Marshal(x.proxyEvent())
	if err != nil {
		x.fail(apiConfigurationError, "")
		return
	}
	invocation, ok := p.invoke(x, functionARN, x.sourceARN(), event)
	if !ok {
		return
	}
	if invocation.FunctionError != "" {
		x.fail(integrationFailure, "")
		return
	}
	response, err := parseProxyResponse(invocation.Payload)
	if err != nil {
		x.fail(integrationFailure, "")
		return
	}
	response.write(x.w)
}

// invoke calls a function on API Gateway's behalf; any failure to run it
// (no such function, no permission, a runtime that fails) is 500.
func (p *plane) invoke(x *exchange, functionARN, sourceARN string, payload []byte) (execute.Invocation, bool) {
	if p.Functions == nil {
		x.fail(apiConfigurationError, "")
		return execute.Invocation{}, false
	}
	invocation, err := p.Functions.InvokeAsAPIGateway(x.r.Context(), functionARN, sourceARN, payload)
	if err != nil {
		x.fail(apiConfigurationError, "")
		return execute.Invocation{}, false
	}
	return invocation, true
}

// sourceARN is the execute-api ARN API Gateway invokes a method's function
// from: arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{resourcePath}.
func (x *exchange) sourceARN() string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", x.api.Region, x.api.Account, x.api.ID,
		x.stage.Name, x.r.Method, strings.TrimPrefix(x.route.resource.Path, "/"))
}

// methodARN is the ARN of the request itself, with the path as called: what
// a Lambda authorizer's policy must allow.
func (x *exchange) methodARN() string {
	return fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/%s/%s/%s", x.api.Region, x.api.Account, x.api.ID,
		x.stage.Name, x.r.Method, strings.TrimPrefix(unescapedPath(x.stagePath), "/"))
}

func (x *exchange) proxyEvent() proxyEvent {
	query := x.r.URL.Query()
	event := proxyEvent{
		ProxyEventV1: execute.ProxyEventV1{
			Resource:          x.route.resource.Path,
			Path:              unescapedPath(x.stagePath),
			HTTPMethod:        x.r.Method,
			Headers:           lastValues(x.r.Header),
			MultiValueHeaders: x.r.Header.Clone(),
		},
		RequestContext: x.proxyRequestContext(),
	}
	event.Headers["Host"] = x.r.Host
	event.MultiValueHeaders["Host"] = []string{x.r.Host}
	if len(query) > 0 {
		event.QueryStringParameters, event.MultiValueQueryStringParameters = lastValues(query), query
	}
	if len(x.route.params) > 0 {
		event.PathParameters = x.route.params
	}
	if len(x.stage.Variables) > 0 {
		event.StageVariables = x.stage.Variables
	}
	if len(x.body) > 0 {
		body := string(x.body)
		if !utf8.Valid(x.body) {
			body, event.IsBase64Encoded = base64.StdEncoding.EncodeToString(x.body), true
		}
		event.Body = &body
	}
	return event
}

// lastValues is headers and queryStringParameters: AWS keeps the last of
// repeated names there (all of them are in the multi-value members).
func lastValues(values map[string][]string) map[string]string {
	last := make(map[string]string, len(values))
	for name, list := range values {
		if len(list) > 0 {
			last[name] = list[len(list)-1]
		}
	}
	return last
}

func (x *exchange) proxyRequestContext() proxyRequestContext {
	identity := proxyIdentity{ProxyIdentityV1: execute.ProxyIdentityV1{SourceIP: execute.ClientAddress(x.r.RemoteAddr), UserAgent: x.r.UserAgent()}}
	if x.apiKey != "" {
		identity.APIKey, identity.APIKeyID = &x.apiKey, &x.apiKeyID
	}
	return proxyRequestContext{
		ProxyRequestContextV1: execute.ProxyRequestContextV1{
			AccountID:         x.api.Account,
			APIID:             x.api.ID,
			DomainName:        x.r.Host,
			DomainPrefix:      strings.Split(x.r.Host, ".")[0],
			ExtendedRequestID: x.w.Header().Get("x-amz-apigw-id"),
			HTTPMethod:        x.r.Method,
			Path:              x.requestPath(),
			Protocol:          x.r.Proto,
			RequestID:         x.requestID,
			RequestTime:       x.received.UTC().Format(requestTimeLayout),
			RequestTimeEpoch:  x.received.UnixMilli(),
			ResourcePath:      x.route.resource.Path,
			Stage:             x.stage.Name,
		},
		Authorizer: x.authorizer,
		Identity:   identity,
		ResourceID: x.route.resource.ID,
	}
}

// proxyResponse is a function's answer in the 1.0 output format.
type proxyResponse struct {
	StatusCode        int
	Headers           map[string]string
	MultiValueHeaders map[string][]string
	Body              []byte
}

// proxyResponseMembers are the members the output format has; any other
// makes the response malformed (inferred from AWS's "Malformed Lambda
// proxy response" for answers in other shapes).
var proxyResponseMembers = map[string]bool{"statusCode": true, "headers": true, "multiValueHeaders": true, "body": true, "isBase64Encoded": true}

// parseProxyResponse reads a function's answer: a JSON object with an
// integer statusCode, string headers, string-list multiValueHeaders and a
// string body (base64 when isBase64Encoded).
func parseProxyResponse(payload []byte) (*proxyResponse, error) {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(payload, &members); err != nil {
		return nil, err
	}
	for name := range members {
		if !proxyResponseMembers[name] {
			return nil, fmt.Errorf("unknown member %q", name)
		}
	}
	var wire struct {
		StatusCode        *int                `json:"statusCode"`
		Headers           map[string]any      `json:"headers"`
		MultiValueHeaders map[string][]string `json:"multiValueHeaders"`
		Body              *string             `json:"body"`
		IsBase64Encoded   bool                `json:"isBase64Encoded"`
	}
	decoder := json.NewDecoder(bytes.NewReader(payload))
	if err := decoder.Decode(&wire); err != nil {
		return nil, err
	}
	if wire.StatusCode == nil || *wire.StatusCode < 100 || *wire.StatusCode > 599 {
		return nil, fmt.Errorf("no valid statusCode")
	}
	response := &proxyResponse{StatusCode: *wire.StatusCode, Headers: map[string]string{}, MultiValueHeaders: wire.MultiValueHeaders}
	for name, value := range wire.Headers {
		switch value.(type) {
		case string, float64, bool:
			response.Headers[name] = fmt.Sprint(value)
		default:
			return nil, fmt.Errorf("header %q is not a string", name)
		}
	}
	if wire.Body != nil {
		response.Body = []byte(*wire.Body)
		if wire.IsBase64Encoded {
			decoded, err := base64.StdEncoding.DecodeString(*wire.Body)
			if err != nil {
				return nil, err
			}
			response.Body = decoded
		}
	}
	return response, nil
}

// write answers the function's response. Headers and multiValueHeaders are
// merged; for a name in both, only the multi-value list is kept, as AWS
// documents.
func (r *proxyResponse) write(w http.ResponseWriter) {
	for name, value := range r.Headers {
		w.Header().Set(name, value)
	}
	for name, values := range r.MultiValueHeaders {
		w.Header().Del(name)
		for _, value := range values {
			w.Header().Add(name, value)
		}
	}
	if w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", defaultContentType)
	}
	w.WriteHeader(r.StatusCode)
	_, _ = w.Write(r.Body)
}
