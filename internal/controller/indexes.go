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

// managedKind is one kind the shared reconciler serves, as the provider
// index and the providers' referrers need it. A new kind is one entry of
// managedKinds.
type managedKind struct {
	object client.Object
	list   func(ctx context.Context, reader client.Reader, opts ...client.ListOption) ([]managed.Resource, error)
}

// managedKinds are every kind that references a provider.
var managedKinds = []managedKind{
	listedAs(&v1alpha1.APIGateway{}, func(l *v1alpha1.APIGatewayList) []managed.Resource { return resources(l.Items) }),
	listedAs(&v1alpha1.APIGatewayVPCLink{}, func(l *v1alpha1.APIGatewayVPCLinkList) []managed.Resource { return resources(l.Items) }),
	listedAs(&v1alpha1.APIGatewayUsagePlan{}, func(l *v1alpha1.APIGatewayUsagePlanList) []managed.Resource { return resources(l.Items) }),
	listedAs(&v1alpha1.APIGatewayAPIKey{}, func(l *v1alpha1.APIGatewayAPIKeyList) []managed.Resource { return resources(l.Items) }),
	listedAs(&v1alpha1.APIGatewayDomainName{}, func(l *v1alpha1.APIGatewayDomainNameList) []managed.Resource { return resources(l.Items) }),
}

// listedAs describes a managed kind by its object and how its list's items
// become managed resources.
func listedAs[L any, PL interface {
	*L
	client.ObjectList
}](object managed.Resource, items func(PL) []managed.Resource) managedKind {
	return managedKind{object: object, list: func(ctx context.Context, reader client.Reader, opts ...client.ListOption) ([]managed.Resource, error) {
		list := PL(new(L))
		if err := reader.List(ctx, list, opts...); err != nil {
			return nil, err
		}
		return items(list), nil
	}}
}

// resources points at each item of a list.
func resources[E any, P interface {
	*E
	managed.Resource
}](items []E) []managed.Resource {
	out := make([]managed.Resource, len(items))
	for i := range items {
		out[i] = P(&items[i])
	}
	return out
}

func setupIndexes(ctx context.Context, mgr ctrl.Manager) error {
	indexer := mgr.GetFieldIndexer()
	for _, kind := range managedKinds {
		if err := indexer.IndexField(ctx, kind.object, providerIndex, func(o client.Object) []string {
			return providerKeysOf(o.(managed.Resource))
		}); err != nil {
			return err
		}
	}
	if err := indexVPCLinkRefs(ctx, indexer); err != nil {
		return err
	}
	if err := indexUsagePlansAndKeys(ctx, indexer); err != nil {
		return err
	}
	if err := indexDomainRefs(ctx, indexer); err != nil {
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
	var objects []managed.Resource
	for _, kind := range managedKinds {
		ofKind, err := kind.list(ctx, reader, client.MatchingFields{providerIndex: providerKey})
		if err != nil {
			return nil, err
		}
		objects = append(objects, ofKind...)
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
