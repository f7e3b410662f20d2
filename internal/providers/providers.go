// Package providers decides which AWS credentials an object may use, and
// turns a provider into the settings the AWS layer needs. It is where the
// security model lives:
//
//   - an AWSProvider reads a Secret of its own namespace, and nothing else;
//   - a ClusterAWSProvider (the cluster admin's) may use the operator's own
//     identity, and serves only the namespaces it lists or selects;
//   - an AWSProvider of another namespace serves only the namespaces its
//     spec.allowedNamespaces names (its owner's consent).
//
// Secret values go only into session.Settings: never into logs, events,
// conditions or metrics.
package providers

import (
	"context"
	"fmt"
	"slices"
	"strings"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/labels"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// Provider is either kind of provider.
type Provider interface {
	client.Object
	GetConnection() v1alpha1.AWSConnection
	GetProviderStatus() *v1alpha1.ProviderStatus
	GetReconcileStatus() *v1alpha1.ReconcileStatus
	ProviderKind() v1alpha1.ProviderKind
}

// Keys of the credentials Secret, as the AWS CLI's environment names them.
const (
	SecretAccessKeyID     = "AWS_ACCESS_KEY_ID"
	SecretSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	SecretSessionToken    = "AWS_SESSION_TOKEN"
)

// SecretKeys are the keys of a credentials Secret the operator reads.
var SecretKeys = []string{SecretAccessKeyID, SecretSecretAccessKey, SecretSessionToken}

// Key is a provider's identity across both kinds: "AWSProvider/ns/name" or
// "ClusterAWSProvider/name". It keys client caches and field indexes.
func Key(kind v1alpha1.ProviderKind, namespace, name string) string {
	if kind == v1alpha1.KindClusterAWSProvider {
		return string(kind) + "/" + name
	}
	return string(kind) + "/" + namespace + "/" + name
}

// KeyOf is Key of a provider object.
func KeyOf(p Provider) string { return Key(p.ProviderKind(), p.GetNamespace(), p.GetName()) }

// RefKey is Key of the provider a reference made from namespace names.
func RefKey(ref v1alpha1.ProviderReference, namespace string) string {
	ref = Normalize(ref, namespace)
	return Key(ref.Kind, ref.Namespace, ref.Name)
}

// Normalize fills a reference's defaults: the kind, and for an AWSProvider
// the referring object's namespace.
func Normalize(ref v1alpha1.ProviderReference, namespace string) v1alpha1.ProviderReference {
	ref.Kind = ref.KindOrDefault()
	if ref.Kind == v1alpha1.KindAWSProvider && ref.Namespace == "" {
		ref.Namespace = namespace
	}
	if ref.Kind == v1alpha1.KindClusterAWSProvider {
		ref.Namespace = ""
	}
	return ref
}

// Describe names a provider for messages: "AWSProvider ns/name".
func Describe(ref v1alpha1.ProviderReference) string {
	if ref.Kind == v1alpha1.KindClusterAWSProvider {
		return string(ref.Kind) + " " + ref.Name
	}
	return string(ref.Kind) + " " + ref.Namespace + "/" + ref.Name
}

// Get fetches the provider a normalized reference names.
func Get(ctx context.Context, reader client.Reader, ref v1alpha1.ProviderReference) (Provider, error) {
	var p Provider
	if ref.Kind == v1alpha1.KindClusterAWSProvider {
		p = &v1alpha1.ClusterAWSProvider{}
	} else {
		p = &v1alpha1.AWSProvider{}
	}
	if err := reader.Get(ctx, types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, p); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, outcome.Stall(v1alpha1.ReasonProviderNotFound, "%s not found", Describe(ref))
		}
		return nil, err
	}
	return p, nil
}

// Allows reports whether objects of namespace may use the provider. An
// AWSProvider serves its own namespace and those its allowedNamespaces
// names; a ClusterAWSProvider serves the namespaces it lists or selects,
// and none by default.
func Allows(ctx context.Context, reader client.Reader, p Provider, namespace string) (bool, error) {
	switch p := p.(type) {
	case *v1alpha1.AWSProvider:
		return ConsentsTo(p.Namespace, p.Spec.AllowedNamespaces, namespace), nil
	case *v1alpha1.ClusterAWSProvider:
		if listed(p.Spec.AllowedNamespaces, namespace) {
			return true, nil
		}
		if p.Spec.NamespaceSelector == nil {
			return false, nil
		}
		selector, err := metav1.LabelSelectorAsSelector(p.Spec.NamespaceSelector)
		if err != nil {
			return false, outcome.StallCause(err, v1alpha1.ReasonInvalidSpec, "ClusterAWSProvider %s has an invalid namespaceSelector: %v", p.Name, err)
		}
		ns := &corev1.Namespace{}
		if err := reader.Get(ctx, types.NamespacedName{Name: namespace}, ns); err != nil {
			return false, client.IgnoreNotFound(err)
		}
		return selector.Matches(labels.Set(ns.Labels)), nil
	}
	return false, nil
}

func listed(allowed []string, namespace string) bool {
	return slices.Contains(allowed, namespace) || slices.Contains(allowed, "*")
}

// ConsentsTo reports whether a namespaced object shared through an
// allowedNamespaces list (an AWSProvider, a domain name, a VPC link, a usage
// plan) may be used from namespace: always from its own, from others only
// when listed, "*" listing every namespace.
func ConsentsTo(ownNamespace string, allowedNamespaces []string, namespace string) bool {
	return ownNamespace == namespace || listed(allowedNamespaces, namespace)
}

