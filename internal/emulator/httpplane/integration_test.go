package httpplane_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"
	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

// These tests build an HTTP API with the real apigatewayv2 client and call it
// through the emulator's data plane with a plain HTTP client, as a browser or
// curl would: the control plane and the data plane must agree.

func startTestEmulator(t *testing.T) (client *apigatewayv2.Client, baseURL string) {
	t.Helper()
	e := sdktest.Start(t, emulator.Options{})
	return e.V2(sdktest.ClientOptions{AccessKey: "AKIDDATAPLANE", Secret: "secret"}), e.BaseURL
}

// executeAPIClient calls {apiId}.execute-api.localhost:{port} on the
// emulator, whatever the host name resolves to, as if DNS pointed there.
type executeAPIClient struct {
	http     *http.Client
	hostPort string // the emulator's 127.0.0.1:port
}

func newExecuteAPIClient(t *testing.T, baseURL string) *executeAPIClient {
	t.Helper()
	endpoint, err := url.Parse(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		return dialer.DialContext(ctx, network, endpoint.Host)
	}}
	t.Cleanup(transport.CloseIdleConnections)
	return &executeAPIClient{http: &http.Client{Transport: transport}, hostPort: endpoint.Host}
}

// answer is the status and headers of a response whose body call has read
// and closed.
type answer struct {
	StatusCode int
	Header     http.Header
}

// call sends method path to the API with headers and returns the answer and
// its body.
func (c *executeAPIClient) call(t *testing.T, apiID, method, path string, headers map[string]string) (answer, string) {
	t.Helper()
	_, port, _ := net.SplitHostPort(c.hostPort)
	request, err := http.NewRequest(method, "http://"+apiID+".execute-api.localhost:"+port+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for key, value := range headers {
		request.Header.Set(key, value)
	}
	response, err := c.http.Do(request)
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	body, err := io.ReadAll(response.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{StatusCode: response.StatusCode, Header: response.Header}, string(body)
}

// buildProxiedAPI creates, with the SDK, an HTTP API with CORS for two
// origins, GET /users and ANY /{proxy+} proxied to backendURL, and a
// $default stage with autoDeploy.
func buildProxiedAPI(t *testing.T, client *apigatewayv2.Client, backendURL string) string {
	t.Helper()
	ctx := context.Background()
	api, err := client.CreateApi(ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String("dataplane"), ProtocolType: types.ProtocolTypeHttp,
		CorsConfiguration: &types.Cors{
			AllowOrigins:  []string{"https://a.example", "https://b.example"},
			AllowMethods:  []string{"GET", "POST"},
			AllowHeaders:  []string{"content-type"},
			ExposeHeaders: []string{"x-trace"},
			MaxAge:        aws.Int32(600),
		},
	})
	if err != nil {
		t.Fatalf("CreateApi: %v", err)
	}
	for routeKey, uri := range map[string]string{"GET /users": backendURL + "/users", "ANY /{proxy+}": backendURL + "/{proxy}"} {
		integration, err := client.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
			ApiId: api.ApiId, IntegrationType: types.IntegrationTypeHttpProxy,
			IntegrationMethod: aws.String("ANY"), IntegrationUri: aws.String(uri), PayloadFormatVersion: aws.String("1.0"),
		})
		if err != nil {
			t.Fatalf("CreateIntegration %s: %v", uri, err)
		}
		if _, err := client.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
			ApiId: api.ApiId, RouteKey: aws.String(routeKey), Target: aws.String("integrations/" + *integration.IntegrationId),
		}); err != nil {
			t.Fatalf("CreateRoute %s: %v", routeKey, err)
		}
	}
	if _, err := client.CreateStage(ctx, &apigatewayv2.CreateStageInput{
		ApiId: api.ApiId, StageName: aws.String("$default"), AutoDeploy: aws.Bool(true),
	}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	return *api.ApiId
}

