package emulator

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
)

func TestCreateApiFillsAWSDefaults(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{region: "eu-west-1"})
	before := time.Now().Add(-time.Second)

	created := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
		Name: aws.String("pets"), ProtocolType: types.ProtocolTypeHttp,
	}))(t)

	if len(*created.ApiId) != 10 {
		t.Errorf("apiId = %q, want 10 characters", *created.ApiId)
	}
	port := strings.TrimPrefix(e.baseURL[strings.LastIndex(e.baseURL, ":"):], ":")
	wantEndpoint := "http://" + *created.ApiId + ".execute-api.localhost:" + port
	checks := map[string][2]string{
		"apiEndpoint":               {aws.ToString(created.ApiEndpoint), wantEndpoint},
		"apiKeySelectionExpression": {aws.ToString(created.ApiKeySelectionExpression), "$request.header.x-api-key"},
		"routeSelectionExpression":  {aws.ToString(created.RouteSelectionExpression), "$request.method $request.path"},
		"ipAddressType":             {string(created.IpAddressType), "ipv4"},
		"name":                      {aws.ToString(created.Name), "pets"},
		"protocolType":              {string(created.ProtocolType), "HTTP"},
	}
	for member, got := range checks {
		if got[0] != got[1] {
			t.Errorf("%s = %q, want %q", member, got[0], got[1])
		}
	}
	if created.DisableExecuteApiEndpoint == nil || *created.DisableExecuteApiEndpoint {
		t.Errorf("disableExecuteApiEndpoint = %v, want explicit false", created.DisableExecuteApiEndpoint)
	}
	if created.Tags == nil || len(created.Tags) != 0 {
		t.Errorf("tags = %v, want {}", created.Tags)
	}
	if created.CreatedDate == nil || created.CreatedDate.Before(before) {
		t.Errorf("createdDate = %v, want about now", created.CreatedDate)
	}

	ws := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
		Name: aws.String("chat"), ProtocolType: types.ProtocolTypeWebsocket,
		RouteSelectionExpression: aws.String("$request.body.action"),
	}))(t)
	if !strings.HasPrefix(*ws.ApiEndpoint, "ws://"+*ws.ApiId+".execute-api.localhost:") {
		t.Errorf("websocket apiEndpoint = %q", *ws.ApiEndpoint)
	}
	if *ws.RouteSelectionExpression != "$request.body.action" {
		t.Errorf("websocket routeSelectionExpression = %q", *ws.RouteSelectionExpression)
	}
}

func TestApiLifecycle(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{})
	created := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
		Name: aws.String("orders"), ProtocolType: types.ProtocolTypeHttp,
		Description:               aws.String("first"),
		DisableExecuteApiEndpoint: aws.Bool(true),
		CorsConfiguration:         &types.Cors{AllowOrigins: []string{"https://a.example"}, MaxAge: aws.Int32(300)},
		Tags:                      map[string]string{"team": "x"},
	}))(t)
	id := created.ApiId

	got := must(client.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: id}))(t)
	if *got.Description != "first" || got.Tags["team"] != "x" || *got.CorsConfiguration.MaxAge != 300 {
		t.Fatalf("GetApi = %+v", got)
	}

	// Only the members present change; false is applied when sent explicitly.
	updated := must(client.UpdateApi(coreCtx, &apigatewayv2.UpdateApiInput{
		ApiId: id, Name: aws.String("orders-v2"), DisableExecuteApiEndpoint: aws.Bool(false),
	}))(t)
	if *updated.Name != "orders-v2" || *updated.Description != "first" || *updated.DisableExecuteApiEndpoint {
		t.Fatalf("UpdateApi = name %q description %q disable %v", *updated.Name, *updated.Description, *updated.DisableExecuteApiEndpoint)
	}
	if updated.CorsConfiguration == nil || updated.Tags["team"] != "x" {
		t.Fatalf("UpdateApi dropped members it was not sent: %+v", updated)
	}
	updated = must(client.UpdateApi(coreCtx, &apigatewayv2.UpdateApiInput{
		ApiId: id, CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}},
	}))(t)
	if updated.CorsConfiguration.MaxAge != nil || updated.CorsConfiguration.AllowOrigins[0] != "*" {
		t.Fatalf("corsConfiguration = %+v, want replaced", updated.CorsConfiguration)
	}

	must(client.DeleteCorsConfiguration(coreCtx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: id}))(t)
	got = must(client.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: id}))(t)
	if got.CorsConfiguration != nil {
		t.Fatalf("corsConfiguration after DeleteCorsConfiguration = %+v", got.CorsConfiguration)
	}

	must(client.DeleteApi(coreCtx, &apigatewayv2.DeleteApiInput{ApiId: id}))(t)
	_, err := client.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: id})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:"+*id)
	_, err = client.DeleteApi(coreCtx, &apigatewayv2.DeleteApiInput{ApiId: id})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:"+*id)
	_, err = client.UpdateApi(coreCtx, &apigatewayv2.UpdateApiInput{ApiId: id, Name: aws.String("n")})
	requireTyped[*types.NotFoundException](t, err, "")
}

