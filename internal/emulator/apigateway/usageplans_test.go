package apigateway

import (
	"errors"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/emulator/auth"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
)

// TestUsagePlanAPIStagesWithAStage drives apiStages and their per-method
// throttles with REST stages stubbed in (stage "dev" of every API), as
// emu-rest's stages will provide them; and API keys' stageKeys with it.
func TestUsagePlanAPIStagesWithAStage(t *testing.T) {
	svc := New()
	svc.restStages = func(_ *restAPI, stage string) bool { return stage == "dev" }
	dispatcher, err := core.NewDispatcher(core.Config{
		StateLock: &sync.Mutex{},
		Auth:      auth.New(nil, "000000000000", func(string) (auth.Key, bool) { return auth.Key{}, false }),
		Services:  []core.Service{svc},
	})
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(dispatcher)
	defer server.Close()
	client := apigateway.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(server.URL),
		Credentials: credentials.NewStaticCredentialsProvider("AKID", "secret", ""), RetryMaxAttempts: 1})
	ctx := t.Context()

	api, err := client.CreateRestApi(ctx, &apigateway.CreateRestApiInput{Name: aws.String("r")})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := client.CreateUsagePlan(ctx, &apigateway.CreateUsagePlanInput{Name: aws.String("p"),
		ApiStages: []types.ApiStage{{ApiId: api.Id, Stage: aws.String("dev")}}})
	if err != nil || len(plan.ApiStages) != 1 {
		t.Fatalf("CreateUsagePlan = %+v, %v", plan, err)
	}
	stage := "/apiStages/" + *api.Id + ":dev/throttle/~1pets/GET/"
	updated, err := client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: plan.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String(stage + "rateLimit"), Value: aws.String("7.5")},
		{Op: types.OpReplace, Path: aws.String(stage + "burstLimit"), Value: aws.String("3")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := updated.ApiStages[0].Throttle["/pets/GET"]; got.RateLimit != 7.5 || got.BurstLimit != 3 {
		t.Fatalf("per-method throttle = %+v", updated.ApiStages[0].Throttle)
	}
	_, err = client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: plan.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpRemove, Path: aws.String("/apiStages"), Value: aws.String(*api.Id + ":fake")}}})
	var notFound *types.NotFoundException
	if !errors.As(err, &notFound) || notFound.ErrorMessage() != "Invalid API Stage {api: "+*api.Id+", stage: fake} specified for usageplan "+*plan.Id {
		t.Fatalf("remove of a missing stage: %v", err)
	}
	// AWS refuses to delete a plan that still has stages.
	_, err = client.DeleteUsagePlan(ctx, &apigateway.DeleteUsagePlanInput{UsagePlanId: plan.Id})
	var badRequest *types.BadRequestException
	if !errors.As(err, &badRequest) || badRequest.ErrorMessage() != "Cannot delete Usage Plan "+*plan.Id+" because there are API Stages associated with it, including "+*api.Id+":dev" {
		t.Fatalf("DeleteUsagePlan of a plan with a stage: %v", err)
	}
	removed, err := client.UpdateUsagePlan(ctx, &apigateway.UpdateUsagePlanInput{UsagePlanId: plan.Id, PatchOperations: []types.PatchOperation{
		{Op: types.OpRemove, Path: aws.String("/apiStages"), Value: aws.String(*api.Id + ":dev")}}})
	if err != nil || len(removed.ApiStages) != 0 {
		t.Fatalf("remove /apiStages = %+v, %v", removed, err)
	}
	if _, err := client.DeleteUsagePlan(ctx, &apigateway.DeleteUsagePlanInput{UsagePlanId: plan.Id}); err != nil {
		t.Fatalf("DeleteUsagePlan once its stages are removed: %v", err)
	}
	key, err := client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{StageKeys: []types.StageKey{{RestApiId: api.Id, StageName: aws.String("dev")}}})
	if err != nil || len(key.StageKeys) != 1 || key.StageKeys[0] != *api.Id+"/dev" {
		t.Fatalf("CreateApiKey stageKeys = %+v, %v", key, err)
	}
}
