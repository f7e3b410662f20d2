package restplane_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const (
	testAccount     = "000000000000"
	testRegion      = "us-east-1"
	testFunctionARN = "arn:aws:lambda:" + testRegion + ":" + testAccount + ":function:restfn"
	testFunctionURI = "arn:aws:apigateway:" + testRegion + ":lambda:path/2015-03-31/functions/" + testFunctionARN + "/invocations"
)

// startWithTestLambda starts an emulator where the function restfn is the
// aws-lambda-go handler sdktest builds, run through the Runtime API.
func startWithTestLambda(t *testing.T) (*apigateway.Client, *lambda.Client, string) {
	t.Helper()
	e := sdktest.Start(t, emulator.Options{LambdaFunctions: []emulator.LambdaFunction{{Name: "restfn", Handler: sdktest.BuildTestLambda(t)}}})
	_, port := splitPort(t, e.BaseURL)
	return e.REST(sdktest.ClientOptions{}), e.Lambda(sdktest.ClientOptions{}), port
}

// allowAPIGateway lets API Gateway invoke restfn from sourceARN.
func allowAPIGateway(t *testing.T, client *lambda.Client, statementID, sourceARN string) {
	t.Helper()
	if _, err := client.AddPermission(context.Background(), &lambda.AddPermissionInput{
		FunctionName: aws.String("restfn"), StatementId: aws.String(statementID), Action: aws.String("lambda:InvokeFunction"),
		Principal: aws.String("apigateway.amazonaws.com"), SourceArn: aws.String(sourceARN),
	}); err != nil {
		t.Fatalf("AddPermission: %v", err)
	}
}

func (a *restAPI) executeARN(rest string) string {
	return "arn:aws:execute-api:" + testRegion + ":" + testAccount + ":" + a.id + "/" + rest
}

// TestLambdaProxyThroughTheRuntimeAPI is the required scenario: the
// aws-lambda-go handler serves a REST method through the Runtime API and
// receives the documented 1.0 event; the same function behind a method its
// permission does not cover answers 500.
func TestLambdaProxyThroughTheRuntimeAPI(t *testing.T) {
	client, functions, port := startWithTestLambda(t)
	api := newRestAPI(t, client, port, nil)
	proxy := &apigateway.PutIntegrationInput{Type: types.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(testFunctionURI)}
	api.method("/hello/{name}", &apigateway.PutMethodInput{HttpMethod: aws.String("POST")}, proxy)
	api.method("/private", &apigateway.PutMethodInput{HttpMethod: aws.String("GET")}, proxy)
	api.deploy("prod", map[string]string{"tier": "gold"})
	allowAPIGateway(t, functions, "hello", api.executeARN("*/POST/hello/*"))

	got := api.call("POST", "/prod/hello/world?a=1&a=2&b=3", map[string]string{"X-Custom": "c"}, `{"n":1}`)
	if got.status != http.StatusOK || got.header.Get("X-Handler") != "testlambda" {
		t.Fatalf("got %d %v %s", got.status, got.header, got.body)
	}
	var event events.APIGatewayProxyRequest
	if err := json.Unmarshal([]byte(got.body), &event); err != nil {
		t.Fatalf("the handler echoed %s: %v", got.body, err)
	}
	checks := map[string][2]string{
		"resource":                     {event.Resource, "/hello/{name}"},
		"path":                         {event.Path, "/hello/world"},
		"httpMethod":                   {event.HTTPMethod, "POST"},
		"header":                       {event.Headers["X-Custom"], "c"},
		"queryStringParameters.a":      {event.QueryStringParameters["a"], "2"},
		"multiValueQueryStringParams":  {jsonOf(event.MultiValueQueryStringParameters["a"]), `["1","2"]`},
		"pathParameters.name":          {event.PathParameters["name"], "world"},
		"stageVariables.tier":          {event.StageVariables["tier"], "gold"},
		"body":                         {event.Body, `{"n":1}`},
		"requestContext.accountId":     {event.RequestContext.AccountID, testAccount},
		"requestContext.apiId":         {event.RequestContext.APIID, api.id},
		"requestContext.stage":         {event.RequestContext.Stage, "prod"},
		"requestContext.resourcePath":  {event.RequestContext.ResourcePath, "/hello/{name}"},
		"requestContext.path":          {event.RequestContext.Path, "/prod/hello/world"},
		"requestContext.requestId":     {event.RequestContext.RequestID, got.header.Get("x-amzn-RequestId")},
		"requestContext.identity.ip":   {event.RequestContext.Identity.SourceIP, "127.0.0.1"},
		"requestContext.httpMethod":    {event.RequestContext.HTTPMethod, "POST"},
		"requestContext.resourceId":    {boolText(event.RequestContext.ResourceID != ""), "true"},
		"requestContext.requestTimeOK": {boolText(event.RequestContext.RequestTimeEpoch > 0), "true"},
	}
	for name, check := range checks {
		if check[0] != check[1] {
			t.Errorf("%s = %q, want %q", name, check[0], check[1])
		}
	}

	expect(t, api.call("GET", "/prod/private", nil, ""), http.StatusInternalServerError, `{"message": "Internal server error"}`)
	// The status the function answers is the client's.
	expect(t, api.call("POST", "/prod/hello/x?x-test-status=418", nil, ""), http.StatusTeapot, "")
}

