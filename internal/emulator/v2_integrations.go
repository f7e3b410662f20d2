package emulator

import (
	"net/http"
	"strings"
)

func (svc *v2Service) createIntegration(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	integration := v2Integration{ConnectionType: "INTERNET"}
	if err := decodeBody(body, &integration); err != nil {
		return 0, nil, err
	}
	integration.IntegrationID, integration.APIGatewayManaged = newID(7), false
	if err := normaliseIntegration(record.API.ProtocolType, &integration); err != nil {
		return 0, nil, err
	}
	record.Integrations[integration.IntegrationID] = &integration
	record.autoDeploy(c)
	return http.StatusCreated, integration, nil
}

// normaliseIntegration validates an integration for its API's protocol and
// fills AWS's defaults (timeout, payload format version).
func normaliseIntegration(protocolType string, integration *v2Integration) error {
	maxTimeout := int64(29000)
	allowed := []string{"AWS", "AWS_PROXY", "HTTP", "HTTP_PROXY", "MOCK"}
	if protocolType == "HTTP" {
		maxTimeout, allowed = 30000, []string{"AWS_PROXY", "HTTP_PROXY"}
	}
	if !contains(allowed, integration.IntegrationType) {
		return badRequest("Invalid integration type %s for %s API: must be one of [%s]", integration.IntegrationType, protocolType, strings.Join(allowed, ", "))
	}
	if integration.TimeoutInMillis == nil {
		integration.TimeoutInMillis = ptr(maxTimeout)
	} else if t := *integration.TimeoutInMillis; t < 50 || t > maxTimeout {
		return badRequest("Invalid timeout %d: timeoutInMillis must be between 50 and %d", t, maxTimeout)
	}
	if integration.ConnectionType != "INTERNET" && integration.ConnectionType != "VPC_LINK" {
		return badRequest("Invalid connection type %s: must be one of [INTERNET, VPC_LINK]", integration.ConnectionType)
	}
	if protocolType != "HTTP" {
		return nil
	}
	return normaliseHTTPIntegration(integration)
}

func normaliseHTTPIntegration(integration *v2Integration) error {
	if integration.IntegrationURI == nil || *integration.IntegrationURI == "" {
		return badRequest("Integration URI must be specified for %s integrations", integration.IntegrationType)
	}
	if integration.IntegrationType == "HTTP_PROXY" {
		if integration.IntegrationMethod == nil {
			return badRequest("Integration method must be specified for HTTP_PROXY integrations")
		}
		if integration.PayloadFormatVersion == nil {
			integration.PayloadFormatVersion = ptr("1.0")
		}
	}
	switch {
	case integration.PayloadFormatVersion == nil:
		return badRequest("Payload format version must be specified for AWS_PROXY integrations of HTTP APIs")
	case *integration.PayloadFormatVersion == "1.0":
	case *integration.PayloadFormatVersion == "2.0" && integration.IntegrationType == "AWS_PROXY":
	default:
		return badRequest("Invalid payload format version %s for %s integration", *integration.PayloadFormatVersion, integration.IntegrationType)
	}
	return nil
}

func (svc *v2Service) lookupIntegration(c *call, params pathParams) (*v2APIRecord, *v2Integration, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	integration, ok := record.Integrations[params["integrationId"]]
	if !ok {
		return nil, nil, notFound("Invalid Integration identifier specified %s", params["integrationId"])
	}
	return record, integration, nil
}

func (svc *v2Service) getIntegration(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	_, integration, err := svc.lookupIntegration(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, integration, nil
}

func (svc *v2Service) getIntegrations(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, record.Integrations, func(i *v2Integration) string { return i.IntegrationID }, copyOf[v2Integration])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (svc *v2Service) updateIntegration(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, integration, err := svc.lookupIntegration(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := deepCopy(*integration)
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	updated.IntegrationID, updated.APIGatewayManaged = integration.IntegrationID, integration.APIGatewayManaged
	if err := normaliseIntegration(record.API.ProtocolType, &updated); err != nil {
		return 0, nil, err
	}
	record.Integrations[integration.IntegrationID] = &updated
	record.autoDeploy(c)
	return http.StatusOK, updated, nil
}

// deleteIntegration refuses to orphan routes that target the integration.
func (svc *v2Service) deleteIntegration(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, integration, err := svc.lookupIntegration(c, params)
	if err != nil {
		return 0, nil, err
	}
	target := "integrations/" + integration.IntegrationID
	for _, route := range record.Routes {
		if route.Target != nil && *route.Target == target {
			return 0, nil, conflict("Integration %s is in use by route %s", integration.IntegrationID, route.RouteKey)
		}
	}
	delete(record.Integrations, integration.IntegrationID)
	record.autoDeploy(c)
	return http.StatusNoContent, nil, nil
}

func contains(values []string, v string) bool {
	for _, candidate := range values {
		if candidate == v {
			return true
		}
	}
	return false
}
