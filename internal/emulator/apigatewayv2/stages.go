package apigatewayv2

import (
	"fmt"
	"net/http"
	"regexp"

	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/tags"
)

// maxStagesPerAPI is the quota "stages per API" of HTTP and WebSocket
// APIs; autoDeploymentDescription is what AWS writes on the deployments a
// stage with autoDeploy gets (AWS CLI examples, get-deployments).
const (
	maxStagesPerAPI           = 10
	autoDeploymentDescription = "Automatic deployment triggered by changes to the Api configuration"
)

var stageNamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)

// newStage is a stage with AWS's defaults.
func newStage(c *core.Call, name string, autoDeploy bool) *Stage {
	now := c.Now.Truncate(1e9)
	return &Stage{
		AutoDeploy:           autoDeploy,
		CreatedDate:          now,
		DefaultRouteSettings: &RouteSettings{DetailedMetricsEnabled: ptr(false)},
		LastUpdatedDate:      now,
		RouteSettings:        map[string]RouteSettings{},
		StageName:            name,
		StageVariables:       map[string]string{},
		Tags:                 map[string]string{},
	}
}

func (svc *Service) stages() childHandlers[Stage, Stage] {
	return childHandlers[Stage, Stage]{svc: svc, kind: child[Stage, Stage]{
		label:    "stageName",
		of:       func(record *APIRecord) map[string]*Stage { return record.Stages },
		idOf:     func(s *Stage) string { return s.StageName },
		notFound: errNotFoundStage,
		view:     copyOf[Stage],
		fresh:    func(c *core.Call) *Stage { return newStage(c, "", false) },
		prepare:  prepareStage,
		stored: func(c *core.Call, record *APIRecord, current, stage *Stage) {
			if stage.AutoDeploy && (current == nil || !current.AutoDeploy) {
				record.deployStage(c, stage, true, nil)
			}
			if current != nil {
				record.pruneAutoDeployments()
			}
		},
		deleted: func(_ *core.Call, record *APIRecord) { record.pruneAutoDeployments() },
		limit:   maxStagesPerAPI, plural: "Stages", tooMany: errTooMany,
	}}
}

// prepareStage checks a new stage's name, or keeps an updated stage's
// immutable members (tags are not UpdateStage members), then validates it.
func prepareStage(c *core.Call, record *APIRecord, current, stage *Stage) error {
	now := c.Now.Truncate(1e9)
	if current == nil {
		if stage.StageName != "$default" && !stageNamePattern.MatchString(stage.StageName) {
			return errInvalidStageName.With()
		}
		if stage.StageName == "$default" && record.API.ProtocolType != "HTTP" {
			return errDefaultStageHTTPOnly.With()
		}
		if record.Stages[stage.StageName] != nil {
			return errConflictStage.With(stage.StageName)
		}
		if stage.AutoDeploy && stage.DeploymentID != nil {
			return errDeploymentIDWithAutoDeploy.With()
		}
		stage.CreatedDate, stage.LastUpdatedDate, stage.APIGatewayManaged = now, now, false
		if record.API.ProtocolType == "WEBSOCKET" && stage.DefaultRouteSettings != nil {
			defaults := RouteSettings{DataTraceEnabled: ptr(false), DetailedMetricsEnabled: ptr(false), LoggingLevel: ptr("OFF")}
			stage.DefaultRouteSettings = mergeRouteSettings(defaults, *stage.DefaultRouteSettings)
		}
	} else {
		stage.StageName, stage.CreatedDate, stage.Tags = current.StageName, current.CreatedDate, current.Tags
		stage.APIGatewayManaged, stage.LastUpdatedDate = current.APIGatewayManaged, now
		if stage.AutoDeploy && !sameString(stage.DeploymentID, current.DeploymentID) {
			return errDeploymentIDWithAutoDeploy.With()
		}
	}
	return record.validateStage(current, stage)
}

// mergeRouteSettings is base with the members set in over.
func mergeRouteSettings(base, over RouteSettings) *RouteSettings {
	if over.DataTraceEnabled != nil {
		base.DataTraceEnabled = over.DataTraceEnabled
	}
	if over.DetailedMetricsEnabled != nil {
		base.DetailedMetricsEnabled = over.DetailedMetricsEnabled
	}
	if over.LoggingLevel != nil {
		base.LoggingLevel = over.LoggingLevel
	}
	if over.ThrottlingBurstLimit != nil {
		base.ThrottlingBurstLimit = over.ThrottlingBurstLimit
	}
	if over.ThrottlingRateLimit != nil {
		base.ThrottlingRateLimit = over.ThrottlingRateLimit
	}
	return &base
}

