package controller_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/controller"
	"github.com/runner-codes/infra-operator/internal/testenv"
)

// The attacks and mistakes of "Trust and ownership", each as a tenant with
// rights only in their own namespace would make them (impersonated users,
// as `kubectl --as` does), and what must happen instead.

// tenantClient returns a client acting as user, who may manage APIGateways,
// providers and Secrets (and, to make the forgery possible, APIGateway
// status) in namespace only.
func tenantClient(t *testing.T, namespace, user string) client.Client {
	t.Helper()
	ctx := context.Background()
	role := &rbacv1.Role{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "tenant"},
		Rules: []rbacv1.PolicyRule{
			{APIGroups: []string{v1alpha1.GroupVersion.Group}, Resources: []string{"apigateways", "apigateways/status", "awsproviders"}, Verbs: []string{"*"}},
			{APIGroups: []string{""}, Resources: []string{"secrets"}, Verbs: []string{"*"}},
		},
	}
	binding := &rbacv1.RoleBinding{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: "tenant-" + user},
		RoleRef:    rbacv1.RoleRef{APIGroup: rbacv1.GroupName, Kind: "Role", Name: role.Name},
		Subjects:   []rbacv1.Subject{{Kind: rbacv1.UserKind, APIGroup: rbacv1.GroupName, Name: user}},
	}
	for _, obj := range []client.Object{role, binding} {
		if err := k8s.Create(ctx, obj); err != nil && !apierrors.IsAlreadyExists(err) {
			t.Fatal(err)
		}
	}
	cfg := rest.CopyConfig(restConfig)
	cfg.Impersonate = rest.ImpersonationConfig{UserName: user}
	scheme, _ := controller.Scheme()
	c, err := client.New(cfg, client.Options{Scheme: scheme})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// recordingServer stands for a server of the attacker's: it records every
// Authorization header it is sent.
type recordingServer struct {
	*httptest.Server
	mu      sync.Mutex
	headers []string
}

