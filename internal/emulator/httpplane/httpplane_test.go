package httpplane

import (
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// fakeSource serves fixed APIs by id.
type fakeSource map[string]API

func (f fakeSource) DeployedAPI(apiID string) (API, bool) {
	api, ok := f[apiID]
	return api, ok
}

func routesOf(keys ...string) []Route {
	routes := make([]Route, len(keys))
	for i, key := range keys {
		routes[i] = Route{RouteKey: key}
	}
	return routes
}

func TestMatchRoutePrefersTheMostSpecificRoute(t *testing.T) {
	routes := routesOf(
		"$default",
		"ANY /{proxy+}",
		"GET /pets/{proxy+}",
		"GET /pets/dog/{id}",
		"GET /pets/dog/1",
		"ANY /pets/cat/1",
		"GET /",
		"POST /owners/{ownerId}/pets/{petId}",
	)
	tests := []struct {
		method, path string
		wantKey      string
		wantParams   map[string]string
	}{
		{"GET", "/pets/dog/1", "GET /pets/dog/1", map[string]string{}},
		{"GET", "/pets/dog/2", "GET /pets/dog/{id}", map[string]string{"id": "2"}},
		{"GET", "/pets/cat/2", "GET /pets/{proxy+}", map[string]string{"proxy": "cat/2"}},
		{"GET", "/pets/dog/1/toys", "GET /pets/{proxy+}", map[string]string{"proxy": "dog/1/toys"}},
		{"POST", "/pets/dog/1", "ANY /{proxy+}", map[string]string{"proxy": "pets/dog/1"}},
		// ANY on a literal path beats a greedy variable with an exact method.
		{"GET", "/pets/cat/1", "ANY /pets/cat/1", map[string]string{}},
		{"GET", "/", "GET /", map[string]string{}},
		{"POST", "/owners/7/pets/a%20b", "POST /owners/{ownerId}/pets/{petId}", map[string]string{"ownerId": "7", "petId": "a b"}},
		// Greedy variables need at least one segment, so the root falls through.
		{"DELETE", "/", "$default", nil},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			match, ok := matchRoute(routes, tt.method, tt.path)
			if !ok {
				t.Fatalf("no route matched")
			}
			if match.route.RouteKey != tt.wantKey {
				t.Errorf("route = %q, want %q", match.route.RouteKey, tt.wantKey)
			}
			if tt.wantParams != nil && !reflect.DeepEqual(match.params, tt.wantParams) {
				t.Errorf("params = %v, want %v", match.params, tt.wantParams)
			}
			if match.isDefault != (tt.wantKey == "$default") {
				t.Errorf("isDefault = %v", match.isDefault)
			}
		})
	}
}

func TestMatchRouteExactMethodBeatsAnyOnTheSamePath(t *testing.T) {
	for _, order := range [][]string{{"ANY /users", "GET /users"}, {"GET /users", "ANY /users"}} {
		match, ok := matchRoute(routesOf(order...), "GET", "/users")
		if !ok || match.route.RouteKey != "GET /users" {
			t.Errorf("routes %v: matched %q, %v; want GET /users", order, match.route.RouteKey, ok)
		}
	}
}

func TestMatchRouteWithoutMatchOrDefault(t *testing.T) {
	routes := routesOf("GET /users", "GET /users/{id}")
	for _, request := range [][2]string{{"POST", "/users"}, {"GET", "/users/1/x"}, {"GET", "/"}, {"GET", "/users/"}} {
		if match, ok := matchRoute(routes, request[0], request[1]); ok {
			t.Errorf("%s %s matched %q, want no match", request[0], request[1], match.route.RouteKey)
		}
	}
}

