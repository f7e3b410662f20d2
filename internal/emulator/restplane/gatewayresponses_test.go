package restplane_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestGatewayResponsesAndValidators: a customised MISSING_AUTHENTICATION_TOKEN
// (status, header, template) and a DEFAULT_4XX customisation apply only
// once deployed; a request validator refuses missing required parameters
// with 400 and AWS's message.
func TestGatewayResponsesAndValidators(t *testing.T) {
	client, port := startREST(t)
	ctx := context.Background()
	api := newRestAPI(t, client, port, nil)
	validator, err := client.CreateRequestValidator(ctx, &apigateway.CreateRequestValidatorInput{RestApiId: &api.id, Name: aws.String("params"), ValidateRequestParameters: true})
	if err != nil {
		t.Fatal(err)
	}
	resourceID := api.method("/search", &apigateway.PutMethodInput{HttpMethod: aws.String("GET"), RequestValidatorId: validator.Id, RequestParameters: map[string]bool{
		"method.request.querystring.q": true, "method.request.header.X-Tenant": true, "method.request.querystring.page": false,
	}}, &apigateway.PutIntegrationInput{Type: types.IntegrationTypeMock, RequestTemplates: map[string]string{"application/json": `{"statusCode": 200}`}})
	api.integrationResponse(resourceID, "GET", &apigateway.PutIntegrationResponseInput{StatusCode: aws.String("200"), ResponseTemplates: map[string]string{"application/json": `found`}})
	api.deploy("prod", nil)

	expect(t, api.call("GET", "/prod/search", nil, ""), http.StatusBadRequest, `{"message": "Missing required request parameters: [X-Tenant, q]"}`)
	expect(t, api.call("GET", "/prod/search?q=x", nil, ""), http.StatusBadRequest, `{"message": "Missing required request parameters: [X-Tenant]"}`)
	expect(t, api.call("GET", "/prod/search?q=x", map[string]string{"X-Tenant": "t"}, ""), http.StatusOK, "found")

	if _, err := client.PutGatewayResponse(ctx, &apigateway.PutGatewayResponseInput{
		RestApiId: &api.id, ResponseType: types.GatewayResponseTypeMissingAuthenticationToken, StatusCode: aws.String("404"),
		ResponseParameters: map[string]string{"gatewayresponse.header.X-Why": "'no route'", "gatewayresponse.header.X-Stage": "context.stage"},
		ResponseTemplates:  map[string]string{"application/json": `{"error":$context.error.messageString,"type":"$context.error.responseType","path":"$context.path"}`},
	}); err != nil {
		t.Fatalf("PutGatewayResponse: %v", err)
	}
	if _, err := client.PutGatewayResponse(ctx, &apigateway.PutGatewayResponseInput{
		RestApiId: &api.id, ResponseType: types.GatewayResponseTypeDefault4xx,
		ResponseParameters: map[string]string{"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"},
		ResponseTemplates:  map[string]string{"application/json": `{"oops":$context.error.messageString}`},
	}); err != nil {
		t.Fatalf("PutGatewayResponse: %v", err)
	}
	// Not deployed yet: AWS's defaults.
	expect(t, api.call("GET", "/prod/nowhere", nil, ""), http.StatusForbidden, `{"message":"Missing Authentication Token"}`)
	api.deploy("prod", nil)
	got := api.call("GET", "/prod/nowhere", nil, "")
	expect(t, got, http.StatusNotFound, `{"error":"Missing Authentication Token","type":"MISSING_AUTHENTICATION_TOKEN","path":"/prod/nowhere"}`)
	if got.header.Get("X-Why") != "no route" || got.header.Get("X-Stage") != "prod" {
		t.Errorf("gateway response headers %v", got.header)
	}
	got = api.call("GET", "/prod/search", nil, "")
	expect(t, got, http.StatusBadRequest, `{"oops":"Missing required request parameters: [X-Tenant, q]"}`)
	if got.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("DEFAULT_4XX headers %v", got.header)
	}
}

// TestDisabledExecuteAPIEndpoint: once disableExecuteApiEndpoint is set,
// the execute-api endpoint answers 403 Forbidden.
func TestDisabledExecuteAPIEndpoint(t *testing.T) {
	client, port := startREST(t)
	api := newRestAPI(t, client, port, nil)
	api.mock("/", "GET", 200, "up")
	api.deploy("prod", nil)
	expect(t, api.call("GET", "/prod", nil, ""), http.StatusOK, "up")
	if _, err := client.UpdateRestApi(context.Background(), &apigateway.UpdateRestApiInput{RestApiId: &api.id, PatchOperations: []types.PatchOperation{
		{Op: types.OpReplace, Path: aws.String("/disableExecuteApiEndpoint"), Value: aws.String("true")},
	}}); err != nil {
		t.Fatal(err)
	}
	expect(t, api.call("GET", "/prod", nil, ""), http.StatusForbidden, `{"message":"Forbidden"}`)
}
