package serving

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// Client observes and changes what APIs serve, in one account and region.
// Every call goes through the SDK clients it was given; built by ClientFor,
// they wait on the account's shared limiter (CreateDeployment's 1 per 5 s
// and GetResources' 5 per 2 s included), so this package never sleeps.
type Client struct {
	v2        V2API
	rest      RestAPI
	region    string
	responses responseCache
}

// NewClient returns a Client for REST APIs through rest and HTTP and
// WebSocket APIs through v2, in region.
func NewClient(rest RestAPI, v2 V2API, region string) *Client {
	return &Client{v2: v2, rest: rest, region: region}
}

// ClientFor returns the provider's serving client, cached by the factory
// for the provider's settings; its SDK clients are built from the same
// limited config as package gateway's.
func ClientFor(ctx context.Context, f *session.Factory, key string, s session.Settings) (*Client, error) {
	return session.Cached(ctx, f, key, s, "apigateway-serving", func(cfg aws.Config) *Client {
		return NewClient(apigateway.NewFromConfig(cfg), apigatewayv2.NewFromConfig(cfg), s.Region)
	})
}

// Observe reads the API's children with one list walk per family: for
// HTTP and WebSocket APIs GetIntegrations, GetAuthorizers, GetRoutes,
// GetStages and GetDeployments (5 calls when each fits a page); for REST
// APIs GetResources with embed=methods (methods and their integrations
// come with it), GetAuthorizers, GetRequestValidators, GetStages and
// GetDeployments (5). WebSocket APIs add one call per MOCK integration
// (GetIntegrationResponses) and per route with a route response selection
// expression (GetRouteResponses).
func (c *Client) Observe(ctx context.Context, api gateway.API) (*Observed, error) {
	return c.observe(ctx, api, 0)
}

// observe is Observe trusting, for responseResync, what the last full read
// found of a WebSocket API's responses (see responseCache).
func (c *Client) observe(ctx context.Context, api gateway.API, responseResync time.Duration) (*Observed, error) {
	o := &Observed{API: api, Region: c.region}
	var err error
	switch api.Protocol {
	case gateway.ProtocolREST:
		err = c.observeREST(ctx, o)
	case gateway.ProtocolHTTP, gateway.ProtocolWebSocket:
		err = c.observeV2(ctx, o, responseResync)
	default:
		err = fmt.Errorf("unknown protocol %q", api.Protocol)
	}
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Reconcile brings the API to desired in one pass: Observe, NewPlan, Apply.
// The Result's Changes are what the pass acted on.
func (c *Client) Reconcile(ctx context.Context, api gateway.API, desired Serving) (Result, error) {
	observed, err := c.observe(ctx, api, desired.ResponseResync)
	if err != nil {
		return Result{}, err
	}
	plan, err := NewPlan(desired, observed)
	if err != nil {
		return Result{}, err
	}
	return c.Apply(ctx, plan)
}

// Apply carries out the plan's actions in order, stopping at the first
// failure (the next pass observes again and goes on from there; no step
// is lost, since deployments are decided from the hash and not from what
// this pass did). It returns each declared stage's invoke URL and
// deployment.
func (c *Client) Apply(ctx context.Context, plan Plan) (Result, error) {
	a := newApplier(c, plan)
	result := Result{Changes: plan.Changes(), ObservedRoutes: len(plan.observed.Routes) + len(plan.observed.Methods)}
	if !plan.Empty() {
		c.responses.forget(plan.observed.API.ID)
	}
	for _, action := range plan.Actions {
		if err := a.apply(ctx, action); err != nil {
			return result, fmt.Errorf("%s: %w", action, err)
		}
	}
	result.DeploymentCreated = a.createdDeployment
	result.Stages = a.stageStatuses()
	return result, nil
}

// applier is one Apply's state: the ids of children known by name, those
// the plan creates included.
type applier struct {
	c        *Client
	plan     Plan
	desired  *desiredState
	observed *Observed
	apiID    string

	integrationIDs map[string]string
	authorizerIDs  map[string]string
	validatorIDs   map[string]string
	resourceIDs    map[string]string
	// createdDeployment is the id of the deployment the plan made.
	createdDeployment string
}

func newApplier(c *Client, plan Plan) *applier {
	a := &applier{
		c: c, plan: plan, desired: &plan.desired, observed: plan.observed, apiID: plan.observed.API.ID,
		integrationIDs: idsByKey(plan.observed.Integrations),
		authorizerIDs:  idsByKey(plan.observed.Authorizers),
		validatorIDs:   idsByKey(plan.observed.Validators),
		resourceIDs:    map[string]string{},
	}
	for _, r := range plan.observed.Resources {
		a.resourceIDs[r.Path] = r.ID
	}
	return a
}

// idsByKey maps the kept children's keys to their ids (canonicalChildren
// left one child per key).
func idsByKey(children []child) map[string]string {
	ids := map[string]string{}
	for _, c := range children {
		if c.Key != "" {
			ids[c.Key] = c.ID
		}
	}
	return ids
}

func (a *applier) apply(ctx context.Context, action Action) error {
	if a.desired.protocol == gateway.ProtocolREST {
		return a.applyREST(ctx, action)
	}
	return a.applyV2(ctx, action)
}

// deploymentFor resolves a stage's target deployment.
func (a *applier) deploymentFor(stageName string) (string, bool) {
	target, ok := a.desired.stageDeployments[stageName]
	if target == newDeployment {
		target = a.createdDeployment
	}
	return target, ok
}

func (a *applier) stageStatuses() []StageStatus {
	observed := index(a.observed.Stages, func(s *stage) string { return s.Name })
	statuses := make([]StageStatus, 0, len(a.desired.serving.Stages))
	for _, s := range a.desired.serving.Stages {
		status := StageStatus{Name: s.Name, InvokeURL: invokeURL(a.observed.API, s.Name)}
		if id, ok := a.deploymentFor(s.Name); ok {
			status.DeploymentID = id
		} else if current := observed[s.Name]; current != nil {
			status.DeploymentID = current.DeploymentID
		}
		statuses = append(statuses, status)
	}
	return statuses
}

// invokeURL is where a stage serves: the API's endpoint, then the stage
// name but for the $default stage, which serves at the root.
func invokeURL(api gateway.API, stageName string) string {
	if stageName == "$default" {
		return api.Endpoint
	}
	return api.Endpoint + "/" + stageName
}

// changedFields are the fields an update's changes name.
func changedFields(action Action) map[string]bool {
	changed := map[string]bool{}
	for _, c := range action.Changes {
		changed[c.Field] = true
	}
	return changed
}

func stageFields(protocol gateway.Protocol, s Stage) fields {
	if protocol == gateway.ProtocolREST {
		return restStageFields(s)
	}
	return v2StageFields(s)
}
