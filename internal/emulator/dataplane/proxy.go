package dataplane

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	integrationHTTPProxy = "HTTP_PROXY"
	// defaultIntegrationTimeout is AWS's default and maximum for HTTP APIs.
	defaultIntegrationTimeout = 30 * time.Second
)

// hopByHopHeaders belong to one connection and are never forwarded
// (RFC 9110 §7.6.1).
var hopByHopHeaders = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// newProxyClient returns the client that calls integrations. It does not
// follow redirects: a proxy relays them to the caller.
func newProxyClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// invoke answers a routed request through the route's integration.
func (d *dataPlane) invoke(w http.ResponseWriter, r *http.Request, match routeMatch, stagePath string) {
	integration := match.route.Integration
	switch {
	case integration == nil:
		// A route without a target serves nothing.
		writeGatewayError(w, http.StatusNotFound, "Not Found")
	case integration.Type != integrationHTTPProxy:
		writeGatewayError(w, http.StatusNotImplemented,
			"The emulator's data plane forwards HTTP_PROXY integrations only, not "+integration.Type)
	default:
		d.forwardHTTPProxy(w, r, *integration, match, stagePath)
	}
}

// forwardHTTPProxy sends the request to the integration URI and relays the
// answer. AWS answers 500 when the backend cannot be reached and 503 when it
// does not answer within the integration timeout.
func (d *dataPlane) forwardHTTPProxy(w http.ResponseWriter, r *http.Request, integration Integration, match routeMatch, stagePath string) {
	target, err := integrationURL(integration.URI, match, stagePath, r.URL.RawQuery)
	if err != nil {
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), integrationTimeout(integration))
	defer cancel()
	outgoing, err := http.NewRequestWithContext(ctx, integrationMethod(integration, r.Method), target.String(), r.Body)
	if err != nil {
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	outgoing.ContentLength = r.ContentLength
	outgoing.Header = forwardedRequestHeaders(r)
	response, err := d.integrationClient.Do(outgoing)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			writeGatewayError(w, http.StatusServiceUnavailable, "Service Unavailable")
			return
		}
		writeGatewayError(w, http.StatusInternalServerError, "Internal Server Error")
		return
	}
	defer response.Body.Close()
	relayResponse(w, response)
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

// forwardedRequestHeaders copies the caller's headers for the backend,
// without hop-by-hop headers, and records the caller as proxies do.
func forwardedRequestHeaders(r *http.Request) http.Header {
	headers := r.Header.Clone()
	removeHopByHopHeaders(headers)
	if client := clientAddress(r.RemoteAddr); client != "" {
		headers.Set("X-Forwarded-For", client)
	}
	headers.Set("X-Forwarded-Proto", "http")
	return headers
}

func clientAddress(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return ""
	}
	return host
}

func removeHopByHopHeaders(h http.Header) {
	for _, listed := range h.Values("Connection") {
		for _, name := range strings.Split(listed, ",") {
			h.Del(strings.TrimSpace(name))
		}
	}
	for _, name := range hopByHopHeaders {
		h.Del(name)
	}
}

// relayResponse copies the backend's answer to the caller.
func relayResponse(w http.ResponseWriter, response *http.Response) {
	headers := response.Header.Clone()
	removeHopByHopHeaders(headers)
	for name, values := range headers {
		w.Header()[name] = values
	}
	w.WriteHeader(response.StatusCode)
	_, _ = io.Copy(w, response.Body)
}
