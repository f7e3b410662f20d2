package apigateway

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

const (
	restEndpointEdge     = "EDGE"
	restEndpointRegional = "REGIONAL"
	restEndpointPrivate  = "PRIVATE"

	restIPv4      = "ipv4"
	restDualstack = "dualstack"

	// maxMinimumCompressionSize is 10 MiB, AWS's upper bound.
	maxMinimumCompressionSize = 10485760
	// maxRestPolicyLength is the resource-policy quota of REST APIs.
	maxRestPolicyLength = 8192
)

// Enum value sets in the order AWS prints them in its validation messages
// (the recorded messages do not follow the model's order).
var (
	restEndpointTypeEnum   = []string{restEndpointPrivate, restEndpointEdge, restEndpointRegional}
	restIPAddressTypeEnum  = []string{restIPv4, restDualstack}
	restAPIKeySourceEnum   = []string{"HEADER", "AUTHORIZER"}
	restAccessModeEnum     = []string{"BASIC", "STRICT"}
	restSecurityPolicyEnum = []string{
		"TLS_1_0", "TLS_1_2",
		"SecurityPolicy_TLS13_1_3_2025_09", "SecurityPolicy_TLS13_1_3_FIPS_2025_09",
		"SecurityPolicy_TLS13_1_2_PFS_PQ_2025_09", "SecurityPolicy_TLS13_1_2_FIPS_PQ_2025_09",
		"SecurityPolicy_TLS13_1_2_FIPS_PFS_PQ_2025_09", "SecurityPolicy_TLS13_1_2_PQ_2025_09",
		"SecurityPolicy_TLS13_1_2_2021_06", "SecurityPolicy_TLS13_2025_EDGE",
		"SecurityPolicy_TLS12_PFS_2025_EDGE", "SecurityPolicy_TLS12_2018_EDGE",
	}
)

// restCreateInput is the CreateRestApi body. Pointers and nil slices tell a
// member that was not sent from one sent empty, which AWS treats differently
// (description "" and types [] are refused; absent ones get defaults).
type restCreateInput struct {
	Name                      *string                  `json:"name"`
	Description               *string                  `json:"description"`
	Version                   *string                  `json:"version"`
	CloneFrom                 *string                  `json:"cloneFrom"`
	BinaryMediaTypes          []string                 `json:"binaryMediaTypes"`
	MinimumCompressionSize    *int64                   `json:"minimumCompressionSize"`
	APIKeySource              *string                  `json:"apiKeySource"`
	EndpointConfiguration     *restEndpointConfigInput `json:"endpointConfiguration"`
	Policy                    *string                  `json:"policy"`
	Tags                      map[string]string        `json:"tags"`
	DisableExecuteAPIEndpoint *bool                    `json:"disableExecuteApiEndpoint"`
	SecurityPolicy            *string                  `json:"securityPolicy"`
	EndpointAccessMode        *string                  `json:"endpointAccessMode"`
}

type restEndpointConfigInput struct {
	Types          []string `json:"types"`
	IPAddressType  *string  `json:"ipAddressType"`
	VpcEndpointIDs []string `json:"vpcEndpointIds"`
}

