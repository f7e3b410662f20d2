package controller_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// perAPIReads are the calls that read one API; listCalls walk a family.
var (
	perAPIReads = []string{"GetApi", "GetRestApi", "GetTags"}
	listCalls   = []string{"GetApis", "GetRestApis"}
)

// With batched observation (the suite's default), the steady-state resync of
// many APIs reads AWS only through list walks: about one per protocol family
// per resync period, however many objects there are. The test runs alone
// (not parallel) so the emulator's counters see only this traffic.
func TestBatchedResyncOnlyLists(t *testing.T) {
	ns := createNamespace(t, "batched")
	if err := createProvider(context.Background(), ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	var objs []*v1alpha1.APIGateway
	for i, protocol := range []v1alpha1.ProtocolType{
		v1alpha1.ProtocolHTTP, v1alpha1.ProtocolHTTP, v1alpha1.ProtocolWebSocket,
		v1alpha1.ProtocolWebSocket, v1alpha1.ProtocolREST, v1alpha1.ProtocolREST,
	} {
		obj := newGateway(ns, fmt.Sprintf("batched-%d", i), protocol)
		if protocol == v1alpha1.ProtocolREST {
			obj.Spec.EndpointType = v1alpha1.EndpointRegional
		}
		create(t, obj)
		t.Cleanup(func() { deleteAndWait(t, obj) })
		objs = append(objs, obj)
	}
	for _, obj := range objs {
		waitGatewayReady(t, client.ObjectKeyFromObject(obj))
	}

	const periods = 3
	time.Sleep(resync) // let the passes that created the APIs settle
	before := emu.Stats().Calls
	time.Sleep(periods * resync)
	after := emu.Stats().Calls

	for _, op := range perAPIReads {
		if n := after[op] - before[op]; n != 0 {
			t.Errorf("%s called %d times in steady state; batched observation should only list", op, n)
		}
	}
	for _, op := range writeOperations {
		if n := after[op] - before[op]; n != 0 {
			t.Errorf("%s called %d times by passes with nothing to change", op, n)
		}
	}
	// Each family is walked at most once per period, plus one walk that
	// the window may cut; both families must have been walked.
	for _, op := range listCalls {
		n := after[op] - before[op]
		if n == 0 || n > periods+1 {
			t.Errorf("%s called %d times in %d resync periods, want 1..%d", op, n, periods, periods+1)
		}
	}
}
