package wsplane

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// The integration types of WebSocket APIs.
const (
	integrationMock      = "MOCK"
	integrationHTTP      = "HTTP"
	integrationHTTPProxy = "HTTP_PROXY"
	integrationAWSProxy  = "AWS_PROXY"

	// defaultIntegrationTimeout is AWS's default (and maximum) for
	// WebSocket APIs.
	defaultIntegrationTimeout = 29 * time.Second
)

// outcome is what an integration answered.
type outcome struct {
	// status is the integration's status: the Lambda function's
	// statusCode, the backend's, or the one a MOCK template chose.
	status int
	// header holds the headers a Lambda function returned, which a
	// $connect answer carries (Sec-WebSocket-Protocol).
	header http.Header
	// body is what a two-way route sends back to the client.
	body []byte
	// failed is set when API Gateway could not run the integration.
	failed *failure
}

// failure is an integration that did not run: the message of the frame a
// message gets and the status a $connect is refused with.
type failure struct {
	status  int
	message string
}

// The failures, as AWS words them in the error frame ("Internal server
// error", with that casing, unlike the HTTP planes' answers).
var (
	internalFailure = &failure{status: http.StatusInternalServerError, message: "Internal server error"}
	functionFailure = &failure{status: http.StatusBadGateway, message: "Internal server error"}
	timeoutFailure  = &failure{status: http.StatusGatewayTimeout, message: "Endpoint request timed out"}
)

// integrate runs the route's integration for one exchange. A route without
// a target succeeds with nothing to send back.
func (p *plane) integrate(ctx context.Context, api API, route Route, x *exchange) outcome {
	integration := route.Integration
	if integration == nil {
		return outcome{status: http.StatusOK}
	}
	ctx, cancel := context.WithTimeout(ctx, integrationTimeout(*integration))
	defer cancel()
	var result outcome
	switch integration.Type {
	case integrationMock:
		result = x.mock(*integration)
	case integrationHTTP, integrationHTTPProxy:
		result = p.callHTTP(ctx, x, *integration)
	case integrationAWSProxy:
		result = p.invokeFunction(ctx, api, x, *integration)
	default:
		// AWS (service) integrations are not emulated.
		result = outcome{failed: internalFailure}
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && result.failed != nil {
		result.failed = timeoutFailure
	}
	return result
}

func integrationTimeout(integration Integration) time.Duration {
	if integration.TimeoutMillis <= 0 {
		return defaultIntegrationTimeout
	}
	return time.Duration(integration.TimeoutMillis) * time.Millisecond
}

// mock answers as a MOCK integration: the request template (chosen by the
// template selection expression) names the status, {"statusCode": 200},
// and the matching integration response's template is the answer.
func (x *exchange) mock(integration Integration) outcome {
	status := http.StatusOK
	if template, ok := selectTemplate(integration.RequestTemplates, integration.TemplateSelectionExpression, x.body); ok {
		var chosen struct {
			StatusCode *int `json:"statusCode"`
		}
		if json.Unmarshal([]byte(x.render(template, x.body)), &chosen) == nil && chosen.StatusCode != nil {
			status = *chosen.StatusCode
		}
	}
	return x.respond(integration, status, nil)
}

// respond applies the integration response that matches status to the
// integration's answer (non-proxy integrations); without one the answer
// passes through.
func (x *exchange) respond(integration Integration, status int, answer []byte) outcome {
	response, ok := selectIntegrationResponse(integration.Responses, status)
	if !ok {
		return outcome{status: status, body: answer}
	}
	template, ok := selectTemplate(response.Templates, response.TemplateSelectionExpression, answer)
	if !ok {
		return outcome{status: status, body: answer}
	}
	return outcome{status: status, body: []byte(x.render(template, answer))}
}

// callHTTP sends the exchange to an HTTP or HTTP_PROXY backend: the message
// as the body (through the request template for HTTP), the handshake's
// headers on $connect (HTTP_PROXY), and the integration's request
// parameters. AWS answers 500 for a backend it cannot reach.
func (p *plane) callHTTP(ctx context.Context, x *exchange, integration Integration) outcome {
	proxy := integration.Type == integrationHTTPProxy
	body := x.body
	if template, ok := selectTemplate(integration.RequestTemplates, integration.TemplateSelectionExpression, x.body); ok && !proxy {
		body = []byte(x.render(template, x.body))
	}
	method := strings.ToUpper(integration.Method)
	if method == "" || method == "ANY" {
		method = http.MethodPost
	}
	request, err := http.NewRequestWithContext(ctx, method, integration.URI, bytes.NewReader(body))
	if err != nil {
		return outcome{failed: internalFailure}
	}
	if proxy && x.eventType == eventConnect {
		request.Header = x.conn.headers.Clone()
		request.Header.Del("Host")
	}
	x.applyRequestParameters(request, integration.RequestParameters)
	response, err := p.client.Do(request)
	if err != nil {
		return outcome{failed: internalFailure}
	}
	defer response.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(response.Body, maxMessageBytes+1))
	if err != nil {
		return outcome{failed: internalFailure}
	}
	if proxy {
		return outcome{status: response.StatusCode, body: answer}
	}
	return x.respond(integration, response.StatusCode, answer)
}

