package apigateway

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/accountwide"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// The account-wide resources of apigateway: API keys, usage plans and their
// keys, custom domain names with their base path mappings, and VPC links.
// They belong to an account and region, not to a REST API, so each kind has
// its own map of worlds; domain names live in an accountwide.Store that
// apigatewayv2 shares (see Link on its side).

// initAccountWide makes the empty maps of a new service.
func (s *Service) initAccountWide() {
	s.apiKeys = core.Worlds[map[string]*apiKey]{}
	s.usagePlans = core.Worlds[map[string]*usagePlan]{}
	s.vpcLinks = core.Worlds[map[string]*vpcLink]{}
	s.domains = accountwide.NewStore()
	s.domains.AddLookup(s.findRestStage)
	s.restStages = restStageExists
}

// SharedDomains is the domain-name store apigatewayv2 adopts (one namespace
// for both families). apigateway owns it and persists it.
func (s *Service) SharedDomains() *accountwide.Store { return s.domains }

// restStageExists says whether a REST API has a stage of that name: usage
// plans, API keys and base path mappings name stages that must exist.
func restStageExists(api *restAPI, stage string) bool {
	_, ok := api.children().Stages[stage]
	return ok
}

// findRestStage is the accountwide.StageLookup of REST APIs.
func (s *Service) findRestStage(c *core.Call, apiID, stage string) (apiFound, stageFound bool) {
	api, ok := s.apis[c.WorldKey()][apiID]
	if !ok {
		return false, false
	}
	return true, s.restStages(api, stage)
}

// restState is the service's snapshot since the account-wide kinds exist.
// Files written before hold the REST APIs' worlds alone, at the top level.
type restState struct {
	APIs       core.Worlds[map[string]*restAPI]            `json:"restApis"`
	APIKeys    core.Worlds[map[string]*apiKey]             `json:"apiKeys"`
	UsagePlans core.Worlds[map[string]*usagePlan]          `json:"usagePlans"`
	VpcLinks   core.Worlds[map[string]*vpcLink]            `json:"vpcLinks"`
	Domains    core.Worlds[map[string]*accountwide.Domain] `json:"domainNames"`
}

func (s *Service) state() restState {
	return restState{APIs: s.apis, APIKeys: s.apiKeys, UsagePlans: s.usagePlans, VpcLinks: s.vpcLinks, Domains: s.domains.Domains}
}

// restoreState reads a snapshot of either layout: the restState object, or
// the older object keyed "account/region" (recognised by its lack of a
// "restApis" member, which no world key can be).
func (s *Service) restoreState(raw json.RawMessage) error {
	var restored restState
	if err := accountwide.RestoreLayout(raw, "restApis", &restored, &restored.APIs); err != nil {
		return err
	}
	s.apis = accountwide.OrEmpty(restored.APIs)
	s.apiKeys = accountwide.OrEmpty(restored.APIKeys)
	s.usagePlans = accountwide.OrEmpty(restored.UsagePlans)
	s.vpcLinks = accountwide.OrEmpty(restored.VpcLinks)
	s.domains.Restore(restored.Domains)
	return nil
}

// accountWideRoutes are the routes of the account-wide kinds.
func (s *Service) accountWideRoutes() []core.Route {
	route := accountwide.Route
	const (
		apiKey     = "/apikeys/{api_Key}"
		plan       = "/usageplans/{usageplanId}"
		planKey    = plan + "/keys/{keyId}"
		domain     = "/domainnames/{domain_name}"
		basePaths  = domain + "/basepathmappings"
		basePath   = basePaths + "/{base_path}"
		vpcLinkURI = "/vpclinks/{vpclink_id}"
	)
	type h = accountwide.Handlers
	routes := append(accountwide.CRUD("/apikeys", apiKey, "ApiKey",
		h{Create: s.createAPIKey, List: s.getAPIKeys, Get: s.getAPIKey, Update: s.updateAPIKey, Delete: s.deleteAPIKey}),
		accountwide.CRUD("/usageplans", plan, "UsagePlan",
			h{Create: s.createUsagePlan, List: s.getUsagePlans, Get: s.getUsagePlan, Update: s.updateUsagePlan, Delete: s.deleteUsagePlan})...)
	routes = append(routes, accountwide.CRUD("/domainnames", domain, "DomainName",
		h{Create: s.createDomainName, List: s.getDomainNames, Get: s.getDomainName, Update: s.updateDomainName, Delete: s.deleteDomainName})...)
	routes = append(routes, accountwide.CRUD(basePaths, basePath, "BasePathMapping",
		h{Create: s.createBasePathMapping, List: s.getBasePathMappings, Get: accountwide.MappingGetter(s.lookupBasePath, basePathView),
			Update: s.updateBasePathMapping, Delete: accountwide.MappingDeleter(s.lookupBasePath, http.StatusAccepted)})...)
	routes = append(routes, accountwide.CRUD("/vpclinks", vpcLinkURI, "VpcLink",
		h{Create: s.createVpcLink, List: s.getVpcLinks, Get: s.getVpcLink, Update: s.updateVpcLink, Delete: s.deleteVpcLink})...)
	return append(routes,
		route(http.MethodGet, plan+"/usage", "GetUsage", false, s.getUsage),
		route(http.MethodPost, plan+"/keys", "CreateUsagePlanKey", true, s.createUsagePlanKey),
		route(http.MethodGet, plan+"/keys", "GetUsagePlanKeys", false, s.getUsagePlanKeys),
		route(http.MethodGet, planKey, "GetUsagePlanKey", false, s.getUsagePlanKey),
		route(http.MethodDelete, planKey, "DeleteUsagePlanKey", true, s.deleteUsagePlanKey),
	)
}

// restList pages a map of one world by id, position being the last id of
// the previous page (as GetRestApis does).
func restList[T, V any](r *http.Request, items map[string]*T, idOf func(*T) string, keep func(*T) bool, view func(*T) V) (restPage[V], error) {
	limit, err := restPageSize(r)
	if err != nil {
		return restPage[V]{}, err
	}
	kept := make(map[string]*T, len(items))
	for id, item := range items {
		if keep == nil || keep(item) {
			kept[id] = item
		}
	}
	served, more := core.PageAfter(kept, idOf, r.URL.Query().Get("position"), limit)
	page := restPage[V]{Items: core.Map(served, view)}
	if more {
		page.Position = idOf(served[len(served)-1])
	}
	return page, nil
}

// restBool reads a patch value as AWS does: "true" in any case is true,
// anything else false (recorded: "not-a-boolean" leaves enabled false).
func restBool(value string) bool { return strings.EqualFold(value, "true") }
