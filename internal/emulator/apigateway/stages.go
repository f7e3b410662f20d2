package apigateway

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// maxRestStages is AWS's quota of stages per REST API.
const maxRestStages = 10

// restStage is the Stage object, stored as answered. methodSettings is
// always answered, {} when there are none (recorded); the maps are made
// with the stage so that it never encodes as null.
type restStage struct {
	DeploymentID         string                        `json:"deploymentId"`
	ClientCertificateID  string                        `json:"clientCertificateId,omitempty"`
	StageName            string                        `json:"stageName"`
	Description          string                        `json:"description,omitempty"`
	CacheClusterEnabled  bool                          `json:"cacheClusterEnabled"`
	CacheClusterSize     string                        `json:"cacheClusterSize,omitempty"`
	CacheClusterStatus   string                        `json:"cacheClusterStatus"`
	MethodSettings       map[string]*restMethodSetting `json:"methodSettings"`
	Variables            map[string]string             `json:"variables,omitempty"`
	DocumentationVersion string                        `json:"documentationVersion,omitempty"`
	AccessLogSettings    *restAccessLogSettings        `json:"accessLogSettings,omitempty"`
	CanarySettings       *restCanarySettings           `json:"canarySettings,omitempty"`
	TracingEnabled       bool                          `json:"tracingEnabled"`
	WebACLArn            string                        `json:"webAclArn,omitempty"`
	Tags                 map[string]string             `json:"tags,omitempty"`
	CreatedDate          int64                         `json:"createdDate"`
	LastUpdatedDate      int64                         `json:"lastUpdatedDate"`
}

type restAccessLogSettings struct {
	Format         string `json:"format,omitempty"`
	DestinationArn string `json:"destinationArn,omitempty"`
}

type restCanarySettings struct {
	PercentTraffic         float64           `json:"percentTraffic"`
	DeploymentID           string            `json:"deploymentId,omitempty"`
	StageVariableOverrides map[string]string `json:"stageVariableOverrides,omitempty"`
	UseStageCache          bool              `json:"useStageCache"`
}

// restMethodSetting is a MethodSetting. A setting made by a patch starts
// from AWS's defaults (recorded): no loggingLevel until one is set.
type restMethodSetting struct {
	MetricsEnabled                         bool    `json:"metricsEnabled"`
	LoggingLevel                           string  `json:"loggingLevel,omitempty"`
	DataTraceEnabled                       bool    `json:"dataTraceEnabled"`
	ThrottlingBurstLimit                   int64   `json:"throttlingBurstLimit"`
	ThrottlingRateLimit                    float64 `json:"throttlingRateLimit"`
	CachingEnabled                         bool    `json:"cachingEnabled"`
	CacheTTLInSeconds                      int64   `json:"cacheTtlInSeconds"`
	CacheDataEncrypted                     bool    `json:"cacheDataEncrypted"`
	RequireAuthorizationForCacheControl    bool    `json:"requireAuthorizationForCacheControl"`
	UnauthorizedCacheControlHeaderStrategy string  `json:"unauthorizedCacheControlHeaderStrategy"`
}

func defaultMethodSetting() *restMethodSetting {
	return &restMethodSetting{
		ThrottlingBurstLimit:                   5000,
		ThrottlingRateLimit:                    10000,
		CacheTTLInSeconds:                      300,
		RequireAuthorizationForCacheControl:    true,
		UnauthorizedCacheControlHeaderStrategy: "SUCCEED_WITH_RESPONSE_HEADER",
	}
}