// validate applies AWS's checks in AWS's order: first the model validation
// (a ValidationException listing every violation), then the service's own
// rules, of which only the first failing one is reported.
func (in *restCreateInput) validate() error {
	if err := in.validateModel(); err != nil {
		return err
	}
	for _, check := range []func() error{
		in.validateNameAndDescription,
		in.validateCompression,
		in.validateEndpointConfiguration,
		in.validatePolicy,
		func() error { return checkTags(nil, in.Tags) },
		in.validateCloneFrom,
	} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// validateModel reproduces the Coral-style model validation of AWS's front
// end, member by member in the model's order.
func (in *restCreateInput) validateModel() error {
	var v restModelValidation
	const input = "createRestApiInput"
	if in.Name == nil {
		v.null(input + ".name")
	}
	v.enum(input+".apiKeySource", in.APIKeySource, restAPIKeySourceEnum)
	if ec := in.EndpointConfiguration; ec != nil {
		v.enumList(input+".endpointConfiguration.types", ec.Types, restEndpointTypeEnum)
		v.enum(input+".endpointConfiguration.ipAddressType", ec.IPAddressType, restIPAddressTypeEnum)
	}
	v.enum(input+".securityPolicy", in.SecurityPolicy, restSecurityPolicyEnum)
	v.enum(input+".endpointAccessMode", in.EndpointAccessMode, restAccessModeEnum)
	return v.err()
}

func (in *restCreateInput) validateNameAndDescription() error {
	if *in.Name == "" {
		return emptyName()
	}
	if in.Description != nil && *in.Description == "" {
		return emptyDescription()
	}
	return nil
}

func (in *restCreateInput) validateCompression() error {
	if in.MinimumCompressionSize != nil {
		return checkCompressionSize(*in.MinimumCompressionSize)
	}
	return nil
}

func checkCompressionSize(size int64) error {
	if size < 0 || size > maxMinimumCompressionSize {
		return invalidCompressionSize()
	}
	return nil
}

func (in *restCreateInput) validateEndpointConfiguration() error {
	ec := in.EndpointConfiguration
	if ec == nil {
		return nil
	}
	switch {
	case ec.Types != nil && len(ec.Types) == 0:
		return noEndpointType()
	case len(ec.Types) > 1:
		return multipleEndpointTypes()
	}
	private := slices.Equal(ec.Types, []string{restEndpointPrivate})
	if private && ec.IPAddressType != nil && *ec.IPAddressType == restIPv4 {
		return privateNeedsDualstack()
	}
	if !private && len(ec.VpcEndpointIDs) > 0 {
		return vpcEndpointsNeedPrivate()
	}
	return nil
}

func (in *restCreateInput) validatePolicy() error {
	if in.Policy == nil {
		return nil
	}
	return checkRestPolicy(*in.Policy)
}

// checkRestPolicy refuses a policy that is not a JSON object or that exceeds
// the resource-policy quota.
func checkRestPolicy(policy string) error {
	var doc map[string]any
	if err := json.Unmarshal([]byte(policy), &doc); err != nil {
		return invalidPolicy()
	}
	if len(policy) > maxRestPolicyLength {
		return policyTooLong()
	}
	return nil
}

// validateCloneFrom refuses cloneFrom: the emulator does not copy APIs, and
// saying so is better than silently creating an empty one.
func (in *restCreateInput) validateCloneFrom() error {
	if in.CloneFrom != nil {
		return cloneFromUnsupported()
	}
	return nil
}

// build makes the stored API from a validated input, filling AWS's defaults:
// EDGE, ipv4 (dualstack for PRIVATE), apiKeySource HEADER, and a root resource.
func (in *restCreateInput) build(c *core.Call, id string) *restAPI {
	rootID := core.NewID(10)
	api := &restAPI{
		Children:               newRestChildren(rootID),
		ID:                     id,
		Name:                   *in.Name,
		Description:            restDeref(in.Description),
		CreatedDate:            c.Now.Unix(),
		Version:                restDeref(in.Version),
		BinaryMediaTypes:       slices.Clone(in.BinaryMediaTypes),
		MinimumCompressionSize: in.MinimumCompressionSize,
		APIKeySource:           "HEADER",
		EndpointConfiguration:  restEndpointConfiguration{Types: []string{restEndpointEdge}},
		RootResourceID:         rootID,
		SecurityPolicy:         restDeref(in.SecurityPolicy),
		EndpointAccessMode:     restDeref(in.EndpointAccessMode),
	}
	if in.APIKeySource != nil {
		api.APIKeySource = *in.APIKeySource
	}
	if in.DisableExecuteAPIEndpoint != nil {
		api.DisableExecuteAPIEndpoint = *in.DisableExecuteAPIEndpoint
	}
	if ec := in.EndpointConfiguration; ec != nil {
		if ec.Types != nil {
			api.EndpointConfiguration.Types = slices.Clone(ec.Types)
		}
		api.EndpointConfiguration.IPAddressType = restDeref(ec.IPAddressType)
		api.EndpointConfiguration.VpcEndpointIDs = slices.Clone(ec.VpcEndpointIDs)
	}
	if api.EndpointConfiguration.IPAddressType == "" {
		api.EndpointConfiguration.IPAddressType = defaultIPAddressType(api.endpointType())
	}
	if in.Policy != nil {
		api.Policy = storedRestPolicy(*in.Policy, c, id)
	}
	if len(in.Tags) > 0 {
		api.Tags = tags.Merge(nil, in.Tags)
	}
	return api
}

func defaultIPAddressType(endpointType string) string {
	if endpointType == restEndpointPrivate {
		return restDualstack
	}
	return restIPv4
}

// storedRestPolicy turns a validated policy into the form AWS answers with:
// minified, the portable shorthand "execute-api:/..." expanded to the API's
// ARN (ACK, written by AWS, documents that round trip), and JSON-escaped once
// more, quotes and slashes included ({\"Version\":...}), as LocalStack
// issue #3325 and Terraform's unquoting of the policy (PR #4606) show. An
// operator must undo all three before diffing.
func storedRestPolicy(policy string, c *core.Call, id string) string {
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(policy)); err != nil {
		return policy // unreachable: checkRestPolicy ran first
	}
	arn := fmt.Sprintf(`"arn:aws:execute-api:%s:%s:%s/`, c.Region, c.Account, id)
	expanded := strings.ReplaceAll(compact.String(), `"execute-api:/`, arn)
	var quoted bytes.Buffer
	encoder := json.NewEncoder(&quoted)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(expanded); err != nil {
		return expanded
	}
	escaped := strings.TrimSuffix(quoted.String(), "\n")
	return strings.ReplaceAll(escaped[1:len(escaped)-1], "/", `\/`)
}

func restDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// restModelValidation collects model violations and words them as AWS's front
// end does: "N validation error(s) detected: A; B".
type restModelValidation struct{ violations []string }

func (v *restModelValidation) null(member string) {
	v.violations = append(v.violations, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", member))
}

func (v *restModelValidation) enum(member string, value *string, allowed []string) {
	if value != nil && !slices.Contains(allowed, *value) {
		v.violations = append(v.violations, fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
			*value, member, strings.Join(allowed, ", ")))
	}
}

// enumList checks a list of enums; AWS then prints the whole list as the value.
func (v *restModelValidation) enumList(member string, values []string, allowed []string) {
	for _, value := range values {
		if !slices.Contains(allowed, value) {
			v.violations = append(v.violations, fmt.Sprintf("Value '[%s]' at '%s' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [%s]]",
				strings.Join(values, ", "), member, strings.Join(allowed, ", ")))
			return
		}
	}
}

func (v *restModelValidation) err() error {
	switch len(v.violations) {
	case 0:
		return nil
	case 1:
		return core.Validation("1 validation error detected: %s", v.violations[0])
	default:
		return core.Validation("%d validation errors detected: %s", len(v.violations), strings.Join(v.violations, "; "))
	}
}
