package apigateway

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// usagePlan is a UsagePlan as stored, with the ids of its API keys.
type usagePlan struct {
	ID          string            `json:"id"`
	Name        string            `json:"name"`
	Description string            `json:"description,omitempty"`
	APIStages   []planAPIStage    `json:"apiStages"`
	Throttle    *planThrottle     `json:"throttle,omitempty"`
	Quota       *planQuota        `json:"quota,omitempty"`
	ProductCode string            `json:"productCode,omitempty"`
	Tags        map[string]string `json:"tags,omitempty"`
	// Keys are the plan's API key ids: persisted, never answered (views
	// clear them).
	Keys map[string]bool `json:"keyIds,omitempty"`
}

type planAPIStage struct {
	APIID    string                  `json:"apiId"`
	Stage    string                  `json:"stage"`
	Throttle map[string]planThrottle `json:"throttle,omitempty"`
}

type planThrottle struct {
	BurstLimit int64   `json:"burstLimit"`
	RateLimit  float64 `json:"rateLimit"`
}

type planQuota struct {
	Limit  int64  `json:"limit"`
	Offset int64  `json:"offset"`
	Period string `json:"period"`
}

var quotaPeriods = []string{"DAY", "WEEK", "MONTH"}

// usagePlanWithTags is the answer of Get and Update, which carry "tags": {}
// (recorded); Create and the list items leave an empty map out.
type usagePlanWithTags struct {
	*usagePlan
	Tags map[string]string `json:"tags"`
}

func (p *usagePlan) view() *usagePlan {
	c := core.DeepCopy(*p)
	c.Keys = nil
	if c.APIStages == nil {
		c.APIStages = []planAPIStage{}
	}
	return &c
}

func (p *usagePlan) withTags() usagePlanWithTags {
	v := p.view()
	return usagePlanWithTags{usagePlan: v, Tags: tags.Merge(v.Tags, nil)}
}

func (s *Service) plansOf(c *core.Call) map[string]*usagePlan {
	return s.usagePlans.Of(c, func() map[string]*usagePlan { return map[string]*usagePlan{} })
}

func (s *Service) lookupUsagePlan(c *core.Call, id string) (*usagePlan, error) {
	if plan, ok := s.usagePlans[c.WorldKey()][id]; ok {
		return plan, nil
	}
	return nil, errUsagePlanNotFound()
}

