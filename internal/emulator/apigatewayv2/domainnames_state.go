package apigatewayv2

import (
	"encoding/json"
	"net/http"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// The account-wide resources of apigatewayv2: custom domain names with their
// API mappings (shared with apigateway, which owns the store when both are
// served) and VPC links.

// domainSharer is the peer owning the shared domain names (apigateway).
type domainSharer interface {
	SharedDomains() *accountwide.Store
}

// Link adopts the domain names of a peer that shares them, so a name
// created through either family is one resource; the peer persists it.
func (svc *Service) Link(services []core.Service) {
	for _, peer := range services {
		if sharer, ok := peer.(domainSharer); ok && core.Service(svc) != peer {
			svc.domains = sharer.SharedDomains()
			svc.ownsDomains = false
			svc.domains.AddLookup(svc.findStage)
			return
		}
	}
}

// initAccountWide makes the empty maps of a new service, owning its
// domain names until Link finds apigateway.
func (svc *Service) initAccountWide() {
	svc.vpcLinks = core.Worlds[map[string]*VpcLink]{}
	svc.domains = accountwide.NewStore()
	svc.ownsDomains = true
	svc.domains.AddLookup(svc.findStage)
}

// findStage is the accountwide.StageLookup of HTTP and WebSocket APIs.
func (svc *Service) findStage(c *core.Call, apiID, stage string) (apiFound, stageFound bool) {
	record, ok := svc.worlds[c.WorldKey()]
	if !ok {
		return false, false
	}
	api, ok := record.APIs[apiID]
	if !ok {
		return false, false
	}
	_, has := api.Stages[stage]
	return true, has
}

// v2State is the snapshot since the account-wide kinds exist; files written
// before hold the APIs' worlds alone, at the top level.
type v2State struct {
	APIs     core.Worlds[*World]                         `json:"v2Apis"`
	VpcLinks core.Worlds[map[string]*VpcLink]            `json:"vpcLinks"`
	Domains  core.Worlds[map[string]*accountwide.Domain] `json:"domainNames,omitempty"`
}

func (svc *Service) state() v2State {
	st := v2State{APIs: svc.worlds, VpcLinks: svc.vpcLinks}
	if svc.ownsDomains {
		st.Domains = svc.domains.Domains
	}
	return st
}

func (svc *Service) restoreState(raw json.RawMessage) error {
	var restored v2State
	if err := accountwide.RestoreLayout(raw, "v2Apis", &restored, &restored.APIs); err != nil {
		return err
	}
	svc.worlds = accountwide.OrEmpty(restored.APIs)
	svc.vpcLinks = accountwide.OrEmpty(restored.VpcLinks)
	if svc.ownsDomains {
		svc.domains.Restore(restored.Domains)
	}
	return nil
}

func (svc *Service) accountWideRoutes() []core.Route {
	const (
		domain   = "/v2/domainnames/{domainName}"
		mappings = domain + "/apimappings"
		mapping  = mappings + "/{apiMappingId}"
		link     = "/v2/vpclinks/{vpcLinkId}"
	)
	type h = accountwide.Handlers
	routes := accountwide.CRUD("/v2/domainnames", domain, "DomainName",
		h{Create: svc.createDomainName, List: svc.getDomainNames, Get: svc.getDomainName, Update: svc.updateDomainName, Delete: svc.deleteDomainName})
	routes = append(routes, accountwide.CRUD(mappings, mapping, "ApiMapping",
		h{Create: svc.createAPIMapping, List: svc.getAPIMappings, Get: accountwide.MappingGetter(svc.lookupMapping, mappingView),
			Update: svc.updateAPIMapping, Delete: accountwide.MappingDeleter(svc.lookupMapping, http.StatusNoContent)})...)
	return append(routes, accountwide.CRUD("/v2/vpclinks", link, "VpcLink",
		h{Create: svc.createVpcLink, List: svc.getVpcLinks, Get: svc.getVpcLink, Update: svc.updateVpcLink, Delete: svc.deleteVpcLink})...)
}
