package controller_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/apigateway"
	apitypes "github.com/aws/aws-sdk-go-v2/service/apigateway/types"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// Usage plan and API key tests: each runs in a namespace and region of its
// own, against the emulator over HTTP; the test reads and changes AWS with
// the SDK of its own.

// restV1 is the test's own API Gateway (v1) SDK client for a region.
func restV1(t *testing.T, region string) *apigateway.Client {
	t.Helper()
	cfg, err := session.NewConfig(context.Background(), testSettings(region))
	if err != nil {
		t.Fatal(err)
	}
	return apigateway.NewFromConfig(cfg)
}

// keyedGateway is a REST API whose GET /pets needs an API key, answered
// by a mock, on stage prod.
func keyedGateway(namespace, name string) *v1alpha1.APIGateway {
	obj := newGateway(namespace, name, v1alpha1.ProtocolREST)
	obj.Spec.Integrations = []v1alpha1.Integration{{Name: "mock", Mock: &v1alpha1.MockIntegration{StatusCode: 200, Body: `{"ok":true}`}}}
	obj.Spec.Routes = []v1alpha1.Route{{Key: "GET /pets", Integration: "mock", APIKeyRequired: ptr.To(true)}}
	obj.Spec.Stages = []v1alpha1.Stage{{Name: "prod"}}
	return obj
}

func newPlan(namespace, name, gateway string) *v1alpha1.APIGatewayUsagePlan {
	return &v1alpha1.APIGatewayUsagePlan{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.APIGatewayUsagePlanSpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws-provider"},
			Description: "pets for partners",
			APIStages: []v1alpha1.UsagePlanAPIStage{{
				APIRef: v1alpha1.LocalObjectReference{Name: gateway}, Stage: "prod",
				Throttle: map[string]v1alpha1.UsagePlanThrottle{"GET /pets": {RateLimit: 5, BurstLimit: 2}},
			}},
			Throttle: &v1alpha1.UsagePlanThrottle{RateLimit: 10, BurstLimit: 5},
			Quota:    &v1alpha1.UsagePlanQuota{Limit: 1000, Period: "DAY"},
			Tags:     map[string]string{"team": "pets"},
		},
	}
}

func newGeneratedKey(namespace, name, secret string, plans ...v1alpha1.UsagePlanReference) *v1alpha1.APIGatewayAPIKey {
	return &v1alpha1.APIGatewayAPIKey{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace, Name: name},
		Spec: v1alpha1.APIGatewayAPIKeySpec{
			ProviderRef:   v1alpha1.ProviderReference{Name: "aws-provider"},
			GenerateInto:  &v1alpha1.GeneratedSecret{Name: secret},
			UsagePlanRefs: plans,
		},
	}
}

// waitManaged waits until obj (re-read into itself) is Ready at its
// generation with reason, or holds the condition asked for.
// waitManaged waits, through the suite's waitCondition, for a condition of
// obj's kind, and leaves obj as the API server has it then.
func waitManaged[T any, PT interface {
	*T
	client.Object
	GetReconcileStatus() *v1alpha1.ReconcileStatus
}](t *testing.T, obj PT, conditionType string, status metav1.ConditionStatus, reason string) {
	t.Helper()
	*obj = *waitCondition[T, PT](t, client.ObjectKeyFromObject(obj), conditionType, status, reason)
}

func waitReady[T any, PT interface {
	*T
	client.Object
	GetReconcileStatus() *v1alpha1.ReconcileStatus
}](t *testing.T, obj PT) {
	t.Helper()
	waitManaged(t, obj, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded)
}

