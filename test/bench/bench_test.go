package main

import (
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

func TestMixOfSplitsIntoThirds(t *testing.T) {
	for n, want := range map[int]gatewayMix{
		1:   {HTTP: 1},
		2:   {HTTP: 1, WebSocket: 1},
		30:  {HTTP: 10, WebSocket: 10, REST: 10},
		500: {HTTP: 167, WebSocket: 167, REST: 166},
	} {
		if got := mixOf(n); got != want {
			t.Errorf("mixOf(%d) = %+v, want %+v", n, got, want)
		}
	}
}

func TestQuotaMinSeconds(t *testing.T) {
	for _, tc := range []struct {
		name string
		mix  gatewayMix
		want float64
	}{
		// 10 REST creates: the first takes the bucket's one token, nine wait 3 s each.
		{"REST bound", gatewayMix{HTTP: 10, WebSocket: 10, REST: 10}, 27},
		// 166 REST: 165 × 3 s = 495 s; 502 calls need only (502 − 40) / 10 = 46.2 s.
		{"N=500", mixOf(500), 495},
		// 1000 v2 creates + 2 list pages: (1002 − 40) / 10 = 96.2 s.
		{"total bound", gatewayMix{HTTP: 500, WebSocket: 500}, 96.2},
		{"within the burst", gatewayMix{HTTP: 5}, 0},
	} {
		if got := quotaMinSeconds(tc.mix); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("%s: quotaMinSeconds(%+v) = %v, want %v", tc.name, tc.mix, got, tc.want)
		}
	}
}

func TestListWalkPages(t *testing.T) {
	for _, tc := range []struct {
		mix  gatewayMix
		want int
	}{
		{gatewayMix{}, 2}, // an empty account still answers one page per family
		{mixOf(30), 2},
		{mixOf(500), 4 + 1}, // 334 v2 APIs in pages of 100, 166 REST in one page of 500
	} {
		if got := tc.mix.listWalkPages(); got != tc.want {
			t.Errorf("listWalkPages(%+v) = %d, want %d", tc.mix, got, tc.want)
		}
	}
}

const sampleMetrics = `# HELP controller_runtime_reconcile_time_seconds Length of time per reconciliation per controller
# TYPE controller_runtime_reconcile_time_seconds histogram
controller_runtime_reconcile_time_seconds_bucket{controller="apigateway",le="0.005"} 0
controller_runtime_reconcile_time_seconds_bucket{controller="apigateway",le="0.01"} 50
controller_runtime_reconcile_time_seconds_bucket{controller="apigateway",le="0.1"} 90
controller_runtime_reconcile_time_seconds_bucket{controller="apigateway",le="1"} 100
controller_runtime_reconcile_time_seconds_bucket{controller="apigateway",le="+Inf"} 100
controller_runtime_reconcile_time_seconds_sum{controller="apigateway"} 3.2
controller_runtime_reconcile_time_seconds_count{controller="apigateway"} 100
controller_runtime_reconcile_time_seconds_bucket{controller="awsprovider",le="0.005"} 7
controller_runtime_reconcile_time_seconds_bucket{controller="awsprovider",le="+Inf"} 7
`

