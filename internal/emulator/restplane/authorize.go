package restplane

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

const (
	authorizationNone    = "NONE"
	authorizationIAM     = "AWS_IAM"
	authorizationCustom  = "CUSTOM"
	authorizationCognito = "COGNITO_USER_POOLS"

	authorizerToken = "TOKEN"
	// defaultAuthorizerTTL is AWS's default authorizerResultTtlInSeconds.
	defaultAuthorizerTTL = 300 * time.Second
)

// authorize applies the method's authorization type. AWS_IAM needs a
// SigV4-signed request: an unsigned one is refused as AWS refuses it (403
// Missing Authentication Token); a signed one is let through unverified
// (the plane does not check the caller's IAM permissions). CUSTOM (Lambda
// TOKEN and REQUEST) and COGNITO_USER_POOLS go to the authorizers.
func (p *plane) authorize(x *exchange) bool {
	switch x.route.method.AuthorizationType {
	case authorizationNone, "":
		return true
	case authorizationIAM:
		if x.r.Header.Get("Authorization") == "" && x.r.URL.Query().Get("X-Amz-Signature") == "" {
			x.fail(missingAuthenticationToken, "")
			return false
		}
		return true
	case authorizationCustom, authorizationCognito:
		return p.runAuthorizer(x)
	}
	x.fail(apiConfigurationError, "")
	return false
}

// runAuthorizer asks the method's authorizer and, when it allows, keeps
// what it returned for $context.authorizer and the integration.
func (p *plane) runAuthorizer(x *exchange) bool {
	authorizer, ok := x.deployment.Authorizers[x.route.method.AuthorizerID]
	if !ok || p.Authorizers == nil {
		x.fail(authorizerConfiguration, "")
		return false
	}
	spec := x.authorizerSpec(authorizer)
	request, err := x.authorizerRequest(authorizer, spec)
	if err != nil {
		x.fail(authorizerConfiguration, "")
		return false
	}
	decision := p.Authorizers.Authorize(x.r.Context(), spec, request)
	if !decision.Allowed() {
		x.refuse(decision)
		return false
	}
	x.authorizer = authorizerContext(decision)
	x.usageIdentifierKey = decision.UsageIdentifierKey
	return true
}

func (x *exchange) authorizerSpec(a Authorizer) authorizers.Spec {
	functionARN, _ := execute.FunctionARN(a.AuthorizerURI)
	ttl := defaultAuthorizerTTL
	if a.ResultTTLSeconds != nil {
		ttl = time.Duration(*a.ResultTTLSeconds) * time.Second
	}
	var sources []string
	for _, source := range strings.Split(a.IdentitySource, ",") {
		if source = strings.TrimSpace(source); source != "" {
			sources = append(sources, source)
		}
	}
	return authorizers.Spec{
		ID: a.ID, APIID: x.api.ID, API: authorizers.APIREST, Kind: authorizers.Kind(a.Type),
		FunctionARN:    functionARN,
		SourceARN:      fmt.Sprintf("arn:aws:execute-api:%s:%s:%s/authorizers/%s", x.api.Region, x.api.Account, x.api.ID, a.ID),
		IdentitySource: sources, IdentityValidationExpression: a.IdentityValidationExpression,
		ResultTTL: ttl, ProviderARNs: a.ProviderARNs,
	}
}

// authorizerRequest resolves the identity sources and builds the event a
// Lambda authorizer receives: TOKEN {type, authorizationToken, methodArn};
// REQUEST the proxy event's request members with type and methodArn, and
// no body.
func (x *exchange) authorizerRequest(a Authorizer, spec authorizers.Spec) (authorizers.Request, error) {
	in := x.templateInput()
	request := authorizers.Request{MethodARN: x.methodARN(), Stage: x.stage.Name, Scopes: x.route.method.AuthorizationScopes}
	for _, source := range spec.IdentitySource {
		value, _ := resolveMappingSource(source, in)
		request.Identity = append(request.Identity, value)
	}
	var event any
	if a.Type == authorizerToken {
		token := ""
		if len(request.Identity) > 0 {
			token = request.Identity[0]
		}
		event = map[string]string{"type": authorizerToken, "authorizationToken": token, "methodArn": request.MethodARN}
	} else {
		encoded, err := json.Marshal(x.proxyEvent())
		if err != nil {
			return request, err
		}
		var members map[string]any
		if err := json.Unmarshal(encoded, &members); err != nil {
			return request, err
		}
		delete(members, "body")
		delete(members, "isBase64Encoded")
		members["type"], members["methodArn"] = a.Type, request.MethodARN
		event = members
	}
	var err error
	request.Event, err = json.Marshal(event)
	return request, err
}

// authorizerContext is $context.authorizer (and the proxy event's
// requestContext.authorizer): a Lambda authorizer's principalId and context
// keys, with its integrationLatency; a Cognito token's claims.
func authorizerContext(d authorizers.Decision) map[string]any {
	if d.Claims != nil {
		return map[string]any{"claims": d.Claims}
	}
	values := map[string]any{"principalId": d.PrincipalID, "integrationLatency": float64(d.IntegrationLatency.Milliseconds())}
	for key, value := range d.Context {
		values[key] = value
	}
	return values
}

// refuse answers an authorizer's refusal through the API's gateway response
// for its type, or AWS's own body when the API did not customise it.
func (x *exchange) refuse(d authorizers.Decision) {
	kind := responseType{name: d.ResponseType, status: d.Status, errorType: refusalErrorTypes[d.ResponseType], message: d.Message}
	for name, values := range d.Header {
		x.w.Header()[name] = values
	}
	if _, customised := customisation(x.deployment, kind); customised {
		x.fail(kind, "")
		return
	}
	x.w.Header().Set("x-amzn-ErrorType", kind.errorType)
	x.w.Header().Set("Content-Type", "application/json")
	x.w.WriteHeader(d.Status)
	_, _ = x.w.Write(d.Body())
}

var refusalErrorTypes = map[string]string{
	authorizers.ResponseUnauthorized:                 "UnauthorizedException",
	authorizers.ResponseAccessDenied:                 "AccessDeniedException",
	authorizers.ResponseAuthorizerFailure:            "AuthorizerFailureException",
	authorizers.ResponseAuthorizerConfigurationError: "AuthorizerConfigurationException",
}

// Authorizers decides CUSTOM and COGNITO_USER_POOLS methods
// (*authorizers.Authorizers).
type Authorizers interface {
	Authorize(ctx context.Context, spec authorizers.Spec, req authorizers.Request) authorizers.Decision
}

var _ Authorizers = (*authorizers.Authorizers)(nil)
