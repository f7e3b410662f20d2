package dataplane

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/runner-codes/infra-operator/internal/emulator/execute"
)

// domainTable is a Domains of fixed names.
type domainTable map[string][]Mapping

func (d domainTable) DomainMappings(name string) ([]Mapping, bool) {
	m, ok := d[name]
	return m, ok
}

func TestSelectMappingTakesTheLongestWholeSegmentKey(t *testing.T) {
	// The mappings of AWS's own example (http-api-mappings.html).
	mappings := []Mapping{
		{Key: "", APIID: "api1"},
		{Key: "orders", APIID: "api2"},
		{Key: "orders/v1/items", APIID: "api3"},
		{Key: "orders/v2/items", APIID: "api4"},
		{Key: "orders/v2/items/categories", APIID: "api5"},
	}
	tests := []struct{ path, wantAPI, wantRest string }{
		{"/orders", "api2", "/"},
		{"/orders/", "api2", "/"},
		{"/orders/v1/items", "api3", "/"},
		{"/orders/v2/items", "api4", "/"},
		{"/orders/v1/items/123", "api3", "/123"},
		{"/orders/v2/items/categories/5", "api5", "/5"},
		{"/orders/v3/items", "api2", "/v3/items"},
		{"/customers", "api1", "/customers"},
		{"/", "api1", "/"},
		// Keys match whole segments, as written: not a prefix of a segment,
		// not in another case; an escaped segment is compared unescaped,
		// and the rest keeps its escaping and trailing slash.
		{"/ordersX/1", "api1", "/ordersX/1"},
		{"/Orders/1", "api1", "/Orders/1"},
		{"/%6Frders/a%2Fb/", "api2", "/a%2Fb/"},
	}
	for _, tt := range tests {
		m, rest, ok := selectMapping(mappings, tt.path)
		if !ok || m.APIID != tt.wantAPI || rest != tt.wantRest {
			t.Errorf("selectMapping(%q) = %s, %q, %v; want %s, %q", tt.path, m.APIID, rest, ok, tt.wantAPI, tt.wantRest)
		}
	}
}

func TestSelectMappingWithoutRootMatchesNothingElse(t *testing.T) {
	mappings := []Mapping{{Key: "v1/orders", APIID: "orders"}, {Key: "users", APIID: "users"}}
	for _, path := range []string{"/", "/v1", "/v1/ordersX", "/v2/orders", "/user"} {
		if m, rest, ok := selectMapping(mappings, path); ok {
			t.Errorf("selectMapping(%q) = %s, %q; want no match", path, m.APIID, rest)
		}
	}
	if m, rest, ok := selectMapping(mappings, "/v1/orders/42"); !ok || m.APIID != "orders" || rest != "/42" {
		t.Errorf("selectMapping(/v1/orders/42) = %s, %q, %v", m.APIID, rest, ok)
	}
}

