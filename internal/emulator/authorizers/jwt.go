package authorizers

import (
	"context"
	"errors"
	"slices"
)

// authorizeJWT is an HTTP API's JWT authorizer: the token of the identity
// source, verified against the issuer's keys, its iss, aud (or client_id),
// exp, nbf and iat, then the route's scopes.
func (a *Authorizers) authorizeJWT(ctx context.Context, spec Spec, req Request) Decision {
	token := bearerToken(firstIdentity(req))
	if token == "" {
		return invalidToken(req.Scopes, errMissingToken.description)
	}
	verified, err := a.verifyToken(ctx, spec.Issuer, token)
	if err != nil {
		return invalidToken(req.Scopes, describe(err))
	}
	if !audienceAccepted(verified, spec.Audience) {
		return invalidToken(req.Scopes, errAudience.description)
	}
	scopes := tokenScopes(verified.raw)
	if !hasAnyScope(scopes, req.Scopes) {
		return insufficientScope(req.Scopes)
	}
	return Decision{Claims: verified.raw, Scopes: scopes}
}

// audienceAccepted applies AWS's audience rule: "the JWT's aud or
// client_id claim must match one of the audience entries ... API Gateway
// validates client_id only if aud is not present."
func audienceAccepted(token verifiedToken, audiences []string) bool {
	if len(token.claims.Audience) > 0 {
		return slices.ContainsFunc(audiences, token.claims.Audience.Contains)
	}
	clientID, _ := token.raw["client_id"].(string)
	return clientID != "" && slices.Contains(audiences, clientID)
}

// firstIdentity is the value of the first identity source, the token of
// JWT, TOKEN and Cognito authorizers.
func firstIdentity(req Request) string {
	if len(req.Identity) == 0 {
		return ""
	}
	return req.Identity[0]
}

// describe is a token refusal's error_description.
func describe(err error) string {
	var refused *tokenError
	if errors.As(err, &refused) {
		return refused.description
	}
	return errMalformedToken.description
}
