package apigateway

import (
	"maps"
	"slices"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/dataplane"
)

// DomainMappings implements dataplane.Domains: the mappings of a custom
// domain name, whatever its account or region. apigateway owns the one
// store of domain names, which apigatewayv2 adopts, so these are the v1
// base path mappings and the v2 API mappings alike. A name held in several
// worlds (AWS keeps names unique per region, not across regions) is read
// from the first in "account/region" order. The caller holds the state
// lock.
func (s *Service) DomainMappings(name string) ([]dataplane.Mapping, bool) {
	name = strings.ToLower(name)
	for _, world := range slices.Sorted(maps.Keys(s.domains.Domains)) {
		d, ok := s.domains.Domains[world][name]
		if !ok {
			continue
		}
		mappings := make([]dataplane.Mapping, 0, len(d.Mappings))
		for _, m := range d.Mappings {
			mappings = append(mappings, dataplane.Mapping{Key: m.Key, APIID: m.APIID, Stage: mappedStage(m.Stage)})
		}
		return mappings, true
	}
	return nil, false
}

// mappedStage is a mapping's stage, "" when callers name it in the path:
// CreateBasePathMapping takes "(none)" for that.
func mappedStage(stage string) string {
	if stage == noBasePath {
		return ""
	}
	return stage
}
