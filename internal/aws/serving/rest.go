package serving

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// restPageSize is the maximum limit of the v1 lists ("default 25, maximum
// 500").
const restPageSize = 500

func (c *Client) observeREST(ctx context.Context, o *Observed) error {
	id := aws.String(o.API.ID)
	resources, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]types.Resource, *string, error) {
		out, err := c.rest.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: id, Embed: []string{"methods"}, Limit: aws.Int32(restPageSize), Position: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.Position, nil
	})
	if err != nil {
		return err
	}
	authorizers, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]types.Authorizer, *string, error) {
		out, err := c.rest.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: id, Limit: aws.Int32(restPageSize), Position: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.Position, nil
	})
	if err != nil {
		return err
	}
	validators, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]types.RequestValidator, *string, error) {
		out, err := c.rest.GetRequestValidators(ctx, &apigateway.GetRequestValidatorsInput{RestApiId: id, Limit: aws.Int32(restPageSize), Position: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.Position, nil
	})
	if err != nil {
		return err
	}
	// GetStages has no pages: it answers every stage (at most 10).
	stages, err := c.rest.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: id})
	if err != nil {
		return err
	}
	deployments, err := gateway.WalkPages(ctx, func(ctx context.Context, token *string) ([]types.Deployment, *string, error) {
		out, err := c.rest.GetDeployments(ctx, &apigateway.GetDeploymentsInput{RestApiId: id, Limit: aws.Int32(restPageSize), Position: token})
		if err != nil {
			return nil, nil, err
		}
		return out.Items, out.Position, nil
	})
	if err != nil {
		return err
	}
	o.fillREST(resources, authorizers, validators, stages.Item, deployments)
	return nil
}

func (o *Observed) fillREST(resources []types.Resource, authorizers []types.Authorizer, validators []types.RequestValidator, stages []types.Stage, deployments []types.Deployment) {
	var authorizerNames, validatorNames map[string]string
	for _, a := range authorizers {
		o.Authorizers = append(o.Authorizers, observedRestAuthorizer(a))
	}
	o.Authorizers, authorizerNames = canonicalChildren(o.Authorizers)
	for _, v := range validators {
		o.Validators = append(o.Validators, observedRestValidator(v))
	}
	o.Validators, validatorNames = canonicalChildren(o.Validators)
	for _, r := range resources {
		path := aws.ToString(r.Path)
		o.Resources = append(o.Resources, resource{ID: aws.ToString(r.Id), ParentID: aws.ToString(r.ParentId), Path: path})
		for _, verb := range slices.Sorted(maps.Keys(r.ResourceMethods)) {
			m := observedRestMethod(path, r.ResourceMethods[verb], authorizerNames, validatorNames)
			m.ID = aws.ToString(r.Id)
			o.Methods = append(o.Methods, m)
		}
	}
	for _, s := range stages {
		o.Stages = append(o.Stages, observedRestStage(s))
	}
	for _, d := range deployments {
		o.Deployments = append(o.Deployments, Deployment{ID: aws.ToString(d.Id), Description: aws.ToString(d.Description), Created: aws.ToTime(d.CreatedDate)})
	}
}

// planREST plans authorizers, the resource tree and its methods. Resources
// are created parents first; of the resources nothing declares only the
// topmost are deleted, since AWS deletes a resource with everything under
// it, and the methods under them go with them.
func planREST(d *desiredState, o *Observed, acts *actions) {
	var authorizers, validators, methods keyed
	for _, a := range d.serving.Authorizers {
		authorizers.add(a.Name, restAuthorizerFields(d.region, a))
	}
	for _, m := range d.tree.Methods {
		methods.add(m.Key(), restMethodFields(d, m))
	}
	if slices.ContainsFunc(d.serving.Routes, requiresParameters) {
		validators.add(paramsValidator, restValidatorFields)
	}
	diffFamily(acts, KindAuthorizer, o.Authorizers, authorizers, phaseTargets, phaseTargetDeletes)
	diffFamily(acts, KindValidator, o.Validators, validators, phaseTargets, phaseTargetDeletes)

	declared := map[string]bool{"/": true}
	for _, path := range d.tree.Resources {
		declared[path] = true
	}
	existing := map[string]string{}
	for _, r := range o.Resources {
		existing[r.Path] = r.ID
	}
	for _, path := range d.tree.Resources {
		if _, ok := existing[path]; !ok {
			acts.add(phaseResources, Action{Op: OpCreate, Kind: KindResource, Key: path})
		}
	}
	gone := map[string]bool{}
	for _, r := range o.Resources {
		if declared[r.Path] {
			continue
		}
		gone[r.Path] = true
		if declared[parentPath(r.Path)] {
			acts.add(phaseResourceDeletes, Action{Op: OpDelete, Kind: KindResource, Key: r.Path, ID: r.ID})
		}
	}
	var kept []child
	for _, m := range o.Methods {
		if _, path, _ := strings.Cut(m.Key, " "); !gone[path] {
			kept = append(kept, m)
		}
	}
	diffFamily(acts, KindMethod, kept, methods, phaseRoutes, phaseRoutes)
}

