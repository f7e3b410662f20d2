package controller

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/aws/usageplans"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayapikeys,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayapikeys/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayapikeys/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets,verbs=create

// usagePlanRefIndex finds the API keys naming a usage plan, by
// "namespace/name".
const usagePlanRefIndex = ".spec.usagePlanRefs"

// valueSecretIndex finds the API keys reading their value from a Secret,
// by "namespace/name".
const valueSecretIndex = ".spec.valueSecret"

// Event reasons of the API key.
const (
	reasonAPIKeyRotated   = "APIKeyRotated"
	reasonSecretGenerated = "SecretGenerated"
)

// APIGatewayAPIKeys is the APIGatewayAPIKey kind: how the shared managed
// reconciler reaches an object's API key in AWS.
type APIGatewayAPIKeys struct {
	AWS *session.Factory
	// Reader reads the usage plans (the manager's cache).
	Reader client.Reader
	// Secrets reads the value Secrets from the API server itself: the
	// cache holds only providers' credentials.
	Secrets client.Reader
	// Writer creates the generated Secrets.
	Writer client.Client
}

// Kind describes the kind to the managed reconciler.
func (k *APIGatewayAPIKeys) Kind() managed.Kind[*v1alpha1.APIGatewayAPIKey] {
	return managed.Kind[*v1alpha1.APIGatewayAPIKey]{
		Name:            "APIGatewayAPIKey",
		Resource:        "API key",
		Finalizer:       v1alpha1.APIGatewayAPIKeyFinalizer,
		AdoptAnnotation: v1alpha1.AdoptAPIKeyIDAnnotation,
		New:             func() *v1alpha1.APIGatewayAPIKey { return &v1alpha1.APIGatewayAPIKey{} },
		Connect:         k.connect,
		RecordedID:      func(obj *v1alpha1.APIGatewayAPIKey) string { return obj.Status.APIKeyID },
		Forget: func(obj *v1alpha1.APIGatewayAPIKey) {
			obj.Status.APIKeyID, obj.Status.ValueFingerprint, obj.Status.UsagePlanIDs = "", "", nil
		},
		ReadyMessage: func(obj *v1alpha1.APIGatewayAPIKey) string {
			return fmt.Sprintf("API key %s (value %s) matches the spec, attached to %d usage plan(s)", obj.Status.APIKeyID, obj.Status.ValueFingerprint, len(obj.Status.UsagePlanIDs))
		},
	}
}

func (k *APIGatewayAPIKeys) connect(ctx context.Context, obj *v1alpha1.APIGatewayAPIKey, p *providers.Resolved) (managed.External, error) {
	if err := refuseTags("API key", obj.Spec.Tags, p); err != nil {
		return nil, err
	}
	keys, err := usageplans.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	ext := &keyExternal{obj: obj, keys: keys, desired: usageplans.Key{
		Name: obj.Namespace + "/" + obj.Name, Description: obj.Spec.Description, Enabled: obj.EnabledOrDefault(),
		Tags: ownership.Merge(p.DefaultTags, obj.Spec.Tags, ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))),
	}}
	// A key being deleted needs neither its value nor its plans: AWS takes
	// a deleted key off every plan.
	if !obj.GetDeletionTimestamp().IsZero() {
		return ext, nil
	}
	var events []managed.Event
	if ext.desired.Value, events, err = k.value(ctx, obj); err != nil {
		return nil, err
	}
	ext.events = events
	if ext.planIDs, ext.refused, err = k.resolvePlans(ctx, obj, keys, p.Scope); err != nil {
		return nil, err
	}
	return ext, nil
}

