package serving_test

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	"github.com/aws/aws-sdk-go-v2/service/apigateway/types"

	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/emulator"
)

func restServing() serving.Serving {
	return serving.Serving{
		Integrations: []serving.Integration{
			{Name: "pets-fn", Lambda: &serving.LambdaIntegration{FunctionARN: ordersFn}},
			{Name: "legacy", HTTP: &serving.HTTPIntegration{URL: "https://legacy.example.com/{proxy}"}},
		},
		Authorizers: []serving.Authorizer{
			{Name: "custom", Lambda: &serving.LambdaAuthorizer{FunctionARN: catalogFn, Type: "TOKEN"}, IdentitySource: []string{"method.request.header.Authorization"}},
		},
		Routes: []serving.Route{
			{Key: "GET /pets/{id}", Integration: "pets-fn", Authorizer: "custom"},
			{Key: "ANY /{proxy+}", Integration: "legacy"},
			{Key: "POST /pets", Integration: "pets-fn", APIKeyRequired: true},
		},
		Stages: []serving.Stage{{
			Name: "prod", Description: "production", Defaults: serving.RouteSettings{Throttling: &serving.Throttling{RateLimit: 500, BurstLimit: 1000}},
			RouteSettings: map[string]serving.RouteSettings{"GET /pets/{id}": {Throttling: &serving.Throttling{RateLimit: 50, BurstLimit: 100}, DetailedMetrics: true}},
			AccessLogs:    &serving.AccessLogs{DestinationARN: logGroupARN, Format: `{"requestId":"$context.requestId"}`},
			Variables:     map[string]string{"backend": "blue"},
			Cache:         &serving.Cache{Enabled: true, Size: "0.5", TTLSeconds: 300},
		}},
	}
}

// restTree returns the API's resources by path, each with its methods'
// integration types by verb.
func (e *testEnv) restTree(t *testing.T, apiID string) map[string]map[string]types.Method {
	t.Helper()
	out, err := e.rest.GetResources(ctx(t), &apigateway.GetResourcesInput{RestApiId: aws.String(apiID), Embed: []string{"methods"}})
	if err != nil {
		t.Fatal(err)
	}
	tree := map[string]map[string]types.Method{}
	for _, r := range out.Items {
		tree[aws.ToString(r.Path)] = r.ResourceMethods
	}
	return tree
}