func TestSelectStage(t *testing.T) {
	stages := []Stage{{Name: "$default"}, {Name: "prod"}}
	tests := []struct {
		path, wantStage, wantPath string
	}{
		{"/prod/users", "prod", "/users"},
		{"/prod", "prod", "/"},
		{"/users", "$default", "/users"},
		{"/", "$default", "/"},
		{"/production/x", "$default", "/production/x"},
	}
	for _, tt := range tests {
		stage, path, ok := selectStage(stages, tt.path)
		if !ok || stage.Name != tt.wantStage || path != tt.wantPath {
			t.Errorf("selectStage(%q) = %q, %q, %v; want %q, %q", tt.path, stage.Name, path, ok, tt.wantStage, tt.wantPath)
		}
	}
	if stage, _, ok := selectStage([]Stage{{Name: "prod"}}, "/dev/users"); ok {
		t.Errorf("without a $default stage, /dev/users selected %q", stage.Name)
	}
}

func TestAllowedOrigin(t *testing.T) {
	tests := []struct {
		name       string
		configured []string
		origin     string
		want       string
		wantOK     bool
	}{
		{"listed origin echoed", []string{"https://a.example", "https://b.example"}, "https://b.example", "https://b.example", true},
		{"case-insensitive", []string{"https://A.example"}, "https://a.example", "https://a.example", true},
		{"unlisted origin", []string{"https://a.example"}, "https://evil.example", "", false},
		{"star", []string{"https://a.example", "*"}, "https://x.example", "*", true},
		{"https prefix form", []string{"https://*"}, "https://x.example", "https://x.example", true},
		{"https prefix form refuses http", []string{"https://*"}, "http://x.example", "", false},
		{"http prefix form", []string{"http://*"}, "http://localhost:3000", "http://localhost:3000", true},
		{"no origin", []string{"*"}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cors := &CORS{AllowOrigins: tt.configured}
			got, ok := cors.allowedOrigin(tt.origin)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("allowedOrigin(%q) = %q, %v; want %q, %v", tt.origin, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

// recordedRequest is what the test backend saw.
type recordedRequest struct {
	Method, Path, RawQuery, Body string
	Header                       http.Header
}

// newTestBackend records each request and answers 200 "backend" with its
// own Access-Control-* headers, which the gateway must drop when CORS is
// configured.
func newTestBackend(t *testing.T) (*httptest.Server, <-chan recordedRequest) {
	t.Helper()
	seen := make(chan recordedRequest, 10)
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		seen <- recordedRequest{Method: r.Method, Path: r.URL.EscapedPath(), RawQuery: r.URL.RawQuery, Body: string(body), Header: r.Header.Clone()}
		if r.URL.Path == "/slow" {
			time.Sleep(300 * time.Millisecond)
		}
		w.Header().Set("Access-Control-Allow-Origin", "https://backend.example")
		w.Header().Set("Access-Control-Max-Age", "1")
		w.Header().Set("X-Backend", "yes")
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, "backend")
	}))
	t.Cleanup(backend.Close)
	return backend, seen
}

func proxyTo(uri string) *Integration {
	return &Integration{Type: "HTTP_PROXY", URI: uri, Method: "ANY", PayloadFormatVersion: "1.0"}
}

// served is the data plane's answer to one request, its body read whole.
type served struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// serveDataPlane sends one request to the data plane for API apiID.
func serveDataPlane(t *testing.T, source Source, method, apiID, target string, body io.Reader, headers map[string]string) served {
	t.Helper()
	return servePlane(t, New(Config{Source: source}), method, apiID, target, body, headers)
}

// servePlane sends one request to plane for API apiID on the execute-api
// endpoint.
func servePlane(t *testing.T, plane execute.Plane, method, apiID, target string, body io.Reader, headers map[string]string) served {
	t.Helper()
	r := httptest.NewRequest(method, "http://placeholder"+target, body)
	r.Host = apiID + ".execute-api.localhost:4566"
	for key, value := range headers {
		r.Header.Set(key, value)
	}
	return serveRequest(t, plane, r, &execute.Request{APIID: apiID, Path: r.URL.EscapedPath()})
}