func sameString(a, b *string) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// validateStage checks the stage's tags, deployment, route settings, stage
// variables and access log settings.
func (record *APIRecord) validateStage(current, stage *Stage) error {
	if stage.Tags == nil {
		stage.Tags = map[string]string{}
	}
	if stage.StageVariables == nil {
		stage.StageVariables = map[string]string{}
	}
	if stage.RouteSettings == nil {
		stage.RouteSettings = map[string]RouteSettings{}
	}
	if violation := tags.Check(nil, stage.Tags); violation != nil {
		return invalidTags(violation)
	}
	if stage.DeploymentID != nil && record.Deployments[*stage.DeploymentID] == nil {
		return errInvalidDeploymentID.With(*stage.DeploymentID)
	}
	if err := record.validateRouteSettings(current, stage); err != nil {
		return err
	}
	if err := validateStageVariables(stage.StageVariables); err != nil {
		return err
	}
	return validateAccessLogSettings(stage.AccessLogSettings)
}

// deployStage freezes the API's current routes and integrations into a new
// deployment and points the stage at it.
func (record *APIRecord) deployStage(c *core.Call, stage *Stage, auto bool, description *string) *DeploymentRecord {
	if auto {
		description = ptr(autoDeploymentDescription)
	}
	deployment := record.newDeployment(c, auto, description)
	stage.DeploymentID = ptr(deployment.Deployment.DeploymentID)
	stage.LastDeploymentStatusMessage = ptr(fmt.Sprintf("Successfully deployed stage with deployment ID '%s'", deployment.Deployment.DeploymentID))
	stage.LastUpdatedDate = c.Now.Truncate(1e9)
	return deployment
}

func (record *APIRecord) newDeployment(c *core.Call, auto bool, description *string) *DeploymentRecord {
	deployment := &DeploymentRecord{
		Deployment: Deployment{
			AutoDeployed:     auto,
			CreatedDate:      c.Now.Truncate(1e9),
			DeploymentID:     core.NewID(6),
			DeploymentStatus: "DEPLOYED",
			Description:      description,
		},
		Routes:       core.DeepCopy(record.Routes),
		Integrations: core.DeepCopy(record.Integrations),
		Config:       core.DeepCopy(record.Config),
		Selection:    &SelectionExpressions{Route: record.API.RouteSelectionExpression, APIKey: record.API.APIKeySelectionExpression},
	}
	record.Deployments[deployment.Deployment.DeploymentID] = deployment
	return deployment
}

// autoDeploy redeploys every stage with autoDeploy after a change to the
// API's routes or integrations, as AWS does.
func (record *APIRecord) autoDeploy(c *core.Call) {
	for _, stage := range record.Stages {
		if stage.AutoDeploy {
			record.deployStage(c, stage, true, nil)
		}
	}
	record.pruneAutoDeployments()
}

// pruneAutoDeployments forgets automatic deployments no stage points at, so
// the state (and the state file) does not grow with every change.
func (record *APIRecord) pruneAutoDeployments() {
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

// DeploymentInput is CreateDeployment's body.
type DeploymentInput struct {
	Description *string `json:"description"`
	StageName   *string `json:"stageName"`
}

func (svc *Service) createDeployment(c *core.Call, _ *http.Request, body []byte, params core.PathParams) (int, any, error) {
	record, err := svc.lookupAPI(c, params)
	if err != nil {
		return 0, nil, err
	}
	var input DeploymentInput
	if err := decodeBody(body, &input); err != nil {
		return 0, nil, err
	}
	var stage *Stage
	if input.StageName != nil {
		if stage = record.Stages[*input.StageName]; stage == nil {
			return 0, nil, errInvalidStageForDeployment.With(*input.StageName)
		}
		if stage.AutoDeploy {
			return 0, nil, errStageDeploysAutomatically.With(stage.StageName)
		}
	}
	if input.Description != nil && len(*input.Description) > 1024 {
		return 0, nil, errInvalidDescription.With()
	}
	if err := c.Limit(awsquotas.Operation{Service: awsquotas.ServiceAPIGatewayV2, Name: "CreateDeployment"}); err != nil {
		return 0, nil, err
	}
	var deployment *DeploymentRecord
	if stage != nil {
		deployment = record.deployStage(c, stage, false, input.Description)
		record.pruneAutoDeployments()
	} else {
		deployment = record.newDeployment(c, false, input.Description)
	}
	return http.StatusCreated, deployment.Deployment, nil
}

func (svc *Service) deployments() childHandlers[DeploymentRecord, Deployment] {
	return childHandlers[DeploymentRecord, Deployment]{svc: svc, kind: child[DeploymentRecord, Deployment]{
		label:     "deploymentId",
		of:        func(record *APIRecord) map[string]*DeploymentRecord { return record.Deployments },
		idOf:      func(d *DeploymentRecord) string { return d.Deployment.DeploymentID },
		notFound:  errNotFoundDeployment,
		view:      func(d *DeploymentRecord) Deployment { return d.Deployment },
		deletable: deploymentUnused,
	}}
}

// deploymentUnused refuses to remove what a stage serves.
func deploymentUnused(record *APIRecord, deployment *DeploymentRecord) error {
	for _, stage := range record.Stages {
		if stage.DeploymentID != nil && *stage.DeploymentID == deployment.Deployment.DeploymentID {
			return errDeploymentInUse.With()
		}
	}
	return nil
}