func TestApiValidationIsAWSs(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{})
	http := func(mutate func(*apigatewayv2.CreateApiInput)) *apigatewayv2.CreateApiInput {
		input := &apigatewayv2.CreateApiInput{Name: aws.String("ok"), ProtocolType: types.ProtocolTypeHttp}
		mutate(input)
		return input
	}
	manyTags := map[string]string{}
	for i := 0; i < 51; i++ {
		manyTags[fmt.Sprintf("k%d", i)] = "v"
	}
	cases := map[string]struct {
		input   *apigatewayv2.CreateApiInput
		message string
	}{
		"empty name":       {http(func(i *apigatewayv2.CreateApiInput) { i.Name = aws.String("") }), "Invalid name: must be between 1 and 128 characters"},
		"long name":        {http(func(i *apigatewayv2.CreateApiInput) { i.Name = aws.String(strings.Repeat("n", 129)) }), "Invalid name: must be between 1 and 128 characters"},
		"long description": {http(func(i *apigatewayv2.CreateApiInput) { i.Description = aws.String(strings.Repeat("d", 1025)) }), "Invalid description: must be at most 1024 characters"},
		"protocol type":    {http(func(i *apigatewayv2.CreateApiInput) { i.ProtocolType = "REST" }), "Invalid protocol type REST: must be one of [HTTP, WEBSOCKET]"},
		"credentials and *": {http(func(i *apigatewayv2.CreateApiInput) {
			i.CorsConfiguration = &types.Cors{AllowCredentials: aws.Bool(true), AllowOrigins: []string{"*"}}
		}), "allow-credentials is not supported if 'allow-origin' is *"},
		"maxAge too large": {http(func(i *apigatewayv2.CreateApiInput) { i.CorsConfiguration = &types.Cors{MaxAge: aws.Int32(86401)} }), "Invalid maxAge 86401: must be between -1 and 86400"},
		"maxAge too small": {http(func(i *apigatewayv2.CreateApiInput) { i.CorsConfiguration = &types.Cors{MaxAge: aws.Int32(-2)} }), "Invalid maxAge -2: must be between -1 and 86400"},
		"cors on websocket": {http(func(i *apigatewayv2.CreateApiInput) {
			i.ProtocolType, i.RouteSelectionExpression = types.ProtocolTypeWebsocket, aws.String("$request.body.action")
			i.CorsConfiguration = &types.Cors{AllowOrigins: []string{"*"}}
		}), "CORS configuration is supported only for HTTP APIs"},
		"websocket without route selection": {http(func(i *apigatewayv2.CreateApiInput) { i.ProtocolType = types.ProtocolTypeWebsocket }), "Route selection expression is required for WEBSOCKET APIs"},
		"aws: tag":                          {http(func(i *apigatewayv2.CreateApiInput) { i.Tags = map[string]string{"aws:cloudformation": "x"} }), "Invalid tag key aws:cloudformation: tag keys starting with 'aws:' are reserved"},
		"51 tags":                           {http(func(i *apigatewayv2.CreateApiInput) { i.Tags = manyTags }), "Too many tags: a resource can have at most 50 tags"},
		"long key":                          {http(func(i *apigatewayv2.CreateApiInput) { i.Tags = map[string]string{strings.Repeat("k", 129): "v"} }), "Invalid tag key " + strings.Repeat("k", 129) + ": tag keys must be between 1 and 128 characters"},
		"long value":                        {http(func(i *apigatewayv2.CreateApiInput) { i.Tags = map[string]string{"k": strings.Repeat("v", 257)} }), "Invalid tag value for key k: tag values must be at most 256 characters"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := client.CreateApi(coreCtx, tc.input)
			requireTyped[*types.BadRequestException](t, err, tc.message)
		})
	}

	// The same rules hold on UpdateApi.
	api := must(client.CreateApi(coreCtx, http(func(*apigatewayv2.CreateApiInput) {})))(t)
	_, err := client.UpdateApi(coreCtx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId, Name: aws.String(strings.Repeat("n", 129))})
	requireTyped[*types.BadRequestException](t, err, "Invalid name: must be between 1 and 128 characters")
	_, err = client.UpdateApi(coreCtx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId,
		CorsConfiguration: &types.Cors{AllowCredentials: aws.Bool(true), AllowOrigins: []string{"*"}}})
	requireTyped[*types.BadRequestException](t, err, "allow-credentials is not supported if 'allow-origin' is *")
	got := must(client.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	if *got.Name != "ok" || got.CorsConfiguration != nil {
		t.Fatalf("a refused update changed the API: %+v", got)
	}
}

