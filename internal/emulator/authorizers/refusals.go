package authorizers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// The messages of a Lambda authorizer's policy refusals in REST and
// WebSocket APIs. AWS added "in an identity-based policy" to the explicit
// deny's wording in 2025; older captures end at "explicit deny".
const (
	MessageImplicitDeny = "User is not authorized to access this resource"
	MessageExplicitDeny = "User is not authorized to access this resource with an explicit deny in an identity-based policy"
)

// The x-amzn-ErrorType values REST and WebSocket refusals carry.
const (
	errorTypeUnauthorized         = "UnauthorizedException"
	errorTypeAccessDenied         = "AccessDeniedException"
	errorTypeAuthorizerConfigured = "AuthorizerConfigurationException"
)

// unauthorized is the 401 of a missing or refused identity: {"message":
// "Unauthorized"} in every kind of API.
func unauthorized(api APIType) Decision {
	return refusal(api, http.StatusUnauthorized, execute.MessageUnauthorized, ResponseUnauthorized, errorTypeUnauthorized)
}

// accessDenied is the 403 of a Lambda authorizer's policy (or simple
// response) that does not allow the request. HTTP APIs answer
// {"message":"Forbidden"}; REST and WebSocket APIs name the kind of deny,
// under a capitalised "Message" as captures of AWS's answers show.
func accessDenied(api APIType, explicit bool) Decision {
	if api == APIHTTP {
		return refusal(api, http.StatusForbidden, execute.MessageForbidden, ResponseAccessDenied, "")
	}
	message := MessageImplicitDeny
	if explicit {
		message = MessageExplicitDeny
	}
	decision := refusal(api, http.StatusForbidden, message, ResponseAccessDenied, errorTypeAccessDenied)
	decision.messageKey = "Message"
	return decision
}

// authorizerFailed is the 500 of an authorizer that could not decide: the
// function could not be invoked, failed, or answered in a shape API Gateway
// does not read. HTTP APIs answer {"message":"Internal Server Error"}; REST
// and WebSocket APIs {"message":null} with AuthorizerConfigurationException.
// responseType tells the REST gateway responses apart: the function failing
// is AUTHORIZER_FAILURE, the function being unusable
// AUTHORIZER_CONFIGURATION_ERROR.
func authorizerFailed(api APIType, responseType string) Decision {
	message := ""
	if api == APIHTTP {
		message = execute.MessageInternalServerError
	}
	return refusal(api, http.StatusInternalServerError, message, responseType, errorTypeAuthorizerConfigured)
}

// refusal builds a refused decision; errorType goes into x-amzn-ErrorType
// for REST and WebSocket APIs, whose answers carry it.
func refusal(api APIType, status int, message, responseType, errorType string) Decision {
	decision := Decision{Status: status, Message: message, ResponseType: responseType}
	if errorType != "" && api != APIHTTP {
		decision.Header = http.Header{"X-Amzn-Errortype": {errorType}}
	}
	return decision
}

// invalidToken is a JWT authorizer's 401 with the RFC 6750 challenge AWS
// sends, whose form AWS documents with "the token does not have a valid
// audience": Bearer scope="" error="invalid_token" error_description="...".
func invalidToken(requiredScopes []string, description string) Decision {
	decision := unauthorized(APIHTTP)
	decision.Header = bearerChallenge(requiredScopes, "invalid_token", description)
	return decision
}

// insufficientScope is a JWT authorizer's 403 for a valid token that has
// none of the route's scopes.
func insufficientScope(requiredScopes []string) Decision {
	decision := refusal(APIHTTP, http.StatusForbidden, execute.MessageForbidden, ResponseAccessDenied, "")
	decision.Header = bearerChallenge(requiredScopes, "insufficient_scope", "the token does not have any of the route's scopes")
	return decision
}

func bearerChallenge(requiredScopes []string, code, description string) http.Header {
	challenge := fmt.Sprintf(`Bearer scope=%q error=%q error_description=%q`,
		strings.Join(requiredScopes, " "), code, description)
	return http.Header{"Www-Authenticate": {challenge}}
}
