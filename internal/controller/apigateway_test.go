package controller_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
)

// Every CEL rule refuses what AWS would refuse, with its own message.
func TestAdmissionRules(t *testing.T) {
	t.Parallel()
	cors := &v1alpha1.CORSConfiguration{AllowOrigins: []string{"https://a.example"}}
	cases := map[string]struct {
		protocol v1alpha1.ProtocolType
		mutate   func(*v1alpha1.APIGatewaySpec)
		want     string
	}{
		"CORS on REST":      {v1alpha1.ProtocolREST, func(s *v1alpha1.APIGatewaySpec) { s.CORSConfiguration = cors }, "corsConfiguration is supported only with protocolType: HTTP"},
		"CORS on WEBSOCKET": {v1alpha1.ProtocolWebSocket, func(s *v1alpha1.APIGatewaySpec) { s.CORSConfiguration = cors }, "corsConfiguration is supported only with protocolType: HTTP"},
		"maxAge too big": {v1alpha1.ProtocolHTTP, func(s *v1alpha1.APIGatewaySpec) {
			s.CORSConfiguration = &v1alpha1.CORSConfiguration{MaxAge: ptr.To[int32](86401)}
		}, "maxAge must be between -1 and 86400"},
		"maxAge too small": {v1alpha1.ProtocolHTTP, func(s *v1alpha1.APIGatewaySpec) {
			s.CORSConfiguration = &v1alpha1.CORSConfiguration{MaxAge: ptr.To[int32](-2)}
		}, "maxAge must be between -1 and 86400"},
		"aws: tag":                {v1alpha1.ProtocolHTTP, func(s *v1alpha1.APIGatewaySpec) { s.Tags = map[string]string{"aws:owner": "x"} }, "tag keys starting with aws: (in any case) are reserved by AWS"},
		"EDGE on WEBSOCKET":       {v1alpha1.ProtocolWebSocket, func(s *v1alpha1.APIGatewaySpec) { s.EndpointType = v1alpha1.EndpointEdge }, "endpointType EDGE and PRIVATE exist only for protocolType: REST"},
		"VPC ids on REGIONAL":     {v1alpha1.ProtocolREST, func(s *v1alpha1.APIGatewaySpec) { s.VPCEndpointIDs = []string{"vpce-1"} }, "vpcEndpointIds apply only to endpointType: PRIVATE"},
		"route selection on HTTP": {v1alpha1.ProtocolHTTP, func(s *v1alpha1.APIGatewaySpec) { s.RouteSelectionExpression = "$request.body.x" }, "apply only to protocolType: WEBSOCKET"},
	}
	for name, tc := range cases {
		obj := newGateway("default", "admission", tc.protocol)
		tc.mutate(&obj.Spec)
		err := k8s.Create(context.Background(), obj)
		if !apierrors.IsInvalid(err) {
			t.Fatalf("%s: want Invalid, got %v", name, err)
		}
		mustContain(t, err.Error(), tc.want)
	}

	// protocolType is immutable once created.
	obj := newGateway("default", "immutable-protocol", v1alpha1.ProtocolHTTP)
	create(t, obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	var err error
	eventually(t, 10*time.Second, func() error {
		if err = k8s.Get(context.Background(), client.ObjectKeyFromObject(obj), obj); err != nil {
			return err
		}
		obj.Spec.ProtocolType = v1alpha1.ProtocolWebSocket
		if err = k8s.Update(context.Background(), obj); apierrors.IsConflict(err) {
			return err // the controller wrote meanwhile
		}
		return nil
	})
	if !apierrors.IsInvalid(err) {
		t.Fatalf("changing protocolType: want Invalid, got %v", err)
	}
	mustContain(t, err.Error(), "protocolType is immutable")
}

// Each field changes in place: same API id, AWS follows the spec.
func TestUpdatesInPlace(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "updates", v1alpha1.ProtocolHTTP)
	obj.Spec.Tags = map[string]string{"keep": "1", "change": "old", "remove": "x"}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	id := waitGatewayReady(t, key).Status.APIID
	gw := awsClient(t, testRegion)

	steps := []struct {
		name   string
		change func(*v1alpha1.APIGatewaySpec)
		check  func(gateway.API) bool
	}{
		{"name", func(s *v1alpha1.APIGatewaySpec) { s.Name = "renamed" }, func(a gateway.API) bool { return a.Name == "renamed" }},
		{"description", func(s *v1alpha1.APIGatewaySpec) { s.Description = "described" }, func(a gateway.API) bool { return a.Description == "described" }},
		{"CORS added", func(s *v1alpha1.APIGatewaySpec) {
			s.CORSConfiguration = &v1alpha1.CORSConfiguration{AllowOrigins: []string{"https://a.example"}, MaxAge: ptr.To[int32](60)}
		}, func(a gateway.API) bool { return a.CORS != nil && a.CORS.MaxAge != nil && *a.CORS.MaxAge == 60 }},
		{"CORS changed", func(s *v1alpha1.APIGatewaySpec) {
			s.CORSConfiguration.AllowOrigins = []string{"https://b.example"}
			s.CORSConfiguration.AllowCredentials = ptr.To(true)
		}, func(a gateway.API) bool {
			return a.CORS != nil && a.CORS.AllowCredentials && len(a.CORS.AllowOrigins) == 1 && a.CORS.AllowOrigins[0] == "https://b.example"
		}},
		{"CORS removed", func(s *v1alpha1.APIGatewaySpec) { s.CORSConfiguration = nil }, func(a gateway.API) bool { return a.CORS == nil }},
		{"disableExecuteApiEndpoint", func(s *v1alpha1.APIGatewaySpec) { s.DisableExecuteAPIEndpoint = true }, func(a gateway.API) bool { return a.DisableExecuteAPIEndpoint }},
		{"tags", func(s *v1alpha1.APIGatewaySpec) {
			s.Tags = map[string]string{"keep": "1", "change": "new", "added": "y"}
		}, func(a gateway.API) bool {
			_, removed := a.Tags["remove"]
			return a.Tags["keep"] == "1" && a.Tags["change"] == "new" && a.Tags["added"] == "y" && !removed &&
				gateway.OwnerUID(a) == string(obj.UID)
		}},
	}
	for _, step := range steps {
		updateSpec(t, key, func(o *v1alpha1.APIGateway) { step.change(&o.Spec) })
		ready := waitGatewayReady(t, key)
		expectEqual(t, step.name+": API id", ready.Status.APIID, id)
		api, err := gw.Get(context.Background(), gateway.ProtocolHTTP, id)
		if err != nil {
			t.Fatal(err)
		}
		if !step.check(api) {
			t.Fatalf("%s: AWS did not follow the spec: %+v", step.name, api)
		}
	}
}

