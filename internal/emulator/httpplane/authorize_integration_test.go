package httpplane_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
	"github.com/runner-codes/infra-operator/internal/emulator/oidcissuer"
)

// authorizedAPI is an HTTP API with CORS and a $default stage whose routes
// the test adds, all served by the test function.
func authorizedAPI(t *testing.T, e *sdktest.Emulator) (*apigatewayv2.Client, string) {
	t.Helper()
	client := e.V2(sdktest.ClientOptions{})
	api := sdktest.Must(client.CreateApi(context.Background(), &apigatewayv2.CreateApiInput{
		Name: aws.String("authorized"), ProtocolType: types.ProtocolTypeHttp,
		CorsConfiguration: &types.Cors{AllowOrigins: []string{"https://app.example"}, AllowMethods: []string{"GET"}, AllowHeaders: []string{"authorization"}},
	}))(t)
	allowInvoke(t, e, "api", "arn:aws:execute-api:"+testRegion+":"+testAccount+":"+*api.ApiId+"/*")
	return client, *api.ApiId
}

// protect makes routeKey use the authorizer, with scopes for a JWT one.
func protect(t *testing.T, client *apigatewayv2.Client, apiID, routeKey, authorizationType, authorizerID string, scopes ...string) {
	t.Helper()
	ctx := context.Background()
	routes := sdktest.Must(client.GetRoutes(ctx, &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)}))(t)
	for _, route := range routes.Items {
		if *route.RouteKey != routeKey {
			continue
		}
		if _, err := client.UpdateRoute(ctx, &apigatewayv2.UpdateRouteInput{
			ApiId: aws.String(apiID), RouteId: route.RouteId, AuthorizationType: types.AuthorizationType(authorizationType),
			AuthorizerId: aws.String(authorizerID), AuthorizationScopes: scopes,
		}); err != nil {
			t.Fatalf("UpdateRoute %s: %v", routeKey, err)
		}
		return
	}
	t.Fatalf("no route %s", routeKey)
}

func startDefaultStage(t *testing.T, client *apigatewayv2.Client, apiID string) {
	t.Helper()
	if _, err := client.CreateStage(context.Background(), &apigatewayv2.CreateStageInput{
		ApiId: aws.String(apiID), StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
	}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
}

// eventOf decodes the test function's echo of its 2.0 event.
func eventOf(t *testing.T, body string) events.APIGatewayV2HTTPRequest {
	t.Helper()
	var event events.APIGatewayV2HTTPRequest
	if err := json.Unmarshal([]byte(body), &event); err != nil {
		t.Fatalf("the function's echo %q: %v", body, err)
	}
	return event
}

func TestJWTAuthorizerWithALocalIssuer(t *testing.T) {
	issuer, err := oidcissuer.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = issuer.Close() })
	e := startEmulatorWithTestLambda(t)
	client, apiID := authorizedAPI(t, e)
	addLambdaRoute(t, client, apiID, "GET /secure", "2.0")
	addLambdaRoute(t, client, apiID, "ANY /admin/{proxy+}", "2.0")
	authorizer := sdktest.Must(client.CreateAuthorizer(context.Background(), &apigatewayv2.CreateAuthorizerInput{
		ApiId: aws.String(apiID), Name: aws.String("jwt"), AuthorizerType: types.AuthorizerTypeJwt,
		IdentitySource:   []string{"$request.header.Authorization"},
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String(issuer.URL()), Audience: []string{"my-app"}},
	}))(t)
	protect(t, client, apiID, "GET /secure", "JWT", *authorizer.AuthorizerId, "read")
	protect(t, client, apiID, "ANY /admin/{proxy+}", "JWT", *authorizer.AuthorizerId)
	startDefaultStage(t, client, apiID)
	invoke := newExecuteAPIClient(t, e.BaseURL)
	token := func(claims oidcissuer.Claims) string {
		signed, err := issuer.Issue(claims)
		if err != nil {
			t.Fatal(err)
		}
		return "Bearer " + signed
	}

	response, body := invoke.call(t, apiID, "GET", "/secure", map[string]string{
		"Authorization": token(oidcissuer.Claims{"sub": "user-1", "aud": "my-app", "scope": "read write"}),
	})
	if response.StatusCode != http.StatusOK {
		t.Fatalf("valid token = %d %s, want 200", response.StatusCode, body)
	}
	jwt := eventOf(t, body).RequestContext.Authorizer
	if jwt == nil || jwt.JWT == nil || jwt.JWT.Claims["sub"] != "user-1" || !slices.Equal(jwt.JWT.Scopes, []string{"read", "write"}) {
		t.Errorf("requestContext.authorizer = %+v, want the token's claims and scopes", jwt)
	}

	past := time.Now().Add(-time.Hour).Unix()
	for _, tt := range []struct {
		name          string
		authorization string
		wantStatus    int
		wantBody      string
	}{
		{"no token", "", 401, `{"message":"Unauthorized"}`},
		{"expired", token(oidcissuer.Claims{"sub": "u", "aud": "my-app", "scope": "read", "exp": past, "iat": past - 60}), 401, `{"message":"Unauthorized"}`},
		{"wrong audience", token(oidcissuer.Claims{"sub": "u", "aud": "other-app", "scope": "read"}), 401, `{"message":"Unauthorized"}`},
		{"missing scope", token(oidcissuer.Claims{"sub": "u", "aud": "my-app", "scope": "write"}), 403, `{"message":"Forbidden"}`},
	} {
		headers := map[string]string{}
		if tt.authorization != "" {
			headers["Authorization"] = tt.authorization
		}
		response, body := invoke.call(t, apiID, "GET", "/secure", headers)
		if response.StatusCode != tt.wantStatus || body != tt.wantBody {
			t.Errorf("%s: %d %s, want %d %s", tt.name, response.StatusCode, body, tt.wantStatus, tt.wantBody)
		}
		if !strings.HasPrefix(response.Header.Get("Www-Authenticate"), "Bearer") {
			t.Errorf("%s: WWW-Authenticate = %q, want a Bearer challenge", tt.name, response.Header.Get("Www-Authenticate"))
		}
	}

	// A preflight carries no token: one that matches a route with an
	// authorizer (ANY /admin/{proxy+}) is authorized like any request, and
	// refused; one that matches no route (GET /secure serves no OPTIONS) is
	// answered by the gateway.
	preflight := map[string]string{"Origin": "https://app.example", "Access-Control-Request-Method": "GET"}
	response, body = invoke.call(t, apiID, "OPTIONS", "/admin/users", preflight)
	if response.StatusCode != http.StatusUnauthorized || response.Header.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("preflight on the JWT route = %d %s %v, want 401 without the preflight headers", response.StatusCode, body, corsHeadersOf(response.Header))
	}
	response, _ = invoke.call(t, apiID, "OPTIONS", "/secure", preflight)
	if response.StatusCode != http.StatusNoContent || response.Header.Get("Access-Control-Allow-Methods") != "GET" {
		t.Errorf("preflight matching no route = %d %v, want the gateway's 204", response.StatusCode, corsHeadersOf(response.Header))
	}
}

