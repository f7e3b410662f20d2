package apigatewayv2_test

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	apigatewayv2emu "github.com/runner-codes/infra-operator/internal/emulator/apigatewayv2"
	"github.com/runner-codes/infra-operator/internal/emulator/auth"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

func TestCreateApiFillsAWSDefaults(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{Region: "eu-west-1"})
	before := time.Now().Add(-time.Second)

	created := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("pets"), ProtocolType: types.ProtocolTypeHttp,
	}))(t)

	if len(*created.ApiId) != 10 {
		t.Errorf("apiId = %q, want 10 characters", *created.ApiId)
	}
	port := strings.TrimPrefix(e.BaseURL[strings.LastIndex(e.BaseURL, ":"):], ":")
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

	ws := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
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
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	created := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("orders"), ProtocolType: types.ProtocolTypeHttp,
		Description:               aws.String("first"),
		DisableExecuteApiEndpoint: aws.Bool(true),
		CorsConfiguration:         &types.Cors{AllowOrigins: []string{"https://a.example"}, MaxAge: aws.Int32(300)},
		Tags:                      map[string]string{"team": "x"},
	}))(t)
	id := created.ApiId

	got := sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: id}))(t)
	if *got.Description != "first" || got.Tags["team"] != "x" || *got.CorsConfiguration.MaxAge != 300 {
		t.Fatalf("GetApi = %+v", got)
	}

	// Only the members present change; false is applied when sent explicitly.
	updated := sdktest.Must(client.UpdateApi(sdktest.Ctx, &apigatewayv2.UpdateApiInput{
		ApiId: id, Name: aws.String("orders-v2"), DisableExecuteApiEndpoint: aws.Bool(false),
	}))(t)
	if *updated.Name != "orders-v2" || *updated.Description != "first" || *updated.DisableExecuteApiEndpoint {
		t.Fatalf("UpdateApi = name %q description %q disable %v", *updated.Name, *updated.Description, *updated.DisableExecuteApiEndpoint)
	}
	if updated.CorsConfiguration == nil || updated.Tags["team"] != "x" {
		t.Fatalf("UpdateApi dropped members it was not sent: %+v", updated)
	}
	updated = sdktest.Must(client.UpdateApi(sdktest.Ctx, &apigatewayv2.UpdateApiInput{
		ApiId: id, CorsConfiguration: &types.Cors{AllowOrigins: []string{"*"}},
	}))(t)
	if updated.CorsConfiguration.MaxAge != nil || updated.CorsConfiguration.AllowOrigins[0] != "*" {
		t.Fatalf("corsConfiguration = %+v, want replaced", updated.CorsConfiguration)
	}

	sdktest.Must(client.DeleteCorsConfiguration(sdktest.Ctx, &apigatewayv2.DeleteCorsConfigurationInput{ApiId: id}))(t)
	got = sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: id}))(t)
	if got.CorsConfiguration != nil {
		t.Fatalf("corsConfiguration after DeleteCorsConfiguration = %+v", got.CorsConfiguration)
	}

	sdktest.Must(client.DeleteApi(sdktest.Ctx, &apigatewayv2.DeleteApiInput{ApiId: id}))(t)
	_, err := client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:"+*id)
	_, err = client.DeleteApi(sdktest.Ctx, &apigatewayv2.DeleteApiInput{ApiId: id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:"+*id)
	_, err = client.UpdateApi(sdktest.Ctx, &apigatewayv2.UpdateApiInput{ApiId: id, Name: aws.String("n")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
}

func TestApiValidationIsAWSs(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
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
			_, err := client.CreateApi(sdktest.Ctx, tc.input)
			sdktest.RequireTyped[*types.BadRequestException](t, err, tc.message)
		})
	}

	// The same rules hold on UpdateApi.
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, http(func(*apigatewayv2.CreateApiInput) {})))(t)
	_, err := client.UpdateApi(sdktest.Ctx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId, Name: aws.String(strings.Repeat("n", 129))})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid name: must be between 1 and 128 characters")
	_, err = client.UpdateApi(sdktest.Ctx, &apigatewayv2.UpdateApiInput{ApiId: api.ApiId,
		CorsConfiguration: &types.Cors{AllowCredentials: aws.Bool(true), AllowOrigins: []string{"*"}}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "allow-credentials is not supported if 'allow-origin' is *")
	got := sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	if *got.Name != "ok" || got.CorsConfiguration != nil {
		t.Fatalf("a refused update changed the API: %+v", got)
	}
}

