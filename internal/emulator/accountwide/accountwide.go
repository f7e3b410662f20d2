// Package accountwide holds what API Gateway keeps per account and region
// rather than per API, and what both API families share: custom domain
// names with their API mappings (one namespace for apigateway and
// apigatewayv2: a name created through one is read, mapped and deleted
// through the other, and a v1 base path mapping is a v2 API mapping), the
// published hosted zone ids, and the PENDING-then-AVAILABLE lifecycle of VPC
// links. It imports only core.
package accountwide

import (
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Endpoint types of a domain name.
const (
	Edge     = "EDGE"
	Regional = "REGIONAL"
	Private  = "PRIVATE"
)

// MaxDomainNames is AWS's quota of custom domain names per account and
// region ("Custom domain names per account per Region: 120").
const MaxDomainNames = 120

// Domain is one custom domain name, in a form both families answer from.
type Domain struct {
	Name string `json:"name"`
	// EndpointType is EDGE, REGIONAL or PRIVATE (v2 shows REGIONAL ones as
	// created; EDGE ones through their CloudFront name).
	EndpointType            string            `json:"endpointType"`
	CertificateArn          string            `json:"certificateArn,omitempty"`
	CertificateName         string            `json:"certificateName,omitempty"`
	RegionalCertificateArn  string            `json:"regionalCertificateArn,omitempty"`
	RegionalCertificateName string            `json:"regionalCertificateName,omitempty"`
	CertificateUploadDate   int64             `json:"certificateUploadDate"`
	SecurityPolicy          string            `json:"securityPolicy"`
	IPAddressType           string            `json:"ipAddressType"`
	Status                  string            `json:"status"`
	RegionalDomainName      string            `json:"regionalDomainName"`
	RegionalHostedZoneID    string            `json:"regionalHostedZoneId"`
	DistributionDomainName  string            `json:"distributionDomainName"`
	TruststoreURI           string            `json:"truststoreUri,omitempty"`
	TruststoreVersion       string            `json:"truststoreVersion,omitempty"`
	RoutingMode             string            `json:"routingMode,omitempty"`
	Tags                    map[string]string `json:"tags,omitempty"`
	// Mappings are the API mappings (v1: base path mappings) by id.
	Mappings map[string]*Mapping `json:"mappings"`
}

// Mapping maps a path of a domain to an API's stage. Key is "" for the
// empty path, which v1 shows as "(none)".
type Mapping struct {
	ID    string `json:"id"`
	APIID string `json:"apiId"`
	Stage string `json:"stage,omitempty"`
	Key   string `json:"key"`
}

// MappingByKey returns the mapping of a path, if any.
func (d *Domain) MappingByKey(key string) *Mapping {
	for _, m := range d.Mappings {
		if m.Key == key {
			return m
		}
	}
	return nil
}

// NewMappingID returns an id no mapping of the domain has.
func (d *Domain) NewMappingID() string {
	for {
		id := core.NewID(6)
		if _, taken := d.Mappings[id]; !taken {
			return id
		}
	}
}

// DistributionHostedZoneID is the hosted zone of every edge-optimized
// endpoint, in every region (the DomainName model's documentation).
const DistributionHostedZoneID = "Z2FDTNDATAQYW2"

// regionalHostedZones are the Route 53 hosted zone ids of API Gateway's
// regional endpoints, from "Amazon API Gateway endpoints and quotas".
var regionalHostedZones = map[string]string{
	"us-east-1":      "Z1UJRXOUMOOFQ8",
	"us-east-2":      "ZOJJZC49E0EPZ",
	"us-west-1":      "Z2MUQ32089INYE",
	"us-west-2":      "Z2OJLYMUO9EFXC",
	"ap-south-1":     "Z3VO1THU9YC4UR",
	"ap-northeast-1": "Z1YSHQZHG15GKL",
	"ap-northeast-2": "Z20JF4UZKIW1U8",
	"ap-northeast-3": "Z2YQB5RD63NC85",
	"ap-southeast-1": "ZL327KTPIQFUL",
	"ap-southeast-2": "Z2RPCDW04V8134",
	"ca-central-1":   "Z19DQILCV0OWEC",
	"eu-central-1":   "Z1U9ULNL0V5AJ3",
	"eu-west-1":      "ZLY8HYME6SFDD",
	"eu-west-2":      "ZJ5UAJN8Y3Z2Q",
	"eu-west-3":      "Z3KY65QIEKYHQQ",
	"sa-east-1":      "ZCMLWB8V5SYIT",
}

// RegionalHostedZoneID is AWS's published zone of a region; regions not in
// the table get a stable made-up id of the same shape.
func RegionalHostedZoneID(region string) string {
	if id, ok := regionalHostedZones[region]; ok {
		return id
	}
	return "Z" + core.StableID("apigateway-zone/"+region, 13)
}

// NewDomain returns a domain with its generated endpoint names, AVAILABLE
// at once (AWS provisions regional names in seconds; the emulator does not
// make clients wait).
func NewDomain(c *core.Call, name string) *Domain {
	return &Domain{
		Name:                   name,
		Status:                 Available,
		IPAddressType:          "ipv4",
		CertificateUploadDate:  c.Now.Unix(),
		RegionalDomainName:     "d-" + core.NewID(10) + ".execute-api." + c.Region + ".amazonaws.com",
		RegionalHostedZoneID:   RegionalHostedZoneID(c.Region),
		DistributionDomainName: "d" + core.NewID(13) + ".cloudfront.net",
		Mappings:               map[string]*Mapping{},
	}
}

// StageLookup tells whether an API of one family exists in the caller's
// world and has a stage of that name.
type StageLookup func(c *core.Call, apiID, stage string) (apiFound, stageFound bool)

// Store holds the domain names of every world. The JSON form is the domains
// alone; the stage lookups are wired by the services at start.
type Store struct {
	Domains core.Worlds[map[string]*Domain] `json:"domains"`
	lookups []StageLookup
}

// NewStore returns a store without domains.
func NewStore() *Store { return &Store{Domains: core.Worlds[map[string]*Domain]{}} }

// World returns the caller's domains by name.
func (s *Store) World(c *core.Call) map[string]*Domain {
	return s.Domains.Of(c, func() map[string]*Domain { return map[string]*Domain{} })
}

// Domain returns a domain of the caller's world, or nil. Names are matched
// case-insensitively, as DNS names are.
func (s *Store) Domain(c *core.Call, name string) *Domain {
	return s.World(c)[strings.ToLower(name)]
}

// Put stores a domain under its lower-cased name.
func (s *Store) Put(c *core.Call, d *Domain) { s.World(c)[strings.ToLower(d.Name)] = d }

// Delete removes a domain and its mappings.
func (s *Store) Delete(c *core.Call, name string) { delete(s.World(c), strings.ToLower(name)) }

// AddLookup registers how one API family finds its APIs' stages.
func (s *Store) AddLookup(l StageLookup) { s.lookups = append(s.lookups, l) }

// FindStage asks every family whether apiID names one of its APIs and
// whether it has the stage.
func (s *Store) FindStage(c *core.Call, apiID, stage string) (apiFound, stageFound bool) {
	for _, lookup := range s.lookups {
		if api, st := lookup(c, apiID, stage); api {
			return true, st
		}
	}
	return false, false
}

// Restore replaces the domains with those of a snapshot, keeping the
// lookups.
func (s *Store) Restore(domains core.Worlds[map[string]*Domain]) {
	if domains == nil {
		domains = core.Worlds[map[string]*Domain]{}
	}
	s.Domains = domains
}

// VPC link statuses. A link is created PENDING and reads AVAILABLE from the
// next read on: AWS takes minutes; tests should not.
const (
	Pending   = "PENDING"
	Available = "AVAILABLE"
)

// Settle moves a PENDING status to AVAILABLE; reads call it before
// answering, so the creating call alone sees PENDING.
func Settle(status *string) {
	if *status == Pending {
		*status = Available
	}
}

// LimitExceeded is v1's 429 LimitExceededException, the answer to a
// resource quota (as opposed to a rate).
func LimitExceeded(format string, args ...any) *core.Error {
	return core.NewError(http.StatusTooManyRequests, "LimitExceededException", format, args...)
}
