package restplane

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	integrationHTTP      = "HTTP"
	integrationHTTPProxy = "HTTP_PROXY"
	integrationMock      = "MOCK"
	integrationAWSProxy  = "AWS_PROXY"
	integrationAWS       = "AWS"

	// defaultIntegrationTimeout is AWS's default (and maximum) for REST.
	defaultIntegrationTimeout = 29 * time.Second
	defaultContentType        = "application/json"
)

// integrate answers a request that passed the method's checks through the
// method's integration.
func (p *plane) integrate(x *exchange) {
	integration := x.route.method.Integration
	if integration == nil {
		x.fail(apiConfigurationError, "")
		return
	}
	switch integration.Type {
	case integrationMock:
		p.serveMock(x, integration)
	case integrationHTTPProxy:
		p.serveHTTPProxy(x, integration)
	case integrationHTTP:
		p.serveHTTP(x, integration)
	case integrationAWSProxy:
		p.serveLambdaProxy(x, integration)
	default:
		execute.WriteError(x.w, http.StatusNotImplemented, "The emulator's REST data plane serves MOCK, HTTP, HTTP_PROXY and AWS_PROXY (Lambda) integrations, not "+
			integration.Type+" (AWS service and Lambda non-proxy integrations need mapping templates over AWS's own APIs)")
	}
}

// serveMock answers from the integration responses alone: the request
// template's statusCode ({"statusCode": 200}) selects the response. Without
// a template the status is 200 (inferred).
func (p *plane) serveMock(x *exchange, integration *Integration) {
	in := x.templateInput()
	rendered, ok := x.requestBody(integration, in)
	if !ok {
		return
	}
	status := http.StatusOK
	if _, templated := integration.RequestTemplates[requestContentType(x.r)]; templated {
		code, ok := mockStatus(rendered)
		if !ok {
			x.fail(apiConfigurationError, "")
			return
		}
		status = code
	}
	x.answerIntegration(integration, integrationAnswer{status: status, header: http.Header{}}, strconv.Itoa(status))
}

// mockStatus reads the statusCode a MOCK request template rendered.
func mockStatus(rendered []byte) (int, bool) {
	var selector struct {
		StatusCode json.Number `json:"statusCode"`
	}
	if json.Unmarshal(rendered, &selector) != nil {
		return 0, false
	}
	code, err := strconv.Atoi(string(selector.StatusCode))
	return code, err == nil
}

// serveHTTPProxy forwards the request, the mapped parameters added, and
// relays the backend's answer as it is.
func (p *plane) serveHTTPProxy(x *exchange, integration *Integration) {
	in := x.templateInput()
	mapped := mapIntegrationRequest(integration.RequestParameters, in)
	target, ok := x.integrationURL(integration.URI, mapped, x.r.URL.Query())
	if !ok {
		return
	}
	header := execute.ForwardedRequestHeaders(x.r)
	for name, values := range mapped.header {
		header[name] = values
	}
	response, ok := p.callBackend(x, integration, target, header, x.body)
	if !ok {
		return
	}
	defer response.Body.Close()
	execute.RelayResponse(x.w, response)
}

// serveHTTP calls the backend with only what the mappings and the request
// template make of the request, then answers through the integration
// response the backend's status code selects.
func (p *plane) serveHTTP(x *exchange, integration *Integration) {
	in := x.templateInput()
	body, ok := x.requestBody(integration, in)
	if !ok {
		return
	}
	mapped := mapIntegrationRequest(integration.RequestParameters, in)
	target, ok := x.integrationURL(integration.URI, mapped, nil)
	if !ok {
		return
	}
	header := mapped.header
	if header.Get("Content-Type") == "" {
		header.Set("Content-Type", requestContentType(x.r))
	}
	response, ok := p.callBackend(x, integration, target, header, body)
	if !ok {
		return
	}
	defer response.Body.Close()
	answerBody, err := io.ReadAll(io.LimitReader(response.Body, maxPayloadBytes))
	if err != nil {
		x.fail(apiConfigurationError, "")
		return
	}
	answer := integrationAnswer{status: response.StatusCode, header: response.Header, body: answerBody}
	x.answerIntegration(integration, answer, strconv.Itoa(response.StatusCode))
}

// callBackend sends one request to an HTTP backend within the integration
// timeout: 504 "Endpoint request timed out" past it, 500 when the backend
// cannot be reached.
func (p *plane) callBackend(x *exchange, integration *Integration, target *url.URL, header http.Header, body []byte) (*http.Response, bool) {
	timeout := defaultIntegrationTimeout
	if integration.TimeoutMillis > 0 {
		timeout = time.Duration(integration.TimeoutMillis) * time.Millisecond
	}
	ctx, cancel := context.WithTimeout(x.r.Context(), timeout)
	outgoing, err := http.NewRequestWithContext(ctx, backendMethod(integration, x.r.Method), target.String(), strings.NewReader(string(body)))
	if err != nil {
		cancel()
		x.fail(apiConfigurationError, "")
		return nil, false
	}
	outgoing.Header = header
	response, err := p.integrationClient.Do(outgoing)
	if err != nil {
		cancel()
		if errors.Is(err, context.DeadlineExceeded) {
			x.fail(integrationTimeout, "")
		} else {
			x.fail(apiConfigurationError, "")
		}
		return nil, false
	}
	response.Body = cancelOnClose{ReadCloser: response.Body, cancel: cancel}
	return response, true
}