// value reads the key's value from its Secret; for generateInto it makes
// the Secret (owned by the object, so it goes with it) or fills a value
// deleted from it.
func (k *APIGatewayAPIKeys) value(ctx context.Context, obj *v1alpha1.APIGatewayAPIKey) (string, []managed.Event, error) {
	name, key := obj.ValueSecret()
	secret := &corev1.Secret{}
	err := k.Secrets.Get(ctx, types.NamespacedName{Namespace: obj.Namespace, Name: name}, secret)
	if err != nil && !apierrors.IsNotFound(err) {
		return "", nil, err
	}
	if obj.Spec.GenerateInto == nil {
		if apierrors.IsNotFound(err) {
			return "", nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonSecretNotReady, "valueFrom names Secret %s/%s, which does not exist", obj.Namespace, name)
		}
		if err := k.watch(ctx, secret); err != nil {
			return "", nil, err
		}
		value, ok := secret.Data[key]
		if !ok {
			return "", nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonSecretNotReady, "Secret %s/%s has no key %q (valueFrom.secretKeyRef.key)", obj.Namespace, name, key)
		}
		if len(value) < 20 || len(value) > 128 {
			return "", nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
				"The value in Secret %s/%s key %q is %d characters; AWS takes API key values of 20 to 128 characters: change it there", obj.Namespace, name, key, len(value))
		}
		return string(value), nil, nil
	}
	if apierrors.IsNotFound(err) {
		return k.generate(ctx, obj, name)
	}
	if !metav1.IsControlledBy(secret, obj) {
		return "", nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
			"Secret %s/%s exists and was not made for this APIGatewayAPIKey: generateInto names a Secret the operator creates; name another, or read this one with valueFrom", obj.Namespace, name)
	}
	if value := secret.Data[key]; len(value) > 0 {
		return string(value), nil, nil
	}
	// The value was deleted: a new one is generated, a rotation.
	base := secret.DeepCopy()
	value := rand.Text()
	if secret.Data == nil {
		secret.Data = map[string][]byte{}
	}
	secret.Data[key] = []byte(value)
	if err := k.Writer.Patch(ctx, secret, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{})); err != nil {
		return "", nil, err
	}
	return value, []managed.Event{{Type: corev1.EventTypeNormal, Reason: reasonSecretGenerated,
		Message: fmt.Sprintf("Generated a new value into Secret %s (its value was removed)", name)}}, nil
}

// watch labels the Secret so that the operator's cache, and the watch on
// it, see a new value at once. A providers' Secret is watched already.
func (k *APIGatewayAPIKeys) watch(ctx context.Context, secret *corev1.Secret) error {
	if label := secret.Labels[v1alpha1.CredentialsLabel]; label == "true" || label == v1alpha1.APIKeyValueLabelValue {
		return nil
	}
	base := secret.DeepCopy()
	if secret.Labels == nil {
		secret.Labels = map[string]string{}
	}
	secret.Labels[v1alpha1.CredentialsLabel] = v1alpha1.APIKeyValueLabelValue
	return client.IgnoreNotFound(k.Writer.Patch(ctx, secret, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{})))
}

// generate makes the generateInto Secret with a new value: 26 random
// characters of A-Z and 2-7 (crypto/rand), within AWS's 20 to 128.
func (k *APIGatewayAPIKeys) generate(ctx context.Context, obj *v1alpha1.APIGatewayAPIKey, name string) (string, []managed.Event, error) {
	value := rand.Text()
	secret := &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: obj.Namespace, Name: name, Labels: map[string]string{v1alpha1.CredentialsLabel: v1alpha1.APIKeyValueLabelValue}},
		Type:       corev1.SecretTypeOpaque,
		Data:       map[string][]byte{v1alpha1.GeneratedAPIKeySecretKey: []byte(value)},
	}
	if err := controllerutil.SetControllerReference(obj, secret, k.Writer.Scheme()); err != nil {
		return "", nil, err
	}
	if err := k.Writer.Create(ctx, secret); err != nil {
		return "", nil, err
	}
	return value, []managed.Event{{Type: corev1.EventTypeNormal, Reason: reasonSecretGenerated,
		Message: fmt.Sprintf("Generated the key's value into Secret %s (key %s)", name, v1alpha1.GeneratedAPIKeySecretKey)}}, nil
}