func awsPlan(t *testing.T, api *apigateway.Client, id string) *apigateway.GetUsagePlanOutput {
	t.Helper()
	out, err := api.GetUsagePlan(context.Background(), &apigateway.GetUsagePlanInput{UsagePlanId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func planKeyIDs(t *testing.T, api *apigateway.Client, planID string) []string {
	t.Helper()
	out, err := api.GetUsagePlanKeys(context.Background(), &apigateway.GetUsagePlanKeysInput{UsagePlanId: aws.String(planID)})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, k := range out.Items {
		ids = append(ids, aws.ToString(k.Id))
	}
	return ids
}

// readyPlanOverKeyedGateway makes keyedGateway "pets" and the plan
// "partners" over its prod stage in ns, and waits for both to be Ready.
func readyPlanOverKeyedGateway(t *testing.T, ns string) *v1alpha1.APIGatewayUsagePlan {
	t.Helper()
	gw := keyedGateway(ns, "pets")
	create(t, gw)
	t.Cleanup(func() { deleteAndWait(t, gw) })
	waitGatewayReady(t, client.ObjectKeyFromObject(gw))
	plan := newPlan(ns, "partners", "pets")
	create(t, plan)
	t.Cleanup(func() { deleteAndWait(t, plan) })
	waitReady(t, plan)
	return plan
}

func secretValue(t *testing.T, namespace, name, key string) string {
	t.Helper()
	secret := &corev1.Secret{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: namespace, Name: name}, secret); err != nil {
		t.Fatal(err)
	}
	return string(secret.Data[key])
}

func sha12(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:12]
}

// A plan is made with its stage, per-method throttle ("GET /pets" sent as
// AWS's "/pets/GET"), throttle and quota; a spec change is applied; a
// change made outside Kubernetes is reverted with events; deleting it
// detaches its keys and removes it from AWS.
func TestUsagePlanCreateUpdateDriftAndDelete(t *testing.T) {
	t.Parallel()
	const region = "ca-central-1"
	ns := vpcLinkNamespace(t, "usageplan", region)
	api := restV1(t, region)
	gw := keyedGateway(ns, "pets")
	create(t, gw)
	t.Cleanup(func() { deleteAndWait(t, gw) })
	ready := waitGatewayReady(t, client.ObjectKeyFromObject(gw))

	plan := newPlan(ns, "partners", "pets")
	create(t, plan)
	waitReady(t, plan)
	id := plan.Status.UsagePlanID
	got := awsPlan(t, api, id)
	if len(got.ApiStages) != 1 || aws.ToString(got.ApiStages[0].ApiId) != ready.Status.APIID || aws.ToString(got.ApiStages[0].Stage) != "prod" {
		t.Fatalf("apiStages %+v, want %s:prod", got.ApiStages, ready.Status.APIID)
	}
	if m := got.ApiStages[0].Throttle["/pets/GET"]; m.RateLimit != 5 || m.BurstLimit != 2 {
		t.Fatalf("per-method throttle %+v", got.ApiStages[0].Throttle)
	}
	if got.Throttle.RateLimit != 10 || got.Throttle.BurstLimit != 5 || got.Quota.Limit != 1000 || got.Quota.Period != apitypes.QuotaPeriodTypeDay {
		t.Fatalf("throttle %+v quota %+v", got.Throttle, got.Quota)
	}
	if !ownership.OwnedBy(got.Tags, string(plan.UID)) || got.Tags["team"] != "pets" {
		t.Fatalf("tags %v", got.Tags)
	}
	if len(plan.Status.APIStages) != 1 || plan.Status.APIStages[0].APIID != ready.Status.APIID {
		t.Fatalf("status apiStages %+v", plan.Status.APIStages)
	}

	update(t, client.ObjectKeyFromObject(plan), func(p *v1alpha1.APIGatewayUsagePlan) { p.Spec.Throttle.RateLimit = 20 })
	waitReady(t, plan)
	eventually(t, 10*time.Second, func() error {
		if r := awsPlan(t, api, id).Throttle.RateLimit; r != 20 {
			return errorf("rateLimit %v, want 20", r)
		}
		return nil
	})

	// Drift: the quota is changed with the SDK.
	if _, err := api.UpdateUsagePlan(context.Background(), &apigateway.UpdateUsagePlanInput{UsagePlanId: aws.String(id),
		PatchOperations: []apitypes.PatchOperation{{Op: apitypes.OpReplace, Path: aws.String("/quota/limit"), Value: aws.String("5")}}}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, waitEvent(t, plan, v1alpha1.ReasonDriftHealed), "quota")
	if l := awsPlan(t, api, id).Quota.Limit; l != 1000 {
		t.Fatalf("quota limit %d after healing, want 1000", l)
	}

	key := newGeneratedKey(ns, "partner-a", "partner-a-key", v1alpha1.UsagePlanReference{Name: "partners"})
	create(t, key)
	t.Cleanup(func() { deleteAndWait(t, key) })
	waitReady(t, key)
	waitReady(t, plan) // its key count is refreshed on the next pass
	eventually(t, 10*time.Second, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(plan), plan); err != nil {
			return err
		}
		if plan.Status.KeyCount != 1 {
			return errorf("keyCount %d", plan.Status.KeyCount)
		}
		return nil
	})

	// Deletion order: the key is detached and the stage removed before
	// the plan goes; the key then waits for a plan.
	deleteAndWait(t, plan)
	_, err := api.GetUsagePlan(context.Background(), &apigateway.GetUsagePlanInput{UsagePlanId: aws.String(id)})
	if !awserrors.IsNotFound(err) {
		t.Fatalf("plan %s still in AWS: %v", id, err)
	}
	waitManaged(t, key, v1alpha1.ConditionReady, metav1.ConditionFalse, v1alpha1.ReasonUsagePlanNotReady)
}

