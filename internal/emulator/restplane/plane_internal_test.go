package restplane

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/authorizers"
	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// Unit tests of the plane with Go fakes of its two dependencies.

type fakeSource struct {
	api  API
	keys map[string]KeyUsage // by key value
}

func (f fakeSource) DeployedAPI(apiID string) (API, bool) { return f.api, apiID == f.api.ID }

func (f fakeSource) KeyUsage(_, _, _, _, keyValue string) KeyUsage { return f.keys[keyValue] }

// fakeFunctions answers every invocation with payload or err, and records
// the source ARN it was called from.
type fakeFunctions struct {
	payload    string
	functionEr string
	err        error
	sourceARNs []string
}

func (f *fakeFunctions) InvokeAsAPIGateway(_ context.Context, _, sourceARN string, _ []byte) (execute.Invocation, error) {
	f.sourceARNs = append(f.sourceARNs, sourceARN)
	return execute.Invocation{Payload: []byte(f.payload), FunctionError: f.functionEr}, f.err
}

const fakeFunctionURI = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:fn/invocations"

func lambdaAPI() API {
	method := Method{HTTPMethod: "ANY", AuthorizationType: "NONE", Integration: &Integration{Type: integrationAWSProxy, URI: fakeFunctionURI}}
	return API{ID: "api1", Account: "123456789012", Region: "eu-west-1", Stages: map[string]Stage{
		"prod": {Name: "prod", Deployment: &Deployment{Resources: []Resource{{ID: "r1", Path: "/items/{id}", Methods: map[string]Method{"ANY": method}}}}},
	}}
}

func serve(p execute.Plane, req *execute.Request, method string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "http://api1.execute-api.localhost"+req.Path, nil)
	for name, values := range header {
		r.Header[name] = values
	}
	w := httptest.NewRecorder()
	p.Serve(w, r, req)
	return w
}