// resolvePlans returns the AWS ids of the plans the key names: each must
// be of the key's namespace or consent to it (allowedNamespaces), in the
// key's account and region, and its status id must name a plan carrying
// its owner-uid tag in AWS. A plan refused for its consent or its owner
// mark is left out and returned as refused, rather than stopping the pass:
// the key must still be detached from it (its owner may have withdrawn
// consent after the key was attached).
func (k *APIGatewayAPIKeys) resolvePlans(ctx context.Context, obj *v1alpha1.APIGatewayAPIKey, keys *usageplans.Client, scope v1alpha1.ResourceScope) (ids []string, refused error, err error) {
	for _, ref := range obj.Spec.UsagePlanRefs {
		key := types.NamespacedName{Namespace: obj.Namespace, Name: ref.Name}
		if ref.Namespace != "" {
			key.Namespace = ref.Namespace
		}
		named := "APIGatewayUsagePlan " + key.String()
		plan := &v1alpha1.APIGatewayUsagePlan{}
		if err := k.Reader.Get(ctx, key, plan); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonUsagePlanNotReady, "%s not found", named)
			}
			return nil, nil, err
		}
		if !providers.ConsentsTo(plan.Namespace, plan.Spec.AllowedNamespaces, obj.Namespace) {
			refused = outcome.Stall(v1alpha1.ReasonUsagePlanNotAllowed,
				"usagePlanRefs names %s, which does not allow namespace %q: its owner must add it (or \"*\") to the plan's spec.allowedNamespaces", named, obj.Namespace)
			continue
		}
		if s := plan.Status.Scope; s != nil && !s.SameAWS(scope) {
			return nil, nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
				"usagePlanRefs names %s, which lives in %s, but this key lives in %s: a key attaches to plans of its own account and region; use a provider of the plan's account and region",
				named, describeAWS(*s), describeAWS(scope))
		}
		id := plan.Status.UsagePlanID
		if id == "" {
			return nil, nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonUsagePlanNotReady, "%s has no usage plan in AWS yet", named)
		}
		observed, err := keys.Plan(ctx, id)
		if awserrors.IsNotFound(err) {
			return nil, nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonUsagePlanNotReady, "%s: usage plan %s is not in this key's account and region (yet)", named, id)
		}
		if err != nil {
			return nil, nil, err
		}
		if !observed.OwnedBy(string(plan.UID)) {
			refused = outcome.Stall(v1alpha1.ReasonNotOwned, "usagePlanRefs names %s, whose status names usage plan %s, which %s: the key is not attached to it", named, id, ownerWords(observed.Tags))
			continue
		}
		ids = append(ids, id)
	}
	// Naming a plan twice is harmless: it is attached once.
	slices.Sort(ids)
	return slices.Compact(ids), refused, nil
}

// fingerprint is the first 12 hex digits of the value's SHA-256: enough to
// tell values apart, useless to recover one.
func fingerprint(value string) string {
	sum := sha256.Sum256([]byte(value))
	return hex.EncodeToString(sum[:])[:12]
}

// keyExternal is one object's API key in one account and region. AWS
// cannot change a key's value, so a new value makes a new key: during a
// rotation the object owns two, the new one attached to the plans before
// the old one is deleted.
type keyExternal struct {
	obj     *v1alpha1.APIGatewayAPIKey
	keys    *usageplans.Client
	desired usageplans.Key
	planIDs []string
	// refused is why a plan the spec names is not among planIDs (no
	// consent, or not proved the plan's): reported once the key is
	// detached from it.
	refused error
	events  []managed.Event
	// current is the key that serves the spec; retired are other keys
	// carrying the mark (the one a rotation replaces, or one a crash
	// left), deleted once current is attached.
	current usageplans.Key
	retired []usageplans.Key
}

func (e *keyExternal) uid() string { return string(e.obj.UID) }

// Observe reads the key status names, kept only when it carries this
// object's mark; otherwise it looks for keys carrying the mark (names are
// not unique in AWS), which a crash between create and status write
// leaves.
func (e *keyExternal) Observe(ctx context.Context) (managed.Observation, error) {
	var observed managed.Observation
	if id := e.obj.Status.APIKeyID; id != "" {
		key, err := e.keys.Key(ctx, id, true)
		switch {
		case err == nil && key.OwnedBy(e.uid()) && (key.Value == e.desired.Value || e.desired.Value == ""):
			return e.found(key), nil
		case err == nil && key.OwnedBy(e.uid()):
			// A rotation: a key with the new value may already exist
			// (a crash after its create).
			e.retired = append(e.retired, key)
		case err == nil:
			observed.Foreign = &managed.Foreign{ID: id, Owner: key.Tags[ownership.OwnerTagKey]}
		case !awserrors.IsNotFound(err):
			return observed, err
		}
	}
	owned, err := e.ownedKeys(ctx)
	if err != nil {
		return observed, err
	}
	var match *usageplans.Key
	for i, key := range owned {
		if key.Value == e.desired.Value && match == nil {
			match = &owned[i]
		} else if !slices.ContainsFunc(e.retired, func(r usageplans.Key) bool { return r.ID == key.ID }) {
			e.retired = append(e.retired, key)
		}
	}
	switch {
	case match != nil:
		found := e.found(*match)
		found.Foreign = observed.Foreign
		return found, nil
	case len(e.retired) > 0:
		// Only keys with an old value: the current one is replaced.
		e.current, e.retired = e.retired[0], e.retired[1:]
		found := e.found(e.current)
		found.Foreign = observed.Foreign
		return found, nil
	}
	return observed, nil
}