func TestGetApisPaginatesWithOpaqueTokens(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{})
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		api := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
			Name: aws.String(fmt.Sprintf("api-%d", i)), ProtocolType: types.ProtocolTypeHttp,
			Tags: map[string]string{"n": fmt.Sprint(i)},
		}))(t)
		want[*api.ApiId] = true
	}
	seen := map[string]bool{}
	pages := 0
	var token *string
	for {
		page := must(client.GetApis(coreCtx, &apigatewayv2.GetApisInput{MaxResults: aws.String("2"), NextToken: token}))(t)
		pages++
		if len(page.Items) > 2 {
			t.Fatalf("page of %d items with maxResults 2", len(page.Items))
		}
		for _, item := range page.Items {
			if seen[*item.ApiId] {
				t.Fatalf("api %s served twice", *item.ApiId)
			}
			seen[*item.ApiId] = true
			if item.Tags["n"] == "" {
				t.Errorf("GetApis item %s has no tags", *item.ApiId)
			}
		}
		if page.NextToken == nil {
			break
		}
		token = page.NextToken
	}
	if pages != 3 || len(seen) != len(want) {
		t.Fatalf("pages = %d, apis = %d; want 3 pages of 5 apis", pages, len(seen))
	}
	_, err := client.GetApis(coreCtx, &apigatewayv2.GetApisInput{MaxResults: aws.String("many")})
	requireTyped[*types.BadRequestException](t, err, "")
	_, err = client.GetApis(coreCtx, &apigatewayv2.GetApisInput{NextToken: aws.String("!!not-a-token")})
	requireTyped[*types.BadRequestException](t, err, "Invalid pagination token")
}

