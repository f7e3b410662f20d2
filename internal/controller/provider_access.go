package controller

import (
	"context"
	"fmt"
	"slices"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// AWSClients is what the reconcilers need of the AWS layer: an API Gateway
// client and the caller identity for a provider's settings. session.Factory
// provides them; the key names the provider so that clients are reused.
type AWSClients interface {
	Gateway(ctx context.Context, key string, settings session.Settings) (gateway.Client, error)
	Identity(ctx context.Context, key string, settings session.Settings) (session.Identity, error)
	// Forget drops what is cached for the key, so that the next call
	// authenticates again.
	Forget(key string)
	// ReserveCreateSlot returns how long until the holder may create an API
	// of the protocol and endpoint type through the key's client, holding
	// that slot for calls made with session.WithSlotHolder; 0 means now.
	ReserveCreateSlot(key string, protocol gateway.Protocol, endpointType, holder string) time.Duration
}

// Keys of the credentials Secret, as the AWS CLI's environment names them.
const (
	secretAccessKeyID     = "AWS_ACCESS_KEY_ID"
	secretSecretAccessKey = "AWS_SECRET_ACCESS_KEY"
	secretSessionToken    = "AWS_SESSION_TOKEN"
)

// credentialsOnly is the cache transform of Secrets: the operator watches
// every Secret (any may become a provider's), but keeps of each only its
// name and the three keys it reads. Other data, annotations (kubectl's
// last-applied copy holds the data too) and managedFields never stay in its
// memory.
func credentialsOnly(obj any) (any, error) {
	secret, ok := obj.(*corev1.Secret)
	if !ok {
		return obj, nil
	}
	kept := map[string][]byte{}
	for _, key := range []string{secretAccessKeyID, secretSecretAccessKey, secretSessionToken} {
		if value, ok := secret.Data[key]; ok {
			kept[key] = value
		}
	}
	secret.Data, secret.StringData = kept, nil
	secret.Annotations, secret.ManagedFields = nil, nil
	return secret, nil
}

// providerNotReadyRetry is how soon an APIGateway looks at its provider again
// when it is not ready; the provider watch usually triggers sooner.
const providerNotReadyRetry = time.Minute

// providerSettings turns a provider into what the AWS layer needs. The secret's
// values go only into the returned settings: never into logs, events or status.
func providerSettings(ctx context.Context, reader client.Reader, provider *v1alpha1.AWSProvider) (session.Settings, error) {
	settings := session.Settings{
		Region:     provider.Spec.Region,
		Endpoint:   provider.Spec.Endpoint,
		RoleARN:    provider.Spec.RoleARN,
		ExternalID: provider.Spec.ExternalID,
		// Every provider reaching the same account shares AWS's quota.
		AccountKey: provider.Status.AccountID,
	}
	if limit := provider.Spec.RateLimit; limit != nil {
		if limit.RequestsPerSecond != nil {
			settings.RateLimit.PerSecond = float64(*limit.RequestsPerSecond)
		}
		if limit.Burst != nil {
			settings.RateLimit.Burst = int(*limit.Burst)
		}
	}
	key, ok := credentialsSecretKey(provider)
	if !ok {
		return settings, nil // the default credential chain
	}
	var secret corev1.Secret
	if err := reader.Get(ctx, key, &secret); err != nil {
		if apierrors.IsNotFound(err) {
			return settings, stalled(v1alpha1.ReasonCredentialsNotFound, "Secret %s holding the AWS credentials was not found", key)
		}
		return settings, err
	}
	accessKeyID, secretKey := string(secret.Data[secretAccessKeyID]), string(secret.Data[secretSecretAccessKey])
	if accessKeyID == "" || secretKey == "" {
		return settings, stalled(v1alpha1.ReasonCredentialsNotFound, "Secret %s must hold both %s and %s", key, secretAccessKeyID, secretSecretAccessKey)
	}
	settings.Static = &session.StaticCredentials{
		AccessKeyID:     accessKeyID,
		SecretAccessKey: secretKey,
		SessionToken:    string(secret.Data[secretSessionToken]),
	}
	return settings, nil
}

// usableProvider returns the provider an APIGateway refers to, when it exists,
// lets the APIGateway's namespace use it, and has authenticated.
func usableProvider(ctx context.Context, reader client.Reader, obj *v1alpha1.APIGateway) (*v1alpha1.AWSProvider, error) {
	key := providerKey(obj)
	provider := &v1alpha1.AWSProvider{}
	if err := reader.Get(ctx, key, provider); err != nil {
		if apierrors.IsNotFound(err) {
			return nil, stalled(v1alpha1.ReasonProviderNotFound, "AWSProvider %s not found", key)
		}
		return nil, err
	}
	if !namespaceAllowed(provider, obj.Namespace) {
		return nil, stalled(v1alpha1.ReasonProviderNotAllowed,
			"AWSProvider %s does not allow namespace %q: add it (or \"*\") to the provider's spec.allowedNamespaces", key, obj.Namespace)
	}
	if !provider.Status.Ready || provider.Status.ObservedGeneration != provider.Generation {
		return nil, waiting(providerNotReadyRetry, v1alpha1.ReasonProviderNotReady, "AWSProvider %s is not ready%s", key, providerProblem(provider))
	}
	return provider, nil
}

func namespaceAllowed(provider *v1alpha1.AWSProvider, namespace string) bool {
	return provider.Namespace == namespace ||
		slices.Contains(provider.Spec.AllowedNamespaces, namespace) ||
		slices.Contains(provider.Spec.AllowedNamespaces, "*")
}

// providerProblem quotes the provider's own Ready message, so that the
// APIGateway says why without the user having to look further.
func providerProblem(provider *v1alpha1.AWSProvider) string {
	for _, c := range provider.Status.Conditions {
		if c.Type == v1alpha1.ConditionReady && c.Message != "" {
			return fmt.Sprintf(": %s: %s", c.Reason, c.Message)
		}
	}
	return ""
}

// clientKey names a provider for the AWS layer's client cache.
func clientKey(provider *v1alpha1.AWSProvider) string {
	return provider.Namespace + "/" + provider.Name
}