// cancelOnClose ends a backend call's context once its answer is read.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (c cancelOnClose) Close() error {
	defer c.cancel()
	return c.ReadCloser.Close()
}

func backendMethod(integration *Integration, requestMethod string) string {
	if integration.HTTPMethod == "" || strings.EqualFold(integration.HTTPMethod, anyMethod) {
		return requestMethod
	}
	return strings.ToUpper(integration.HTTPMethod)
}

var uriVariable = regexp.MustCompile(`\{[^{}/]+\}`)

// integrationURL substitutes the mapped path parameters into the
// integration URI ({id}, {proxy}) and adds the query: the request's own
// (proxy integrations only, passed as nil otherwise) and the mapped
// parameters, which replace a request parameter of the same name. A
// variable left unmapped is a configuration error (500).
func (x *exchange) integrationURL(uri string, mapped mappedRequest, requestQuery url.Values) (*url.URL, bool) {
	unmapped := false
	substituted := uriVariable.ReplaceAllStringFunc(uri, func(variable string) string {
		name := strings.Trim(variable, "{}")
		value, ok := mapped.path[name]
		if !ok {
			unmapped = true
			return variable
		}
		return escapeKeepingSlashes(value)
	})
	target, err := url.Parse(substituted)
	if unmapped || err != nil || target.Host == "" {
		x.fail(apiConfigurationError, "")
		return nil, false
	}
	query := target.Query()
	for name, values := range requestQuery {
		query[name] = append(query[name], values...)
	}
	for name, values := range mapped.querystring {
		query[name] = values
	}
	target.RawQuery = query.Encode()
	return target, true
}

func escapeKeepingSlashes(value string) string {
	segments := strings.Split(value, "/")
	for i, segment := range segments {
		segments[i] = url.PathEscape(segment)
	}
	return strings.Join(segments, "/")
}

// requestContentType is the request's media type; API Gateway takes
// application/json when there is none.
func requestContentType(r *http.Request) string {
	contentType := strings.TrimSpace(strings.Split(r.Header.Get("Content-Type"), ";")[0])
	if contentType == "" {
		return defaultContentType
	}
	return contentType
}

// requestBody is what a non-proxy integration receives: the request
// template for the request's content type rendered, or the body passed
// through as the passthrough behaviour allows. WHEN_NO_MATCH passes any
// unmatched content type through; WHEN_NO_TEMPLATES only when there are no
// templates; NEVER never (415 Unsupported Media Type).
func (x *exchange) requestBody(integration *Integration, in *templateInput) ([]byte, bool) {
	template, matched := integration.RequestTemplates[requestContentType(x.r)]
	if matched {
		rendered, err := renderTemplate(template, in)
		if err != nil {
			x.refuseTemplate(err)
			return nil, false
		}
		return []byte(rendered), true
	}
	switch integration.PassthroughBehavior {
	case "NEVER":
		x.fail(unsupportedMediaType, "")
		return nil, false
	case "WHEN_NO_TEMPLATES":
		if len(integration.RequestTemplates) > 0 {
			x.fail(unsupportedMediaType, "")
			return nil, false
		}
	}
	return x.body, true
}

// refuseTemplate answers a template the plane cannot render.
func (x *exchange) refuseTemplate(err error) {
	var unsupportedErr *unsupportedTemplateError
	if errors.As(err, &unsupportedErr) {
		execute.WriteError(x.w, http.StatusNotImplemented, unsupportedErr.Error())
		return
	}
	x.fail(apiConfigurationError, "")
}

// answerIntegration answers through the integration response selected by
// selector (the backend's status code, or a Lambda error message): the
// first whose selectionPattern matches it whole, else the default one
// (no pattern). Without either AWS answers 500 ("No match for output
// mapping and no default output mapping configured").
func (x *exchange) answerIntegration(integration *Integration, answer integrationAnswer, selector string) {
	response, ok := selectIntegrationResponse(integration.Responses, selector)
	if !ok {
		x.fail(apiConfigurationError, "")
		return
	}
	status, err := strconv.Atoi(response.StatusCode)
	if err != nil {
		x.fail(apiConfigurationError, "")
		return
	}
	in := x.templateInput()
	in.body, in.answer = answer.body, &answer
	for name, source := range response.ResponseParameters {
		header, isHeader := strings.CutPrefix(name, "method.response.header.")
		if value, resolved := resolveMappingSource(source, in); isHeader && resolved {
			x.w.Header().Set(header, value)
		}
	}
	body, contentType := answer.body, answer.header.Get("Content-Type")
	if template, chosen, ok := selectTemplate(response.ResponseTemplates, x.r.Header.Get("Accept")); ok {
		rendered, err := renderTemplate(template, in)
		if err != nil {
			x.refuseTemplate(err)
			return
		}
		body, contentType = []byte(rendered), chosen
	}
	if contentType == "" {
		contentType = defaultContentType
	}
	if x.w.Header().Get("Content-Type") == "" {
		x.w.Header().Set("Content-Type", contentType)
	}
	x.w.WriteHeader(status)
	_, _ = x.w.Write(body)
}

func selectIntegrationResponse(responses []IntegrationResponse, selector string) (IntegrationResponse, bool) {
	for _, response := range responses {
		if response.SelectionPattern == "" {
			continue
		}
		pattern, err := regexp.Compile(`^(?:` + response.SelectionPattern + `)$`)
		if err == nil && pattern.MatchString(selector) {
			return response, true
		}
	}
	for _, response := range responses {
		if response.SelectionPattern == "" {
			return response, true
		}
	}
	return IntegrationResponse{}, false
}