// newEchoBackend answers "METHOD PATH" and sets its own CORS header, which
// the gateway must not let through.
func newEchoBackend(t *testing.T) *httptest.Server {
	t.Helper()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		w.Header().Set("X-Trace", "backend")
		_, _ = io.WriteString(w, r.Method+" "+r.URL.Path)
	}))
	t.Cleanup(backend.Close)
	return backend
}

func TestDataPlaneServesAnAPIBuiltWithTheSDK(t *testing.T) {
	client, baseURL := startTestEmulator(t)
	apiID := buildProxiedAPI(t, client, newEchoBackend(t).URL)
	invoke := newExecuteAPIClient(t, baseURL)

	for _, tt := range []struct{ method, path, wantBody string }{
		{"GET", "/users", "GET /users"},
		{"POST", "/orders/7/lines", "POST /orders/7/lines"},
	} {
		response, body := invoke.call(t, apiID, tt.method, tt.path, nil)
		if response.StatusCode != http.StatusOK || body != tt.wantBody {
			t.Errorf("%s %s = %d %q, want 200 %q", tt.method, tt.path, response.StatusCode, body, tt.wantBody)
		}
		if response.Header.Get("X-Amzn-Requestid") == "" || response.Header.Get("Apigw-Requestid") == "" {
			t.Errorf("%s %s: request id headers missing: %v", tt.method, tt.path, response.Header)
		}
	}

	response, _ := invoke.call(t, apiID, "GET", "/users", map[string]string{"Origin": "https://a.example"})
	if got := response.Header.Values("Access-Control-Allow-Origin"); !reflect.DeepEqual(got, []string{"https://a.example"}) {
		t.Errorf("actual request Access-Control-Allow-Origin = %q, want the caller's origin only (the backend's * dropped)", got)
	}
	if got := response.Header.Get("Access-Control-Expose-Headers"); got != "x-trace" {
		t.Errorf("Access-Control-Expose-Headers = %q, want x-trace", got)
	}
}

func TestDataPlanePreflightOfAnAPIBuiltWithTheSDK(t *testing.T) {
	client, baseURL := startTestEmulator(t)
	apiID := buildProxiedAPI(t, client, newEchoBackend(t).URL)
	invoke := newExecuteAPIClient(t, baseURL)
	preflightHeaders := func(origin string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": "POST"}
	}
	// No route serves OPTIONS on the root (a greedy variable needs a
	// segment), so the gateway answers the preflight itself.
	preflight := func(origin string) (answer, string) {
		return invoke.call(t, apiID, "OPTIONS", "/", preflightHeaders(origin))
	}

	response, body := preflight("https://b.example")
	want := map[string]string{
		"Access-Control-Allow-Origin":  "https://b.example",
		"Access-Control-Allow-Methods": "GET,POST",
		"Access-Control-Allow-Headers": "content-type",
		"Access-Control-Max-Age":       "600",
		"Vary":                         "Origin",
	}
	if got := corsHeadersOf(response.Header); response.StatusCode != http.StatusNoContent || body != "" || !reflect.DeepEqual(got, want) {
		t.Errorf("preflight from an allowed origin = %d %q %v\nwant 204, no body, %v", response.StatusCode, body, got, want)
	}

	response, _ = preflight("https://evil.example")
	if got := corsHeadersOf(response.Header); len(got) != 0 {
		t.Errorf("preflight from another origin got CORS headers %v, want none", got)
	}

	// ANY /{proxy+} matches OPTIONS /users; the route has no authorizer, so
	// the gateway answers the preflight itself, with the full preflight set,
	// and the backend (which would answer 200 "OPTIONS /users") is not called.
	response, body = invoke.call(t, apiID, "OPTIONS", "/users", preflightHeaders("https://a.example"))
	want["Access-Control-Allow-Origin"] = "https://a.example"
	if got := corsHeadersOf(response.Header); response.StatusCode != http.StatusNoContent || body != "" || !reflect.DeepEqual(got, want) {
		t.Errorf("routed preflight = %d %q %v\nwant 204, no body, %v", response.StatusCode, body, got, want)
	}
}

