package apigateway_test

import (
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/getkin/kin-openapi/openapi2"
	"github.com/getkin/kin-openapi/openapi3"
	"sigs.k8s.io/yaml"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

type doc = map[string]any

// parseDoc reads a JSON or YAML document into plain maps.
func parseDoc(t *testing.T, body []byte) doc {
	t.Helper()
	asJSON, err := yaml.YAMLToJSON(body)
	if err != nil {
		t.Fatalf("not YAML or JSON: %v\n%s", err, body)
	}
	var d doc
	if err := json.Unmarshal(asJSON, &d); err != nil {
		t.Fatalf("not an object: %v", err)
	}
	return d
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return body
}

func member(d doc, keys ...string) doc {
	for _, k := range keys {
		next, _ := d[k].(map[string]any)
		d = next
	}
	return d
}

// operations are a document's operations by "VERB /path".
func operations(d doc) map[string]doc {
	ops := map[string]doc{}
	for path, item := range member(d, "paths") {
		for verb, op := range item.(map[string]any) {
			if verb == "x-amazon-apigateway-any-method" {
				verb = "any"
			} else if !slices.Contains([]string{"get", "put", "post", "delete", "patch", "head", "options"}, verb) {
				continue
			}
			ops[strings.ToUpper(verb)+" "+path] = op.(map[string]any)
		}
	}
	return ops
}

// normalIntegration is x-amazon-apigateway-integration as AWS compares it:
// enum values in lower case, the default timeout left out.
func normalIntegration(op doc) doc {
	i := maps.Clone(member(op, "x-amazon-apigateway-integration"))
	for _, k := range []string{"type", "passthroughBehavior", "connectionType"} {
		if s, ok := i[k].(string); ok {
			i[k] = strings.ToLower(s)
		}
	}
	if i["timeoutInMillis"] == 29000.0 {
		delete(i, "timeoutInMillis")
	}
	return i
}

// requireEquivalent compares what the round trip must keep: paths and
// methods, every integration member, security, validators, the security
// schemes' authorizers and the models.
func requireEquivalent(t *testing.T, in, out doc, swagger bool) {
	t.Helper()
	inOps, outOps := operations(in), operations(out)
	if !slices.Equal(slices.Sorted(maps.Keys(inOps)), slices.Sorted(maps.Keys(outOps))) {
		t.Fatalf("operations: exported %v, imported %v", slices.Sorted(maps.Keys(outOps)), slices.Sorted(maps.Keys(inOps)))
	}
	for key, op := range inOps {
		if got, want := normalIntegration(outOps[key]), normalIntegration(op); !reflect.DeepEqual(got, want) {
			t.Errorf("%s integration:\n got %v\nwant %v", key, got, want)
		}
		if got, want := outOps[key]["security"], op["security"]; !reflect.DeepEqual(got, want) {
			t.Errorf("%s security: got %v, want %v", key, got, want)
		}
		if got, want := outOps[key]["x-amazon-apigateway-request-validator"], op["x-amazon-apigateway-request-validator"]; got != want {
			t.Errorf("%s validator: got %v, want %v", key, got, want)
		}
	}
	schemes, schemas := []string{"components", "securitySchemes"}, []string{"components", "schemas"}
	if swagger {
		schemes, schemas = []string{"securityDefinitions"}, []string{"definitions"}
	}
	inSchemes, outSchemes := member(in, schemes...), member(out, schemes...)
	if !slices.Equal(slices.Sorted(maps.Keys(inSchemes)), slices.Sorted(maps.Keys(outSchemes))) {
		t.Fatalf("security schemes: exported %v, imported %v", slices.Sorted(maps.Keys(outSchemes)), slices.Sorted(maps.Keys(inSchemes)))
	}
	for name, scheme := range inSchemes {
		for _, k := range []string{"type", "name", "in", "x-amazon-apigateway-authtype", "x-amazon-apigateway-authorizer"} {
			if got, want := outSchemes[name].(map[string]any)[k], scheme.(map[string]any)[k]; !reflect.DeepEqual(got, want) {
				t.Errorf("security scheme %s %s: got %v, want %v", name, k, got, want)
			}
		}
	}
	if got, want := member(out, schemas...), member(in, schemas...); !reflect.DeepEqual(got, want) {
		t.Errorf("models:\n got %v\nwant %v", got, want)
	}
	for _, k := range []string{"x-amazon-apigateway-request-validators", "x-amazon-apigateway-binary-media-types", "x-amazon-apigateway-gateway-responses",
		"x-amazon-apigateway-policy", "x-amazon-apigateway-minimum-compression-size"} {
		if !reflect.DeepEqual(out[k], in[k]) {
			t.Errorf("%s: got %v, want %v", k, out[k], in[k])
		}
	}
}

// putAndExport defines an API by document (PutRestApi overwrite), deploys
// it to a stage and exports the stage in the document's format.
func putAndExport(t *testing.T, client *apigateway.Client, body []byte, exportType, accept string) (*string, []byte) {
	t.Helper()
	ctx := context.Background()
	api, _ := restAPIForTest(t, client, "placeholder")
	put := must(client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: api, Body: body, Mode: types.PutModeOverwrite, FailOnWarnings: true}))(t)
	if len(put.Warnings) > 0 {
		t.Fatalf("PutRestApi warnings: %v", put.Warnings)
	}
	must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: api, StageName: aws.String("prod")}))(t)
	out := must(client.GetExport(ctx, &apigateway.GetExportInput{
		RestApiId: api, StageName: aws.String("prod"), ExportType: aws.String(exportType), Accepts: aws.String(accept),
		Parameters: map[string]string{"extensions": "apigateway"},
	}, acceptHeader(accept)))(t)
	if aws.ToString(out.ContentType) != accept {
		t.Errorf("GetExport content type %q, want %q", aws.ToString(out.ContentType), accept)
	}
	return api, out.Body
}