// serveRequest has plane answer r, as the front door resolved it in req.
func serveRequest(t *testing.T, plane execute.Plane, r *http.Request, req *execute.Request) served {
	t.Helper()
	w := httptest.NewRecorder()
	if !plane.Serve(w, r, req) {
		t.Fatalf("the plane does not serve API %s", req.APIID)
	}
	response := w.Result()
	defer response.Body.Close()
	read, err := io.ReadAll(response.Body)
	if err != nil {
		t.Fatal(err)
	}
	return served{StatusCode: response.StatusCode, Header: response.Header, Body: string(read)}
}

func assertGatewayError(t *testing.T, response served, wantStatus int, wantBody string) {
	t.Helper()
	if response.StatusCode != wantStatus || response.Body != wantBody {
		t.Errorf("got %d %s, want %d %s", response.StatusCode, response.Body, wantStatus, wantBody)
	}
	if response.Header.Get("x-amzn-RequestId") == "" || response.Header.Get("apigw-requestid") == "" {
		t.Errorf("request id headers missing: %v", response.Header)
	}
}

func TestDataPlaneGatewayErrors(t *testing.T) {
	backend, _ := newTestBackend(t)
	source := fakeSource{
		"httpapi": {ID: "httpapi", ProtocolType: "HTTP", Stages: []Stage{{Name: "prod", Routes: []Route{
			{RouteKey: "GET /users", Integration: proxyTo(backend.URL + "/users")},
			{RouteKey: "GET /orphan"},
		}}}},
		"disabled": {ID: "disabled", ProtocolType: "HTTP", DisableExecuteAPIEndpoint: true,
			Stages: []Stage{{Name: "$default", Routes: []Route{{RouteKey: "$default", Integration: proxyTo(backend.URL)}}}}},
		"lambda": {ID: "lambda", ProtocolType: "HTTP", Stages: []Stage{{Name: "$default", Routes: []Route{
			{RouteKey: "$default", Integration: &Integration{Type: "AWS_PROXY", URI: "arn:aws:lambda:us-east-1:000000000000:function:f"}},
		}}}},
		"mock": {ID: "mock", ProtocolType: "HTTP", Stages: []Stage{{Name: "$default", Routes: []Route{
			{RouteKey: "$default", Integration: &Integration{Type: "MOCK"}},
		}}}},
	}
	tests := []struct {
		name, apiID, target string
		wantStatus          int
		wantBody            string
	}{
		{"default endpoint disabled", "disabled", "/users", 403, `{"message":"Forbidden"}`},
		{"unknown stage and no $default", "httpapi", "/dev/users", 404, `{"message":"Not Found"}`},
		{"no route", "httpapi", "/prod/orders", 404, `{"message":"Not Found"}`},
		{"route without integration", "httpapi", "/prod/orphan", 404, `{"message":"Not Found"}`},
		{"Lambda integration without a Lambda service", "lambda", "/x", 500, `{"message":"Internal Server Error"}`},
		{"integration type not served", "mock", "/x", 501, `{"message":"The emulator's data plane serves HTTP_PROXY and AWS_PROXY integrations only, not MOCK"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assertGatewayError(t, serveDataPlane(t, source, "GET", tt.apiID, tt.target, nil, nil), tt.wantStatus, tt.wantBody)
		})
	}
}

func TestDataPlaneForwardsHTTPProxyRequests(t *testing.T) {
	backend, seen := newTestBackend(t)
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{
		{Name: "$default", Routes: []Route{
			{RouteKey: "POST /users/{id}", Integration: proxyTo(backend.URL + "/people/{id}?from=gw")},
			{RouteKey: "ANY /files/{proxy+}", Integration: proxyTo(backend.URL + "/store/{proxy}")},
			{RouteKey: "$default", Integration: proxyTo(backend.URL + "/base")},
		}},
		{Name: "prod", Routes: []Route{
			{RouteKey: "GET /only-get", Integration: &Integration{Type: "HTTP_PROXY", URI: backend.URL + "/fixed", Method: "PUT"}},
		}},
	}}}
	tests := []struct {
		name, method, target, body string
		want                       recordedRequest
	}{
		{"path parameter and both queries", "POST", "/users/a%20b?x=1&y=2", "payload",
			recordedRequest{Method: "POST", Path: "/people/a%20b", RawQuery: "from=gw&x=1&y=2", Body: "payload"}},
		{"greedy proxy keeps slashes", "DELETE", "/files/a/b/c.txt", "",
			recordedRequest{Method: "DELETE", Path: "/store/a/b/c.txt"}},
		{"$default route appends the whole path", "PATCH", "/any/where?q=1", "",
			recordedRequest{Method: "PATCH", Path: "/base/any/where", RawQuery: "q=1"}},
		{"named stage, integration method", "GET", "/prod/only-get", "",
			recordedRequest{Method: "PUT", Path: "/fixed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			response := serveDataPlane(t, source, tt.method, "api", tt.target, strings.NewReader(tt.body), map[string]string{"X-Caller": "test"})
			if response.StatusCode != http.StatusTeapot || response.Body != "backend" {
				t.Fatalf("got %d %q, want the backend's 418 \"backend\"", response.StatusCode, response.Body)
			}
			if response.Header.Get("X-Backend") != "yes" {
				t.Errorf("backend header not relayed: %v", response.Header)
			}
			// Without a CORS configuration the backend's CORS headers pass.
			if response.Header.Get("Access-Control-Allow-Origin") != "https://backend.example" {
				t.Errorf("backend CORS header dropped without a CORS configuration: %v", response.Header)
			}
			got := <-seen
			if got.Method != tt.want.Method || got.Path != tt.want.Path || got.RawQuery != tt.want.RawQuery || got.Body != tt.want.Body {
				t.Errorf("backend saw %s %s ?%s %q, want %s %s ?%s %q", got.Method, got.Path, got.RawQuery, got.Body,
					tt.want.Method, tt.want.Path, tt.want.RawQuery, tt.want.Body)
			}
			if got.Header.Get("X-Caller") != "test" {
				t.Errorf("caller header not forwarded: %v", got.Header)
			}
		})
	}
}

func TestDataPlaneIntegrationFailures(t *testing.T) {
	backend, _ := newTestBackend(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP", Stages: []Stage{{Name: "$default", Routes: []Route{
		{RouteKey: "GET /down", Integration: proxyTo(closed.URL)},
		{RouteKey: "GET /slow", Integration: &Integration{Type: "HTTP_PROXY", URI: backend.URL + "/slow", TimeoutMillis: 50}},
	}}}}}
	assertGatewayError(t, serveDataPlane(t, source, "GET", "api", "/down", nil, nil), 500, `{"message":"Internal Server Error"}`)
	assertGatewayError(t, serveDataPlane(t, source, "GET", "api", "/slow", nil, nil), 503, `{"message":"Service Unavailable"}`)
}

func corsAPI(backendURL string) fakeSource {
	maxAge := int32(300)
	return fakeSource{"api": {ID: "api", ProtocolType: "HTTP",
		CORS: &CORS{
			AllowOrigins:  []string{"https://a.example", "https://b.example"},
			AllowMethods:  []string{"GET", "POST"},
			AllowHeaders:  []string{"authorization", "content-type"},
			ExposeHeaders: []string{"x-request-id"},
			MaxAge:        &maxAge, AllowCredentials: true,
		},
		Stages: []Stage{{Name: "$default", Routes: []Route{
			{RouteKey: "GET /users", Integration: proxyTo(backendURL + "/users")},
			{RouteKey: "OPTIONS /routed", Integration: proxyTo(backendURL + "/routed")},
		}}},
	}}
}

// accessControlHeaders returns the Access-Control-* and Vary headers.
func accessControlHeaders(h http.Header) map[string]string {
	got := map[string]string{}
	for key := range h {
		if strings.HasPrefix(key, "Access-Control-") || key == "Vary" {
			got[key] = strings.Join(h.Values(key), "|")
		}
	}
	return got
}

func TestDataPlaneCORS(t *testing.T) {
	backend, _ := newTestBackend(t)
	source := corsAPI(backend.URL)
	preflight := func(origin, method string) map[string]string {
		return map[string]string{"Origin": origin, "Access-Control-Request-Method": method}
	}
	tests := []struct {
		name, method, target string
		headers              map[string]string
		wantStatus           int
		wantHeaders          map[string]string
	}{
		{"preflight from an allowed origin", "OPTIONS", "/users", preflight("https://b.example", "POST"), 204, map[string]string{
			"Access-Control-Allow-Origin":      "https://b.example",
			"Access-Control-Allow-Methods":     "GET,POST",
			"Access-Control-Allow-Headers":     "authorization,content-type",
			"Access-Control-Max-Age":           "300",
			"Access-Control-Allow-Credentials": "true",
			"Vary":                             "Origin",
		}},
		{"preflight from another origin", "OPTIONS", "/users", preflight("https://evil.example", "GET"), 204, map[string]string{}},
		{"preflight for a method not allowed", "OPTIONS", "/users", preflight("https://a.example", "DELETE"), 204, map[string]string{}},
		{"OPTIONS without Access-Control-Request-Method", "OPTIONS", "/users", map[string]string{"Origin": "https://a.example"}, 404, map[string]string{
			"Access-Control-Allow-Origin": "https://a.example", "Access-Control-Expose-Headers": "x-request-id",
			"Access-Control-Allow-Credentials": "true", "Vary": "Origin",
		}},
		// The backend's 418 and its own CORS headers never show: the gateway
		// answers a preflight on a route without an authorizer itself.
		{"preflight matching a route is answered by the gateway", "OPTIONS", "/routed", preflight("https://a.example", "GET"), 204, map[string]string{
			"Access-Control-Allow-Origin":      "https://a.example",
			"Access-Control-Allow-Methods":     "GET,POST",
			"Access-Control-Allow-Headers":     "authorization,content-type",
			"Access-Control-Max-Age":           "300",
			"Access-Control-Allow-Credentials": "true",
			"Vary":                             "Origin",
		}},
		{"routed preflight from another origin", "OPTIONS", "/routed", preflight("https://evil.example", "GET"), 204, map[string]string{}},
		{"actual request replaces the backend's CORS headers", "GET", "/users", map[string]string{"Origin": "https://a.example"}, 418, map[string]string{
			"Access-Control-Allow-Origin": "https://a.example", "Access-Control-Expose-Headers": "x-request-id",
			"Access-Control-Allow-Credentials": "true", "Vary": "Origin",
		}},
		{"actual request from another origin drops the backend's", "GET", "/users", map[string]string{"Origin": "https://evil.example"}, 418, map[string]string{}},
		{"actual request without an origin", "GET", "/users", nil, 418, map[string]string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			response := serveDataPlane(t, source, tt.method, "api", tt.target, nil, tt.headers)
			body := response.Body
			if response.StatusCode != tt.wantStatus {
				t.Fatalf("status = %d %s, want %d", response.StatusCode, body, tt.wantStatus)
			}
			if tt.wantStatus == http.StatusNoContent && body != "" {
				t.Errorf("preflight body = %q, want empty", body)
			}
			if got := accessControlHeaders(response.Header); !reflect.DeepEqual(got, tt.wantHeaders) {
				t.Errorf("CORS headers = %v\nwant %v", got, tt.wantHeaders)
			}
		})
	}
}

func TestDataPlaneCORSWildcardOrigin(t *testing.T) {
	source := fakeSource{"api": {ID: "api", ProtocolType: "HTTP",
		CORS:   &CORS{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}},
		Stages: []Stage{{Name: "$default"}},
	}}
	response := serveDataPlane(t, source, "OPTIONS", "api", "/anything", nil,
		map[string]string{"Origin": "https://x.example", "Access-Control-Request-Method": "PUT"})
	want := map[string]string{"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "*"}
	if got := accessControlHeaders(response.Header); response.StatusCode != http.StatusNoContent || !reflect.DeepEqual(got, want) {
		t.Errorf("got %d %v, want 204 %v", response.StatusCode, got, want)
	}
}
