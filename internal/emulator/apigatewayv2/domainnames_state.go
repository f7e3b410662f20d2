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

func (svc *Service) initAccountWide() {
	svc.vpcLinks = core.Worlds[map[string]*VpcLink]{}
	svc.domains = accountwide.NewStore()
	svc.ownsDomains = true
	svc.domains.AddLookup(svc.findStage)
}

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
	var members map[string]json.RawMessage
	if err := json.Unmarshal(raw, &members); err != nil {
		return err
	}
	var restored v2State
	if _, current := members["v2Apis"]; current {
		if err := core.Restore(raw, &restored); err != nil {
			return err
		}
	} else if err := core.Restore(raw, &restored.APIs); err != nil {
		return err
	}
	svc.worlds = restored.APIs
	if svc.worlds == nil {
		svc.worlds = core.Worlds[*World]{}
	}
	svc.vpcLinks = restored.VpcLinks
	if svc.vpcLinks == nil {
		svc.vpcLinks = core.Worlds[map[string]*VpcLink]{}
	}
	if svc.ownsDomains {
		svc.domains.Restore(restored.Domains)
	}
	return nil
}

func (svc *Service) accountWideRoutes() []core.Route {
	route := func(method, pattern, operation string, mutates bool, handle core.HandlerFunc) core.Route {
		return core.Route{Method: method, Pattern: pattern, Operation: operation, Mutates: mutates, Handle: handle}
	}
	const (
		domain   = "/v2/domainnames/{domainName}"
		mappings = domain + "/apimappings"
		mapping  = mappings + "/{apiMappingId}"
		link     = "/v2/vpclinks/{vpcLinkId}"
	)
	return []core.Route{
		route(http.MethodPost, "/v2/domainnames", "CreateDomainName", true, svc.createDomainName),
		route(http.MethodGet, "/v2/domainnames", "GetDomainNames", false, svc.getDomainNames),
		route(http.MethodGet, domain, "GetDomainName", false, svc.getDomainName),
		route(http.MethodPatch, domain, "UpdateDomainName", true, svc.updateDomainName),
		route(http.MethodDelete, domain, "DeleteDomainName", true, svc.deleteDomainName),
		route(http.MethodPost, mappings, "CreateApiMapping", true, svc.createAPIMapping),
		route(http.MethodGet, mappings, "GetApiMappings", false, svc.getAPIMappings),
		route(http.MethodGet, mapping, "GetApiMapping", false, svc.getAPIMapping),
		route(http.MethodPatch, mapping, "UpdateApiMapping", true, svc.updateAPIMapping),
		route(http.MethodDelete, mapping, "DeleteApiMapping", true, svc.deleteAPIMapping),
		route(http.MethodPost, "/v2/vpclinks", "CreateVpcLink", true, svc.createVpcLink),
		route(http.MethodGet, "/v2/vpclinks", "GetVpcLinks", false, svc.getVpcLinks),
		route(http.MethodGet, link, "GetVpcLink", false, svc.getVpcLink),
		route(http.MethodPatch, link, "UpdateVpcLink", true, svc.updateVpcLink),
		route(http.MethodDelete, link, "DeleteVpcLink", true, svc.deleteVpcLink),
	}
}
