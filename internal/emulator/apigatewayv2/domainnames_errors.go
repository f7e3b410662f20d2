package apigatewayv2

import "github.com/runner-codes/infra-operator/internal/emulator/core"

// The errors of domain names, API mappings and VPC links. AWS's words are
// not recorded for any of them: these are inferred (docs/emulator.md).
var (
	errNotFoundDomain     = core.NotFoundMessage("The domain name resource specified in the request was not found.")
	errConflictDomain     = core.ConflictMessage("The domain name resource already exists.")
	errDomainNameRequired = core.BadRequestMessage("DomainName is required")
	errDomainConfigs      = core.BadRequestMessage("Exactly one domain name configuration is supported")
	errDomainCertificate  = core.BadRequestMessage("A certificate ARN is required in the domain name configuration")
	errDomainEndpointType = core.BadRequestMessage("Invalid endpoint type %s: must be one of [REGIONAL, EDGE]")
	errDomainPolicy       = core.BadRequestMessage("Invalid security policy %s: must be one of [TLS_1_0, TLS_1_2]")
	errTooManyDomains     = core.BadRequestMessage("Custom domain names per account and region limit of %d exceeded")

	errNotFoundMapping   = core.NotFoundMessage("Invalid API Mapping identifier specified %s")
	errConflictMapping   = core.ConflictMessage("ApiMapping with key %q already exists for domain name %s")
	errInvalidMappingKey = core.BadRequestMessage("Invalid API mapping key %q: path segments of a-zA-Z0-9._- separated by /")
	errMappingRequires   = core.BadRequestMessage("ApiId and Stage are required")
	errMappingNoStage    = core.NotFoundMessage("Invalid stage identifier specified %s")

	errNotFoundVpcLink = core.NotFoundMessage("Invalid VpcLink identifier specified %s")
	errVpcLinkName     = core.BadRequestMessage("Invalid name: must be between 1 and 128 characters")
	errVpcLinkSubnets  = core.BadRequestMessage("SubnetIds are required")
	errTooManyVpcLinks = core.BadRequestMessage("VPC links per account and region limit of %d exceeded")
)