// ownedKeys are the keys of the object's name carrying its mark, with
// their values.
func (e *keyExternal) ownedKeys(ctx context.Context) ([]usageplans.Key, error) {
	named, err := e.keys.KeysNamed(ctx, e.desired.Name)
	if err != nil {
		return nil, err
	}
	var owned []usageplans.Key
	for _, key := range named {
		if !key.OwnedBy(e.uid()) {
			continue
		}
		withValue, err := e.keys.Key(ctx, key.ID, true)
		if awserrors.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		owned = append(owned, withValue)
	}
	return owned, nil
}

func (e *keyExternal) found(key usageplans.Key) managed.Observation {
	e.current = key
	// A new value is no drift (AWS cannot change a key's value): it is a
	// rotation, which ReconcileSubresources carries out.
	return managed.Observation{Exists: true, ID: key.ID, Changes: usageplans.CompareKeys(key, e.desired).Changes}
}

func (e *keyExternal) Create(ctx context.Context) (managed.Observation, error) {
	created, err := e.keys.CreateKey(ctx, e.desired)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(created), nil
}

// Update changes the key in place: name, description, enabled, tags.
func (e *keyExternal) Update(ctx context.Context) (managed.Observation, error) {
	if err := e.keys.UpdateKey(ctx, e.current.ID, usageplans.CompareKeys(e.current, e.desired)); err != nil {
		return managed.Observation{}, err
	}
	updated, err := e.keys.Key(ctx, e.current.ID, true)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(updated), nil
}

// Delete deletes every key the object owns (a rotation a crash cut short
// may have left two); AWS takes them off their plans.
func (e *keyExternal) Delete(ctx context.Context) (bool, error) {
	owned, err := e.allOwned(ctx)
	if err != nil {
		return false, err
	}
	for _, key := range owned {
		if err := e.keys.DeleteKey(ctx, key.ID); err != nil {
			return false, err
		}
	}
	return true, nil
}

// Release strips the owner mark from every key the object owns.
func (e *keyExternal) Release(ctx context.Context) error {
	owned, err := e.allOwned(ctx)
	if err != nil {
		return err
	}
	for _, key := range owned {
		if err := e.keys.Untag(ctx, e.keys.KeyARN(key.ID), ownership.Keys); err != nil {
			return err
		}
	}
	return nil
}

// allOwned is the observed key and every other key carrying the mark.
func (e *keyExternal) allOwned(ctx context.Context) ([]usageplans.Key, error) {
	owned, err := e.ownedKeys(ctx)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(owned, func(k usageplans.Key) bool { return k.ID == e.current.ID }) {
		owned = append(owned, e.current)
	}
	return owned, nil
}

// Claim takes over a key no one owns.
func (e *keyExternal) Claim(ctx context.Context, id string) (managed.Observation, error) {
	key, err := claimByMark(ctx, e.obj, "API key", v1alpha1.AdoptAPIKeyIDAnnotation, id,
		func(ctx context.Context) (usageplans.Key, map[string]string, error) {
			key, err := e.keys.Key(ctx, id, true)
			return key, key.Tags, err
		},
		func(ctx context.Context, mark map[string]string) error {
			return e.keys.Tag(ctx, e.keys.KeyARN(id), mark)
		})
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(key), nil
}