func (s *Service) createUsagePlan(c *core.Call, _ *http.Request, body []byte, _ core.PathParams) (int, any, error) {
	var in struct {
		Name        *string           `json:"name"`
		Description *string           `json:"description"`
		APIStages   []planAPIStage    `json:"apiStages"`
		Throttle    *planThrottle     `json:"throttle"`
		Quota       *planQuota        `json:"quota"`
		Tags        map[string]string `json:"tags"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	if in.Name == nil {
		var v restModelValidation
		v.null("createUsagePlanInput.name")
		return 0, nil, v.err()
	}
	plan := &usagePlan{ID: s.unusedPlanID(c), Name: *in.Name, Description: restDeref(in.Description),
		Throttle: in.Throttle, Quota: in.Quota, APIStages: []planAPIStage{}, Keys: map[string]bool{}}
	if plan.Name == "" {
		return 0, nil, emptyName()
	}
	for _, stage := range in.APIStages {
		if err := s.addPlanStage(c, plan, stage); err != nil {
			return 0, nil, err
		}
	}
	if err := checkPlanLimits(plan); err != nil {
		return 0, nil, err
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	if len(in.Tags) > 0 {
		plan.Tags = tags.Merge(nil, in.Tags)
	}
	s.plansOf(c)[plan.ID] = plan
	return http.StatusCreated, plan.view(), nil
}

func (s *Service) unusedPlanID(c *core.Call) string {
	for {
		id := core.NewID(6)
		if _, taken := s.plansOf(c)[id]; !taken {
			return id
		}
	}
}

// addPlanStage adds an API stage after checking that it exists and is not
// in the plan yet.
func (s *Service) addPlanStage(c *core.Call, plan *usagePlan, stage planAPIStage) error {
	apiFound, stageFound := s.findRestStage(c, stage.APIID, stage.Stage)
	if !apiFound || !stageFound {
		return errPlanStageNotFound(stage.APIID, stage.Stage, plan.ID)
	}
	if plan.stageIndex(stage.APIID, stage.Stage) >= 0 {
		return errPlanStageExists(stage.APIID, stage.Stage)
	}
	plan.APIStages = append(plan.APIStages, stage)
	return nil
}

func (p *usagePlan) stageIndex(apiID, stage string) int {
	return slices.IndexFunc(p.APIStages, func(st planAPIStage) bool { return st.APIID == apiID && st.Stage == stage })
}

// checkPlanLimits refuses negative throttles and quotas and unknown periods.
func checkPlanLimits(p *usagePlan) error {
	throttles := []*planThrottle{p.Throttle}
	for _, st := range p.APIStages {
		for _, t := range st.Throttle {
			throttles = append(throttles, &t)
		}
	}
	for _, t := range throttles {
		if t != nil && (t.BurstLimit < 0 || t.RateLimit < 0) {
			return errInvalidThrottle()
		}
	}
	if q := p.Quota; q != nil {
		if q.Limit < 0 || q.Offset < 0 {
			return errInvalidQuota()
		}
		if !slices.Contains(quotaPeriods, q.Period) {
			return errInvalidQuotaPeriod(q.Period)
		}
	}
	return nil
}

func (s *Service) getUsagePlan(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	plan, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, plan.withTags(), nil
}

// getUsagePlans lists plans by id; keyId keeps those holding that key.
func (s *Service) getUsagePlans(c *core.Call, r *http.Request, _ []byte, _ core.PathParams) (int, any, error) {
	keyID := r.URL.Query().Get("keyId")
	keep := func(p *usagePlan) bool { return keyID == "" || p.Keys[keyID] }
	page, err := restList(r, s.usagePlans[c.WorldKey()], func(p *usagePlan) string { return p.ID }, keep, (*usagePlan).view)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (s *Service) updateUsagePlan(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateUsagePlanInput")
	if err != nil {
		return 0, nil, err
	}
	stored, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return 0, nil, err
	}
	if err := c.Limit(quota("UpdateUsagePlan", "")); err != nil {
		return 0, nil, err
	}
	plan := stored.view()
	plan.Keys = stored.Keys
	for _, op := range ops {
		if err := s.patchUsagePlan(c, plan, op); err != nil {
			return 0, nil, err
		}
	}
	if err := checkPlanLimits(plan); err != nil {
		return 0, nil, err
	}
	s.plansOf(c)[plan.ID] = plan
	return http.StatusOK, plan.withTags(), nil
}

// patchUsagePlan applies one operation. Paths: /name, /description,
// /productCode, /throttle[/rateLimit|/burstLimit], /quota[/limit|/offset|
// /period], /apiStages (add or remove "apiId:stage") and
// /apiStages/{apiId:stage}/throttle[/{escaped resource path}/{METHOD}
// [/rateLimit|/burstLimit]].
func (s *Service) patchUsagePlan(c *core.Call, plan *usagePlan, op restPatchOperation) error {
	value := op.value()
	switch {
	case op.Path == "/name" && op.Op == "replace":
		if value == "" {
			return emptyName()
		}
		plan.Name = value
	case op.Path == "/description" && (op.Op == "replace" || op.Op == "remove"):
		plan.Description = value
	case op.Path == "/productCode" && (op.Op == "replace" || op.Op == "remove"):
		plan.ProductCode = value
	case op.Path == "/throttle" && op.Op == "remove":
		plan.Throttle = nil
	case strings.HasPrefix(op.Path, "/throttle/") && op.Op == "replace":
		if plan.Throttle == nil {
			plan.Throttle = &planThrottle{}
		}
		return patchThrottle(plan.Throttle, strings.TrimPrefix(op.Path, "/throttle/"), op)
	case op.Path == "/quota" && op.Op == "remove":
		plan.Quota = nil
	case strings.HasPrefix(op.Path, "/quota/") && op.Op == "replace":
		if plan.Quota == nil {
			plan.Quota = &planQuota{}
		}
		return patchQuota(plan.Quota, strings.TrimPrefix(op.Path, "/quota/"), op)
	case op.Path == "/apiStages" && (op.Op == "add" || op.Op == "remove"):
		return s.patchPlanStages(c, plan, op)
	case strings.HasPrefix(op.Path, "/apiStages/"):
		return patchStageThrottle(plan, strings.TrimPrefix(op.Path, "/apiStages/"), op)
	default:
		return invalidPatchPath(op, nil)
	}
	return nil
}

func patchThrottle(t *planThrottle, member string, op restPatchOperation) error {
	switch member {
	case "rateLimit":
		rate, err := strconv.ParseFloat(op.value(), 64)
		if err != nil {
			return errInvalidThrottle()
		}
		t.RateLimit = rate
	case "burstLimit":
		burst, err := strconv.ParseInt(op.value(), 10, 32)
		if err != nil {
			return errInvalidThrottle()
		}
		t.BurstLimit = burst
	default:
		return invalidPatchPath(op, nil)
	}
	return nil
}

func patchQuota(q *planQuota, member string, op restPatchOperation) error {
	switch member {
	case "period":
		q.Period = op.value()
	case "limit", "offset":
		n, err := strconv.ParseInt(op.value(), 10, 32)
		if err != nil {
			return errInvalidQuota()
		}
		if member == "limit" {
			q.Limit = n
		} else {
			q.Offset = n
		}
	default:
		return invalidPatchPath(op, nil)
	}
	return nil
}

// patchPlanStages adds or removes the "apiId:stage" of the value.
func (s *Service) patchPlanStages(c *core.Call, plan *usagePlan, op restPatchOperation) error {
	apiID, stage, ok := strings.Cut(op.value(), ":")
	if !ok || apiID == "" || stage == "" {
		return errInvalidPlanStage()
	}
	if op.Op == "add" {
		return s.addPlanStage(c, plan, planAPIStage{APIID: apiID, Stage: stage})
	}
	i := plan.stageIndex(apiID, stage)
	if i < 0 {
		return errPlanStageNotFound(apiID, stage, plan.ID)
	}
	plan.APIStages = slices.Delete(plan.APIStages, i, i+1)
	return nil
}

// patchStageThrottle patches the per-method throttles of one API stage:
// rest is "{apiId}:{stage}/throttle[/{path}/{METHOD}[/member]]", the
// resource path escaped as a JSON Pointer segment (~1 for /).
func patchStageThrottle(plan *usagePlan, rest string, op restPatchOperation) error {
	segments := strings.Split(rest, "/")
	apiID, stage, ok := strings.Cut(segments[0], ":")
	if !ok || len(segments) < 2 || segments[1] != "throttle" {
		return invalidPatchPath(op, nil)
	}
	i := plan.stageIndex(apiID, stage)
	if i < 0 {
		return errPlanStageNotFound(apiID, stage, plan.ID)
	}
	st := &plan.APIStages[i]
	switch {
	case len(segments) == 2 && op.Op == "remove":
		st.Throttle = nil
		return nil
	case len(segments) == 4 && op.Op == "remove":
		delete(st.Throttle, methodThrottleKey(segments[2], segments[3]))
		return nil
	case len(segments) == 5 && (op.Op == "replace" || op.Op == "add"):
		key := methodThrottleKey(segments[2], segments[3])
		t := st.Throttle[key]
		if err := patchThrottle(&t, segments[4], op); err != nil {
			return err
		}
		if st.Throttle == nil {
			st.Throttle = map[string]planThrottle{}
		}
		st.Throttle[key] = t
		return nil
	}
	return invalidPatchPath(op, nil)
}

// methodThrottleKey is the "resourcePath/METHOD" key of apiStages.throttle.
func methodThrottleKey(escapedPath, method string) string {
	path := strings.ReplaceAll(strings.ReplaceAll(escapedPath, "~1", "/"), "~0", "~")
	return path + "/" + method
}

// deleteUsagePlan refuses a plan that still has API stages, as AWS does
// ("Cannot delete Usage Plan … because there are API Stages associated with
// it, including {apiId}:{stage}", quoted in public SDK issues).
func (s *Service) deleteUsagePlan(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	plan, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return 0, nil, err
	}
	if len(plan.APIStages) > 0 {
		return 0, nil, errPlanHasStages(plan.ID, plan.APIStages[0])
	}
	delete(s.plansOf(c), plan.ID)
	return http.StatusAccepted, nil, nil
}

// getUsage answers the plan's usage: always none, as the emulator meters
// no data-plane traffic against plans.
func (s *Service) getUsage(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	plan, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	if q.Get("startDate") == "" || q.Get("endDate") == "" {
		return 0, nil, errUsageDatesRequired()
	}
	return http.StatusOK, struct {
		UsagePlanID string               `json:"usagePlanId"`
		StartDate   string               `json:"startDate"`
		EndDate     string               `json:"endDate"`
		Items       map[string][][]int64 `json:"values"`
	}{plan.ID, q.Get("startDate"), q.Get("endDate"), map[string][][]int64{}}, nil
}

// Usage plan keys.

type usagePlanKey struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Type  string `json:"type"`
	Value string `json:"value"`
}

func planKeyOf(k *apiKey) usagePlanKey {
	return usagePlanKey{ID: k.ID, Name: k.Name, Type: "API_KEY", Value: k.Value}
}

func (s *Service) createUsagePlanKey(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in struct {
		KeyID   *string `json:"keyId"`
		KeyType *string `json:"keyType"`
	}
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.KeyID == nil {
		v.null("createUsagePlanKeyInput.keyId")
	}
	if in.KeyType == nil {
		v.null("createUsagePlanKeyInput.keyType")
	}
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	if *in.KeyType != "API_KEY" {
		return 0, nil, errInvalidKeyType(*in.KeyType)
	}
	plan, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return 0, nil, err
	}
	key, err := s.lookupAPIKey(c, *in.KeyID)
	if err != nil {
		return 0, nil, err
	}
	if plan.Keys[key.ID] {
		return 0, nil, errUsagePlanKeyExists(key.ID, plan.ID)
	}
	if plan.Keys == nil {
		plan.Keys = map[string]bool{}
	}
	plan.Keys[key.ID] = true
	return http.StatusCreated, planKeyOf(key), nil
}

// getUsagePlanKeys lists a plan's keys; an unknown plan lists none (200,
// recorded). nameQuery is a case-sensitive prefix (recorded).
func (s *Service) getUsagePlanKeys(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	keys := map[string]*apiKey{}
	if plan, ok := s.usagePlans[c.WorldKey()][params["usageplanId"]]; ok {
		for id := range plan.Keys {
			if key, ok := s.apiKeys[c.WorldKey()][id]; ok {
				keys[id] = key
			}
		}
	}
	nameQuery := r.URL.Query().Get("name")
	page, err := restList(r, keys, func(k *apiKey) string { return k.ID },
		func(k *apiKey) bool { return strings.HasPrefix(k.Name, nameQuery) }, planKeyOf)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

func (s *Service) lookupUsagePlanKey(c *core.Call, params core.PathParams) (*usagePlan, *apiKey, error) {
	plan, err := s.lookupUsagePlan(c, params["usageplanId"])
	if err != nil {
		return nil, nil, err
	}
	key, err := s.lookupAPIKey(c, params["keyId"])
	if err != nil {
		return nil, nil, err
	}
	if !plan.Keys[key.ID] {
		return nil, nil, errUsagePlanKeyNotFound()
	}
	return plan, key, nil
}

func (s *Service) getUsagePlanKey(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, key, err := s.lookupUsagePlanKey(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, planKeyOf(key), nil
}

func (s *Service) deleteUsagePlanKey(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	plan, key, err := s.lookupUsagePlanKey(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(plan.Keys, key.ID)
	return http.StatusAccepted, nil, nil
}
