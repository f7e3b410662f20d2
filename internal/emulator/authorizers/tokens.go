package authorizers

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// signingAlgorithms are the algorithms a token may be signed with. AWS: "Currently,
// only RSA-based algorithms are supported" (HTTP API JWT authorizers);
// Cognito signs with RS256.
var signingAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.RS384, jose.RS512}

// clockSkew is the leeway given to exp, nbf and iat. AWS documents none
// ("exp must be after the current time", "nbf must be before the current
// time"), so none is given.
const clockSkew = time.Duration(0)

// tokenError is why a token was refused, worded for the error_description
// of the WWW-Authenticate challenge.
type tokenError struct{ description string }

func (e *tokenError) Error() string { return e.description }

// The reasons a token is refused. AWS documents the audience's wording;
// the others are worded in its manner (inferred).
var (
	errMissingToken    = &tokenError{"the token is missing"}
	errMalformedToken  = &tokenError{"the token is not a valid JWT"}
	errAlgorithm       = &tokenError{"the token's signing algorithm is not supported"}
	errUnknownKey      = &tokenError{"the token's signing key (kid) is not one of the issuer's"}
	errKeysUnavailable = &tokenError{"the issuer's signing keys could not be fetched"}
	errSignature       = &tokenError{"the token's signature is not valid"}
	errIssuer          = &tokenError{"the token does not have a valid issuer"}
	errAudience        = &tokenError{"the token does not have a valid audience"}
	errExpired         = &tokenError{"the token has expired"}
	errNotYetValid     = &tokenError{"the token is not valid yet"}
	errIssuedInFuture  = &tokenError{"the token was issued in the future"}
	errMissingExpiry   = &tokenError{"the token has no exp claim"}
)

// verifiedToken is a token whose signature, issuer and lifetime were
// checked.
type verifiedToken struct {
	claims jwt.Claims
	raw    map[string]any
}

// verifyToken checks the token's signature with the issuer's keys, its iss
// claim against issuer and its exp, nbf and iat claims against now. The
// audience is the caller's to check, as JWT and Cognito authorizers check
// it differently.
func (a *Authorizers) verifyToken(ctx context.Context, issuer, token string) (verifiedToken, error) {
	parsed, err := jwt.ParseSigned(token, signingAlgorithms)
	if err != nil {
		var wrongAlgorithm *jose.ErrUnexpectedSignatureAlgorithm
		if errors.As(err, &wrongAlgorithm) {
			return verifiedToken{}, errAlgorithm
		}
		return verifiedToken{}, errMalformedToken
	}
	key, err := a.keys.key(ctx, issuer, parsed.Headers[0].KeyID)
	if err != nil {
		if errors.Is(err, errUnknownKey) {
			return verifiedToken{}, errUnknownKey
		}
		return verifiedToken{}, errKeysUnavailable
	}
	var verified verifiedToken
	// Verified first on its own, so a bad signature and bad claims are told
	// apart.
	if err := parsed.Claims(key.Key); err != nil {
		return verifiedToken{}, errSignature
	}
	if err := parsed.Claims(key.Key, &verified.claims, &verified.raw); err != nil {
		return verifiedToken{}, errMalformedToken
	}
	if verified.claims.Issuer != issuer {
		return verifiedToken{}, errIssuer
	}
	if err := a.checkLifetime(verified.claims); err != nil {
		return verifiedToken{}, err
	}
	return verified, nil
}

// checkLifetime applies AWS's exp, nbf and iat rules. A token without exp is
// refused (inferred: AWS lists exp among the claims it validates).
func (a *Authorizers) checkLifetime(claims jwt.Claims) error {
	now := a.cfg.Now()
	switch {
	case claims.Expiry == nil:
		return errMissingExpiry
	case !now.Before(claims.Expiry.Time().Add(clockSkew)):
		return errExpired
	case claims.NotBefore != nil && now.Add(clockSkew).Before(claims.NotBefore.Time()):
		return errNotYetValid
	case claims.IssuedAt != nil && now.Add(clockSkew).Before(claims.IssuedAt.Time()):
		return errIssuedInFuture
	}
	return nil
}

// tokenScopes are the token's scopes: its scope claim (space-separated, as
// OAuth 2.0 and Cognito write it) or its scp claim (an array, or a string,
// as some issuers write it).
func tokenScopes(raw map[string]any) []string {
	if scope, ok := raw["scope"].(string); ok {
		return strings.Fields(scope)
	}
	switch scp := raw["scp"].(type) {
	case string:
		return strings.Fields(scp)
	case []any:
		var scopes []string
		for _, value := range scp {
			if scope, ok := value.(string); ok {
				scopes = append(scopes, scope)
			}
		}
		return scopes
	}
	return nil
}

// hasAnyScope reports whether the token has one of the required scopes;
// requiring none is always met.
func hasAnyScope(tokenScopes, required []string) bool {
	if len(required) == 0 {
		return true
	}
	for _, scope := range required {
		if slices.Contains(tokenScopes, scope) {
			return true
		}
	}
	return false
}

// bearerToken is the token of an identity source value, which may carry it
// alone or after "Bearer " (AWS: "The identitySource can include only the
// token, or the token prefixed with Bearer").
func bearerToken(value string) string {
	value = strings.TrimSpace(value)
	if len(value) > len("Bearer ") && strings.EqualFold(value[:len("Bearer ")], "Bearer ") {
		return strings.TrimSpace(value[len("Bearer "):])
	}
	return value
}
