package dataplane_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2/types"

	"github.com/runner-codes/infra-operator/internal/emulator"
	"github.com/runner-codes/infra-operator/internal/emulator/core"
	"github.com/runner-codes/infra-operator/internal/emulator/internal/sdktest"
)

const certificate = "arn:aws:acm:us-east-1:000000000000:certificate/test"

// lockedBuffer is an access log the test reads while the server writes.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSuffix(b.buf.String(), "\n"), "\n")
}

// echoBackend answers "{name} {path}", telling which API's integration a
// request reached and with which path.
func echoBackend(t *testing.T, name string) string {
	t.Helper()
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, name+" "+r.URL.Path)
	}))
	t.Cleanup(backend.Close)
	return backend.URL
}

// createHTTPAPI creates an HTTP API with the route GET /items/{id} to an
// HTTP_PROXY integration of backend, on an autoDeploy stage.
func createHTTPAPI(t *testing.T, client *apigatewayv2.Client, name, backend, stage string, disableExecuteAPI bool) string {
	t.Helper()
	api := sdktest.Must(client.CreateApi(sdktest.Ctx, &apigatewayv2.CreateApiInput{
		Name: aws.String(name), ProtocolType: types.ProtocolTypeHttp, DisableExecuteApiEndpoint: aws.Bool(disableExecuteAPI),
	}))(t)
	integration := sdktest.Must(client.CreateIntegration(sdktest.Ctx, &apigatewayv2.CreateIntegrationInput{
		ApiId: api.ApiId, IntegrationType: types.IntegrationTypeHttpProxy, IntegrationMethod: aws.String("GET"),
		IntegrationUri: aws.String(backend + "/items/{id}"), PayloadFormatVersion: aws.String("1.0"),
	}))(t)
	sdktest.Must(client.CreateRoute(sdktest.Ctx, &apigatewayv2.CreateRouteInput{
		ApiId: api.ApiId, RouteKey: aws.String("GET /items/{id}"), Target: aws.String("integrations/" + *integration.IntegrationId),
	}))(t)
	sdktest.Must(client.CreateStage(sdktest.Ctx, &apigatewayv2.CreateStageInput{ApiId: api.ApiId, StageName: aws.String(stage), AutoDeploy: aws.Bool(true)}))(t)
	return *api.ApiId
}

// curl runs the real curl against the emulator with a Host header, and
// returns the status and the body.
func curl(t *testing.T, baseURL, host, path string) (int, string) {
	t.Helper()
	out, err := exec.Command("curl", "-sS", "-H", "Host: "+host, "-w", "\n%{http_code}", baseURL+path).Output()
	if err != nil {
		t.Fatalf("curl %s%s: %v", host, path, err)
	}
	body, code, _ := strings.Cut(string(out), "\n")
	var status int
	if err := json.Unmarshal([]byte(code), &status); err != nil {
		t.Fatalf("curl status %q", code)
	}
	return status, body
}

