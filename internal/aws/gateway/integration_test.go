package gateway_test

import (
	"context"
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

const testRegion = "eu-west-1"

// testEnv is the emulator and a gateway client over the real SDKs.
type testEnv struct {
	server  *emulator.Server
	baseURL string
	client  gateway.Client
}

func startEnv(t *testing.T, opts emulator.Options) *testEnv {
	t.Helper()
	server, baseURL, err := emulator.Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	factory := session.NewFactory(nil)
	client, err := gateway.ClientFor(context.Background(), factory, "test", session.Settings{
		Region:   testRegion,
		Endpoint: baseURL,
		Static:   &session.StaticCredentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return &testEnv{server: server, baseURL: baseURL, client: client}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

// calls returns how many control-plane calls the emulator has served.
func (e *testEnv) calls() int64 {
	var n int64
	for _, c := range e.server.Stats().Calls {
		n += c
	}
	return n
}

// converge updates observed to desired, then checks that AWS now holds
// desired (a fresh Get shows no difference), that Update's answer agrees,
// and that a second Update makes no call.
func (e *testEnv) converge(t *testing.T, observed, desired gateway.API) gateway.API {
	t.Helper()
	if len(gateway.Diff(observed, desired)) == 0 {
		t.Fatalf("test step changes nothing")
	}
	updated, err := e.client.Update(ctx(t), observed, desired)
	if err != nil {
		t.Fatalf("Update %v: %v", gateway.Diff(observed, desired), err)
	}
	if diff := gateway.Diff(updated, desired); len(diff) != 0 {
		t.Errorf("Update answered an API still differing: %v", diff)
	}
	got, err := e.client.Get(ctx(t), desired.Protocol, observed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gateway.Diff(got, desired); len(diff) != 0 {
		t.Errorf("after Update, AWS still differs: %v", diff)
	}
	before := e.calls()
	if _, err := e.client.Update(ctx(t), got, desired); err != nil {
		t.Fatal(err)
	}
	if after := e.calls(); after != before {
		t.Errorf("Update of an equal API made %d calls", after-before)
	}
	return got
}

func with(api gateway.API, change func(*gateway.API)) gateway.API {
	api.Tags = maps.Clone(api.Tags)
	if api.CORS != nil {
		cors := *api.CORS
		api.CORS = &cors
	}
	change(&api)
	return api
}

func maxAge(v int32) *int32 { return &v }

func TestHTTPAPILifecycle(t *testing.T) {
	e := startEnv(t, emulator.Options{})
	desired := gateway.API{
		Name:     "pets",
		Protocol: gateway.ProtocolHTTP,
		CORS: &gateway.CORS{
			AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET"},
			AllowHeaders: []string{"Content-Type"}, MaxAge: maxAge(300),
		},
		Tags: ownership.Tags("ns", "pets", "uid-1"),
	}
	created, err := e.client.Create(ctx(t), desired)
	if err != nil {
		t.Fatal(err)
	}
	if diff := gateway.Diff(created, desired); len(diff) != 0 {
		t.Errorf("created API differs from desired: %v", diff)
	}
	if created.ARN != "arn:aws:apigateway:"+testRegion+"::/apis/"+created.ID {
		t.Errorf("ARN = %q", created.ARN)
	}
	if !strings.HasPrefix(created.Endpoint, "http://"+created.ID+".execute-api.localhost:") {
		t.Errorf("Endpoint = %q", created.Endpoint)
	}
	if created.Created.IsZero() {
		t.Error("Created not set")
	}

	observed := created
	steps := []struct {
		name   string
		change func(*gateway.API)
	}{
		{"name", func(a *gateway.API) { a.Name = "pets-v2" }},
		{"description set", func(a *gateway.API) { a.Description = "Pet store" }},
		{"description cleared", func(a *gateway.API) { a.Description = "" }},
		{"disable execute endpoint", func(a *gateway.API) { a.DisableExecuteAPIEndpoint = true }},
		{"enable execute endpoint", func(a *gateway.API) { a.DisableExecuteAPIEndpoint = false }},
		{"cors changed", func(a *gateway.API) {
			a.CORS.AllowMethods = []string{"GET", "POST"}
			a.CORS.ExposeHeaders = []string{"X-Request-Id"}
			a.CORS.AllowCredentials = true
		}},
		{"cors header dropped", func(a *gateway.API) { a.CORS.AllowHeaders = nil }},
		{"cors max age unset", func(a *gateway.API) { a.CORS.MaxAge = nil }},
		{"cors removed", func(a *gateway.API) { a.CORS = nil }},
		{"cors back", func(a *gateway.API) { a.CORS = &gateway.CORS{AllowOrigins: []string{"*"}} }},
		{"tag added", func(a *gateway.API) { a.Tags["team"] = "pets" }},
		{"tag changed", func(a *gateway.API) { a.Tags["team"] = "cats" }},
		{"tag removed", func(a *gateway.API) { delete(a.Tags, "team") }},
		{"everything at once", func(a *gateway.API) {
			a.Name, a.Description, a.DisableExecuteAPIEndpoint = "all", "all", true
			a.CORS = nil
			a.Tags = map[string]string{"only": "this"}
		}},
	}
	for _, step := range steps {
		t.Run(step.name, func(t *testing.T) {
			observed = e.converge(t, observed, with(observed, step.change))
		})
	}

	if err := e.client.Delete(ctx(t), gateway.ProtocolHTTP, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Get(ctx(t), gateway.ProtocolHTTP, created.ID); !awserrors.IsNotFound(err) {
		t.Errorf("Get after Delete: err = %v, want not found", err)
	}
	if err := e.client.Delete(ctx(t), gateway.ProtocolHTTP, created.ID); err != nil {
		t.Errorf("Delete of a gone API: %v", err)
	}
}

func TestWebSocketAPILifecycle(t *testing.T) {
	e := startEnv(t, emulator.Options{})
	desired := gateway.API{Name: "chat", Protocol: gateway.ProtocolWebSocket, Description: "chat", Tags: map[string]string{"a": "1"}}
	created, err := e.client.Create(ctx(t), desired)
	if err != nil {
		t.Fatal(err)
	}
	if created.RouteSelectionExpression != "$request.body.action" {
		t.Errorf("RouteSelectionExpression = %q, want the default", created.RouteSelectionExpression)
	}
	if diff := gateway.Diff(created, desired); len(diff) != 0 {
		t.Errorf("created API differs from desired: %v", diff)
	}
	observed := created
	for _, step := range []struct {
		name   string
		change func(*gateway.API)
	}{
		{"route selection", func(a *gateway.API) { a.RouteSelectionExpression = "$request.body.type" }},
		{"api key selection", func(a *gateway.API) { a.APIKeySelectionExpression = "$context.authorizer.usageIdentifierKey" }},
		{"name and tags", func(a *gateway.API) { a.Name = "chat2"; a.Tags = map[string]string{"b": "2"} }},
	} {
		t.Run(step.name, func(t *testing.T) {
			observed = e.converge(t, observed, with(observed, step.change))
		})
	}
	if err := e.client.Delete(ctx(t), gateway.ProtocolWebSocket, created.ID); err != nil {
		t.Fatal(err)
	}
}

func TestRESTAPILifecycle(t *testing.T) {
	e := startEnv(t, emulator.Options{})
	desired := gateway.API{
		Name: "orders", Protocol: gateway.ProtocolREST, EndpointType: gateway.EndpointRegional,
		Tags: map[string]string{"a": "1"},
	}
	created, err := e.client.Create(ctx(t), desired)
	if err != nil {
		t.Fatalf("Create with an empty description: %v", err)
	}
	if diff := gateway.Diff(created, desired); len(diff) != 0 {
		t.Errorf("created API differs from desired: %v", diff)
	}
	port := e.baseURL[strings.LastIndex(e.baseURL, ":")+1:]
	if want := "http://" + created.ID + ".execute-api.localhost:" + port; created.Endpoint != want {
		t.Errorf("Endpoint = %q, want %q", created.Endpoint, want)
	}
	if created.ARN != "arn:aws:apigateway:"+testRegion+"::/restapis/"+created.ID {
		t.Errorf("ARN = %q", created.ARN)
	}

	observed := created
	for _, step := range []struct {
		name   string
		change func(*gateway.API)
	}{
		{"name", func(a *gateway.API) { a.Name = "orders-v2" }},
		{"description set", func(a *gateway.API) { a.Description = "Orders" }},
		{"description removed", func(a *gateway.API) { a.Description = "" }},
		{"disable execute endpoint", func(a *gateway.API) { a.DisableExecuteAPIEndpoint = true }},
		{"enable execute endpoint", func(a *gateway.API) { a.DisableExecuteAPIEndpoint = false }},
		{"regional to edge", func(a *gateway.API) { a.EndpointType = gateway.EndpointEdge }},
		{"edge to private with endpoints", func(a *gateway.API) {
			a.EndpointType = gateway.EndpointPrivate
			a.VPCEndpointIDs = []string{"vpce-0123456789abcdef0"}
		}},
		{"vpc endpoint swapped", func(a *gateway.API) { a.VPCEndpointIDs = []string{"vpce-0fedcba9876543210"} }},
		{"private to regional", func(a *gateway.API) { a.EndpointType = gateway.EndpointRegional; a.VPCEndpointIDs = nil }},
		{"tags", func(a *gateway.API) { a.Tags = map[string]string{"a": "2", "b": "3"} }},
	} {
		t.Run(step.name, func(t *testing.T) {
			observed = e.converge(t, observed, with(observed, step.change))
		})
	}

	t.Run("private to edge is terminal and makes no call", func(t *testing.T) {
		private := e.converge(t, observed, with(observed, func(a *gateway.API) { a.EndpointType = gateway.EndpointPrivate }))
		before := e.calls()
		_, err := e.client.Update(ctx(t), private, with(private, func(a *gateway.API) { a.EndpointType = gateway.EndpointEdge; a.Tags["c"] = "4" }))
		if !awserrors.IsTerminal(err) {
			t.Errorf("err = %v, want terminal", err)
		}
		if after := e.calls(); after != before {
			t.Errorf("a refused transition made %d calls", after-before)
		}
	})

	if err := e.client.Delete(ctx(t), gateway.ProtocolREST, created.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.Get(ctx(t), gateway.ProtocolREST, created.ID); !awserrors.IsNotFound(err) {
		t.Errorf("Get after Delete: err = %v, want not found", err)
	}
	if err := e.client.Delete(ctx(t), gateway.ProtocolREST, created.ID); err != nil {
		t.Errorf("Delete of a gone API: %v", err)
	}
}

func TestUntagNeverSendsReservedKeys(t *testing.T) {
	e := startEnv(t, emulator.Options{})
	api, err := e.client.Create(ctx(t), gateway.API{Name: "u", Protocol: gateway.ProtocolHTTP, Tags: map[string]string{"a": "1", "b": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	before := e.calls()
	if err := e.client.Untag(ctx(t), api, []string{"aws:cloudformation:stack-name"}); err != nil {
		t.Fatal(err)
	}
	if e.calls() != before {
		t.Error("Untag of reserved keys only made a call")
	}
	if err := e.client.Untag(ctx(t), api, []string{"a", "aws:x"}); err != nil {
		t.Fatal(err)
	}
	got, err := e.client.Get(ctx(t), gateway.ProtocolHTTP, api.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]string{"b": "2"}; !maps.Equal(got.Tags, want) {
		t.Errorf("tags = %v, want %v", got.Tags, want)
	}
}

// TestListPaginates creates more APIs than fit in one page of either service
// and expects each protocol's List to return exactly its own, with tags.
func TestListPaginates(t *testing.T) {
	e := startEnv(t, emulator.Options{})
	counts := map[gateway.Protocol]int{gateway.ProtocolHTTP: 103, gateway.ProtocolWebSocket: 2, gateway.ProtocolREST: 502}
	for protocol, n := range counts {
		for i := range n {
			desired := gateway.API{Name: fmt.Sprintf("%s-%d", protocol, i), Protocol: protocol,
				EndpointType: gateway.EndpointRegional, Tags: map[string]string{"i": fmt.Sprint(i)}}
			if _, err := e.client.Create(ctx(t), desired); err != nil {
				t.Fatal(err)
			}
		}
	}
	for protocol, n := range counts {
		apis, err := e.client.List(ctx(t), protocol)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, api := range apis {
			if api.Protocol != protocol || api.Tags["i"] == "" {
				t.Fatalf("List(%s) returned %s API %q with tags %v", protocol, api.Protocol, api.Name, api.Tags)
			}
			seen[api.ID] = true
		}
		if len(apis) != n || len(seen) != n {
			t.Errorf("List(%s) = %d APIs (%d distinct), want %d", protocol, len(apis), len(seen), n)
		}
	}
	stats := e.server.Stats().Calls
	if stats["GetApis"] < 2*2 || stats["GetRestApis"] < 2 {
		t.Errorf("pages fetched: GetApis %d, GetRestApis %d; want several", stats["GetApis"], stats["GetRestApis"])
	}
}

// A create that fails with a 5xx is not retried by the SDK (it may have made
// the API), while reads still are.
func TestCreateIsNotRetriedOnServerErrors(t *testing.T) {
	env := startEnv(t, emulator.Options{FaultRate: 1})
	for _, protocol := range []gateway.Protocol{gateway.ProtocolHTTP, gateway.ProtocolREST} {
		op := map[gateway.Protocol]string{gateway.ProtocolHTTP: "CreateApi", gateway.ProtocolREST: "CreateRestApi"}[protocol]
		_, err := env.client.Create(ctx(t), gateway.API{Name: "faulty", Protocol: protocol, EndpointType: gateway.EndpointRegional})
		if err == nil {
			t.Fatalf("%s: create succeeded against an emulator failing every call", protocol)
		}
		if n := env.server.Stats().Calls[op]; n != 1 {
			t.Errorf("%s sent %d times after a 5xx, want 1", op, n)
		}
	}
	if _, err := env.client.List(ctx(t), gateway.ProtocolHTTP); err == nil {
		t.Fatal("list succeeded against an emulator failing every call")
	}
	if n := env.server.Stats().Calls["GetApis"]; n < 2 {
		t.Errorf("GetApis sent %d times, want the SDK's retries", n)
	}
}
