package apigateway_test

import (
	"context"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// restAPIForTest creates a REST API and returns its id and root resource id.
func restAPIForTest(t *testing.T, client *apigateway.Client, name string) (id, root *string) {
	t.Helper()
	out, err := client.CreateRestApi(context.Background(), &apigateway.CreateRestApiInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Id, out.RootResourceId
}

// must returns the output of a call that must succeed: must(call(...))(t).
func must[T any](out T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func TestResourcesThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	api, root := restAPIForTest(t, client, "resources")

	pets := must(client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api, ParentId: root, PathPart: aws.String("pets")}))(t)
	if aws.ToString(pets.Path) != "/pets" || aws.ToString(pets.ParentId) != aws.ToString(root) {
		t.Fatalf("CreateResource = %+v", pets)
	}
	id := must(client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api, ParentId: pets.Id, PathPart: aws.String("{id}")}))(t)
	if aws.ToString(id.Path) != "/pets/{id}" {
		t.Fatalf("path %q, want /pets/{id}", aws.ToString(id.Path))
	}

	_, err := client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api, ParentId: root, PathPart: aws.String("pets")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Another resource with the same parent already has this name: pets")
	_, err = client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api, ParentId: pets.Id, PathPart: aws.String("{name}")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "A sibling ({id}) of this resource already has a variable path part -- only one is allowed")
	_, err = client.CreateResource(ctx, &apigateway.CreateResourceInput{RestApiId: api, ParentId: aws.String("nope"), PathPart: aws.String("x")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Resource identifier specified")

	must(client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api, ResourceId: id.Id, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)
	got := must(client.GetResource(ctx, &apigateway.GetResourceInput{RestApiId: api, ResourceId: id.Id, Embed: []string{"methods"}}))(t)
	if got.ResourceMethods["GET"].AuthorizationType == nil {
		t.Errorf("GetResource embed=methods = %+v, want the whole GET method", got.ResourceMethods)
	}

	moved := must(client.UpdateResource(ctx, &apigateway.UpdateResourceInput{RestApiId: api, ResourceId: pets.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/pathPart"), Value: aws.String("animals")},
	}}))(t)
	if aws.ToString(moved.Path) != "/animals" {
		t.Fatalf("UpdateResource path %q", aws.ToString(moved.Path))
	}
	child := must(client.GetResource(ctx, &apigateway.GetResourceInput{RestApiId: api, ResourceId: id.Id}))(t)
	if aws.ToString(child.Path) != "/animals/{id}" {
		t.Errorf("the child's path %q did not follow its parent's rename", aws.ToString(child.Path))
	}

	// Paging walks every resource once.
	seen := map[string]bool{}
	paginator := apigateway.NewGetResourcesPaginator(client, &apigateway.GetResourcesInput{RestApiId: api, Limit: aws.Int32(1)})
	pages := 0
	for paginator.HasMorePages() {
		page := must(paginator.NextPage(ctx))(t)
		pages++
		for _, item := range page.Items {
			seen[aws.ToString(item.Path)] = true
		}
	}
	if pages != 3 || !seen["/"] || !seen["/animals"] || !seen["/animals/{id}"] {
		t.Fatalf("%d pages, paths %v", pages, seen)
	}

	must(client.DeleteResource(ctx, &apigateway.DeleteResourceInput{RestApiId: api, ResourceId: pets.Id}))(t)
	_, err = client.GetResource(ctx, &apigateway.GetResourceInput{RestApiId: api, ResourceId: id.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Resource identifier specified")
}

func TestMethodsAndIntegrationsThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	api, root := restAPIForTest(t, client, "methods")
	method := func() (*string, *string, *string) { return api, root, aws.String("POST") }
	a, r, m := method()

	_, err := client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: a, ResourceId: r, HttpMethod: aws.String("FETCH"), AuthorizationType: aws.String("NONE")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY")
	put := must(client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m, AuthorizationType: aws.String("NONE"),
		RequestParameters: map[string]bool{"method.request.header.x-id": true}, RequestModels: map[string]string{"application/json": "Empty"}}))(t)
	if !put.RequestParameters["method.request.header.x-id"] || put.RequestModels["application/json"] != "Empty" {
		t.Fatalf("PutMethod = %+v", put)
	}
	_, err = client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m, AuthorizationType: aws.String("NONE")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Method already exists for this resource")

	updated := must(client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/operationName"), Value: aws.String("CreatePet")},
		{Op: types.OpRemove, Path: aws.String("/requestModels/application~1json")},
	}}))(t)
	if aws.ToString(updated.OperationName) != "CreatePet" || updated.RequestModels != nil {
		t.Fatalf("UpdateMethod = %+v", updated)
	}
	_, err = client.UpdateMethod(ctx, &apigateway.UpdateMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m, PatchOperations: []types.PatchOperation{
		{Op: types.OpAdd, Path: aws.String("/httpMethod"), Value: aws.String("PUT")},
	}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid patch path /httpMethod")

	mr := must(client.PutMethodResponse(ctx, &apigateway.PutMethodResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201")}))(t)
	if aws.ToString(mr.StatusCode) != "201" {
		t.Fatalf("PutMethodResponse = %+v", mr)
	}
	mr2 := must(client.UpdateMethodResponse(ctx, &apigateway.UpdateMethodResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201"),
		PatchOperations: []types.PatchOperation{{Op: types.OpAdd, Path: aws.String("/responseParameters/method.response.header.Location"), Value: aws.String("true")}}}))(t)
	if !mr2.ResponseParameters["method.response.header.Location"] {
		t.Fatalf("UpdateMethodResponse = %+v", mr2)
	}
	_, err = client.GetMethodResponse(ctx, &apigateway.GetMethodResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("500")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Response status code specified")

	_, err = client.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m, Type: types.IntegrationTypeHttp, Uri: aws.String("https://example.com")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Enumeration value for HttpMethod must be non-empty")
	_, err = client.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m, Type: types.IntegrationTypeHttpProxy,
		IntegrationHttpMethod: aws.String("POST"), Uri: aws.String("https://example.com"), TimeoutInMillis: aws.Int32(30000)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Timeout should be between 50 ms and 29000 ms")
	lambda := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations"
	integration := must(client.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m, Type: types.IntegrationTypeAwsProxy,
		IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(lambda)}))(t)
	if integration.TimeoutInMillis != 29000 || integration.PassthroughBehavior == nil || integration.ConnectionType != types.ConnectionTypeInternet ||
		aws.ToString(integration.CacheNamespace) != aws.ToString(r) {
		t.Fatalf("PutIntegration defaults = %+v", integration)
	}
	patched := must(client.UpdateIntegration(ctx, &apigateway.UpdateIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/timeoutInMillis"), Value: aws.String("1000")},
		{Op: types.OpAdd, Path: aws.String("/requestParameters/integration.request.header.x-id"), Value: aws.String("method.request.header.x-id")},
	}}))(t)
	if patched.TimeoutInMillis != 1000 || patched.RequestParameters["integration.request.header.x-id"] != "method.request.header.x-id" {
		t.Fatalf("UpdateIntegration = %+v", patched)
	}
	ir := must(client.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201"),
		SelectionPattern: aws.String(""), ResponseTemplates: map[string]string{"application/json": "{}"}}))(t)
	if ir.SelectionPattern == nil || aws.ToString(ir.SelectionPattern) != "" {
		t.Fatalf("PutIntegrationResponse = %+v", ir)
	}
	must(client.UpdateIntegrationResponse(ctx, &apigateway.UpdateIntegrationResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201"),
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/selectionPattern"), Value: aws.String("2\\d{2}")}}}))(t)

	whole := must(client.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m}))(t)
	if whole.MethodIntegration == nil || aws.ToString(whole.MethodIntegration.IntegrationResponses["201"].SelectionPattern) != "2\\d{2}" ||
		whole.MethodResponses["201"].StatusCode == nil {
		t.Fatalf("GetMethod = %+v", whole)
	}

	must(client.DeleteIntegrationResponse(ctx, &apigateway.DeleteIntegrationResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201")}))(t)
	must(client.DeleteIntegration(ctx, &apigateway.DeleteIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m}))(t)
	_, err = client.GetIntegration(ctx, &apigateway.GetIntegrationInput{RestApiId: a, ResourceId: r, HttpMethod: m})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Integration identifier specified")
	must(client.DeleteMethodResponse(ctx, &apigateway.DeleteMethodResponseInput{RestApiId: a, ResourceId: r, HttpMethod: m, StatusCode: aws.String("201")}))(t)
	must(client.DeleteMethod(ctx, &apigateway.DeleteMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m}))(t)
	_, err = client.GetMethod(ctx, &apigateway.GetMethodInput{RestApiId: a, ResourceId: r, HttpMethod: m})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Method identifier specified")
}

