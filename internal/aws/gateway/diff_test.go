package gateway

import (
	"reflect"
	"testing"
)

func int32p(v int32) *int32 { return &v }

func TestDiff(t *testing.T) {
	httpAPI := API{Protocol: ProtocolHTTP, Name: "a", Description: "d", Tags: map[string]string{"k": "v"}}
	restAPI := API{Protocol: ProtocolREST, Name: "r", EndpointType: EndpointRegional}
	wsAPI := API{Protocol: ProtocolWebSocket, Name: "w", RouteSelectionExpression: "$request.body.action"}

	tests := []struct {
		name    string
		desired func(API) API
		base    API
		want    []string
	}{
		{name: "equal", base: httpAPI, desired: func(a API) API { return a }, want: nil},
		{name: "name", base: httpAPI, desired: func(a API) API { a.Name = "b"; return a },
			want: []string{`name: "a" => "b"`}},
		{name: "description cleared", base: httpAPI, desired: func(a API) API { a.Description = ""; return a },
			want: []string{`description: "d" => ""`}},
		{name: "disable execute endpoint", base: httpAPI, desired: func(a API) API { a.DisableExecuteAPIEndpoint = true; return a },
			want: []string{"disableExecuteApiEndpoint: false => true"}},
		{name: "protocol", base: httpAPI, desired: func(a API) API { a.Protocol = ProtocolWebSocket; return a },
			want: []string{"protocol: HTTP => WEBSOCKET"}},
		{name: "cors added", base: httpAPI, desired: func(a API) API { a.CORS = &CORS{AllowOrigins: []string{"*"}}; return a },
			want: []string{"cors: (none) => {origins=[*] methods=[] headers=[] expose=[] maxAge=unset credentials=false}"}},
		{name: "tag added, changed, removed", base: httpAPI,
			desired: func(a API) API { a.Tags = map[string]string{"k": "w", "n": "1"}; return a },
			want:    []string{`tags[k]: "v" => "w"`, `tags[n]: (absent) => "1"`}},
		{name: "tag removed, aws: keys ignored on both sides",
			base:    API{Protocol: ProtocolHTTP, Tags: map[string]string{"k": "v", "aws:cloudformation:stack": "s"}},
			desired: func(a API) API { a.Tags = map[string]string{"aws:x": "y"}; return a },
			want:    []string{`tags[k]: "v" => (absent)`}},
		{name: "endpoint type ignored for HTTP", base: httpAPI, desired: func(a API) API { a.EndpointType = EndpointEdge; return a }, want: nil},
		{name: "REST endpoint type", base: restAPI, desired: func(a API) API { a.EndpointType = EndpointEdge; return a },
			want: []string{"endpointType: REGIONAL => EDGE"}},
		{name: "REST empty endpoint type means EDGE", base: API{Protocol: ProtocolREST, EndpointType: EndpointEdge},
			desired: func(a API) API { a.EndpointType = ""; return a }, want: nil},
		{name: "REST PRIVATE vpc endpoints", base: API{Protocol: ProtocolREST, EndpointType: EndpointPrivate, VPCEndpointIDs: []string{"vpce-1"}},
			desired: func(a API) API { a.VPCEndpointIDs = []string{"vpce-2", "vpce-1"}; return a },
			want:    []string{"vpcEndpointIds: [vpce-1] => [vpce-2,vpce-1]"}},
		{name: "REST vpc endpoint order ignored", base: API{Protocol: ProtocolREST, EndpointType: EndpointPrivate, VPCEndpointIDs: []string{"vpce-1", "vpce-2"}},
			desired: func(a API) API { a.VPCEndpointIDs = []string{"vpce-2", "vpce-1"}; return a }, want: nil},
		{name: "REST cors ignored", base: restAPI, desired: func(a API) API { a.CORS = &CORS{}; return a }, want: nil},
		{name: "websocket empty route selection means default", base: wsAPI,
			desired: func(a API) API { a.RouteSelectionExpression = ""; return a }, want: nil},
		{name: "websocket route selection", base: wsAPI,
			desired: func(a API) API { a.RouteSelectionExpression = "$request.body.type"; return a },
			want:    []string{`routeSelectionExpression: "$request.body.action" => "$request.body.type"`}},
		{name: "websocket api key selection", base: wsAPI,
			desired: func(a API) API { a.APIKeySelectionExpression = "$context.authorizer.usageIdentifierKey"; return a },
			want:    []string{`apiKeySelectionExpression: "$request.header.x-api-key" => "$context.authorizer.usageIdentifierKey"`}},
		{name: "route selection ignored for HTTP", base: httpAPI,
			desired: func(a API) API { a.RouteSelectionExpression = "x"; return a }, want: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, c := range Diff(tt.base, tt.desired(tt.base)) {
				got = append(got, c.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff =\n %q\nwant\n %q", got, tt.want)
			}
		})
	}
}