// A generated key's value lands in a Secret owned by the key, never in
// status; a new value in the Secret replaces the key in AWS (new id, the
// old one deleted, the new one attached first); deleting the object
// deletes the key.
func TestAPIKeyGeneratedIntoSecretAndRotated(t *testing.T) {
	t.Parallel()
	const region = "sa-east-1"
	ns := vpcLinkNamespace(t, "apikey", region)
	api := restV1(t, region)
	plan := readyPlanOverKeyedGateway(t, ns)

	key := newGeneratedKey(ns, "partner-a", "partner-a-key", v1alpha1.UsagePlanReference{Name: "partners"})
	create(t, key)
	waitReady(t, key)
	value := secretValue(t, ns, "partner-a-key", v1alpha1.GeneratedAPIKeySecretKey)
	if len(value) < 20 {
		t.Fatalf("generated value of %d characters", len(value))
	}
	secret := &corev1.Secret{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: ns, Name: "partner-a-key"}, secret); err != nil {
		t.Fatal(err)
	}
	if !metav1.IsControlledBy(secret, key) || secret.Labels[v1alpha1.CredentialsLabel] != v1alpha1.APIKeyValueLabelValue {
		t.Fatalf("the Secret is not controlled by the key, or not labelled to be watched: %+v %v", secret.OwnerReferences, secret.Labels)
	}
	status, _ := json.Marshal(key.Status)
	if contains(string(status), value) {
		t.Fatal("status holds the key's value")
	}
	expectEqual(t, "fingerprint", key.Status.ValueFingerprint, sha12(value))
	oldID := key.Status.APIKeyID
	live, err := api.GetApiKey(context.Background(), &apigateway.GetApiKeyInput{ApiKey: aws.String(oldID), IncludeValue: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "value in AWS", aws.ToString(live.Value), value)
	if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 1 || ids[0] != oldID {
		t.Fatalf("plan keys %v, want [%s]", ids, oldID)
	}

	// Rotation: a new value in the Secret.
	rotated := "rotated-value-0123456789abcdef"
	update(t, client.ObjectKeyFromObject(secret), func(s *corev1.Secret) { s.Data[v1alpha1.GeneratedAPIKeySecretKey] = []byte(rotated) })
	mustContain(t, waitEvent(t, key, "APIKeyRotated"), oldID)
	eventually(t, 30*time.Second, func() error {
		if err := k8s.Get(context.Background(), client.ObjectKeyFromObject(key), key); err != nil {
			return err
		}
		if key.Status.ValueFingerprint != sha12(rotated) || key.Status.APIKeyID == oldID {
			return errorf("status %+v", key.Status)
		}
		return nil
	})
	if _, err := api.GetApiKey(context.Background(), &apigateway.GetApiKeyInput{ApiKey: aws.String(oldID)}); !awserrors.IsNotFound(err) {
		t.Fatalf("the replaced key %s is still in AWS: %v", oldID, err)
	}
	// A rotation is no drift.
	if notes, err := eventNotes(key, v1alpha1.ReasonDriftDetected); err != nil || len(notes) != 0 {
		t.Fatalf("a rotation reported as drift: %v %v", notes, err)
	}
	if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 1 || ids[0] != key.Status.APIKeyID {
		t.Fatalf("plan keys %v, want [%s]", ids, key.Status.APIKeyID)
	}

	newID := key.Status.APIKeyID
	deleteAndWait(t, key)
	if _, err := api.GetApiKey(context.Background(), &apigateway.GetApiKeyInput{ApiKey: aws.String(newID)}); !awserrors.IsNotFound(err) {
		t.Fatalf("key %s still in AWS after delete: %v", newID, err)
	}
}

