package apigatewayv2_test

import (
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
	"github.com/runner-codes/infra-operator/internal/emulator/openapi"
)

const lambdaURI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:pets/invocations"

// petsDefinition is an HTTP API with a Lambda (AWS_PROXY, payload 2.0) and
// an HTTP (HTTP_PROXY) integration, a JWT authorizer with scopes on one
// route, an ANY route, the $default route and CORS.
const petsDefinition = `openapi: "3.0.1"
info:
  title: pets
  description: the pet store
  version: "2024-05-01"
x-amazon-apigateway-importexport-version: "1.0"
x-amazon-apigateway-cors:
  allowOrigins: ["https://pets.example"]
  allowMethods: ["GET", "POST"]
  maxAge: 300
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        default:
          description: pets
      security:
        - auth0: ["pets:read"]
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ` + lambdaURI + `
        payloadFormatVersion: "2.0"
        connectionType: INTERNET
        timeoutInMillis: 10000
    post:
      responses:
        default:
          description: created
      security:
        - auth0: []
      x-amazon-apigateway-integration:
        type: aws_proxy
        httpMethod: POST
        uri: ` + lambdaURI + `
        payloadFormatVersion: "2.0"
        connectionType: INTERNET
        timeoutInMillis: 10000
  /pets/{petId}:
    parameters:
      - name: petId
        in: path
        required: true
        schema:
          type: string
    x-amazon-apigateway-any-method:
      responses:
        default:
          description: any
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: ANY
        uri: https://backend.example/pets/{petId}
        payloadFormatVersion: "1.0"
        connectionType: INTERNET
        timeoutInMillis: 30000
  /$default:
    x-amazon-apigateway-any-method:
      responses:
        default:
          description: fallback
      x-amazon-apigateway-integration:
        type: http_proxy
        httpMethod: GET
        uri: https://backend.example/
        payloadFormatVersion: "1.0"
        connectionType: INTERNET
        timeoutInMillis: 30000
components:
  securitySchemes:
    auth0:
      type: oauth2
      flows: {}
      x-amazon-apigateway-authorizer:
        type: jwt
        identitySource: $request.header.Authorization
        jwtConfiguration:
          issuer: https://issuer.example/
          audience: ["pets-api"]
`

func TestImportApiThenExportApiRoundTrips(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})

	imported := sdktest.Must(client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(petsDefinition)}))(t)
	if aws.ToString(imported.Name) != "pets" || aws.ToString(imported.Description) != "the pet store" || aws.ToString(imported.Version) != "2024-05-01" {
		t.Fatalf("imported api = %q %q %q", aws.ToString(imported.Name), aws.ToString(imported.Description), aws.ToString(imported.Version))
	}
	if imported.ProtocolType != types.ProtocolTypeHttp || len(imported.Warnings) != 0 {
		t.Fatalf("protocol %s, warnings %v", imported.ProtocolType, imported.Warnings)
	}
	if cors := imported.CorsConfiguration; cors == nil || !slices.Equal(cors.AllowOrigins, []string{"https://pets.example"}) || aws.ToInt32(cors.MaxAge) != 300 {
		t.Fatalf("cors = %+v", imported.CorsConfiguration)
	}
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: imported.ApiId}))(t)
	keys := map[string]types.Route{}
	for _, route := range routes.Items {
		keys[aws.ToString(route.RouteKey)] = route
	}
	if got := slices.Sorted(maps.Keys(keys)); !slices.Equal(got, []string{"$default", "ANY /pets/{petId}", "GET /pets", "POST /pets"}) {
		t.Fatalf("route keys = %v", got)
	}
	list := keys["GET /pets"]
	if list.AuthorizationType != types.AuthorizationTypeJwt || !slices.Equal(list.AuthorizationScopes, []string{"pets:read"}) || aws.ToString(list.OperationName) != "listPets" {
		t.Fatalf("GET /pets = %+v", list)
	}
	if aws.ToString(list.Target) != aws.ToString(keys["POST /pets"].Target) {
		t.Errorf("the two identical Lambda integrations were not merged: %s, %s", aws.ToString(list.Target), aws.ToString(keys["POST /pets"].Target))
	}
	integrations := sdktest.Must(client.GetIntegrations(sdktest.Ctx, &apigatewayv2.GetIntegrationsInput{ApiId: imported.ApiId}))(t)
	if len(integrations.Items) != 3 {
		t.Fatalf("integrations = %d, want 3", len(integrations.Items))
	}
	authorizers := sdktest.Must(client.GetAuthorizers(sdktest.Ctx, &apigatewayv2.GetAuthorizersInput{ApiId: imported.ApiId}))(t)
	if len(authorizers.Items) != 1 || authorizers.Items[0].AuthorizerType != types.AuthorizerTypeJwt ||
		aws.ToString(authorizers.Items[0].JwtConfiguration.Issuer) != "https://issuer.example/" || aws.ToString(list.AuthorizerId) != aws.ToString(authorizers.Items[0].AuthorizerId) {
		t.Fatalf("authorizers = %+v", authorizers.Items)
	}

	for _, outputType := range []string{"JSON", "YAML"} {
		exported := sdktest.Must(client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{
			ApiId: imported.ApiId, OutputType: aws.String(outputType), Specification: aws.String("OAS30"),
		}))(t)
		if outputType == "JSON" && !json.Valid(exported.Body) {
			t.Fatalf("JSON export is not JSON: %s", exported.Body)
		}
		requireEquivalent(t, petsDefinition, string(exported.Body))
	}
}

