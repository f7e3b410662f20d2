package httpplane

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Route authorization types an HTTP API's route may name.
const (
	authorizationJWT    = "JWT"
	authorizationCustom = "CUSTOM"
)

// requiresAuthorizer tells whether the route's requests go through an
// authorizer: JWT or CUSTOM (a Lambda REQUEST authorizer). NONE and
// AWS_IAM do not (the emulator does not verify SigV4 signatures).
func requiresAuthorizer(route Route) bool {
	return route.AuthorizationType == authorizationJWT || route.AuthorizationType == authorizationCustom
}

// authorize runs the route's authorizer and reports whether the request may
// go on; when it may not, the refusal is written to w. On success the
// caller's identity is kept for the integration's event and mappings.
func (d *plane) authorize(w http.ResponseWriter, call *routedCall) bool {
	route := call.match.route
	if !requiresAuthorizer(route) {
		return true
	}
	if route.Authorizer == nil {
		// An authorizer the deployment does not hold cannot let anyone
		// through.
		execute.WriteError(w, http.StatusInternalServerError, execute.MessageInternalServerError)
		return false
	}
	spec := call.authorizerSpec(*route.Authorizer)
	request, err := call.authorizerRequest(*route.Authorizer)
	if err != nil {
		execute.WriteError(w, http.StatusInternalServerError, execute.MessageInternalServerError)
		return false
	}
	decision := d.authorizers.Authorize(call.request.Context(), spec, request)
	if !decision.Allowed() {
		for name, values := range decision.Header {
			w.Header()[name] = values
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(decision.Status)
		_, _ = w.Write(decision.Body())
		return false
	}
	call.identity = identity{principalID: decision.PrincipalID}
	if spec.Kind == authorizers.KindJWT {
		call.identity.jwtClaims, call.identity.jwtScopes = decision.Claims, decision.Scopes
	} else {
		call.identity.lambdaContext = decision.Context
		if call.identity.lambdaContext == nil {
			call.identity.lambdaContext = map[string]any{}
		}
	}
	return true
}

// authorizerSpec reads a deployed authorizer into what the decision needs.
func (c *routedCall) authorizerSpec(authorizer Authorizer) authorizers.Spec {
	spec := authorizers.Spec{
		ID: authorizer.ID, APIID: c.api.ID, API: authorizers.APIHTTP, Kind: authorizers.Kind(authorizer.Type),
		SourceARN:            c.executeAPIARN("authorizers/" + authorizer.ID),
		IdentitySource:       authorizer.IdentitySource,
		PayloadFormatVersion: authorizer.PayloadFormatVersion,
		SimpleResponses:      authorizer.EnableSimpleResponses,
		Issuer:               authorizer.JWTIssuer,
		Audience:             authorizer.JWTAudience,
	}
	spec.FunctionARN, _ = execute.FunctionARN(c.withStageVariables(authorizer.URI))
	if authorizer.ResultTTLSeconds != nil {
		spec.ResultTTL = time.Duration(*authorizer.ResultTTLSeconds) * time.Second
	}
	return spec
}

// authorizerRequest resolves the identity sources and builds the event of
// a Lambda authorizer's payload format.
func (c *routedCall) authorizerRequest(authorizer Authorizer) (authorizers.Request, error) {
	request := authorizers.Request{
		Identity:  c.identityValues(authorizer.IdentitySource),
		MethodARN: c.routeARN(),
		Stage:     c.stage.Name,
	}
	if authorizer.Type == authorizationJWT {
		request.Scopes = c.match.route.AuthorizationScopes
		return request, nil
	}
	var event any = c.authorizerEventV1(request.Identity)
	if authorizer.PayloadFormatVersion == payloadFormat2 {
		event = c.authorizerEventV2(request.Identity)
	}
	encoded, err := json.Marshal(event)
	request.Event = encoded
	return request, err
}

// identityValues resolves $request.header.X, $request.querystring.x,
// $context.x and $stageVariables.x; "" where the request has none.
func (c *routedCall) identityValues(sources []string) []string {
	values := make([]string, len(sources))
	for i, source := range sources {
		values[i], _ = c.resolve(strings.TrimPrefix(source, "$"), nil)
	}
	return values
}

// routeARN is the ARN a Lambda authorizer's IAM policy must allow (routeArn
// in 2.0, methodArn in 1.0): {apiId}/{stage}/{METHOD}{request path}, or
// {apiId}/{stage}/$default for the $default route, as AWS's example shows.
func (c *routedCall) routeARN() string {
	if c.match.isDefault {
		return c.executeAPIARN(c.stage.Name + "/" + defaultRouteKey)
	}
	return c.executeAPIARN(c.stage.Name + "/" + c.request.Method + unescapedPath(c.stagePath))
}

// executeAPIARN is arn:aws:execute-api:{region}:{account}:{apiId}/{resource}.
func (c *routedCall) executeAPIARN(resource string) string {
	return "arn:aws:execute-api:" + c.api.Region + ":" + c.api.AccountID + ":" + c.api.ID + "/" + resource
}

// authorizerEventV2 is a REQUEST authorizer's 2.0 event: the request's 2.0
// event without its body, with the type, routeArn and identity source
// values.
type authorizerEventV2 struct {
	Type           string   `json:"type"`
	RouteArn       string   `json:"routeArn"`
	IdentitySource []string `json:"identitySource"`
	eventV2
}

func (c *routedCall) authorizerEventV2(identityValues []string) authorizerEventV2 {
	event := authorizerEventV2{Type: "REQUEST", RouteArn: c.routeARN(), IdentitySource: identityValues, eventV2: c.eventV2Of()}
	event.Body = ""
	return event
}

// authorizerEventV1 is a REQUEST authorizer's 1.0 event: the request's 1.0
// event without its body, with the type, methodArn, and the identity
// source values joined by commas (in identitySource and
// authorizationToken, as AWS's example shows).
type authorizerEventV1 struct {
	Type               string `json:"type"`
	MethodArn          string `json:"methodArn"`
	IdentitySource     string `json:"identitySource"`
	AuthorizationToken string `json:"authorizationToken"`
	eventV1
}

func (c *routedCall) authorizerEventV1(identityValues []string) authorizerEventV1 {
	joined := strings.Join(identityValues, ",")
	event := authorizerEventV1{Type: "REQUEST", MethodArn: c.routeARN(), IdentitySource: joined, AuthorizationToken: joined, eventV1: c.eventV1Of()}
	event.Body = nil
	return event
}