// A REST API moves between endpoint types as AWS allows; PRIVATE→EDGE, which
// AWS refuses, is refused at admission with a message naming the fix, and
// the API stays as it was.
func TestRESTEndpointTypeTransitions(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "endpoint-types", v1alpha1.ProtocolREST)
	obj.Spec.EndpointType = v1alpha1.EndpointRegional
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	id := waitGatewayReady(t, key).Status.APIID
	gw := awsClient(t, testRegion)

	for _, to := range []v1alpha1.EndpointType{v1alpha1.EndpointEdge, v1alpha1.EndpointPrivate} {
		updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.EndpointType = to })
		ready := waitGatewayReady(t, key)
		expectEqual(t, "status.endpointType", ready.Status.EndpointType, to)
		api, err := gw.Get(context.Background(), gateway.ProtocolREST, id)
		if err != nil {
			t.Fatal(err)
		}
		expectEqual(t, "endpoint type in AWS", api.EndpointType, string(to))
	}

	private := &v1alpha1.APIGateway{}
	if err := k8s.Get(context.Background(), key, private); err != nil {
		t.Fatal(err)
	}
	private.Spec.EndpointType = v1alpha1.EndpointEdge
	err := k8s.Update(context.Background(), private)
	if !apierrors.IsInvalid(err) {
		t.Fatalf("PRIVATE to EDGE: err = %v, want the API server to refuse it", err)
	}
	mustContain(t, err.Error(), "endpointType cannot change from PRIVATE to EDGE")
	if api, err := gw.Get(context.Background(), gateway.ProtocolREST, id); err != nil || api.EndpointType != gateway.EndpointPrivate {
		t.Fatalf("after the refusal AWS has %+v (%v), want the API still PRIVATE", api, err)
	}

	updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.EndpointType = v1alpha1.EndpointRegional })
	expectEqual(t, "status.endpointType", waitGatewayReady(t, key).Status.EndpointType, v1alpha1.EndpointRegional)
}

