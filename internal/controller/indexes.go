package controller

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// Field indexes let one object find the objects that point at it without
// listing everything: the APIGateways using a provider (in-use protection,
// and re-triggering them when the provider becomes ready) and the providers
// reading a Secret (credential rotation).
const (
	providerRefIndex       = ".spec.providerRef.resolved"
	credentialsSecretIndex = ".spec.credentialsSecret.resolved"
)

// providerKey is the provider an APIGateway uses; providerRef.namespace
// defaults to the APIGateway's own namespace.
func providerKey(obj *v1alpha1.APIGateway) types.NamespacedName {
	namespace := obj.Spec.ProviderRef.Namespace
	if namespace == "" {
		namespace = obj.Namespace
	}
	return types.NamespacedName{Namespace: namespace, Name: obj.Spec.ProviderRef.Name}
}

// credentialsSecretKey is the Secret a provider reads, if any; its namespace
// defaults to the provider's.
func credentialsSecretKey(provider *v1alpha1.AWSProvider) (types.NamespacedName, bool) {
	ref := provider.Spec.CredentialsSecret
	if ref == nil {
		return types.NamespacedName{}, false
	}
	namespace := ref.Namespace
	if namespace == "" {
		namespace = provider.Namespace
	}
	return types.NamespacedName{Namespace: namespace, Name: ref.Name}, true
}

func setupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	if err := indexer.IndexField(ctx, &v1alpha1.APIGateway{}, providerRefIndex, func(o client.Object) []string {
		return []string{providerKey(o.(*v1alpha1.APIGateway)).String()}
	}); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &v1alpha1.AWSProvider{}, credentialsSecretIndex, func(o client.Object) []string {
		if key, ok := credentialsSecretKey(o.(*v1alpha1.AWSProvider)); ok {
			return []string{key.String()}
		}
		return nil
	})
}

// gatewaysUsing lists the APIGateways, in every namespace, whose providerRef
// resolves to the provider.
func gatewaysUsing(ctx context.Context, reader client.Reader, provider types.NamespacedName) ([]v1alpha1.APIGateway, error) {
	var list v1alpha1.APIGatewayList
	if err := reader.List(ctx, &list, client.MatchingFields{providerRefIndex: provider.String()}); err != nil {
		return nil, err
	}
	return list.Items, nil
}

func requestFor(key types.NamespacedName) reconcile.Request {
	return reconcile.Request{NamespacedName: key}
}