// NotAllowedMessage says why a namespace may not use a provider, and how to
// fix it.
func NotAllowedMessage(ref v1alpha1.ProviderReference, namespace string) string {
	if ref.Kind == v1alpha1.KindClusterAWSProvider {
		return fmt.Sprintf("%s does not allow namespace %q: a cluster admin must add it to the provider's spec.allowedNamespaces (or label the namespace to match spec.namespaceSelector)", Describe(ref), namespace)
	}
	return fmt.Sprintf("%s does not allow namespace %q: its owner must add it (or \"*\") to the provider's spec.allowedNamespaces", Describe(ref), namespace)
}

// SecretKey is the Secret a provider reads, if any. A namespaced provider
// naming another namespace's Secret, or none at all, is refused: that is
// how a tenant would borrow another namespace's credentials, or the
// operator's own identity.
func SecretKey(p Provider) (types.NamespacedName, bool, error) {
	switch p := p.(type) {
	case *v1alpha1.AWSProvider:
		ref := p.Spec.CredentialsSecret
		if ref == nil {
			return types.NamespacedName{}, false, outcome.Stall(v1alpha1.ReasonCredentialsNotAllowed,
				"AWSProvider %s/%s names no credentialsSecret: a namespaced provider must use a Secret of its own namespace; the operator's own identity is handed out by a cluster admin through a ClusterAWSProvider", p.Namespace, p.Name)
		}
		namespace := ref.Namespace //nolint:staticcheck // reads the deprecated field to refuse it
		if namespace != "" && namespace != p.Namespace {
			return types.NamespacedName{}, false, outcome.Stall(v1alpha1.ReasonCredentialsNotAllowed,
				"credentialsSecret.namespace %q is not this provider's namespace %q: an AWSProvider reads Secrets of its own namespace only; copy the Secret into %s and remove credentialsSecret.namespace, or ask a cluster admin for a ClusterAWSProvider", namespace, p.Namespace, p.Namespace)
		}
		return types.NamespacedName{Namespace: p.Namespace, Name: ref.Name}, true, nil
	case *v1alpha1.ClusterAWSProvider:
		if ref := p.Spec.CredentialsSecret; ref != nil {
			return types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}, true, nil
		}
	}
	return types.NamespacedName{}, false, nil
}

// Settings turns a provider into what the AWS layer needs, reading its
// Secret through secrets.
func Settings(ctx context.Context, secrets client.Reader, p Provider) (session.Settings, error) {
	conn := p.GetConnection()
	settings := session.Settings{
		Region:     conn.Region,
		Endpoint:   conn.Endpoint,
		RoleARN:    conn.RoleARN,
		ExternalID: conn.ExternalID,
		// Every provider reaching the same account shares AWS's quota.
		AccountKey: p.GetProviderStatus().AccountID,
	}
	if limit := conn.RateLimit; limit != nil {
		if limit.RequestsPerSecond != nil {
			settings.RateLimit.PerSecond = float64(*limit.RequestsPerSecond)
		}
		if limit.Burst != nil {
			settings.RateLimit.Burst = int(*limit.Burst)
		}
	}
	key, ok, err := SecretKey(p)
	if err != nil || !ok {
		return settings, err // no Secret: the default credential chain
	}
	var secret corev1.Secret
	if err := secrets.Get(ctx, key, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return settings, outcome.Stall(v1alpha1.ReasonCredentialsNotFound, "Secret %s holding the AWS credentials was not found", key)
		}
		return settings, err
	}
	static, err := staticCredentials(key, secret.Data)
	if err != nil {
		return settings, err
	}
	settings.Static = static
	return settings, nil
}

// staticCredentials reads the keys of a credentials Secret. A value with
// surrounding whitespace (the newline `echo` adds) is refused with the key
// named: AWS would refuse the signature with no hint why.
func staticCredentials(key types.NamespacedName, data map[string][]byte) (*session.StaticCredentials, error) {
	values := map[string]string{}
	for _, name := range SecretKeys {
		value := string(data[name])
		if strings.TrimSpace(value) != value {
			return nil, outcome.Stall(v1alpha1.ReasonCredentialsInvalid,
				"Secret %s: %s has leading or trailing whitespace (a newline from echo?); store it without (kubectl create secret generic --from-literal=%s=...)", key, name, name)
		}
		values[name] = value
	}
	if values[SecretAccessKeyID] == "" || values[SecretSecretAccessKey] == "" {
		return nil, outcome.Stall(v1alpha1.ReasonCredentialsNotFound, "Secret %s must hold both %s and %s", key, SecretAccessKeyID, SecretSecretAccessKey)
	}
	return &session.StaticCredentials{
		AccessKeyID:     values[SecretAccessKeyID],
		SecretAccessKey: values[SecretSecretAccessKey],
		SessionToken:    values[SecretSessionToken],
	}, nil
}

// Authenticated reports whether the provider's current spec has been
// proved with STS.
func Authenticated(p Provider) bool {
	status := p.GetProviderStatus()
	return status.Ready && status.ObservedGeneration == p.GetGeneration() && status.AccountID != ""
}

// Problem quotes the provider's own Ready message, so that a dependent says
// why without the user having to look further.
func Problem(p Provider) string {
	for _, c := range p.GetProviderStatus().Conditions {
		if c.Type == v1alpha1.ConditionReady && c.Message != "" {
			return fmt.Sprintf(": %s: %s", c.Reason, c.Message)
		}
	}
	return ""
}