// A key of another namespace attaches to a plan only once the plan lists
// that namespace; valueFrom reads the user's own Secret.
func TestAPIKeyCrossNamespaceNeedsThePlansConsent(t *testing.T) {
	t.Parallel()
	const region = "eu-north-1"
	owner := vpcLinkNamespace(t, "usage-owner", region)
	tenant := vpcLinkNamespace(t, "usage-tenant", region)
	api := restV1(t, region)
	plan := readyPlanOverKeyedGateway(t, owner)

	value := "tenant-chosen-value-0123456789"
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: tenant, Name: "my-key"}, StringData: map[string]string{"value": value}})
	key := &v1alpha1.APIGatewayAPIKey{
		ObjectMeta: metav1.ObjectMeta{Namespace: tenant, Name: "tenant-key"},
		Spec: v1alpha1.APIGatewayAPIKeySpec{
			ProviderRef:   v1alpha1.ProviderReference{Name: "aws-provider"},
			ValueFrom:     &v1alpha1.APIKeyValueFrom{SecretKeyRef: v1alpha1.SecretKeySelector{Name: "my-key", Key: "value"}},
			UsagePlanRefs: []v1alpha1.UsagePlanReference{{Name: "partners", Namespace: owner}},
		},
	}
	create(t, key)
	t.Cleanup(func() { deleteAndWait(t, key) })
	waitManaged(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonUsagePlanNotAllowed)
	mustContain(t, conditionMessage(key.Status.Conditions, v1alpha1.ConditionStalled), "allowedNamespaces")
	if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 0 {
		t.Fatalf("a refused key is attached: %v", ids)
	}

	update(t, client.ObjectKeyFromObject(plan), func(p *v1alpha1.APIGatewayUsagePlan) { p.Spec.AllowedNamespaces = []string{tenant} })
	waitReady(t, key)
	expectEqual(t, "fingerprint", key.Status.ValueFingerprint, sha12(value))
	if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 1 || ids[0] != key.Status.APIKeyID {
		t.Fatalf("plan keys %v, want [%s]", ids, key.Status.APIKeyID)
	}
	mine := &corev1.Secret{}
	if err := k8s.Get(context.Background(), types.NamespacedName{Namespace: tenant, Name: "my-key"}, mine); err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "the user's Secret's watch label", mine.Labels[v1alpha1.CredentialsLabel], v1alpha1.APIKeyValueLabelValue)

	// Consent withdrawn: the key is detached from the plan, and says why.
	update(t, client.ObjectKeyFromObject(plan), func(p *v1alpha1.APIGatewayUsagePlan) { p.Spec.AllowedNamespaces = nil })
	waitManaged(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonUsagePlanNotAllowed)
	eventually(t, 10*time.Second, func() error {
		if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 0 {
			return errorf("the key is still attached after consent was withdrawn: %v", ids)
		}
		return nil
	})
}

