package apigatewayv2

import (
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

const (
	maxAuthorizersPerAPI   = 10
	maxAudiences           = 50
	maxAuthorizerTTL       = 3600
	defaultJWTIdentity     = "$request.header.Authorization"
	authorizerTypeJWT      = "JWT"
	authorizerTypeRequest  = "REQUEST"
	httpIdentitySources    = "$request.header.{name}, $request.querystring.{name}, $context.{name} or $stageVariables.{name}"
	webSocketIdentitySrcs  = "route.request.header.{name}, route.request.querystring.{name}, stageVariables.{name} or context.{name}"
	identityNameCharacters = `[A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+`
)

var (
	httpIdentitySource      = regexp.MustCompile(`^\$(request\.(header|querystring)|context|stageVariables)\.` + identityNameCharacters + `$`)
	webSocketIdentitySource = regexp.MustCompile(`^(route\.request\.(header|querystring)|stageVariables|context)\.` + identityNameCharacters + `$`)
)

func (svc *Service) authorizers() childHandlers[Authorizer, Authorizer] {
	return childHandlers[Authorizer, Authorizer]{svc: svc, kind: child[Authorizer, Authorizer]{
		label:    "authorizerId",
		of:       func(record *APIRecord) map[string]*Authorizer { return record.Authorizers },
		idOf:     func(a *Authorizer) string { return a.AuthorizerID },
		notFound: errNotFoundAuthorizer,
		view:     copyOf[Authorizer],
		fresh:    func(*core.Call) *Authorizer { return &Authorizer{} },
		setID:    func(a *Authorizer, id string) { a.AuthorizerID = id },
		idLength: 6,
		prepare: func(_ *core.Call, record *APIRecord, _, authorizer *Authorizer) error {
			if err := normaliseAuthorizer(record.API.ProtocolType, authorizer); err != nil {
				return err
			}
			return record.authorizerStillFits(authorizer)
		},
		stored:    redeploy[Authorizer],
		deletable: authorizerUnused,
		deleted:   func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
		limit:     maxAuthorizersPerAPI, plural: "Authorizers", tooMany: errTooMany,
	}}
}

// normaliseAuthorizer validates an authorizer for its API's protocol and
// fills AWS's defaults (a JWT authorizer reads the Authorization header).
func normaliseAuthorizer(protocolType string, authorizer *Authorizer) error {
	if n := len([]rune(authorizer.Name)); n < 1 || n > 128 {
		return errInvalidAuthorizerName.With()
	}
	allowed := []string{authorizerTypeJWT, authorizerTypeRequest}
	if protocolType == "WEBSOCKET" {
		allowed = allowed[1:]
	}
	if !slices.Contains(allowed, authorizer.AuthorizerType) {
		return errInvalidAuthorizerType.With(authorizer.AuthorizerType, protocolType, strings.Join(allowed, ", "))
	}
	if authorizer.AuthorizerType == authorizerTypeJWT {
		return normaliseJWTAuthorizer(authorizer)
	}
	if authorizer.JWTConfiguration != nil {
		return errJWTConfigurationNotAllowed.With()
	}
	if authorizer.AuthorizerURI == nil || *authorizer.AuthorizerURI == "" {
		return errAuthorizerURIRequired.With()
	}
	if !lambdaInvocationURI.MatchString(*authorizer.AuthorizerURI) {
		return errInvalidAuthorizerURI.With(*authorizer.AuthorizerURI)
	}
	if protocolType == "WEBSOCKET" {
		return validateWebSocketAuthorizer(authorizer)
	}
	return normaliseHTTPRequestAuthorizer(authorizer)
}

func normaliseJWTAuthorizer(authorizer *Authorizer) error {
	jwt := authorizer.JWTConfiguration
	if jwt == nil || jwt.Issuer == nil || *jwt.Issuer == "" {
		return errJWTConfigurationRequired.With()
	}
	if len(jwt.Audience) > maxAudiences {
		return errTooManyAudiences.With(maxAudiences)
	}
	lambdaOnly := map[string]bool{
		"authorizerCredentialsArn":       authorizer.AuthorizerCredentialsArn != nil,
		"authorizerPayloadFormatVersion": authorizer.AuthorizerPayloadFormatVersion != nil,
		"authorizerResultTtlInSeconds":   authorizer.AuthorizerResultTTLInSeconds != nil && *authorizer.AuthorizerResultTTLInSeconds != 0,
		"enableSimpleResponses":          authorizer.EnableSimpleResponses != nil && *authorizer.EnableSimpleResponses,
	}
	if err := refuseSet(lambdaOnly, errLambdaAuthorizersOnly); err != nil {
		return err
	}
	if authorizer.AuthorizerURI != nil {
		return errAuthorizerURINotAllowed.With()
	}
	if len(authorizer.IdentitySource) == 0 {
		authorizer.IdentitySource = []string{defaultJWTIdentity}
	}
	if len(authorizer.IdentitySource) != 1 {
		return errJWTIdentitySource.With()
	}
	return validateIdentitySources(authorizer.IdentitySource, httpIdentitySource, httpIdentitySources)
}

// normaliseHTTPRequestAuthorizer checks an HTTP API Lambda authorizer's
// payload format, simple responses and caching.
func normaliseHTTPRequestAuthorizer(authorizer *Authorizer) error {
	version := authorizer.AuthorizerPayloadFormatVersion
	switch {
	case version == nil:
		return errAuthorizerPayloadRequired.With()
	case *version != "1.0" && *version != "2.0":
		return errInvalidAuthorizerPayload.With(*version)
	case authorizer.EnableSimpleResponses != nil && *authorizer.EnableSimpleResponses && *version != "2.0":
		return errSimpleResponsesNeed2.With()
	}
	if authorizer.EnableSimpleResponses == nil {
		authorizer.EnableSimpleResponses = ptr(false)
	}
	ttl := authorizer.AuthorizerResultTTLInSeconds
	if ttl == nil {
		authorizer.AuthorizerResultTTLInSeconds, ttl = ptr(int64(0)), ptr(int64(0))
	}
	if *ttl < 0 || *ttl > maxAuthorizerTTL {
		return errInvalidAuthorizerTTL.With(*ttl)
	}
	if *ttl > 0 && len(authorizer.IdentitySource) == 0 {
		return errIdentitySourceForCaching.With()
	}
	return validateIdentitySources(authorizer.IdentitySource, httpIdentitySource, httpIdentitySources)
}

// validateWebSocketAuthorizer refuses what only HTTP API authorizers take.
func validateWebSocketAuthorizer(authorizer *Authorizer) error {
	httpOnly := map[string]bool{
		"authorizerPayloadFormatVersion": authorizer.AuthorizerPayloadFormatVersion != nil,
		"enableSimpleResponses":          authorizer.EnableSimpleResponses != nil && *authorizer.EnableSimpleResponses,
	}
	if err := refuseSet(httpOnly, errHTTPOnly); err != nil {
		return err
	}
	if ttl := authorizer.AuthorizerResultTTLInSeconds; ttl != nil && (*ttl < 0 || *ttl > maxAuthorizerTTL) {
		return errInvalidAuthorizerTTL.With(*ttl)
	}
	return validateIdentitySources(authorizer.IdentitySource, webSocketIdentitySource, webSocketIdentitySrcs)
}

func validateIdentitySources(sources []string, pattern *regexp.Regexp, forms string) error {
	for _, source := range sources {
		if !pattern.MatchString(strings.TrimSpace(source)) {
			return errInvalidIdentitySource.With(source, forms)
		}
	}
	return nil
}

// authorizerStillFits refuses an update that changes the type of an
// authorizer routes use for the other type's authorization.
func (record *APIRecord) authorizerStillFits(authorizer *Authorizer) error {
	for _, routeID := range slices.Sorted(maps.Keys(record.Routes)) {
		route := record.Routes[routeID]
		if route.AuthorizerID == nil || *route.AuthorizerID != authorizer.AuthorizerID {
			continue
		}
		needs := map[string]string{authorizationJWT: authorizerTypeJWT, authorizationCustom: authorizerTypeRequest}[route.AuthorizationType]
		if needs != "" && needs != authorizer.AuthorizerType {
			return errAuthorizerTypeMismatch.With(route.AuthorizationType, needs, authorizer.AuthorizerID, authorizer.AuthorizerType)
		}
	}
	return nil
}

// authorizerUnused refuses to delete an authorizer a route uses.
func authorizerUnused(record *APIRecord, authorizer *Authorizer) error {
	for _, routeID := range slices.Sorted(maps.Keys(record.Routes)) {
		route := record.Routes[routeID]
		if route.AuthorizerID != nil && *route.AuthorizerID == authorizer.AuthorizerID {
			return errAuthorizerInUse.With(authorizer.AuthorizerID, route.RouteKey)
		}
	}
	return nil
}