// Changes made outside Kubernetes are reverted at the next resync, with
// events saying what changed.
func TestDriftIsHealed(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "drift", v1alpha1.ProtocolHTTP)
	obj.Spec.Tags = map[string]string{"team": "platform"}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	ready := waitGatewayReady(t, key)
	gw := awsClient(t, testRegion)
	ctx := context.Background()

	observed, err := gw.Get(ctx, gateway.ProtocolHTTP, ready.Status.APIID)
	if err != nil {
		t.Fatal(err)
	}
	tampered := observed
	tampered.Name = "changed-by-hand"
	tampered.Tags = maps.Clone(observed.Tags)
	tampered.Tags["team"] = "someone-else"
	if _, err := gw.Update(ctx, observed, tampered); err != nil {
		t.Fatal(err)
	}

	eventually(t, 20*time.Second, func() error {
		api, err := gw.Get(ctx, gateway.ProtocolHTTP, ready.Status.APIID)
		if err != nil {
			return err
		}
		if api.Name != obj.Spec.Name || api.Tags["team"] != "platform" {
			return errorf("not reverted yet: name %q, team %q", api.Name, api.Tags["team"])
		}
		return nil
	})
	mustContain(t, waitEvent(t, ready, v1alpha1.ReasonDriftDetected), "changed-by-hand")
	mustContain(t, waitEvent(t, ready, v1alpha1.ReasonDriftHealed), "someone-else")
}

// An API deleted outside Kubernetes is created again.
func TestDeletedOutsideIsRecreated(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", "deleted-outside", v1alpha1.ProtocolWebSocket)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	first := waitGatewayReady(t, key).Status.APIID
	gw := awsClient(t, testRegion)
	if err := gw.Delete(context.Background(), gateway.ProtocolWebSocket, first); err != nil {
		t.Fatal(err)
	}
	var recreated *v1alpha1.APIGateway
	eventually(t, 20*time.Second, func() error {
		recreated = getGateway(t, key)
		if recreated.Status.APIID == first || !recreated.Status.Ready {
			return errorf("not recreated yet: %+v", recreated.Status)
		}
		return nil
	})
	if _, err := gw.Get(context.Background(), gateway.ProtocolWebSocket, recreated.Status.APIID); err != nil {
		t.Fatal(err)
	}
	mustContain(t, waitEvent(t, recreated, v1alpha1.ReasonDriftDetected), first)
}

// A kill between CreateApi and the status write leaves an API tagged with
// the object's UID and no apiId in status. To get exactly that state, the
// object first waits for a provider that does not exist yet (so the
// controller has added its finalizer but created nothing), and the API is
// created in AWS with the object's ownership tags, as the lost create would
// have. Once the provider appears, the controller must take that API, not
// make a second one. The provider's region is one no other test uses: like a
// restarted operator, this one then holds no list snapshot older than the
// lost create.
func TestCrashBetweenCreateAndStatusMakesNoSecondAPI(t *testing.T) {
	t.Parallel()
	const crashRegion = "ap-southeast-2"
	ns := createNamespace(t, "crash-safety")
	obj := newGateway(ns, "crash", v1alpha1.ProtocolHTTP)
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	t.Cleanup(func() { deleteAndWait(t, obj) })
	waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)

	gw := awsClient(t, crashRegion)
	obj = getGateway(t, key)
	tags := ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))
	lost, err := gw.Create(context.Background(), gateway.API{Name: obj.Spec.Name, Protocol: gateway.ProtocolHTTP, Tags: tags})
	if err != nil {
		t.Fatal(err)
	}

	if err := createProvider(context.Background(), ns, "aws-provider", crashRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	ready := waitGatewayReady(t, key)
	expectEqual(t, "apiId", ready.Status.APIID, lost.ID)
	if owned := ownedBy(t, gw, gateway.ProtocolHTTP, obj.UID); len(owned) != 1 {
		t.Fatalf("want exactly one API owned by the object, found %d", len(owned))
	}
}

