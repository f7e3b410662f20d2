package restplane_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"
)

// TestResourceSelection: the most specific resource wins (literal, then
// {param}, then {proxy+}); a resource serves other verbs through ANY; an
// unmatched path or verb and an unknown stage answer 403 Missing
// Authentication Token, with REST's request id headers.
func TestResourceSelection(t *testing.T) {
	client, port := startREST(t)
	api := newRestAPI(t, client, port, nil)
	api.mock("/", "GET", 200, `root`)
	api.mock("/pets", "GET", 200, `list`)
	api.mock("/pets/{id}", "GET", 200, `pet $input.params('id')`)
	api.mock("/pets/{id}", "ANY", 200, `any $context.httpMethod $input.params('id')`)
	api.mock("/pets/mine", "GET", 200, `mine`)
	api.mock("/{proxy+}", "ANY", 200, `proxy $input.params('proxy') $context.resourcePath`)
	api.deploy("prod", nil)

	cases := []struct{ method, path, want string }{
		{"GET", "/prod", "root"},
		{"GET", "/prod/", "root"},
		{"GET", "/prod/pets", "list"},
		{"GET", "/prod/pets/mine", "mine"},
		{"GET", "/prod/pets/7", "pet 7"},
		{"DELETE", "/prod/pets/7", "any DELETE 7"},
		{"POST", "/prod/pets", "proxy pets /{proxy+}"},
		{"GET", "/prod/a/b/c", "proxy a/b/c /{proxy+}"},
	}
	for _, c := range cases {
		got := api.call(c.method, c.path, nil, "")
		expect(t, got, http.StatusOK, c.want)
		if got.header.Get("x-amzn-RequestId") == "" || got.header.Get("x-amz-apigw-id") == "" {
			t.Errorf("%s %s: request id headers %v", c.method, c.path, got.header)
		}
	}

	bare := newRestAPI(t, client, port, &apigateway.CreateRestApiInput{Name: aws.String("bare")})
	bare.mock("/pets", "GET", 200, `list`)
	bare.deploy("prod", nil)
	for _, c := range []struct{ method, path string }{{"POST", "/prod/pets"}, {"GET", "/prod/cats"}, {"GET", "/prod"}, {"GET", "/staging/pets"}, {"GET", "/"}} {
		got := bare.call(c.method, c.path, nil, "")
		expect(t, got, http.StatusForbidden, `{"message":"Missing Authentication Token"}`)
		if got.header.Get("x-amzn-ErrorType") != "MissingAuthenticationTokenException" {
			t.Errorf("%s %s: x-amzn-ErrorType %q", c.method, c.path, got.header.Get("x-amzn-ErrorType"))
		}
	}
}

// TestMockTemplatesAndSelection: the MOCK request template chooses the
// integration response by its statusCode, a selection pattern picks 404
// over the default, and response templates read the request, the context
// and the stage variables; response parameters set headers.
func TestMockTemplatesAndSelection(t *testing.T) {
	client, port := startREST(t)
	api := newRestAPI(t, client, port, nil)
	resourceID := api.method("/things/{id}", &apigateway.PutMethodInput{HttpMethod: aws.String("POST")}, &apigateway.PutIntegrationInput{
		Type:             types.IntegrationTypeMock,
		RequestTemplates: map[string]string{"application/json": `{"statusCode": $input.json('$.code')}`},
	})
	api.integrationResponse(resourceID, "POST", &apigateway.PutIntegrationResponseInput{
		StatusCode: aws.String("200"), SelectionPattern: aws.String(""),
		ResponseParameters: map[string]string{"method.response.header.X-Stage": "context.stage", "method.response.header.X-Static": "'fixed'"},
		ResponseTemplates: map[string]string{"application/json": `{"id":"$input.params('id')","q":"$input.params('q')","h":"$input.params('X-Hdr')",` +
			`"stage":"$context.stage","var":"$stageVariables.color","req":"$context.requestId","esc":"$util.escapeJavaScript($input.params('q'))",` +
			`"missing":"$!stageVariables.none"}`},
	})
	api.integrationResponse(resourceID, "POST", &apigateway.PutIntegrationResponseInput{
		StatusCode: aws.String("404"), SelectionPattern: aws.String("4\\d\\d"),
		ResponseTemplates: map[string]string{"application/json": `{"notFound":"$input.params('id')"}`},
	})
	api.deploy("dev", map[string]string{"color": "blue"})

	got := api.call("POST", `/dev/things/42?q=a"b`, map[string]string{"X-Hdr": "hv", "Content-Type": "application/json"}, `{"code": 200}`)
	want := `{"id":"42","q":"a"b","h":"hv","stage":"dev","var":"blue","req":"` + got.header.Get("x-amzn-RequestId") + `","esc":"a\"b","missing":""}`
	expect(t, got, http.StatusOK, want)
	if got.header.Get("X-Stage") != "dev" || got.header.Get("X-Static") != "fixed" {
		t.Errorf("mapped headers: %v", got.header)
	}
	expect(t, api.call("POST", "/dev/things/9", nil, `{"code": 404}`), http.StatusNotFound, `{"notFound":"9"}`)
	// 500 has no integration response and there is a default: the default.
	expect(t, api.call("POST", "/dev/things/9", nil, `{"code": 500}`), http.StatusOK, "")
}