func (a *applier) applyREST(ctx context.Context, action Action) error {
	switch action.Kind {
	case KindAuthorizer:
		return a.applyRestAuthorizer(ctx, action)
	case KindValidator:
		return a.applyRestValidator(ctx, action)
	case KindResource:
		return a.applyRestResource(ctx, action)
	case KindMethod:
		return a.applyRestMethod(ctx, action)
	case KindDeployment:
		return a.applyRestDeployment(ctx, action)
	case KindStage:
		return a.applyRestStage(ctx, action)
	}
	return nil
}

func (a *applier) applyRestResource(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.rest.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: api, ResourceId: aws.String(action.ID)})
		return err
	}
	out, err := a.c.rest.CreateResource(ctx, &apigateway.CreateResourceInput{
		RestApiId: api, ParentId: aws.String(a.resourceIDs[parentPath(action.Key)]), PathPart: aws.String(lastPart(action.Key)),
	}, gateway.RetryCreateOnlyWhenThrottledV1)
	if err != nil {
		return err
	}
	a.resourceIDs[action.Key] = aws.ToString(out.Id)
	return nil
}

func (a *applier) restMethod(key string) restMethodRoute {
	for _, m := range a.desired.tree.Methods {
		if m.Key() == key {
			return m
		}
	}
	panic("serving: plan names undeclared method " + key)
}

// applyRestMethod puts a method with its integration. An update whose
// changes are all the integration's puts the integration again (PutIntegration
// replaces it); any other update deletes and puts the method, since
// UpdateMethod would need a patch per member for no gain: the stages serve
// their deployment meanwhile.
func (a *applier) applyRestMethod(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	verb, _, _ := strings.Cut(action.Key, " ")
	if action.Op == OpDelete {
		_, err := a.c.rest.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: api, ResourceId: aws.String(action.ID), HttpMethod: aws.String(verb)})
		return err
	}
	m := a.restMethod(action.Key)
	resourceID := a.resourceIDs[m.Path]
	if action.Op == OpUpdate && integrationOnly(action) {
		return a.putRestIntegration(ctx, resourceID, m)
	}
	if action.Op == OpUpdate {
		if _, err := a.c.rest.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: api, ResourceId: aws.String(resourceID), HttpMethod: aws.String(verb)}); err != nil {
			return err
		}
	}
	in := a.desired.integrations[m.Route.Integration]
	put := &apigateway.PutMethodInput{
		RestApiId: api, ResourceId: aws.String(resourceID), HttpMethod: aws.String(m.Verb),
		AuthorizationType: aws.String(restAuthorizationType(m.Route, a.desired.authorizers)),
		ApiKeyRequired:    m.Route.APIKeyRequired, AuthorizationScopes: m.Route.AuthorizationScopes,
		RequestParameters: newRestMethodRequest(m, in).methodParameters,
	}
	if m.Route.Authorizer != "" {
		put.AuthorizerId = aws.String(a.authorizerIDs[m.Route.Authorizer])
	}
	if requiresParameters(m.Route) {
		put.RequestValidatorId = aws.String(a.validatorIDs[paramsValidator])
	}
	if _, err := a.c.rest.PutMethod(ctx, put); err != nil {
		return err
	}
	if in.Mock != nil {
		if _, err := a.c.rest.PutMethodResponse(ctx, &apigateway.PutMethodResponseInput{
			RestApiId: api, ResourceId: aws.String(resourceID), HttpMethod: aws.String(m.Verb), StatusCode: aws.String(restMockStatus(in.Mock)),
		}); err != nil {
			return err
		}
	}
	return a.putRestIntegration(ctx, resourceID, m)
}

