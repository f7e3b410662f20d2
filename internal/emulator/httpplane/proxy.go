package httpplane

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	integrationHTTPProxy = "HTTP_PROXY"
	integrationAWSProxy  = "AWS_PROXY"
	// defaultIntegrationTimeout is AWS's default and maximum for HTTP APIs.
	defaultIntegrationTimeout = 30 * time.Second
	// maxPayloadBytes is HTTP APIs' payload quota, 10 MB.
	maxPayloadBytes = 10 << 20
)

// gatewayError is an answer of API Gateway's own, in place of the
// integration's.
type gatewayError struct {
	status  int
	message string
}

func (e *gatewayError) Error() string { return e.message }

var (
	errInternal    = &gatewayError{http.StatusInternalServerError, execute.MessageInternalServerError}
	errUnavailable = &gatewayError{http.StatusServiceUnavailable, execute.MessageServiceUnavailable}
	errTooLarge    = &gatewayError{http.StatusRequestEntityTooLarge, "Request Entity Too Large"}
)

// invoke answers a routed request through the route's integration, its
// response mappings applied.
func (d *plane) invoke(w http.ResponseWriter, call *routedCall) {
	integration := call.match.route.Integration
	if integration == nil {
		// A route without a target serves nothing.
		execute.WriteError(w, http.StatusNotFound, execute.MessageNotFound)
		return
	}
	response, err := d.integrationResponse(call, *integration)
	if err != nil {
		answer := errInternal
		errors.As(err, &answer)
		execute.WriteError(w, answer.status, answer.message)
		return
	}
	call.mapResponse(integration.ResponseParameters, response)
	writeMappedResponse(w, response)
}

func (d *plane) integrationResponse(call *routedCall, integration Integration) (*mappedResponse, error) {
	body, err := io.ReadAll(io.LimitReader(call.request.Body, maxPayloadBytes+1))
	if err != nil {
		return nil, errInternal
	}
	if len(body) > maxPayloadBytes {
		return nil, errTooLarge
	}
	call.body = body
	ctx, cancel := context.WithTimeout(call.request.Context(), integrationTimeout(integration))
	defer cancel()
	switch integration.Type {
	case integrationHTTPProxy:
		return d.forwardHTTPProxy(ctx, call, integration)
	case integrationAWSProxy:
		return d.invokeLambda(ctx, call, integration)
	}
	return nil, &gatewayError{http.StatusNotImplemented,
		"The emulator's data plane serves HTTP_PROXY and AWS_PROXY integrations only, not " + integration.Type}
}

// failureOf is AWS's answer to an integration that failed: 503 when it did
// not answer within the integration timeout, 500 otherwise.
func failureOf(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return errUnavailable
	}
	return errInternal
}

// writeMappedResponse sends an integration's answer to the caller.
func writeMappedResponse(w http.ResponseWriter, response *mappedResponse) {
	execute.RemoveHopByHopHeaders(response.header)
	if response.header.Get("Content-Type") == "" {
		// A nil value keeps net/http from sniffing one the integration
		// did not send.
		response.header["Content-Type"] = nil
	}
	for name, values := range response.header {
		w.Header()[name] = values
	}
	w.WriteHeader(response.status)
	_, _ = w.Write(response.body)
}

// forwardHTTPProxy sends the request to the integration URI, request
// mappings applied, and reads the answer. AWS answers 500 when the backend
// cannot be reached and 503 when it does not answer within the integration
// timeout.
func (d *plane) forwardHTTPProxy(ctx context.Context, call *routedCall, integration Integration) (*mappedResponse, error) {
	target, err := integrationURL(call.withStageVariables(integration.URI), call.match, call.stagePath, call.request.URL.RawQuery)
	if err != nil {
		return nil, errInternal
	}
	header := execute.ForwardedRequestHeaders(call.request)
	call.mapRequest(integration.RequestParameters, target, header)
	outgoing, err := http.NewRequestWithContext(ctx, integrationMethod(integration, call.request.Method), target.String(), bytes.NewReader(call.body))
	if err != nil {
		return nil, errInternal
	}
	outgoing.Header = header
	response, err := d.integrationClient.Do(outgoing)
	if err != nil {
		return nil, failureOf(err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		return nil, failureOf(err)
	}
	return &mappedResponse{status: response.StatusCode, header: response.Header.Clone(), body: body}, nil
}

// stageVariableReference is ${stageVariables.name} in an integration URI.
var stageVariableReference = regexp.MustCompile(`\$\{stageVariables\.([A-Za-z0-9_]+)\}`)

// withStageVariables substitutes the stage's variables into an integration
// URI; an undefined variable becomes empty.
func (c *routedCall) withStageVariables(uri string) string {
	return stageVariableReference.ReplaceAllStringFunc(uri, func(found string) string {
		return c.stage.Variables[stageVariableReference.FindStringSubmatch(found)[1]]
	})
}

// integrationURL builds the backend URL: route variables substituted into
// the URI ({proxy}, {id}); for the $default route, which has none, the whole
// path within the stage is appended, as AWS does. The request's query is
// added to the URI's own.
func integrationURL(uri string, match routeMatch, stagePath, rawQuery string) (*url.URL, error) {
	for name, value := range match.params {
		uri = strings.ReplaceAll(uri, "{"+name+"}", escapePathKeepingSlashes(value))
	}
	target, err := url.Parse(uri)
	if err != nil {
		return nil, err
	}
	if match.isDefault && stagePath != "/" {
		target = target.JoinPath(strings.Split(strings.TrimPrefix(unescapedPath(stagePath), "/"), "/")...)
	}
	target.RawQuery = joinQueries(target.RawQuery, rawQuery)
	return target, nil
}

func escapePathKeepingSlashes(value string) string {
	segments := strings.Split(value, "/")
	for i, segment := range segments {
		segments[i] = url.PathEscape(segment)
	}
	return strings.Join(segments, "/")
}

func unescapedPath(escapedPath string) string {
	if path, err := url.PathUnescape(escapedPath); err == nil {
		return path
	}
	return escapedPath
}

func joinQueries(first, second string) string {
	if first == "" || second == "" {
		return first + second
	}
	return first + "&" + second
}

func integrationTimeout(integration Integration) time.Duration {
	if integration.TimeoutMillis <= 0 {
		return defaultIntegrationTimeout
	}
	return time.Duration(integration.TimeoutMillis) * time.Millisecond
}

// integrationMethod is the integration's method, or the request's when the
// integration forwards any.
func integrationMethod(integration Integration, requestMethod string) string {
	if integration.Method == "" || strings.EqualFold(integration.Method, anyMethod) {
		return requestMethod
	}
	return strings.ToUpper(integration.Method)
}