// acceptHeader sends Accept as given: the Go SDK's apigateway customization
// replaces every Accept with application/json (the CLI keeps the one asked).
func acceptHeader(accept string) func(*apigateway.Options) {
	return func(o *apigateway.Options) {
		o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
			return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("restoreAccept",
				func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
					if req, ok := in.Request.(*smithyhttp.Request); ok {
						req.Header.Set("Accept", accept)
					}
					return next.HandleFinalize(ctx, in)
				}), middleware.Before)
		})
	}
}

func TestOpenAPI30RoundTripThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	input := readTestdata(t, "petstore-oas30.yaml")
	api, exported := putAndExport(t, client, input, "oas30", "application/json")

	got := parseDoc(t, exported)
	requireEquivalent(t, parseDoc(t, input), got, false)
	servers, _ := got["servers"].([]any)
	if len(servers) != 1 || !strings.Contains(servers[0].(map[string]any)["url"].(string), aws.ToString(api)+".execute-api.us-east-1.amazonaws.com") ||
		member(servers[0].(map[string]any), "variables", "basePath")["default"] != "prod" {
		t.Errorf("servers %v do not name the API and its stage", servers)
	}
	if _, err := openapi3.NewLoader().LoadFromData(exported); err != nil {
		t.Errorf("the export does not load as OpenAPI 3: %v", err)
	}

	// The API itself: name, description and settings from the document.
	rest := must(client.GetRestApi(ctx, &apigateway.GetRestApiInput{RestApiId: api}))(t)
	if aws.ToString(rest.Name) != "petstore-oas30" || !slices.Equal(rest.BinaryMediaTypes, []string{"image/png"}) {
		t.Errorf("GetRestApi = %q %v", aws.ToString(rest.Name), rest.BinaryMediaTypes)
	}
	auths := must(client.GetAuthorizers(ctx, &apigateway.GetAuthorizersInput{RestApiId: api}))(t)
	if len(auths.Items) != 2 {
		t.Errorf("authorizers %+v, want token and cognito", auths.Items)
	}

	// Merge adds a path and keeps the old ones.
	addition := []byte(`{"openapi":"3.0.1","info":{"title":"petstore-oas30"},"paths":{"/owners":{"get":{"responses":{"200":{"description":"ok"}},
		"x-amazon-apigateway-integration":{"type":"mock","requestTemplates":{"application/json":"{\"statusCode\": 200}"}}}}}}`)
	must(client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: api, Body: addition, Mode: types.PutModeMerge}))(t)
	resources := must(client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api, Limit: aws.Int32(500)}))(t)
	var paths []string
	for _, r := range resources.Items {
		paths = append(paths, aws.ToString(r.Path))
	}
	slices.Sort(paths)
	if want := []string{"/", "/owners", "/pets", "/pets/{petId}", "/{proxy+}"}; !slices.Equal(paths, want) {
		t.Errorf("after merge, paths %v, want %v", paths, want)
	}
	// The stage still serves the old deployment until a new one.
	old := must(client.GetExport(ctx, &apigateway.GetExportInput{RestApiId: api, StageName: aws.String("prod"), ExportType: aws.String("oas30")}))(t)
	if _, ok := member(parseDoc(t, old.Body), "paths")["/owners"]; ok {
		t.Error("the stage's export shows /owners before it was deployed")
	}
	// Overwrite with the addition alone drops the old paths.
	must(client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: api, Body: addition, Mode: types.PutModeOverwrite}))(t)
	resources = must(client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: api}))(t)
	if len(resources.Items) != 2 {
		t.Errorf("after overwrite, %d resources, want / and /owners", len(resources.Items))
	}
}