func TestCustomDomainRoutesThroughAPIMappings(t *testing.T) {
	accessLog := &lockedBuffer{}
	e := sdktest.Start(t, emulator.Options{AccessLog: accessLog})
	v2 := e.V2(sdktest.ClientOptions{})
	ordersAPI := createHTTPAPI(t, v2, "orders", echoBackend(t, "orders"), "prod", true)
	usersAPI := createHTTPAPI(t, v2, "users", echoBackend(t, "users"), "live", false)
	sdktest.Must(v2.CreateDomainName(sdktest.Ctx, &apigatewayv2.CreateDomainNameInput{
		DomainName:               aws.String("api.example.test"),
		DomainNameConfigurations: []types.DomainNameConfiguration{{CertificateArn: aws.String(certificate), EndpointType: types.EndpointTypeRegional}},
	}))(t)
	for key, target := range map[string]struct{ api, stage string }{"orders": {ordersAPI, "prod"}, "users": {usersAPI, "live"}} {
		sdktest.Must(v2.CreateApiMapping(sdktest.Ctx, &apigatewayv2.CreateApiMappingInput{
			DomainName: aws.String("api.example.test"), ApiId: aws.String(target.api), Stage: aws.String(target.stage), ApiMappingKey: aws.String(key),
		}))(t)
	}

	port := strings.TrimPrefix(e.BaseURL, "http://127.0.0.1")
	requests := []struct {
		host, path string
		wantStatus int
		wantBody   string
	}{
		{"api.example.test", "/orders/items/42", http.StatusOK, "orders /items/42"},
		{"API.example.test" + port, "/users/items/7", http.StatusOK, "users /items/7"},
		{"api.example.test", "/users/items/8", http.StatusOK, "users /items/8"},
		// The stage is the mapping's: the path after the base path is the
		// route's, and a path naming the stage again matches no route.
		{"api.example.test", "/orders/prod/items/42", http.StatusNotFound, `{"message":"Not Found"}`},
		{"api.example.test", "/billing/items/1", http.StatusForbidden, `{"message":"Forbidden"}`},
		// disableExecuteApiEndpoint shuts the default endpoint only.
		{ordersAPI + ".execute-api.localhost" + port, "/prod/items/42", http.StatusForbidden, `{"message":"Forbidden"}`},
		{usersAPI + ".execute-api.localhost" + port, "/live/items/9", http.StatusOK, "users /items/9"},
	}
	for _, r := range requests {
		status, body := curl(t, e.BaseURL, r.host, r.path)
		if status != r.wantStatus || body != r.wantBody {
			t.Errorf("curl -H 'Host: %s' %s = %d %q; want %d %q", r.host, r.path, status, body, r.wantStatus, r.wantBody)
		}
	}

	// The front door counts and logs before net/http sends these small
	// buffered answers, so curl has returned after both.
	stats := e.Server.Stats().DataPlane
	orders, users := stats.APIs[ordersAPI], stats.APIs[usersAPI]
	if orders == nil || users == nil {
		t.Fatalf("stats by API %+v", stats.APIs)
	}
	wantCounts(t, "all", stats.Counts, 7, map[int]int64{200: 4, 403: 2, 404: 1})
	wantCounts(t, "orders API", orders.Counts, 3, map[int]int64{200: 1, 403: 1, 404: 1})
	wantCounts(t, "orders prod", orders.Stages["prod"].Counts, 2, map[int]int64{200: 1, 404: 1})
	wantCounts(t, "orders prod route", *orders.Stages["prod"].Routes["GET /items/{id}"], 1, map[int]int64{200: 1})
	wantCounts(t, "users live route", *users.Stages["live"].Routes["GET /items/{id}"], 3, map[int]int64{200: 3})
	wantCounts(t, "custom domain", *stats.CustomDomains["api.example.test"], 5, map[int]int64{200: 3, 403: 1, 404: 1})

	lines := accessLog.lines()
	if len(lines) != len(requests) {
		t.Fatalf("access log has %d lines for %d requests:\n%s", len(lines), len(requests), strings.Join(lines, "\n"))
	}
	want := " method=GET path=/orders/items/42 status=200 bytes=16 "
	tail := " api_id=" + ordersAPI + ` stage=prod route="GET /items/{id}" custom_domain=api.example.test`
	if !strings.Contains(lines[0], want) || !strings.HasSuffix(lines[0], tail) || !strings.Contains(lines[0], " client_ip=127.0.0.1 host=api.example.test ") {
		t.Errorf("access log line %q, want it to hold %q and end in %q", lines[0], want, tail)
	}

	if wire := statsOnTheWire(t, e.BaseURL); wire.DataPlane.APIs[usersAPI].Stages["live"].Routes["GET /items/{id}"].Statuses[200] != 3 || wire.Calls["CreateApi"] != 2 {
		t.Errorf("GET /_emulator/stats = %+v", wire)
	}
	resetStats(t, e.BaseURL)
	if after := e.Server.Stats().DataPlane; after.Requests != 0 || len(after.APIs) != 0 || len(after.CustomDomains) != 0 {
		t.Errorf("after reset-stats: %+v", after)
	}
}

func TestBasePathMappingOfARESTAPIReachesTheFrontDoor(t *testing.T) {
	e := sdktest.Start(t, emulator.Options{})
	rest := e.REST(sdktest.ClientOptions{})
	api := sdktest.Must(rest.CreateRestApi(sdktest.Ctx, &apigateway.CreateRestApiInput{Name: aws.String("shop")}))(t)
	sdktest.Must(rest.CreateDomainName(sdktest.Ctx, &apigateway.CreateDomainNameInput{DomainName: aws.String("shop.example.test"), CertificateArn: aws.String(certificate)}))(t)
	// No stage: callers name it after the base path.
	sdktest.Must(rest.CreateBasePathMapping(sdktest.Ctx, &apigateway.CreateBasePathMappingInput{
		DomainName: aws.String("shop.example.test"), BasePath: aws.String("pets"), RestApiId: api.Id,
	}))(t)
	curl(t, e.BaseURL, "shop.example.test", "/pets/prod/dogs")
	status, body := curl(t, e.BaseURL, "shop.example.test", "/cats")
	if status != http.StatusForbidden || body != `{"message":"Forbidden"}` {
		t.Errorf("unmapped base path = %d %q", status, body)
	}
	// Which API the request was handed to, whatever a REST plane answers.
	stats := e.Server.Stats().DataPlane
	if n := stats.APIs[*api.Id]; n == nil || n.Requests != 1 || stats.CustomDomains["shop.example.test"].Requests != 2 {
		t.Errorf("stats %+v, want one request for REST API %s and two through the domain", stats, *api.Id)
	}
}

func wantCounts(t *testing.T, what string, got core.Counts, requests int64, statuses map[int]int64) {
	t.Helper()
	if got.Requests != requests || len(got.Statuses) != len(statuses) {
		t.Errorf("%s: counted %+v, want %d requests %v", what, got, requests, statuses)
		return
	}
	for status, n := range statuses {
		if got.Statuses[status] != n {
			t.Errorf("%s: counted %+v, want %d requests %v", what, got, requests, statuses)
		}
	}
}

// statsOnTheWire reads GET /_emulator/stats.
func statsOnTheWire(t *testing.T, baseURL string) core.Stats {
	t.Helper()
	response, err := http.Get(baseURL + "/_emulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	defer response.Body.Close()
	var stats core.Stats
	if err := json.NewDecoder(response.Body).Decode(&stats); err != nil {
		t.Fatal(err)
	}
	return stats
}

// resetStats zeroes the counters through the admin endpoint.
func resetStats(t *testing.T, baseURL string) {
	t.Helper()
	response, err := http.Post(baseURL+"/_emulator/reset-stats", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	response.Body.Close()
	if response.StatusCode != http.StatusNoContent {
		t.Fatalf("reset-stats answered %d", response.StatusCode)
	}
}
