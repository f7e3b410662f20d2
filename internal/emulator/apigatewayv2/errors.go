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
	errIntegrationMethodRequired    = core.BadRequestMessage("Integration method must be specified for HTTP and HTTP_PROXY integrations")
	errPayloadFormatVersionRequired = core.BadRequestMessage("Payload format version must be specified for AWS_PROXY integrations of HTTP APIs")
	errInvalidPayloadFormatVersion  = core.BadRequestMessage("Invalid payload format version %s for %s integration")
	errIntegrationInUse             = core.ConflictMessage("Integration %s is in use by route %s")

	// Stages and deployments.
	errInvalidStageName          = core.BadRequestMessage("Stage name only allows a-zA-Z0-9_- or $default, up to 128 characters")
	errConflictStage             = core.ConflictMessage("Stage %s already exists")
	errInvalidDeploymentID       = core.BadRequestMessage("Invalid deployment identifier specified %s")
	errInvalidStageForDeployment = core.BadRequestMessage("Invalid stage identifier specified %s")
	errStageDeploysAutomatically = core.BadRequestMessage("Stage %s has autoDeploy enabled: deployments are created automatically")
	errDeploymentInUse           = core.BadRequestMessage("Active stages pointing to this deployment must be moved or deleted")
	errInvalidResourceARN        = core.BadRequestMessage("Invalid resource ARN %s")
	errTagKeysRequired           = core.BadRequestMessage("tagKeys must be specified")
	errUnparsableBody            = core.BadRequestMessage("Could not parse request body into json: %s")
)

