package apigatewayv2_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const (
	lambdaARN       = "arn:aws:lambda:us-east-1:123456789012:function:auth"
	lambdaInvokeURI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/" + lambdaARN + "/invocations"
)

func newAPI(t *testing.T, client *apigatewayv2.Client, protocol types.ProtocolType) *string {
	t.Helper()
	input := &apigatewayv2.CreateApiInput{Name: aws.String("cp"), ProtocolType: protocol}
	if protocol == types.ProtocolTypeWebsocket {
		input.RouteSelectionExpression = aws.String("$request.body.action")
	}
	return sdktest.Must(client.CreateApi(sdktest.Ctx, input))(t).ApiId
}

func TestAuthorizersAndRouteAuthorization(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeHttp)

	jwt := sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{
		ApiId: apiID, Name: aws.String("jwt"), AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{},
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://issuer.example"), Audience: []string{"app"}},
	}))(t)
	if fmt.Sprint(jwt.IdentitySource) != "[$request.header.Authorization]" || *jwt.JwtConfiguration.Issuer != "https://issuer.example" {
		t.Fatalf("JWT authorizer = %+v", jwt)
	}
	lambda := sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{
		ApiId: apiID, Name: aws.String("lambda"), AuthorizerType: types.AuthorizerTypeRequest,
		IdentitySource: []string{"$request.header.X-Key"}, AuthorizerUri: aws.String(lambdaInvokeURI),
		AuthorizerPayloadFormatVersion: aws.String("2.0"), EnableSimpleResponses: aws.Bool(true), AuthorizerResultTtlInSeconds: aws.Int32(300),
	}))(t)
	if *lambda.AuthorizerResultTtlInSeconds != 300 || !*lambda.EnableSimpleResponses {
		t.Fatalf("REQUEST authorizer = %+v", lambda)
	}

	request := func(mutate func(*apigatewayv2.CreateAuthorizerInput)) *apigatewayv2.CreateAuthorizerInput {
		input := &apigatewayv2.CreateAuthorizerInput{
			ApiId: apiID, Name: aws.String("a"), AuthorizerType: types.AuthorizerTypeRequest, IdentitySource: []string{},
			AuthorizerUri: aws.String(lambdaInvokeURI), AuthorizerPayloadFormatVersion: aws.String("1.0"),
		}
		mutate(input)
		return input
	}
	refusals := map[string]struct {
		input   *apigatewayv2.CreateAuthorizerInput
		message string
	}{
		"no payload version": {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerPayloadFormatVersion = nil }), "authorizerPayloadFormatVersion is required for REQUEST authorizers of HTTP APIs"},
		"simple with 1.0":    {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.EnableSimpleResponses = aws.Bool(true) }), "enableSimpleResponses is supported only with authorizerPayloadFormatVersion 2.0"},
		"ttl 3601":           {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerResultTtlInSeconds = aws.Int32(3601) }), "Invalid authorizerResultTtlInSeconds 3601: must be between 0 and 3600"},
		"cache without source": {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerResultTtlInSeconds = aws.Int32(60) }),
			"An identity source is required when authorizer caching is enabled (authorizerResultTtlInSeconds > 0)"},
		"bare lambda arn": {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerUri = aws.String(lambdaARN) }), ""},
		"no uri":          {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerUri = nil }), "authorizerUri is required for REQUEST authorizers"},
		"bad source":      {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.IdentitySource = []string{"header.X"} }), ""},
		"jwt without issuer": {request(func(i *apigatewayv2.CreateAuthorizerInput) {
			i.AuthorizerType, i.AuthorizerUri, i.AuthorizerPayloadFormatVersion = types.AuthorizerTypeJwt, nil, nil
		}), "jwtConfiguration with an issuer is required for JWT authorizers"},
		"type": {request(func(i *apigatewayv2.CreateAuthorizerInput) { i.AuthorizerType = "TOKEN" }), "Invalid authorizer type TOKEN for HTTP API: must be one of [JWT, REQUEST]"},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			_, err := client.CreateAuthorizer(sdktest.Ctx, tc.input)
			sdktest.RequireTyped[*types.BadRequestException](t, err, tc.message)
		})
	}

	integration := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: apiID, IntegrationType: types.IntegrationTypeAwsProxy, IntegrationUri: aws.String(lambdaARN), PayloadFormatVersion: aws.String("2.0"),
	}))(t)
	target := aws.String("integrations/" + *integration.IntegrationId)
	_, err := client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /a"), AuthorizationType: types.AuthorizationTypeJwt})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "An authorizerId is required for authorization type JWT")
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /a"), AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: lambda.AuthorizerId})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Authorization type JWT requires a JWT authorizer; authorizer "+*lambda.AuthorizerId+" is of type REQUEST")
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /a"), ApiKeyRequired: aws.Bool(true)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "apiKeyRequired is supported only for WebSocket APIs")
	route := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{
		ApiId: apiID, RouteKey: aws.String("GET /a"), Target: target,
		AuthorizationType: types.AuthorizationTypeJwt, AuthorizerId: jwt.AuthorizerId, AuthorizationScopes: []string{"read"},
	}))(t)
	if route.AuthorizationType != types.AuthorizationTypeJwt || fmt.Sprint(route.AuthorizationScopes) != "[read]" {
		t.Fatalf("route = %+v", route)
	}
	sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{
		ApiId: apiID, RouteKey: aws.String("GET /b"), Target: target, AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: lambda.AuthorizerId,
	}))(t)

	// The authorizer stays while a route uses it; NONE drops it from a route.
	_, err = client.DeleteAuthorizer(sdktest.Ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: apiID, AuthorizerId: jwt.AuthorizerId})
	sdktest.RequireError(t, err, "BadRequestException", "Cannot delete authorizer "+*jwt.AuthorizerId+": it is referenced by route GET /a")
	open := sdktest.Must(client.UpdateRoute(sdktest.Ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: route.RouteId, AuthorizationType: types.AuthorizationTypeNone}))(t)
	if open.AuthorizerId != nil || open.AuthorizationScopes != nil {
		t.Fatalf("route with NONE = %+v", open)
	}
	renamed := sdktest.Must(client.UpdateAuthorizer(sdktest.Ctx, &apigatewayv2.UpdateAuthorizerInput{ApiId: apiID, AuthorizerId: jwt.AuthorizerId, Name: aws.String("jwt2")}))(t)
	if *renamed.Name != "jwt2" || *renamed.JwtConfiguration.Issuer != "https://issuer.example" {
		t.Fatalf("UpdateAuthorizer = %+v", renamed)
	}
	_, err = client.UpdateAuthorizer(sdktest.Ctx, &apigatewayv2.UpdateAuthorizerInput{ApiId: apiID, AuthorizerId: lambda.AuthorizerId, AuthorizerType: types.AuthorizerTypeJwt,
		JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://i")}, AuthorizerUri: aws.String("")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	sdktest.Must(client.DeleteAuthorizer(sdktest.Ctx, &apigatewayv2.DeleteAuthorizerInput{ApiId: apiID, AuthorizerId: jwt.AuthorizerId}))(t)
	_, err = client.GetAuthorizer(sdktest.Ctx, &apigatewayv2.GetAuthorizerInput{ApiId: apiID, AuthorizerId: jwt.AuthorizerId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Authorizer identifier specified "+*jwt.AuthorizerId)
	if items := sdktest.Must(client.GetAuthorizers(sdktest.Ctx, &apigatewayv2.GetAuthorizersInput{ApiId: apiID}))(t).Items; len(items) != 1 {
		t.Fatalf("GetAuthorizers = %d items, want 1", len(items))
	}
}

func TestIntegrationValidationIsAWSs(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeHttp)
	proxy := func(mutate func(*apigatewayv2.CreateIntegrationInput)) *apigatewayv2.CreateIntegrationInput {
		input := &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeHttpProxy,
			IntegrationUri: aws.String("https://backend.example/x"), IntegrationMethod: aws.String("GET")}
		mutate(input)
		return input
	}
	sqs := func(mutate func(*apigatewayv2.CreateIntegrationInput)) *apigatewayv2.CreateIntegrationInput {
		input := &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeAwsProxy,
			IntegrationSubtype: aws.String("SQS-SendMessage"), CredentialsArn: aws.String("arn:aws:iam::123456789012:role/r"),
			RequestParameters: map[string]string{"QueueUrl": "$request.header.q", "MessageBody": "$request.body.m"}}
		mutate(input)
		return input
	}
	cases := map[string]struct {
		input   *apigatewayv2.CreateIntegrationInput
		message string
	}{
		"not a url":      {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.IntegrationUri = aws.String("backend") }), "Invalid integration URI backend: must be an http or https URL"},
		"timeout 30001":  {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.TimeoutInMillis = aws.Int32(30001) }), "Invalid timeout 30001: timeoutInMillis must be between 50 and 30000"},
		"timeout 49":     {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.TimeoutInMillis = aws.Int32(49) }), "Invalid timeout 49: timeoutInMillis must be between 50 and 30000"},
		"vpc link no id": {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.ConnectionType = types.ConnectionTypeVpcLink }), "A connectionId is required for connection type VPC_LINK"},
		"id on internet": {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.ConnectionId = aws.String("abc123") }), "connectionId is supported only for connection type VPC_LINK"},
		"tls on internet": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.TlsConfig = &types.TlsConfigInput{ServerNameToVerify: aws.String("x")}
		}), "tlsConfig is supported only for private integrations (connection type VPC_LINK)"},
		"bad mapping key": {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.RequestParameters = map[string]string{"header.x": "1"} }), ""},
		"append:path": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.RequestParameters = map[string]string{"append:path": "/x"}
		}), ""},
		"response 199": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.ResponseParameters = map[string]map[string]string{"199": {"overwrite:statuscode": "200"}}
		}), "Invalid response parameters key 199: must be an HTTP status code between 200 and 599"},
		"templates on http": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.RequestTemplates = map[string]string{"application/json": "{}"}
		}), "requestTemplates is supported only for WebSocket APIs"},
		"lambda uri": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.IntegrationType, i.IntegrationUri, i.PayloadFormatVersion = types.IntegrationTypeAwsProxy, aws.String("arn:aws:s3:::bucket"), aws.String("2.0")
		}), "Invalid integration URI arn:aws:s3:::bucket: must be a Lambda function ARN or its API Gateway invocation URI"},
		"lambda without version": {proxy(func(i *apigatewayv2.CreateIntegrationInput) {
			i.IntegrationType, i.IntegrationUri = types.IntegrationTypeAwsProxy, aws.String(lambdaARN)
		}), "Payload format version must be specified for AWS_PROXY integrations of HTTP APIs"},
		"http proxy 2.0":       {proxy(func(i *apigatewayv2.CreateIntegrationInput) { i.PayloadFormatVersion = aws.String("2.0") }), "Invalid payload format version 2.0 for HTTP_PROXY integration"},
		"sqs without body":     {sqs(func(i *apigatewayv2.CreateIntegrationInput) { delete(i.RequestParameters, "MessageBody") }), "Request parameter MessageBody is required for integration subtype SQS-SendMessage"},
		"sqs unknown param":    {sqs(func(i *apigatewayv2.CreateIntegrationInput) { i.RequestParameters["Bogus"] = "x" }), ""},
		"sqs with uri":         {sqs(func(i *apigatewayv2.CreateIntegrationInput) { i.IntegrationUri = aws.String(lambdaARN) }), "Integration URI is not supported with integration subtype SQS-SendMessage"},
		"sqs no credentials":   {sqs(func(i *apigatewayv2.CreateIntegrationInput) { i.CredentialsArn = nil }), "credentialsArn is required for integration subtype SQS-SendMessage"},
		"unknown subtype":      {sqs(func(i *apigatewayv2.CreateIntegrationInput) { i.IntegrationSubtype = aws.String("S3-PutObject") }), "Invalid integration subtype S3-PutObject"},
		"subtype on proxy uri": {sqs(func(i *apigatewayv2.CreateIntegrationInput) { i.IntegrationType = types.IntegrationTypeHttpProxy }), "Integration subtype is supported only for AWS_PROXY integrations"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := client.CreateIntegration(sdktest.Ctx, tc.input)
			sdktest.RequireTyped[*types.BadRequestException](t, err, tc.message)
		})
	}

	private := sdktest.Must(client.CreateIntegration(sdktest.Ctx, proxy(func(i *apigatewayv2.CreateIntegrationInput) {
		i.ConnectionType, i.ConnectionId = types.ConnectionTypeVpcLink, aws.String("vpclnk")
		i.IntegrationUri = aws.String("arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/my-alb/50dc6c495c0c9188/0467ef3c8400ae65")
		i.TlsConfig = &types.TlsConfigInput{ServerNameToVerify: aws.String("backend.internal")}
		i.RequestParameters = map[string]string{"overwrite:header.x-user": "$context.authorizer.user", "remove:querystring.debug": "''", "overwrite:path": "/v2$request.path"}
		i.ResponseParameters = map[string]map[string]string{"404": {"overwrite:statuscode": "410", "append:header.x-gone": "yes"}}
	})))(t)
	if *private.TlsConfig.ServerNameToVerify != "backend.internal" || private.ConnectionType != types.ConnectionTypeVpcLink || len(private.RequestParameters) != 3 {
		t.Fatalf("private integration = %+v", private)
	}
	queue := sdktest.Must(client.CreateIntegration(sdktest.Ctx, sqs(func(*apigatewayv2.CreateIntegrationInput) {})))(t)
	if *queue.PayloadFormatVersion != "1.0" || *queue.IntegrationSubtype != "SQS-SendMessage" {
		t.Fatalf("SQS integration = %+v", queue)
	}
	invocation := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID,
		IntegrationType: types.IntegrationTypeAwsProxy, IntegrationUri: aws.String(lambdaInvokeURI), PayloadFormatVersion: aws.String("1.0")}))(t)
	if *invocation.TimeoutInMillis != 30000 {
		t.Fatalf("Lambda integration = %+v", invocation)
	}
}