func newRecordingServer(t *testing.T) *recordingServer {
	s := &recordingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.headers = append(s.headers, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.WriteHeader(http.StatusForbidden)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *recordingServer) saw(text string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range s.headers {
		if strings.Contains(h, text) {
			return true
		}
	}
	return false
}

func localProvider(namespace, name, secret, endpoint, region string) *v1alpha1.AWSProvider {
	return &v1alpha1.AWSProvider{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.AWSProviderSpec{
			AWSConnection:     v1alpha1.AWSConnection{Region: region, Endpoint: endpoint},
			CredentialsSecret: &v1alpha1.SecretReference{Name: secret},
		},
	}
}

func credentialsSecret(namespace, name, keyID, secretKey string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		StringData: map[string]string{"AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secretKey},
	}
}

// 1. A tenant's provider naming another namespace's Secret, pointed at the
// tenant's own server, must neither authenticate nor send those keys.
func TestTenantCannotBorrowAnotherNamespacesSecret(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	attacker, victim := createNamespace(t, "team-a"), createNamespace(t, "team-b")
	if err := k8s.Create(ctx, credentialsSecret(victim, "victim-creds", otherAccessKey, otherSecretKey)); err != nil {
		t.Fatal(err)
	}
	tenant := tenantClient(t, attacker, "tenant-a")
	if err := tenant.Get(ctx, types.NamespacedName{Namespace: victim, Name: "victim-creds"}, &corev1.Secret{}); !apierrors.IsForbidden(err) {
		t.Fatalf("the tenant can read the victim's Secret itself (err = %v): the test proves nothing", err)
	}
	server := newRecordingServer(t)
	provider := localProvider(attacker, "borrowed", "victim-creds", server.URL, testRegion)
	provider.Spec.CredentialsSecret.Namespace = victim //nolint:staticcheck // sets the deprecated field to prove it is refused
	if err := tenant.Create(ctx, provider); err != nil {
		t.Fatal(err)
	}
	stalled := waitProviderCondition(t, client.ObjectKeyFromObject(provider), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonCredentialsNotAllowed)
	mustContain(t, readyMessage(stalled.Status.Conditions), "reads Secrets of its own namespace only")
	if stalled.Status.Ready || stalled.Status.AccountID != "" {
		t.Fatalf("the provider authenticated with another namespace's keys: %+v", stalled.Status)
	}
	if server.saw(otherAccessKey) {
		t.Fatal("the victim's access key id reached the tenant's server")
	}
}

// 2. The operator's own identity is the cluster admin's: a namespaced
// provider cannot use it, a tenant cannot make a ClusterAWSProvider, and a
// ClusterAWSProvider serves only the namespaces it lists or selects.
func TestOperatorIdentityOnlyThroughClusterProviders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, listed, labelled := createNamespace(t, "tenant"), createNamespace(t, "listed"), createNamespace(t, "labelled")
	tenant := tenantClient(t, ns, "tenant-identity")

	bare := &v1alpha1.AWSProvider{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "default-chain"},
		Spec: v1alpha1.AWSProviderSpec{AWSConnection: v1alpha1.AWSConnection{Region: testRegion, Endpoint: emulatorURL}}}
	err := tenant.Create(ctx, bare)
	if !apierrors.IsInvalid(err) {
		t.Fatalf("a namespaced provider without a Secret: err = %v, want refused at admission", err)
	}
	mustContain(t, err.Error(), "ClusterAWSProvider")

	shared := &v1alpha1.ClusterAWSProvider{ObjectMeta: metav1.ObjectMeta{Name: "shared-" + ns},
		Spec: v1alpha1.ClusterAWSProviderSpec{AWSConnection: v1alpha1.AWSConnection{Region: testRegion, Endpoint: emulatorURL}}}
	if err := tenant.Create(ctx, shared.DeepCopy()); !apierrors.IsForbidden(err) {
		t.Fatalf("a tenant creating a ClusterAWSProvider: err = %v, want Forbidden", err)
	}
	shared.Spec.AllowedNamespaces = []string{listed}
	shared.Spec.NamespaceSelector = &metav1.LabelSelector{MatchLabels: map[string]string{"aws-access": shared.Name}}
	if err := k8s.Create(ctx, shared); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteAndWait(t, shared) })
	labelNamespace(t, labelled, "aws-access", shared.Name)

	ref := v1alpha1.ProviderReference{Kind: v1alpha1.KindClusterAWSProvider, Name: shared.Name}
	refused := newGateway(ns, "uses-identity", v1alpha1.ProtocolHTTP)
	refused.Spec.ProviderRef = ref
	if err := tenant.Create(ctx, refused); err != nil {
		t.Fatal(err)
	}
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(refused), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotAllowed)
	mustContain(t, readyMessage(stalled.Status.Conditions), "spec.allowedNamespaces")

	for _, allowed := range []string{listed, labelled} {
		obj := newGateway(allowed, "uses-identity", v1alpha1.ProtocolHTTP)
		obj.Spec.ProviderRef = ref
		create(t, obj)
		ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))
		if ready.Status.Scope == nil || ready.Status.Scope.AccountID != operatorAccount {
			t.Fatalf("%s: scope %+v, want the operator's own account %s", allowed, ready.Status.Scope, operatorAccount)
		}
		t.Cleanup(func() { deleteAndWait(t, ready) })
	}
}

func labelNamespace(t *testing.T, name, key, value string) {
	t.Helper()
	ns := &corev1.Namespace{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Name: name}, ns); err != nil {
		t.Fatal(err)
	}
	ns.Labels[key] = value
	if err := k8s.Update(context.Background(), ns); err != nil {
		t.Fatal(err)
	}
}

