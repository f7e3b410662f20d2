package authorizers

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"time"
)

// unauthorizedErrorMessage is the error a Lambda authorizer fails with to
// have API Gateway answer 401 (AWS's blueprints: callback("Unauthorized")).
const unauthorizedErrorMessage = "Unauthorized"

// lambdaResult is a Lambda authorizer's answer as read, before it is
// applied to a method ARN; it is what the result cache keeps.
type lambdaResult struct {
	// policy is an IAM policy answer's document; nil for a simple answer.
	policy *policyDocument
	// authorized is a simple answer's isAuthorized.
	authorized bool

	principalID        string
	context            map[string]any
	usageIdentifierKey string
}

// authorizeLambda is a TOKEN or REQUEST authorizer: the identity sources
// are checked, the result taken from the cache or the function, and then
// applied to the method ARN.
func (a *Authorizers) authorizeLambda(ctx context.Context, spec Spec, req Request) Decision {
	if !identityPresent(spec, req) {
		return unauthorized(spec.API)
	}
	key, cacheable := resultCacheKey(spec, req)
	if cacheable {
		if result, ok := a.cachedResult(key); ok {
			decision := apply(spec, req, result)
			decision.Cached = true
			return decision
		}
	}
	result, refused, latency := a.callAuthorizer(ctx, spec, req)
	if refused != nil {
		refused.IntegrationLatency = latency
		return *refused
	}
	if cacheable {
		a.storeResult(key, result, spec.ResultTTL)
	}
	decision := apply(spec, req, result)
	decision.IntegrationLatency = latency
	return decision
}

// identityPresent applies the checks API Gateway makes before it calls the
// function: a TOKEN authorizer needs a token that matches its validation
// expression; a REQUEST authorizer with identity sources needs every one of
// them ("missing, null, or empty" is a 401).
func identityPresent(spec Spec, req Request) bool {
	if spec.Kind == KindToken {
		token := firstIdentity(req)
		return token != "" && tokenMatchesExpression(token, spec.IdentityValidationExpression)
	}
	if len(req.Identity) < len(spec.IdentitySource) {
		return false
	}
	for _, value := range req.Identity {
		if value == "" {
			return false
		}
	}
	return true
}

// tokenMatchesExpression applies identityValidationExpression to the whole
// token (inferred: AWS's regular expressions are Java's, and a token
// "validated" by one is taken to match it entirely). An expression Go
// cannot compile refuses every token.
func tokenMatchesExpression(token, expression string) bool {
	if expression == "" {
		return true
	}
	pattern, err := regexp.Compile(`^(?:` + expression + `)$`)
	return err == nil && pattern.MatchString(token)
}

// callAuthorizer invokes the function and reads its answer; refused is set
// when there is no answer to apply: the function could not be invoked,
// failed, or answered in a shape API Gateway does not read.
func (a *Authorizers) callAuthorizer(ctx context.Context, spec Spec, req Request) (result lambdaResult, refused *Decision, latency time.Duration) {
	started := a.cfg.Now()
	invocation, err := a.cfg.Functions.InvokeAsAPIGateway(ctx, spec.FunctionARN, spec.SourceARN, req.Event)
	latency = a.cfg.Now().Sub(started)
	if err != nil {
		decision := authorizerFailed(spec.API, ResponseAuthorizerConfigurationError)
		return lambdaResult{}, &decision, latency
	}
	if invocation.FunctionError != "" {
		decision := functionFailed(spec.API, invocation.Payload)
		return lambdaResult{}, &decision, latency
	}
	result, err = readAnswer(spec, invocation.Payload)
	if err != nil {
		decision := authorizerFailed(spec.API, ResponseAuthorizerConfigurationError)
		return lambdaResult{}, &decision, latency
	}
	return result, nil, latency
}

// functionFailed answers a function that failed: with the error message
// "Unauthorized" a REST or WebSocket API answers 401, as AWS documents for
// its blueprints; any other failure is a 500. HTTP APIs document no such
// convention, and answer every failure with 500 (inferred).
func functionFailed(api APIType, errorDocument []byte) Decision {
	var failure struct {
		ErrorMessage string `json:"errorMessage"`
	}
	_ = json.Unmarshal(errorDocument, &failure)
	if api != APIHTTP && failure.ErrorMessage == unauthorizedErrorMessage {
		return unauthorized(api)
	}
	return authorizerFailed(api, ResponseAuthorizerFailure)
}

var errInvalidAnswer = errors.New("the authorizer's answer is not in the format API Gateway reads")

// readAnswer reads the function's answer: a simple response
// ({"isAuthorized": ..., "context": {...}}) for HTTP API authorizers of
// format 2.0 with simple responses, an IAM policy response otherwise.
func readAnswer(spec Spec, payload []byte) (lambdaResult, error) {
	if spec.API == APIHTTP && spec.PayloadFormatVersion == "2.0" && spec.SimpleResponses {
		return readSimpleAnswer(payload)
	}
	return readPolicyAnswer(spec.API, payload)
}

func readSimpleAnswer(payload []byte) (lambdaResult, error) {
	var answer struct {
		IsAuthorized *bool          `json:"isAuthorized"`
		Context      map[string]any `json:"context"`
	}
	if err := json.Unmarshal(payload, &answer); err != nil || answer.IsAuthorized == nil {
		return lambdaResult{}, errInvalidAnswer
	}
	return lambdaResult{authorized: *answer.IsAuthorized, context: answer.Context}, nil
}

func readPolicyAnswer(api APIType, payload []byte) (lambdaResult, error) {
	var answer struct {
		PrincipalID        string          `json:"principalId"`
		PolicyDocument     *policyDocument `json:"policyDocument"`
		Context            map[string]any  `json:"context"`
		UsageIdentifierKey string          `json:"usageIdentifierKey"`
	}
	if err := json.Unmarshal(payload, &answer); err != nil || answer.PolicyDocument == nil {
		return lambdaResult{}, errInvalidAnswer
	}
	if err := answer.PolicyDocument.validate(); err != nil {
		return lambdaResult{}, err
	}
	if api != APIHTTP && !primitiveValues(answer.Context) {
		return lambdaResult{}, errInvalidAnswer
	}
	return lambdaResult{
		policy:             answer.PolicyDocument,
		principalID:        answer.PrincipalID,
		context:            answer.Context,
		usageIdentifierKey: answer.UsageIdentifierKey,
	}, nil
}

// primitiveValues reports whether every context value is a string, number,
// boolean or null: AWS: "You can't set a JSON object or array as a valid
// value of any key in the context map" (REST); the 500 that answers one is
// inferred.
func primitiveValues(context map[string]any) bool {
	for _, value := range context {
		switch value.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

// apply decides the request with the function's answer. A policy is
// evaluated against this request's method ARN, also when it came from the
// cache: a policy cached for one method may not allow another (AWS's
// documented caching pitfall).
func apply(spec Spec, req Request, result lambdaResult) Decision {
	if result.policy == nil {
		if !result.authorized {
			return accessDenied(spec.API, false)
		}
		return Decision{Context: result.context}
	}
	switch result.policy.evaluate(invokeAction, req.MethodARN) {
	case explicitDeny:
		return accessDenied(spec.API, true)
	case implicitDeny:
		return accessDenied(spec.API, false)
	}
	return Decision{
		PrincipalID:        result.principalID,
		Context:            result.context,
		UsageIdentifierKey: result.usageIdentifierKey,
	}
}