// TestUnsupportedTemplateIsRefusedPlainly: a directive the plane does not
// render answers 501 naming it.
func TestUnsupportedTemplateIsRefusedPlainly(t *testing.T) {
	client, port := startREST(t)
	api := newRestAPI(t, client, port, nil)
	api.mock("/loop", "GET", 200, `#foreach($k in $input.params().keySet())$k#end`)
	api.deploy("prod", nil)
	got := api.call("GET", "/prod/loop", nil, "")
	if got.status != http.StatusNotImplemented || !strings.Contains(got.body, "#foreach") {
		t.Fatalf("got %d %s", got.status, got.body)
	}
}

// recordingBackend records the last request it received and answers with
// the status the X-Answer header asks for.
type recordingBackend struct {
	*httptest.Server
	last chan *http.Request
	body chan string
}

func newRecordingBackend(t *testing.T) *recordingBackend {
	t.Helper()
	b := &recordingBackend{last: make(chan *http.Request, 10), body: make(chan string, 10)}
	b.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		b.last <- r
		b.body <- string(body)
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Query().Get("fail") != "" {
			w.WriteHeader(http.StatusBadGateway)
		}
		_, _ = io.WriteString(w, `{"seen":"`+r.Method+" "+r.URL.RequestURI()+`"}`)
	}))
	t.Cleanup(b.Close)
	return b
}

// TestHTTPProxyIntegration: the request goes through with its headers and
// query, {proxy} mapped from the method's path parameter, and the answer
// comes back as the backend gave it.
func TestHTTPProxyIntegration(t *testing.T) {
	client, port := startREST(t)
	backend := newRecordingBackend(t)
	api := newRestAPI(t, client, port, nil)
	api.method("/{proxy+}", &apigateway.PutMethodInput{HttpMethod: aws.String("ANY"), RequestParameters: map[string]bool{"method.request.path.proxy": true}},
		&apigateway.PutIntegrationInput{
			Type: types.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("ANY"), Uri: aws.String(backend.URL + "/base/{proxy}"),
			RequestParameters: map[string]string{"integration.request.path.proxy": "method.request.path.proxy", "integration.request.header.X-Stage": "context.stage"},
		})
	api.deploy("prod", nil)
	got := api.call("PUT", "/prod/a/b%20c?x=1&x=2", map[string]string{"X-Client": "c1"}, "payload")
	expect(t, got, http.StatusOK, `{"seen":"PUT /base/a/b%20c?x=1&x=2"}`)
	seen := <-backend.last
	if seen.Header.Get("X-Client") != "c1" || seen.Header.Get("X-Stage") != "prod" || <-backend.body != "payload" || got.header.Get("X-Backend") != "yes" {
		t.Errorf("forwarded headers %v, answer headers %v", seen.Header, got.header)
	}
	expect(t, api.call("GET", "/prod/x?fail=1", nil, ""), http.StatusBadGateway, "")
}