func TestSwagger20RoundTripThroughSDK(t *testing.T) {
	client := newRestClient(t)
	input := readTestdata(t, "petstore-swagger.json")
	api, exported := putAndExport(t, client, input, "swagger", "application/yaml")

	got := parseDoc(t, exported)
	requireEquivalent(t, parseDoc(t, input), got, true)
	if got["host"] != aws.ToString(api)+".execute-api.us-east-1.amazonaws.com" || got["basePath"] != "/prod" || got["swagger"] != "2.0" {
		t.Errorf("host %v basePath %v swagger %v", got["host"], got["basePath"], got["swagger"])
	}
	asJSON, _ := yaml.YAMLToJSON(exported)
	var doc2 openapi2.T
	if err := json.Unmarshal(asJSON, &doc2); err != nil {
		t.Errorf("the export does not load as Swagger 2.0: %v", err)
	}
}

func TestImportRestAPIThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	out := must(client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{
		Body: readTestdata(t, "petstore-oas30.yaml"), Parameters: map[string]string{"endpointConfigurationTypes": "REGIONAL"},
	}))(t)
	if aws.ToString(out.Name) != "petstore-oas30" || !slices.Equal(out.EndpointConfiguration.Types, []types.EndpointType{types.EndpointTypeRegional}) {
		t.Fatalf("ImportRestApi = %q %v", aws.ToString(out.Name), out.EndpointConfiguration.Types)
	}
	resources := must(client.GetResources(ctx, &apigateway.GetResourcesInput{RestApiId: out.Id, Embed: []string{"methods"}}))(t)
	methods := map[string]types.Method{}
	for _, r := range resources.Items {
		for verb, m := range r.ResourceMethods {
			methods[verb+" "+aws.ToString(r.Path)] = m
		}
	}
	list := methods["GET /pets"]
	if !aws.ToBool(list.ApiKeyRequired) || list.RequestValidatorId == nil || list.MethodIntegration == nil || list.MethodIntegration.Type != types.IntegrationTypeHttpProxy {
		t.Errorf("GET /pets = %+v", list)
	}
	create := methods["POST /pets"]
	if aws.ToString(create.AuthorizationType) != "COGNITO_USER_POOLS" || !slices.Equal(create.AuthorizationScopes, []string{"pets/write"}) || create.RequestModels["application/json"] != "Pet" {
		t.Errorf("POST /pets = %+v", create)
	}
	mock := methods["ANY /{proxy+}"].MethodIntegration
	if mock == nil || mock.Type != types.IntegrationTypeMock || aws.ToString(mock.IntegrationResponses["404"].SelectionPattern) != `4\d{2}` ||
		mock.IntegrationResponses["200"].ResponseTemplates["application/json"] != `{"mocked": true}` {
		t.Errorf("ANY /{proxy+} integration = %+v", mock)
	}

	// A warning (an unknown security requirement) is reported, and refused
	// with failonwarnings.
	warned := []byte(`{"swagger":"2.0","info":{"title":"w","version":"1"},"paths":{"/a":{"get":{"security":[{"nope":[]}],"responses":{"200":{"description":"ok"}},
		"x-amazon-apigateway-integration":{"type":"mock"}}}}}`)
	imported := must(client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: warned}))(t)
	if len(imported.Warnings) != 1 {
		t.Errorf("warnings %v, want one", imported.Warnings)
	}
	_, err := client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: warned, FailOnWarnings: true})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Warnings found during import:\n\tIgnoring security requirement 'nope' on method 'GET /a': no such security definition")

	_, err = client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: []byte(`{"info":{"title":"x"}}`)})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid OpenAPI input: neither 'swagger: 2.0' nor 'openapi: 3.0.x' is declared")
	bad := []byte(`{"openapi":"3.0.1","info":{"title":"bad"},"paths":{"/a":{"get":{"responses":{"200":{"description":"ok"}},
		"x-amazon-apigateway-integration":{"type":"http","httpMethod":"GET","uri":"not a url"}}}}}`)
	_, err = client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: bad})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Errors found during import:\n\tUnable to put integration on 'GET /a': Invalid HTTP endpoint specified for URI")
	apis := must(client.GetRestApis(ctx, &apigateway.GetRestApisInput{}))(t)
	if len(apis.Items) != 2 {
		t.Errorf("%d APIs after the refused imports, want 2", len(apis.Items))
	}

	_, err = client.GetExport(ctx, &apigateway.GetExportInput{RestApiId: out.Id, StageName: aws.String("nope"), ExportType: aws.String("oas30")})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "Invalid stage identifier specified")
	must(client.CreateDeployment(ctx, &apigateway.CreateDeploymentInput{RestApiId: out.Id, StageName: aws.String("dev")}))(t)
	_, err = client.GetExport(ctx, &apigateway.GetExportInput{RestApiId: out.Id, StageName: aws.String("dev"), ExportType: aws.String("postman")})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid export type specified: postman. Must be one of: [oas30, swagger]")
	_, err = client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: aws.String("nope"), Body: warned})
	sdktest.RequireTyped[*types.NotFoundException](t, err, "")
	_, err = client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: out.Id, Body: warned, Mode: "replace"})
	if err == nil || !strings.Contains(err.Error(), "ValidationException: 1 validation error detected: Value 'replace' at 'putRestApiInput.mode'") {
		t.Errorf("PutRestApi mode=replace: %v", err)
	}
}

