package emulator

import (
	"fmt"
	"net/http"
	"regexp"
)

// maxStagesPerAPI is the HTTP API quota "stages per API".
const maxStagesPerAPI = 10

var stageNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// newStage is a stage with AWS's defaults.
func newStage(c *call, name string, autoDeploy bool) *v2Stage {
	now := c.Now.Truncate(1e9)
	return &v2Stage{
		AutoDeploy:           autoDeploy,
		CreatedDate:          now,
		DefaultRouteSettings: &v2RouteSettings{DetailedMetricsEnabled: ptr(false)},
		LastUpdatedDate:      now,
		RouteSettings:        map[string]v2RouteSettings{},
		StageName:            name,
		StageVariables:       map[string]string{},
		Tags:                 map[string]string{},
	}
}

func (svc *v2Service) createStage(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	stage := newStage(c, "", false)
	if err := decodeBody(body, stage); err != nil {
		return 0, nil, err
	}
	if stage.StageName != "$default" && !stageNamePattern.MatchString(stage.StageName) {
		return 0, nil, badRequest("Stage name only allows a-zA-Z0-9_- or $default, up to 128 characters")
	}
	if record.Stages[stage.StageName] != nil {
		return 0, nil, conflict("Stage %s already exists", stage.StageName)
	}
	if len(record.Stages) >= maxStagesPerAPI {
		return 0, nil, badRequest("Stages per API limit of %d exceeded", maxStagesPerAPI)
	}
	stage.CreatedDate, stage.LastUpdatedDate, stage.APIGatewayManaged = c.Now.Truncate(1e9), c.Now.Truncate(1e9), false
	if err := record.validateStage(stage); err != nil {
		return 0, nil, err
	}
	record.Stages[stage.StageName] = stage
	if stage.AutoDeploy {
		record.deployStage(c, stage, true, nil)
	}
	return http.StatusCreated, stage, nil
}

// validateStage checks the stage's tags and deployment.
func (record *v2APIRecord) validateStage(stage *v2Stage) error {
	if stage.Tags == nil {
		stage.Tags = map[string]string{}
	}
	if stage.StageVariables == nil {
		stage.StageVariables = map[string]string{}
	}
	if stage.RouteSettings == nil {
		stage.RouteSettings = map[string]v2RouteSettings{}
	}
	if err := validateTags(stage.Tags); err != nil {
		return err
	}
	if stage.DeploymentID != nil && record.Deployments[*stage.DeploymentID] == nil {
		return badRequest("Invalid deployment identifier specified %s", *stage.DeploymentID)
	}
	return nil
}

func (svc *v2Service) lookupStage(c *call, params pathParams) (*v2APIRecord, *v2Stage, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	stage, ok := record.Stages[params["stageName"]]
	if !ok {
		return nil, nil, notFound("Invalid stage identifier specified %s", params["stageName"])
	}
	return record, stage, nil
}

