package controller

import (
	"context"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
)

// gatewayReferences is how APIGateways name the objects of a shared kind
// (VPC links, domain names): a field index of APIGateways by the
// "namespace/name" of each object they name, and the watch mappings both
// ways.
type gatewayReferences struct {
	// field is the index's name.
	field string
	// named lists the objects an APIGateway names, without duplicates.
	named func(*v1alpha1.APIGateway) []string
}

// referenceKey is the index key of a reference made from namespace: its own
// namespace when it names one, the referrer's otherwise.
func referenceKey(name, refNamespace, namespace string) string {
	if refNamespace != "" {
		namespace = refNamespace
	}
	return namespace + "/" + name
}

// appendKey appends key to keys unless it is there already.
func appendKey(keys []string, key string) []string {
	if slices.Contains(keys, key) {
		return keys
	}
	return append(keys, key)
}

func (r gatewayReferences) index(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &v1alpha1.APIGateway{}, r.field, func(o client.Object) []string {
		return r.named(o.(*v1alpha1.APIGateway))
	})
}

// gateways lists the APIGateways naming the object key.
func (r gatewayReferences) gateways(ctx context.Context, reader client.Reader, key string) ([]v1alpha1.APIGateway, error) {
	var list v1alpha1.APIGatewayList
	if err := reader.List(ctx, &list, client.MatchingFields{r.field: key}); err != nil {
		return nil, err
	}
	return list.Items, nil
}

// users are the APIGateways naming the object that it consents to: of its
// own namespace or of one allowedNamespaces lists. A refused reference is no
// user: it neither holds the object's deletion nor shows in its InUse.
func (r gatewayReferences) users(ctx context.Context, reader client.Reader, obj client.Object, allowedNamespaces []string) ([]v1alpha1.APIGateway, error) {
	all, err := r.gateways(ctx, reader, obj.GetNamespace()+"/"+obj.GetName())
	if err != nil {
		return nil, err
	}
	users := all[:0]
	for _, gw := range all {
		if providers.ConsentsTo(obj.GetNamespace(), allowedNamespaces, gw.Namespace) {
			users = append(users, gw)
		}
	}
	return users, nil
}

// namedBy maps an APIGateway event to passes of the objects it names
// (before and after the change: controller-runtime maps both), so that an
// object learns when a user comes, goes or changes.
func (r gatewayReferences) namedBy(_ context.Context, o client.Object) []reconcile.Request {
	keys := r.named(o.(*v1alpha1.APIGateway))
	requests := make([]reconcile.Request, len(keys))
	for i, key := range keys {
		namespace, name, _ := strings.Cut(key, "/")
		requests[i] = reconcile.Request{NamespacedName: types.NamespacedName{Namespace: namespace, Name: name}}
	}
	return requests
}

// gatewaysNaming maps an event of a named object to passes of the
// APIGateways naming it.
func (r gatewayReferences) gatewaysNaming(reader client.Reader) func(context.Context, client.Object) []reconcile.Request {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		key := o.GetNamespace() + "/" + o.GetName()
		list, err := r.gateways(ctx, reader, key)
		if err != nil {
			log.FromContext(ctx).Error(err, "Listing the APIGateways naming an object failed", "field", r.field, "object", key)
			return nil
		}
		gateways := make([]*v1alpha1.APIGateway, len(list))
		for i := range list {
			gateways[i] = &list[i]
		}
		return requestsFor(gateways)
	}
}

// sharedKindController starts the controller of a kind APIGateways name:
// its objects' spec and annotation changes (status writes must not start
// passes), its providers, and the APIGateways naming an object.
func sharedKindController[T managed.Resource](mgr ctrl.Manager, obj T, refs gatewayReferences) *builder.Builder {
	objectsOf := handler.EnqueueRequestsFromMapFunc(referrerRequests[T](mgr.GetClient()))
	return ctrl.NewControllerManagedBy(mgr).
		For(obj, builder.WithPredicates(predicate.Or(
			predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.AWSProvider{}, objectsOf, builder.WithPredicates(providerReadinessChanged())).
		Watches(&v1alpha1.ClusterAWSProvider{}, objectsOf, builder.WithPredicates(providerReadinessChanged())).
		Watches(&v1alpha1.APIGateway{}, handler.EnqueueRequestsFromMapFunc(refs.namedBy))
}

// resolvedChange passes the update events of a named object that change
// what the APIGateways naming it resolve: a spec change (allowedNamespaces),
// the start of its deletion, or a change of the status fields seen returns.
func resolvedChange[T client.Object](seen func(T) []any) predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			before, okBefore := e.ObjectOld.(T)
			after, okAfter := e.ObjectNew.(T)
			if !okBefore || !okAfter {
				return false
			}
			return before.GetGeneration() != after.GetGeneration() || !before.GetDeletionTimestamp().Equal(after.GetDeletionTimestamp()) ||
				!slices.Equal(seen(before), seen(after))
		},
	}
}
