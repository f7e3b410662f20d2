package serving_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigatewayv2"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

const (
	testRegion  = "eu-west-1"
	ordersFn    = "arn:aws:lambda:eu-west-1:000000000000:function:orders"
	catalogFn   = "arn:aws:lambda:eu-west-1:000000000000:function:catalog"
	logGroupARN = "arn:aws:logs:eu-west-1:000000000000:log-group:/apigw/orders"
)

// testEnv is the emulator, the SDK clients a user has, and this package's
// client built the way the operator builds it.
type testEnv struct {
	server   *emulator.Server
	gateway  gateway.Client
	serving  *serving.Client
	factory  *session.Factory
	v2       *apigatewayv2.Client
	rest     *apigateway.Client
	settings session.Settings
}

func startEnv(t *testing.T, opts emulator.Options, limiters *session.Limiters) *testEnv {
	t.Helper()
	server, baseURL, err := emulator.Start(opts, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { server.Close() })
	e := &testEnv{server: server, factory: session.NewFactory(limiters), settings: session.Settings{
		Region:   testRegion,
		Endpoint: baseURL,
		Static:   &session.StaticCredentials{AccessKeyID: "AKIDTEST", SecretAccessKey: "secret"},
	}}
	if e.gateway, err = gateway.ClientFor(ctx(t), e.factory, "test", e.settings); err != nil {
		t.Fatal(err)
	}
	if e.serving, err = serving.ClientFor(ctx(t), e.factory, "test", e.settings); err != nil {
		t.Fatal(err)
	}
	cfg, err := e.factory.Config(ctx(t), "test", e.settings)
	if err != nil {
		t.Fatal(err)
	}
	e.v2, e.rest = apigatewayv2.NewFromConfig(cfg), apigateway.NewFromConfig(cfg)
	return e
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return c
}