func TestResolveCustomDomains(t *testing.T) {
	front := New(Config{
		Domains: domainTable{
			"api.example.test": {{Key: "orders", APIID: "ordersapi", Stage: "prod"}, {Key: "", APIID: "rootapi", Stage: "$default"}},
			"*.tenants.test":   {{Key: "", APIID: "tenantapi", Stage: "live"}},
			"a.tenants.test":   {{Key: "", APIID: "aapi", Stage: "beta"}},
			"unmapped.test":    nil,
			// Names the control plane is reached on never route, whatever
			// the store holds.
			"localhost":      {{APIID: "hijacked"}},
			"emulator.local": {{APIID: "hijacked"}},
		},
		OwnHosts: []string{"localhost", "Emulator.Local"},
	})
	tests := []struct {
		host, target                 string
		wantOK                       bool
		wantAPI, wantStage, wantPath string
		wantDomain                   string
	}{
		{"api.example.test", "/orders/42", true, "ordersapi", "prod", "/42", "api.example.test"},
		{"API.Example.TEST:4566", "/orders", true, "ordersapi", "prod", "/", "api.example.test"},
		{"api.example.test.", "/other/path", true, "rootapi", "$default", "/other/path", "api.example.test"},
		{"b.tenants.test", "/x", true, "tenantapi", "live", "/x", "b.tenants.test"},
		{"a.tenants.test", "/x", true, "aapi", "beta", "/x", "a.tenants.test"},
		{"deep.b.tenants.test", "/x", false, "", "", "", ""},
		{"tenants.test", "/x", false, "", "", "", ""},
		{"unmapped.test", "/x", true, "", "", "", "unmapped.test"},
		{"unknown.example.test", "/orders", false, "", "", "", ""},
		{"localhost:4566", "/v2/apis", false, "", "", "", ""},
		{"emulator.local", "/v2/apis", false, "", "", "", ""},
		{"127.0.0.1:4566", "/restapis", false, "", "", "", ""},
		{"[::1]:4566", "/restapis", false, "", "", "", ""},
	}
	for _, tt := range tests {
		req, ok := front.resolve(newRequest(tt.host, tt.target))
		if ok != tt.wantOK || req.APIID != tt.wantAPI || req.Stage != tt.wantStage || req.Path != tt.wantPath || req.CustomDomain != tt.wantDomain {
			t.Errorf("resolve(%s %s) = %+v, %v; want %s %s %q via %q, %v", tt.host, tt.target, *req, ok,
				tt.wantAPI, tt.wantStage, tt.wantPath, tt.wantDomain, tt.wantOK)
		}
	}
}

// recordingPlane serves every request, keeping what the front door handed it.
type recordingPlane struct{ got []execute.Request }

func (p *recordingPlane) Serve(w http.ResponseWriter, _ *http.Request, req *execute.Request) bool {
	p.got = append(p.got, *req)
	w.WriteHeader(http.StatusTeapot)
	return true
}

func TestFrontDoorHandsThePlaneTheMappedRequest(t *testing.T) {
	// A v1 domain with two base path mappings, one naming its stage, one
	// leaving the stage to the path ("(none)"), as a REST plane would get them.
	rest := &recordingPlane{}
	front := New(Config{
		Planes: []execute.Plane{rest},
		Domains: domainTable{"shop.example.test": {
			{Key: "pets", APIID: "restapi1", Stage: "prod"},
			{Key: "anystage", APIID: "restapi2"},
		}},
	})
	for _, target := range []string{"/pets/dogs/1?x=y", "/anystage/beta/cats", "/nothing"} {
		front.ServeHTTP(httptest.NewRecorder(), newRequest("shop.example.test", target))
	}
	want := []execute.Request{
		{APIID: "restapi1", Stage: "prod", Path: "/dogs/1", CustomDomain: "shop.example.test"},
		{APIID: "restapi2", Stage: "", Path: "/beta/cats", CustomDomain: "shop.example.test"},
	}
	if len(rest.got) != len(want) {
		t.Fatalf("plane got %+v, want %+v", rest.got, want)
	}
	for i := range want {
		if rest.got[i] != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, rest.got[i], want[i])
		}
	}
}

func TestUnmappedBasePathIsForbidden(t *testing.T) {
	plane := &recordingPlane{}
	front := New(Config{Planes: []execute.Plane{plane}, Domains: domainTable{"api.example.test": {{Key: "orders", APIID: "a", Stage: "s"}}}})
	r := newRequest("api.example.test", "/users/1")
	if !front.Claims(r) {
		t.Fatal("a request to a custom domain is not claimed for the data plane")
	}
	w := httptest.NewRecorder()
	front.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden || w.Body.String() != `{"message":"Forbidden"}` || len(plane.got) != 0 {
		t.Errorf("got %d %q (plane asked %d times), want 403 Forbidden without asking a plane", w.Code, w.Body.String(), len(plane.got))
	}
}
