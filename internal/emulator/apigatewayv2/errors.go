package apigatewayv2

import (
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// The errors apigatewayv2 answers. Only two messages are AWS's recorded
// words ("allow-credentials is not supported if 'allow-origin' is *" and
// "Active stages pointing to this deployment must be moved or deleted", the
// latter recorded on REST APIs), plus the NotFound of an API; the rest are
// the emulator's own (docs/emulator.md, "Known differences").

func unparsableBody(err error) error {
	return core.BadRequest("Could not parse request body into json: %s", err.Error())
}

func invalidMaxResults(raw string) error {
	return core.BadRequest("Invalid maxResults value %q: must be an integer between 1 and %d", raw, maxPageSize)
}

func invalidPaginationToken() error { return core.BadRequest("Invalid pagination token") }

func notFoundRoute(id string) error {
	return core.NotFound("Invalid Route identifier specified %s", id)
}

func notFoundIntegration(id string) error {
	return core.NotFound("Invalid Integration identifier specified %s", id)
}

func notFoundStage(name string) error {
	return core.NotFound("Invalid stage identifier specified %s", name)
}

func notFoundDeployment(id string) error {
	return core.NotFound("Invalid Deployment identifier specified %s", id)
}

// APIs.

func invalidProtocolType(protocolType string) error {
	return core.BadRequest("Invalid protocol type %s: must be one of [HTTP, WEBSOCKET]", protocolType)
}

func invalidName() error {
	return core.BadRequest("Invalid name: must be between 1 and 128 characters")
}

func invalidDescription() error {
	return core.BadRequest("Invalid description: must be at most 1024 characters")
}

func invalidVersion() error {
	return core.BadRequest("Invalid version: must be between 1 and 64 characters")
}

func invalidIPAddressType(value string) error {
	return core.BadRequest("Invalid ipAddressType %s: must be one of [ipv4, dualstack]", value)
}

func invalidAPIKeySelection(expression string) error {
	return core.BadRequest("Invalid API Key Selection Expression: %s. Supported expressions: [%s, %s]",
		expression, defaultAPIKeySelection, authorizerAPIKeySelection)
}

func corsOnlyForHTTPAPIs() error {
	return core.BadRequest("CORS configuration is supported only for HTTP APIs")
}

func routeSelectionRequired() error {
	return core.BadRequest("Route selection expression is required for WEBSOCKET APIs")
}

func unsupportedRouteSelection(expression string) error {
	return core.BadRequest("Unsupported route selection expression for HTTP API: %s", expression)
}

func credentialsWithWildcardOrigin() error {
	return core.BadRequest("allow-credentials is not supported if 'allow-origin' is *")
}

func invalidMaxAge(maxAge int64) error {
	return core.BadRequest("Invalid maxAge %d: must be between -1 and 86400", maxAge)
}

func quickCreateNeedsTarget() error {
	return core.BadRequest("routeKey and credentialsArn are supported only with target, for quick create")
}

func quickCreateOnlyForHTTPAPIs() error {
	return core.BadRequest("Quick create is supported only for HTTP APIs")
}

// Routes.

func invalidRouteKey(routeKey string) error {
	return core.BadRequest("Invalid route key %q: must be $default or METHOD /path, such as GET /pets", routeKey)
}

func emptyRouteKey() error { return core.BadRequest("Route key must not be empty") }

// conflictRoute is a guess: AWS's answer to a duplicate route key is not
// recorded.
func conflictRoute(routeKey string) error {
	return core.Conflict("Route with key %s already exists for this API", routeKey)
}

func invalidAuthorizationType(authorizationType string) error {
	return core.BadRequest("Invalid authorization type %s: must be one of [NONE, AWS_IAM, CUSTOM, JWT]", authorizationType)
}

func invalidTarget(target string) error {
	return core.BadRequest("Invalid target %s: must be integrations/{integrationId} of an existing integration", target)
}

// Integrations.

func invalidIntegrationType(integrationType, protocolType string, allowed []string) error {
	return core.BadRequest("Invalid integration type %s for %s API: must be one of [%s]", integrationType, protocolType, strings.Join(allowed, ", "))
}

func invalidTimeout(timeout, max int64) error {
	return core.BadRequest("Invalid timeout %d: timeoutInMillis must be between 50 and %d", timeout, max)
}

func invalidConnectionType(connectionType string) error {
	return core.BadRequest("Invalid connection type %s: must be one of [INTERNET, VPC_LINK]", connectionType)
}

func integrationURIRequired(integrationType string) error {
	return core.BadRequest("Integration URI must be specified for %s integrations", integrationType)
}

func integrationMethodRequired() error {
	return core.BadRequest("Integration method must be specified for HTTP_PROXY integrations")
}

func payloadFormatVersionRequired() error {
	return core.BadRequest("Payload format version must be specified for AWS_PROXY integrations of HTTP APIs")
}

func invalidPayloadFormatVersion(version, integrationType string) error {
	return core.BadRequest("Invalid payload format version %s for %s integration", version, integrationType)
}

// conflictIntegrationInUse is a guess, as conflictRoute.
func conflictIntegrationInUse(integrationID, routeKey string) error {
	return core.Conflict("Integration %s is in use by route %s", integrationID, routeKey)
}

// Stages and deployments.

func invalidStageName() error {
	return core.BadRequest("Stage name only allows a-zA-Z0-9_- or $default, up to 128 characters")
}

// conflictStage is a guess, as conflictRoute.
func conflictStage(name string) error { return core.Conflict("Stage %s already exists", name) }

func tooManyStages(limit int) error {
	return core.BadRequest("Stages per API limit of %d exceeded", limit)
}

func invalidDeploymentID(id string) error {
	return core.BadRequest("Invalid deployment identifier specified %s", id)
}

func invalidStageForDeployment(name string) error {
	return core.BadRequest("Invalid stage identifier specified %s", name)
}

func stageDeploysAutomatically(name string) error {
	return core.BadRequest("Stage %s has autoDeploy enabled: deployments are created automatically", name)
}

func deploymentInUse() error {
	return core.BadRequest("Active stages pointing to this deployment must be moved or deleted")
}

// Tags.

func invalidResourceARN(arn string) error { return core.BadRequest("Invalid resource ARN %s", arn) }

func tagKeysRequired() error { return core.BadRequest("tagKeys must be specified") }

// invalidTags words a tag violation as apigatewayv2 does.
func invalidTags(v *tags.Violation) error {
	switch v.Problem {
	case tags.ReservedPrefix:
		return core.BadRequest("Invalid tag key %s: tag keys starting with 'aws:' are reserved", v.Key)
	case tags.KeyLength:
		return core.BadRequest("Invalid tag key %s: tag keys must be between 1 and %d characters", v.Key, tags.MaxKeyLength)
	case tags.ValueLength:
		return core.BadRequest("Invalid tag value for key %s: tag values must be at most %d characters", v.Key, tags.MaxValueLength)
	case tags.Characters:
		return core.BadRequest("Invalid tag %s: tags may contain only letters, numbers, spaces and . : + = @ _ / -", v.Key)
	default:
		return core.BadRequest("Too many tags: a resource can have at most %d tags", tags.MaxPerResource)
	}
}
