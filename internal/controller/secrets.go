package controller

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/selection"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/providers"
)

// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch;update;patch

// The operator's cache holds only the Secrets providers read, marked with
// CredentialsLabel, and of each only the credential keys; it never lists
// the others. A provider's first read of a Secret not yet marked goes to the
// API server itself, and marks it.

// credentialsSelector selects the Secrets the operator caches: providers'
// ("true") and, so that a new value there is seen at once, the ones API
// keys read their value from (APIKeyValueLabelValue; the cache keeps none of
// their data, API keys read it from the API server).
var credentialsSelector = labels.NewSelector().Add(mustRequirement(v1alpha1.CredentialsLabel, selection.In, "true", v1alpha1.APIKeyValueLabelValue))

func mustRequirement(key string, op selection.Operator, values ...string) labels.Requirement {
	r, err := labels.NewRequirement(key, op, values)
	if err != nil {
		panic(err)
	}
	return *r
}

// credentialsOnly is the cache transform of Secrets: of each it keeps the
// name, labels, finalizers and the three keys it reads. Other data,
// annotations (kubectl's last-applied copy holds the data too) and
// managedFields never stay in its memory.
func credentialsOnly(obj any) (any, error) {
	secret, ok := obj.(*corev1.Secret)
	if !ok {
		return obj, nil
	}
	kept := map[string][]byte{}
	for _, key := range providers.SecretKeys {
		if value, ok := secret.Data[key]; ok {
			kept[key] = value
		}
	}
	secret.Data, secret.StringData = kept, nil
	secret.Annotations, secret.ManagedFields = nil, nil
	return secret, nil
}

// secretReader reads a Secret from the cache, or from the API server when
// the cache does not hold it: not marked yet, or in a namespace the cache
// does not watch (a ClusterAWSProvider's Secret with --namespaces).
type secretReader struct {
	cache, api client.Reader
}

func (r secretReader) Get(ctx context.Context, key client.ObjectKey, obj client.Object, opts ...client.GetOption) error {
	if err := r.cache.Get(ctx, key, obj, opts...); err == nil {
		return nil
	}
	return r.api.Get(ctx, key, obj, opts...)
}

func (r secretReader) List(ctx context.Context, list client.ObjectList, opts ...client.ListOption) error {
	return r.cache.List(ctx, list, opts...)
}

// SecretProtection keeps the Secrets providers read: marked, so the cache
// sees their rotation, and, while a provider reading one has dependents,
// guarded by CredentialsFinalizer, as Kubernetes guards a PVC in use:
// deleting a namespace then removes the Secret last, once the objects whose
// finalizers needed it are gone.
type SecretProtection struct {
	Client client.Client
	// Reader reads Secrets (secretReader).
	Reader client.Reader
}

// Reconcile marks the provider's Secret, and guards it while the provider
// or another provider reading it is in use.
func (s *SecretProtection) Reconcile(ctx context.Context, p providers.Provider, providerInUse bool) error {
	key, ok, err := providers.SecretKey(p)
	if err != nil || !ok {
		return err
	}
	secret := &corev1.Secret{}
	if err := s.Reader.Get(ctx, key, secret); err != nil {
		return client.IgnoreNotFound(err) // authenticating says it is missing
	}
	guard := providerInUse
	if !guard {
		if guard, err = s.usedByOthers(ctx, p, key.String()); err != nil {
			return err
		}
	}
	base := secret.DeepCopy()
	changed := secret.Labels[v1alpha1.CredentialsLabel] != "true"
	if secret.Labels == nil {
		secret.Labels = map[string]string{}
	}
	secret.Labels[v1alpha1.CredentialsLabel] = "true"
	if guard {
		changed = controllerutil.AddFinalizer(secret, v1alpha1.CredentialsFinalizer) || changed
	} else {
		changed = controllerutil.RemoveFinalizer(secret, v1alpha1.CredentialsFinalizer) || changed
	}
	if !changed {
		return nil
	}
	return client.IgnoreNotFound(s.Client.Patch(ctx, secret, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{})))
}

// usedByOthers reports whether another provider reading the Secret has
// dependents.
func (s *SecretProtection) usedByOthers(ctx context.Context, p providers.Provider, secretKey string) (bool, error) {
	for _, kind := range []v1alpha1.ProviderKind{v1alpha1.KindAWSProvider, v1alpha1.KindClusterAWSProvider} {
		readers, err := providersReading(ctx, s.Client, kind, secretKey)
		if err != nil {
			return false, err
		}
		for _, other := range readers {
			if other.GetUID() != p.GetUID() && inUse(other) {
				return true, nil
			}
		}
	}
	return false, nil
}

// providersReading lists the providers of a kind that read a Secret.
func providersReading(ctx context.Context, reader client.Reader, kind v1alpha1.ProviderKind, secretKey string) ([]providers.Provider, error) {
	match := client.MatchingFields{credentialsSecretIndex: secretKey}
	var out []providers.Provider
	if kind == v1alpha1.KindClusterAWSProvider {
		var list v1alpha1.ClusterAWSProviderList
		if err := reader.List(ctx, &list, match); err != nil {
			return nil, err
		}
		for i := range list.Items {
			out = append(out, &list.Items[i])
		}
		return out, nil
	}
	var list v1alpha1.AWSProviderList
	if err := reader.List(ctx, &list, match); err != nil {
		return nil, err
	}
	for i := range list.Items {
		out = append(out, &list.Items[i])
	}
	return out, nil
}