// 3. A status forged to name another object's API makes the operator touch
// that API in no way: no rename, no re-tag, no delete.
func TestForgedStatusTouchesNoOtherAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns, victimNS := createNamespace(t, "forger"), createNamespace(t, "victim")
	for _, n := range []string{ns, victimNS} {
		if err := createProvider(ctx, n, "aws-provider", testRegion, testSecretKey, nil); err != nil {
			t.Fatal(err)
		}
	}
	victim := newGateway(victimNS, "victim", v1alpha1.ProtocolHTTP)
	create(t, victim)
	victimAPI := waitGatewayReady(t, client.ObjectKeyFromObject(victim)).Status.APIID

	tenant := tenantClient(t, ns, "forger")
	forger := newGateway(ns, "forger", v1alpha1.ProtocolHTTP)
	forger.Spec.Name = "forged-name"
	if err := tenant.Create(ctx, forger); err != nil {
		t.Fatal(err)
	}
	key := client.ObjectKeyFromObject(forger)
	ownAPI := waitGatewayReady(t, key).Status.APIID

	patch := []byte(fmt.Sprintf(`{"status":{"apiId":%q}}`, victimAPI))
	if err := tenant.Status().Patch(ctx, forger, client.RawPatch(types.MergePatchType, patch)); err != nil {
		t.Fatal(err)
	}
	// A spec change makes the operator act on the forged status.
	if err := tenant.Get(ctx, key, forger); err != nil {
		t.Fatal(err)
	}
	forger.Spec.Description = "after the forgery"
	if err := tenant.Update(ctx, forger); err != nil {
		t.Fatal(err)
	}
	waitEvent(t, forger, v1alpha1.ReasonNotOwned)
	ready := waitGatewayReady(t, key)
	expectEqual(t, "forger's apiId", ready.Status.APIID, ownAPI)

	gw := awsClient(t, testRegion)
	api, err := gw.Get(ctx, gateway.ProtocolHTTP, victimAPI)
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "victim API name", api.Name, victim.Spec.Name)
	expectEqual(t, "victim API owner", gateway.OwnerUID(api), string(victim.UID))
	expectEqual(t, "victim API description", api.Description, "")

	if err := tenant.Delete(ctx, ready); err != nil {
		t.Fatal(err)
	}
	deleteAndWait(t, ready)
	if _, err := gw.Get(ctx, gateway.ProtocolHTTP, victimAPI); err != nil {
		t.Fatalf("deleting the forger touched the victim's API: %v", err)
	}
	if _, err := gw.Get(ctx, gateway.ProtocolHTTP, ownAPI); err == nil {
		t.Fatal("the forger's own API outlived it")
	}
}

// 4. Two objects adopting one API at once: exactly one wins, the other is
// Stalled, and deleting the loser leaves the API.
func TestAdoptionRaceHasOneWinner(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "adopt-race")
	if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	gw := awsClient(t, testRegion)
	unowned, err := gw.Create(ctx, gateway.API{Name: "unowned", Protocol: gateway.ProtocolHTTP, EndpointType: gateway.EndpointRegional})
	if err != nil {
		t.Fatal(err)
	}
	racers := []*v1alpha1.APIGateway{newGateway(ns, "first", v1alpha1.ProtocolHTTP), newGateway(ns, "second", v1alpha1.ProtocolHTTP)}
	var wg sync.WaitGroup
	for _, obj := range racers {
		obj.Annotations = map[string]string{v1alpha1.AdoptAPIIDAnnotation: unowned.ID}
		wg.Go(func() { create(t, obj) })
	}
	wg.Wait()

	var winner, loser *v1alpha1.APIGateway
	eventually(t, 30*time.Second, func() error {
		winner, loser = nil, nil
		for _, obj := range racers {
			current := getGateway(t, client.ObjectKeyFromObject(obj))
			switch {
			case current.Status.Ready && current.Status.APIID == unowned.ID:
				winner = current
			case conditionIs(current.Status.Conditions, current.Generation, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonAdoptionFailed) == nil:
				loser = current
			}
		}
		if winner == nil || loser == nil {
			return fmt.Errorf("want one adopter Ready on %s and one Stalled, got winner %v loser %v", unowned.ID, winner != nil, loser != nil)
		}
		return nil
	})
	api, err := gw.Get(ctx, gateway.ProtocolHTTP, unowned.ID)
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "owner of the adopted API", gateway.OwnerUID(api), string(winner.UID))
	if loser.Status.APIID == unowned.ID {
		t.Fatalf("the loser records the API as its own: %+v", loser.Status)
	}
	deleteAndWait(t, loser)
	if _, err := gw.Get(ctx, gateway.ProtocolHTTP, unowned.ID); err != nil {
		t.Fatalf("deleting the losing adopter deleted the API: %v", err)
	}
	deleteAndWait(t, winner)
	if _, err := gw.Get(ctx, gateway.ProtocolHTTP, unowned.ID); err == nil {
		t.Fatal("deleting the winner (policy Delete) left the API")
	}
}