func TestImportRestAPIThroughCLI(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	document, err := filepath.Abs(filepath.Join("testdata", "petstore-swagger.json"))
	if err != nil {
		t.Fatal(err)
	}
	cli := func(args ...string) string {
		t.Helper()
		stdout, stderr, err := sdktest.AWSCLI(t, e.BaseURL, append([]string{"apigateway"}, args...)...)
		if err != nil {
			t.Fatalf("%s: %v\n%s", args[0], err, stderr)
		}
		return stdout
	}
	printed := cli("import-rest-api", "--body", "fileb://"+document, "--parameters", "endpointConfigurationTypes=REGIONAL")
	var out struct {
		ID                    string `json:"id"`
		Name                  string `json:"name"`
		EndpointConfiguration struct{ Types []string }
	}
	if err := json.Unmarshal([]byte(printed), &out); err != nil || out.Name != "petstore-swagger" || out.ID == "" ||
		!slices.Equal(out.EndpointConfiguration.Types, []string{"REGIONAL"}) {
		t.Fatalf("import-rest-api printed %s (%v)", printed, err)
	}
	// Deploy, then export as YAML: the CLI keeps --accepts and writes the
	// raw body to the file.
	cli("create-deployment", "--rest-api-id", out.ID, "--stage-name", "prod")
	exported := filepath.Join(t.TempDir(), "export.yaml")
	cli("get-export", "--rest-api-id", out.ID, "--stage-name", "prod", "--export-type", "swagger",
		"--accepts", "application/yaml", "--parameters", "extensions=apigateway", exported)
	body, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(body), "basePath: /prod\n") {
		t.Errorf("get-export wrote %.200s, want YAML", body)
	}
	requireEquivalent(t, parseDoc(t, readTestdata(t, "petstore-swagger.json")), parseDoc(t, body), true)
}