func corsHeadersOf(h http.Header) map[string]string {
	got := map[string]string{}
	for key, values := range h {
		if strings.HasPrefix(key, "Access-Control-") || key == "Vary" {
			got[key] = strings.Join(values, ", ")
		}
	}
	return got
}

func TestDataPlaneForbidsDisabledAndUnknownAPIs(t *testing.T) {
	client, baseURL := startTestEmulator(t)
	apiID := buildProxiedAPI(t, client, newEchoBackend(t).URL)
	invoke := newExecuteAPIClient(t, baseURL)

	if response, body := invoke.call(t, apiID, "GET", "/users", nil); response.StatusCode != http.StatusOK {
		t.Fatalf("before disabling: %d %s", response.StatusCode, body)
	}
	if _, err := client.UpdateApi(context.Background(), &apigatewayv2.UpdateApiInput{
		ApiId: aws.String(apiID), DisableExecuteApiEndpoint: aws.Bool(true),
	}); err != nil {
		t.Fatalf("UpdateApi: %v", err)
	}
	// The $default stage auto-deploys, so the change applies at once.
	for name, id := range map[string]string{"disabled endpoint": apiID, "unknown API": "zzzzzzzzzz"} {
		response, body := invoke.call(t, id, "GET", "/users", nil)
		if response.StatusCode != http.StatusForbidden || body != `{"message":"Forbidden"}` {
			t.Errorf("%s: %d %s, want 403 {\"message\":\"Forbidden\"}", name, response.StatusCode, body)
		}
	}
}

// The stage's variables and route settings and the integration's request
// mapping, all set with the SDK, reach the data plane: a named stage whose
// integration URI names its backend through a stage variable, a mapping
// that adds a header, and a burst of one on the route.
func TestDataPlaneAppliesStageSettingsSetWithTheSDK(t *testing.T) {
	client, baseURL := startTestEmulator(t)
	ctx := context.Background()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Path+" "+r.Header.Get("X-Stage"))
	}))
	t.Cleanup(backend.Close)
	api := sdktest.Must(client.CreateApi(ctx, &apigatewayv2.CreateApiInput{Name: aws.String("settings"), ProtocolType: types.ProtocolTypeHttp}))(t)
	integration := sdktest.Must(client.CreateIntegration(ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("GET"),
		IntegrationUri: aws.String("http://${stageVariables.backend}/v1/{id}"), PayloadFormatVersion: aws.String("1.0"),
		RequestParameters: map[string]string{"overwrite:header.X-Stage": "$context.stage"},
	}))(t)
	if _, err := client.CreateRoute(ctx, &apigatewayv2.CreateRouteInput{
		ApiId: api.ApiId, RouteKey: aws.String("GET /items/{id}"), Target: aws.String("integrations/" + *integration.IntegrationId),
	}); err != nil {
		t.Fatalf("CreateRoute: %v", err)
	}
	if _, err := client.CreateStage(ctx, &apigatewayv2.CreateStageInput{
		ApiId: api.ApiId, StageName: aws.String("prod"), AutoDeploy: aws.Bool(true),
		StageVariables: map[string]string{"backend": strings.TrimPrefix(backend.URL, "http://")},
		RouteSettings: map[string]types.RouteSettings{
			"GET /items/{id}": {ThrottlingBurstLimit: aws.Int32(1), ThrottlingRateLimit: aws.Float64(0.001)},
		},
	}); err != nil {
		t.Fatalf("CreateStage: %v", err)
	}
	invoke := newExecuteAPIClient(t, baseURL)
	response, body := invoke.call(t, *api.ApiId, "GET", "/prod/items/7", nil)
	if response.StatusCode != http.StatusOK || body != "/v1/7 prod" {
		t.Fatalf("first call = %d %q, want 200 \"/v1/7 prod\"", response.StatusCode, body)
	}
	response, body = invoke.call(t, *api.ApiId, "GET", "/prod/items/7", nil)
	if response.StatusCode != http.StatusTooManyRequests || body != `{"message":"Too Many Requests"}` {
		t.Errorf("second call = %d %s, want 429 past the route's burst of 1", response.StatusCode, body)
	}
}