func integrationOnly(action Action) bool {
	for _, c := range action.Changes {
		if !strings.HasPrefix(c.Field, "integration.") {
			return false
		}
	}
	return true
}

// putRestIntegration puts the method's integration (and, for a mock, the
// integration response that answers its status with its body).
func (a *applier) putRestIntegration(ctx context.Context, resourceID string, m restMethodRoute) error {
	f := restMethodFields(a.desired, m)
	in := a.desired.integrations[m.Route.Integration]
	put := &apigateway.PutIntegrationInput{
		RestApiId: aws.String(a.apiID), ResourceId: aws.String(resourceID), HttpMethod: aws.String(m.Verb),
		Type:                  types.IntegrationType(f["integration.type"]),
		IntegrationHttpMethod: optional(f["integration.method"]),
		Uri:                   optional(f["integration.uri"]),
		ConnectionType:        types.ConnectionType(f["integration.connectionType"]),
		ConnectionId:          optional(f["integration.connectionId"]),
		RequestParameters:     newRestMethodRequest(m, in).integrationParameters,
	}
	if in.TimeoutMillis > 0 {
		put.TimeoutInMillis = aws.Int32(in.TimeoutMillis)
	}
	if in.Mock != nil {
		put.RequestTemplates = restMockRequestTemplates(in.Mock)
	}
	if _, err := a.c.rest.PutIntegration(ctx, put); err != nil {
		return err
	}
	if in.Mock == nil {
		return nil
	}
	response := &apigateway.PutIntegrationResponseInput{
		RestApiId: aws.String(a.apiID), ResourceId: aws.String(resourceID), HttpMethod: aws.String(m.Verb),
		StatusCode: aws.String(restMockStatus(in.Mock)), SelectionPattern: aws.String(""),
	}
	if in.Mock.Body != "" {
		response.ResponseTemplates = map[string]string{restContentType: in.Mock.Body}
	}
	_, err := a.c.rest.PutIntegrationResponse(ctx, response)
	return err
}

// applyRestValidator creates, corrects or deletes a request validator: the
// params-only one is the only one declared.
func (a *applier) applyRestValidator(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	switch action.Op {
	case OpDelete:
		_, err := a.c.rest.DeleteRequestValidator(ctx, &apigateway.DeleteRequestValidatorInput{RestApiId: api, RequestValidatorId: aws.String(action.ID)})
		return err
	case OpCreate:
		out, err := a.c.rest.CreateRequestValidator(ctx, &apigateway.CreateRequestValidatorInput{
			RestApiId: api, Name: aws.String(action.Key), ValidateRequestParameters: true,
		}, gateway.RetryCreateOnlyWhenThrottledV1)
		if err != nil {
			return err
		}
		a.validatorIDs[action.Key] = aws.ToString(out.Id)
		return nil
	}
	var ops []types.PatchOperation
	for _, c := range action.Changes {
		ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String("/" + c.Field), Value: aws.String(c.To)})
	}
	_, err := a.c.rest.UpdateRequestValidator(ctx, &apigateway.UpdateRequestValidatorInput{RestApiId: api, RequestValidatorId: aws.String(action.ID), PatchOperations: ops})
	return err
}

func (a *applier) applyRestAuthorizer(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.rest.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: api, AuthorizerId: aws.String(action.ID)})
		return err
	}
	auth := a.desired.authorizers[action.Key]
	f := restAuthorizerFields(a.desired.region, *auth)
	if action.Op == OpCreate {
		in := &apigateway.CreateAuthorizerInput{
			RestApiId: api, Name: aws.String(auth.Name), Type: types.AuthorizerType(f["type"]),
			IdentitySource: optional(f["identitySource"]), AuthorizerUri: optional(f["uri"]),
			IdentityValidationExpression: optional(f["identityValidationExpression"]),
		}
		if auth.Cognito != nil {
			in.ProviderARNs = auth.Cognito.UserPoolARNs
		} else {
			in.AuthorizerResultTtlInSeconds = auth.Lambda.ResultTTLSeconds
		}
		out, err := a.c.rest.CreateAuthorizer(ctx, in, gateway.RetryCreateOnlyWhenThrottledV1)
		if err != nil {
			return err
		}
		a.authorizerIDs[action.Key] = aws.ToString(out.Id)
		return nil
	}
	_, err := a.c.rest.UpdateAuthorizer(ctx, &apigateway.UpdateAuthorizerInput{
		RestApiId: api, AuthorizerId: aws.String(action.ID), PatchOperations: restAuthorizerPatch(action, a.observedAuthorizer(action.ID), f),
	})
	return err
}