// ReconcileSubresources rotates the key when its Secret holds a new value,
// attaches the key to the plans the spec names and detaches it from the
// others, then deletes the keys it replaced: callers holding the old value
// are refused from then on.
func (e *keyExternal) ReconcileSubresources(ctx context.Context) ([]managed.Event, error) {
	events := e.events
	if e.desired.Value != "" && e.current.Value != e.desired.Value {
		// A new value: the key that replaces the current one is made now;
		// the current one keeps serving until the new one is attached.
		log.FromContext(ctx).Info("Rotating API key", "id", e.current.ID)
		replaced := e.current
		if _, err := e.Create(ctx); err != nil {
			return events, err
		}
		e.retired = append(e.retired, replaced)
	}
	attached, err := e.keys.PlansOfKey(ctx, e.current.ID)
	if err != nil {
		return events, err
	}
	var healed []string
	for _, id := range e.planIDs {
		if slices.Contains(attached, id) {
			continue
		}
		if err := e.keys.Attach(ctx, id, e.current.ID); err != nil {
			return events, err
		}
		healed = append(healed, "attached to "+id)
	}
	for _, id := range attached {
		if slices.Contains(e.planIDs, id) {
			continue
		}
		if err := e.keys.Detach(ctx, id, e.current.ID); err != nil {
			return events, err
		}
		healed = append(healed, "detached from "+id)
	}
	if len(healed) > 0 && managed.SpecApplied(e.obj) && len(e.retired) == 0 {
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: v1alpha1.ReasonDriftHealed,
			Message: fmt.Sprintf("API key %s's usage plans were changed outside Kubernetes; reverted: %s", e.current.ID, strings.Join(healed, ", "))})
	}
	for _, old := range e.retired {
		if err := e.keys.DeleteKey(ctx, old.ID); err != nil {
			return events, err
		}
		events = append(events, managed.Event{Type: corev1.EventTypeNormal, Reason: reasonAPIKeyRotated,
			Message: fmt.Sprintf("API key %s (value %s) replaces %s (value %s), which is deleted", e.current.ID, fingerprint(e.current.Value), old.ID, fingerprint(old.Value))})
	}
	st := &e.obj.Status
	st.APIKeyID, st.ValueFingerprint, st.UsagePlanIDs = e.current.ID, fingerprint(e.current.Value), e.planIDs
	return events, e.refused
}

func indexValueSecrets(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &v1alpha1.APIGatewayAPIKey{}, valueSecretIndex, func(o client.Object) []string {
		key := o.(*v1alpha1.APIGatewayAPIKey)
		name, _ := key.ValueSecret()
		return []string{key.Namespace + "/" + name}
	})
}

func indexUsagePlanRefs(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &v1alpha1.APIGatewayAPIKey{}, usagePlanRefIndex, func(o client.Object) []string {
		return usagePlanKeysOf(o.(*v1alpha1.APIGatewayAPIKey))
	})
}

// usagePlanKeysOf are the "namespace/name" of the plans a key names.
func usagePlanKeysOf(key *v1alpha1.APIGatewayAPIKey) []string {
	var keys []string
	for _, ref := range key.Spec.UsagePlanRefs {
		namespace := key.Namespace
		if ref.Namespace != "" {
			namespace = ref.Namespace
		}
		keys = append(keys, namespace+"/"+ref.Name)
	}
	return keys
}

// SetupWithManager watches the kind (spec and annotation changes), its
// providers, the usage plans it names (a plan made in AWS, or its consent
// changing, lets the keys attach) and the Secret of its value (labelled so
// the cache holds it, without its data: a new value rotates the key at
// once; the value itself is read from the API server on every pass).
func (k *APIGatewayAPIKeys) SetupWithManager(mgr ctrl.Manager, r *managed.Reconciler[*v1alpha1.APIGatewayAPIKey], options controller.Options) error {
	return managedController[*v1alpha1.APIGatewayAPIKey](mgr, &v1alpha1.APIGatewayAPIKey{}).
		Watches(&v1alpha1.APIGatewayUsagePlan{}, handler.EnqueueRequestsFromMapFunc(
			indexedRequests(mgr.GetClient(), func() client.ObjectList { return &v1alpha1.APIGatewayAPIKeyList{} }, usagePlanRefIndex))).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(
			indexedRequests(mgr.GetClient(), func() client.ObjectList { return &v1alpha1.APIGatewayAPIKeyList{} }, valueSecretIndex))).
		WithOptions(options).
		Named("apigatewayapikey").
		Complete(r)
}