func TestLambdaProxyAnswers(t *testing.T) {
	cases := []struct {
		name         string
		functions    fakeFunctions
		status       int
		body, header string
	}{
		{"ok", fakeFunctions{payload: `{"statusCode":201,"headers":{"a":"1","b":"x"},"multiValueHeaders":{"b":["2","3"]},"body":"aGk=","isBase64Encoded":true}`}, 201, "hi", "2,3"},
		{"no body", fakeFunctions{payload: `{"statusCode":204}`}, 204, "", ""},
		{"unknown member", fakeFunctions{payload: `{"statusCode":200,"body":"x","cookies":[]}`}, 502, `{"message": "Internal server error"}`, ""},
		{"body not a string", fakeFunctions{payload: `{"statusCode":200,"body":{"a":1}}`}, 502, `{"message": "Internal server error"}`, ""},
		{"no status", fakeFunctions{payload: `{"body":"x"}`}, 502, `{"message": "Internal server error"}`, ""},
		{"not JSON", fakeFunctions{payload: `hello`}, 502, `{"message": "Internal server error"}`, ""},
		{"function error", fakeFunctions{payload: `{"errorMessage":"boom"}`, functionEr: "Unhandled"}, 502, `{"message": "Internal server error"}`, ""},
		{"no such function", fakeFunctions{err: execute.ErrNoSuchFunction}, 500, `{"message": "Internal server error"}`, ""},
		{"not permitted", fakeFunctions{err: execute.ErrNotPermitted}, 500, `{"message": "Internal server error"}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			functions := c.functions
			p := New(Config{Source: fakeSource{api: lambdaAPI()}, Functions: &functions})
			w := serve(p, &execute.Request{APIID: "api1", Path: "/prod/items/7"}, "PATCH", nil)
			if w.Code != c.status || w.Body.String() != c.body || strings.Join(w.Header().Values("B"), ",") != c.header {
				t.Fatalf("got %d %q %v", w.Code, w.Body.String(), w.Header())
			}
			if len(functions.sourceARNs) != 1 || functions.sourceARNs[0] != "arn:aws:execute-api:eu-west-1:123456789012:api1/prod/PATCH/items/{id}" {
				t.Errorf("source ARNs %v", functions.sourceARNs)
			}
		})
	}
}

// TestCustomDomainChoosesTheStage: with req.Stage set the path does not
// begin with the stage; the disabled execute-api endpoint still serves
// custom domain requests.
func TestCustomDomainChoosesTheStage(t *testing.T) {
	api := lambdaAPI()
	api.DisableExecuteAPIEndpoint = true
	functions := &fakeFunctions{payload: `{"statusCode":200,"body":"via domain"}`}
	p := New(Config{Source: fakeSource{api: api}, Functions: functions})
	req := &execute.Request{APIID: "api1", Path: "/items/7", Stage: "prod", CustomDomain: "api.example.com"}
	if w := serve(p, req, "GET", nil); w.Code != 200 || w.Body.String() != "via domain" {
		t.Fatalf("custom domain: %d %s", w.Code, w.Body.String())
	}
	if req.MatchedStage != "prod" || req.MatchedRoute != "ANY /items/{id}" || req.RequestID == "" {
		t.Errorf("served %+v", req)
	}
	if w := serve(p, &execute.Request{APIID: "api1", Path: "/prod/items/7"}, "GET", nil); w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
		t.Errorf("execute-api: %d %s", w.Code, w.Body.String())
	}
}

type fakeAuthorizers struct{ decision authorizers.Decision }

func (f fakeAuthorizers) Authorize(context.Context, authorizers.Spec, authorizers.Request) authorizers.Decision {
	return f.decision
}

// TestAPIKeyFromTheAuthorizer: with apiKeySource AUTHORIZER the key is the
// authorizer's usageIdentifierKey, not x-api-key.
func TestAPIKeyFromTheAuthorizer(t *testing.T) {
	api := lambdaAPI()
	api.APIKeySource = apiKeySourceAuthorizer
	deployment := api.Stages["prod"].Deployment
	deployment.Authorizers = map[string]Authorizer{"a1": {ID: "a1", Type: "REQUEST", AuthorizerURI: fakeFunctionURI}}
	method := deployment.Resources[0].Methods["ANY"]
	method.AuthorizationType, method.AuthorizerID, method.APIKeyRequired = authorizationCustom, "a1", true
	method.Integration = &Integration{Type: integrationMock, Responses: []IntegrationResponse{{StatusCode: "200", ResponseTemplates: map[string]string{"application/json": "$context.identity.apiKeyId $context.authorizer.principalId"}}}}
	deployment.Resources[0].Methods["ANY"] = method
	source := fakeSource{api: api, keys: map[string]KeyUsage{"from-authorizer": {Found: true, KeyID: "k1", PlanID: "p1"}}}

	for _, c := range []struct {
		usageKey, header string
		status           int
		body             string
	}{
		{"from-authorizer", "", 200, "k1 alice"},
		{"", "from-authorizer", 403, `{"message":"Forbidden"}`},
	} {
		p := New(Config{Source: source, Authorizers: fakeAuthorizers{authorizers.Decision{PrincipalID: "alice", UsageIdentifierKey: c.usageKey}}})
		w := serve(p, &execute.Request{APIID: "api1", Path: "/prod/items/1"}, "GET", http.Header{"X-Api-Key": {c.header}})
		if body, _ := io.ReadAll(w.Body); w.Code != c.status || string(body) != c.body {
			t.Errorf("usageIdentifierKey %q, x-api-key %q: %d %s", c.usageKey, c.header, w.Code, body)
		}
	}
}

func TestTemplates(t *testing.T) {
	in := &templateInput{
		body:           []byte(`{"a":{"b":[1,{"c":"deep"}]},"s":"x\"y"}`),
		path:           map[string]string{"id": "7"},
		querystring:    map[string]string{"q": "search"},
		header:         map[string]string{"X-Hdr": "hv"},
		context:        map[string]any{"stage": "prod", "authorizer": map[string]any{"user": "u1"}},
		stageVariables: map[string]string{"v": "1"},
	}
	cases := map[string]string{
		`$input.json('$.a.b[1]')`:                           `{"c":"deep"}`,
		`$input.path('$.a.b[1].c')`:                         `deep`,
		`$input.json('$.s')`:                                `"x\"y"`,
		`${input.params('id')}-$input.params('q')`:          `7-search`,
		`$input.params('x-hdr')`:                            `hv`,
		`$input.params().header.get('X-Hdr')`:               `hv`,
		`$input.params().path`:                              `{"id":"7"}`,
		`$context.stage $context.authorizer.user`:           `prod u1`,
		`$stageVariables.v|$stageVariables.none|`:           `1|$stageVariables.none|`,
		`$!stageVariables.none|$!{context.missing}`:         `|`,
		`$util.escapeJavaScript("it's /é")`:                 `it\'s \/\u00E9`,
		`$util.base64Encode('hi') $util.urlEncode('a b&c')`: `aGk= a+b%26c`,
		`## comment
kept #* block *#text $ 5 $unknown.x`: "kept text $ 5 $unknown.x",
		`$input.body`: `{"a":{"b":[1,{"c":"deep"}]},"s":"x\"y"}`,
	}
	for template, want := range cases {
		got, err := renderTemplate(template, in)
		if err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", template, got, err, want)
		}
	}
	for _, template := range []string{`#set($x = 1)`, `#if($a)x#end`, `$input.keys()`, `$util.nothing('x')`, `$input.json('a.b')`} {
		if _, err := renderTemplate(template, in); err == nil {
			t.Errorf("%s rendered", template)
		}
	}
}