// resourcePaths are the API's resource paths, sorted.
func resourcePaths(t *testing.T, client *apigateway.Client, api *string) []string {
	t.Helper()
	resources := must(client.GetResources(context.Background(), &apigateway.GetResourcesInput{RestApiId: api, Limit: aws.Int32(500)}))(t)
	var paths []string
	for _, r := range resources.Items {
		paths = append(paths, aws.ToString(r.Path))
	}
	slices.Sort(paths)
	return paths
}

func TestImportRestAPIBasePathThroughSDK(t *testing.T) {
	ctx := context.Background()
	client := newRestClient(t)
	document := []byte(`{"openapi":"3.0.1","info":{"title":"base"},"servers":[{"url":"https://example.com/{basePath}","variables":{"basePath":{"default":"/a/b"}}}],
		"paths":{"/e":{"get":{"responses":{"200":{"description":"ok"}},"x-amazon-apigateway-integration":{"type":"mock"}}}}}`)
	for mode, want := range map[string][]string{
		"ignore":  {"/", "/e"},
		"prepend": {"/", "/a", "/a/b", "/a/b/e"},
		"split":   {"/", "/b", "/b/e"},
	} {
		out := must(client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: document, Parameters: map[string]string{"basepath": mode}}))(t)
		if got := resourcePaths(t, client, out.Id); !slices.Equal(got, want) {
			t.Errorf("basepath=%s: paths %v, want %v", mode, got, want)
		}
	}
	// Swagger's basePath counts the same way.
	out := must(client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: readTestdata(t, "petstore-swagger.json"), Parameters: map[string]string{"basepath": "prepend"}}))(t)
	if got := resourcePaths(t, client, out.Id); !slices.Contains(got, "/v1/pets/{petId}") {
		t.Errorf("swagger basepath=prepend: paths %v, want /v1/pets/{petId} among them", got)
	}
	_, err := client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: document, Parameters: map[string]string{"basepath": "nope"}})
	sdktest.RequireTyped[*types.BadRequestException](t, err, "Invalid basepath specified: nope. Must be one of: [ignore, prepend, split]")
}

func TestOpenAPIQuotasThroughSDK(t *testing.T) {
	ctx := context.Background()
	e := sdktest.Start(t, emulator.Options{Quotas: true})
	client := e.REST(sdktest.ClientOptions{AccessKey: "AKIDOASQUOTA", Secret: "secret", MaxAttempts: 1})
	document := readTestdata(t, "petstore-oas30.yaml")
	out := must(client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: document}))(t)
	_, err := client.ImportRestApi(ctx, &apigateway.ImportRestApiInput{Body: document})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "")
	must(client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: out.Id, Body: document}))(t)
	_, err = client.PutRestApi(ctx, &apigateway.PutRestApiInput{RestApiId: out.Id, Body: document})
	sdktest.RequireTyped[*types.TooManyRequestsException](t, err, "")
}
