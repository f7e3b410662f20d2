package usageplans

import (
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

func TestMethodKeyTranslatesRouteKeys(t *testing.T) {
	for in, want := range map[string]string{
		"GET /pets":      "/pets/GET",
		"ANY /pets/{id}": "/pets/{id}/*",
		"/pets/GET":      "/pets/GET",
		"/*/*":           "/*/*",
	} {
		if got := MethodKey(in); got != want {
			t.Errorf("MethodKey(%q) = %q, want %q", in, got, want)
		}
	}
}

// Every difference goes into the operations of one UpdateUsagePlan call,
// the per-method throttle's path escaped as AWS wants it.
func TestComparePlansPatchesEverythingAtOnce(t *testing.T) {
	observed := Plan{Name: "p", Throttle: &Throttle{RateLimit: 1, BurstLimit: 1},
		Stages: []Stage{{APIID: "a1", Stage: "prod"}, {APIID: "old", Stage: "prod"}}}
	desired := Plan{Name: "p", Description: "d", Throttle: &Throttle{RateLimit: 2, BurstLimit: 1},
		Quota:  &Quota{Limit: 10, Period: "DAY"},
		Stages: []Stage{{APIID: "a1", Stage: "prod", Throttle: map[string]Throttle{"/pets/{id}/GET": {RateLimit: 3, BurstLimit: 4}}}, {APIID: "a2", Stage: "prod"}}}
	d := ComparePlans(observed, desired)
	var paths []string
	for _, op := range d.Operations {
		paths = append(paths, string(op.Op)+" "+aws.ToString(op.Path)+" "+aws.ToString(op.Value))
	}
	for _, want := range []string{
		"replace /description d",
		"replace /throttle/rateLimit 2",
		"replace /quota/limit 10",
		"replace /quota/period DAY",
		"replace /apiStages/a1:prod/throttle/~1pets~1{id}/GET/rateLimit 3",
		"replace /apiStages/a1:prod/throttle/~1pets~1{id}/GET/burstLimit 4",
		"add /apiStages a2:prod",
		"remove /apiStages old:prod",
	} {
		if !slices.Contains(paths, want) {
			t.Errorf("missing %q in %q", want, paths)
		}
	}
	if again := ComparePlans(desired, desired); !again.Empty() || len(again.Operations) != 0 {
		t.Fatalf("a matching plan still differs: %v", again.Changes)
	}
}
