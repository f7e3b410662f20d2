package lambdaperm

import (
	"strings"

	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// executeAPIARN is arn:{partition}:execute-api:{region}:{account}:{apiId}/{rest}.
func executeAPIARN(region, account, apiID, rest string) string {
	return "arn:" + session.Partition(region) + ":execute-api:" + region + ":" + account + ":" + apiID + "/" + rest
}

// AuthorizerSourceARN is the source ARN API Gateway invokes an authorizer's
// function from: {apiId}/authorizers/{authorizerId}.
func AuthorizerSourceARN(region, account, apiID, authorizerID string) string {
	return executeAPIARN(region, account, apiID, "authorizers/"+authorizerID)
}

// RouteSourceARN is the narrowest source ARN that covers every route an
// integration serves, in any stage: {apiId}/*/{METHOD}/{path} for one route
// ("GET /orders/{id}" gives */GET/orders/*; path parameters match any
// value), the common part of several, or {apiId}/*/{routeKey} for
// "$default" and WebSocket routes. ArnLike's * matches across slashes.
func RouteSourceARN(region, account, apiID string, routeKeys []string) string {
	if len(routeKeys) == 0 {
		return executeAPIARN(region, account, apiID, "*")
	}
	patterns := make([][]string, len(routeKeys))
	for i, key := range routeKeys {
		patterns[i] = routePattern(key)
	}
	return executeAPIARN(region, account, apiID, "*/"+commonPattern(patterns))
}

// routePattern turns a route key into the segments of its source ARN after
// the stage: "GET /orders/{id}" → [GET orders *], "ANY /{proxy+}" → [* *],
// "$connect" → [$connect].
func routePattern(routeKey string) []string {
	method, path, found := strings.Cut(routeKey, " ")
	if !found {
		return []string{routeKey}
	}
	if method == "ANY" {
		method = "*"
	}
	segments := []string{method}
	for _, segment := range strings.Split(strings.Trim(path, "/"), "/") {
		if strings.HasPrefix(segment, "{") {
			segment = "*"
		}
		segments = append(segments, segment)
	}
	return segments
}

// commonPattern joins the segments all patterns share and ends in * where
// they part: [GET orders *] and [POST orders] give "*/orders*".
func commonPattern(patterns [][]string) string {
	var out []string
	for i := 0; ; i++ {
		segment, same := segmentOfAll(patterns, i)
		switch {
		case same && segment == "":
			return strings.Join(out, "/") // every pattern ends here
		case same:
			out = append(out, segment)
		case i == 0:
			out = append(out, "*") // the methods differ; the paths may not
		default:
			joined := strings.Join(out, "/")
			if strings.HasSuffix(joined, "*") {
				return joined
			}
			return joined + "*"
		}
	}
}

// segmentOfAll returns the i-th segment when every pattern has the same one
// there ("" and true when all end before it).
func segmentOfAll(patterns [][]string, i int) (string, bool) {
	at := func(p []string) string {
		if i < len(p) {
			return p[i]
		}
		return ""
	}
	first := at(patterns[0])
	for _, p := range patterns[1:] {
		if at(p) != first {
			return "", false
		}
	}
	return first, true
}