// A crash between create and status write leaves a plan and a key carrying
// the owner mark: the next pass adopts them by their tags, making no
// second one.
func TestUsagePlanAndAPIKeyCrashBetweenCreateAndStatusMakeNoDuplicate(t *testing.T) {
	t.Parallel()
	const region = "ap-south-1"
	ns := createNamespace(t, "usage-crash")
	api := restV1(t, region)
	plan := newPlan(ns, "partners", "pets")
	plan.Spec.APIStages = nil
	create(t, plan)
	t.Cleanup(func() { deleteAndWait(t, plan) })
	key := &v1alpha1.APIGatewayAPIKey{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner"},
		Spec: v1alpha1.APIGatewayAPIKeySpec{
			ProviderRef: v1alpha1.ProviderReference{Name: "aws-provider"},
			ValueFrom:   &v1alpha1.APIKeyValueFrom{SecretKeyRef: v1alpha1.SecretKeySelector{Name: "partner", Key: "value"}},
		},
	}
	value := "crash-test-value-0123456789abcd"
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "partner"}, StringData: map[string]string{"value": value}})
	create(t, key)
	t.Cleanup(func() { deleteAndWait(t, key) })
	// No provider yet: both hold still, and the "lost" creates are made as
	// the operator would have made them.
	waitManaged(t, plan, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	waitManaged(t, key, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	lostPlan, err := api.CreateUsagePlan(context.Background(), &apigateway.CreateUsagePlanInput{Name: aws.String(ns + "/partners"),
		Tags: ownership.Tags(ns, plan.Name, string(plan.UID))})
	if err != nil {
		t.Fatal(err)
	}
	lostKey, err := api.CreateApiKey(context.Background(), &apigateway.CreateApiKeyInput{Name: aws.String(ns + "/partner"), Value: aws.String(value),
		Enabled: true, Tags: ownership.Tags(ns, key.Name, string(key.UID))})
	if err != nil {
		t.Fatal(err)
	}
	if err := createProvider(context.Background(), ns, "aws-provider", region, testSecretKey, nil); err != nil {
		t.Fatal(err)
	}
	waitReady(t, plan)
	waitReady(t, key)
	expectEqual(t, "usagePlanID", plan.Status.UsagePlanID, aws.ToString(lostPlan.Id))
	expectEqual(t, "apiKeyID", key.Status.APIKeyID, aws.ToString(lostKey.Id))
	plans, err := api.GetUsagePlans(context.Background(), &apigateway.GetUsagePlansInput{})
	if err != nil {
		t.Fatal(err)
	}
	owned := 0
	for _, p := range plans.Items {
		if ownership.OwnedBy(p.Tags, string(plan.UID)) {
			owned++
		}
	}
	expectEqual(t, "plans owned", owned, 1)
	keys, err := api.GetApiKeys(context.Background(), &apigateway.GetApiKeysInput{NameQuery: aws.String(ns + "/partner")})
	if err != nil {
		t.Fatal(err)
	}
	expectEqual(t, "keys named after the object", len(keys.Items), 1)
}

// An apiStage whose APIGateway's status names an API the APIGateway does
// not own (a forged status) is refused; an HTTP API is refused, as AWS has
// no usage plans for it.
func TestUsagePlanRefusesStagesItCannotProve(t *testing.T) {
	t.Parallel()
	const region = "eu-south-1"
	ns := vpcLinkNamespace(t, "usage-forged", region)
	api := restV1(t, region)
	foreign, err := api.CreateRestApi(context.Background(), &apigateway.CreateRestApiInput{Name: aws.String("someone-elses")})
	if err != nil {
		t.Fatal(err)
	}
	gw := keyedGateway(ns, "pets")
	gw.Spec.ProviderRef.Name = "no-such-provider" // holds the object still
	create(t, gw)
	t.Cleanup(func() { deleteAndWait(t, gw) })
	waitGatewayCondition(t, client.ObjectKeyFromObject(gw), v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonProviderNotFound)
	// Anyone with status rights can write this.
	eventually(t, 10*time.Second, func() error {
		forged := getGateway(t, client.ObjectKeyFromObject(gw))
		forged.Status.APIID, forged.Status.Ready = aws.ToString(foreign.Id), true
		return k8s.Status().Update(context.Background(), forged)
	})
	plan := newPlan(ns, "partners", "pets")
	create(t, plan)
	t.Cleanup(func() { deleteAndWait(t, plan) })
	waitManaged(t, plan, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonNotOwned)
	mustContain(t, conditionMessage(plan.Status.Conditions, v1alpha1.ConditionStalled), aws.ToString(foreign.Id))
	plans, err := api.GetUsagePlans(context.Background(), &apigateway.GetUsagePlansInput{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans.Items {
		for _, s := range p.ApiStages {
			if aws.ToString(s.ApiId) == aws.ToString(foreign.Id) {
				t.Fatalf("plan %s covers the foreign API", aws.ToString(p.Id))
			}
		}
	}

	httpGW := newGateway(ns, "http", v1alpha1.ProtocolHTTP)
	create(t, httpGW)
	t.Cleanup(func() { deleteAndWait(t, httpGW) })
	httpPlan := newPlan(ns, "http-plan", "http")
	create(t, httpPlan)
	t.Cleanup(func() { deleteAndWait(t, httpPlan) })
	waitManaged(t, httpPlan, v1alpha1.ConditionStalled, metav1.ConditionTrue, v1alpha1.ReasonInvalidSpec)
	mustContain(t, conditionMessage(httpPlan.Status.Conditions, v1alpha1.ConditionStalled), "REST APIs only")
}

// A plan and a key made outside Kubernetes are adopted through their
// annotations: they then carry the object's owner mark.
func TestUsagePlanAndAPIKeyAdoptedByAnnotation(t *testing.T) {
	t.Parallel()
	const region = "me-south-1"
	ns := vpcLinkNamespace(t, "usage-adopt", region)
	api := restV1(t, region)
	existingPlan, err := api.CreateUsagePlan(context.Background(), &apigateway.CreateUsagePlanInput{Name: aws.String("made-by-hand")})
	if err != nil {
		t.Fatal(err)
	}
	value := "made-by-hand-value-0123456789"
	existingKey, err := api.CreateApiKey(context.Background(), &apigateway.CreateApiKeyInput{Name: aws.String("made-by-hand"), Value: aws.String(value), Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	plan := newPlan(ns, "adopted", "pets")
	plan.Spec.APIStages = nil
	plan.Annotations = map[string]string{v1alpha1.AdoptUsagePlanIDAnnotation: aws.ToString(existingPlan.Id)}
	create(t, plan)
	t.Cleanup(func() { deleteAndWait(t, plan) })
	create(t, &corev1.Secret{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "hand"}, StringData: map[string]string{"value": value}})
	key := &v1alpha1.APIGatewayAPIKey{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "adopted", Annotations: map[string]string{v1alpha1.AdoptAPIKeyIDAnnotation: aws.ToString(existingKey.Id)}},
		Spec: v1alpha1.APIGatewayAPIKeySpec{
			ProviderRef:   v1alpha1.ProviderReference{Name: "aws-provider"},
			ValueFrom:     &v1alpha1.APIKeyValueFrom{SecretKeyRef: v1alpha1.SecretKeySelector{Name: "hand", Key: "value"}},
			UsagePlanRefs: []v1alpha1.UsagePlanReference{{Name: "adopted"}},
		},
	}
	create(t, key)
	t.Cleanup(func() { deleteAndWait(t, key) })
	waitReady(t, plan)
	waitReady(t, key)
	expectEqual(t, "usagePlanID", plan.Status.UsagePlanID, aws.ToString(existingPlan.Id))
	expectEqual(t, "apiKeyID", key.Status.APIKeyID, aws.ToString(existingKey.Id))
	waitEvent(t, plan, v1alpha1.ReasonAdopted)
	if tags := awsPlan(t, api, plan.Status.UsagePlanID).Tags; !ownership.OwnedBy(tags, string(plan.UID)) {
		t.Fatalf("the adopted plan's tags %v lack the owner mark", tags)
	}
	// Adopted, the plan's name is brought to the spec's (namespace/name).
	eventually(t, 10*time.Second, func() error {
		if name := aws.ToString(awsPlan(t, api, plan.Status.UsagePlanID).Name); name != ns+"/adopted" {
			return errorf("name %q", name)
		}
		return nil
	})
	if ids := planKeyIDs(t, api, plan.Status.UsagePlanID); len(ids) != 1 || ids[0] != key.Status.APIKeyID {
		t.Fatalf("plan keys %v, want [%s]", ids, key.Status.APIKeyID)
	}
}
