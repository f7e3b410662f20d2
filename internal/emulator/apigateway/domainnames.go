package apigateway

import (
	"net/http"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// restDomainName is the v1 DomainName answer of a shared domain.
type restDomainName struct {
	DomainName               string                    `json:"domainName"`
	DomainNameArn            string                    `json:"domainNameArn"`
	CertificateArn           string                    `json:"certificateArn,omitempty"`
	CertificateName          string                    `json:"certificateName,omitempty"`
	CertificateUploadDate    int64                     `json:"certificateUploadDate,omitempty"`
	DistributionDomainName   string                    `json:"distributionDomainName,omitempty"`
	DistributionHostedZoneID string                    `json:"distributionHostedZoneId,omitempty"`
	RegionalCertificateArn   string                    `json:"regionalCertificateArn,omitempty"`
	RegionalCertificateName  string                    `json:"regionalCertificateName,omitempty"`
	RegionalDomainName       string                    `json:"regionalDomainName,omitempty"`
	RegionalHostedZoneID     string                    `json:"regionalHostedZoneId,omitempty"`
	EndpointConfiguration    restEndpointConfiguration `json:"endpointConfiguration"`
	DomainNameStatus         string                    `json:"domainNameStatus"`
	SecurityPolicy           string                    `json:"securityPolicy"`
	MutualTLSAuthentication  *restMutualTLS            `json:"mutualTlsAuthentication,omitempty"`
	Tags                     map[string]string         `json:"tags,omitempty"`
}

type restMutualTLS struct {
	TruststoreURI     string `json:"truststoreUri,omitempty"`
	TruststoreVersion string `json:"truststoreVersion,omitempty"`
}

// domainSecurityPolicies are those a domain name takes (the older two and
// the 2025 ones of the model's enum).
var domainSecurityPolicies = restSecurityPolicyEnum

func restDomainView(c *core.Call, d *accountwide.Domain) restDomainName {
	v := restDomainName{
		DomainName:            d.Name,
		DomainNameArn:         d.ARN(c),
		CertificateUploadDate: d.CertificateUploadDate,
		EndpointConfiguration: restEndpointConfiguration{Types: []string{d.EndpointType}, IPAddressType: d.IPAddressType},
		DomainNameStatus:      d.Status,
		SecurityPolicy:        d.SecurityPolicy,
		Tags:                  tags.Merge(d.Tags, nil),
	}
	if len(v.Tags) == 0 {
		v.Tags = nil
	}
	end := d.Endpoint()
	if d.EndpointType == accountwide.Edge {
		v.CertificateArn, v.CertificateName, v.DistributionDomainName, v.DistributionHostedZoneID = end.CertificateArn, end.CertificateName, end.DomainName, end.HostedZoneID
	} else {
		v.RegionalCertificateArn, v.RegionalCertificateName, v.RegionalDomainName, v.RegionalHostedZoneID = end.CertificateArn, end.CertificateName, end.DomainName, end.HostedZoneID
	}
	if d.TruststoreURI != "" {
		v.MutualTLSAuthentication = &restMutualTLS{d.TruststoreURI, d.TruststoreVersion}
	}
	return v
}

type restDomainInput struct {
	DomainName              *string                  `json:"domainName"`
	CertificateName         string                   `json:"certificateName"`
	CertificateArn          string                   `json:"certificateArn"`
	CertificateBody         string                   `json:"certificateBody"`
	RegionalCertificateName string                   `json:"regionalCertificateName"`
	RegionalCertificateArn  string                   `json:"regionalCertificateArn"`
	EndpointConfiguration   *restEndpointConfigInput `json:"endpointConfiguration"`
	SecurityPolicy          *string                  `json:"securityPolicy"`
	MutualTLSAuthentication *restMutualTLS           `json:"mutualTlsAuthentication"`
	RoutingMode             string                   `json:"routingMode"`
	Tags                    map[string]string        `json:"tags"`
}

func (s *Service) createDomainName(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	var in restDomainInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.DomainName == nil || *in.DomainName == "" {
		return 0, nil, errDomainNameRequired()
	}
	d := accountwide.NewDomain(c, strings.ToLower(*in.DomainName))
	d.EndpointType = accountwide.Edge
	if ec := in.EndpointConfiguration; ec != nil && len(ec.Types) > 0 {
		if len(ec.Types) > 1 || !slices.Contains(restEndpointTypeEnum, ec.Types[0]) {
			return 0, nil, errDomainEndpointType()
		}
		d.EndpointType = ec.Types[0]
	}
	if ec := in.EndpointConfiguration; ec != nil && ec.IPAddressType != nil {
		d.IPAddressType = *ec.IPAddressType
	}
	d.CertificateArn, d.CertificateName = in.CertificateArn, in.CertificateName
	d.RegionalCertificateArn, d.RegionalCertificateName = in.RegionalCertificateArn, in.RegionalCertificateName
	d.SecurityPolicy = "TLS_1_2"
	if in.SecurityPolicy != nil {
		d.SecurityPolicy = *in.SecurityPolicy
	}
	if m := in.MutualTLSAuthentication; m != nil {
		d.TruststoreURI, d.TruststoreVersion = m.TruststoreURI, m.TruststoreVersion
	}
	d.RoutingMode = in.RoutingMode
	if err := checkRestDomain(d, in.CertificateBody != ""); err != nil {
		return 0, nil, err
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	d.Tags = tags.Merge(nil, in.Tags)
	if s.domains.Domain(c, d.Name) != nil {
		return 0, nil, errDomainExists()
	}
	if len(s.domains.World(c)) >= accountwide.MaxDomainNames {
		return 0, nil, accountwide.LimitExceeded("Custom domain names per account and region limit of %d exceeded", accountwide.MaxDomainNames)
	}
	if err := c.Limit(quota("CreateDomainName", "")); err != nil {
		return 0, nil, err
	}
	s.domains.Put(c, d)
	return http.StatusCreated, restDomainView(c, d), nil
}

// checkRestDomain holds a domain to the certificate its endpoint type needs
// and to a known security policy.
func checkRestDomain(d *accountwide.Domain, uploadedCertificate bool) error {
	switch d.EndpointType {
	case accountwide.Edge:
		if d.CertificateArn == "" && !uploadedCertificate {
			return errCertificateRequired(d.EndpointType)
		}
	default:
		if d.RegionalCertificateArn == "" {
			return errCertificateRequired(d.EndpointType)
		}
	}
	if !slices.Contains(domainSecurityPolicies, d.SecurityPolicy) {
		return errDomainSecurityPolicy(d.SecurityPolicy)
	}
	return nil
}

func (s *Service) lookupDomain(c *core.Call, name string) (*accountwide.Domain, error) {
	if d := s.domains.Domain(c, name); d != nil {
		return d, nil
	}
	return nil, errDomainNotFound()
}

func (s *Service) getDomainName(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := s.lookupDomain(c, params["domain_name"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, restDomainView(c, d), nil
}

func (s *Service) getDomainNames(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	page, err := restList(r, s.domains.World(c), func(d *accountwide.Domain) string { return d.Name }, nil,
		func(d *accountwide.Domain) restDomainName { return restDomainView(c, d) })
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// domainPatchPaths are the paths UpdateDomainName takes with replace.
var domainPatchPaths = []string{
	"/certificateArn", "/certificateName", "/regionalCertificateArn", "/regionalCertificateName",
	"/securityPolicy", "/endpointConfiguration/types/{type}", "/endpointConfiguration/ipAddressType",
	"/mutualTlsAuthentication/truststoreUri", "/mutualTlsAuthentication/truststoreVersion",
}

func (s *Service) updateDomainName(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateDomainNameInput")
	if err != nil {
		return 0, nil, err
	}
	stored, err := s.lookupDomain(c, params["domain_name"])
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("UpdateDomainName", "")); err != nil {
		return 0, nil, err
	}
	d := core.DeepCopy(*stored)
	for _, op := range ops {
		if err := patchRestDomain(&d, op); err != nil {
			return 0, nil, err
		}
	}
	if err := checkRestDomain(&d, false); err != nil {
		return 0, nil, err
	}
	s.domains.Put(c, &d)
	return http.StatusOK, restDomainView(c, &d), nil
}

func patchRestDomain(d *accountwide.Domain, op restPatchOperation) error {
	// Everything is replaced; only the mutual TLS settings may be removed.
	if op.Op != "replace" && (op.Op != "remove" || !strings.HasPrefix(op.Path, "/mutualTlsAuthentication")) {
		return invalidPatchOp([]string{"replace"})
	}
	value := op.value()
	switch {
	case op.Path == "/certificateArn":
		d.CertificateArn = value
	case op.Path == "/certificateName":
		d.CertificateName = value
	case op.Path == "/regionalCertificateArn":
		d.RegionalCertificateArn = value
	case op.Path == "/regionalCertificateName":
		d.RegionalCertificateName = value
	case op.Path == "/securityPolicy":
		d.SecurityPolicy = value
	case op.Path == "/endpointConfiguration/ipAddressType":
		d.IPAddressType = value
	case strings.HasPrefix(op.Path, "/endpointConfiguration/types/"):
		if !slices.Contains(restEndpointTypeEnum, value) {
			return errDomainEndpointType()
		}
		d.EndpointType = value
	case op.Path == "/mutualTlsAuthentication/truststoreUri":
		d.TruststoreURI = value
	case op.Path == "/mutualTlsAuthentication/truststoreVersion":
		d.TruststoreVersion = value
	default:
		return invalidPatchPath(op, domainPatchPaths)
	}
	return nil
}

func (s *Service) deleteDomainName(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	d, err := s.lookupDomain(c, params["domain_name"])
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("DeleteDomainName", "")); err != nil {
		return 0, nil, err
	}
	s.domains.Delete(c, d.Name)
	return http.StatusAccepted, nil, nil
}
