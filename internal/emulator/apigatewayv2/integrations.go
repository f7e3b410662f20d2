package apigatewayv2

import (
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

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
			}
			return normaliseIntegration(record.API.ProtocolType, integration)
		},
		stored:    redeploy[Integration],
		deletable: integrationUnused,
		deleted:   func(c *core.Call, record *APIRecord) { record.autoDeploy(c) },
	}}
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
	if integration.ConnectionType != "INTERNET" && integration.ConnectionType != "VPC_LINK" {
		return errInvalidConnectionType.With(integration.ConnectionType)
	}
	if protocolType != "HTTP" {
		return nil
	}
	return normaliseHTTPIntegration(integration)
}

func normaliseHTTPIntegration(integration *Integration) error {
	if integration.IntegrationURI == nil || *integration.IntegrationURI == "" {
		return errIntegrationURIRequired.With(integration.IntegrationType)
	}
	if integration.IntegrationType == "HTTP_PROXY" {
		if integration.IntegrationMethod == nil {
			return errIntegrationMethodRequired.With()
		}
		if integration.PayloadFormatVersion == nil {
			integration.PayloadFormatVersion = ptr("1.0")
		}
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