// The adopt annotation takes over an existing API and brings it to the
// spec; an API owned by another object is refused.
func TestAdoptionByAnnotation(t *testing.T) {
	t.Parallel()
	gw := awsClient(t, testRegion)
	ctx := context.Background()
	existing, err := gw.Create(ctx, gateway.API{Name: "made-elsewhere", Protocol: gateway.ProtocolHTTP, Tags: map[string]string{"origin": "console"}})
	if err != nil {
		t.Fatal(err)
	}
	obj := newGateway("default", "adopter", v1alpha1.ProtocolHTTP)
	obj.Annotations = map[string]string{v1alpha1.AdoptAPIIDAnnotation: existing.ID}
	obj.Spec.DeletionPolicy = v1alpha1.DeletionOrphan
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	ready := waitGatewayReady(t, key)
	expectEqual(t, "apiId", ready.Status.APIID, existing.ID)
	adopted, err := gw.Get(ctx, gateway.ProtocolHTTP, existing.ID)
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "name", adopted.Name, obj.Spec.Name)
	expectEqual(t, "owner", gateway.OwnerUID(adopted), string(ready.UID))

	// A second object cannot take the API the first one owns.
	thief := newGateway("default", "thief", v1alpha1.ProtocolHTTP)
	thief.Annotations = map[string]string{v1alpha1.AdoptAPIIDAnnotation: existing.ID}
	create(t, thief)
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(thief), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonAdoptionFailed)
	if stalled.Status.APIID != "" {
		t.Fatalf("the refused adoption recorded an API: %+v", stalled.Status)
	}
	deleteAndWait(t, thief)
	deleteAndWait(t, ready)
	if _, err := gw.Get(ctx, gateway.ProtocolHTTP, existing.ID); err != nil {
		t.Fatalf("the refused adopter's deletion touched the API: %v", err)
	}
}

// Delete removes the API from AWS; Retain keeps it with its ownership tags;
// Orphan keeps it without them.
func TestDeletionPolicies(t *testing.T) {
	t.Parallel()
	gw := awsClient(t, testRegion)
	for _, policy := range []v1alpha1.DeletionPolicy{v1alpha1.DeletionDelete, v1alpha1.DeletionRetain, v1alpha1.DeletionOrphan} {
		obj := newGateway("default", "policy-"+strings.ToLower(string(policy)), v1alpha1.ProtocolREST)
		obj.Spec.DeletionPolicy = policy
		obj.Spec.Tags = map[string]string{"mine": "yes"}
		create(t, obj)
		ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))
		deleteAndWait(t, ready)

		api, err := gw.Get(context.Background(), gateway.ProtocolREST, ready.Status.APIID)
		switch policy {
		case v1alpha1.DeletionDelete:
			if !awserrors.IsNotFound(err) {
				t.Fatalf("Delete: Get returned %v, want not found", err)
			}
		case v1alpha1.DeletionRetain:
			if err != nil {
				t.Fatal(err)
			}
			expectEqual(t, "Retain: owner", gateway.OwnerUID(api), string(ready.UID))
		case v1alpha1.DeletionOrphan:
			if err != nil {
				t.Fatal(err)
			}
			_, owner := api.Tags[ownership.OwnerTagKey]
			if gateway.OwnerUID(api) != "" || owner {
				t.Fatalf("Orphan: ownership tags left: %v", api.Tags)
			}
			expectEqual(t, "Orphan: user tag", api.Tags["mine"], "yes")
		}
	}
}

// An APIGateway whose provider does not exist never takes a finalizer, so
// deleting it cannot hang. One whose provider disappears after its API was
// made (the provider's finalizer removed by hand) is let go too, with a
// warning that the API is left in AWS.
func TestDeletionWithoutProviderDoesNotHang(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	obj := newGateway("default", "no-provider", v1alpha1.ProtocolHTTP)
	obj.Spec.ProviderRef.Name = "nowhere"
	create(t, obj)
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(obj), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	mustContain(t, conditionMessage(stalled.Status.Conditions, v1alpha1.ConditionStalled), "default/nowhere")
	if len(stalled.Finalizers) != 0 {
		t.Fatalf("an object whose provider was never found took finalizers %v", stalled.Finalizers)
	}
	deleteAndWait(t, stalled)

	ns := createNamespace(t, "provider-gone")
	if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	made := newGateway(ns, "made", v1alpha1.ProtocolHTTP)
	create(t, made)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(made))
	update(t, providerKeyOf(ns, "aws-provider"), func(provider *v1alpha1.AWSProvider) { provider.Finalizers = nil })
	provider := &v1alpha1.AWSProvider{}
	if err := k8s.Get(ctx, providerKeyOf(ns, "aws-provider"), provider); err != nil {
		t.Fatal(err)
	}
	deleteAndWait(t, provider)
	deleteAndWait(t, ready)
	note := waitEvent(t, ready, v1alpha1.ReasonProviderNotFound)
	mustContain(t, note, "left in AWS")
	mustContain(t, note, ready.Status.APIID)
}