func TestReimportApiReplacesRoutesAndRedeploys(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	imported := sdktest.Must(client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(petsDefinition)}))(t)
	stage := sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{
		ApiId: imported.ApiId, StageName: aws.String("prod"), AutoDeploy: aws.Bool(true),
	}))(t)
	_ = stage
	before := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: imported.ApiId, StageName: aws.String("prod")}))(t)

	changed := strings.Replace(petsDefinition, "  /pets:\n    get:", "  /animals:\n    get:", 1)
	changed = strings.Replace(changed, "    post:", "  /pets:\n    post:", 1)
	reimported := sdktest.Must(client.ReimportApi(sdktest.Ctx, &apigatewayv2.ReimportApiInput{ApiId: imported.ApiId, Body: aws.String(changed)}))(t)
	if aws.ToString(reimported.ApiId) != aws.ToString(imported.ApiId) {
		t.Fatalf("reimport answered api %s", aws.ToString(reimported.ApiId))
	}
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: imported.ApiId}))(t)
	var keys []string
	for _, route := range routes.Items {
		keys = append(keys, aws.ToString(route.RouteKey))
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"$default", "ANY /pets/{petId}", "GET /animals", "POST /pets"}) {
		t.Fatalf("route keys after reimport = %v", keys)
	}
	after := sdktest.Must(client.GetStage(sdktest.Ctx, &apigatewayv2.GetStageInput{ApiId: imported.ApiId, StageName: aws.String("prod")}))(t)
	if aws.ToString(after.DeploymentId) == "" || aws.ToString(after.DeploymentId) == aws.ToString(before.DeploymentId) {
		t.Fatalf("autoDeploy stage not redeployed: %s then %s", aws.ToString(before.DeploymentId), aws.ToString(after.DeploymentId))
	}
	// The stage's export is the deployed (reimported) definition.
	exported := sdktest.Must(client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{
		ApiId: imported.ApiId, OutputType: aws.String("JSON"), Specification: aws.String("OAS30"), StageName: aws.String("prod"),
	}))(t)
	requireEquivalent(t, changed, string(exported.Body))
}

