package apigateway

import (
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// The errors of the account-wide kinds. Those marked recorded are AWS's
// words (shared/reference/aws-recorded/rest-apikeys-usageplans-cases.json);
// the others are inferred (moto's and LocalStack's wording where they agree,
// else the emulator's own) and listed in docs/emulator.md.

// errAPIKeyNotFound is moto's and LocalStack's wording.
func errAPIKeyNotFound() error { return core.NotFound("Invalid API Key identifier specified") }

// errAPIKeyNameTooLong is recorded.
func errAPIKeyNameTooLong() error {
	return core.BadRequest("Invalid API Key name, can be at most %d characters.", maxAPIKeyName)
}

// errAPIKeyDescription is recorded.
func errAPIKeyDescription() error { return core.BadRequest("Invalid API Key description specified.") }

func errAPIKeyValueLength() error {
	return core.BadRequest("API Key value should be at least %d characters", minAPIKeyValue)
}

func errAPIKeyExists() error { return core.Conflict("API Key already exists") }

func errInvalidStageKey(stageKey string) error {
	return core.BadRequest("Invalid stage key specified: %s", stageKey)
}

func errImportAPIKeysUnsupported() error {
	return core.NewError(http.StatusNotImplemented, "NotImplementedException", "ImportApiKeys is not supported by the emulator")
}

// errUsagePlanNotFound is recorded.
func errUsagePlanNotFound() error { return core.NotFound("Invalid Usage Plan ID specified") }

// errInvalidPlanStage is recorded (remove /apiStages without "apiId:stage").
func errInvalidPlanStage() error { return core.BadRequest("Invalid API Stage specified") }

// errPlanStageNotFound is recorded (remove of a stage the plan lacks); the
// emulator answers it too for an added stage that does not exist.
func errPlanStageNotFound(apiID, stage, planID string) error {
	return core.NotFound("Invalid API Stage {api: %s, stage: %s} specified for usageplan %s", apiID, stage, planID)
}

func errPlanStageExists(apiID, stage string) error {
	return core.Conflict("API Stage {api: %s, stage: %s} already exists in the usage plan", apiID, stage)
}

func errInvalidThrottle() error { return core.BadRequest("Invalid throttle settings specified") }

func errInvalidQuota() error { return core.BadRequest("Invalid quota settings specified") }

func errInvalidQuotaPeriod(period string) error {
	return core.BadRequest("Invalid quota period specified: %s. Must be one of: [DAY, WEEK, MONTH]", period)
}

func errUsageDatesRequired() error { return core.BadRequest("startDate and endDate are required") }

func errInvalidKeyType(keyType string) error {
	return core.BadRequest("Invalid key type specified: %s. Must be API_KEY", keyType)
}

func errUsagePlanKeyExists(keyID, planID string) error {
	return core.Conflict("API Key %s is already in usage plan %s", keyID, planID)
}

func errUsagePlanKeyNotFound() error {
	return core.NotFound("Invalid Usage Plan Key identifier specified")
}

// Domain names and base path mappings.

// errDomainNotFound is moto's wording.
func errDomainNotFound() error { return core.NotFound("Invalid domain name identifier specified") }

// errDomainExists is moto's wording.
func errDomainExists() error { return core.Conflict("The domain name you provided already exists.") }

func errDomainNameRequired() error { return core.BadRequest("No Domain Name specified") }

func errCertificateRequired(endpointType string) error {
	return core.BadRequest("A certificate is required for %s domain names: certificateArn for EDGE, regionalCertificateArn for REGIONAL", endpointType)
}

func errDomainEndpointType() error {
	return core.BadRequest("Invalid EndpointTypes specified. Valid options are REGIONAL,EDGE,PRIVATE")
}

func errDomainSecurityPolicy(policy string) error {
	return core.BadRequest("Invalid security policy specified: %s", policy)
}

func errBasePathNotFound() error {
	return core.NotFound("Invalid base path mapping identifier specified")
}

func errBasePathExists() error { return core.Conflict("Base path already exists for this domain name") }

func errBasePathInvalid() error {
	return core.BadRequest("Base path may contain only a-zA-Z0-9._- and /, and may not start or end with /")
}

func errRestAPIRequired() error { return core.BadRequest("Invalid REST API identifier specified") }

func errMappingStageNotFound() error { return core.BadRequest("Invalid stage identifier specified") }

// VPC links.

func errVpcLinkNotFound() error { return core.NotFound("Invalid Vpc Link identifier specified") }

func errVpcLinkTargets() error {
	return core.BadRequest("VPC link must have exactly one target: the ARN of a Network Load Balancer")
}

// errPlanHasStages is AWS's refusal to delete a usage plan with API stages
// (its words as public SDK issues quote them; not recorded here).
func errPlanHasStages(planID string, stage planAPIStage) error {
	return core.BadRequest("Cannot delete Usage Plan %s because there are API Stages associated with it, including %s:%s", planID, stage.APIID, stage.Stage)
}
