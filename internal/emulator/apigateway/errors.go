package apigateway

import (
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