// 5. A move is a move: changing the provider's region or the providerRef
// handles the old API by the deletion policy; credentials of another
// account, which cannot reach the old API, are refused until undone.
func TestScopeChangesMoveTheAPI(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, policy := range []v1alpha1.DeletionPolicy{v1alpha1.DeletionDelete, v1alpha1.DeletionRetain, v1alpha1.DeletionOrphan} {
		t.Run("region change, "+string(policy), func(t *testing.T) {
			t.Parallel()
			ns := createNamespace(t, "move-"+strings.ToLower(string(policy)))
			if err := createProvider(ctx, ns, "aws-provider", "us-east-1", testSecretKey, nil); err != nil {
				t.Fatal(err)
			}
			obj := newGateway(ns, "mover", v1alpha1.ProtocolHTTP)
			obj.Spec.DeletionPolicy = policy
			create(t, obj)
			key := client.ObjectKeyFromObject(obj)
			before := waitGatewayReady(t, key)
			oldID := before.Status.APIID
			expectEqual(t, "recorded region", before.Status.Scope.Region, "us-east-1")

			update(t, providerKeyOf(ns, "aws-provider"), func(provider *v1alpha1.AWSProvider) { provider.Spec.Region = "eu-west-1" })
			var after *v1alpha1.APIGateway
			eventually(t, 30*time.Second, func() error {
				after = getGateway(t, key)
				if after.Status.Scope == nil || after.Status.Scope.Region != "eu-west-1" || !after.Status.Ready {
					return fmt.Errorf("not moved yet: %+v", after.Status)
				}
				return nil
			})
			note := waitEvent(t, after, v1alpha1.ReasonMoved)
			mustContain(t, note, "region us-east-1")
			if owned := ownedBy(t, awsClient(t, "eu-west-1"), gateway.ProtocolHTTP, obj.UID); len(owned) != 1 || owned[0].ID != after.Status.APIID {
				t.Fatalf("eu-west-1 holds %d APIs of the object, want the one status names", len(owned))
			}
			old, err := awsClient(t, "us-east-1").Get(ctx, gateway.ProtocolHTTP, oldID)
			switch policy {
			case v1alpha1.DeletionDelete:
				if err == nil {
					t.Fatalf("the old API %s was left in us-east-1", oldID)
				}
			case v1alpha1.DeletionRetain:
				if err != nil || gateway.OwnerUID(old) != string(obj.UID) {
					t.Fatalf("Retain: the old API is gone or lost its tags: %+v, %v", old, err)
				}
			case v1alpha1.DeletionOrphan:
				if err != nil || gateway.OwnerUID(old) != "" || old.Tags[ownership.OwnerTagKey] != "" {
					t.Fatalf("Orphan: the old API is gone or kept its ownership tags: %+v, %v", old, err)
				}
			}
			deleteAndWait(t, after)
		})
	}

	t.Run("providerRef to another region", func(t *testing.T) {
		t.Parallel()
		ns := createNamespace(t, "move-ref")
		for name, region := range map[string]string{"east": "us-east-1", "west": "eu-west-1"} {
			if err := createProvider(ctx, ns, name, region, testSecretKey, nil); err != nil {
				t.Fatal(err)
			}
		}
		obj := newGateway(ns, "mover", v1alpha1.ProtocolREST)
		obj.Spec.ProviderRef.Name = "east"
		create(t, obj)
		key := client.ObjectKeyFromObject(obj)
		oldID := waitGatewayReady(t, key).Status.APIID
		updateSpec(t, key, func(o *v1alpha1.APIGateway) { o.Spec.ProviderRef.Name = "west" })
		eventually(t, 30*time.Second, func() error {
			if now := getGateway(t, key); now.Status.Scope == nil || now.Status.Scope.Region != "eu-west-1" || !now.Status.Ready {
				return fmt.Errorf("not moved yet: %+v", now.Status)
			}
			return nil
		})
		if _, err := awsClient(t, "us-east-1").Get(ctx, gateway.ProtocolREST, oldID); err == nil {
			t.Fatalf("the old API %s was left in us-east-1", oldID)
		}
		deleteAndWait(t, getGateway(t, key))
	})

	t.Run("credentials of another account", func(t *testing.T) {
		t.Parallel()
		ns := createNamespace(t, "move-account")
		if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
			t.Fatal(err)
		}
		obj := newGateway(ns, "mover", v1alpha1.ProtocolHTTP)
		create(t, obj)
		key := client.ObjectKeyFromObject(obj)
		oldID := waitGatewayReady(t, key).Status.APIID

		setSecret := func(keyID, secretKey string) {
			update(t, types.NamespacedName{Namespace: ns, Name: "aws-provider-credentials"}, func(secret *corev1.Secret) {
				secret.Data = map[string][]byte{"AWS_ACCESS_KEY_ID": []byte(keyID), "AWS_SECRET_ACCESS_KEY": []byte(secretKey)}
			})
		}
		setSecret(otherAccessKey, otherSecretKey)
		refused := waitGatewayCondition(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonMoveRefused)
		mustContain(t, readyMessage(refused.Status.Conditions), "Undo the change")
		if owned := ownedBy(t, awsClient(t, testRegion), gateway.ProtocolHTTP, obj.UID); len(owned) != 1 || owned[0].ID != oldID {
			t.Fatalf("the API in the first account: %d owned, want %s still there", len(owned), oldID)
		}
		setSecret(testAccessKey, testSecretKey)
		expectEqual(t, "apiId once the change is undone", waitGatewayReady(t, key).Status.APIID, oldID)
		deleteAndWait(t, getGateway(t, key))
	})
}

