package accountwide

import (
	"encoding/json"
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// Route is one mutating or reading route of an account-wide kind.
func Route(method, pattern, operation string, mutates bool, handle core.HandlerFunc) core.Route {
	return core.Route{Method: method, Pattern: pattern, Operation: operation, Mutates: mutates, Handle: handle}
}

// RestoreLayout decodes a service snapshot written in either layout: the
// current one, an object with the member marker, into current; or the
// layout before the account-wide kinds (the APIs' worlds alone) into older.
func RestoreLayout(raw json.RawMessage, marker string, current, older any) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return err
	}
	if _, ok := members[marker]; ok {
		return json.Unmarshal(raw, current)
	}
	return json.Unmarshal(raw, older)
}

// OrEmpty returns w, or an empty map of worlds when w is nil.
func OrEmpty[T any](w core.Worlds[T]) core.Worlds[T] {
	if w == nil {
		return core.Worlds[T]{}
	}
	return w
}

// Endpoint is what a domain answers for its one endpoint: the target name
// to alias, its hosted zone and the certificate serving it.
type Endpoint struct {
	DomainName, HostedZoneID, CertificateArn, CertificateName string
}

// Endpoint returns the domain's endpoint: CloudFront's for EDGE, the
// regional one otherwise.
func (d *Domain) Endpoint() Endpoint {
	if d.EndpointType == Edge {
		return Endpoint{d.DistributionDomainName, DistributionHostedZoneID, d.CertificateArn, d.CertificateName}
	}
	return Endpoint{d.RegionalDomainName, d.RegionalHostedZoneID, d.RegionalCertificateArn, d.RegionalCertificateName}
}

// SetCertificate stores the certificate of the domain's endpoint type.
func (d *Domain) SetCertificate(arn, name string) {
	if d.EndpointType == Edge {
		d.CertificateArn, d.CertificateName = arn, name
		return
	}
	d.RegionalCertificateArn, d.RegionalCertificateName = arn, name
}

// ARN is the domain's ARN, the same for both families.
func (d *Domain) ARN(c *core.Call) string {
	return "arn:aws:apigateway:" + c.Region + "::/domainnames/" + d.Name
}

// LookupMapping finds the mapping of a domain that match selects, answering
// noDomain or noMapping, the caller's errors, when there is none.
func (s *Store) LookupMapping(c *core.Call, name string, match func(*Mapping) bool, noDomain, noMapping error) (*Domain, *Mapping, error) {
	d := s.Domain(c, name)
	if d == nil {
		return nil, nil, noDomain
	}
	for _, m := range d.Mappings {
		if match(m) {
			return d, m, nil
		}
	}
	return nil, nil, noMapping
}

// Handlers are the five operations of a kind.
type Handlers struct {
	Create, List, Get, Update, Delete core.HandlerFunc
}

// CRUD routes a kind's five operations: POST and GET on the collection, GET,
// PATCH and DELETE on one item; the operations are named Create{kind},
// Get{kind}s, Get{kind}, Update{kind} and Delete{kind}.
func CRUD(collection, item, kind string, h Handlers) []core.Route {
	return []core.Route{
		Route(http.MethodPost, collection, "Create"+kind, true, h.Create),
		Route(http.MethodGet, collection, "Get"+kind+"s", false, h.List),
		Route(http.MethodGet, item, "Get"+kind, false, h.Get),
		Route(http.MethodPatch, item, "Update"+kind, true, h.Update),
		Route(http.MethodDelete, item, "Delete"+kind, true, h.Delete),
	}
}

// MappingGetter is the Get handler of a family's mappings: lookup finds the
// mapping the path names, view answers it.
func MappingGetter[V any](lookup func(*core.Call, core.PathParams) (*Domain, *Mapping, error), view func(*Mapping) V) core.HandlerFunc {
	return func(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
		_, m, err := lookup(c, params)
		if err != nil {
			return 0, nil, err
		}
		return http.StatusOK, view(m), nil
	}
}

// MappingDeleter is the Delete handler of a family's mappings, answering
// status (v1 202, v2 204).
func MappingDeleter(lookup func(*core.Call, core.PathParams) (*Domain, *Mapping, error), status int) core.HandlerFunc {
	return func(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
		d, m, err := lookup(c, params)
		if err != nil {
			return 0, nil, err
		}
		delete(d.Mappings, m.ID)
		return status, nil, nil
	}
}
