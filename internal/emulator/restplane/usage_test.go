package restplane_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// keyedAPI deploys GET /items (MOCK, API key required) to prod, and returns
// a usage plan for prod with the given throttle and quota.
func keyedAPI(t *testing.T, client *apigateway.Client, port string, throttle *types.ThrottleSettings, quota *types.QuotaSettings) (*restAPI, string) {
	t.Helper()
	api := newRestAPI(t, client, port, nil)
	resourceID := api.method("/items", &apigateway.PutMethodInput{HttpMethod: aws.String("GET"), ApiKeyRequired: true},
		&apigateway.PutIntegrationInput{Type: types.IntegrationTypeMock, RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`}})
	api.integrationResponse(resourceID, "GET", &apigateway.PutIntegrationResponseInput{
		StatusCode: aws.String("200"), ResponseTemplates: map[string]string{"application/json": `{"key":"$context.identity.apiKeyId"}`},
	})
	api.deploy("prod", nil)
	plan, err := client.CreateUsagePlan(context.Background(), &apigateway.CreateUsagePlanInput{
		Name: aws.String("plan-" + api.id), Throttle: throttle, Quota: quota,
		ApiStages: []types.ApiStage{{ApiId: &api.id, Stage: aws.String("prod")}},
	})
	if err != nil {
		t.Fatalf("CreateUsagePlan: %v", err)
	}
	return api, *plan.Id
}

// addKey creates an API key and adds it to the plan.
func addKey(t *testing.T, client *apigateway.Client, planID, value string, enabled bool) string {
	t.Helper()
	ctx := context.Background()
	key, err := client.CreateApiKey(ctx, &apigateway.CreateApiKeyInput{Name: aws.String(value), Value: aws.String(value), Enabled: enabled})
	if err != nil {
		t.Fatalf("CreateApiKey: %v", err)
	}
	if planID != "" {
		if _, err := client.CreateUsagePlanKey(ctx, &apigateway.CreateUsagePlanKeyInput{UsagePlanId: &planID, KeyId: key.Id, KeyType: aws.String("API_KEY")}); err != nil {
			t.Fatalf("CreateUsagePlanKey: %v", err)
		}
	}
	return *key.Id
}

// TestAPIKeyRequiredMethodWithCurl is the required scenario: built
// with the SDK, called with curl. Without a key 403, with a key of the plan
// 200, past the plan's throttle (1 request/s, burst 1) 429.
func TestAPIKeyRequiredMethodWithCurl(t *testing.T) {
	client, port := startREST(t)
	api, planID := keyedAPI(t, client, port, &types.ThrottleSettings{RateLimit: 1, BurstLimit: 1}, nil)
	keyID := addKey(t, client, planID, "curl-key-0123456789abcdef", true)

	if status, body := api.curl("/prod/items"); status != http.StatusForbidden || body != `{"message":"Forbidden"}` {
		t.Fatalf("without a key: %d %s", status, body)
	}
	if status, body := api.curl("/prod/items", "-H", "x-api-key: curl-key-0123456789abcdef"); status != http.StatusOK || body != `{"key":"`+keyID+`"}` {
		t.Fatalf("with the key: %d %s", status, body)
	}
	if status, body := api.curl("/prod/items", "-H", "x-api-key: curl-key-0123456789abcdef"); status != http.StatusTooManyRequests || body != `{"message":"Too Many Requests"}` {
		t.Fatalf("past the throttle: %d %s", status, body)
	}
}

// TestAPIKeysThatDoNotCount: a key of another value, a disabled key, a key
// in no plan and a key whose plan does not include the stage are all 403.
func TestAPIKeysThatDoNotCount(t *testing.T) {
	client, port := startREST(t)
	api, planID := keyedAPI(t, client, port, nil, nil)
	addKey(t, client, planID, "disabled-key-0123456789", false)
	addKey(t, client, "", "planless-key-0123456789", true)
	other := newRestAPI(t, client, port, &apigateway.CreateRestApiInput{Name: aws.String("other")})
	other.mock("/", "GET", 200, "{}")
	other.deploy("prod", nil)
	otherPlan, err := client.CreateUsagePlan(context.Background(), &apigateway.CreateUsagePlanInput{
		Name: aws.String("other"), ApiStages: []types.ApiStage{{ApiId: &other.id, Stage: aws.String("prod")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	addKey(t, client, *otherPlan.Id, "other-plan-key-0123456789", true)
	for _, key := range []string{"unknown-key-0123456789", "disabled-key-0123456789", "planless-key-0123456789", "other-plan-key-0123456789"} {
		got := api.call(http.MethodGet, "/prod/items", map[string]string{"x-api-key": key}, "")
		expect(t, got, http.StatusForbidden, `{"message":"Forbidden"}`)
		if got.header.Get("x-amzn-ErrorType") != "ForbiddenException" {
			t.Errorf("%s: x-amzn-ErrorType %q", key, got.header.Get("x-amzn-ErrorType"))
		}
	}
	addKey(t, client, planID, "good-key-0123456789abc", true)
	expect(t, api.call(http.MethodGet, "/prod/items", map[string]string{"x-api-key": "good-key-0123456789abc"}, ""), http.StatusOK, "")
}

// TestUsagePlanQuotaAndMethodThrottle: the plan's quota (2 a day) answers
// 429 Limit Exceeded on the third request; a per-method throttle of the
// plan overrides the plan's own throttle.
func TestUsagePlanQuotaAndMethodThrottle(t *testing.T) {
	client, port := startREST(t)
	api, planID := keyedAPI(t, client, port, nil, &types.QuotaSettings{Limit: 2, Period: types.QuotaPeriodTypeDay})
	addKey(t, client, planID, "quota-key-0123456789ab", true)
	headers := map[string]string{"x-api-key": "quota-key-0123456789ab"}
	expect(t, api.call(http.MethodGet, "/prod/items", headers, ""), http.StatusOK, "")
	expect(t, api.call(http.MethodGet, "/prod/items", headers, ""), http.StatusOK, "")
	got := api.call(http.MethodGet, "/prod/items", headers, "")
	expect(t, got, http.StatusTooManyRequests, `{"message":"Limit Exceeded"}`)

	throttledAPI, throttledPlan := keyedAPI(t, client, port, &types.ThrottleSettings{RateLimit: 1000, BurstLimit: 1000}, nil)
	if _, err := client.UpdateUsagePlan(context.Background(), &apigateway.UpdateUsagePlanInput{UsagePlanId: &throttledPlan, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/apiStages/" + throttledAPI.id + ":prod/throttle/~1items/GET/rateLimit"), Value: aws.String("0.001")},
		{Op: types.OpReplace, Path: aws.String("/apiStages/" + throttledAPI.id + ":prod/throttle/~1items/GET/burstLimit"), Value: aws.String("1")},
	}}); err != nil {
		t.Fatalf("UpdateUsagePlan: %v", err)
	}
	addKey(t, client, throttledPlan, "method-key-0123456789a", true)
	headers = map[string]string{"x-api-key": "method-key-0123456789a"}
	expect(t, throttledAPI.call(http.MethodGet, "/prod/items", headers, ""), http.StatusOK, "")
	expect(t, throttledAPI.call(http.MethodGet, "/prod/items", headers, ""), http.StatusTooManyRequests, `{"message":"Too Many Requests"}`)
}

// TestStageThrottling: the stage's */* method setting throttles every
// method of the stage, with or without a key.
func TestStageThrottling(t *testing.T) {
	client, port := startREST(t)
	api := newRestAPI(t, client, port, nil)
	api.mock("/open", "GET", 200, `ok`)
	api.deploy("prod", nil)
	if _, err := client.UpdateStage(context.Background(), &apigateway.UpdateStageInput{RestApiId: &api.id, StageName: aws.String("prod"), PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/*/*/throttling/rateLimit"), Value: aws.String("0.001")},
		{Op: types.OpReplace, Path: aws.String("/*/*/throttling/burstLimit"), Value: aws.String("2")},
	}}); err != nil {
		t.Fatalf("UpdateStage: %v", err)
	}
	expect(t, api.call(http.MethodGet, "/prod/open", nil, ""), http.StatusOK, "ok")
	expect(t, api.call(http.MethodGet, "/prod/open", nil, ""), http.StatusOK, "ok")
	got := api.call(http.MethodGet, "/prod/open", nil, "")
	expect(t, got, http.StatusTooManyRequests, `{"message":"Too Many Requests"}`)
	if got.header.Get("x-amzn-ErrorType") != "TooManyRequestsException" {
		t.Errorf("x-amzn-ErrorType %q", got.header.Get("x-amzn-ErrorType"))
	}
}
