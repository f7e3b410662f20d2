package httpplane_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const (
	testAccount      = "000000000000"
	testRegion       = "us-east-1"
	testFunctionName = "testlambda"
)

var testFunctionARN = "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:" + testFunctionName

// startEmulatorWithTestLambda starts an emulator running the aws-lambda-go
// test handler as the function testlambda, through the Runtime API.
func startEmulatorWithTestLambda(t *testing.T) *sdktest.Emulator {
	t.Helper()
	return sdktest.Start(t, emulator.Options{LambdaFunctions: []emulator.LambdaFunction{
		{Name: testFunctionName, Handler: sdktest.BuildTestLambda(t), Timeout: 10},
	}})
}

// addLambdaRoute adds routeKey to the API, through an AWS_PROXY integration
// to the test function in payloadFormat.
func addLambdaRoute(t *testing.T, client *apigatewayv2.Client, apiID, routeKey, payloadFormat string) {
	t.Helper()
	ctx := context.Background()
	integration := sdktest.Must(client.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: aws.String(apiID), IntegrationType: types.IntegrationTypeAwsProxy,
		IntegrationUri:       aws.String("arn:aws:apigateway:" + testRegion + ":lambda:path/2015-03-31/functions/" + testFunctionARN + "/invocations"),
		PayloadFormatVersion: aws.String(payloadFormat),
	}))(t)
	if _, err := client.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
		ApiId: aws.String(apiID), RouteKey: aws.String(routeKey), Target: aws.String("integrations/" + *integration.IntegrationId),
	}); err != nil {
		t.Fatalf("CreateRoute %s: %v", routeKey, err)
	}
}

// allowInvoke lets API Gateway invoke the test function from sourceARN, as
// `aws lambda add-permission` does.
func allowInvoke(t *testing.T, e *sdktest.Emulator, statementID, sourceARN string) {
	t.Helper()
	if _, err := e.Lambda(sdktest.ClientOptions{}).AddPermission(context.Background(), &lambda.AddPermissionInput{
		FunctionName: aws.String(testFunctionName), StatementId: aws.String(statementID), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String(sourceARN),
	}); err != nil {
		t.Fatalf("AddPermission: %v", err)
	}
}

// The required end-to-end test: an aws-lambda-go handler, run through the
// Runtime API, serves a route of an API built with the SDK, in both payload
// formats; a route the function's policy does not allow answers 500.
func TestLambdaProxyRoutesServedByAnAWSLambdaGoHandler(t *testing.T) {
	e := startEmulatorWithTestLambda(t)
	client := e.V2(sdktest.ClientOptions{})
	ctx := context.Background()
	api := sdktest.Must(client.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("lambda"), ProtocolType: types.ProtocolTypeHttp}))(t)
	apiID := *api.ApiId
	addLambdaRoute(t, client, apiID, "GET /items/{id}", "2.0")
	addLambdaRoute(t, client, apiID, "POST /v1/items", "1.0")
	addLambdaRoute(t, client, apiID, "GET /private", "2.0")
	if _, err := client.CreateStage(ctx, &apigatewayv2.CreateStageInput{
		ApiId: aws.String(apiID), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
	}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	// The source ARNs as CDK grants them: any stage, any method, the route's
	// path as its key writes it. Nothing allows /private.
	executeAPI := "arn:aws:execute-api:" + testRegion + ":" + testAccount + ":" + apiID
	allowInvoke(t, e, "items", executeAPI+"/*/*/items/{id}")
	allowInvoke(t, e, "v1", executeAPI+"/*/*/v1/items")
	invoke := newExecuteAPIClient(t, e.BaseURL)

	response, body := invoke.call(t, apiID, "GET", "/items/42?color=red", map[string]string{"X-Test-Status": "203"})
	if response.StatusCode != http.StatusNonAuthoritativeInfo || response.Header.Get("X-Handler") != "testlambda" {
		t.Fatalf("2.0 route = %d %v %s, want the handler's 203", response.StatusCode, response.Header, body)
	}
	var v2 events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &v2); err != nil {
		t.Fatalf("the handler's echo of its event: %v\n%s", err, body)
	}
	if v2.Version != "2.0" || v2.RouteKey != "GET /items/{id}" || v2.RawPath != "/items/42" || v2.PathParameters["id"] != "42" ||
		v2.QueryStringParameters["color"] != "red" || v2.RequestContext.APIID != apiID || v2.RequestContext.AccountID != testAccount ||
		v2.RequestContext.Stage != "$default" || v2.RequestContext.RequestID != response.Header.Get("Apigw-Requestid") {
		t.Errorf("2.0 event as the handler saw it: %s", body)
	}

	response, body = invoke.call(t, apiID, "POST", "/v1/items", nil)
	var v1 events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(body), &v1); err != nil || response.StatusCode != http.StatusOK {
		t.Fatalf("1.0 route = %d %s (%v)", response.StatusCode, body, err)
	}
	if v1.Resource != "/v1/items" || v1.Path != "/v1/items" || v1.HTTPMethod != "POST" || v1.RequestContext.Stage != "$default" {
		t.Errorf("1.0 event as the handler saw it: %s", body)
	}

	response, body = invoke.call(t, apiID, "GET", "/private", nil)
	if response.StatusCode != http.StatusInternalServerError || body != `{"message":"Internal Server Error"}` {
		t.Errorf("route without the invoke permission = %d %s, want 500 {\"message\":\"Internal Server Error\"}", response.StatusCode, body)
	}
	// Granting it makes the same route work: the refusal was the policy's.
	allowInvoke(t, e, "private", executeAPI+"/$default/GET/private")
	if response, body = invoke.call(t, apiID, "GET", "/private", nil); response.StatusCode != http.StatusOK {
		t.Errorf("after AddPermission = %d %s, want 200", response.StatusCode, body)
	}
}