// TestTokenAuthorizerThroughTheRuntimeAPI: a TOKEN authorizer run by the
// same handler allows "allow" (its principal and context reach the
// integration), denies "deny" with REST's explicit-deny answer and answers
// 401 to any other token and to none.
func TestTokenAuthorizerThroughTheRuntimeAPI(t *testing.T) {
	client, functions, port := startWithTestLambda(t)
	ctx := context.Background()
	api := newRestAPI(t, client, port, nil)
	authorizer, err := client.CreateAuthorizer(ctx, &apigateway.CreateAuthorizerInput{
		RestApiId: &api.id, Name: aws.String("token"), Type: types.AuthorizerTypeToken, AuthorizerUri: aws.String(testFunctionURI),
		IdentitySource: aws.String("method.request.header.Authorization"), AuthorizerResultTtlInSeconds: aws.Int32(0),
	})
	if err != nil {
		t.Fatalf("CreateAuthorizer: %v", err)
	}
	api.method("/secret", &apigateway.PutMethodInput{HttpMethod: aws.String("GET"), AuthorizationType: aws.String("CUSTOM"), AuthorizerId: authorizer.Id},
		&apigateway.PutIntegrationInput{Type: types.IntegrationTypeAwsProxy, IntegrationHttpMethod: aws.String("POST"), Uri: aws.String(testFunctionURI)})
	api.deploy("prod", nil)
	allowAPIGateway(t, functions, "methods", api.executeARN("*/*/*"))
	allowAPIGateway(t, functions, "authorizer", api.executeARN("authorizers/"+*authorizer.Id))

	got := api.call("GET", "/prod/secret", map[string]string{"Authorization": "allow"}, "")
	var event events.APIGatewayProxyRequest
	if got.status != http.StatusOK || json.Unmarshal([]byte(got.body), &event) != nil {
		t.Fatalf("allow: %d %s", got.status, got.body)
	}
	if event.RequestContext.Authorizer["principalId"] != "test-user" || event.RequestContext.Authorizer["user"] != "test-user" {
		t.Errorf("requestContext.authorizer = %v", event.RequestContext.Authorizer)
	}
	denied := api.call("GET", "/prod/secret", map[string]string{"Authorization": "deny"}, "")
	if denied.status != http.StatusForbidden || !strings.HasPrefix(denied.body, `{"Message":"User is not authorized to access this resource with an explicit deny`) {
		t.Errorf("deny: %d %s", denied.status, denied.body)
	}
	expect(t, api.call("GET", "/prod/secret", map[string]string{"Authorization": "other"}, ""), http.StatusUnauthorized, `{"message":"Unauthorized"}`)
	expect(t, api.call("GET", "/prod/secret", nil, ""), http.StatusUnauthorized, `{"message":"Unauthorized"}`)
}

func jsonOf(v any) string {
	encoded, _ := json.Marshal(v)
	return string(encoded)
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}