func TestTagsOnApisAndStages(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{region: "eu-central-1"})
	api := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
		Name: aws.String("t"), ProtocolType: types.ProtocolTypeHttp, Tags: map[string]string{"a": "1"},
	}))(t)
	arn := "arn:aws:apigateway:eu-central-1::/apis/" + *api.ApiId

	must(client.TagResource(coreCtx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"b": "2", "c d": "3"}}))(t)
	tags := must(client.GetTags(coreCtx, &apigatewayv2.GetTagsInput{ResourceArn: &arn}))(t).Tags
	if len(tags) != 3 || tags["a"] != "1" || tags["b"] != "2" || tags["c d"] != "3" {
		t.Fatalf("tags after TagResource = %v", tags)
	}
	must(client.UntagResource(coreCtx, &apigatewayv2.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"a", "c d"}}))(t)
	tags = must(client.GetTags(coreCtx, &apigatewayv2.GetTagsInput{ResourceArn: &arn}))(t).Tags
	if len(tags) != 1 || tags["b"] != "2" {
		t.Fatalf("tags after UntagResource = %v", tags)
	}
	if got := must(client.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t).Tags; len(got) != 1 {
		t.Fatalf("GetApi tags = %v", got)
	}

	_, err := client.TagResource(coreCtx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"aws:x": "y"}})
	requireTyped[*types.BadRequestException](t, err, "Invalid tag key aws:x: tag keys starting with 'aws:' are reserved")
	fifty := map[string]string{}
	for i := 0; i < 50; i++ {
		fifty[fmt.Sprintf("k%d", i)] = "v"
	}
	_, err = client.TagResource(coreCtx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: fifty})
	requireTyped[*types.BadRequestException](t, err, "Too many tags: a resource can have at most 50 tags")

	must(client.CreateStage(coreCtx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), Tags: map[string]string{"s": "1"}}))(t)
	stageArn := arn + "/stages/prod"
	must(client.TagResource(coreCtx, &apigatewayv2.TagResourceInput{ResourceArn: &stageArn, Tags: map[string]string{"s2": "2"}}))(t)
	stage := must(client.GetStage(coreCtx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}))(t)
	if len(stage.Tags) != 2 || stage.Tags["s2"] != "2" {
		t.Fatalf("stage tags = %v", stage.Tags)
	}

	otherRegion := "arn:aws:apigateway:us-west-2::/apis/" + *api.ApiId
	_, err = client.GetTags(coreCtx, &apigatewayv2.GetTagsInput{ResourceArn: &otherRegion})
	requireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetTags(coreCtx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("not-an-arn")})
	requireTyped[*types.BadRequestException](t, err, "Invalid resource ARN not-an-arn")
}