// deployableAPI creates an API with GET / on a MOCK integration.
func deployableAPI(t *testing.T, client *apigateway.Client, name string) *string {
	t.Helper()
	ctx := context.Background()
	api, root := restAPIForTest(t, client, name)
	must(client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api, ResourceId: root, HttpMethod: aws.String("GET"), AuthorizationType: aws.String("NONE")}))(t)
	must(client.PutIntegration(ctx, &apigateway.PutIntegrationInput{RestApiId: api, ResourceId: root, HttpMethod: aws.String("GET"), Type: types.IntegrationTypeMock}))(t)
	return api
}

func TestDeploymentsAndStagesThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	empty, _ := restAPIForTest(t, client, "empty")
	_, err := client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: empty})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "The REST API doesn't contain any methods")

	api := deployableAPI(t, client, "stages")
	first := must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api, StageName: aws.String("prod"), Variables: map[string]string{"v": "1"}}))(t)
	second := must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api, Description: aws.String("second")}))(t)
	summary := must(client.GetDeployment(ctx, &apigateway.GetDeploymentInput{RestApiId: api, DeploymentId: first.Id, Embed: []string{"apisummary"}}))(t)
	if summary.ApiSummary["/"]["GET"].AuthorizationType == nil {
		t.Fatalf("apiSummary = %+v", summary.ApiSummary)
	}
	var ids []string
	paginator := apigateway.NewGetDeploymentsPaginator(client, &apigateway.GetDeploymentsInput{RestApiId: api, Limit: aws.Int32(1)})
	for paginator.HasMorePages() {
		for _, d := range must(paginator.NextPage(ctx))(t).Items {
			ids = append(ids, aws.ToString(d.Id))
		}
	}
	if len(ids) != 2 {
		t.Fatalf("GetDeployments listed %v", ids)
	}
	_, err = client.DeleteDeployment(ctx, &apigateway.DeleteDeploymentInput{RestApiId: api, DeploymentId: first.Id})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Active stages pointing to this deployment must be moved or deleted")

	stage := must(client.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api, StageName: aws.String("beta"), DeploymentId: second.Id,
		Tags: map[string]string{"team": "a"}}))(t)
	if stage.CacheClusterStatus != types.CacheClusterStatusNotAvailable || stage.MethodSettings == nil {
		t.Fatalf("CreateStage = %+v", stage)
	}
	_, err = client.CreateStage(ctx, &apigateway.CreateStageInput{RestApiId: api, StageName: aws.String("beta"), DeploymentId: second.Id})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Stage already exists")

	updated := must(client.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api, StageName: aws.String("beta"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/*/*/logging/loglevel"), Value: aws.String("INFO")},
		{Op: types.OpReplace, Path: aws.String("/~1pets/GET/throttling/rateLimit"), Value: aws.String("12.5")},
		{Op: types.OpReplace, Path: aws.String("/cacheClusterEnabled"), Value: aws.String("true")},
		{Op: types.OpAdd, Path: aws.String("/accessLogSettings/destinationArn"), Value: aws.String("arn:aws:logs:us-east-1:000000000000:log-group:g")},
		{Op: types.OpReplace, Path: aws.String("/variables/color"), Value: aws.String("blue")},
	}}))(t)
	if aws.ToString(updated.MethodSettings["*/*"].LoggingLevel) != "INFO" || updated.MethodSettings["~1pets/GET"].ThrottlingRateLimit != 12.5 ||
		updated.CacheClusterStatus != types.CacheClusterStatusAvailable || updated.Variables["color"] != "blue" || updated.AccessLogSettings == nil {
		t.Fatalf("UpdateStage = %+v", updated)
	}
	_, err = client.UpdateStage(ctx, &apigateway.UpdateStageInput{RestApiId: api, StageName: aws.String("beta"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/webAclArn"), Value: aws.String("arn")},
	}})
	sdktest.RequireCode(t, err, "BadRequestException")

	arn := aws.String("arn:aws:apigateway:us-east-1::/restapis/" + aws.ToString(api) + "/stages/beta")
	must(client.TagResource(ctx, &apigateway.TagResourceInput{ResourceArn: arn, Tags: map[string]string{"env": "test"}}))(t)
	tags := must(client.GetTags(ctx, &apigateway.GetTagsInput{ResourceArn: arn}))(t)
	if tags.Tags["team"] != "a" || tags.Tags["env"] != "test" {
		t.Fatalf("stage tags = %v", tags.Tags)
	}

	must(client.FlushStageCache(ctx, &apigateway.FlushStageCacheInput{RestApiId: api, StageName: aws.String("beta")}))(t)
	must(client.FlushStageAuthorizersCache(ctx, &apigateway.FlushStageAuthorizersCacheInput{RestApiId: api, StageName: aws.String("beta")}))(t)
	stages := must(client.GetStages(ctx, &apigateway.GetStagesInput{RestApiId: api, DeploymentId: second.Id}))(t)
	if len(stages.Item) != 1 || aws.ToString(stages.Item[0].StageName) != "beta" {
		t.Fatalf("GetStages by deployment = %+v", stages.Item)
	}
	must(client.DeleteStage(ctx, &apigateway.DeleteStageInput{RestApiId: api, StageName: aws.String("beta")}))(t)
	_, err = client.GetStage(ctx, &apigateway.GetStageInput{RestApiId: api, StageName: aws.String("beta")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid stage identifier specified")
	must(client.DeleteDeployment(ctx, &apigateway.DeleteDeploymentInput{RestApiId: api, DeploymentId: second.Id}))(t)
	_, err = client.GetDeployment(ctx, &apigateway.GetDeploymentInput{RestApiId: api, DeploymentId: second.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Deployment identifier specified")
}

func TestAuthorizersModelsValidatorsThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	api, root := restAPIForTest(t, client, "auth")
	lambda := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"

	_, err := client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: aws.String("missing"), Name: aws.String("a"), Type: types.AuthorizerTypeToken,
		AuthorizerUri: aws.String(lambda), IdentitySource: aws.String("method.request.header.Authorization")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Unable to complete operation due to concurrent modification. Please try again later.")
	token := must(client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api, Name: aws.String("token"), Type: types.AuthorizerTypeToken,
		AuthorizerUri: aws.String(lambda), IdentitySource: aws.String("method.request.header.Authorization")}))(t)
	if aws.ToInt32(token.AuthorizerResultTtlInSeconds) != 300 {
		t.Errorf("default TTL %d, want 300", aws.ToInt32(token.AuthorizerResultTtlInSeconds))
	}
	_, err = client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api, Name: aws.String("pool"), Type: types.AuthorizerTypeCognitoUserPools})
	sdktest.RequireCode(t, err, "BadRequestException")
	pool := must(client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{RestApiId: api, Name: aws.String("pool"), Type: types.AuthorizerTypeCognitoUserPools,
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_x"}}))(t)
	_, err = client.UpdateAuthorizer(ctx, &apigateway.UpdateAuthorizerInput{RestApiId: api, AuthorizerId: token.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/authorizerResultTtlInSeconds"), Value: aws.String("3601")},
	}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Authorizer result TTL must be between 0 and 3600 seconds")
	second := "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_y"
	pools := must(client.UpdateAuthorizer(ctx, &apigateway.UpdateAuthorizerInput{RestApiId: api, AuthorizerId: pool.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpAdd, Path: aws.String("/providerARNs"), Value: aws.String(second)},
		{Op: types.OpRemove, Path: aws.String("/providerARNs/arn:aws:cognito-idp:us-east-1:123456789012:userpool~1us-east-1_x")},
	}}))(t)
	if !slices.Equal(pools.ProviderARNs, []string{second}) {
		t.Fatalf("providerARNs %v, want only %s", pools.ProviderARNs, second)
	}
	list := must(client.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: api}))(t)
	if len(list.Items) != 2 {
		t.Fatalf("GetAuthorizers = %+v", list.Items)
	}
	must(client.PutMethod(ctx, &apigateway.PutMethodInput{RestApiId: api, ResourceId: root, HttpMethod: aws.String("GET"),
		AuthorizationType: aws.String("COGNITO_USER_POOLS"), AuthorizerId: pool.Id, AuthorizationScopes: []string{"pets/read"}}))(t)
	_, err = client.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: api, AuthorizerId: pool.Id})
	sdktest.RequireTyped[*types.ConflictException](t, err, "")
	must(client.DeleteAuthorizer(ctx, &apigateway.DeleteAuthorizerInput{RestApiId: api, AuthorizerId: token.Id}))(t)
	_, err = client.TestInvokeAuthorizer(ctx, &apigateway.TestInvokeAuthorizerInput{RestApiId: api, AuthorizerId: pool.Id})
	sdktest.RequireCode(t, err, "NotImplementedException")

	models := must(client.GetModels(ctx, &apigateway.GetModelsInput{RestApiId: api}))(t)
	names := []string{}
	for _, m := range models.Items {
		names = append(names, aws.ToString(m.Name))
	}
	if !slices.Equal(names, []string{"Empty", "Error"}) {
		t.Fatalf("default models %v, want Empty and Error", names)
	}
	pet := must(client.CreateModel(ctx, &apigateway.CreateModelInput{RestApiId: api, Name: aws.String("Pet"), ContentType: aws.String("application/json"),
		Schema: aws.String(`{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}}}`)}))(t)
	_, err = client.CreateModel(ctx, &apigateway.CreateModelInput{RestApiId: api, Name: aws.String("Pet"), ContentType: aws.String("application/json"), Schema: aws.String("{}")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Model name already exists for this REST API")
	template := must(client.GetModelTemplate(ctx, &apigateway.GetModelTemplateInput{RestApiId: api, ModelName: pet.Name}))(t)
	if want := "#set($inputRoot = $input.path('$'))\n{\n  \"age\" : $inputRoot.age,\n  \"name\" : \"$inputRoot.name\"\n}"; aws.ToString(template.Value) != want {
		t.Errorf("template %q, want %q", aws.ToString(template.Value), want)
	}
	must(client.UpdateModel(ctx, &apigateway.UpdateModelInput{RestApiId: api, ModelName: pet.Name, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/description"), Value: aws.String("a pet")},
	}}))(t)
	must(client.DeleteModel(ctx, &apigateway.DeleteModelInput{RestApiId: api, ModelName: pet.Name}))(t)
	_, err = client.GetModel(ctx, &apigateway.GetModelInput{RestApiId: api, ModelName: pet.Name})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid model name specified: Pet")

	validator := must(client.CreateRequestValidator(ctx, &apigateway.CreateRequestValidatorInput{RestApiId: api, Name: aws.String("body"), ValidateRequestBody: true}))(t)
	flipped := must(client.UpdateRequestValidator(ctx, &apigateway.UpdateRequestValidatorInput{RestApiId: api, RequestValidatorId: validator.Id,
		PatchOperations: []types.PatchOperation{{Op: types.OpReplace, Path: aws.String("/validateRequestParameters"), Value: aws.String("true")}}}))(t)
	if !flipped.ValidateRequestBody || !flipped.ValidateRequestParameters {
		t.Fatalf("UpdateRequestValidator = %+v", flipped)
	}
	validators := must(client.GetRequestValidators(ctx, &apigateway.GetRequestValidatorsInput{RestApiId: api}))(t)
	if len(validators.Items) != 1 {
		t.Fatalf("GetRequestValidators = %+v", validators.Items)
	}
	must(client.DeleteRequestValidator(ctx, &apigateway.DeleteRequestValidatorInput{RestApiId: api, RequestValidatorId: validator.Id}))(t)
	_, err = client.GetRequestValidator(ctx, &apigateway.GetRequestValidatorInput{RestApiId: api, RequestValidatorId: validator.Id})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Request Validator identifier specified")
}

func TestGatewayResponsesThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	api, _ := restAPIForTest(t, client, "responses")

	// The SDK has no paginator for GetGatewayResponses: walk position.
	count, defaults, pages := 0, 0, 0
	for position := (*string)(nil); pages == 0 || position != nil; pages++ {
		page := must(client.GetGatewayResponses(ctx, &apigateway.GetGatewayResponsesInput{RestApiId: api, Limit: aws.Int32(10), Position: position}))(t)
		for _, gr := range page.Items {
			count++
			if gr.DefaultResponse {
				defaults++
			}
		}
		position = page.Position
	}
	if count != 21 || defaults != 21 || pages != 3 {
		t.Fatalf("%d gateway responses, %d defaults in %d pages; want 21 defaults in 3", count, defaults, pages)
	}
	put := must(client.PutGatewayResponse(ctx, &apigateway.PutGatewayResponseInput{RestApiId: api, ResponseType: types.GatewayResponseTypeMissingAuthenticationToken,
		StatusCode: aws.String("404"), ResponseTemplates: map[string]string{"application/json": `{"message":"no such route"}`}}))(t)
	if put.DefaultResponse || aws.ToString(put.StatusCode) != "404" {
		t.Fatalf("PutGatewayResponse = %+v", put)
	}
	patched := must(client.UpdateGatewayResponse(ctx, &apigateway.UpdateGatewayResponseInput{RestApiId: api, ResponseType: types.GatewayResponseTypeDefault4xx,
		PatchOperations: []types.PatchOperation{{Op: types.OpAdd, Path: aws.String("/responseParameters/gatewayresponse.header.Access-Control-Allow-Origin"), Value: aws.String("'*'")}}}))(t)
	if patched.DefaultResponse || patched.ResponseParameters["gatewayresponse.header.Access-Control-Allow-Origin"] != "'*'" {
		t.Fatalf("UpdateGatewayResponse = %+v", patched)
	}
	must(client.DeleteGatewayResponse(ctx, &apigateway.DeleteGatewayResponseInput{RestApiId: api, ResponseType: types.GatewayResponseTypeMissingAuthenticationToken}))(t)
	restored := must(client.GetGatewayResponse(ctx, &apigateway.GetGatewayResponseInput{RestApiId: api, ResponseType: types.GatewayResponseTypeMissingAuthenticationToken}))(t)
	if !restored.DefaultResponse || aws.ToString(restored.StatusCode) != "403" {
		t.Fatalf("after delete = %+v, want the default 403", restored)
	}
	_, err := client.GetGatewayResponse(ctx, &apigateway.GetGatewayResponseInput{RestApiId: api, ResponseType: "NOPE"})
	sdktest.RequireCode(t, err, "ValidationException")
}

