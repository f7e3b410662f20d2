package authorizers

import (
	"context"
	"strings"

	"github.com/go-jose/go-jose/v4/jwt"
)

// authorizeCognito is a REST API's COGNITO_USER_POOLS authorizer: the token
// of the identity source must come from one of the authorizer's user pools
// and be valid. A method without scopes takes ID tokens; a method with
// scopes takes access tokens that carry one of them (AWS: "If you didn't
// configure any scopes on the API Gateway method, then make sure that you
// use a valid ID token. If you configure additional scopes ..., then make
// sure that you use a valid access token"). Every refusal is a 401.
func (a *Authorizers) authorizeCognito(ctx context.Context, spec Spec, req Request) Decision {
	token := bearerToken(firstIdentity(req))
	if token == "" {
		return unauthorized(spec.API)
	}
	issuer, ok := a.userPoolIssuer(spec.ProviderARNs, token)
	if !ok {
		return unauthorized(spec.API)
	}
	verified, err := a.verifyToken(ctx, issuer, token)
	if err != nil {
		return unauthorized(spec.API)
	}
	if !tokenFitsMethod(verified.raw, req.Scopes) {
		return unauthorized(spec.API)
	}
	return Decision{Claims: verified.raw, Scopes: tokenScopes(verified.raw)}
}

// tokenFitsMethod checks the token's kind (Cognito's token_use claim) and,
// for access tokens, the method's scopes.
func tokenFitsMethod(claims map[string]any, methodScopes []string) bool {
	tokenUse, _ := claims["token_use"].(string)
	if len(methodScopes) == 0 {
		return tokenUse == "id"
	}
	return tokenUse == "access" && hasAnyScope(tokenScopes(claims), methodScopes)
}

// userPoolIssuer is the issuer of the authorizer's user pool that the
// token names as its iss. The claim is read before the signature is
// checked only to choose the pool; verifyToken then checks it.
func (a *Authorizers) userPoolIssuer(providerARNs []string, token string) (string, bool) {
	parsed, err := jwt.ParseSigned(token, signingAlgorithms)
	if err != nil {
		return "", false
	}
	var claims jwt.Claims
	if err := parsed.UnsafeClaimsWithoutVerification(&claims); err != nil {
		return "", false
	}
	for _, poolARN := range providerARNs {
		if issuer, ok := a.poolIssuer(poolARN); ok && issuer == claims.Issuer {
			return issuer, true
		}
	}
	return "", false
}

// poolIssuer is the issuer URL of a user pool: the local issuer
// Config.CognitoIssuer maps it to, or the pool's AWS issuer
// https://cognito-idp.{region}.amazonaws.com/{poolId}.
func (a *Authorizers) poolIssuer(poolARN string) (string, bool) {
	if a.cfg.CognitoIssuer != nil {
		if issuer, ok := a.cfg.CognitoIssuer(poolARN); ok {
			return issuer, true
		}
	}
	region, poolID, ok := parseUserPoolARN(poolARN)
	if !ok {
		return "", false
	}
	return "https://cognito-idp." + region + ".amazonaws.com/" + poolID, true
}

// parseUserPoolARN reads arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}.
func parseUserPoolARN(poolARN string) (region, poolID string, ok bool) {
	parts := strings.SplitN(poolARN, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "cognito-idp" || parts[3] == "" {
		return "", "", false
	}
	poolID, found := strings.CutPrefix(parts[5], "userpool/")
	if !found || poolID == "" {
		return "", "", false
	}
	return parts[3], poolID, true
}