func (a *applier) observedAuthorizer(id string) child {
	for _, c := range a.observed.Authorizers {
		if c.ID == id {
			return c
		}
	}
	return child{}
}

// restAuthorizerPaths are the patch paths of the authorizer's scalar fields.
var restAuthorizerPaths = map[string]string{
	"type": "/type", "uri": "/authorizerUri", "identitySource": "/identitySource",
	"identityValidationExpression": "/identityValidationExpression", "ttl": "/authorizerResultTtlInSeconds",
}

func restAuthorizerPatch(action Action, observed child, desired fields) []types.PatchOperation {
	var ops []types.PatchOperation
	for _, c := range action.Changes {
		if path, ok := restAuthorizerPaths[c.Field]; ok {
			ops = append(ops, replaceOrRemove(path, desired[c.Field]))
		}
		if c.Field == "providerARNs" {
			ops = append(ops, setPatch("/providerARNs", listOf(observed.Fields["providerARNs"]), listOf(desired["providerARNs"]))...)
		}
	}
	return ops
}

func replaceOrRemove(path, value string) types.PatchOperation {
	if value == "" {
		return types.PatchOperation{Op: types.OpRemove, Path: aws.String(path)}
	}
	return types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)}
}

// setPatch adds and removes members of a list kept as a set.
func setPatch(path string, observed, desired []string) []types.PatchOperation {
	var ops []types.PatchOperation
	for _, v := range desired {
		if !slices.Contains(observed, v) {
			ops = append(ops, types.PatchOperation{Op: types.OpAdd, Path: aws.String(path), Value: aws.String(v)})
		}
	}
	for _, v := range observed {
		if !slices.Contains(desired, v) {
			ops = append(ops, types.PatchOperation{Op: types.OpRemove, Path: aws.String(path), Value: aws.String(v)})
		}
	}
	return ops
}

func listOf(canonicalList string) []string {
	var list []string
	if canonicalList != "" {
		_ = json.Unmarshal([]byte(canonicalList), &list)
	}
	return list
}

func (a *applier) applyRestDeployment(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.rest.DeleteDeployment(ctx, &apigateway.DeleteDeploymentInput{RestApiId: api, DeploymentId: aws.String(action.ID)})
		return err
	}
	out, err := a.c.rest.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{
		RestApiId: api, Description: aws.String(hashMark + a.plan.Hash),
	}, gateway.RetryCreateOnlyWhenThrottledV1)
	if err != nil {
		return err
	}
	a.createdDeployment = aws.ToString(out.Id)
	return nil
}

// applyRestStage creates a stage on its deployment (CreateStage takes no
// method settings or access logs, so a stage that has them gets one
// UpdateStage after), or updates one with a single UpdateStage.
func (a *applier) applyRestStage(ctx context.Context, action Action) error {
	api := aws.String(a.apiID)
	if action.Op == OpDelete {
		_, err := a.c.rest.DeleteStage(ctx, &apigateway.DeleteStageInput{RestApiId: api, StageName: aws.String(action.ID)})
		return err
	}
	s := a.desired.stages[action.Key]
	deployment, _ := a.deploymentFor(s.Name)
	current := a.observedStage(s.Name)
	changed := changedFields(action)
	if action.Op == OpCreate {
		in := &apigateway.CreateStageInput{
			RestApiId: api, StageName: aws.String(s.Name), DeploymentId: aws.String(deployment),
			Description: optional(s.Description), Variables: s.Variables, TracingEnabled: s.Tracing,
		}
		if c := s.Cache; c != nil && c.Enabled {
			in.CacheClusterEnabled, in.CacheClusterSize = true, types.CacheClusterSize(orDefault(c.Size, "0.5"))
		}
		if _, err := a.c.rest.CreateStage(ctx, in, gateway.RetryCreateOnlyWhenThrottledV1); err != nil {
			return err
		}
		current = stage{Name: s.Name, Fields: fields{"methodSettings": "", "accessLogs": ""}}
		desired := restStageFields(*s)
		changed = map[string]bool{"methodSettings": desired["methodSettings"] != "", "accessLogs": desired["accessLogs"] != ""}
	}
	ops := restStagePatch(s, deployment, current, changed)
	if len(ops) == 0 {
		return nil
	}
	_, err := a.c.rest.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api, StageName: aws.String(s.Name), PatchOperations: ops})
	return err
}