var (
	restCacheClusterSizes  = []string{"0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"}
	restLoggingLevels      = []string{"OFF", "ERROR", "INFO"}
	restCacheControlHeader = []string{"FAIL_WITH_403", "SUCCEED_WITH_RESPONSE_HEADER", "SUCCEED_WITHOUT_RESPONSE_HEADER"}
	restStageName          = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,128}$`)
)

func checkStageName(name string) error {
	if !restStageName.MatchString(name) {
		return invalidStageName()
	}
	return nil
}

func newRestStage(c *core.Call, name, deploymentID string) *restStage {
	return &restStage{
		StageName:          name,
		DeploymentID:       deploymentID,
		CacheClusterStatus: "NOT_AVAILABLE",
		MethodSettings:     map[string]*restMethodSetting{},
		CreatedDate:        c.Now.Unix(),
		LastUpdatedDate:    c.Now.Unix(),
	}
}

// setCacheCluster turns the cache cluster on or off; AWS reports it
// AVAILABLE at once in the emulator, with the smallest size by default.
func (st *restStage) setCacheCluster(enabled bool) {
	st.CacheClusterEnabled = enabled
	st.CacheClusterStatus = "NOT_AVAILABLE"
	if enabled {
		st.CacheClusterStatus = "AVAILABLE"
		if st.CacheClusterSize == "" {
			st.CacheClusterSize = "0.5"
		}
	}
}

func stageView(st *restStage) any {
	view := core.DeepCopy(*st)
	if view.MethodSettings == nil {
		view.MethodSettings = map[string]*restMethodSetting{}
	}
	return &view
}

var stageKind = restKind[restStage]{
	label:    "stage_name",
	of:       func(t *restChildren) map[string]*restStage { return t.Stages },
	idOf:     func(st *restStage) string { return st.StageName },
	notFound: func(string) error { return stageNotFound() },
	view:     stageView,
	update:   "updateStageInput",
	check:    checkStage,
}

type createStageInput struct {
	StageName            *string             `json:"stageName"`
	DeploymentID         *string             `json:"deploymentId"`
	Description          string              `json:"description"`
	CacheClusterEnabled  bool                `json:"cacheClusterEnabled"`
	CacheClusterSize     *string             `json:"cacheClusterSize"`
	Variables            map[string]string   `json:"variables"`
	DocumentationVersion string              `json:"documentationVersion"`
	CanarySettings       *restCanarySettings `json:"canarySettings"`
	TracingEnabled       bool                `json:"tracingEnabled"`
	Tags                 map[string]string   `json:"tags"`
}

func (s *Service) createStage(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in createStageInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	if in.StageName == nil {
		v.null("createStageInput.stageName")
	}
	if in.DeploymentID == nil {
		v.null("createStageInput.deploymentId")
	}
	v.enum("createStageInput.cacheClusterSize", in.CacheClusterSize, restCacheClusterSizes)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := checkStageName(*in.StageName); err != nil {
		return 0, nil, err
	}
	if err := checkTags(nil, in.Tags); err != nil {
		return 0, nil, err
	}
	if _, taken := tree.Stages[*in.StageName]; taken {
		return 0, nil, stageExists()
	}
	if len(tree.Stages) >= maxRestStages {
		return 0, nil, tooManyStages()
	}
	st := newRestStage(c, *in.StageName, *in.DeploymentID)
	st.Description = in.Description
	st.CacheClusterSize = restDeref(in.CacheClusterSize)
	st.setCacheCluster(in.CacheClusterEnabled)
	st.Variables = in.Variables
	st.DocumentationVersion = in.DocumentationVersion
	st.CanarySettings = in.CanarySettings
	st.TracingEnabled = in.TracingEnabled
	if len(in.Tags) > 0 {
		st.Tags = tags.Merge(nil, in.Tags)
	}
	if err := checkStage(tree, st); err != nil {
		return 0, nil, err
	}
	tree.Stages[st.StageName] = st
	return http.StatusCreated, stageView(st), nil
}

// checkStage validates a stage against the API: its deployment and its
// canary's must exist, its variables must be well formed.
func checkStage(t *restChildren, st *restStage) error {
	if _, ok := t.Deployments[st.DeploymentID]; !ok {
		return deploymentNotFound()
	}
	if st.CanarySettings != nil && st.CanarySettings.DeploymentID != "" {
		if _, ok := t.Deployments[st.CanarySettings.DeploymentID]; !ok {
			return deploymentNotFound()
		}
	}
	for _, name := range slices.Sorted(maps.Keys(st.Variables)) {
		if !restStageVariableName.MatchString(name) || !restStageVariableValue.MatchString(st.Variables[name]) {
			return invalidStageVariable(name)
		}
	}
	return nil
}

var (
	restStageVariableName  = regexp.MustCompile(`^[A-Za-z0-9_]+$`)
	restStageVariableValue = regexp.MustCompile(`^[A-Za-z0-9\-._~:/?#&=,]+$`)
)

