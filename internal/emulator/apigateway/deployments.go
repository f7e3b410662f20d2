package apigateway

import (
	"maps"
	"net/http"
	"slices"

	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// restDeployment is the Deployment object as answered (apiSummary only
// with embed=apisummary).
type restDeployment struct {
	ID          string                                   `json:"id"`
	Description string                                   `json:"description,omitempty"`
	CreatedDate int64                                    `json:"createdDate"`
	APISummary  map[string]map[string]restMethodSnapshot `json:"apiSummary,omitempty"`
}

type restMethodSnapshot struct {
	AuthorizationType string `json:"authorizationType"`
	APIKeyRequired    bool   `json:"apiKeyRequired"`
}

// restDeploymentRecord is a deployment and the API as it was deployed:
// everything a stage pointing at it serves (resources with their methods,
// method responses, integrations and integration responses; authorizers,
// request validators, models and customised gateway responses). The data
// plane serves this snapshot, never the live definition, so a change is
// visible only once it is deployed. Records written before the validators,
// models and gateway responses were frozen have none.
type restDeploymentRecord struct {
	Deployment       restDeployment                  `json:"deployment"`
	Resources        map[string]*restResource        `json:"resources"`
	Authorizers      map[string]*restAuthorizer      `json:"authorizers,omitempty"`
	Validators       map[string]*restValidator       `json:"requestValidators,omitempty"`
	Models           map[string]*restModel           `json:"models,omitempty"`
	GatewayResponses map[string]*restGatewayResponse `json:"gatewayResponses,omitempty"`
}

// apiSummary is the deployment's summary of the API: path, then verb.
func (d *restDeploymentRecord) apiSummary() map[string]map[string]restMethodSnapshot {
	frozen := &restChildren{Resources: d.Resources}
	summary := map[string]map[string]restMethodSnapshot{}
	for _, res := range d.Resources {
		for verb, m := range res.Methods {
			path := frozen.resourcePath(res)
			if summary[path] == nil {
				summary[path] = map[string]restMethodSnapshot{}
			}
			summary[path][verb] = restMethodSnapshot{AuthorizationType: m.AuthorizationType, APIKeyRequired: m.APIKeyRequired}
		}
	}
	return summary
}

func deploymentView(d *restDeploymentRecord) any {
	view := d.Deployment
	return &view
}

var deploymentKind = restKind[restDeploymentRecord]{
	label:    "deployment_id",
	of:       func(t *restChildren) map[string]*restDeploymentRecord { return t.Deployments },
	idOf:     func(d *restDeploymentRecord) string { return d.Deployment.ID },
	notFound: func(string) error { return deploymentNotFound() },
	view:     deploymentView,
	update:   "updateDeploymentInput",
	patches: restPatchTable[restDeploymentRecord]{patchers: []restPatcher[restDeploymentRecord]{
		{path: "/description", ops: []string{"replace"}, apply: func(_ *core.Call, d *restDeploymentRecord, op restPatchOperation, _ string) error {
			setString(&d.Deployment.Description, op)
			return nil
		}},
	}},
	deletable: func(t *restChildren, d *restDeploymentRecord) error {
		for _, st := range t.Stages {
			if st.DeploymentID == d.Deployment.ID {
				return deploymentInUse()
			}
			if st.CanarySettings != nil && st.CanarySettings.DeploymentID == d.Deployment.ID {
				return deploymentInUseByCanary()
			}
		}
		return nil
	},
}

type createDeploymentInput struct {
	StageName           *string                 `json:"stageName"`
	StageDescription    string                  `json:"stageDescription"`
	Description         string                  `json:"description"`
	CacheClusterEnabled *bool                   `json:"cacheClusterEnabled"`
	CacheClusterSize    *string                 `json:"cacheClusterSize"`
	Variables           map[string]string       `json:"variables"`
	CanarySettings      *restDeploymentCanaryIn `json:"canarySettings"`
	TracingEnabled      *bool                   `json:"tracingEnabled"`
}

type restDeploymentCanaryIn struct {
	PercentTraffic         float64           `json:"percentTraffic"`
	StageVariableOverrides map[string]string `json:"stageVariableOverrides"`
	UseStageCache          bool              `json:"useStageCache"`
}

// createDeployment freezes the API as it is. With a stageName it creates
// that stage or moves it to the new deployment; with canarySettings too, the
// existing stage keeps its deployment and the new one becomes its canary.
func (s *Service) createDeployment(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	var in createDeploymentInput
	if err := decodeRestBody(body, &in); err != nil {
		return 0, nil, err
	}
	var v restModelValidation
	v.enum("createDeploymentInput.cacheClusterSize", in.CacheClusterSize, restCacheClusterSizes)
	if err := v.err(); err != nil {
		return 0, nil, err
	}
	api, tree, err := s.apiChildrenOf(c, params)
	if err != nil {
		return 0, nil, err
	}
	if err := tree.checkDeployable(api); err != nil {
		return 0, nil, err
	}
	var stage *restStage
	if in.StageName != nil {
		if err := checkStageName(*in.StageName); err != nil {
			return 0, nil, err
		}
		stage = tree.Stages[*in.StageName]
		if stage == nil && len(tree.Stages) >= maxRestStages {
			return 0, nil, tooManyStages()
		}
		if stage == nil && in.CanarySettings != nil {
			return 0, nil, canaryNeedsStage()
		}
	}
	if err := c.Limit(quota("CreateDeployment", "")); err != nil {
		return 0, nil, err
	}
	record := tree.freeze(restDeployment{ID: unusedChildID(tree.Deployments, 6), Description: in.Description, CreatedDate: c.Now.Unix()})
	tree.Deployments[record.Deployment.ID] = record
	if in.StageName != nil {
		tree.deployToStage(c, *in.StageName, stage, record.Deployment.ID, &in)
	}
	return http.StatusCreated, deploymentView(record), nil
}

// freeze copies what a stage serves into a new deployment record.
func (t *restChildren) freeze(deployment restDeployment) *restDeploymentRecord {
	return &restDeploymentRecord{
		Deployment:       deployment,
		Resources:        core.DeepCopy(t.Resources),
		Authorizers:      core.DeepCopy(t.Authorizers),
		Validators:       core.DeepCopy(t.Validators),
		Models:           core.DeepCopy(t.Models),
		GatewayResponses: core.DeepCopy(t.GatewayResponses),
	}
}

// checkDeployable refuses an API AWS cannot deploy: one without methods, a
// method without integration, a PRIVATE API without a resource policy.
func (t *restChildren) checkDeployable(api *restAPI) error {
	methods := 0
	for _, id := range slices.Sorted(maps.Keys(t.Resources)) {
		for _, verb := range slices.Sorted(maps.Keys(t.Resources[id].Methods)) {
			methods++
			if t.Resources[id].Methods[verb].MethodIntegration == nil {
				return noIntegrationForMethod()
			}
		}
	}
	if methods == 0 {
		return noMethods()
	}
	if api.endpointType() == restEndpointPrivate && api.Policy == "" {
		return privateAPIWithoutPolicy()
	}
	return nil
}

func (t *restChildren) deployToStage(c *core.Call, name string, stage *restStage, deploymentID string, in *createDeploymentInput) {
	if stage == nil {
		stage = newRestStage(c, name, deploymentID)
		t.Stages[name] = stage
	}
	stage.LastUpdatedDate = c.Now.Unix()
	if in.CanarySettings != nil {
		stage.CanarySettings = &restCanarySettings{
			DeploymentID:           deploymentID,
			PercentTraffic:         in.CanarySettings.PercentTraffic,
			StageVariableOverrides: in.CanarySettings.StageVariableOverrides,
			UseStageCache:          in.CanarySettings.UseStageCache,
		}
		return
	}
	stage.DeploymentID = deploymentID
	if in.StageDescription != "" {
		stage.Description = in.StageDescription
	}
	if in.CacheClusterEnabled != nil {
		stage.setCacheCluster(*in.CacheClusterEnabled)
	}
	assignIfSet(&stage.CacheClusterSize, in.CacheClusterSize)
	assignIfSet(&stage.TracingEnabled, in.TracingEnabled)
	for name, value := range in.Variables {
		if stage.Variables == nil {
			stage.Variables = map[string]string{}
		}
		stage.Variables[name] = value
	}
}

// getDeployment answers the summary of the API only when asked
// (embed=apisummary).
func (s *Service) getDeployment(c *core.Call, r *http.Request, _ []byte, params core.PathParams) (int, any, error) {
	_, d, err := deploymentKind.lookup(s, c, params)
	if err != nil {
		return 0, nil, err
	}
	view := d.Deployment
	if slices.Contains(r.URL.Query()["embed"], "apisummary") {
		view.APISummary = d.apiSummary()
	}
	return http.StatusOK, &view, nil
}