func TestRestQuotasThroughSDK(t *testing.T) {
	ctx := context.Background()
	e := sdktest.Start(t, emulator.Options{Quotas: true})
	client := e.REST(sdktest.ClientOptions{AccessKey: "AKIDQUOTA", Secret: "secret", MaxAttempts: 1})
	api := deployableAPI(t, client, "quotas")
	for i := range 5 {
		if _, err := client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api}); err != nil {
			t.Fatalf("GetResources %d: %v", i+1, err)
		}
	}
	_, err := client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "")
	must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api}))(t)
	_, err = client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "")
}

// TestRestChildrenSurviveRestartAndStayInTheirWorld writes the state file,
// starts a second emulator on it, and finds everything under the API again,
// from the same region only.
func TestRestChildrenSurviveRestartAndStayInTheirWorld(t *testing.T) {
	ctx := context.Background()
	state := filepath.Join(t.TempDir(), "state.json")
	options := sdktest.ClientOptions{AccessKey: "AKIDSTATE", Secret: "secret", MaxAttempts: 1}
	first := sdktest.Start(t, emulator.Options{StateFile: state})
	client := first.REST(options)
	api := deployableAPI(t, client, "persisted")
	must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api, StageName: aws.String("prod")}))(t)
	first.Server.Close()

	second := sdktest.Start(t, emulator.Options{StateFile: state})
	client = second.REST(options)
	stage := must(client.GetStage(ctx, &apigateway.GetStageInput{RestApiId: api, StageName: aws.String("prod")}))(t)
	resources := must(client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api, Embed: []string{"methods"}}))(t)
	if aws.ToString(stage.DeploymentId) == "" || len(resources.Items) != 1 || resources.Items[0].ResourceMethods["GET"].MethodIntegration == nil {
		t.Fatalf("after restart: stage %+v, resources %+v", stage, resources.Items)
	}

	options.Region = "eu-west-1"
	_, err := second.REST(options).GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
}