// 6. Tearing down a namespace deletes everything in it at once (Secret
// first, as the namespace controller may); the APIs' deletion still
// reaches AWS, and everything goes.
func TestNamespaceTeardownCompletes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "teardown")
	if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	var gateways []*v1alpha1.APIGateway
	for _, protocol := range []v1alpha1.ProtocolType{v1alpha1.ProtocolHTTP, v1alpha1.ProtocolREST} {
		obj := newGateway(ns, strings.ToLower(string(protocol)), protocol)
		create(t, obj)
		gateways = append(gateways, waitGatewayReady(t, client.ObjectKeyFromObject(obj)))
	}
	secret := &corev1.Secret{}
	secretKey := types.NamespacedName{Namespace: ns, Name: "aws-provider-credentials"}
	eventually(t, 30*time.Second, func() error {
		if err := k8s.Get(ctx, secretKey, secret); err != nil {
			return err
		}
		if !contains(strings.Join(secret.Finalizers, ","), v1alpha1.CredentialsFinalizer) {
			return fmt.Errorf("the Secret in use is not guarded: finalizers %v", secret.Finalizers)
		}
		return nil
	})
	provider := &v1alpha1.AWSProvider{}
	if err := k8s.Get(ctx, providerKeyOf(ns, "aws-provider"), provider); err != nil {
		t.Fatal(err)
	}
	for _, obj := range append([]client.Object{secret, provider}, gateways[0], gateways[1]) {
		if err := k8s.Delete(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	for _, obj := range []client.Object{gateways[0], gateways[1], provider, secret} {
		deleteAndWait(t, obj)
	}
	gw := awsClient(t, testRegion)
	for _, obj := range gateways {
		if _, err := gw.Get(ctx, gateway.Protocol(obj.Spec.ProtocolType), obj.Status.APIID); err == nil {
			t.Errorf("API %s of %s was left in AWS", obj.Status.APIID, obj.Name)
		}
	}
}

// 7. A refused cross-namespace reference is no dependent: it neither holds
// the provider's deletion nor shows its name to the provider's namespace. A
// provider being deleted accepts no new dependent.
func TestRefusedReferenceIsNoDependent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	home, other := createNamespace(t, "owner"), createNamespace(t, "outsider")
	if err := createProvider(ctx, home, "aws-provider", testRegion, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	outsider := newGateway(other, "outsider", v1alpha1.ProtocolHTTP)
	outsider.Spec.ProviderRef.Namespace = home
	create(t, outsider)
	waitGatewayCondition(t, client.ObjectKeyFromObject(outsider), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotAllowed)
	provider := waitProviderCondition(t, providerKeyOf(home, "aws-provider"), v1alpha1.ConditionInUse, metav1.ConditionFalse, v1alpha1.ReasonNotInUse)
	if strings.Contains(conditionMessage(provider.Status.Conditions, v1alpha1.ConditionInUse), other) {
		t.Fatalf("the provider names the refused outsider: %+v", provider.Status.Conditions)
	}

	user := newGateway(home, "user", v1alpha1.ProtocolHTTP)
	create(t, user)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(user))
	waitProviderCondition(t, providerKeyOf(home, "aws-provider"), v1alpha1.ConditionInUse, metav1.ConditionTrue, v1alpha1.ReasonInUse)
	if err := k8s.Delete(ctx, provider); err != nil {
		t.Fatal(err)
	}
	waitProviderCondition(t, providerKeyOf(home, "aws-provider"), v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonWaitingForDependents)
	latecomer := newGateway(home, "latecomer", v1alpha1.ProtocolHTTP)
	create(t, latecomer)
	late := waitGatewayCondition(t, client.ObjectKeyFromObject(latecomer), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderDeleting)
	if len(late.Finalizers) != 0 || late.Status.APIID != "" {
		t.Fatalf("a provider being deleted took a new dependent: %+v", late)
	}
	deleteAndWait(t, ready)
	deleteAndWait(t, provider) // neither the outsider nor the latecomer holds it
}