// getStages lists every stage, or those of one deployment, under "item"
// with no paging (GetStages takes neither position nor limit).
func (s *Service) getStages(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	tree, err := s.childrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	deployment := r.URL.Query().Get("deploymentId")
	page := restPage[any]{Items: []any{}}
	for _, name := range slices.Sorted(maps.Keys(tree.Stages)) {
		if st := tree.Stages[name]; deployment == "" || st.DeploymentID == deployment {
			page.Items = append(page.Items, stageView(st))
		}
	}
	return http.StatusOK, page, nil
}

// updateStage applies method-setting paths itself and the other paths
// through stagePatches; every refused path is answered with AWS's list.
func (s *Service) updateStage(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	ops, err := decodePatch(body, "updateStageInput")
	if err != nil {
		return 0, nil, err
	}
	tree, current, err := stageKind.lookup(s, c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := core.DeepCopy(*current)
	for _, op := range ops {
		if err := patchStage(c, &updated, op); err != nil {
			return 0, nil, err
		}
	}
	if err := checkStage(tree, &updated); err != nil {
		return 0, nil, err
	}
	updated.LastUpdatedDate = c.Now.Unix()
	*current = updated
	return http.StatusOK, stageView(current), nil
}

func patchStage(c *core.Call, st *restStage, op restPatchOperation) error {
	if op.Op == "copy" {
		return copyStageMember(st, op)
	}
	if handled, err := patchMethodSetting(st, op); handled {
		return err
	}
	return stagePatches.applyOne(c, st, op)
}

// copyStageMember promotes a canary, the one use of copy AWS documents:
// from /canarySettings/deploymentId to /deploymentId, and from
// /canarySettings/stageVariableOverrides to /variables.
func copyStageMember(st *restStage, op restPatchOperation) error {
	from := restDeref(op.From)
	switch {
	case from == "/canarySettings/deploymentId" && op.Path == "/deploymentId" && st.CanarySettings != nil:
		st.DeploymentID = st.CanarySettings.DeploymentID
	case from == "/canarySettings/stageVariableOverrides" && op.Path == "/variables" && st.CanarySettings != nil:
		for name, value := range st.CanarySettings.StageVariableOverrides {
			patchMapKey(&st.Variables, restPatchOperation{Op: "add"}, name, value)
		}
	default:
		return invalidStagePatchPath(op.Path)
	}
	return nil
}

// stagePatches are the UpdateStage paths other than method settings.
var stagePatches = restPatchTable[restStage]{
	unknownPath: func(op restPatchOperation, _ []string) error { return invalidStagePatchPath(op.Path) },
	patchers: []restPatcher[restStage]{
		{path: "/description", ops: []string{"replace", "remove"}, apply: stringMember(func(st *restStage) *string { return &st.Description })},
		{path: "/deploymentId", ops: []string{"replace"}, apply: stringMember(func(st *restStage) *string { return &st.DeploymentID })},
		{path: "/clientCertificateId", ops: []string{"replace", "remove"}, apply: stringMember(func(st *restStage) *string { return &st.ClientCertificateID })},
		{path: "/documentationVersion", ops: []string{"replace", "remove"}, apply: stringMember(func(st *restStage) *string { return &st.DocumentationVersion })},
		{path: "/cacheClusterEnabled", ops: []string{"replace"}, apply: func(_ *core.Call, st *restStage, op restPatchOperation, _ string) error {
			enabled, err := patchStrictBool(op)
			if err == nil {
				st.setCacheCluster(enabled)
			}
			return err
		}},
		{path: "/cacheClusterSize", ops: []string{"replace"}, apply: func(_ *core.Call, st *restStage, op restPatchOperation, _ string) error {
			if !slices.Contains(restCacheClusterSizes, op.value()) {
				return invalidCacheClusterSize(op.value())
			}
			st.CacheClusterSize = op.value()
			return nil
		}},
		{path: "/tracingEnabled", ops: []string{"replace"}, apply: func(_ *core.Call, st *restStage, op restPatchOperation, _ string) error {
			enabled, err := patchStrictBool(op)
			st.TracingEnabled = enabled
			return err
		}},
		{path: "/variables/", ops: []string{"add", "replace", "remove"}, apply: mapMember(func(st *restStage) *map[string]string { return &st.Variables }, stringValue)},
		{path: "/accessLogSettings", ops: []string{"remove"}, apply: func(_ *core.Call, st *restStage, _ restPatchOperation, _ string) error {
			st.AccessLogSettings = nil
			return nil
		}},
		{path: "/accessLogSettings/destinationArn", ops: []string{"add", "replace", "remove"}, apply: accessLogMember(func(a *restAccessLogSettings) *string { return &a.DestinationArn })},
		{path: "/accessLogSettings/format", ops: []string{"add", "replace", "remove"}, apply: accessLogMember(func(a *restAccessLogSettings) *string { return &a.Format })},
		{path: "/canarySettings", ops: []string{"remove"}, apply: func(_ *core.Call, st *restStage, _ restPatchOperation, _ string) error {
			st.CanarySettings = nil
			return nil
		}},
		{path: "/canarySettings/deploymentId", ops: []string{"replace"}, apply: canaryMember(func(cs *restCanarySettings, op restPatchOperation) error {
			cs.DeploymentID = op.value()
			return nil
		})},
		{path: "/canarySettings/percentTraffic", ops: []string{"replace"}, apply: canaryMember(func(cs *restCanarySettings, op restPatchOperation) error {
			percent, err := strconv.ParseFloat(op.value(), 64)
			if err != nil || percent < 0 || percent > 100 {
				return invalidCanaryPercent()
			}
			cs.PercentTraffic = percent
			return nil
		})},
		{path: "/canarySettings/useStageCache", ops: []string{"replace"}, apply: canaryMember(func(cs *restCanarySettings, op restPatchOperation) error {
			cs.UseStageCache = patchBool(op)
			return nil
		})},
		{path: "/canarySettings/stageVariableOverrides/", ops: []string{"add", "replace", "remove"}, apply: func(_ *core.Call, st *restStage, op restPatchOperation, key string) error {
			if st.CanarySettings == nil {
				st.CanarySettings = &restCanarySettings{}
			}
			patchMapKey(&st.CanarySettings.StageVariableOverrides, op, key, op.value())
			return nil
		}},
	},
}

// accessLogMember sets or removes one member of accessLogSettings, which
// disappears with its last member.
func accessLogMember(member func(*restAccessLogSettings) *string) func(*core.Call, *restStage, restPatchOperation, string) error {
	return func(_ *core.Call, st *restStage, op restPatchOperation, _ string) error {
		if st.AccessLogSettings == nil {
			st.AccessLogSettings = &restAccessLogSettings{}
		}
		setString(member(st.AccessLogSettings), op)
		if *st.AccessLogSettings == (restAccessLogSettings{}) {
			st.AccessLogSettings = nil
		}
		return nil
	}
}

func canaryMember(set func(*restCanarySettings, restPatchOperation) error) func(*core.Call, *restStage, restPatchOperation, string) error {
	return func(_ *core.Call, st *restStage, op restPatchOperation, _ string) error {
		if st.CanarySettings == nil {
			st.CanarySettings = &restCanarySettings{}
		}
		return set(st.CanarySettings, op)
	}
}

// methodSettingPatchers set one member of a method setting, by the last two
// segments of the path.
var methodSettingPatchers = map[string]func(ms *restMethodSetting, op restPatchOperation) error{
	"metrics/enabled": func(ms *restMethodSetting, op restPatchOperation) error {
		ms.MetricsEnabled = patchBool(op)
		return nil
	},
	"logging/dataTrace": func(ms *restMethodSetting, op restPatchOperation) error {
		ms.DataTraceEnabled = patchBool(op)
		return nil
	},
	"logging/loglevel": func(ms *restMethodSetting, op restPatchOperation) error {
		if !slices.Contains(restLoggingLevels, op.value()) {
			return invalidLoggingLevel(op.value())
		}
		ms.LoggingLevel = op.value()
		return nil
	},
	"throttling/burstLimit": func(ms *restMethodSetting, op restPatchOperation) error {
		n, err := patchInt(op)
		ms.ThrottlingBurstLimit = n
		return err
	},
	"throttling/rateLimit": func(ms *restMethodSetting, op restPatchOperation) error {
		rate, err := strconv.ParseFloat(op.value(), 64)
		if err != nil {
			return invalidPatchNumber(op)
		}
		ms.ThrottlingRateLimit = rate
		return nil
	},
	"caching/enabled": func(ms *restMethodSetting, op restPatchOperation) error {
		ms.CachingEnabled = patchBool(op)
		return nil
	},
	"caching/ttlInSeconds": func(ms *restMethodSetting, op restPatchOperation) error {
		n, err := patchInt(op)
		if err == nil && (n < 0 || n > 3600) {
			return invalidCacheTTL()
		}
		ms.CacheTTLInSeconds = n
		return err
	},
	"caching/dataEncrypted": func(ms *restMethodSetting, op restPatchOperation) error {
		ms.CacheDataEncrypted = patchBool(op)
		return nil
	},
	"caching/requireAuthorizationForCacheControl": func(ms *restMethodSetting, op restPatchOperation) error {
		ms.RequireAuthorizationForCacheControl = patchBool(op)
		return nil
	},
	"caching/unauthorizedCacheControlHeaderStrategy": func(ms *restMethodSetting, op restPatchOperation) error {
		if !slices.Contains(restCacheControlHeader, op.value()) {
			return invalidCacheControlStrategy(op.value())
		}
		ms.UnauthorizedCacheControlHeaderStrategy = op.value()
		return nil
	},
}

// patchMethodSetting handles /{resourcePath}/{httpMethod}/{group}/{name}:
// the key is answered as written in the path ("*/*", "test/GET",
// "~1pets~1{id}/GET"). AWS does not check that the resource or method
// exist (recorded: /test/GET on an API without /test). remove on
// /{resourcePath}/{httpMethod} drops the whole setting.
func patchMethodSetting(st *restStage, op restPatchOperation) (bool, error) {
	segments := strings.Split(strings.TrimPrefix(op.Path, "/"), "/")
	if op.Op == "remove" && len(segments) >= 2 {
		key := strings.Join(segments, "/")
		if _, ok := st.MethodSettings[key]; ok {
			delete(st.MethodSettings, key)
			return true, nil
		}
	}
	if len(segments) < 4 {
		return false, nil
	}
	n := len(segments)
	set, ok := methodSettingPatchers[segments[n-2]+"/"+segments[n-1]]
	verb := segments[n-3]
	if !ok || (verb != "*" && !slices.Contains(restHTTPMethods, verb)) {
		return false, nil
	}
	if op.Op != "replace" && op.Op != "add" {
		return true, invalidPatchOp([]string{"replace"})
	}
	key := strings.Join(segments[:n-2], "/")
	if st.MethodSettings == nil {
		st.MethodSettings = map[string]*restMethodSetting{}
	}
	ms := st.MethodSettings[key]
	if ms == nil {
		// A method's own setting starts as a copy of the stage-wide one, if
		// any: AWS answered cachingEnabled true for test/GET after only
		// */*/caching/enabled was set (recorded).
		ms = defaultMethodSetting()
		if all, ok := st.MethodSettings["*/*"]; ok {
			copied := *all
			ms = &copied
		}
	}
	if err := set(ms, op); err != nil {
		return true, err
	}
	st.MethodSettings[key] = ms
	return true, nil
}

// flushStageCache answers FlushStageCache and FlushStageAuthorizersCache:
// the emulator caches nothing, so there is nothing to flush once the stage
// is found.
func (s *Service) flushStageCache(c *core.Call, _ *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	if _, _, err := stageKind.lookup(s, c, params); err != nil {
		return 0, nil, err
	}
	return http.StatusAccepted, nil, nil
}