func TestGetApisPaginatesWithOpaqueTokens(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	want := map[string]bool{}
	for i := 0; i < 5; i++ {
		api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
			Name: aws.String(fmt.Sprintf("api-%d", i)), ProtocolType: types.ProtocolTypeHttp,
			Tags: map[string]string{"n": fmt.Sprint(i)},
		}))(t)
		want[*api.ApiId] = true
	}
	seen := map[string]bool{}
	pages := 0
	var token *string
	for {
		page := sdktest.Must(client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String("2"), NextToken: token}))(t)
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
	_, err := client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{MaxResults: aws.String("many")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	_, err = client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{NextToken: aws.String("!!not-a-token")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid pagination token")
}

func TestTagsOnApisAndStages(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{Region: "eu-central-1"})
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("t"), ProtocolType: types.ProtocolTypeHttp, Tags: map[string]string{"a": "1"},
	}))(t)
	arn := "arn:aws:apigateway:eu-central-1::/apis/" + *api.ApiId

	sdktest.Must(client.TagResource(sdktest.Ctx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"b": "2", "c d": "3"}}))(t)
	tags := sdktest.Must(client.GetTags(sdktest.Ctx, &apigatewayv2.GetTagsInput{ResourceArn: &arn}))(t).Tags
	if len(tags) != 3 || tags["a"] != "1" || tags["b"] != "2" || tags["c d"] != "3" {
		t.Fatalf("tags after TagResource = %v", tags)
	}
	sdktest.Must(client.UntagResource(sdktest.Ctx, &apigatewayv2.UntagResourceInput{ResourceArn: &arn, TagKeys: []string{"a", "c d"}}))(t)
	tags = sdktest.Must(client.GetTags(sdktest.Ctx, &apigatewayv2.GetTagsInput{ResourceArn: &arn}))(t).Tags
	if len(tags) != 1 || tags["b"] != "2" {
		t.Fatalf("tags after UntagResource = %v", tags)
	}
	if got := sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t).Tags; len(got) != 1 {
		t.Fatalf("GetApi tags = %v", got)
	}

	_, err := client.TagResource(sdktest.Ctx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: map[string]string{"aws:x": "y"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid tag key aws:x: tag keys starting with 'aws:' are reserved")
	fifty := map[string]string{}
	for i := 0; i < 50; i++ {
		fifty[fmt.Sprintf("k%d", i)] = "v"
	}
	_, err = client.TagResource(sdktest.Ctx, &apigatewayv2.TagResourceInput{ResourceArn: &arn, Tags: fifty})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Too many tags: a resource can have at most 50 tags")

	sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String("prod"), Tags: map[string]string{"s": "1"}}))(t)
	stageArn := arn + "/stages/prod"
	sdktest.Must(client.TagResource(sdktest.Ctx, &apigatewayv2.TagResourceInput{ResourceArn: &stageArn, Tags: map[string]string{"s2": "2"}}))(t)
	stage := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: api.ApiId, StageName: aws.String("prod")}))(t)
	if len(stage.Tags) != 2 || stage.Tags["s2"] != "2" {
		t.Fatalf("stage tags = %v", stage.Tags)
	}

	otherRegion := "arn:aws:apigateway:us-west-2::/apis/" + *api.ApiId
	_, err = client.GetTags(sdktest.Ctx, &apigatewayv2.GetTagsInput{ResourceArn: &otherRegion})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetTags(sdktest.Ctx, &apigatewayv2.GetTagsInput{ResourceArn: aws.String("not-an-arn")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid resource ARN not-an-arn")
}

// startService serves one apigatewayv2 behind the dispatcher, so that a test
// can read the service's data-plane view between SDK calls.
func startService(t *testing.T) (*apigatewayv2emu.Service, *sdktest.Emulator) {
	t.Helper()
	svc := apigatewayv2emu.New(func() string { return "execute-api.localhost" })
	noIssuedKeys := func(string) (auth.Key, bool) { return auth.Key{}, false }
	dispatcher, err := core.NewDispatcher(core.Config{
		StateLock: &sync.Mutex{},
		Auth:      auth.New(nil, "000000000000", noIssuedKeys),
		Services:  []core.Service{svc},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc, sdktest.Serve(t, dispatcher)
}

func TestRoutesIntegrationsStagesAndDeployments(t *testing.T) {
	svc, e := startService(t)
	client := e.V2(sdktest.ClientOptions{})
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("svc"), ProtocolType: types.ProtocolTypeHttp}))(t)
	apiID := api.ApiId

	integration := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: apiID, IntegrationType: types.IntegrationTypeHttpProxy,
		IntegrationUri: aws.String("http://127.0.0.1:9/backend"), IntegrationMethod: aws.String("ANY"),
	}))(t)
	if *integration.PayloadFormatVersion != "1.0" || *integration.TimeoutInMillis != 30000 || integration.ConnectionType != types.ConnectionTypeInternet {
		t.Fatalf("integration defaults = %+v", integration)
	}
	_, err := client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeMock})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid integration type MOCK for HTTP API: must be one of [AWS_PROXY, HTTP_PROXY]")
	updatedIntegration := sdktest.Must(client.UpdateIntegration(sdktest.Ctx, &apigatewayv2.UpdateIntegrationInput{
		ApiId: apiID, IntegrationId: integration.IntegrationId, TimeoutInMillis: aws.Int32(5000),
	}))(t)
	if *updatedIntegration.TimeoutInMillis != 5000 || *updatedIntegration.IntegrationUri != "http://127.0.0.1:9/backend" {
		t.Fatalf("UpdateIntegration = %+v", updatedIntegration)
	}

	target := aws.String("integrations/" + *integration.IntegrationId)
	route := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /pets/{id}"), Target: target}))(t)
	if len(*route.RouteId) != 7 || route.AuthorizationType != types.AuthorizationTypeNone {
		t.Fatalf("route = %+v", route)
	}
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /pets/{id}")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Route with key GET /pets/{id} already exists for this API")
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("FETCH pets")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("$default"), Target: target}))(t)
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: apiID}))(t).Items
	if len(routes) != 2 {
		t.Fatalf("GetRoutes = %d routes, want 2", len(routes))
	}
	renamed := sdktest.Must(client.UpdateRoute(sdktest.Ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: route.RouteId, RouteKey: aws.String("POST /pets")}))(t)
	if *renamed.RouteKey != "POST /pets" || *renamed.Target != *target {
		t.Fatalf("UpdateRoute = %+v", renamed)
	}
	got := sdktest.Must(client.GetRoute(sdktest.Ctx, &apigatewayv2.GetRouteInput{ApiId: apiID, RouteId: route.RouteId}))(t)
	if *got.RouteKey != "POST /pets" {
		t.Fatalf("GetRoute after update = %q", *got.RouteKey)
	}

	// A stage without autoDeploy serves its deployment; one with autoDeploy
	// follows every change.
	manual := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	if manual.DeploymentId != nil || manual.AutoDeploy == nil || *manual.AutoDeploy {
		t.Fatalf("manual stage = %+v", manual)
	}
	_, err = client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("manual")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Stage manual already exists")
	auto := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true)}))(t)
	if auto.DeploymentId == nil {
		t.Fatalf("autoDeploy stage has no deployment")
	}
	deployment := sdktest.Must(client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: apiID, StageName: aws.String("manual"), Description: aws.String("v1")}))(t)
	if deployment.DeploymentStatus != types.DeploymentStatusDeployed || len(*deployment.DeploymentId) != 6 {
		t.Fatalf("deployment = %+v", deployment)
	}
	stage := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	if aws.ToString(stage.DeploymentId) != *deployment.DeploymentId {
		t.Fatalf("stage deploymentId = %v, want %s", stage.DeploymentId, *deployment.DeploymentId)
	}
	sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /new"), Target: target}))(t)
	view, _ := svc.DeployedAPI(*apiID)
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
	deployments := sdktest.Must(client.GetDeployments(sdktest.Ctx, &apigatewayv2.GetDeploymentsInput{ApiId: apiID}))(t).Items
	if len(deployments) != 2 {
		t.Fatalf("GetDeployments = %d, want the manual one and the current automatic one", len(deployments))
	}

	stages := sdktest.Must(client.GetStages(sdktest.Ctx, &apigatewayv2.GetStagesInput{ApiId: apiID}))(t).Items
	if len(stages) != 2 {
		t.Fatalf("GetStages = %d stages", len(stages))
	}
	updatedStage := sdktest.Must(client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{ApiId: apiID, StageName: aws.String("manual"), Description: aws.String("d"), StageVariables: map[string]string{"v": "1"}}))(t)
	if *updatedStage.Description != "d" || updatedStage.StageVariables["v"] != "1" || *updatedStage.DeploymentId != *deployment.DeploymentId {
		t.Fatalf("UpdateStage = %+v", updatedStage)
	}

	_, err = client.DeleteIntegration(sdktest.Ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId})
	sdktest.RequireCode(t, err, "ConflictException")
	for _, r := range sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: apiID}))(t).Items {
		sdktest.Must(client.DeleteRoute(sdktest.Ctx, &apigatewayv2.DeleteRouteInput{ApiId: apiID, RouteId: r.RouteId}))(t)
	}
	sdktest.Must(client.DeleteIntegration(sdktest.Ctx, &apigatewayv2.DeleteIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId}))(t)
	_, err = client.GetIntegration(sdktest.Ctx, &apigatewayv2.GetIntegrationInput{ApiId: apiID, IntegrationId: integration.IntegrationId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetRoute(sdktest.Ctx, &apigatewayv2.GetRouteInput{ApiId: apiID, RouteId: route.RouteId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")

	sdktest.Must(client.DeleteStage(sdktest.Ctx, &apigatewayv2.DeleteStageInput{ApiId: apiID, StageName: aws.String("manual")}))(t)
	_, err = client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("manual")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	sdktest.Must(client.DeleteDeployment(sdktest.Ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: apiID, DeploymentId: deployment.DeploymentId}))(t)
	_, err = client.GetDeployment(sdktest.Ctx, &apigatewayv2.GetDeploymentInput{ApiId: apiID, DeploymentId: deployment.DeploymentId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String("missing000")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 000000000000:missing000")
}

func TestQuickCreateBuildsRouteIntegrationAndDefaultStage(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("quick"), ProtocolType: types.ProtocolTypeHttp, Target: aws.String("http://127.0.0.1:9/"),
	}))(t)
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: api.ApiId}))(t).Items
	stages := sdktest.Must(client.GetStages(sdktest.Ctx, &apigatewayv2.GetStagesInput{ApiId: api.ApiId}))(t).Items
	if len(routes) != 1 || *routes[0].RouteKey != "$default" || !*routes[0].ApiGatewayManaged {
		t.Fatalf("routes = %+v", routes)
	}
	if len(stages) != 1 || *stages[0].StageName != "$default" || !*stages[0].AutoDeploy {
		t.Fatalf("stages = %+v", stages)
	}
}

