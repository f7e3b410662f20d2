package controller_test

import (
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"
	crmetrics "sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// writeOperations are the control-plane calls that change AWS.
var writeOperations = []string{"CreateApi", "UpdateApi", "DeleteApi", "DeleteCorsConfiguration", "TagResource", "UntagResource",
	"CreateRestApi", "UpdateRestApi", "DeleteRestApi"}

// Resync passes over an API that matches its spec read AWS and write
// nothing. The test runs alone (not parallel) so the emulator's counters see
// only this object's calls.
func TestResyncOfAMatchingAPIWritesNothing(t *testing.T) {
	obj := newGateway("default", "quiet", v1alpha1.ProtocolHTTP)
	obj.Spec.Tags = map[string]string{"a": "b"}
	create(t, obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))

	before := emu.Stats().Calls
	time.Sleep(3 * resync)
	after := emu.Stats().Calls
	// Batched observation reads through GetApis list walks.
	if after["GetApis"] <= before["GetApis"] {
		t.Fatalf("no resync read AWS in %s (GetApis %d → %d)", 3*resync, before["GetApis"], after["GetApis"])
	}
	for _, op := range writeOperations {
		if after[op] != before[op] {
			t.Errorf("%s called %d times by passes with nothing to change", op, after[op]-before[op])
		}
	}
	// Status writes must not start passes, and resyncs must not move the
	// generation or the Ready condition.
	now := getGateway(t, client.ObjectKeyFromObject(obj))
	expectEqual(t, "generation", now.Generation, ready.Generation)
	expectEqual(t, "resourceVersion", now.ResourceVersion, ready.ResourceVersion)

	// The reconcile counter is on controller-runtime's registry.
	families, err := crmetrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range families {
		if f.GetName() == "infra_operator_reconcile_total" {
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "resource_type" && l.GetValue() == "APIGateway" && m.GetCounter().GetValue() > 0 {
						found = true
					}
				}
			}
		}
	}
	if !found {
		t.Fatal("infra_operator_reconcile_total{resource_type=APIGateway} not counted")
	}
}
