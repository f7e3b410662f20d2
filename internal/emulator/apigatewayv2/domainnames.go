package apigatewayv2

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// DomainName is the v2 DomainName object of a shared domain.
type DomainName struct {
	APIMappingSelectionExpression string                    `json:"apiMappingSelectionExpression"`
	DomainName                    string                    `json:"domainName"`
	DomainNameArn                 string                    `json:"domainNameArn"`
	DomainNameConfigurations      []DomainNameConfiguration `json:"domainNameConfigurations"`
	MutualTLSAuthentication       *MutualTLS                `json:"mutualTlsAuthentication,omitempty"`
	RoutingMode                   string                    `json:"routingMode,omitempty"`
	Tags                          map[string]string         `json:"tags"`
}

// DomainNameConfiguration is one endpoint of a domain name.
type DomainNameConfiguration struct {
	APIGatewayDomainName  string     `json:"apiGatewayDomainName,omitempty"`
	CertificateArn        string     `json:"certificateArn,omitempty"`
	CertificateName       string     `json:"certificateName,omitempty"`
	CertificateUploadDate *time.Time `json:"certificateUploadDate,omitempty"`
	DomainNameStatus      string     `json:"domainNameStatus,omitempty"`
	EndpointType          string     `json:"endpointType,omitempty"`
	HostedZoneID          string     `json:"hostedZoneId,omitempty"`
	IPAddressType         string     `json:"ipAddressType,omitempty"`
	SecurityPolicy        string     `json:"securityPolicy,omitempty"`
}

// MutualTLS is mutualTlsAuthentication.
type MutualTLS struct {
	TruststoreURI     string `json:"truststoreUri,omitempty"`
	TruststoreVersion string `json:"truststoreVersion,omitempty"`
}

func domainView(c *core.Call, d *accountwide.Domain) DomainName {
	uploaded := time.Unix(d.CertificateUploadDate, 0).UTC()
	config := DomainNameConfiguration{
		CertificateUploadDate: &uploaded, DomainNameStatus: d.Status, EndpointType: d.EndpointType,
		IPAddressType: d.IPAddressType, SecurityPolicy: d.SecurityPolicy,
	}
	end := d.Endpoint()
	config.APIGatewayDomainName, config.HostedZoneID, config.CertificateArn, config.CertificateName = end.DomainName, end.HostedZoneID, end.CertificateArn, end.CertificateName
	v := DomainName{
		APIMappingSelectionExpression: "$request.basepath",
		DomainName:                    d.Name,
		DomainNameArn:                 d.ARN(c),
		DomainNameConfigurations:      []DomainNameConfiguration{config},
		RoutingMode:                   d.RoutingMode,
		Tags:                          tags.Merge(d.Tags, nil),
	}
	if uri := d.TruststoreURI; uri != "" {
		v.MutualTLSAuthentication = &MutualTLS{uri, d.TruststoreVersion}
	}
	return v
}

// domainInput is the body of CreateDomainName and UpdateDomainName.
type domainInput struct {
	DomainName               *string                   `json:"domainName"`
	DomainNameConfigurations []DomainNameConfiguration `json:"domainNameConfigurations"`
	MutualTLSAuthentication  *MutualTLS                `json:"mutualTlsAuthentication"`
	RoutingMode              *string                   `json:"routingMode"`
	Tags                     map[string]string         `json:"tags"`
}

// apply sets what the input carries onto d and validates the result.
func (in *domainInput) apply(d *accountwide.Domain) error {
	if len(in.DomainNameConfigurations) > 1 {
		return errDomainConfigs.With()
	}
	if len(in.DomainNameConfigurations) == 1 {
		config := in.DomainNameConfigurations[0]
		if config.EndpointType == "" {
			config.EndpointType = accountwide.Regional
		}
		if config.EndpointType != accountwide.Regional && config.EndpointType != accountwide.Edge {
			return errDomainEndpointType.With(config.EndpointType)
		}
		if config.CertificateArn == "" {
			return errDomainCertificate.With()
		}
		d.EndpointType = config.EndpointType
		d.SetCertificate(config.CertificateArn, config.CertificateName)
		if config.SecurityPolicy != "" {
			d.SecurityPolicy = config.SecurityPolicy
		}
		if config.IPAddressType != "" {
			d.IPAddressType = config.IPAddressType
		}
	}
	if !slices.Contains([]string{"TLS_1_0", "TLS_1_2"}, d.SecurityPolicy) && !strings.HasPrefix(d.SecurityPolicy, "SecurityPolicy_") {
		return errDomainPolicy.With(d.SecurityPolicy)
	}
	if m := in.MutualTLSAuthentication; m != nil {
		d.TruststoreURI, d.TruststoreVersion = m.TruststoreURI, m.TruststoreVersion
	}
	if in.RoutingMode != nil {
		d.RoutingMode = *in.RoutingMode
	}
	return nil
}

func domainQuota(operation string) awsquotas.Operation {
	return awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: operation}
}

func (svc *Service) createDomainName(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	var in domainInput
	if err := decodeBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.DomainName == nil || *in.DomainName == "" {
		return 0, nil, errDomainNameRequired.With()
	}
	if len(in.DomainNameConfigurations) == 0 {
		return 0, nil, errDomainConfigs.With()
	}
	d := accountwide.NewDomain(c, strings.ToLower(*in.DomainName))
	d.SecurityPolicy = "TLS_1_2"
	if err := in.apply(d); err != nil {
		return 0, nil, err
	}
	if violation := tags.Check(nil, in.Tags); violation != nil {
		return 0, nil, invalidTags(violation)
	}
	d.Tags = tags.Merge(nil, in.Tags)
	if svc.domains.Domain(c, d.Name) != nil {
		return 0, nil, errConflictDomain.With()
	}
	if len(svc.domains.World(c)) >= accountwide.MaxDomainNames {
		return 0, nil, errTooManyDomains.With(accountwide.MaxDomainNames)
	}
	if err := c.Limit(domainQuota("CreateDomainName")); err != nil {
		return 0, nil, err
	}
	svc.domains.Put(c, d)
	return http.StatusCreated, domainView(c, d), nil
}

func (svc *Service) lookupDomain(c *core.Call, params core.PathParams) (*accountwide.Domain, error) {
	if d := svc.domains.Domain(c, params["domainName"]); d != nil {
		return d, nil
	}
	return nil, errNotFoundDomain.With()
}

func (svc *Service) getDomainName(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := svc.lookupDomain(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, domainView(c, d), nil
}

func (svc *Service) getDomainNames(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	page, err := paginate(r, svc.domains.World(c), func(d *accountwide.Domain) string { return d.Name },
		func(d *accountwide.Domain) DomainName { return domainView(c, d) })
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (svc *Service) updateDomainName(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in domainInput
	if err := decodeBody(body, &in); err != nil {
		return 0, nil, err
	}
	stored, err := svc.lookupDomain(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(domainQuota("UpdateDomainName")); err != nil {
		return 0, nil, err
	}
	d := core.DeepCopy(*stored)
	if err := in.apply(&d); err != nil {
		return 0, nil, err
	}
	svc.domains.Put(c, &d)
	return http.StatusOK, domainView(c, &d), nil
}

func (svc *Service) deleteDomainName(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := svc.lookupDomain(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(domainQuota("DeleteDomainName")); err != nil {
		return 0, nil, err
	}
	svc.domains.Delete(c, d.Name)
	return http.StatusNoContent, nil, nil
}