func TestRegionsAndAccountsAreIsolated(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{Credentials: []emulator.Credential{
		{AccessKeyID: "AKIDONE", SecretAccessKey: "s1", Account: "111111111111"},
		{AccessKeyID: "AKIDTWO", SecretAccessKey: "s2", Account: "222222222222"},
	}})
	one := e.V2(sdktest.ClientOptions{AccessKey: "AKIDONE", Secret: "s1"})
	oneWest := e.V2(sdktest.ClientOptions{AccessKey: "AKIDONE", Secret: "s1", Region: "us-west-2"})
	two := e.V2(sdktest.ClientOptions{AccessKey: "AKIDTWO", Secret: "s2"})

	api := sdktest.Must(one.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("mine"), ProtocolType: types.ProtocolTypeHttp}))(t)
	sdktest.Must(one.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId}))(t)
	_, err := oneWest.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 111111111111:"+*api.ApiId)
	_, err = two.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: api.ApiId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid API identifier specified 222222222222:"+*api.ApiId)
	if n := len(sdktest.Must(two.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t).Items); n != 0 {
		t.Fatalf("account two sees %d apis", n)
	}
	if n := len(sdktest.Must(oneWest.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t).Items); n != 0 {
		t.Fatalf("us-west-2 sees %d apis", n)
	}
}