// The control plane's further errors (issue 10). None is AWS's recorded
// wording: each is the emulator's own (docs/emulator.md, "v2: inferred",
// lists them with the code chosen). "Currently, authorization is
// restricted to the $connect route only" is AWS's wording as remembered,
// not as checked.
var (
	errNotFoundAuthorizer          = core.NotFoundMessage("Invalid Authorizer identifier specified %s")
	errNotFoundModel               = core.NotFoundMessage("Invalid Model identifier specified %s")
	errNotFoundRouteResponse       = core.NotFoundMessage("Invalid RouteResponse identifier specified %s")
	errNotFoundIntegrationResponse = core.NotFoundMessage("Invalid IntegrationResponse identifier specified %s")
	errNotFoundRequestParameter    = core.NotFoundMessage("Invalid request parameter key specified %s")
	errNotFoundRouteSettings       = core.NotFoundMessage("No route settings for route key %s in this stage")
	errTooMany                     = core.BadRequestMessage("%s per API limit of %d exceeded")
	errWebSocketOnly               = core.BadRequestMessage("%s is supported only for WebSocket APIs")
	errHTTPOnly                    = core.BadRequestMessage("%s is supported only for HTTP APIs")

	// Routes.
	errGreedyPathNotLast         = core.BadRequestMessage("Invalid route key %q: a greedy path variable {name+} must be the last path segment")
	errReservedRouteKey          = core.BadRequestMessage("Invalid route key %q: route keys starting with $ are reserved; use $connect, $disconnect or $default")
	errAuthorizationOnConnect    = core.BadRequestMessage("Currently, authorization is restricted to the $connect route only")
	errAuthorizerRequired        = core.BadRequestMessage("An authorizerId is required for authorization type %s")
	errInvalidAuthorizer         = core.BadRequestMessage("Invalid authorizer identifier specified %s")
	errAuthorizerTypeMismatch    = core.BadRequestMessage("Authorization type %s requires a %s authorizer; authorizer %s is of type %s")
	errScopesOnlyForJWT          = core.BadRequestMessage("Authorization scopes are supported only for JWT authorization")
	errTooManyScopes             = core.BadRequestMessage("A route can have at most %d authorization scopes")
	errInvalidRouteParameter     = core.BadRequestMessage("Invalid request parameter key %s: must be route.request.header.{name} or route.request.querystring.{name}")
	errInvalidRequestModel       = core.BadRequestMessage("Invalid model %s for content type %s: no model of that name exists")
	errAuthorizerInUse           = core.BadRequestMessage("Cannot delete authorizer %s: it is referenced by route %s")
	errModelInUse                = core.BadRequestMessage("Cannot delete model %s: it is referenced by route %s")
	errInvalidRouteResponseKey   = core.BadRequestMessage("Invalid route response key %s: only $default is supported")
	errConflictRouteResponse     = core.ConflictMessage("Route response with key %s already exists for this route")
	errInvalidIntegrationRespKey = core.BadRequestMessage("Invalid integration response key %s: must be $default or a regular expression between slashes, such as /4\\d{2}/")
	errConflictIntegrationResp   = core.ConflictMessage("Integration response with key %s already exists for this integration")

	// Integrations.
	errInvalidHTTPURI           = core.BadRequestMessage("Invalid integration URI %s: must be an http or https URL")
	errInvalidVPCLinkURI        = core.BadRequestMessage("Invalid integration URI %s: a VPC_LINK integration needs the ARN of a load balancer listener or a Cloud Map service")
	errInvalidLambdaURI         = core.BadRequestMessage("Invalid integration URI %s: must be a Lambda function ARN or its API Gateway invocation URI")
	errInvalidAWSURI            = core.BadRequestMessage("Invalid integration URI %s: must be an API Gateway service ARN, such as arn:aws:apigateway:{region}:{service}:action/{action}")
	errURIWithSubtype           = core.BadRequestMessage("Integration URI is not supported with integration subtype %s")
	errConnectionIDRequired     = core.BadRequestMessage("A connectionId is required for connection type VPC_LINK")
	errConnectionIDNeedsVPCLink = core.BadRequestMessage("connectionId is supported only for connection type VPC_LINK")
	errVPCLinkNotSupported      = core.BadRequestMessage("Connection type VPC_LINK is not supported for %s integrations")
	errTLSConfigNeedsVPCLink    = core.BadRequestMessage("tlsConfig is supported only for private integrations (connection type VPC_LINK)")
	errInvalidSubtype           = core.BadRequestMessage("Invalid integration subtype %s")
	errSubtypeNeedsAWSProxy     = core.BadRequestMessage("Integration subtype is supported only for AWS_PROXY integrations")
	errSubtypeParameterRequired = core.BadRequestMessage("Request parameter %s is required for integration subtype %s")
	errSubtypeParameterUnknown  = core.BadRequestMessage("Request parameter %s is not supported for integration subtype %s; supported: [%s]")
	errSubtypeNeedsCredentials  = core.BadRequestMessage("credentialsArn is required for integration subtype %s")
	errInvalidIntegrationParam  = core.BadRequestMessage("Invalid mapping expression specified: %s. Keys must be {overwrite|append|remove}:header.{name}, {overwrite|append|remove}:querystring.{name} or overwrite:path")
	errEmptyMappingValue        = core.BadRequestMessage("Invalid mapping expression specified: the value of %s must not be empty")
	errInvalidWebSocketParam    = core.BadRequestMessage("Invalid mapping expression specified: %s. Keys must be integration.request.{header|querystring|path}.{name}")
	errInvalidResponseStatus    = core.BadRequestMessage("Invalid response parameters key %s: must be an HTTP status code between 200 and 599")
	errInvalidResponseParam     = core.BadRequestMessage("Invalid mapping expression specified: %s. Keys must be overwrite:statuscode or {overwrite|append|remove}:header.{name}")
	errInvalidPassthrough       = core.BadRequestMessage("Invalid passthrough behavior %s: must be one of [WHEN_NO_MATCH, NEVER, WHEN_NO_TEMPLATES]")
	errInvalidContentHandling   = core.BadRequestMessage("Invalid content handling strategy %s: must be one of [CONVERT_TO_BINARY, CONVERT_TO_TEXT]")

	// Authorizers.
	errInvalidAuthorizerName      = core.BadRequestMessage("Invalid authorizer name: must be between 1 and 128 characters")
	errInvalidAuthorizerType      = core.BadRequestMessage("Invalid authorizer type %s for %s API: must be one of [%s]")
	errJWTConfigurationRequired   = core.BadRequestMessage("jwtConfiguration with an issuer is required for JWT authorizers")
	errJWTConfigurationNotAllowed = core.BadRequestMessage("jwtConfiguration is supported only for JWT authorizers")
	errJWTIdentitySource          = core.BadRequestMessage("A JWT authorizer takes exactly one identity source, such as $request.header.Authorization")
	errTooManyAudiences           = core.BadRequestMessage("A JWT authorizer can have at most %d audiences")
	errAuthorizerURIRequired      = core.BadRequestMessage("authorizerUri is required for REQUEST authorizers")
	errAuthorizerURINotAllowed    = core.BadRequestMessage("authorizerUri is supported only for REQUEST authorizers")
	errInvalidAuthorizerURI       = core.BadRequestMessage("Invalid authorizer URI %s: must be a Lambda function invocation URI, such as arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{functionArn}/invocations")
	errAuthorizerPayloadRequired  = core.BadRequestMessage("authorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs")
	errInvalidAuthorizerPayload   = core.BadRequestMessage("Invalid authorizer payload format version %s: must be 1.0 or 2.0")
	errSimpleResponsesNeed2       = core.BadRequestMessage("enableSimpleResponses is supported only with authorizerPayloadFormatVersion 2.0")
	errInvalidAuthorizerTTL       = core.BadRequestMessage("Invalid authorizerResultTtlInSeconds %d: must be between 0 and 3600")
	errInvalidIdentitySource      = core.BadRequestMessage("Invalid identity source %s: must be %s")
	errLambdaAuthorizersOnly      = core.BadRequestMessage("%s is supported only for REQUEST (Lambda) authorizers")
	errIdentitySourceForCaching   = core.BadRequestMessage("An identity source is required when authorizer caching is enabled (authorizerResultTtlInSeconds > 0)")

	// Models.
	errInvalidModelName   = core.BadRequestMessage("Invalid model name %q: model names must be alphanumeric, up to 128 characters")
	errConflictModel      = core.ConflictMessage("Model name already exists for this API: %s")
	errModelSchemaInvalid = core.BadRequestMessage("Invalid model schema specified: %s")

	// Stages and deployments.
	errDeploymentIDWithAutoDeploy = core.BadRequestMessage("Deployment id cannot be specified for a stage with autoDeploy enabled")
	errDefaultStageHTTPOnly       = core.BadRequestMessage("The $default stage is supported only for HTTP APIs")
	errRouteSettingsUnknownRoute  = core.BadRequestMessage("Unable to find route by key %s within the provided route settings")
	errInvalidLoggingLevel        = core.BadRequestMessage("Invalid logging level %s: must be one of [ERROR, INFO, OFF]")
	errInvalidThrottling          = core.BadRequestMessage("Invalid throttling settings for %s: throttlingBurstLimit and throttlingRateLimit must not be negative")
	errInvalidStageVariableName   = core.BadRequestMessage("Invalid stage variable name %s: names can only contain alphanumeric and underscore characters")
	errInvalidStageVariableValue  = core.BadRequestMessage("Invalid stage variable value for %s: values must match [A-Za-z0-9-._~:/?#&=,]+ and be at most 2048 characters")
	errTooManyStageVariables      = core.BadRequestMessage("A stage can have at most %d stage variables")
	errInvalidAccessLogARN        = core.BadRequestMessage("Invalid access log destination ARN %s: must be the ARN of a CloudWatch Logs log group")
	errAccessLogFormat            = core.BadRequestMessage("Access log settings need both a destinationArn and a format of at most 3 KB that contains $context.requestId")
)

// unparsableBody is errUnparsableBody for core.DecodeJSON.
func unparsableBody(err error) error { return errUnparsableBody.With(err.Error()) }

// invalidTags words a tag violation as apigatewayv2 does.
func invalidTags(v *tags.Violation) error { return core.BadRequest("%s", v.Message(tags.APIGatewayV2)) }