// TestHTTPIntegrationMappings: a non-proxy HTTP integration sends only the
// mapped path, query string and header parameters (static values
// included) and the request template's body; the backend's status selects
// the integration response, which maps a backend header.
func TestHTTPIntegrationMappings(t *testing.T) {
	client, port := startREST(t)
	backend := newRecordingBackend(t)
	api := newRestAPI(t, client, port, nil)
	resourceID := api.method("/orders/{id}", &apigateway.PutMethodInput{HttpMethod: aws.String("POST"), RequestParameters: map[string]bool{
		"method.request.path.id": true, "method.request.querystring.mode": false, "method.request.header.X-Tenant": false,
	}}, &apigateway.PutIntegrationInput{
		Type: types.IntegrationTypeHttp, IntegrationHttpMethod: aws.String("PUT"), Uri: aws.String(backend.URL + "/v1/orders/{orderId}"),
		RequestParameters: map[string]string{
			"integration.request.path.orderId":     "method.request.path.id",
			"integration.request.querystring.kind": "method.request.querystring.mode",
			"integration.request.querystring.fail": "method.request.header.X-Fail",
			"integration.request.header.X-Tenant":  "method.request.header.X-Tenant",
			"integration.request.header.X-Fixed":   "'static-value'",
		},
		RequestTemplates: map[string]string{"application/json": `{"order":"$input.params('id')","body":$input.json('$')}`},
	})
	api.integrationResponse(resourceID, "POST", &apigateway.PutIntegrationResponseInput{
		StatusCode: aws.String("201"), ResponseParameters: map[string]string{"method.response.header.X-From": "integration.response.header.X-Backend"},
		ResponseTemplates: map[string]string{"application/json": `{"wrapped":$input.json('$.seen')}`},
	})
	api.integrationResponse(resourceID, "POST", &apigateway.PutIntegrationResponseInput{StatusCode: aws.String("503"), SelectionPattern: aws.String("5\\d\\d")})
	api.deploy("prod", nil)

	got := api.call("POST", "/prod/orders/o-1?mode=fast&other=dropped", map[string]string{"X-Tenant": "t1", "X-Dropped": "d", "Content-Type": "application/json"}, `{"n":1}`)
	expect(t, got, http.StatusCreated, `{"wrapped":"PUT /v1/orders/o-1?kind=fast"}`)
	seen := <-backend.last
	if seen.Header.Get("X-Tenant") != "t1" || seen.Header.Get("X-Fixed") != "static-value" || seen.Header.Get("X-Dropped") != "" || got.header.Get("X-From") != "yes" {
		t.Errorf("backend headers %v, answer headers %v", seen.Header, got.header)
	}
	if body := <-backend.body; body != `{"order":"o-1","body":{"n":1}}` {
		t.Errorf("backend body %s", body)
	}
	got = api.call("POST", "/prod/orders/o-2", map[string]string{"X-Fail": "1"}, `{}`)
	expect(t, got, http.StatusServiceUnavailable, `{"seen":"PUT /v1/orders/o-2?fail=1"}`)
}

// TestStagesServeTheirDeployment: an undeployed change is not served until
// a deployment; a stage serves its own deployment's snapshot.
func TestStagesServeTheirDeployment(t *testing.T) {
	client, port := startREST(t)
	ctx := context.Background()
	api := newRestAPI(t, client, port, nil)
	resourceID := api.mock("/v", "GET", 200, `one`)
	api.deploy("old", nil)
	if _, err := client.PutIntegrationResponse(ctx, &apigateway.PutIntegrationResponseInput{
		RestApiId: &api.id, ResourceId: &resourceID, HttpMethod: aws.String("GET"), StatusCode: aws.String("200"),
		ResponseTemplates: map[string]string{"application/json": `two`},
	}); err != nil {
		t.Fatal(err)
	}
	api.mock("/added", "GET", 200, `added`)
	expect(t, api.call("GET", "/old/v", nil, ""), http.StatusOK, "one")
	expect(t, api.call("GET", "/old/added", nil, ""), http.StatusForbidden, `{"message":"Missing Authentication Token"}`)
	api.deploy("new", nil)
	expect(t, api.call("GET", "/new/v", nil, ""), http.StatusOK, "two")
	expect(t, api.call("GET", "/new/added", nil, ""), http.StatusOK, "added")
	expect(t, api.call("GET", "/old/v", nil, ""), http.StatusOK, "one")
}
