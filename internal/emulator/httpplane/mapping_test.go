package httpplane

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

func TestRequestParameterMapping(t *testing.T) {
	backend, seen := newTestBackend(t)
	integration := proxyTo(backend.URL + "/people/{id}?keep=1")
	integration.RequestParameters = map[string]string{
		"overwrite:header.X-Caller":    "from-$request.header.X-Caller",
		"append:header.X-Stage":        "${context.stage}:${stageVariables.color}",
		"remove:header.X-Secret":       "''",
		"overwrite:header.X-Body-Name": "$request.body.user.name",
		"overwrite:querystring.q":      "$request.path.id",
		"append:querystring.keep":      "2",
		"remove:querystring.drop":      "''",
		"overwrite:path":               "/mapped/$request.path.id",
	}
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{
		Name: "prod", Variables: map[string]string{"color": "blue"},
		Routes: []Route{{RouteKey: "POST /users/{id}", Integration: integration}},
	}}}}
	response := serveDataPlane(t, source, "POST", "api", "/prod/users/42?drop=x", strings.NewReader(`{"user":{"name":"ann"}}`),
		map[string]string{"X-Caller": "test", "X-Secret": "s3cret"})
	if response.StatusCode != http.StatusTeapot {
		t.Fatalf("status = %d %s", response.StatusCode, response.Body)
	}
	got := <-seen
	if got.Path != "/mapped/42" {
		t.Errorf("backend path = %s, want /mapped/42", got.Path)
	}
	query, _ := url.ParseQuery(got.RawQuery)
	if want := (url.Values{"keep": {"1", "2"}, "q": {"42"}}); query.Encode() != want.Encode() {
		t.Errorf("backend query = %s, want %s", got.RawQuery, want.Encode())
	}
	for name, want := range map[string]string{"X-Caller": "from-test", "X-Stage": "prod:blue", "X-Secret": "", "X-Body-Name": "ann"} {
		if value := got.Header.Get(name); value != want {
			t.Errorf("backend header %s = %q, want %q", name, value, want)
		}
	}
	if got.Body != `{"user":{"name":"ann"}}` {
		t.Errorf("backend body = %q, want the caller's", got.Body)
	}
}

func TestResponseParameterMapping(t *testing.T) {
	backend, _ := newTestBackend(t)
	integration := proxyTo(backend.URL)
	integration.ResponseParameters = map[string]map[string]string{
		"418": {
			"overwrite:statuscode":        "200",
			"remove:header.X-Backend":     "''",
			"overwrite:header.X-Was":      "$response.header.X-Backend",
			"append:header.X-Request-Id":  "$context.requestId",
			"overwrite:header.X-Constant": "fixed",
		},
		"500": {"overwrite:statuscode": "299"},
	}
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{
		Name: "$default", Routes: []Route{{RouteKey: "GET /tea", Integration: integration}},
	}}}}
	response := serveDataPlane(t, source, "GET", "api", "/tea", nil, nil)
	if response.StatusCode != http.StatusOK || response.Body != "backend" {
		t.Fatalf("got %d %q, want the mapped 200 with the backend's body", response.StatusCode, response.Body)
	}
	for name, want := range map[string]string{
		"X-Backend": "", "X-Was": "yes", "X-Constant": "fixed", "X-Request-Id": response.Header.Get("apigw-requestid"),
	} {
		if value := response.Header.Get(name); value != want {
			t.Errorf("header %s = %q, want %q", name, value, want)
		}
	}
}