func TestWebSocketRoutesResponsesModelsAndIntegrations(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeWebsocket)

	mock := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeMock,
		RequestTemplates: map[string]string{"200": `{"statusCode": 200}`}, TemplateSelectionExpression: aws.String("200")}))(t)
	if mock.PassthroughBehavior != types.PassthroughBehaviorWhenNoMatch || *mock.TimeoutInMillis != 29000 || *mock.PayloadFormatVersion != "1.0" {
		t.Fatalf("MOCK integration defaults = %+v", mock)
	}
	_, err := client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeHttp,
		IntegrationUri: aws.String("https://x.example"), IntegrationMethod: aws.String("POST"), TimeoutInMillis: aws.Int32(29001)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid timeout 29001: timeoutInMillis must be between 50 and 29000")
	_, err = client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeAws,
		IntegrationUri: aws.String("arn:aws:apigateway:us-east-1:sqs:path/123456789012/q"), IntegrationMethod: aws.String("POST"),
		RequestParameters:  map[string]string{"integration.request.header.Content-Type": "'application/x-www-form-urlencoded'"},
		ResponseParameters: map[string]map[string]string{"200": {"overwrite:statuscode": "200"}}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "responseParameters is supported only for HTTP APIs")

	// Integration responses.
	ir := sdktest.Must(client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId,
		IntegrationResponseKey: aws.String("$default"), ResponseTemplates: map[string]string{"application/json": "{}"}}))(t)
	_, err = client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId, IntegrationResponseKey: aws.String("$default")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Integration response with key $default already exists for this integration")
	_, err = client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId, IntegrationResponseKey: aws.String("4xx")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	sdktest.Must(client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId, IntegrationResponseKey: aws.String(`/4\d{2}/`)}))(t)
	updatedIR := sdktest.Must(client.UpdateIntegrationResponse(sdktest.Ctx, &apigatewayv2.UpdateIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId,
		IntegrationResponseId: ir.IntegrationResponseId, TemplateSelectionExpression: aws.String("$default")}))(t)
	if *updatedIR.TemplateSelectionExpression != "$default" || updatedIR.ResponseTemplates["application/json"] != "{}" {
		t.Fatalf("UpdateIntegrationResponse = %+v", updatedIR)
	}
	irPage := sdktest.Must(client.GetIntegrationResponses(sdktest.Ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: apiID, IntegrationId: mock.IntegrationId, MaxResults: aws.String("1")}))(t)
	if len(irPage.Items) != 1 || irPage.NextToken == nil {
		t.Fatalf("first page of integration responses = %+v", irPage)
	}
	_, err = client.GetIntegrationResponses(sdktest.Ctx, &apigatewayv2.GetIntegrationResponsesInput{ApiId: apiID, IntegrationId: aws.String("nope123")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Integration identifier specified nope123")

	// Models, route keys, route authorization and route responses.
	model := sdktest.Must(client.CreateModel(sdktest.Ctx, &apigatewayv2.CreateModelInput{ApiId: apiID, Name: aws.String("Message"), ContentType: aws.String("application/json"),
		Schema: aws.String(`{"$schema":"http://json-schema.org/draft-04/schema#","type":"object","properties":{"text":{"type":"string"},"action":{"type":"string"}}}`)}))(t)
	_, err = client.CreateModel(sdktest.Ctx, &apigatewayv2.CreateModelInput{ApiId: apiID, Name: aws.String("Message"), Schema: aws.String("{}")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Model name already exists for this API: Message")
	_, err = client.CreateModel(sdktest.Ctx, &apigatewayv2.CreateModelInput{ApiId: apiID, Name: aws.String("bad-name"), Schema: aws.String("{}")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, `Invalid model name "bad-name": model names must be alphanumeric, up to 128 characters`)
	_, err = client.CreateModel(sdktest.Ctx, &apigatewayv2.CreateModelInput{ApiId: apiID, Name: aws.String("Broken"), Schema: aws.String("[")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid model schema specified: the schema must be a JSON object")
	template := sdktest.Must(client.GetModelTemplate(sdktest.Ctx, &apigatewayv2.GetModelTemplateInput{ApiId: apiID, ModelId: model.ModelId}))(t)
	if want := "#set($inputRoot = $input.path('$'))\n{\n  \"action\" : \"$inputRoot.action\",\n  \"text\" : \"$inputRoot.text\"\n}"; *template.Value != want {
		t.Fatalf("template = %q, want %q", *template.Value, want)
	}

	authorizer := sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("ws"),
		AuthorizerType: types.AuthorizerTypeRequest, AuthorizerUri: aws.String(lambdaInvokeURI), IdentitySource: []string{"route.request.querystring.token"}}))(t)
	_, err = client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("jwt"), AuthorizerType: types.AuthorizerTypeJwt,
		IdentitySource: []string{}, JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://i")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid authorizer type JWT for WEBSOCKET API: must be one of [REQUEST]")

	target := aws.String("integrations/" + *mock.IntegrationId)
	connect := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("$connect"), Target: target,
		AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: authorizer.AuthorizerId, ApiKeyRequired: aws.Bool(true),
		RequestParameters: map[string]types.ParameterConstraints{"route.request.header.X-Client": {Required: aws.Bool(true)}, "route.request.querystring.v": {Required: aws.Bool(false)}}}))(t)
	if !*connect.ApiKeyRequired || connect.AuthorizationType != types.AuthorizationTypeCustom || len(connect.RequestParameters) != 2 {
		t.Fatalf("$connect route = %+v", connect)
	}
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("send"), AuthorizationType: types.AuthorizationTypeAwsIam})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Currently, authorization is restricted to the $connect route only")
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("$ping")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, `Invalid route key "$ping": route keys starting with $ are reserved; use $connect, $disconnect or $default`)
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("send"), RequestModels: map[string]string{"application/json": "Missing"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid model Missing for content type application/json: no model of that name exists")
	send := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("send"), Target: target,
		RequestModels: map[string]string{"application/json": "Message"}, ModelSelectionExpression: aws.String("application/json"),
		RouteResponseSelectionExpression: aws.String("$default")}))(t)

	_, err = client.DeleteModel(sdktest.Ctx, &apigatewayv2.DeleteModelInput{ApiId: apiID, ModelId: model.ModelId})
	sdktest.RequireError(t, err, "BadRequestException", "Cannot delete model Message: it is referenced by route send")

	sdktest.Must(client.DeleteRouteRequestParameter(sdktest.Ctx, &apigatewayv2.DeleteRouteRequestParameterInput{ApiId: apiID, RouteId: connect.RouteId, RequestParameterKey: aws.String("route.request.querystring.v")}))(t)
	got := sdktest.Must(client.GetRoute(sdktest.Ctx, &apigatewayv2.GetRouteInput{ApiId: apiID, RouteId: connect.RouteId}))(t)
	if len(got.RequestParameters) != 1 {
		t.Fatalf("request parameters after delete = %v", got.RequestParameters)
	}
	_, err = client.DeleteRouteRequestParameter(sdktest.Ctx, &apigatewayv2.DeleteRouteRequestParameterInput{ApiId: apiID, RouteId: connect.RouteId, RequestParameterKey: aws.String("route.request.querystring.v")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid request parameter key specified route.request.querystring.v")

	rr := sdktest.Must(client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: apiID, RouteId: send.RouteId, RouteResponseKey: aws.String("$default"),
		ResponseModels: map[string]string{"application/json": "Message"}}))(t)
	_, err = client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: apiID, RouteId: send.RouteId, RouteResponseKey: aws.String("$default")})
	sdktest.RequireTyped[*types.ConflictException](t, err, "Route response with key $default already exists for this route")
	_, err = client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: apiID, RouteId: connect.RouteId, RouteResponseKey: aws.String("ok")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid route response key ok: only $default is supported")
	updatedRR := sdktest.Must(client.UpdateRouteResponse(sdktest.Ctx, &apigatewayv2.UpdateRouteResponseInput{ApiId: apiID, RouteId: send.RouteId, RouteResponseId: rr.RouteResponseId,
		ModelSelectionExpression: aws.String("application/json")}))(t)
	if *updatedRR.ModelSelectionExpression != "application/json" || updatedRR.ResponseModels["application/json"] != "Message" {
		t.Fatalf("UpdateRouteResponse = %+v", updatedRR)
	}
	if n := len(sdktest.Must(client.GetRouteResponses(sdktest.Ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: apiID, RouteId: send.RouteId}))(t).Items); n != 1 {
		t.Fatalf("GetRouteResponses = %d, want 1", n)
	}
	if n := len(sdktest.Must(client.GetRouteResponses(sdktest.Ctx, &apigatewayv2.GetRouteResponsesInput{ApiId: apiID, RouteId: connect.RouteId}))(t).Items); n != 0 {
		t.Fatalf("GetRouteResponses of $connect = %d, want 0", n)
	}
	sdktest.Must(client.DeleteRouteResponse(sdktest.Ctx, &apigatewayv2.DeleteRouteResponseInput{ApiId: apiID, RouteId: send.RouteId, RouteResponseId: rr.RouteResponseId}))(t)
	_, err = client.GetRouteResponse(sdktest.Ctx, &apigatewayv2.GetRouteResponseInput{ApiId: apiID, RouteId: send.RouteId, RouteResponseId: rr.RouteResponseId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid RouteResponse identifier specified "+*rr.RouteResponseId)

	sdktest.Must(client.UpdateRoute(sdktest.Ctx, &apigatewayv2.UpdateRouteInput{ApiId: apiID, RouteId: send.RouteId, RequestModels: map[string]string{}}))(t)
	sdktest.Must(client.DeleteRoute(sdktest.Ctx, &apigatewayv2.DeleteRouteInput{ApiId: apiID, RouteId: send.RouteId}))(t)
	sdktest.Must(client.DeleteModel(sdktest.Ctx, &apigatewayv2.DeleteModelInput{ApiId: apiID, ModelId: model.ModelId}))(t)
	_, err = client.GetModel(sdktest.Ctx, &apigatewayv2.GetModelInput{ApiId: apiID, ModelId: model.ModelId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Model identifier specified "+*model.ModelId)
	sdktest.Must(client.DeleteIntegrationResponse(sdktest.Ctx, &apigatewayv2.DeleteIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId}))(t)
	_, err = client.GetIntegrationResponse(sdktest.Ctx, &apigatewayv2.GetIntegrationResponseInput{ApiId: apiID, IntegrationId: mock.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid IntegrationResponse identifier specified "+*ir.IntegrationResponseId)

	// Route and integration responses are WebSocket only.
	httpAPI := newAPI(t, client, types.ProtocolTypeHttp)
	route := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: httpAPI, RouteKey: aws.String("GET /")}))(t)
	_, err = client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: httpAPI, RouteId: route.RouteId, RouteResponseKey: aws.String("$default")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Route responses is supported only for WebSocket APIs")
}

func TestStagesSettingsAndAutomaticDeployments(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeHttp)
	integration := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeHttpProxy,
		IntegrationUri: aws.String("https://backend.example"), IntegrationMethod: aws.String("ANY")}))(t)
	sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /pets"), Target: aws.String("integrations/" + *integration.IntegrationId)}))(t)

	auto := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
		DefaultRouteSettings: &types.RouteSettings{ThrottlingBurstLimit: aws.Int32(100), ThrottlingRateLimit: aws.Float64(50), DetailedMetricsEnabled: aws.Bool(true)},
		RouteSettings:        map[string]types.RouteSettings{"GET /pets": {ThrottlingBurstLimit: aws.Int32(5)}},
		AccessLogSettings:    &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:access"), Format: aws.String(`{"id":"$context.requestId"}`)},
		StageVariables:       map[string]string{"backend": "https://b.example/v1"},
	}))(t)
	deployment := sdktest.Must(client.GetDeployment(sdktest.Ctx, &apigatewayv2.GetDeploymentInput{ApiId: apiID, DeploymentId: auto.DeploymentId}))(t)
	if !*deployment.AutoDeployed || *deployment.Description != "Automatic deployment triggered by changes to the Api configuration" {
		t.Fatalf("automatic deployment = %+v", deployment)
	}
	if *auto.LastDeploymentStatusMessage != "Successfully deployed stage with deployment ID '"+*auto.DeploymentId+"'" || *auto.RouteSettings["GET /pets"].ThrottlingBurstLimit != 5 {
		t.Fatalf("auto stage = %+v", auto)
	}
	_, err := client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{ApiId: apiID, StageName: aws.String("$default"), DeploymentId: aws.String("other1")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Deployment id cannot be specified for a stage with autoDeploy enabled")

	refusals := map[string]struct {
		input   *apigatewayv2.CreateStageInput
		message string
	}{
		"unknown route": {&apigatewayv2.CreateStageInput{RouteSettings: map[string]types.RouteSettings{"GET /cats": {}}}, "Unable to find route by key GET /cats within the provided route settings"},
		"logging on http": {&apigatewayv2.CreateStageInput{DefaultRouteSettings: &types.RouteSettings{LoggingLevel: types.LoggingLevelInfo}},
			"loggingLevel is supported only for WebSocket APIs"},
		"negative burst":      {&apigatewayv2.CreateStageInput{DefaultRouteSettings: &types.RouteSettings{ThrottlingBurstLimit: aws.Int32(-1)}}, "Invalid throttling settings for defaultRouteSettings: throttlingBurstLimit and throttlingRateLimit must not be negative"},
		"variable name":       {&apigatewayv2.CreateStageInput{StageVariables: map[string]string{"a-b": "1"}}, "Invalid stage variable name a-b: names can only contain alphanumeric and underscore characters"},
		"variable value":      {&apigatewayv2.CreateStageInput{StageVariables: map[string]string{"a": "x y"}}, "Invalid stage variable value for a: values must match [A-Za-z0-9-._~:/?#&=,]+ and be at most 2048 characters"},
		"log without id":      {&apigatewayv2.CreateStageInput{AccessLogSettings: &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:logs:us-east-1:123456789012:log-group:g"), Format: aws.String("$context.path")}}, "Access log settings need both a destinationArn and a format of at most 3 KB that contains $context.requestId"},
		"log to s3":           {&apigatewayv2.CreateStageInput{AccessLogSettings: &types.AccessLogSettings{DestinationArn: aws.String("arn:aws:s3:::b"), Format: aws.String("$context.requestId")}}, "Invalid access log destination ARN arn:aws:s3:::b: must be the ARN of a CloudWatch Logs log group"},
		"deployment and auto": {&apigatewayv2.CreateStageInput{AutoDeploy: aws.Bool(true), DeploymentId: auto.DeploymentId}, "Deployment id cannot be specified for a stage with autoDeploy enabled"},
		"unknown deployment":  {&apigatewayv2.CreateStageInput{DeploymentId: aws.String("zzzzzz")}, "Invalid deployment identifier specified zzzzzz"},
	}
	for name, tc := range refusals {
		t.Run(name, func(t *testing.T) {
			tc.input.ApiId, tc.input.StageName = apiID, aws.String("s"+strings.ReplaceAll(name, " ", ""))
			_, err := client.CreateStage(sdktest.Ctx, tc.input)
			sdktest.RequireTyped[*types.BadRequestException](t, err, tc.message)
		})
	}

	// Each change to the API's configuration redeploys the stage.
	sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("j"), AuthorizerType: types.AuthorizerTypeJwt,
		IdentitySource: []string{}, JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://i")}}))(t)
	after := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("$default")}))(t)
	if *after.DeploymentId == *auto.DeploymentId {
		t.Fatalf("creating an authorizer did not redeploy the autoDeploy stage")
	}

	sdktest.Must(client.DeleteRouteSettings(sdktest.Ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: apiID, StageName: aws.String("$default"), RouteKey: aws.String("GET /pets")}))(t)
	_, err = client.DeleteRouteSettings(sdktest.Ctx, &apigatewayv2.DeleteRouteSettingsInput{ApiId: apiID, StageName: aws.String("$default"), RouteKey: aws.String("GET /pets")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "No route settings for route key GET /pets in this stage")
	sdktest.Must(client.DeleteAccessLogSettings(sdktest.Ctx, &apigatewayv2.DeleteAccessLogSettingsInput{ApiId: apiID, StageName: aws.String("$default")}))(t)
	sdktest.Must(client.ResetAuthorizersCache(sdktest.Ctx, &apigatewayv2.ResetAuthorizersCacheInput{ApiId: apiID, StageName: aws.String("$default")}))(t)
	_, err = client.ResetAuthorizersCache(sdktest.Ctx, &apigatewayv2.ResetAuthorizersCacheInput{ApiId: apiID, StageName: aws.String("nope")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid stage identifier specified nope")
	cleared := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: apiID, StageName: aws.String("$default")}))(t)
	if cleared.AccessLogSettings != nil || len(cleared.RouteSettings) != 0 || *cleared.DefaultRouteSettings.ThrottlingBurstLimit != 100 {
		t.Fatalf("stage after deletes = %+v", cleared)
	}

	manual := sdktest.Must(client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: apiID, Description: aws.String("v1")}))(t)
	updated := sdktest.Must(client.UpdateDeployment(sdktest.Ctx, &apigatewayv2.UpdateDeploymentInput{ApiId: apiID, DeploymentId: manual.DeploymentId, Description: aws.String("v1.1")}))(t)
	if *updated.Description != "v1.1" || *updated.DeploymentId != *manual.DeploymentId || updated.DeploymentStatus != types.DeploymentStatusDeployed {
		t.Fatalf("UpdateDeployment = %+v", updated)
	}
	_, err = client.UpdateDeployment(sdktest.Ctx, &apigatewayv2.UpdateDeploymentInput{ApiId: apiID, DeploymentId: aws.String("gone00")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid Deployment identifier specified gone00")
	sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("v1"), DeploymentId: manual.DeploymentId}))(t)
	_, err = client.DeleteDeployment(sdktest.Ctx, &apigatewayv2.DeleteDeploymentInput{ApiId: apiID, DeploymentId: manual.DeploymentId})
	sdktest.RequireError(t, err, "BadRequestException", "Active stages pointing to this deployment must be moved or deleted")

	// Settings of a route deleted since do not block other updates.
	tmp := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /tmp")}))(t)
	sdktest.Must(client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{ApiId: apiID, StageName: aws.String("v1"),
		RouteSettings: map[string]types.RouteSettings{"GET /tmp": {ThrottlingRateLimit: aws.Float64(1)}}}))(t)
	sdktest.Must(client.DeleteRoute(sdktest.Ctx, &apigatewayv2.DeleteRouteInput{ApiId: apiID, RouteId: tmp.RouteId}))(t)
	sdktest.Must(client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{ApiId: apiID, StageName: aws.String("v1"), Description: aws.String("d")}))(t)

	ws := newAPI(t, client, types.ProtocolTypeWebsocket)
	_, err = client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: ws, StageName: aws.String("$default")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "The $default stage is supported only for HTTP APIs")
	wsStage := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: ws, StageName: aws.String("prod"),
		DefaultRouteSettings: &types.RouteSettings{LoggingLevel: types.LoggingLevelError}}))(t)
	if wsStage.DefaultRouteSettings.LoggingLevel != types.LoggingLevelError || *wsStage.DefaultRouteSettings.DataTraceEnabled {
		t.Fatalf("websocket stage = %+v", wsStage.DefaultRouteSettings)
	}
	_, err = client.UpdateStage(sdktest.Ctx, &apigatewayv2.UpdateStageInput{ApiId: ws, StageName: aws.String("prod"), DefaultRouteSettings: &types.RouteSettings{LoggingLevel: "DEBUG"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid logging level DEBUG: must be one of [ERROR, INFO, OFF]")
}

func TestPerAPILimitsAndPagination(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeHttp)
	for i := 0; i < 10; i++ {
		sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String(fmt.Sprint("a", i)),
			AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{}, JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://i")}}))(t)
	}
	_, err := client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("eleventh"),
		AuthorizerType: types.AuthorizerTypeJwt, IdentitySource: []string{}, JwtConfiguration: &types.JWTConfiguration{Issuer: aws.String("https://i")}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Authorizers per API limit of 10 exceeded")
	for i := 0; i < 10; i++ {
		sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String(fmt.Sprint("s", i))}))(t)
	}
	_, err = client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: apiID, StageName: aws.String("s10")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Stages per API limit of 10 exceeded")
	for i := 0; i < 300; i++ {
		sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String(fmt.Sprintf("GET /r%d", i))}))(t)
	}
	_, err = client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("GET /r300")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Routes per API limit of 300 exceeded")

	seen, pages := map[string]bool{}, 0
	for token := (*string)(nil); ; pages++ {
		page := sdktest.Must(client.GetAuthorizers(sdktest.Ctx, &apigatewayv2.GetAuthorizersInput{ApiId: apiID, MaxResults: aws.String("4"), NextToken: token}))(t)
		for _, item := range page.Items {
			seen[*item.AuthorizerId] = true
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if len(seen) != 10 || pages != 2 {
		t.Fatalf("authorizer pages = %d (0-based), authorizers = %d", pages, len(seen))
	}
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: apiID, MaxResults: aws.String("250")}))(t)
	if len(routes.Items) != 250 || routes.NextToken == nil {
		t.Fatalf("GetRoutes page = %d items, next %v", len(routes.Items), routes.NextToken)
	}
	_, err = client.GetModels(sdktest.Ctx, &apigatewayv2.GetModelsInput{ApiId: apiID, NextToken: aws.String("!!")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid pagination token")
}

func TestControlPlaneSurvivesARestart(t *testing.T) {
	stateFile := filepath.Join(t.TempDir(), "state.json")
	first, baseURL, err := emulator.Start(emulator.Options{StateFile: stateFile}, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	client := (&sdktest.Emulator{Server: first, BaseURL: baseURL}).V2(sdktest.ClientOptions{})
	apiID := newAPI(t, client, types.ProtocolTypeWebsocket)
	authorizer := sdktest.Must(client.CreateAuthorizer(sdktest.Ctx, &apigatewayv2.CreateAuthorizerInput{ApiId: apiID, Name: aws.String("a"),
		AuthorizerType: types.AuthorizerTypeRequest, AuthorizerUri: aws.String(lambdaInvokeURI), IdentitySource: []string{"route.request.header.Auth"}}))(t)
	model := sdktest.Must(client.CreateModel(sdktest.Ctx, &apigatewayv2.CreateModelInput{ApiId: apiID, Name: aws.String("M"), Schema: aws.String(`{"type":"object"}`)}))(t)
	integration := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{ApiId: apiID, IntegrationType: types.IntegrationTypeMock}))(t)
	ir := sdktest.Must(client.CreateIntegrationResponse(sdktest.Ctx, &apigatewayv2.CreateIntegrationResponseInput{ApiId: apiID, IntegrationId: integration.IntegrationId, IntegrationResponseKey: aws.String("$default")}))(t)
	route := sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{ApiId: apiID, RouteKey: aws.String("$connect"), AuthorizationType: types.AuthorizationTypeCustom, AuthorizerId: authorizer.AuthorizerId}))(t)
	rr := sdktest.Must(client.CreateRouteResponse(sdktest.Ctx, &apigatewayv2.CreateRouteResponseInput{ApiId: apiID, RouteId: route.RouteId, RouteResponseKey: aws.String("$default")}))(t)
	deployment := sdktest.Must(client.CreateDeployment(sdktest.Ctx, &apigatewayv2.CreateDeploymentInput{ApiId: apiID}))(t)
	first.Close()

	second := sdktest.Start(t, emulator.Options{StateFile: stateFile})
	again := second.V2(sdktest.ClientOptions{})
	sdktest.Must(again.GetAuthorizer(sdktest.Ctx, &apigatewayv2.GetAuthorizerInput{ApiId: apiID, AuthorizerId: authorizer.AuthorizerId}))(t)
	sdktest.Must(again.GetModel(sdktest.Ctx, &apigatewayv2.GetModelInput{ApiId: apiID, ModelId: model.ModelId}))(t)
	sdktest.Must(again.GetIntegrationResponse(sdktest.Ctx, &apigatewayv2.GetIntegrationResponseInput{ApiId: apiID, IntegrationId: integration.IntegrationId, IntegrationResponseId: ir.IntegrationResponseId}))(t)
	sdktest.Must(again.GetRouteResponse(sdktest.Ctx, &apigatewayv2.GetRouteResponseInput{ApiId: apiID, RouteId: route.RouteId, RouteResponseId: rr.RouteResponseId}))(t)
	sdktest.Must(again.GetDeployment(sdktest.Ctx, &apigatewayv2.GetDeploymentInput{ApiId: apiID, DeploymentId: deployment.DeploymentId}))(t)

	// Another account sees none of it.
	_, err = second.V2(sdktest.ClientOptions{Region: "eu-west-1"}).GetAuthorizers(sdktest.Ctx, &apigatewayv2.GetAuthorizersInput{ApiId: apiID})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
}