func (e *testEnv) restStage(t *testing.T, apiID, name string) *apigateway.GetStageOutput {
	t.Helper()
	out, err := e.rest.GetStage(ctx(t), &apigateway.GetStageInput{RestApiId: aws.String(apiID), StageName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRESTAPIServing(t *testing.T) {
	e := startEnv(t, emulator.Options{}, nil)
	api := e.createAPI(t, gateway.ProtocolREST)
	desired := restServing()

	first := e.reconcile(t, api, desired)
	if first.DeploymentCreated == "" || stageStatus(t, first, "prod").DeploymentID != first.DeploymentCreated {
		t.Fatalf("first pass: %+v", first)
	}
	if got, want := stageStatus(t, first, "prod").InvokeURL, api.Endpoint+"/prod"; got != want {
		t.Errorf("invoke URL %q, want %q", got, want)
	}

	t.Run("route keys compile into the resource tree", func(t *testing.T) {
		tree := e.restTree(t, api.ID)
		paths := slices.Sorted(func(yield func(string) bool) {
			for p := range tree {
				if !yield(p) {
					return
				}
			}
		})
		if want := []string{"/", "/pets", "/pets/{id}", "/{proxy+}"}; !slices.Equal(paths, want) {
			t.Fatalf("resources %v, want %v", paths, want)
		}
		get := tree["/pets/{id}"]["GET"]
		if aws.ToString(get.AuthorizationType) != "CUSTOM" || get.MethodIntegration == nil || get.MethodIntegration.Type != types.IntegrationTypeAwsProxy ||
			aws.ToString(get.MethodIntegration.Uri) != "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/"+ordersFn+"/invocations" ||
			aws.ToString(get.MethodIntegration.HttpMethod) != "POST" {
			t.Errorf("GET /pets/{id} = %+v integration %+v", get, get.MethodIntegration)
		}
		post := tree["/pets"]["POST"]
		if !aws.ToBool(post.ApiKeyRequired) || aws.ToString(post.AuthorizationType) != "NONE" {
			t.Errorf("POST /pets = %+v", post)
		}
		proxy := tree["/{proxy+}"]["ANY"]
		if i := proxy.MethodIntegration; i == nil || i.Type != types.IntegrationTypeHttpProxy ||
			i.RequestParameters["integration.request.path.proxy"] != "method.request.path.proxy" || !proxy.RequestParameters["method.request.path.proxy"] {
			t.Errorf("ANY /{proxy+} = %+v integration %+v", proxy, proxy.MethodIntegration)
		}
		if len(tree["/pets"]) != 1 || len(tree["/"]) != 0 {
			t.Errorf("unexpected methods: /pets %v, / %v", tree["/pets"], tree["/"])
		}
	})

	t.Run("stage settings applied", func(t *testing.T) {
		st := e.restStage(t, api.ID, "prod")
		all, route := st.MethodSettings["*/*"], st.MethodSettings["~1pets~1{id}/GET"]
		if all.ThrottlingRateLimit != 500 || all.ThrottlingBurstLimit != 1000 || !all.CachingEnabled || all.CacheTtlInSeconds != 300 {
			t.Errorf("*/* = %+v", all)
		}
		if route.ThrottlingRateLimit != 50 || route.ThrottlingBurstLimit != 100 || !route.MetricsEnabled {
			t.Errorf("~1pets~1{id}/GET = %+v (settings %v)", route, st.MethodSettings)
		}
		if !st.CacheClusterEnabled || st.CacheClusterSize != "0.5" || st.Variables["backend"] != "blue" ||
			aws.ToString(st.Description) != "production" || aws.ToString(st.AccessLogSettings.DestinationArn) != logGroupARN {
			t.Errorf("stage = %+v", st)
		}
	})

	t.Run("a second pass makes no write", func(t *testing.T) {
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("a changed route makes exactly one deployment", func(t *testing.T) {
		desired.Routes[0].Integration = "legacy"
		desired.Routes[2].Authorizer = "custom"
		before := e.calls()
		result := e.reconcile(t, api, desired)
		delta, _ := e.since(before)
		if delta["CreateDeployment"] != 1 || aws.ToString(e.restStage(t, api.ID, "prod").DeploymentId) != result.DeploymentCreated {
			t.Fatalf("CreateDeployment %d, calls %v", delta["CreateDeployment"], delta)
		}
		if i := e.restTree(t, api.ID)["/pets/{id}"]["GET"].MethodIntegration; i == nil || i.Type != types.IntegrationTypeHttpProxy {
			t.Errorf("GET /pets/{id} integration = %+v", i)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("deleted routes are gone and their resources swept", func(t *testing.T) {
		desired.Routes = slices.DeleteFunc(desired.Routes, func(r serving.Route) bool { return r.Key != "GET /pets/{id}" })
		e.reconcile(t, api, desired)
		tree := e.restTree(t, api.ID)
		if _, ok := tree["/{proxy+}"]; ok {
			t.Error("/{proxy+} survived its route")
		}
		if len(tree["/pets"]) != 0 {
			t.Errorf("/pets keeps methods %v", tree["/pets"])
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("drift is reported and reverted", func(t *testing.T) {
		resources, err := e.rest.GetResources(ctx(t), &apigateway.GetResourcesInput{RestApiId: aws.String(api.ID)})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range resources.Items {
			if aws.ToString(r.Path) == "/pets/{id}" {
				if _, err := e.rest.PutIntegration(ctx(t), &apigateway.PutIntegrationInput{
					RestApiId: aws.String(api.ID), ResourceId: r.Id, HttpMethod: aws.String("GET"),
					Type: types.IntegrationTypeHttpProxy, IntegrationHttpMethod: aws.String("GET"), Uri: aws.String("https://evil.example.com"),
				}); err != nil {
					t.Fatal(err)
				}
			}
		}
		before := e.calls()
		result := e.reconcile(t, api, desired)
		delta, _ := e.since(before)
		if len(result.Changes) == 0 || delta["PutIntegration"] != 1 || delta["CreateDeployment"] != 0 {
			t.Errorf("drift: changes %v, calls %v", changed(result), delta)
		}
		if uri := aws.ToString(e.restTree(t, api.ID)["/pets/{id}"]["GET"].MethodIntegration.Uri); uri != "https://legacy.example.com/{proxy}" {
			t.Errorf("uri after revert = %q", uri)
		}
		e.requireSteady(t, api, desired, 5)
	})

	t.Run("deployments are pruned to two unused", func(t *testing.T) {
		for _, key := range []string{"GET /a", "GET /b", "GET /c"} {
			desired.Routes = append(desired.Routes, serving.Route{Key: key, Integration: "pets-fn"})
			e.reconcile(t, api, desired)
		}
		out, err := e.rest.GetDeployments(ctx(t), &apigateway.GetDeploymentsInput{RestApiId: aws.String(api.ID)})
		if err != nil {
			t.Fatal(err)
		}
		serving := aws.ToString(e.restStage(t, api.ID, "prod").DeploymentId)
		if len(out.Items) != 1+2 {
			t.Errorf("%d deployments, want the stage's and two more", len(out.Items))
		}
		if !slices.ContainsFunc(out.Items, func(d types.Deployment) bool { return aws.ToString(d.Id) == serving }) {
			t.Error("the served deployment was pruned")
		}
	})
}