func TestStageVariablesInIntegrationURIs(t *testing.T) {
	backend, seen := newTestBackend(t)
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{
		Name: "$default", Variables: map[string]string{"backend": backend.URL, "version": "v2"},
		Routes: []Route{{RouteKey: "GET /items", Integration: proxyTo("${stageVariables.backend}/${stageVariables.version}/items")}},
	}}}}
	if response := serveDataPlane(t, source, "GET", "api", "/items", nil, nil); response.StatusCode != http.StatusTeapot {
		t.Fatalf("status = %d %s", response.StatusCode, response.Body)
	}
	if got := <-seen; got.Path != "/v2/items" {
		t.Errorf("backend path = %s, want /v2/items", got.Path)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestRouteThrottling(t *testing.T) {
	backend, _ := newTestBackend(t)
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{
		Name: "$default",
		// The stage's default allows a burst of 3; GET /limited lowers it
		// to 2. The refill rate is too slow to matter within the test.
		DefaultThrottling: Throttling{RateLimit: ptrTo(0.001), BurstLimit: ptrTo(int64(3))},
		RouteThrottling: map[string]Throttling{
			"GET /limited": {BurstLimit: ptrTo(int64(2))},
			"GET /closed":  {RateLimit: ptrTo(0.0), BurstLimit: ptrTo(int64(0))},
		},
		Routes: []Route{
			{RouteKey: "GET /limited", Integration: proxyTo(backend.URL)},
			{RouteKey: "GET /default", Integration: proxyTo(backend.URL)},
			{RouteKey: "GET /closed", Integration: proxyTo(backend.URL)},
		},
	}}}}
	plane := New(Config{Source: source})
	statuses := func(path string, n int) []int {
		var got []int
		for range n {
			got = append(got, servePlane(t, plane, "GET", "api", path, nil, nil).StatusCode)
		}
		return got
	}
	for path, want := range map[string][]int{
		"/limited": {418, 418, 429},
		"/default": {418, 418, 418, 429},
		"/closed":  {429},
	} {
		if got := statuses(path, len(want)); !slices.Equal(got, want) {
			t.Errorf("%s statuses = %v, want %v", path, got, want)
		}
	}
	assertGatewayError(t, servePlane(t, plane, "GET", "api", "/limited", nil, nil), 429, `{"message":"Too Many Requests"}`)
}

func TestCustomDomainChoosesTheStage(t *testing.T) {
	backend, seen := newTestBackend(t)
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", DisableExecuteAPIEndpoint: true, Stages: []Stage{
		{Name: "$default", Routes: []Route{{RouteKey: "GET /users", Integration: proxyTo(backend.URL + "/default")}}},
		{Name: "prod", Routes: []Route{{RouteKey: "GET /users", Integration: proxyTo(backend.URL + "/prod")}}},
	}}}
	plane := New(Config{Source: source})
	// api.example.com/v1/users maps base path v1 to stage prod: the path the
	// API sees is /users, which does not name the stage.
	r := httptest.NewRequest(http.MethodGet, "http://api.example.com/v1/users", nil)
	req := &execute.Request{APIID: "api", Path: "/users", Stage: "prod", CustomDomain: "api.example.com"}
	response := serveRequest(t, plane, r, req)
	if response.StatusCode != http.StatusTeapot {
		t.Fatalf("domain request = %d %s, want the backend's 418 (a disabled default endpoint still serves domains)", response.StatusCode, response.Body)
	}
	if got := <-seen; got.Path != "/prod" {
		t.Errorf("backend path = %s, want the prod stage's /prod", got.Path)
	}
	if req.MatchedStage != "prod" || req.MatchedRoute != "GET /users" || req.RequestID != response.Header.Get("apigw-requestid") {
		t.Errorf("served = %q %q %q, want prod, GET /users and the apigw-requestid", req.MatchedStage, req.MatchedRoute, req.RequestID)
	}
	// The same path on the execute-api endpoint is refused.
	assertGatewayError(t, servePlane(t, plane, "GET", "api", "/prod/users", nil, nil), 403, `{"message":"Forbidden"}`)
}

func TestPayloadOverTheQuotaIsRefused(t *testing.T) {
	backend, _ := newTestBackend(t)
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{
		Name: "$default", Routes: []Route{{RouteKey: "$default", Integration: proxyTo(backend.URL)}},
	}}}}
	body := strings.NewReader(strings.Repeat("x", maxPayloadBytes+1))
	assertGatewayError(t, serveDataPlane(t, source, "POST", "api", "/upload", body, nil), 413, `{"message":"Request Entity Too Large"}`)
}