func TestRoutesIntegrationsStagesAndDeployments(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{})
	api := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{Name: aws.String("svc"), ProtocolType: types.ProtocolTypeHttp}))(t)
	apiID := api.ApiId

	integration := must(client.CreateIntegration(coreCtx, &apigatewayv2.CreateIntegrationInput{
		ApiId: apiID, IntegrationType: types.IntegrationTypeHttpProxy,
		IntegrationUri: aws.String("http://127.0.0.1:9/backend"), IntegrationMethod: aws.String("ANY"),
	}))(t)
	if *integration.PayloadFormatVersion != "1.0" || *integration.TimeoutInMillis != 30000 || integration.ConnectionType != types.ConnectionTypeInternet {
		t.Fatalf("integration defaults = %+v", integration)
	}
	_, err := client.CreateIntegration(coreCtx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeMock})
	requireTyped[*types.BadRequestException](t, err, "Invalid integration type MOCK for HTTP API: must be one of [AWS_PROXY, HTTP_PROXY]")
	updatedIntegration := must(client.UpdateIntegration(coreCtx, &apigatewayv2.UpdateIntegrationInput{
		ApiId: apiID, IntegrationId: integration.IntegrationId, TimeoutInMillis: aws.Int32(5000),
	}))(t)
	if *updatedIntegration.TimeoutInMillis != 5000 || *updatedIntegration.IntegrationUri != "http://127.0.0.1:9/backend" {
		t.Fatalf("UpdateIntegration = %+v", updatedIntegration)
	}

	target := aws.String("integrations/" + *integration.IntegrationId)
	route := must(client.CreateRoute(coreCtx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /pets/{id}"), Target: target}))(t)
	if len(*route.RouteId) != 7 || route.AuthorizationType != types.AuthorizationTypeNone {
		t.Fatalf("route = %+v", route)
	}
	_, err = client.CreateRoute(coreCtx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /pets/{id}")})
	requireTyped[*types.ConflictException](t, err, "Route with key GET /pets/{id} already exists for this API")
	_, err = client.CreateRoute(coreCtx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("FETCH pets")})
	requireTyped[*types.BadRequestException](t, err, "")
	must(client.CreateRoute(coreCtx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("$default"), Target: target}))(t)
	routes := must(client.GetRoutes(coreCtx, &apigatewayv2.GetRoutesInput{ApiId: apiID}))(t).Items
	if len(routes) != 2 {
		t.Fatalf("GetRoutes = %d routes, want 2", len(routes))
	}
	renamed := must(client.UpdateRoute(coreCtx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: route.RouteId, RouteKey: aws.String("POST /pets")}))(t)
	if *renamed.RouteKey != "POST /pets" || *renamed.Target != *target {
		t.Fatalf("UpdateRoute = %+v", renamed)
	}
	got := must(client.GetRoute(coreCtx, &apigatewayv2.GetRouteInput{ApiId: apiID, RouteId: route.RouteId}))(t)
	if *got.RouteKey != "POST /pets" {
		t.Fatalf("GetRoute after update = %q", *got.RouteKey)
	}

	// A stage without autoDeploy serves its deployment; one with autoDeploy
	// follows every change.
	manual := must(client.CreateStage(coreCtx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	if manual.DeploymentId != nil || manual.AutoDeploy == nil || *manual.AutoDeploy {
		t.Fatalf("manual stage = %+v", manual)
	}
	_, err = client.CreateStage(coreCtx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("manual")})
	requireTyped[*types.ConflictException](t, err, "Stage manual already exists")
	auto := must(client.CreateStage(coreCtx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	if auto.DeploymentId == nil {
		t.Fatalf("autoDeploy stage has no deployment")
	}
	deployment := must(client.CreateDeployment(coreCtx, &apigatewayv2.CreateDeploymentInput{ApiId: apiID, StageName: aws.String("manual"), Description: aws.String("v1")}))(t)
	if deployment.DeploymentStatus != types.DeploymentStatusDeployed || len(*deployment.DeploymentId) != 6 {
		t.Fatalf("deployment = %+v", deployment)
	}
	stage := must(client.GetStage(coreCtx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	if aws.ToString(stage.DeploymentId) != *deployment.DeploymentId {
		t.Fatalf("stage deploymentId = %v, want %s", stage.DeploymentId, *deployment.DeploymentId)
	}
	must(client.CreateRoute(coreCtx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /new"), Target: target}))(t)
	view, _ := e.server.v2.dataPlaneAPI(*apiID)
	served := map[string][]string{}
	for _, s := range view.Stages {
		for _, r := range s.Routes {
			served[s.Name] = append(served[s.Name], r.RouteKey)
		}
		sort.Strings(served[s.Name])
	}
	if fmt.Sprint(served["manual"]) != "[$default POST /pets]" || fmt.Sprint(served["$default"]) != "[$default GET /new POST /pets]" {
		t.Fatalf("served routes = %v", served)
	}
	deployments := must(client.GetDeployments(coreCtx, &apigatewayv2.GetDeploymentsInput{ApiId: apiID}))(t).Items
	if len(deployments) != 2 {
		t.Fatalf("GetDeployments = %d, want the manual one and the current automatic one", len(deployments))
	}

	stages := must(client.GetStages(coreCtx, &apigatewayv2.GetStagesInput{ApiId: apiID}))(t).Items
	if len(stages) != 2 {
		t.Fatalf("GetStages = %d stages", len(stages))
	}
	updatedStage := must(client.UpdateStage(coreCtx, &apigatewayv2.UpdateStageInput{ApiId: apiID, StageName: aws.String("manual"), Description: aws.String("d"), StageVariables: map[string]string{"v": "1"}}))(t)
	if *updatedStage.Description != "d" || updatedStage.StageVariables["v"] != "1" || *updatedStage.DeploymentId != *deployment.DeploymentId {
		t.Fatalf("UpdateStage = %+v", updatedStage)
	}

	_, err = client.DeleteIntegration(coreCtx, &apigatewayv2.DeleteIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId})
	requireCode(t, err, "ConflictException")
	for _, r := range must(client.GetRoutes(coreCtx, &apigatewayv2.GetRoutesInput{ApiId: apiID}))(t).Items {
		must(client.DeleteRoute(coreCtx, &apigatewayv2.DeleteRouteInput{ApiId: apiID, RouteId: r.RouteId}))(t)
	}
	must(client.DeleteIntegration(coreCtx, &apigatewayv2.DeleteIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId}))(t)
	_, err = client.GetIntegration(coreCtx, &apigatewayv2.GetIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId})
	requireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetRoute(coreCtx, &apigatewayv2.GetRouteInput{ApiId: apiID, RouteId: route.RouteId})
	requireTyped[*types.NotFoundException](t, err, "")

	must(client.DeleteStage(coreCtx, &apigatewayv2.DeleteStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	_, err = client.GetStage(coreCtx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("manual")})
	requireTyped[*types.NotFoundException](t, err, "")
	must(client.DeleteDeployment(coreCtx, &apigatewayv2.DeleteDeploymentInput{ApiId: apiID, DeploymentId: deployment.DeploymentId}))(t)
	_, err = client.GetDeployment(coreCtx, &apigatewayv2.GetDeploymentInput{ApiId: apiID, DeploymentId: deployment.DeploymentId})
	requireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetRoutes(coreCtx, &apigatewayv2.GetRoutesInput{ApiId: aws.String("missing000")})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:missing000")
}

func TestQuickCreateBuildsRouteIntegrationAndDefaultStage(t *testing.T) {
	e := startCoreEmulator(t, Options{})
	client := e.v2(clientOptions{})
	api := must(client.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{
		Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp, Target: aws.String("http://127.0.0.1:9/"),
	}))(t)
	routes := must(client.GetRoutes(coreCtx, &apigatewayv2.GetRoutesInput{ApiId: api.ApiId}))(t).Items
	stages := must(client.GetStages(coreCtx, &apigatewayv2.GetStagesInput{ApiId: api.ApiId}))(t).Items
	if len(routes) != 1 || *routes[0].RouteKey != "$default" || !*routes[0].ApiGatewayManaged {
		t.Fatalf("routes = %+v", routes)
	}
	if len(stages) != 1 || *stages[0].StageName != "$default" || !*stages[0].AutoDeploy {
		t.Fatalf("stages = %+v", stages)
	}
}

func TestRegionsAndAccountsAreIsolated(t *testing.T) {
	e := startCoreEmulator(t, Options{Credentials: []Credential{
		{AccessKeyID: "AKIDONE", SecretAccessKey: "s1", Account: "111111111111"},
		{AccessKeyID: "AKIDTWO", SecretAccessKey: "s2", Account: "222222222222"},
	}})
	one := e.v2(clientOptions{accessKey: "AKIDONE", secret: "s1"})
	oneWest := e.v2(clientOptions{accessKey: "AKIDONE", secret: "s1", region: "us-west-2"})
	two := e.v2(clientOptions{accessKey: "AKIDTWO", secret: "s2"})

	api := must(one.CreateApi(coreCtx, &apigatewayv2.CreateApiInput{Name: aws.String("mine"), ProtocolType: types.ProtocolTypeHttp}))(t)
	must(one.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	_, err := oneWest.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 111111111111:"+*api.ApiId)
	_, err = two.GetApi(coreCtx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	requireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 222222222222:"+*api.ApiId)
	if n := len(must(two.GetApis(coreCtx, &apigatewayv2.GetApisInput{}))(t).Items); n != 0 {
		t.Fatalf("account two sees %d apis", n)
	}
	if n := len(must(oneWest.GetApis(coreCtx, &apigatewayv2.GetApisInput{}))(t).Items); n != 0 {
		t.Fatalf("us-west-2 sees %d apis", n)
	}
}