func TestLambdaRequestAuthorizers(t *testing.T) {
	e := startEmulatorWithTestLambda(t)
	client, apiID := authorizedAPI(t, e)
	ctx := context.Background()
	newAuthorizer := func(name, payloadFormat string, simple bool) string {
		created := sdktest.Must(client.CreateAuthorizer(ctx, &apigatewayv2.CreateAuthorizerInput{
			ApiId: aws.String(apiID), Name: aws.String(name), AuthorizerType: types.AuthorizerTypeRequest,
			AuthorizerUri:                  aws.String("arn:aws:apigateway:" + testRegion + ":lambda:path/2015-03-31/functions/" + testFunctionARN + "/invocations"),
			AuthorizerPayloadFormatVersion: aws.String(payloadFormat), EnableSimpleResponses: aws.Bool(simple),
			IdentitySource: []string{"$request.header.Authorization"}, AuthorizerResultTtlInSeconds: aws.Int32(0),
		}))(t)
		return *created.AuthorizerId
	}
	addLambdaRoute(t, client, apiID, "GET /simple", "2.0")
	addLambdaRoute(t, client, apiID, "GET /policy", "2.0")
	protect(t, client, apiID, "GET /simple", "CUSTOM", newAuthorizer("simple", "2.0", true))
	protect(t, client, apiID, "GET /policy", "CUSTOM", newAuthorizer("policy", "1.0", false))
	startDefaultStage(t, client, apiID)
	invoke := newExecuteAPIClient(t, e.BaseURL)

	for _, tt := range []struct {
		path, authorization string
		wantStatus          int
	}{
		{"/simple", "allow", 200}, {"/simple", "nope", 403}, {"/simple", "", 401},
		{"/policy", "allow", 200}, {"/policy", "deny", 403}, {"/policy", "", 401},
		// The function fails ("Unauthorized"): HTTP APIs answer 500 (see
		// package authorizers).
		{"/policy", "someone", 500},
	} {
		headers := map[string]string{}
		if tt.authorization != "" {
			headers["Authorization"] = tt.authorization
		}
		response, body := invoke.call(t, apiID, "GET", tt.path, headers)
		if response.StatusCode != tt.wantStatus {
			t.Errorf("%s with %q = %d %s, want %d", tt.path, tt.authorization, response.StatusCode, body, tt.wantStatus)
			continue
		}
		if tt.wantStatus == http.StatusOK {
			if context := eventOf(t, body).RequestContext.Authorizer; context == nil || context.Lambda["user"] != "test-user" {
				t.Errorf("%s: requestContext.authorizer = %+v, want the authorizer's context", tt.path, context)
			}
		}
	}
}