func TestCORSEqual(t *testing.T) {
	base := func() *CORS {
		return &CORS{
			AllowOrigins:     []string{"https://a.example", "https://b.example"},
			AllowMethods:     []string{"GET", "POST"},
			AllowHeaders:     []string{"Content-Type", "X-Api-Key"},
			ExposeHeaders:    []string{"X-Request-Id"},
			MaxAge:           int32p(300),
			AllowCredentials: true,
		}
	}
	tests := []struct {
		name   string
		mutate func(*CORS) *CORS
		equal  bool
	}{
		{"identical", func(c *CORS) *CORS { return c }, true},
		{"both nil", nil, true},
		{"nil vs set", func(*CORS) *CORS { return nil }, false},
		{"nil vs empty", func(*CORS) *CORS { return &CORS{} }, false},
		{"header case as AWS lowercases", func(c *CORS) *CORS {
			c.AllowHeaders = []string{"x-api-key", "content-type"}
			c.ExposeHeaders = []string{"x-request-id"}
			return c
		}, true},
		{"method case", func(c *CORS) *CORS { c.AllowMethods = []string{"post", "get"}; return c }, true},
		{"origin order", func(c *CORS) *CORS { c.AllowOrigins = []string{"https://b.example", "https://a.example"}; return c }, true},
		{"duplicate origin", func(c *CORS) *CORS { c.AllowOrigins = append(c.AllowOrigins, "https://a.example"); return c }, true},
		{"origin differs", func(c *CORS) *CORS { c.AllowOrigins = []string{"https://a.example"}; return c }, false},
		{"origin case matters", func(c *CORS) *CORS { c.AllowOrigins = []string{"https://A.example", "https://b.example"}; return c }, false},
		{"method added", func(c *CORS) *CORS { c.AllowMethods = append(c.AllowMethods, "PUT"); return c }, false},
		{"expose header removed", func(c *CORS) *CORS { c.ExposeHeaders = nil; return c }, false},
		{"max age changed", func(c *CORS) *CORS { c.MaxAge = int32p(600); return c }, false},
		{"max age unset", func(c *CORS) *CORS { c.MaxAge = nil; return c }, false},
		{"credentials", func(c *CORS) *CORS { c.AllowCredentials = false; return c }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := base(), base()
			if tt.mutate == nil {
				a, b = nil, nil
			} else {
				b = tt.mutate(b)
			}
			if got := CORSEqual(a, b); got != tt.equal {
				t.Errorf("CORSEqual = %v, want %v", got, tt.equal)
			}
			if got := CORSEqual(b, a); got != tt.equal {
				t.Errorf("CORSEqual (swapped) = %v, want %v", got, tt.equal)
			}
		})
	}
}

func TestTagChanges(t *testing.T) {
	tests := []struct {
		name             string
		observed, wanted map[string]string
		set              map[string]string
		remove           []string
	}{
		{"equal", map[string]string{"a": "1"}, map[string]string{"a": "1"}, nil, nil},
		{"both empty", nil, map[string]string{}, nil, nil},
		{"added", nil, map[string]string{"a": "1"}, map[string]string{"a": "1"}, nil},
		{"changed", map[string]string{"a": "1"}, map[string]string{"a": "2"}, map[string]string{"a": "2"}, nil},
		{"value emptied", map[string]string{"a": "1"}, map[string]string{"a": ""}, map[string]string{"a": ""}, nil},
		{"removed sorted", map[string]string{"b": "1", "a": "1", "c": "1"}, map[string]string{"c": "1"}, nil, []string{"a", "b"}},
		{"aws: keys never set nor removed", map[string]string{"aws:x": "1"}, map[string]string{"aws:y": "2"}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, remove := TagChanges(tt.observed, tt.wanted)
			if !reflect.DeepEqual(set, tt.set) || !reflect.DeepEqual(remove, tt.remove) {
				t.Errorf("TagChanges = %v, %v; want %v, %v", set, remove, tt.set, tt.remove)
			}
		})
	}
}
