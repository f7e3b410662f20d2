package controller

import (
	"context"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
)

// Field indexes let one object find the objects that point at it without
// listing everything: the managed objects using a provider, by their spec
// (providerRef) or by the scope their resource was recorded in (a move or
// a deletion still needs the old provider), and the providers reading a
// Secret.
const (
	providerIndex          = ".providers.resolved"
	credentialsSecretIndex = ".spec.credentialsSecret.resolved"
)

// providerKeysOf are the providers a managed object needs: the one it
// references, and the one its resource was last reached through.
func providerKeysOf(obj managed.Resource) []string {
	keys := []string{providers.RefKey(obj.GetProviderRef(), obj.GetNamespace())}
	if scope := obj.GetManagedStatus().Scope; scope != nil {
		if key := providers.RefKey(scope.Provider, obj.GetNamespace()); key != keys[0] {
			keys = append(keys, key)
		}
	}
	return keys
}

func setupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	if err := indexer.IndexField(ctx, &v1alpha1.APIGateway{}, providerIndex, func(o client.Object) []string {
		return providerKeysOf(o.(*v1alpha1.APIGateway))
	}); err != nil {
		return err
	}
	if err := indexer.IndexField(ctx, &v1alpha1.APIGatewayVPCLink{}, providerIndex, func(o client.Object) []string {
		return providerKeysOf(o.(*v1alpha1.APIGatewayVPCLink))
	}); err != nil {
		return err
	}
	if err := indexVPCLinkRefs(ctx, indexer); err != nil {
		return err
	}
	if err := indexOpenAPIConfigMaps(ctx, indexer); err != nil {
		return err
	}
	secretKeyOf := func(o client.Object) []string {
		if key, ok, err := providers.SecretKey(o.(providers.Provider)); err == nil && ok {
			return []string{key.String()}
		}
		return nil
	}
	if err := indexer.IndexField(ctx, &v1alpha1.AWSProvider{}, credentialsSecretIndex, secretKeyOf); err != nil {
		return err
	}
	return indexer.IndexField(ctx, &v1alpha1.ClusterAWSProvider{}, credentialsSecretIndex, secretKeyOf)
}

// referrers lists the managed objects, in every namespace and of every
// managed kind, that need the provider: by providerRef or recorded scope.
func referrers(ctx context.Context, reader client.Reader, providerKey string) ([]managed.Resource, error) {
	var gateways v1alpha1.APIGatewayList
	if err := reader.List(ctx, &gateways, client.MatchingFields{providerIndex: providerKey}); err != nil {
		return nil, err
	}
	var links v1alpha1.APIGatewayVPCLinkList
	if err := reader.List(ctx, &links, client.MatchingFields{providerIndex: providerKey}); err != nil {
		return nil, err
	}
	objects := make([]managed.Resource, 0, len(gateways.Items)+len(links.Items))
	for i := range gateways.Items {
		objects = append(objects, &gateways.Items[i])
	}
	for i := range links.Items {
		objects = append(objects, &links.Items[i])
	}
	return objects, nil
}

// referrerRequests maps a provider event to passes of the objects of kind
// T needing it (each controller enqueues its own kind).
func referrerRequests[T managed.Resource](reader client.Reader) func(context.Context, client.Object) []reconcile.Request {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		key := providers.KeyOf(o.(providers.Provider))
		objects, err := referrers(ctx, reader, key)
		if err != nil {
			log.FromContext(ctx).Error(err, "Listing the objects of a provider failed", "provider", key)
			return nil
		}
		var ofKind []managed.Resource
		for _, obj := range objects {
			if _, ok := obj.(T); ok {
				ofKind = append(ofKind, obj)
			}
		}
		return requestsFor(ofKind)
	}
}

func requestsFor[T client.Object](objects []T) []reconcile.Request {
	requests := make([]reconcile.Request, len(objects))
	for i, o := range objects {
		requests[i] = reconcile.Request{NamespacedName: types.NamespacedName{Namespace: o.GetNamespace(), Name: o.GetName()}}
	}
	return requests
}
