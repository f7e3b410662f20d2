// Package execute is what the emulator's invoke-traffic planes (REST, HTTP
// and WebSocket APIs) share: the request the front door hands to a plane,
// API Gateway's own error answers, Lambda invocation on API Gateway's
// behalf, backend proxying and rate limiting. It knows no plane and no
// control plane, so each plane depends on it and on nothing of the others.
package execute

import (
	"encoding/json"
	"net/http"
)

// Plane serves the invoke traffic of one kind of API.
type Plane interface {
	// Serve answers req when req.APIID is one of the plane's APIs, and
	// reports whether it was; the front door tries the next plane otherwise.
	Serve(w http.ResponseWriter, r *http.Request, req *Request) bool
}

// Request is one invoke request as the front door resolved it.
type Request struct {
	// APIID is the API the host (or the path-style prefix, or a custom
	// domain's mapping) names.
	APIID string
	// Path is the escaped request path as the API sees it: after the
	// path-style prefix, or after a custom domain's base path. It starts
	// with "/".
	Path string
	// Stage is the stage a custom domain's mapping chose, in which case Path
	// does not begin with it; "" when the path names the stage.
	Stage string
	// CustomDomain is the domain name the request came through; "" for the
	// execute-api endpoint. A plane refuses execute-api requests to an API
	// whose default endpoint is disabled, never domain requests.
	CustomDomain string

	// Filled by the plane, for the stats and the access log.

	// MatchedStage is the stage that served the request, "" when none did.
	MatchedStage string
	// MatchedRoute is the route key (HTTP, WebSocket) or "METHOD
	// /resource/path" (REST) that served it, "" when none did.
	MatchedRoute string
	// RequestID is the request id the plane answered with.
	RequestID string
}

// Served reports which stage and route answered, for the stats and logs.
func (req *Request) Served(stage, route string) {
	req.MatchedStage, req.MatchedRoute = stage, route
}

// WriteError answers as API Gateway does for errors of its own: a JSON body
// with only a message, such as {"message":"Forbidden"}.
func WriteError(w http.ResponseWriter, status int, message string) {
	body, _ := json.Marshal(map[string]string{"message": message})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// The messages of API Gateway's own answers, as clients see them.
const (
	MessageForbidden           = "Forbidden"
	MessageNotFound            = "Not Found"
	MessageUnauthorized        = "Unauthorized"
	MessageTooManyRequests     = "Too Many Requests"
	MessageInternalServerError = "Internal Server Error"
	MessageServiceUnavailable  = "Service Unavailable"
)