func TestReconcileQuantilesFromText(t *testing.T) {
	buckets, err := histogramBuckets(strings.NewReader(sampleMetrics), reconcileHistogram, map[string]string{"controller": apiGatewayController})
	if err != nil {
		t.Fatal(err)
	}
	if len(buckets) != 5 {
		t.Fatalf("want the 5 apigateway buckets, got %+v", buckets)
	}
	for _, tc := range []struct{ q, want float64 }{
		{0.50, 0.01},   // rank 50 is the top of the (0.005, 0.01] bucket
		{0.25, 0.0075}, // halfway through it
		{0.99, 0.91},   // rank 99: 9/10 of the way through (0.1, 1]
	} {
		if got := quantile(tc.q, buckets); math.Abs(got-tc.want) > 1e-9 {
			t.Errorf("quantile(%v) = %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestQuantileEdges(t *testing.T) {
	if got := quantile(0.5, nil); !math.IsNaN(got) {
		t.Errorf("no buckets: got %v, want NaN", got)
	}
	inInf := []bucket{{0.1, 1}, {math.Inf(1), 10}}
	if got := quantile(0.99, inInf); got != 0.1 {
		t.Errorf("rank in +Inf: got %v, want the highest finite bound 0.1", got)
	}
}

func TestVmHWM(t *testing.T) {
	got, err := vmHWMMiB("Name:\tinfra-operator\nVmPeak:\t 999 kB\nVmHWM:\t   51200 kB\nVmRSS:\t 40000 kB\n")
	if err != nil || got != 50 {
		t.Errorf("vmHWMMiB = %v, %v; want 50", got, err)
	}
}

func TestMentionsThrottling(t *testing.T) {
	if !mentionsThrottling("operation error ApiGatewayV2: CreateApi, exceeded maximum number of attempts, 3, https response error StatusCode: 429, TooManyRequestsException: Too Many Requests") {
		t.Error("a 429 message was not recognised")
	}
	if mentionsThrottling("AWSProvider bench/aws is not ready") {
		t.Error("an unrelated message was taken for throttling")
	}
}

func TestServingNecessaryCalls(t *testing.T) {
	for _, tc := range []struct {
		protocol v1alpha1.ProtocolType
		perAPI   int
	}{
		// CreateApi + 2 integrations + 10 routes + CreateDeployment + CreateStage.
		{v1alpha1.ProtocolHTTP, 15},
		// The same + 10 CreateRouteResponse (every route is two-way).
		{v1alpha1.ProtocolWebSocket, 25},
		// CreateRestApi + 10 × (CreateResource, PutMethod, PutIntegration) + deployment + stage.
		{v1alpha1.ProtocolREST, 33},
	} {
		shape := servingShape{Protocol: tc.protocol, Routes: 10, Integrations: 2}
		if got := shape.necessaryCallsPerAPI(); got != tc.perAPI {
			t.Errorf("%s: necessaryCallsPerAPI = %d, want %d", tc.protocol, got, tc.perAPI)
		}
		if got, want := shape.necessaryCreateCalls(100), 100*tc.perAPI+1; got != want {
			t.Errorf("%s: necessaryCreateCalls(100) = %d, want %d (one list page at the start)", tc.protocol, got, want)
		}
	}
}

func TestServingQuotaBounds(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape servingShape
		n     int
		want  servingBounds
		bound string
	}{
		// 99 deployments 5 s apart; 1501 calls need (1501 − 40) / 10.
		{"HTTP N=100", servingShape{v1alpha1.ProtocolHTTP, 10, 2}, 100, servingBounds{Deployments: 495, Total: 146.1}, "CreateDeployment"},
		{"WEBSOCKET N=100", servingShape{v1alpha1.ProtocolWebSocket, 10, 2}, 100, servingBounds{Deployments: 495, Total: 246.1}, "CreateDeployment"},
		// CreateRestApi: 99 × 3 s; 3301 calls: 326.1 s; still the deployments bind.
		{"REST N=100", servingShape{v1alpha1.ProtocolREST, 10, 2}, 100, servingBounds{Deployments: 495, CreateRestAPI: 297, Total: 326.1}, "CreateDeployment"},
		// 100 routes each: 10 × 303 + 1 = 3031 calls, (3031 − 40) / 10 = 299.1 s against 45 s of deployments.
		{"REST many routes", servingShape{v1alpha1.ProtocolREST, 100, 1}, 10, servingBounds{Deployments: 45, CreateRestAPI: 27, Total: 299.1}, "account 10/s"},
		{"one API", servingShape{v1alpha1.ProtocolHTTP, 2, 1}, 1, servingBounds{}, "burst"},
	} {
		got := servingQuotaBounds(tc.shape, tc.n)
		if math.Abs(got.Deployments-tc.want.Deployments) > 1e-9 || math.Abs(got.CreateRestAPI-tc.want.CreateRestAPI) > 1e-9 || math.Abs(got.Total-tc.want.Total) > 1e-9 {
			t.Errorf("%s: servingQuotaBounds = %+v, want %+v", tc.name, got, tc.want)
		}
		if b := bindingBound(got); b != tc.bound {
			t.Errorf("%s: bound by %q, want %q", tc.name, b, tc.bound)
		}
	}
}

func TestServingGatewayShape(t *testing.T) {
	const backend = "http://127.0.0.1:9999"
	for _, tc := range []struct {
		protocol      v1alpha1.ProtocolType
		routeKeys     []string
		autoDeploy    *bool
		selection     string
		returnsAnswer bool
	}{
		{v1alpha1.ProtocolHTTP, []string{"GET /r0", "GET /r1", "GET /r2"}, ptr.To(false), "", false},
		{v1alpha1.ProtocolWebSocket, []string{"$default", "r1", "r2"}, ptr.To(false), webSocketSelection, true},
		{v1alpha1.ProtocolREST, []string{"GET /r0", "GET /r1", "GET /r2"}, nil, "", false},
	} {
		shape := servingShape{Protocol: tc.protocol, Routes: 3, Integrations: 2}
		obj := shape.gateway("m", "ns-1", "ns-0", backend, 7)
		if obj.Name != "api-0007" || obj.Namespace != "ns-1" || obj.Spec.ProviderRef.Namespace != "ns-0" || obj.Labels[modeLabel] != "m" {
			t.Errorf("%s: object %s/%s, provider %+v, labels %v", tc.protocol, obj.Namespace, obj.Name, obj.Spec.ProviderRef, obj.Labels)
		}
		if obj.Spec.ProtocolType != tc.protocol || obj.Spec.RouteSelectionExpression != tc.selection {
			t.Errorf("%s: protocol %s, selection %q", tc.protocol, obj.Spec.ProtocolType, obj.Spec.RouteSelectionExpression)
		}
		var keys, targets []string
		for _, r := range obj.Spec.Routes {
			keys = append(keys, r.Key)
			targets = append(targets, r.Integration)
			if got := r.ReturnResponse != nil && *r.ReturnResponse; got != tc.returnsAnswer {
				t.Errorf("%s: route %s returnResponse %v", tc.protocol, r.Key, got)
			}
		}
		if !slices.Equal(keys, tc.routeKeys) || !slices.Equal(targets, []string{"backend-0", "backend-1", "backend-0"}) {
			t.Errorf("%s: routes %v to %v", tc.protocol, keys, targets)
		}
		if len(obj.Spec.Integrations) != 2 || obj.Spec.Integrations[1].HTTP == nil || obj.Spec.Integrations[1].HTTP.URL != backend+"/backend-1" {
			t.Errorf("%s: integrations %+v", tc.protocol, obj.Spec.Integrations)
		}
		if len(obj.Spec.Stages) != 1 || obj.Spec.Stages[0].Name != servingStage || !reflect.DeepEqual(obj.Spec.Stages[0].AutoDeploy, tc.autoDeploy) {
			t.Errorf("%s: stages %+v", tc.protocol, obj.Spec.Stages)
		}
	}
}

func TestIsServing(t *testing.T) {
	serving := func() *v1alpha1.APIGateway {
		obj := &v1alpha1.APIGateway{}
		obj.Generation = 2
		obj.Spec.Stages = []v1alpha1.Stage{{Name: servingStage}}
		obj.Status.Ready, obj.Status.APIID = true, "a1b2c3"
		obj.Status.Conditions = []metav1.Condition{{Type: v1alpha1.ConditionDeployed, Status: metav1.ConditionTrue, ObservedGeneration: 2}}
		obj.Status.Stages = []v1alpha1.StageStatus{{Name: servingStage, DeploymentID: "d1"}}
		return obj
	}
	if !isServing(serving()) {
		t.Fatal("a Ready, Deployed object whose stage has a deployment is not serving")
	}
	for name, spoil := range map[string]func(*v1alpha1.APIGateway){
		"not Ready":                 func(o *v1alpha1.APIGateway) { o.Status.Ready = false },
		"Deployed False":            func(o *v1alpha1.APIGateway) { o.Status.Conditions[0].Status = metav1.ConditionFalse },
		"Deployed for an older gen": func(o *v1alpha1.APIGateway) { o.Status.Conditions[0].ObservedGeneration = 1 },
		"no Deployed condition":     func(o *v1alpha1.APIGateway) { o.Status.Conditions = nil },
		"stage without deployment":  func(o *v1alpha1.APIGateway) { o.Status.Stages[0].DeploymentID = "" },
		"stage not reported yet":    func(o *v1alpha1.APIGateway) { o.Status.Stages = nil },
	} {
		obj := serving()
		spoil(obj)
		if isServing(obj) {
			t.Errorf("%s: counted as serving", name)
		}
	}
}

func TestSelectModes(t *testing.T) {
	all := append(benchmarkModes(map[string]bool{}), servingModes(10, 2)...)
	selected, err := selectModes(all, "rest, http")
	if err != nil {
		t.Fatal(err)
	}
	if len(selected) != 2 || selected[0].Name != "http" || selected[1].Name != "rest" || selected[1].Serving.Protocol != v1alpha1.ProtocolREST {
		t.Errorf("selected %+v, want http then rest", selected)
	}
	if _, err := selectModes(all, "http,htp"); err == nil || !strings.Contains(err.Error(), "htp") {
		t.Errorf("a misspelt mode: err = %v, want one naming it", err)
	}
	if _, err := selectModes(all, ""); err == nil {
		t.Error("no mode: no error")
	}
	accounts := map[string]bool{}
	for _, m := range all {
		accounts[m.Account.Account] = true
	}
	if len(accounts) != len(all) {
		t.Errorf("modes share accounts (and so quota buckets): %d accounts for %d modes", len(accounts), len(all))
	}
}

func TestCounterSum(t *testing.T) {
	metrics := `# TYPE controller_runtime_reconcile_total counter
controller_runtime_reconcile_total{controller="apigateway",result="success"} 40
controller_runtime_reconcile_total{controller="apigateway",result="requeue_after"} 2
controller_runtime_reconcile_total{controller="awsprovider",result="success"} 9
`
	got, err := counterSum(strings.NewReader(metrics), reconcileTotal, map[string]string{"controller": apiGatewayController})
	if err != nil || got != 42 {
		t.Errorf("counterSum = %v, %v; want 42", got, err)
	}
	if _, err := counterSum(strings.NewReader(metrics), reconcileTotal, map[string]string{"controller": "nope"}); err == nil {
		t.Error("no matching series: no error")
	}
}

func TestAnsweredBy(t *testing.T) {
	if err := answeredBy([]byte(`{"integration":"backend-1"}`), "backend-1"); err != nil {
		t.Errorf("the right integration: %v", err)
	}
	if err := answeredBy([]byte(`{"integration":"backend-0"}`), "backend-1"); err == nil {
		t.Error("the wrong integration was accepted")
	}
	if err := answeredBy([]byte(`{"message":"Missing Authentication Token"}`), "backend-1"); err == nil {
		t.Error("a gateway error was accepted")
	}
}
