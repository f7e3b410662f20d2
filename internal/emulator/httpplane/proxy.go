package httpplane

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	integrationHTTPProxy = "HTTP_PROXY"
	// defaultIntegrationTimeout is AWS's default and maximum for HTTP APIs.
	defaultIntegrationTimeout = 30 * time.Second
)

// invoke answers a routed request through the route's integration.
func (d *plane) invoke(w http.ResponseWriter, r *http.Request, match routeMatch, stagePath string) {
	integration := match.route.Integration
	switch {
	case integration == nil:
		// A route without a target serves nothing.
		execute.WriteError(w, http.StatusNotFound, "Not Found")
	case integration.Type != integrationHTTPProxy:
		execute.WriteError(w, http.StatusNotImplemented,
			"The emulator's data plane forwards HTTP_PROXY integrations only, not "+integration.Type)
	default:
		d.forwardHTTPProxy(w, r, *integration, match, stagePath)
	}
}

// forwardHTTPProxy sends the request to the integration URI and relays the
// answer. AWS answers 500 when the backend cannot be reached and 503 when it
// does not answer within the integration timeout.
func (d *plane) forwardHTTPProxy(w http.ResponseWriter, r *http.Request, integration Integration, match routeMatch, stagePath string) {
	target, err := integrationURL(integration.URI, match, stagePath, r.URL.RawQuery)
	if err != nil {
		execute.WriteError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), integrationTimeout(integration))
	defer cancel()
	outgoing, err := http.NewRequestWithContext(ctx, integrationMethod(integration, r.Method), target.String(), r.Body)
	if err != nil {
		execute.WriteError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	outgoing.ContentLength = r.ContentLength
	outgoing.Header = execute.ForwardedRequestHeaders(r)
	response, err := d.integrationClient.Do(outgoing)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			execute.WriteError(w, http.StatusServiceUnavailable, "Service Unavailable")
			return
		}
		execute.WriteError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	defer response.Body.Close()
	execute.RelayResponse(w, response)
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
