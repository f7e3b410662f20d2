package apigateway

import (
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// The errors apigateway answers. Those marked recorded are AWS's words from
// the recorded REST API cases (test/e2e/emulator_recorded_test.go); the
// others are the emulator's own, AWS's wording being unknown.

func invalidBody(err error) error {
	return core.BadRequest("Invalid request body: %v", err)
}

// invalidLimit is recorded.
func invalidLimit() error {
	return core.BadRequest("Invalid limit specified. Must be between 1 and %d", restMaxPageSize)
}

// emptyName is recorded.
func emptyName() error {
	return core.BadRequest("Name cannot be an empty string")
}

// emptyDescription is recorded.
func emptyDescription() error {
	return core.BadRequest("Description cannot be an empty string")
}

func invalidCompressionSize() error {
	return core.BadRequest("Invalid minimum compression size, must be between 0 and %d", maxMinimumCompressionSize)
}

// noEndpointType is recorded: AWS's answer to "types": [].
func noEndpointType() error {
	return core.BadRequest("REGIONAL Configuration and EDGE Configuration cannot be both DISABLED.")
}

func multipleEndpointTypes() error {
	return core.BadRequest("Cannot create an api with multiple Endpoint Types.")
}

func privateNeedsDualstack() error {
	return core.BadRequest("Only dualstack ipAddressType is supported for Private APIs.")
}

// vpcEndpointsNeedPrivate is not recorded; the rule is the model's doc ("It
// is only supported for PRIVATE endpoint type").
func vpcEndpointsNeedPrivate() error {
	return core.BadRequest("VPC endpoint IDs are only supported for PRIVATE APIs.")
}

func invalidPolicy() error {
	return core.BadRequest("Invalid policy document. Please check the policy syntax and try again.")
}

func policyTooLong() error {
	return core.BadRequest("Policy document exceeds the maximum length of %d characters.", maxRestPolicyLength)
}

// cloneFromUnsupported says so rather than silently creating an empty API.
func cloneFromUnsupported() error {
	return core.BadRequest("cloneFrom is not supported by the emulator")
}

// Patches.

func patchOfWholeBinaryMediaTypes() error {
	return core.BadRequest("Invalid patch path /binaryMediaTypes")
}

func invalidPatchOp(allowed []string) error {
	return core.BadRequest("Invalid patch operation specified. Must be one of: [%s]", strings.Join(allowed, ", "))
}

func endpointTypePatchOpRefused() error {
	return core.BadRequest("Invalid patch operation specified. Must be 'add'|'remove'|'replace'")
}

// invalidPatchPath words an unknown path as AWS does on other v1 resources
// (the double space is AWS's); valid lists the paths the op may take.
func invalidPatchPath(op restPatchOperation, valid []string) error {
	if len(valid) == 0 {
		return core.BadRequest("Invalid patch path  '%s' specified for op '%s'. Please choose supported operations", op.Path, op.Op)
	}
	return core.BadRequest("Invalid patch path  '%s' specified for op '%s'. Must be one of: [%s]", op.Path, op.Op, strings.Join(valid, ", "))
}

func invalidAPIKeySource() error {
	return core.BadRequest("Invalid API key source specified. Must be one of: [%s]", strings.Join(restAPIKeySourceEnum, ", "))
}

func invalidDisableExecuteAPIEndpoint(value string) error {
	return core.BadRequest("Invalid value for disableExecuteApiEndpoint: %q. Must be true or false", value)
}

func invalidSecurityPolicy(value string) error {
	return core.BadRequest("Invalid securityPolicy specified: %s", value)
}

func invalidEndpointAccessMode(value string) error {
	return core.BadRequest("Invalid endpointAccessMode specified: %s", value)
}

func invalidIPAddressType() error {
	return core.BadRequest("ipAddressType must be either ipv4 or dualstack.")
}

func invalidEndpointType() error {
	return core.BadRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE")
}

func privateToEdge() error {
	return core.BadRequest("Cannot update the endpoint type of a PRIVATE API to EDGE.")
}

func invalidVpcEndpointID() error {
	return core.BadRequest("Invalid VPC endpoint ID specified")
}

func invalidBinaryMediaType() error {
	return core.BadRequest("Invalid binary media type specified for op 'replace'")
}

// Tags.

func invalidResourceARN(arn string) error {
	return core.BadRequest("Invalid resource ARN specified: %s", arn)
}

// invalidTags words a tag violation as apigateway does.
func invalidTags(v *tags.Violation) error {
	return core.BadRequest("%s", v.Message(tags.APIGateway))
}

// REST children. Those marked recorded are AWS's words from the recorded
// REST child cases; the others are listed in docs/emulator.md as inferred.

// limitExceeded is v1's 429 LimitExceededException for a per-API quota.
func limitExceeded(format string, args ...any) error {
	return core.NewError(http.StatusTooManyRequests, "LimitExceededException", format, args...)
}

func notImplemented(operation string) error {
	return core.NewError(http.StatusNotImplemented, "NotImplementedException", "%s is not supported by the emulator", operation)
}

// resourceNotFound is recorded, also for an unknown API on resource,
// method and integration operations.
func resourceNotFound() error { return core.NotFound("Invalid Resource identifier specified") }

// methodNotFound, integrationNotFound and responseNotFound are recorded.
func methodNotFound() error      { return core.NotFound("Invalid Method identifier specified") }
func integrationNotFound() error { return core.NotFound("Invalid Integration identifier specified") }
func responseNotFound() error    { return core.NotFound("Invalid Response status code specified") }

func invalidPathPart() error {
	return core.BadRequest("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.")
}

// greedyParent, siblingNameTaken, secondVariableSibling, cyclicalResources,
// rootPathPartFixed and rootParentFixed are recorded.
func greedyParent(part string) error {
	return core.BadRequest("Cannot create a child of a resource with a greedy path variable: %s", part)
}

func siblingNameTaken(part string) error {
	return core.Conflict("Another resource with the same parent already has this name: %s", part)
}

func secondVariableSibling(sibling string) error {
	return core.BadRequest("A sibling (%s) of this resource already has a variable path part -- only one is allowed", sibling)
}

func cyclicalResources() error { return core.BadRequest("Resources cannot be cyclical.") }
func rootPathPartFixed() error { return core.BadRequest("Root resource cannot update its pathPart.") }
func rootParentFixed() error   { return core.BadRequest("Root resource cannot update its parentId.") }
func rootNotDeletable() error  { return core.BadRequest("Cannot delete the root resource.") }

func tooManyResources() error {
	return limitExceeded("Cannot create more than %d resources for a REST API", maxRestResources)
}

// invalidHTTPMethod, authorizerRequired, validatorNotFound and
// modelIdentifierNotFound are recorded.
func invalidHTTPMethod() error {
	return core.BadRequest("Invalid HttpMethod specified. Valid options are %s", strings.Join(restHTTPMethods, ","))
}

func invalidAuthorizationType() error {
	return core.BadRequest("Invalid authorization type specified. Valid options are %s", strings.Join(restAuthorizationTypes, ","))
}

func authorizerRequired() error {
	return core.BadRequest("Invalid authorizer ID specified. Setting the authorization type to CUSTOM or COGNITO_USER_POOLS requires a valid authorizer.")
}

func validatorNotFound() error {
	return core.NotFound("Invalid Request Validator identifier specified")
}

// unknownMethodValidator is how PutMethod and UpdateMethod refuse an unknown
// requestValidatorId: a 400, where GetRequestValidator answers 404 (recorded).
func unknownMethodValidator() error {
	return core.BadRequest("Invalid Request Validator identifier specified")
}

func modelIdentifierNotFound(name string) error {
	return core.BadRequest("Invalid model identifier specified: %s", name)
}

func methodExists() error { return core.Conflict("Method already exists for this resource") }

func invalidMethodRequestParameter(name string) error {
	return core.BadRequest("Invalid method request parameter name specified: %s", name)
}

// shortInvalidPatchPath is how UpdateMethod words an unknown path (recorded).
func shortInvalidPatchPath(op restPatchOperation) error {
	return core.BadRequest("Invalid patch path %s", op.Path)
}

func invalidPatchBoolean(op restPatchOperation) error {
	return core.BadRequest("Invalid boolean value %q for %s. Must be true or false", op.value(), op.Path)
}

func invalidPatchNumber(op restPatchOperation) error {
	return core.BadRequest("Invalid number value %q for %s", op.value(), op.Path)
}

// integrationMethodRequired, invalidHTTPEndpoint, invalidARN and
// awsIntegrationNeedsPathOrAction: the first is recorded, the others are
// AWS's words as LocalStack's parity tests hold them.
func integrationMethodRequired() error {
	return core.BadRequest("Enumeration value for HttpMethod must be non-empty")
}

func invalidIntegrationMethod() error {
	return core.BadRequest("Invalid integration HTTP method specified. Valid options are %s", strings.Join(restIntegrationMethods, ","))
}

func invalidHTTPEndpoint() error { return core.BadRequest("Invalid HTTP endpoint specified for URI") }
func invalidARN() error          { return core.BadRequest("Invalid ARN specified in the request") }
func awsIntegrationNeedsPathOrAction() error {
	return core.BadRequest("AWS ARN for integration must contain path or action")
}

func vpcLinkConnectionRequired() error {
	return core.BadRequest("connectionId must be set to a VPC link id when connectionType is VPC_LINK")
}

func invalidConnectionType(value string) error {
	return core.BadRequest("Invalid connection type specified: %s. Valid options are INTERNET,VPC_LINK", value)
}

func invalidPassthroughBehavior(value string) error {
	return core.BadRequest("Invalid passthrough behavior specified: %s. Valid options are %s", value, strings.Join(restPassthroughBehavior, ","))
}

func invalidContentHandling(value string) error {
	return core.BadRequest("Invalid content handling specified: %s. Valid options are %s", value, strings.Join(restContentHandling, ","))
}

func invalidTransferMode(value string) error {
	return core.BadRequest("Invalid response transfer mode specified: %s. Valid options are %s", value, strings.Join(restTransferModes, ","))
}

func invalidIntegrationTimeout() error {
	return core.BadRequest("Timeout should be between %d ms and %d ms", minIntegrationTimeout, maxIntegrationTimeout)
}

// Deployments and stages. deploymentInUse is recorded.

func deploymentNotFound() error { return core.NotFound("Invalid Deployment identifier specified") }
func stageNotFound() error      { return core.NotFound("Invalid stage identifier specified") }
func stageExists() error        { return core.Conflict("Stage already exists") }

func deploymentInUse() error {
	return core.BadRequest("Active stages pointing to this deployment must be moved or deleted")
}

func deploymentInUseByCanary() error {
	return core.BadRequest("Active stages with canary settings pointing to this deployment must be moved or deleted")
}

func noMethods() error              { return core.BadRequest("The REST API doesn't contain any methods") }
func noIntegrationForMethod() error { return core.BadRequest("No integration defined for method") }
func privateAPIWithoutPolicy() error {
	return core.BadRequest("Private REST API doesn't have a resource policy attached to it")
}

func canaryNeedsStage() error {
	return core.BadRequest("A canary deployment requires an existing stage")
}

func tooManyStages() error {
	return limitExceeded("Cannot create more than %d stages for a REST API", maxRestStages)
}

func invalidStageName() error {
	return core.BadRequest("Stage name only allows a-zA-Z0-9_- and must be at most 128 characters")
}

func invalidStageVariable(name string) error {
	return core.BadRequest("Invalid stage variable %s: names allow a-zA-Z0-9_ and values [A-Za-z0-9-._~:/?#&=,]", name)
}

func invalidCacheClusterSize(value string) error {
	return core.BadRequest("Invalid cache cluster size specified: %s. Valid options are %s", value, strings.Join(restCacheClusterSizes, ","))
}

func invalidLoggingLevel(value string) error {
	return core.BadRequest("Invalid logging level specified: %s. Valid options are %s", value, strings.Join(restLoggingLevels, ","))
}

func invalidCacheControlStrategy(value string) error {
	return core.BadRequest("Invalid unauthorized cache control header strategy specified: %s. Valid options are %s", value, strings.Join(restCacheControlHeader, ","))
}

func invalidCacheTTL() error { return core.BadRequest("Cache TTL must be between 0 and 3600 seconds") }

func invalidCanaryPercent() error {
	return core.BadRequest("Canary percentTraffic must be a number between 0.0 and 100.0")
}

// restStagePatchPaths is AWS's list of UpdateStage paths, commas missing
// where AWS misses them (recorded).
const restStagePatchPaths = "[/deploymentId, /description, /cacheClusterEnabled, /cacheClusterSize, /clientCertificateId, /accessLogSettings, /accessLogSettings/destinationArn, /accessLogSettings/format, /{resourcePath}/{httpMethod}/metrics/enabled, /{resourcePath}/{httpMethod}/logging/dataTrace, /{resourcePath}/{httpMethod}/logging/loglevel, /{resourcePath}/{httpMethod}/throttling/burstLimit/{resourcePath}/{httpMethod}/throttling/rateLimit/{resourcePath}/{httpMethod}/caching/ttlInSeconds, /{resourcePath}/{httpMethod}/caching/enabled, /{resourcePath}/{httpMethod}/caching/dataEncrypted, /{resourcePath}/{httpMethod}/caching/requireAuthorizationForCacheControl, /{resourcePath}/{httpMethod}/caching/unauthorizedCacheControlHeaderStrategy, /*/*/metrics/enabled, /*/*/logging/dataTrace, /*/*/logging/loglevel, /*/*/throttling/burstLimit /*/*/throttling/rateLimit /*/*/caching/ttlInSeconds, /*/*/caching/enabled, /*/*/caching/dataEncrypted, /*/*/caching/requireAuthorizationForCacheControl, /*/*/caching/unauthorizedCacheControlHeaderStrategy, /variables/{variable_name}, /tracingEnabled]"

// invalidStagePatchPath is recorded.
func invalidStagePatchPath(path string) error {
	return core.BadRequest("Invalid method setting path: %s. Must be one of: %s", path, restStagePatchPaths)
}

// Authorizers. concurrentModification is recorded.

func authorizerNotFound() error { return core.NotFound("Invalid Authorizer identifier specified") }

func concurrentModification() error {
	return core.Conflict("Unable to complete operation due to concurrent modification. Please try again later.")
}

func tooManyAuthorizers() error {
	return limitExceeded("Cannot create more than %d authorizers for a REST API", maxRestAuthorizers)
}

func emptyAuthorizerName() error { return core.BadRequest("Authorizer name must be non-empty") }

func invalidAuthorizerURI() error {
	return core.BadRequest("Invalid Authorizer URI specified: it must be a Lambda function invocation URI (arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations)")
}

func tokenNeedsIdentitySource() error {
	return core.BadRequest("Identity source must be specified for TOKEN authorizers")
}

func cognitoNeedsProviders() error {
	return core.BadRequest("providerARNs must list at least one Cognito user pool for COGNITO_USER_POOLS authorizers")
}

func invalidAuthorizerTTL() error {
	return core.BadRequest("Authorizer result TTL must be between 0 and %d seconds", maxAuthorizerTTLSeconds)
}

func invalidAuthorizerType(value string) error {
	return core.BadRequest("Invalid authorizer type specified: %s. Valid options are %s", value, strings.Join(restAuthorizerTypes, ","))
}

func authorizerInUse(id, verb, path string) error {
	return core.Conflict("Cannot delete authorizer '%s', is referenced in method: %s %s", id, verb, path)
}

// Models. modelNotFound, modelExists, emptyModelName and emptyModelSchema
// are recorded.

func modelNotFound(name string) error { return core.NotFound("Invalid model name specified: %s", name) }
func modelExists() error              { return core.Conflict("Model name already exists for this REST API") }
func emptyModelName() error           { return core.BadRequest("Model name must be non-empty") }

func invalidModelName(name string) error {
	return core.BadRequest("Model name must be alphanumeric: %s", name)
}

func emptyModelSchema() error {
	return core.BadRequest("Model schema must have at least 1 property or array items defined")
}

func invalidModelSchema() error {
	return core.BadRequest("Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]")
}

func modelInUse(name string) error {
	return core.Conflict("Cannot delete model '%s', is referenced in a method request or response", name)
}

// Request validators. invalidRestAPIIdentifier is recorded (CreateRequestValidator).

func invalidRestAPIIdentifier() error {
	return core.BadRequest("Invalid REST API identifier specified")
}

func validatorInUse() error {
	return core.Conflict("Cannot delete a request validator that methods still use")
}

// Gateway responses and documentation.

func gatewayResponseNotFound() error {
	return core.NotFound("Invalid Gateway Response identifier specified")
}

func docPartNotFound() error { return core.NotFound("Invalid Documentation part identifier specified") }
func docVersionNotFound() error {
	return core.NotFound("Invalid Documentation version identifier specified")
}
func docPartExists() error {
	return core.Conflict("Documentation part already exists for this location")
}
func docVersionExists() error { return core.Conflict("Documentation version already exists") }