func (e *testEnv) createAPI(t *testing.T, protocol gateway.Protocol) gateway.API {
	t.Helper()
	api, err := e.gateway.Create(ctx(t), gateway.API{Name: "serving-test", Protocol: protocol, EndpointType: gateway.EndpointRegional})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// calls is a snapshot of the emulator's per-operation call counts.
type calls map[string]int64

func (e *testEnv) calls() calls { return maps.Clone(e.server.Stats().Calls) }

// since returns the calls made after before, by operation, and how many of
// them wrote (anything but a Get).
func (e *testEnv) since(before calls) (calls, int64) {
	delta, writes := calls{}, int64(0)
	for op, n := range e.server.Stats().Calls {
		if d := n - before[op]; d > 0 {
			delta[op] = d
			if !strings.HasPrefix(op, "Get") {
				writes += d
			}
		}
	}
	return delta, writes
}

// reconcile runs one pass and fails the test on error.
func (e *testEnv) reconcile(t *testing.T, api gateway.API, desired serving.Serving) serving.Result {
	t.Helper()
	result, err := e.serving.Reconcile(ctx(t), api, desired)
	if err != nil {
		t.Fatalf("Reconcile: %v", err)
	}
	return result
}

// requireSteady checks that a pass over an API already at desired writes
// nothing and reads each child family once, and returns the reads.
func (e *testEnv) requireSteady(t *testing.T, api gateway.API, desired serving.Serving, reads int64) {
	t.Helper()
	before := e.calls()
	result := e.reconcile(t, api, desired)
	delta, writes := e.since(before)
	if writes != 0 || len(result.Changes) != 0 {
		t.Errorf("a pass at desired wrote %d times (%v), changes %v", writes, delta, result.Changes)
	}
	var total int64
	for _, n := range delta {
		total += n
	}
	if total != reads {
		t.Errorf("a steady pass made %d calls (%v), want %d", total, delta, reads)
	}
}

func stageStatus(t *testing.T, result serving.Result, name string) serving.StageStatus {
	t.Helper()
	for _, s := range result.Stages {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no status for stage %q in %+v", name, result.Stages)
	return serving.StageStatus{}
}

func changed(result serving.Result) []string {
	var words []string
	for _, c := range result.Changes {
		words = append(words, c.String())
	}
	slices.Sort(words)
	return words
}

func httpServing() serving.Serving {
	return serving.Serving{
		Integrations: []serving.Integration{
			{Name: "orders-fn", Lambda: &serving.LambdaIntegration{FunctionARN: ordersFn}},
			{Name: "catalog", HTTP: &serving.HTTPIntegration{URL: "https://catalog.example.com/{proxy}"}, TimeoutMillis: 10000,
				RequestParameters: map[string]string{"overwrite:path": "$request.path"}},
		},
		Authorizers: []serving.Authorizer{
			{Name: "cognito", JWT: &serving.JWTAuthorizer{Issuer: "https://issuer.example.com", Audience: []string{"client-id"}}},
		},
		Routes: []serving.Route{
			{Key: "GET /orders/{id}", Integration: "orders-fn", Authorizer: "cognito", AuthorizationScopes: []string{"orders/read"}},
			{Key: "ANY /catalog/{proxy+}", Integration: "catalog"},
		},
		Stages: []serving.Stage{
			{Name: "$default", AutoDeploy: true},
			{Name: "prod", Throttling: &serving.Throttling{RateLimit: 500, BurstLimit: 1000},
				RouteSettings: map[string]serving.RouteSettings{"GET /orders/{id}": {Throttling: &serving.Throttling{RateLimit: 50, BurstLimit: 100}, DetailedMetrics: true}},
				AccessLogs:    &serving.AccessLogs{DestinationARN: logGroupARN, Format: `{"requestId":"$context.requestId"}`},
				Variables:     map[string]string{"backend": "blue"}},
		},
	}
}

func (e *testEnv) v2Routes(t *testing.T, apiID string) map[string]string {
	t.Helper()
	out, err := e.v2.GetRoutes(ctx(t), &apigatewayv2.GetRoutesInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]string{}
	for _, r := range out.Items {
		targets[aws.ToString(r.RouteKey)] = aws.ToString(r.Target)
	}
	return targets
}

func (e *testEnv) v2Integrations(t *testing.T, apiID string) map[string]string {
	t.Helper()
	out, err := e.v2.GetIntegrations(ctx(t), &apigatewayv2.GetIntegrationsInput{ApiId: aws.String(apiID)})
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{}
	for _, i := range out.Items {
		byID[aws.ToString(i.IntegrationId)] = aws.ToString(i.Description)
	}
	return byID
}

func (e *testEnv) v2Stage(t *testing.T, apiID, name string) *apigatewayv2.GetStageOutput {
	t.Helper()
	out, err := e.v2.GetStage(ctx(t), &apigatewayv2.GetStageInput{ApiId: aws.String(apiID), StageName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestHTTPAPIServing(t *testing.T) {
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolHTTP)
	desired := httpServing()

	first := e.reconcile(t, api, desired)
	prod := stageStatus(t, first, "prod")
	if first.DeploymentCreated == "" || prod.DeploymentID != first.DeploymentCreated {
		t.Fatalf("first pass: deployment %q, prod serves %q", first.DeploymentCreated, prod.DeploymentID)
	}
	if want := api.Endpoint + "/prod"; prod.InvokeURL != want {
		t.Errorf("prod invoke URL = %q, want %q", prod.InvokeURL, want)
	}
	if got := stageStatus(t, first, "$default").InvokeURL; got != api.Endpoint {
		t.Errorf("$default invoke URL = %q, want the endpoint", got)
	}
	integrations := e.v2Integrations(t, api.ID)
	routes := e.v2Routes(t, api.ID)
	if len(integrations) != 2 || len(routes) != 2 {
		t.Fatalf("integrations %v, routes %v", integrations, routes)
	}
	if desc := integrations[strings.TrimPrefix(routes["GET /orders/{id}"], "integrations/")]; desc != "infra-operator:integration=orders-fn" {
		t.Errorf("GET /orders/{id} targets an integration described %q", desc)
	}

	t.Run("stage settings applied", func(t *testing.T) {
		st := e.v2Stage(t, api.ID, "prod")
		if aws.ToBool(st.AutoDeploy) || aws.ToString(st.DeploymentId) != first.DeploymentCreated {
			t.Errorf("prod autoDeploy %v deployment %q", aws.ToBool(st.AutoDeploy), aws.ToString(st.DeploymentId))
		}
		if d := st.DefaultRouteSettings; d == nil || aws.ToFloat64(d.ThrottlingRateLimit) != 500 || aws.ToInt32(d.ThrottlingBurstLimit) != 1000 {
			t.Errorf("default route settings = %+v", d)
		}
		rs, ok := st.RouteSettings["GET /orders/{id}"]
		if !ok || aws.ToFloat64(rs.ThrottlingRateLimit) != 50 || !aws.ToBool(rs.DetailedMetricsEnabled) {
			t.Errorf("route settings = %+v", st.RouteSettings)
		}
		if st.StageVariables["backend"] != "blue" || aws.ToString(st.AccessLogSettings.DestinationArn) != logGroupARN {
			t.Errorf("variables %v, access logs %+v", st.StageVariables, st.AccessLogSettings)
		}
	})

	t.Run("a second pass makes no write", func(t *testing.T) {
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("a changed route makes exactly one deployment", func(t *testing.T) {
		desired.Routes[0].Integration = "catalog"
		desired.Routes = append(desired.Routes, serving.Route{Key: "POST /orders", Integration: "orders-fn"})
		before := e.calls()
		result := e.reconcile(t, api, desired)
		delta, _ := e.since(before)
		if delta["CreateDeployment"] != 1 || result.DeploymentCreated == "" {
			t.Fatalf("CreateDeployment sent %d times (calls %v)", delta["CreateDeployment"], delta)
		}
		if got := aws.ToString(e.v2Stage(t, api.ID, "prod").DeploymentId); got != result.DeploymentCreated {
			t.Errorf("prod serves %q, want the new deployment %q", got, result.DeploymentCreated)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("a deleted route is gone and swept", func(t *testing.T) {
		desired.Routes = slices.DeleteFunc(desired.Routes, func(r serving.Route) bool { return r.Key == "ANY /catalog/{proxy+}" })
		result := e.reconcile(t, api, desired)
		if _, ok := e.v2Routes(t, api.ID)["ANY /catalog/{proxy+}"]; ok {
			t.Error("the deleted route is still there")
		}
		if !slices.Contains(changed(result), `route "ANY /catalog/{proxy+}": present => absent`) {
			t.Errorf("changes %v", changed(result))
		}
		// A route made outside Kubernetes is swept too.
		if _, err := e.v2.CreateRoute(ctx(t), &apigatewayv2.CreateRouteInput{ApiId: aws.String(api.ID), RouteKey: aws.String("GET /stray")}); err != nil {
			t.Fatal(err)
		}
		e.reconcile(t, api, desired)
		if _, ok := e.v2Routes(t, api.ID)["GET /stray"]; ok {
			t.Error("an undeclared route survived the sweep")
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("drift is reported and reverted without a deployment", func(t *testing.T) {
		routes := e.v2Routes(t, api.ID)
		var routeID string
		out, _ := e.v2.GetRoutes(ctx(t), &apigatewayv2.GetRoutesInput{ApiId: aws.String(api.ID)})
		for _, r := range out.Items {
			if aws.ToString(r.RouteKey) == "POST /orders" {
				routeID = aws.ToString(r.RouteId)
			}
		}
		want := routes["POST /orders"]
		other := routes["GET /orders/{id}"]
		if _, err := e.v2.UpdateRoute(ctx(t), &apigatewayv2.UpdateRouteInput{ApiId: aws.String(api.ID), RouteId: aws.String(routeID), Target: aws.String(other)}); err != nil {
			t.Fatal(err)
		}
		before := e.calls()
		result := e.reconcile(t, api, desired)
		delta, _ := e.since(before)
		if got := changed(result); !slices.Equal(got, []string{`route "POST /orders" integration: catalog => orders-fn`}) {
			t.Errorf("drift reported as %v", got)
		}
		if got := e.v2Routes(t, api.ID)["POST /orders"]; got != want {
			t.Errorf("POST /orders targets %q, want %q restored", got, want)
		}
		if delta["CreateDeployment"] != 0 {
			t.Errorf("reverting drift made a deployment: the stage already serves the desired state")
		}
	})

	t.Run("a crash between create and status leaves no duplicate", func(t *testing.T) {
		desired.Integrations = append(desired.Integrations, serving.Integration{Name: "late", HTTP: &serving.HTTPIntegration{URL: "https://late.example.com"}})
		desired.Routes = append(desired.Routes, serving.Route{Key: "GET /late", Integration: "late"})
		// The previous incarnation created the integration and died.
		if _, err := e.v2.CreateIntegration(ctx(t), &apigatewayv2.CreateIntegrationInput{
			ApiId: aws.String(api.ID), IntegrationType: "HTTP_PROXY", IntegrationUri: aws.String("https://late.example.com"),
			IntegrationMethod: aws.String("ANY"), PayloadFormatVersion: aws.String("1.0"),
			Description: aws.String("infra-operator:integration=late"),
		}); err != nil {
			t.Fatal(err)
		}
		fresh, err := serving.ClientFor(ctx(t), session.NewFactory(nil), "fresh", e.settings)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fresh.Reconcile(ctx(t), api, desired); err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, desc := range e.v2Integrations(t, api.ID) {
			if desc == "infra-operator:integration=late" {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d integrations carry the mark of \"late\", want 1", n)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("deployments are pruned to the stages' and two unused", func(t *testing.T) {
		for i := range 4 {
			desired.Routes[0].AuthorizationScopes = []string{"orders/read", "v" + string(rune('0'+i))}
			e.reconcile(t, api, desired)
		}
		out, err := e.v2.GetDeployments(ctx(t), &apigatewayv2.GetDeploymentsInput{ApiId: aws.String(api.ID)})
		if err != nil {
			t.Fatal(err)
		}
		inUse := map[string]bool{}
		stages, _ := e.v2.GetStages(ctx(t), &apigatewayv2.GetStagesInput{ApiId: aws.String(api.ID)})
		for _, s := range stages.Items {
			inUse[aws.ToString(s.DeploymentId)] = true
		}
		unused := 0
		for _, d := range out.Items {
			if !inUse[aws.ToString(d.DeploymentId)] {
				unused++
			}
		}
		if unused != serving.KeptDeployments {
			t.Errorf("%d unused deployments kept, want %d", unused, serving.KeptDeployments)
		}
	})
}