// 9. A failure that repeats on every pass makes one event: messages carry
// no request ids.
func TestRepeatedFailureMakesOneEvent(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "flaky")
	failing := testenv.NewFailingAWS(t)
	if err := k8s.Create(ctx, credentialsSecret(ns, "creds", testAccessKey, testSecretKey)); err != nil {
		t.Fatal(err)
	}
	provider := localProvider(ns, "flaky", "creds", failing.URL, testRegion)
	create(t, provider)
	eventually(t, 60*time.Second, func() error {
		if n := failing.Requests(); n < 5 {
			return fmt.Errorf("%d passes so far", n)
		}
		return nil
	})
	current := waitProviderCondition(t, client.ObjectKeyFromObject(provider), v1alpha1.ConditionReconciling, metav1.ConditionTrue, v1alpha1.ReasonAWSUnavailable)
	if msg := readyMessage(current.Status.Conditions); strings.Contains(msg, "req-") || strings.Contains(msg, "request ") {
		t.Fatalf("the message carries what changes per attempt: %q", msg)
	}
	notes, err := eventNotes(current, v1alpha1.ReasonAWSUnavailable)
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("%d failing passes made %d AWSUnavailable events, want 1: %q", failing.Requests(), len(notes), notes)
	}
}

// 10. Any valid Kubernetes name can be created: the owner hint is shortened
// to fit AWS's tag limit, the UID tag decides.
func TestLongestNameIsCreated(t *testing.T) {
	t.Parallel()
	obj := newGateway("default", strings.Repeat("n", 253), v1alpha1.ProtocolHTTP)
	obj.Spec.Name = "longest-name"
	create(t, obj)
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(obj))
	t.Cleanup(func() { deleteAndWait(t, ready) })
	api, err := awsClient(t, testRegion).Get(context.Background(), gateway.ProtocolHTTP, ready.Status.APIID)
	if err != nil {
		t.Fatal(err)
	}
	if hint := api.Tags[ownership.OwnerTagKey]; len(hint) > 256 || !strings.HasPrefix(hint, "default/nnnn") {
		t.Fatalf("owner hint %q (%d characters)", hint, len(hint))
	}
	expectEqual(t, "owner UID", gateway.OwnerUID(api), string(ready.UID))
}

// Tag values AWS would refuse are refused before any AWS call, naming the
// key; so is a tag count over AWS's 50 once the provider's defaults and the
// ownership tags are added.
func TestTagsAWSWouldRefuseStallBeforeAnyCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ns := createNamespace(t, "tags")
	defaults := map[string]string{}
	for i := range 10 {
		defaults[fmt.Sprint("default-", i)] = "x"
	}
	if err := createProvider(ctx, ns, "aws-provider", testRegion, testSecretKey, func(p *v1alpha1.AWSProvider) { p.Spec.DefaultTags = defaults }); err != nil {
		t.Fatal(err)
	}
	badValue := newGateway(ns, "bad-value", v1alpha1.ProtocolHTTP)
	badValue.Spec.Tags = map[string]string{"owner": "ops*team"}
	create(t, badValue)
	stalled := waitGatewayCondition(t, client.ObjectKeyFromObject(badValue), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	mustContain(t, readyMessage(stalled.Status.Conditions), `tag "owner" in spec.tags`)

	tooMany := newGateway(ns, "too-many", v1alpha1.ProtocolHTTP)
	tooMany.Spec.Tags = map[string]string{}
	for i := range 48 {
		tooMany.Spec.Tags[fmt.Sprint("own-", i)] = "y"
	}
	create(t, tooMany)
	stalled = waitGatewayCondition(t, client.ObjectKeyFromObject(tooMany), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonTooManyTags)
	mustContain(t, readyMessage(stalled.Status.Conditions), "60 tags")
	for _, obj := range []*v1alpha1.APIGateway{badValue, tooMany} {
		if owned := ownedBy(t, awsClient(t, testRegion), gateway.ProtocolHTTP, obj.UID); len(owned) != 0 {
			t.Fatalf("%s: an API was made although the spec cannot be honoured", obj.Name)
		}
	}
}