func (svc *v2Service) getStage(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	_, stage, err := svc.lookupStage(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, stage, nil
}

func (svc *v2Service) getStages(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, record.Stages, func(s *v2Stage) string { return s.StageName }, copyOf[v2Stage])
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// updateStage changes the members present. Tags are not UpdateStage members.
func (svc *v2Service) updateStage(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, stage, err := svc.lookupStage(c, params)
	if err != nil {
		return 0, nil, err
	}
	updated := deepCopy(*stage)
	if err := decodeBody(body, &updated); err != nil {
		return 0, nil, err
	}
	updated.StageName, updated.CreatedDate, updated.Tags = stage.StageName, stage.CreatedDate, stage.Tags
	updated.APIGatewayManaged, updated.LastUpdatedDate = stage.APIGatewayManaged, c.Now.Truncate(1e9)
	if err := record.validateStage(&updated); err != nil {
		return 0, nil, err
	}
	record.Stages[stage.StageName] = &updated
	if updated.AutoDeploy && !stage.AutoDeploy {
		record.deployStage(c, &updated, true, nil)
	}
	record.pruneAutoDeployments()
	return http.StatusOK, updated, nil
}

func (svc *v2Service) deleteStage(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, stage, err := svc.lookupStage(c, params)
	if err != nil {
		return 0, nil, err
	}
	delete(record.Stages, stage.StageName)
	record.pruneAutoDeployments()
	return http.StatusNoContent, nil, nil
}

// deployStage freezes the API's current routes and integrations into a new
// deployment and points the stage at it.
func (record *v2APIRecord) deployStage(c *call, stage *v2Stage, auto bool, description *string) *v2DeploymentRecord {
	deployment := record.newDeployment(c, auto, description)
	stage.DeploymentID = ptr(deployment.Deployment.DeploymentID)
	stage.LastDeploymentStatusMessage = ptr(fmt.Sprintf("Successfully deployed stage with deployment ID '%s'", deployment.Deployment.DeploymentID))
	stage.LastUpdatedDate = c.Now.Truncate(1e9)
	return deployment
}

func (record *v2APIRecord) newDeployment(c *call, auto bool, description *string) *v2DeploymentRecord {
	deployment := &v2DeploymentRecord{
		Deployment: v2Deployment{
			AutoDeployed:     auto,
			CreatedDate:      c.Now.Truncate(1e9),
			DeploymentID:     newID(6),
			DeploymentStatus: "DEPLOYED",
			Description:      description,
		},
		Routes:       map[string]*v2Route{},
		Integrations: map[string]*v2Integration{},
	}
	for id, route := range record.Routes {
		frozen := *route
		deployment.Routes[id] = &frozen
	}
	for id, integration := range record.Integrations {
		frozen := *integration
		deployment.Integrations[id] = &frozen
	}
	record.Deployments[deployment.Deployment.DeploymentID] = deployment
	return deployment
}

// autoDeploy redeploys every stage with autoDeploy after a change to the
// API's routes or integrations, as AWS does.
func (record *v2APIRecord) autoDeploy(c *call) {
	for _, stage := range record.Stages {
		if stage.AutoDeploy {
			record.deployStage(c, stage, true, nil)
		}
	}
	record.pruneAutoDeployments()
}

// pruneAutoDeployments forgets automatic deployments no stage points at, so
// the state (and the state file) does not grow with every change.
func (record *v2APIRecord) pruneAutoDeployments() {
	inUse := map[string]bool{}
	for _, stage := range record.Stages {
		if stage.DeploymentID != nil {
			inUse[*stage.DeploymentID] = true
		}
	}
	for id, deployment := range record.Deployments {
		if deployment.Deployment.AutoDeployed && !inUse[id] {
			delete(record.Deployments, id)
		}
	}
}

// v2DeploymentInput is CreateDeployment's body.
type v2DeploymentInput struct {
	Description *string `json:"description"`
	StageName   *string `json:"stageName"`
}

func (svc *v2Service) createDeployment(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	var input v2DeploymentInput
	if err := decodeBody(body, &input); err != nil {
		return 0, nil, err
	}
	var stage *v2Stage
	if input.StageName != nil {
		if stage = record.Stages[*input.StageName]; stage == nil {
			return 0, nil, badRequest("Invalid stage identifier specified %s", *input.StageName)
		}
		if stage.AutoDeploy {
			return 0, nil, badRequest("Stage %s has autoDeploy enabled: deployments are created automatically", stage.StageName)
		}
	}
	if input.Description != nil && len(*input.Description) > 1024 {
		return 0, nil, badRequest("Invalid description: must be at most 1024 characters")
	}
	if err := c.limit("CreateDeployment"); err != nil {
		return 0, nil, err
	}
	var deployment *v2DeploymentRecord
	if stage != nil {
		deployment = record.deployStage(c, stage, false, input.Description)
		record.pruneAutoDeployments()
	} else {
		deployment = record.newDeployment(c, false, input.Description)
	}
	return http.StatusCreated, deployment.Deployment, nil
}

func (svc *v2Service) lookupDeployment(c *call, params pathParams) (*v2APIRecord, *v2DeploymentRecord, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return nil, nil, err
	}
	deployment, ok := record.Deployments[params["deploymentId"]]
	if !ok {
		return nil, nil, notFound("Invalid Deployment identifier specified %s", params["deploymentId"])
	}
	return record, deployment, nil
}

func (svc *v2Service) getDeployment(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	_, deployment, err := svc.lookupDeployment(c, params)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, deployment.Deployment, nil
}

func (svc *v2Service) getDeployments(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	page, err := paginate(r, record.Deployments,
		func(d *v2DeploymentRecord) string { return d.Deployment.DeploymentID },
		func(d *v2DeploymentRecord) v2Deployment { return d.Deployment })
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, page, nil
}

// deleteDeployment refuses to remove what a stage serves.
func (svc *v2Service) deleteDeployment(c *call, r *http.Request, body []byte, params pathParams) (int, any, error) {
	record, deployment, err := svc.lookupDeployment(c, params)
	if err != nil {
		return 0, nil, err
	}
	id := deployment.Deployment.DeploymentID
	for _, stage := range record.Stages {
		if stage.DeploymentID != nil && *stage.DeploymentID == id {
			return 0, nil, badRequest("Active stages pointing to this deployment must be moved or deleted")
		}
	}
	delete(record.Deployments, id)
	return http.StatusNoContent, nil, nil
}
