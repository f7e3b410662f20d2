package apigatewayv2

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

const maxIntegrationsPerAPI = 300

var (
	lambdaFunctionARN = `arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?`
	// lambdaURI is a Lambda function ARN or API Gateway's invocation URI of
	// one, as AWS_PROXY integrations and REQUEST authorizers name them.
	lambdaURI = regexp.MustCompile(`^(` + lambdaFunctionARN + `|arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/` + lambdaFunctionARN + `/invocations)$`)
	// lambdaInvocationURI is the invocation URI alone.
	lambdaInvocationURI = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:lambda:path/2015-03-31/functions/` + lambdaFunctionARN + `/invocations$`)
	// privateTargetARN is what an HTTP API private integration names: an
	// ALB or NLB listener, or a Cloud Map service.
	privateTargetARN = regexp.MustCompile(`^arn:aws[a-z-]*:(elasticloadbalancing:[a-z0-9-]+:\d{12}:listener/(app|net)/[^/]+/[^/]+/[^/]+|servicediscovery:[a-z0-9-]+:\d{12}:service/srv-[A-Za-z0-9]+)$`)
	// awsServiceURI is a WebSocket AWS integration's service action or path.
	awsServiceURI = regexp.MustCompile(`^arn:aws[a-z-]*:apigateway:[a-z0-9-]+:[a-z0-9.-]+:(action|path)/.+$`)
	// httpRequestParameter is an HTTP API mapping key.
	httpRequestParameter  = regexp.MustCompile(`^((overwrite|append|remove):(header|querystring)\.[A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+|overwrite:path)$`)
	httpResponseParameter = regexp.MustCompile(`^(overwrite:statuscode|(overwrite|append|remove):header\.[A-Za-z0-9!#$%&'*+.^_` + "`" + `|~-]+)$`)
	// webSocketRequestParameter is a WebSocket integration request mapping.
	webSocketRequestParameter = regexp.MustCompile(`^integration\.request\.(header|querystring|path)\.[^\s]+$`)
)

// integrationSubtypes are the AWS service integrations of HTTP APIs, each
// with its required request parameters and then its optional ones (AWS's
// "Integration subtype reference").
var integrationSubtypes = map[string][2][]string{
	"EventBridge-PutEvents":            {{"Detail", "DetailType", "Source"}, {"Time", "EventBusName", "Region", "Resources", "TraceHeader"}},
	"SQS-SendMessage":                  {{"QueueUrl", "MessageBody"}, {"DelaySeconds", "MessageAttributes", "MessageDeduplicationId", "MessageGroupId", "MessageSystemAttributes", "Region"}},
	"SQS-ReceiveMessage":               {{"QueueUrl"}, {"AttributeNames", "MaxNumberOfMessages", "MessageAttributeNames", "ReceiveRequestAttemptId", "VisibilityTimeout", "WaitTimeSeconds", "Region"}},
	"SQS-DeleteMessage":                {{"ReceiptHandle", "QueueUrl"}, {"Region"}},
	"SQS-PurgeQueue":                   {{"QueueUrl"}, {"Region"}},
	"AppConfig-GetConfiguration":       {{"Application", "Environment", "Configuration", "ClientId"}, {"ClientConfigurationVersion", "Region"}},
	"Kinesis-PutRecord":                {{"StreamName", "Data", "PartitionKey"}, {"SequenceNumberForOrdering", "ExplicitHashKey", "Region"}},
	"StepFunctions-StartExecution":     {{"StateMachineArn"}, {"Name", "Input", "Region"}},
	"StepFunctions-StartSyncExecution": {{"StateMachineArn"}, {"Name", "Input", "Region", "TraceHeader"}},
	"StepFunctions-StopExecution":      {{"ExecutionArn"}, {"Cause", "Error", "Region"}},
}

func (svc *Service) integrations() childHandlers[Integration, Integration] {
	return childHandlers[Integration, Integration]{svc: svc, kind: child[Integration, Integration]{
		label:    "integrationId",
		of:       func(record *APIRecord) map[string]*Integration { return record.Integrations },
		idOf:     func(i *Integration) string { return i.IntegrationID },
		notFound: errNotFoundIntegration,
		view:     copyOf[Integration],
		fresh:    func(*core.Call) *Integration { return &Integration{ConnectionType: "INTERNET"} },
		prepare: func(_ *core.Call, record *APIRecord, current, integration *Integration) error {
			if current == nil {
				integration.IntegrationID, integration.APIGatewayManaged = core.NewID(7), false
			} else {
				integration.IntegrationID, integration.APIGatewayManaged = current.IntegrationID, current.APIGatewayManaged
				applyUpdateRemovals(current, integration)
			}
			return normaliseIntegration(record.API.ProtocolType, integration)
		},
		stored:    redeploy[Integration],
		deletable: integrationUnused,
		deleted: func(c *core.Call, record *APIRecord) {
			for integrationID := range record.IntegrationResponses {
				if record.Integrations[integrationID] == nil {
					delete(record.IntegrationResponses, integrationID)
				}
			}
			record.autoDeploy(c)
		},
		limit: maxIntegrationsPerAPI, plural: "Integrations", tooMany: errTooMany,
	}}
}

// applyUpdateRemovals applies what an UpdateIntegration removes, which
// decoding onto the stored integration cannot: request parameters sent
// with an empty value are dropped (the update merges the map, and an empty
// value is how clients such as Terraform's provider remove a mapping), and
// an integration moved from a VPC link to the internet (connectionType
// INTERNET, with the link's id kept or sent empty) has no VPC link left.
func applyUpdateRemovals(current, integration *Integration) {
	maps.DeleteFunc(integration.RequestParameters, func(_, value string) bool { return value == "" })
	cleared := integration.ConnectionID != nil && *integration.ConnectionID == ""
	leftLink := current.ConnectionType == "VPC_LINK" && integration.ConnectionType == "INTERNET" && sameString(integration.ConnectionID, current.ConnectionID)
	if cleared || leftLink {
		integration.ConnectionID = nil
	}
}

// integrationUnused refuses to orphan routes that target the integration.
func integrationUnused(record *APIRecord, integration *Integration) error {
	target := "integrations/" + integration.IntegrationID
	for _, route := range record.Routes {
		if route.Target != nil && *route.Target == target {
			return errIntegrationInUse.With(integration.IntegrationID, route.RouteKey)
		}
	}
	return nil
}

// normaliseIntegration validates an integration for its API's protocol and
// fills AWS's defaults (timeout, payload format version).
func normaliseIntegration(protocolType string, integration *Integration) error {
	maxTimeout := int64(29000)
	allowed := []string{"AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"}
	if protocolType == "HTTP" {
		maxTimeout, allowed = 30000, []string{"AWS_PROXY", "HTTP_PROXY"}
	}
	if !slices.Contains(allowed, integration.IntegrationType) {
		return errInvalidIntegrationType.With(integration.IntegrationType, protocolType, strings.Join(allowed, ", "))
	}
	if integration.TimeoutInMillis == nil {
		integration.TimeoutInMillis = ptr(maxTimeout)
	} else if t := *integration.TimeoutInMillis; t < 50 || t > maxTimeout {
		return errInvalidTimeout.With(t, maxTimeout)
	}
	if err := validateConnection(protocolType, integration); err != nil {
		return err
	}
	if protocolType != "HTTP" {
		return normaliseWebSocketIntegration(integration)
	}
	return normaliseHTTPIntegration(integration)
}

// validateConnection checks connectionType and that connectionId comes
// with VPC_LINK, which only HTTP integrations take. Whether the VPC link
// exists is not checked.
func validateConnection(protocolType string, integration *Integration) error {
	switch integration.ConnectionType {
	case "INTERNET":
		if integration.ConnectionID != nil {
			return errConnectionIDNeedsVPCLink.With()
		}
		return nil
	case "VPC_LINK":
	default:
		return errInvalidConnectionType.With(integration.ConnectionType)
	}
	httpTypes := []string{"HTTP_PROXY"}
	if protocolType != "HTTP" {
		httpTypes = []string{"HTTP", "HTTP_PROXY"}
	}
	if !slices.Contains(httpTypes, integration.IntegrationType) {
		return errVPCLinkNotSupported.With(integration.IntegrationType)
	}
	if integration.ConnectionID == nil || *integration.ConnectionID == "" {
		return errConnectionIDRequired.With()
	}
	return nil
}

func normaliseHTTPIntegration(integration *Integration) error {
	websocketOnly := map[string]bool{
		"contentHandlingStrategy":     integration.ContentHandlingStrategy != nil,
		"passthroughBehavior":         integration.PassthroughBehavior != nil,
		"requestTemplates":            len(integration.RequestTemplates) > 0,
		"templateSelectionExpression": integration.TemplateSelectionExpression != nil,
	}
	if err := refuseSet(websocketOnly, errWebSocketOnly); err != nil {
		return err
	}
	if integration.TLSConfig != nil && integration.ConnectionType != "VPC_LINK" {
		return errTLSConfigNeedsVPCLink.With()
	}
	if err := validateResponseParameters(integration.ResponseParameters); err != nil {
		return err
	}
	if integration.IntegrationSubtype != nil {
		return normaliseSubtypeIntegration(integration)
	}
	if err := validateMappings(integration.RequestParameters, httpRequestParameter, errInvalidIntegrationParam); err != nil {
		return err
	}
	if integration.IntegrationURI == nil || *integration.IntegrationURI == "" {
		return errIntegrationURIRequired.With(integration.IntegrationType)
	}
	uri := *integration.IntegrationURI
	if integration.IntegrationType == "HTTP_PROXY" {
		if err := validateHTTPTarget(integration.ConnectionType, uri); err != nil {
			return err
		}
		if integration.IntegrationMethod == nil {
			return errIntegrationMethodRequired.With()
		}
		if integration.PayloadFormatVersion == nil {
			integration.PayloadFormatVersion = ptr("1.0")
		}
	} else if !lambdaURI.MatchString(uri) {
		return errInvalidLambdaURI.With(uri)
	}
	switch {
	case integration.PayloadFormatVersion == nil:
		return errPayloadFormatVersionRequired.With()
	case *integration.PayloadFormatVersion == "1.0":
	case *integration.PayloadFormatVersion == "2.0" && integration.IntegrationType == "AWS_PROXY":
	default:
		return errInvalidPayloadFormatVersion.With(*integration.PayloadFormatVersion, integration.IntegrationType)
	}
	return nil
}

// validateHTTPTarget checks an HTTP_PROXY URI: a URL on the internet, the
// ARN of a listener or Cloud Map service through a VPC link.
func validateHTTPTarget(connectionType, uri string) error {
	if connectionType == "VPC_LINK" {
		if !privateTargetARN.MatchString(uri) && !isHTTPURL(uri) {
			return errInvalidVPCLinkURI.With(uri)
		}
		return nil
	}
	if !isHTTPURL(uri) {
		return errInvalidHTTPURI.With(uri)
	}
	return nil
}

func isHTTPURL(uri string) bool {
	rest, ok := strings.CutPrefix(uri, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(uri, "http://")
	}
	return ok && rest != "" && !strings.HasPrefix(rest, "/")
}

// normaliseSubtypeIntegration checks an AWS service integration: no URI,
// credentials, and the subtype's request parameters.
func normaliseSubtypeIntegration(integration *Integration) error {
	subtype := *integration.IntegrationSubtype
	params, known := integrationSubtypes[subtype]
	switch {
	case !known:
		return errInvalidSubtype.With(subtype)
	case integration.IntegrationType != "AWS_PROXY":
		return errSubtypeNeedsAWSProxy.With()
	case integration.IntegrationURI != nil:
		return errURIWithSubtype.With(subtype)
	case integration.CredentialsArn == nil || *integration.CredentialsArn == "":
		return errSubtypeNeedsCredentials.With(subtype)
	}
	for _, name := range params[0] {
		if integration.RequestParameters[name] == "" {
			return errSubtypeParameterRequired.With(name, subtype)
		}
	}
	supported := append(slices.Clone(params[0]), params[1]...)
	for _, name := range slices.Sorted(maps.Keys(integration.RequestParameters)) {
		if !slices.Contains(supported, name) {
			return errSubtypeParameterUnknown.With(name, subtype, strings.Join(supported, ", "))
		}
	}
	if integration.PayloadFormatVersion == nil {
		integration.PayloadFormatVersion = ptr("1.0")
	} else if *integration.PayloadFormatVersion != "1.0" {
		return errInvalidPayloadFormatVersion.With(*integration.PayloadFormatVersion, subtype)
	}
	return nil
}

// validateMappings checks that every key has the form pattern gives and a
// value.
func validateMappings(mappings map[string]string, pattern *regexp.Regexp, invalid core.Message) error {
	for _, key := range slices.Sorted(maps.Keys(mappings)) {
		if !pattern.MatchString(key) {
			return invalid.With(key)
		}
		if strings.TrimSpace(mappings[key]) == "" {
			return errEmptyMappingValue.With(key)
		}
	}
	return nil
}

// validateResponseParameters checks HTTP API response mappings: by status
// code, then by what each changes.
func validateResponseParameters(byStatus map[string]map[string]string) error {
	for _, status := range slices.Sorted(maps.Keys(byStatus)) {
		if code, err := strconv.Atoi(status); err != nil || code < 200 || code > 599 {
			return errInvalidResponseStatus.With(status)
		}
		if err := validateMappings(byStatus[status], httpResponseParameter, errInvalidResponseParam); err != nil {
			return err
		}
	}
	return nil
}

// normaliseWebSocketIntegration checks a WebSocket integration's URI for
// its type, the members only HTTP APIs take, and fills payload format 1.0
// and, for non-proxy integrations, passthroughBehavior WHEN_NO_MATCH.
func normaliseWebSocketIntegration(integration *Integration) error {
	httpOnly := map[string]bool{
		"integrationSubtype": integration.IntegrationSubtype != nil,
		"responseParameters": len(integration.ResponseParameters) > 0,
		"tlsConfig":          integration.TLSConfig != nil,
	}
	if err := refuseSet(httpOnly, errHTTPOnly); err != nil {
		return err
	}
	if err := validateMappings(integration.RequestParameters, webSocketRequestParameter, errInvalidWebSocketParam); err != nil {
		return err
	}
	uri := ""
	if integration.IntegrationURI != nil {
		uri = *integration.IntegrationURI
	}
	kind := integration.IntegrationType
	switch {
	case kind == "MOCK":
	case uri == "":
		return errIntegrationURIRequired.With(kind)
	case kind == "AWS_PROXY" && !lambdaURI.MatchString(uri):
		return errInvalidLambdaURI.With(uri)
	case kind == "AWS" && !awsServiceURI.MatchString(uri) && !lambdaURI.MatchString(uri):
		return errInvalidAWSURI.With(uri)
	case kind == "HTTP" || kind == "HTTP_PROXY":
		if err := validateHTTPTarget(integration.ConnectionType, uri); err != nil {
			return err
		}
	}
	if (kind == "HTTP" || kind == "HTTP_PROXY") && integration.IntegrationMethod == nil {
		return errIntegrationMethodRequired.With()
	}
	if integration.PayloadFormatVersion == nil {
		integration.PayloadFormatVersion = ptr("1.0")
	} else if *integration.PayloadFormatVersion != "1.0" {
		return errInvalidPayloadFormatVersion.With(*integration.PayloadFormatVersion, kind)
	}
	if integration.PassthroughBehavior == nil && kind != "AWS_PROXY" && kind != "HTTP_PROXY" {
		integration.PassthroughBehavior = ptr("WHEN_NO_MATCH")
	}
	return validateTemplating(integration.PassthroughBehavior, integration.ContentHandlingStrategy)
}

// validateTemplating checks the enums of WebSocket payload handling.
func validateTemplating(passthrough, contentHandling *string) error {
	if passthrough != nil && !slices.Contains([]string{"WHEN_NO_MATCH", "NEVER", "WHEN_NO_TEMPLATES"}, *passthrough) {
		return errInvalidPassthrough.With(*passthrough)
	}
	return validateContentHandling(contentHandling)
}

func validateContentHandling(strategy *string) error {
	if strategy != nil && *strategy != "CONVERT_TO_BINARY" && *strategy != "CONVERT_TO_TEXT" {
		return errInvalidContentHandling.With(*strategy)
	}
	return nil
}