// restStagePatch is the UpdateStage patch bringing the changed fields of
// current to s.
func restStagePatch(s *Stage, deployment string, current stage, changed map[string]bool) []types.PatchOperation {
	var ops []types.PatchOperation
	op := func(kind types.Op, path, value string) {
		ops = append(ops, types.PatchOperation{Op: kind, Path: aws.String(path), Value: optional(value)})
	}
	if changed["deployment"] {
		op(types.OpReplace, "/deploymentId", deployment)
	}
	if changed["description"] {
		ops = append(ops, replaceOrRemove("/description", s.Description))
	}
	if changed["tracing"] {
		op(types.OpReplace, "/tracingEnabled", strconv.FormatBool(s.Tracing))
	}
	if changed["variables"] {
		for _, key := range current.VariableKeys {
			if _, kept := s.Variables[key]; !kept {
				op(types.OpRemove, "/variables/"+key, "")
			}
		}
		for _, key := range slices.Sorted(maps.Keys(s.Variables)) {
			op(types.OpReplace, "/variables/"+key, s.Variables[key])
		}
	}
	if changed["cache"] {
		enabled := s.Cache != nil && s.Cache.Enabled
		op(types.OpReplace, "/cacheClusterEnabled", strconv.FormatBool(enabled))
		if enabled {
			op(types.OpReplace, "/cacheClusterSize", orDefault(s.Cache.Size, "0.5"))
		}
	}
	if changed["methodSettings"] {
		ops = append(ops, methodSettingsPatch(current.SettingKeys, desiredMethodSettings(*s))...)
	}
	if changed["accessLogs"] {
		if a := s.AccessLogs; a != nil {
			op(types.OpReplace, "/accessLogSettings/destinationArn", a.DestinationARN)
			op(types.OpReplace, "/accessLogSettings/format", a.Format)
		} else if current.HasAccessLogs {
			op(types.OpRemove, "/accessLogSettings", "")
		}
	}
	return ops
}

// methodSettingsPatch removes the settings nothing declares and writes
// every member of the declared ones, under
// /{resourcePath}/{httpMethod}/{group}/{member}.
func methodSettingsPatch(observedKeys []string, desired map[string]restSetting) []types.PatchOperation {
	var ops []types.PatchOperation
	replace := func(path, value string) {
		ops = append(ops, types.PatchOperation{Op: types.OpReplace, Path: aws.String(path), Value: aws.String(value)})
	}
	for _, key := range observedKeys {
		if _, kept := desired[key]; !kept {
			ops = append(ops, types.PatchOperation{Op: types.OpRemove, Path: aws.String("/" + key)})
		}
	}
	for _, key := range slices.Sorted(maps.Keys(desired)) {
		s, prefix := desired[key], "/"+key+"/"
		rate, burst := float64(accountRateLimit), int32(accountBurstLimit)
		if s.Rate != nil {
			rate, burst = *s.Rate, *s.Burst
		}
		replace(prefix+"throttling/rateLimit", strconv.FormatFloat(rate, 'f', -1, 64))
		replace(prefix+"throttling/burstLimit", strconv.Itoa(int(burst)))
		replace(prefix+"metrics/enabled", strconv.FormatBool(s.DetailedMetrics))
		replace(prefix+"logging/dataTrace", strconv.FormatBool(s.DataTrace))
		replace(prefix+"logging/loglevel", orDefault(s.LoggingLevel, "OFF"))
		replace(prefix+"caching/enabled", strconv.FormatBool(s.Caching))
		if s.Caching {
			replace(prefix+"caching/ttlInSeconds", strconv.Itoa(int(s.CacheTTL)))
		}
	}
	return ops
}
