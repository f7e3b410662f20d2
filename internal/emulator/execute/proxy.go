package execute

import (
	"io"
	"net"
	"net/http"
	"strings"
)

// hopByHopHeaders belong to one connection and are never forwarded
// (RFC 9110 §7.6.1).
var hopByHopHeaders = []string{
	"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization",
	"Proxy-Connection", "Te", "Trailer", "Transfer-Encoding", "Upgrade",
}

// NewProxyClient returns the client that calls HTTP integrations. It does
// not follow redirects: a proxy relays them to the caller.
func NewProxyClient() *http.Client {
	return &http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ForwardedRequestHeaders copies the caller's headers for the backend,
// without hop-by-hop headers, and records the caller as proxies do.
func ForwardedRequestHeaders(r *http.Request) http.Header {
	headers := r.Header.Clone()
	RemoveHopByHopHeaders(headers)
	if client := ClientAddress(r.RemoteAddr); client != "" {
		headers.Set("X-Forwarded-For", client)
	}
	headers.Set("X-Forwarded-Proto", "http")
	return headers
}

// ClientAddress is the caller's IP address, "" when RemoteAddr has none.
func ClientAddress(remoteAddr string) string {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		return ""
	}
	return host
}

// RemoveHopByHopHeaders drops the headers of one connection, those the
// Connection header lists included.
func RemoveHopByHopHeaders(h http.Header) {
	for _, listed := range h.Values("Connection") {
		for _, name := range strings.Split(listed, ",") {
			h.Del(strings.TrimSpace(name))
		}
	}
	for _, name := range hopByHopHeaders {
		h.Del(name)
	}
}

// RelayResponse copies the backend's answer to the caller.
func RelayResponse(w http.ResponseWriter, response *http.Response) {
	headers := response.Header.Clone()
	RemoveHopByHopHeaders(headers)
	for name, values := range headers {
		w.Header()[name] = values
	}
	w.WriteHeader(response.StatusCode)
	_, _ = io.Copy(w, response.Body)
}