// applyRequestParameters sets the backend request's headers and query
// parameters from integration.request.{header|querystring}.{name} mappings
// whose values are context.*, stageVariables.*, route.request.header.*,
// route.request.querystring.* or a 'literal'.
func (x *exchange) applyRequestParameters(request *http.Request, parameters map[string]string) {
	query := request.URL.Query()
	for target, source := range parameters {
		value := x.parameterValue(source)
		if name, ok := strings.CutPrefix(target, "integration.request.header."); ok {
			request.Header.Set(name, value)
		} else if name, ok := strings.CutPrefix(target, "integration.request.querystring."); ok {
			query.Set(name, value)
		}
	}
	request.URL.RawQuery = query.Encode()
}

// parameterValue resolves a request parameter's or an identity source's
// value.
func (x *exchange) parameterValue(source string) string {
	switch {
	case len(source) >= 2 && strings.HasPrefix(source, "'") && strings.HasSuffix(source, "'"):
		return source[1 : len(source)-1]
	case strings.HasPrefix(source, "context."):
		return x.contextVariable(strings.TrimPrefix(source, "context."))
	case strings.HasPrefix(source, "stageVariables."):
		return x.stage.Variables[strings.TrimPrefix(source, "stageVariables.")]
	case strings.HasPrefix(source, "route.request.header."):
		return x.conn.headers.Get(strings.TrimPrefix(source, "route.request.header."))
	case strings.HasPrefix(source, "route.request.querystring."):
		return x.conn.query.Get(strings.TrimPrefix(source, "route.request.querystring."))
	}
	return ""
}

// lambdaResponse is what a WebSocket route's Lambda proxy function returns.
type lambdaResponse struct {
	StatusCode      *int              `json:"statusCode"`
	Headers         map[string]string `json:"headers"`
	Body            *string           `json:"body"`
	IsBase64Encoded bool              `json:"isBase64Encoded"`
}

// invokeFunction runs an AWS_PROXY integration: the proxy event to the
// function, its statusCode and body back. A function that fails is a 502 on
// $connect and an "Internal server error" frame on a message; one that
// cannot be invoked (missing, not permitted) is a 500.
func (p *plane) invokeFunction(ctx context.Context, api API, x *exchange, integration Integration) outcome {
	functionARN, ok := execute.FunctionARN(integration.URI)
	if !ok || p.cfg.Functions == nil {
		return outcome{failed: internalFailure}
	}
	payload, _ := json.Marshal(x.proxyEvent())
	invocation, err := p.cfg.Functions.InvokeAsAPIGateway(ctx, functionARN, api.routeARN(x.stage.Name, x.routeKey), payload)
	if err != nil {
		return outcome{failed: internalFailure}
	}
	if invocation.FunctionError != "" {
		return outcome{failed: functionFailure}
	}
	return lambdaOutcome(invocation.Payload)
}

// lambdaOutcome reads a function's answer. An object is read as a proxy
// response; anything else (a bare string or number) is taken as the body
// with status 200, and null as nothing.
func lambdaOutcome(payload []byte) outcome {
	trimmed := bytes.TrimSpace(payload)
	if len(trimmed) == 0 || bytes.Equal(trimmed, []byte("null")) {
		return outcome{status: http.StatusOK}
	}
	if trimmed[0] != '{' {
		return outcome{status: http.StatusOK, body: []byte(jsonTextOf(trimmed))}
	}
	var response lambdaResponse
	if err := json.Unmarshal(trimmed, &response); err != nil {
		return outcome{failed: functionFailure}
	}
	result := outcome{status: http.StatusOK, header: http.Header{}}
	if response.StatusCode != nil {
		result.status = *response.StatusCode
	}
	for name, value := range response.Headers {
		result.header.Set(name, value)
	}
	if response.Body != nil {
		result.body = []byte(*response.Body)
		if response.IsBase64Encoded {
			decoded, err := base64.StdEncoding.DecodeString(*response.Body)
			if err != nil {
				return outcome{failed: functionFailure}
			}
			result.body = decoded
		}
	}
	return result
}

// jsonTextOf is a JSON value as text: a string unquoted, anything else as
// written.
func jsonTextOf(raw []byte) string {
	var value any
	if json.Unmarshal(raw, &value) != nil {
		return string(raw)
	}
	return jsonText(value)
}

// routeARN is the execute-api ARN of a route, the source ARN of its Lambda
// invocations and the method ARN of its authorizer.
func (api API) routeARN(stage, routeKey string) string {
	return "arn:aws:execute-api:" + api.Region + ":" + api.Account + ":" + api.ID + "/" + stage + "/" + routeKey
}
