package controller_test

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

func providerKeyOf(namespace, name string) client.ObjectKey {
	return client.ObjectKey{Namespace: namespace, Name: name}
}

// A provider authenticates with STS and reports who it is.
func TestProviderAuthenticates(t *testing.T) {
	t.Parallel()
	provider := waitProviderCondition(t, providerKeyOf("default", "aws-provider"), v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	expectEqual(t, "accountID", provider.Status.AccountID, testAccount)
	if !provider.Status.Ready || provider.Status.CallerIdentity == "" || provider.Status.LastAuthenticationTime == nil {
		t.Fatalf("incomplete status: %+v", provider.Status)
	}
}

// Credentials STS refuses stall the provider (CredentialsInvalid) and the
// APIGateways using it wait (ProviderNotReady); fixing the Secret is picked
// up by the Secret watch and everything becomes Ready.
func TestBadCredentials(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "bad-credentials")
	if err := createProvider(ctx, ns, "aws-provider", testRegion, "wrong-secret", nil); err != nil {
		t.Fatal(err)
	}
	key := providerKeyOf(ns, "aws-provider")
	provider := waitProviderCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonCredentialsInvalid)
	if err := conditionIs(provider.Status.Conditions, provider.Generation, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonCredentialsInvalid); err != nil {
		t.Fatal(err)
	}
	note := waitEvent(t, provider, v1alpha1.ReasonCredentialsInvalid)
	for _, leaked := range []string{"wrong-secret", testSecretKey} {
		if contains(note, leaked) || contains(readyMessage(provider.Status.Conditions), leaked) {
			t.Fatalf("a secret leaked into the event or condition: %q", note)
		}
	}

	obj := newGateway(ns, "waits", v1alpha1.ProtocolHTTP)
	create(t, obj)
	gwKey := client.ObjectKeyFromObject(obj)
	waiting := waitGatewayCondition(t, gwKey, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonProviderNotReady)
	if err := conditionIs(waiting.Status.Conditions, waiting.Generation, v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonProviderNotReady); err != nil {
		t.Fatal(err)
	}

	update(t, providerKeyOf(ns, "aws-provider-credentials"), func(secret *corev1.Secret) {
		secret.Data["AWS_SECRET_ACCESS_KEY"] = []byte(testSecretKey)
	})
	waitProviderCondition(t, key, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
	deleteAndWait(t, waitGatewayReady(t, gwKey))
}

// infra_operator_provider_ready says what the same pass wrote in status,
// not what the pass before found: a ClusterAWSProvider with no Secret and
// no dependents is reconciled once, so a lagging gauge would stay 0.
func TestProviderReadyGaugeFollowsThePass(t *testing.T) {
	t.Parallel()
	provider := &v1alpha1.ClusterAWSProvider{ObjectMeta: metav1.ObjectMeta{GenerateName: "gauge-"},
		Spec: v1alpha1.ClusterAWSProviderSpec{AWSConnection: v1alpha1.AWSConnection{Region: testRegion, Endpoint: emulatorURL}}}
	create(t, provider)
	t.Cleanup(func() { deleteAndWait(t, provider) })
	eventually(t, 30*time.Second, func() error {
		current := &v1alpha1.ClusterAWSProvider{}
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(provider), current); err != nil {
			return err
		}
		if !current.Status.Ready {
			return errorf("not ready: %+v", current.Status.Conditions)
		}
		return nil
	})
	if ready, ok := providerReadyGauge(t, "ClusterAWSProvider/"+provider.Name); !ok || ready != 1 {
		t.Fatalf("infra_operator_provider_ready = %v (present %v) for a Ready provider, want 1", ready, ok)
	}
}

// providerReadyGauge reads infra_operator_provider_ready of one provider from
// the operator's registry.
func providerReadyGauge(t *testing.T, provider string) (float64, bool) {
	t.Helper()
	families, err := metrics.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, family := range families {
		if family.GetName() != "infra_operator_provider_ready" {
			continue
		}
		for _, m := range family.GetMetric() {
			for _, label := range m.GetLabel() {
				if label.GetName() == "provider_name" && label.GetValue() == provider {
					return m.GetGauge().GetValue(), true
				}
			}
		}
	}
	return 0, false
}

// A provider whose Secret does not exist is Stalled CredentialsNotFound.
func TestMissingCredentialsSecret(t *testing.T) {
	t.Parallel()
	ns := createNamespace(t, "missing-secret")
	provider := &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "aws-provider"},
		Spec: v1alpha1.AWSProviderSpec{AWSConnection: v1alpha1.AWSConnection{Region: testRegion, Endpoint: emulatorURL},
			CredentialsSecret: &v1alpha1.SecretReference{Name: "absent"}},
	}
	create(t, provider)
	stalled := waitProviderCondition(t, client.ObjectKeyFromObject(provider), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonCredentialsNotFound)
	mustContain(t, readyMessage(stalled.Status.Conditions), ns+"/absent")
}

// A provider cannot vanish while an APIGateway uses it: it is InUse, and its
// deletion waits (WaitingForDependents) until the APIGateway, whose own
// deletion needs the provider to reach AWS, is gone.
func TestProviderInUseOutlivesItsAPIGateways(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "in-use")
	if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	obj := newGateway(ns, "user", v1alpha1.ProtocolHTTP)
	create(t, obj)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))
	key := providerKeyOf(ns, "aws-provider")
	provider := waitProviderCondition(t, key, v1alpha1.ConditionInUse, metav1.ConditionTrue, v1alpha1.ReasonInUse)
	mustContain(t, conditionMessage(provider.Status.Conditions, v1alpha1.ConditionInUse), ns+"/user")

	if err := k8s.Delete(ctx, provider); err != nil {
		t.Fatal(err)
	}
	waiting := waitProviderCondition(t, key, v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonWaitingForDependents)
	if !waiting.Status.Ready {
		t.Fatalf("a provider waiting for dependents must stay ready for their deletion: %+v", waiting.Status)
	}
	waitEvent(t, waiting, v1alpha1.ReasonWaitingForDependents)

	// The APIGateway's Delete policy still reaches AWS through the provider.
	deleteAndWait(t, ready)
	if _, err := awsClient(t, testRegion).Get(ctx, "HTTP", ready.Status.APIID); err == nil {
		t.Fatal("the API outlived its object")
	}
	deleteAndWait(t, waiting)
}

// A provider in another namespace is refused unless it lists the
// APIGateway's namespace; allowing it later is picked up by the watch.
func TestCrossNamespaceProvider(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	shared := createNamespace(t, "shared-providers")
	team := createNamespace(t, "team-a")
	if err := createProvider(ctx, shared, "shared", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	obj := newGateway(team, "cross", v1alpha1.ProtocolHTTP)
	obj.Spec.ProviderRef = v1alpha1.ProviderReference{Name: "shared", Namespace: shared}
	create(t, obj)
	key := client.ObjectKeyFromObject(obj)
	refused := waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotAllowed)
	waitEvent(t, refused, v1alpha1.ReasonProviderNotAllowed)

	update(t, providerKeyOf(shared, "shared"), func(provider *v1alpha1.AWSProvider) {
		provider.Spec.AllowedNamespaces = []string{team}
	})
	deleteAndWait(t, waitGatewayReady(t, key))
}