func TestImportApiWarningsAndErrors(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	withREST := strings.Replace(petsDefinition, "paths:\n", "x-amazon-apigateway-binary-media-types: [\"image/png\"]\npaths:\n", 1)

	imported := sdktest.Must(client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(withREST)}))(t)
	want := "Unsupported extension x-amazon-apigateway-binary-media-types at the root of the definition was ignored"
	if !slices.Equal(imported.Warnings, []string{want}) {
		t.Fatalf("warnings = %q", imported.Warnings)
	}
	_, err := client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(withREST), FailOnWarnings: aws.Bool(true)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Warnings found during import:\n\t"+want)

	_, err = client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String("{not a definition")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")
	_, err = client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(petsDefinition), Basepath: aws.String("sideways")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid basepath sideways: must be one of [ignore, prepend, split]")
	badLambda := strings.ReplaceAll(petsDefinition, lambdaURI, "not-a-lambda")
	_, err = client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(badLambda)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "")

	apis := sdktest.Must(client.GetApis(sdktest.Ctx, &apigatewayv2.GetApisInput{}))(t)
	if len(apis.Items) != 1 {
		t.Fatalf("refused imports left APIs behind: %d", len(apis.Items))
	}

	withServer := strings.Replace(petsDefinition, "paths:\n", "servers:\n  - url: https://example.com/{basePath}\n    variables:\n      basePath:\n        default: v1/beta\npaths:\n", 1)
	for basepath, want := range map[string]string{"prepend": "GET /v1/beta/pets", "split": "GET /beta/pets", "ignore": "GET /pets"} {
		api := sdktest.Must(client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(withServer), Basepath: aws.String(basepath)}))(t)
		routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: api.ApiId}))(t)
		found := false
		for _, route := range routes.Items {
			found = found || aws.ToString(route.RouteKey) == want
		}
		if !found {
			t.Errorf("basepath %s: no route %s", basepath, want)
		}
	}

	_, err = client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{ApiId: imported.ApiId, OutputType: aws.String("XML"), Specification: aws.String("OAS30")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid outputType XML: must be one of [JSON, YAML]")
	_, err = client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{ApiId: imported.ApiId, OutputType: aws.String("JSON"), Specification: aws.String("OAS20")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid specification OAS20: must be OAS30")
	_, err = client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{ApiId: aws.String("nope"), OutputType: aws.String("JSON"), Specification: aws.String("OAS30")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")

	bare := sdktest.Must(client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{
		ApiId: imported.ApiId, OutputType: aws.String("JSON"), Specification: aws.String("OAS30"), IncludeExtensions: aws.Bool(false),
	}))(t)
	if strings.Contains(string(bare.Body), "x-amazon-apigateway") {
		t.Fatalf("includeExtensions=false still exports extensions: %s", bare.Body)
	}
}

// requireEquivalent compares two definitions parsed by kin-openapi: the
// same paths and methods, integrations, security, authorizers and CORS.
func requireEquivalent(t *testing.T, want, got string) {
	t.Helper()
	wantDoc, err := openapi.Load([]byte(want))
	if err != nil {
		t.Fatalf("want: %v", err)
	}
	gotDoc, err := openapi.Load([]byte(got))
	if err != nil {
		t.Fatalf("exported definition does not load: %v\n%s", err, got)
	}
	// The servers are left out: AWS exports basePath's default as "", which
	// kin-openapi counts as missing.
	servers := gotDoc.Servers
	gotDoc.Servers = nil
	if err := gotDoc.Validate(sdktest.Ctx); err != nil {
		t.Fatalf("exported definition does not validate: %v\n%s", err, got)
	}
	gotDoc.Servers = servers
	if len(servers) != 1 || !strings.HasSuffix(servers[0].URL, "/{basePath}") {
		t.Errorf("servers = %+v", servers)
	}
	if gotDoc.OpenAPI != "3.0.1" || gotDoc.Info.Title != wantDoc.Info.Title || gotDoc.Info.Version != wantDoc.Info.Version {
		t.Errorf("openapi %s, info %+v", gotDoc.OpenAPI, gotDoc.Info)
	}
	if w, g := summary(t, wantDoc), summary(t, gotDoc); !reflect.DeepEqual(w, g) {
		wj, _ := json.MarshalIndent(w, "", " ")
		gj, _ := json.MarshalIndent(g, "", " ")
		t.Fatalf("definitions differ\nwant %s\ngot  %s\nexported:\n%s", wj, gj, got)
	}
}

// summary is what a definition says of the API, as plain JSON values.
func summary(t *testing.T, doc *openapi3.T) map[string]any {
	t.Helper()
	out := map[string]any{}
	for path, item := range doc.Paths.Map() {
		operations := item.Operations()
		if item.Extensions["x-amazon-apigateway-any-method"] != nil {
			var op openapi3.Operation
			if _, err := openapi.Extension(item.Extensions, "x-amazon-apigateway-any-method", &op); err != nil {
				t.Fatal(err)
			}
			operations["ANY"] = &op
		}
		for method, op := range operations {
			security := []map[string][]string{}
			if op.Security != nil {
				for _, requirement := range *op.Security {
					security = append(security, requirement)
				}
			}
			out[strings.ToUpper(method)+" "+path] = plain(t, map[string]any{
				"integration": op.Extensions["x-amazon-apigateway-integration"], "security": security, "operationId": op.OperationID,
			})
		}
	}
	schemes := map[string]any{}
	for name, scheme := range doc.Components.SecuritySchemes {
		schemes[name] = plain(t, map[string]any{"type": scheme.Value.Type, "authorizer": scheme.Value.Extensions["x-amazon-apigateway-authorizer"]})
	}
	out["securitySchemes"] = schemes
	out["cors"] = plain(t, doc.Extensions["x-amazon-apigateway-cors"])
	return out
}

func plain(t *testing.T, v any) any {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// lambdaAuthorizerDefinition has a Lambda (REQUEST) authorizer, an IAM
// route and an HTTP route through a VPC link.
const lambdaAuthorizerDefinition = `{
  "openapi": "3.0.1",
  "info": {"title": "private", "version": "1"},
  "x-amazon-apigateway-endpoint-configuration": {"disableExecuteApiEndpoint": true},
  "paths": {
    "/orders": {
      "get": {
        "responses": {"default": {"description": "orders"}},
        "security": [{"lambda": []}],
        "x-amazon-apigateway-integration": {
          "type": "http_proxy", "httpMethod": "GET", "connectionType": "VPC_LINK", "connectionId": "abc123",
          "uri": "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/orders/0123456789abcdef/fedcba9876543210",
          "payloadFormatVersion": "1.0", "timeoutInMillis": 5000,
          "requestParameters": {"append:header.x-source": "gateway"}
        }
      },
      "delete": {
        "responses": {"default": {"description": "deleted"}},
        "security": [{"sigv4": []}]
      }
    }
  },
  "components": {
    "securitySchemes": {
      "lambda": {
        "type": "apiKey", "name": "Unused", "in": "header",
        "x-amazon-apigateway-authorizer": {
          "type": "request", "identitySource": "$request.header.Authorization, $request.querystring.token",
          "authorizerUri": "` + lambdaURI + `",
          "authorizerPayloadFormatVersion": "2.0", "enableSimpleResponses": true, "authorizerResultTtlInSeconds": 300
        }
      },
      "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"}
    }
  }
}`

func TestImportApiLambdaAuthorizerIAMAndVPCLink(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	imported := sdktest.Must(client.ImportApi(sdktest.Ctx, &apigatewayv2.ImportApiInput{Body: aws.String(lambdaAuthorizerDefinition)}))(t)
	if !aws.ToBool(imported.DisableExecuteApiEndpoint) {
		t.Errorf("disableExecuteApiEndpoint not imported")
	}
	authorizers := sdktest.Must(client.GetAuthorizers(sdktest.Ctx, &apigatewayv2.GetAuthorizersInput{ApiId: imported.ApiId}))(t)
	if len(authorizers.Items) != 1 {
		t.Fatalf("authorizers = %+v", authorizers.Items)
	}
	authorizer := authorizers.Items[0]
	if authorizer.AuthorizerType != types.AuthorizerTypeRequest || !aws.ToBool(authorizer.EnableSimpleResponses) ||
		aws.ToInt32(authorizer.AuthorizerResultTtlInSeconds) != 300 ||
		!slices.Equal(authorizer.IdentitySource, []string{"$request.header.Authorization", "$request.querystring.token"}) {
		t.Fatalf("authorizer = %+v", authorizer)
	}
	routes := sdktest.Must(client.GetRoutes(sdktest.Ctx, &apigatewayv2.GetRoutesInput{ApiId: imported.ApiId}))(t)
	authorization := map[string]string{}
	for _, route := range routes.Items {
		authorization[aws.ToString(route.RouteKey)] = string(route.AuthorizationType)
	}
	if authorization["GET /orders"] != "CUSTOM" || authorization["DELETE /orders"] != "AWS_IAM" {
		t.Fatalf("authorization = %v", authorization)
	}
	exported := sdktest.Must(client.ExportApi(sdktest.Ctx, &apigatewayv2.ExportApiInput{
		ApiId: imported.ApiId, OutputType: aws.String("JSON"), Specification: aws.String("OAS30"),
	}))(t)
	requireEquivalent(t, lambdaAuthorizerDefinition, string(exported.Body))
	if !strings.Contains(string(exported.Body), `"disableExecuteApiEndpoint": true`) {
		t.Errorf("export lost the endpoint configuration:\n%s", exported.Body)
	}
}

func TestReimportApiWithFailOnWarningsLeavesTheApiAsItWas(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	client := e.V2(sdktest.ClientOptions{})
	created := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{Name: aws.String("before"), ProtocolType: types.ProtocolTypeHttp}))(t)
	missingModel := `{"openapi": "3.0.1", "info": {"title": "after", "version": "2.0"}, "paths": {"/update": {"get": {
	  "x-amazon-apigateway-integration": {"type": "HTTP_PROXY", "httpMethod": "GET", "payloadFormatVersion": "1.0", "uri": "https://example.com"},
	  "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Missing"}}}}}}}}}`

	_, err := client.ReimportApi(sdktest.Ctx, &apigatewayv2.ReimportApiInput{ApiId: created.ApiId, Body: aws.String(missingModel), FailOnWarnings: aws.Bool(true)})
	var badRequest *types.BadRequestException
	if !errors.As(err, &badRequest) || !strings.HasPrefix(badRequest.ErrorMessage(), "Warnings found during import:\n\tParse issue: ") {
		t.Fatalf("reimport with failOnWarnings: %v", err)
	}
	if api := sdktest.Must(client.GetApi(sdktest.Ctx, &apigatewayv2.GetApiInput{ApiId: created.ApiId}))(t); aws.ToString(api.Name) != "before" {
		t.Fatalf("a refused reimport renamed the API to %s", aws.ToString(api.Name))
	}

	reimported := sdktest.Must(client.ReimportApi(sdktest.Ctx, &apigatewayv2.ReimportApiInput{ApiId: created.ApiId, Body: aws.String(missingModel)}))(t)
	if aws.ToString(reimported.Name) != "after" || aws.ToString(reimported.Version) != "2.0" || len(reimported.Warnings) != 1 {
		t.Fatalf("reimport = %s %s, warnings %q", aws.ToString(reimported.Name), aws.ToString(reimported.Version), reimported.Warnings)
	}
	integrations := sdktest.Must(client.GetIntegrations(sdktest.Ctx, &apigatewayv2.GetIntegrationsInput{ApiId: created.ApiId}))(t)
	if len(integrations.Items) != 1 || integrations.Items[0].ConnectionType != "INTERNET" || aws.ToInt32(integrations.Items[0].TimeoutInMillis) != 30000 {
		t.Fatalf("integrations = %+v", integrations.Items)
	}
}
