package apigatewayv2

import (
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// The errors apigatewayv2 answers, each filled in with the values its
// format names. Only two messages are AWS's recorded words ("allow-credentials
// is not supported if 'allow-origin' is *", and "Active stages pointing to
// this deployment must be moved or deleted", recorded on REST APIs), plus the
// NotFound of an API (core.NotFoundAPI); the rest are the emulator's own
// (docs/emulator.md, "Known differences"). The three ConflictExceptions are
// guesses.
var (
	errInvalidMaxResults      = core.BadRequestMessage("Invalid maxResults value %q: must be an integer between 1 and %d")
	errInvalidPaginationToken = core.BadRequestMessage("Invalid pagination token")

	errNotFoundRoute       = core.NotFoundMessage("Invalid Route identifier specified %s")
	errNotFoundIntegration = core.NotFoundMessage("Invalid Integration identifier specified %s")
	errNotFoundStage       = core.NotFoundMessage("Invalid stage identifier specified %s")
	errNotFoundDeployment  = core.NotFoundMessage("Invalid Deployment identifier specified %s")

	// APIs.
	errInvalidProtocolType           = core.BadRequestMessage("Invalid protocol type %s: must be one of [HTTP, WEBSOCKET]")
	errInvalidName                   = core.BadRequestMessage("Invalid name: must be between 1 and 128 characters")
	errInvalidDescription            = core.BadRequestMessage("Invalid description: must be at most 1024 characters")
	errInvalidVersion                = core.BadRequestMessage("Invalid version: must be between 1 and 64 characters")
	errInvalidIPAddressType          = core.BadRequestMessage("Invalid ipAddressType %s: must be one of [ipv4, dualstack]")
	errInvalidAPIKeySelection        = core.BadRequestMessage("Invalid API Key Selection Expression: %s. Supported expressions: [%s, %s]")
	errCorsOnlyForHTTPAPIs           = core.BadRequestMessage("CORS configuration is supported only for HTTP APIs")
	errRouteSelectionRequired        = core.BadRequestMessage("Route selection expression is required for WEBSOCKET APIs")
	errUnsupportedRouteSelection     = core.BadRequestMessage("Unsupported route selection expression for HTTP API: %s")
	errCredentialsWithWildcardOrigin = core.BadRequestMessage("allow-credentials is not supported if 'allow-origin' is *")
	errInvalidMaxAge                 = core.BadRequestMessage("Invalid maxAge %d: must be between -1 and 86400")
	errQuickCreateNeedsTarget        = core.BadRequestMessage("routeKey and credentialsArn are supported only with target, for quick create")
	errQuickCreateOnlyForHTTPAPIs    = core.BadRequestMessage("Quick create is supported only for HTTP APIs")

	// Routes.
	errInvalidRouteKey          = core.BadRequestMessage("Invalid route key %q: must be $default or METHOD /path, such as GET /pets")
	errEmptyRouteKey            = core.BadRequestMessage("Route key must not be empty")
	errConflictRoute            = core.ConflictMessage("Route with key %s already exists for this API")
	errInvalidAuthorizationType = core.BadRequestMessage("Invalid authorization type %s: must be one of [NONE, AWS_IAM, CUSTOM, JWT]")
	errInvalidTarget            = core.BadRequestMessage("Invalid target %s: must be integrations/{integrationId} of an existing integration")

	// Integrations.
	errInvalidIntegrationType       = core.BadRequestMessage("Invalid integration type %s for %s API: must be one of [%s]")
	errInvalidTimeout               = core.BadRequestMessage("Invalid timeout %d: timeoutInMillis must be between 50 and %d")
	errInvalidConnectionType        = core.BadRequestMessage("Invalid connection type %s: must be one of [INTERNET, VPC_LINK]")
	errIntegrationURIRequired       = core.BadRequestMessage("Integration URI must be specified for %s integrations")
	errIntegrationMethodRequired    = core.BadRequestMessage("Integration method must be specified for HTTP_PROXY integrations")
	errPayloadFormatVersionRequired = core.BadRequestMessage("Payload format version must be specified for AWS_PROXY integrations of HTTP APIs")
	errInvalidPayloadFormatVersion  = core.BadRequestMessage("Invalid payload format version %s for %s integration")
	errIntegrationInUse             = core.ConflictMessage("Integration %s is in use by route %s")

	// Stages and deployments.
	errInvalidStageName          = core.BadRequestMessage("Stage name only allows a-zA-Z0-9_- or $default, up to 128 characters")
	errConflictStage             = core.ConflictMessage("Stage %s already exists")
	errTooManyStages             = core.BadRequestMessage("Stages per API limit of %d exceeded")
	errInvalidDeploymentID       = core.BadRequestMessage("Invalid deployment identifier specified %s")
	errInvalidStageForDeployment = core.BadRequestMessage("Invalid stage identifier specified %s")
	errStageDeploysAutomatically = core.BadRequestMessage("Stage %s has autoDeploy enabled: deployments are created automatically")
	errDeploymentInUse           = core.BadRequestMessage("Active stages pointing to this deployment must be moved or deleted")
	errInvalidResourceARN        = core.BadRequestMessage("Invalid resource ARN %s")
	errTagKeysRequired           = core.BadRequestMessage("tagKeys must be specified")
	errUnparsableBody            = core.BadRequestMessage("Could not parse request body into json: %s")
)

// unparsableBody is errUnparsableBody for core.DecodeJSON.
func unparsableBody(err error) error { return errUnparsableBody.With(err.Error()) }

// invalidTags words a tag violation as apigatewayv2 does.
func invalidTags(v *tags.Violation) error { return core.BadRequest("%s", v.Message(tags.APIGatewayV2)) }
