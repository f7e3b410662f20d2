package httpplane

import (
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// requestTimeLayout is how API Gateway writes $context.requestTime and
// requestContext.time: "12/Mar/2020:19:03:58 +0000".
const requestTimeLayout = "02/Jan/2006:15:04:05 -0700"

// routedCall is one request that matched a route, with what the plane
// learned of it on the way: the stage, the route and its variables, and
// the identity an authorizer established.
type routedCall struct {
	api     API
	stage   Stage
	match   routeMatch
	request *http.Request
	// body is the request body, read whole (AWS buffers it too, up to its
	// 10 MB payload quota).
	body      []byte
	requestID string
	// path is the escaped request path as the API saw it: on the
	// execute-api endpoint it begins with a named stage; through a custom
	// domain it follows the mapping's base path. stagePath is the path
	// within the stage, which routes match.
	path, stagePath string
	// callerPath is the escaped path the caller sent: path, or through a
	// custom domain the whole path, base path included.
	callerPath string
	received   time.Time
	identity   identity
}

// identity is what an authorizer established about the caller, for
// requestContext.authorizer and $context.authorizer.*.
type identity struct {
	// jwtClaims and jwtScopes are a JWT authorizer's; nil otherwise.
	jwtClaims map[string]any
	jwtScopes []string
	// lambdaContext is a Lambda authorizer's context; nil otherwise.
	lambdaContext map[string]any
	principalID   string
}

// domainName is the host the caller addressed, without its port.
func (c *routedCall) domainName() string {
	if host, _, err := net.SplitHostPort(c.request.Host); err == nil {
		return host
	}
	return c.request.Host
}

// domainPrefix is the domain name's first label: the API id on the
// execute-api endpoint.
func (c *routedCall) domainPrefix() string {
	prefix, _, _ := strings.Cut(c.domainName(), ".")
	return prefix
}

func (c *routedCall) sourceIP() string { return execute.ClientAddress(c.request.RemoteAddr) }

// contextVariable resolves $context.{name}, the variables HTTP APIs define
// for mappings, identity sources and access logs; false for one it does not
// know or that has no value.
func (c *routedCall) contextVariable(name string) (string, bool) {
	if value, ok := c.identityVariable(name); ok {
		return value, true
	}
	variables := map[string]string{
		"accountId":          c.api.AccountID,
		"apiId":              c.api.ID,
		"domainName":         c.domainName(),
		"domainPrefix":       c.domainPrefix(),
		"extendedRequestId":  c.requestID,
		"httpMethod":         c.request.Method,
		"identity.sourceIp":  c.sourceIP(),
		"identity.userAgent": c.request.UserAgent(),
		"path":               unescapedPath(c.path),
		"protocol":           c.request.Proto,
		"requestId":          c.requestID,
		"requestTime":        c.received.UTC().Format(requestTimeLayout),
		"requestTimeEpoch":   strconv.FormatInt(c.received.UnixMilli(), 10),
		"routeKey":           c.match.route.RouteKey,
		"stage":              c.stage.Name,
	}
	value, ok := variables[name]
	return value, ok && value != ""
}

// identityVariable resolves $context.authorizer.claims.{claim},
// $context.authorizer.principalId and $context.authorizer.{key} of a Lambda
// authorizer's context.
func (c *routedCall) identityVariable(name string) (string, bool) {
	key, ok := strings.CutPrefix(name, "authorizer.")
	if !ok {
		return "", false
	}
	if claim, isClaim := strings.CutPrefix(key, "claims."); isClaim {
		return scalarString(c.identity.jwtClaims[claim])
	}
	if key == "principalId" && c.identity.principalID != "" {
		return c.identity.principalID, true
	}
	return scalarString(c.identity.lambdaContext[key])
}

// scalarString renders a claim or context value as text; false when absent.
func scalarString(value any) (string, bool) {
	switch v := value.(type) {
	case nil:
		return "", false
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	case bool:
		return strconv.FormatBool(v), true
	default:
		return stringify(v), true
	}
}
