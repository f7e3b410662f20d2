package main

import (
	"math"
	"strings"
	"testing"
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
