package managed

import (
	"context"
	"fmt"
	"time"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// deleteConfirmRetry is how soon a deletion is checked again while AWS
// still reports the resource.
const deleteConfirmRetry = 5 * time.Second

// reconcileMove handles a resource left in the scope status records when the
// provider now reaches another account or region (its region or Secret
// changed, or providerRef names another provider): the old resource goes
// the way the deletion policy says, with an event, before one is made in
// the new scope. When the old scope can no longer be reached the move is
// refused, saying how to move safely: nothing is left owned and forgotten.
func (r *Reconciler[T]) reconcileMove(ctx context.Context, obj T, provider *providers.Resolved) error {
	recorded := obj.GetManagedStatus().Scope
	if recorded == nil || recorded.SameAWS(provider.Scope) {
		return nil
	}
	from, to := describeScope(*recorded), describeScope(provider.Scope)
	old, err := r.providers.ResolveScope(ctx, obj.GetNamespace(), *recorded)
	if err != nil {
		if _, ok := outcome.AsWaiting(err); ok {
			return err
		}
		return outcome.StallCause(err, v1alpha1.ReasonMoveRefused,
			"The %s of this object lives in %s, which can no longer be reached (%v), so it cannot be moved to %s without leaving it behind. Undo the change until the move is done, or delete this object first (its deletionPolicy applies) and create it anew",
			r.kind.Resource, from, err, to)
	}
	if err := r.release(ctx, obj, old, "Moving"); err != nil {
		return err
	}
	r.event(obj, corev1.EventTypeNormal, v1alpha1.ReasonMoved, "Moved from %s to %s: the old %s was handled by deletionPolicy %s",
		from, to, r.kind.Resource, obj.GetDeletionPolicy())
	r.kind.Forget(obj)
	obj.GetManagedStatus().Scope = nil
	return nil
}

// reconcileDelete carries out the deletion policy, then lets the object go.
// While the provider cannot be reached the finalizer stays (Stalled, with a
// message saying how to give up); removing the finalizer by hand is the way
// out and leaves the resource in AWS.
func (r *Reconciler[T]) reconcileDelete(ctx context.Context, obj T) error {
	if !controllerutil.ContainsFinalizer(obj, r.kind.Finalizer) {
		return nil
	}
	if obj.GetDeletionPolicy() != v1alpha1.DeletionRetain {
		provider, err := r.providerForDelete(ctx, obj)
		if st, ok := outcome.AsStalled(err); ok && st.Reason == v1alpha1.ReasonProviderNotFound {
			// The provider object is gone, so nothing can reach the
			// resource any more: keeping the finalizer would block the
			// namespace forever.
			r.event(obj, corev1.EventTypeWarning, v1alpha1.ReasonProviderNotFound, "%s; the %s %s is left in AWS as it is",
				st.Message, r.kind.Resource, r.kind.RecordedID(obj))
			return reconciler.RemoveFinalizer(ctx, r.client, obj, r.kind.Finalizer)
		}
		if err != nil {
			return outcome.WithSuffix(err, r.wayOut())
		}
		if err := r.release(ctx, obj, provider, "Delete"); err != nil {
			return refused(err)
		}
	}
	log.FromContext(ctx).Info("Released "+r.kind.Resource, "id", r.kind.RecordedID(obj), "deletionPolicy", obj.GetDeletionPolicy())
	return reconciler.RemoveFinalizer(ctx, r.client, obj, r.kind.Finalizer)
}

// providerForDelete reaches the scope the resource was recorded in, or the
// current provider's when status records none.
func (r *Reconciler[T]) providerForDelete(ctx context.Context, obj T) (*providers.Resolved, error) {
	if recorded := obj.GetManagedStatus().Scope; recorded != nil {
		return r.providers.ResolveScope(ctx, obj.GetNamespace(), *recorded)
	}
	return r.providers.Resolve(ctx, obj.GetNamespace(), obj.GetProviderRef(), false)
}

// release carries out the deletion policy on the resource the object owns in
// the provider's scope: Delete deletes it (nil once AWS confirms), Orphan
// strips the owner mark, Retain leaves it.
func (r *Reconciler[T]) release(ctx context.Context, obj T, provider *providers.Resolved, action string) error {
	policy := obj.GetDeletionPolicy()
	if policy == v1alpha1.DeletionRetain {
		return nil
	}
	ext, err := r.kind.Connect(ctx, obj, provider)
	if err != nil {
		return err
	}
	observed, err := ext.Observe(ctx)
	if err != nil || !observed.Exists {
		return err
	}
	if policy == v1alpha1.DeletionOrphan {
		if err := ext.Release(ctx); err != nil {
			return err
		}
		log.FromContext(ctx).Info("Orphaned "+r.kind.Resource, "id", observed.ID, "action", action)
		return nil
	}
	gone, err := ext.Delete(ctx)
	if err != nil {
		return err
	}
	// AWS may answer the delete before the resource is gone; the finalizer
	// stays until a read confirms it, so that nothing outlives its object.
	if !gone {
		return outcome.Wait(deleteConfirmRetry, v1alpha1.ReasonDeleting, "Waiting for AWS to finish deleting %s %s", r.kind.Resource, observed.ID)
	}
	log.FromContext(ctx).Info("Deleted "+r.kind.Resource, "id", observed.ID, "action", action)
	return nil
}

// wayOut is what a user stuck deleting can do instead of fixing the provider.
func (r *Reconciler[T]) wayOut() string {
	return fmt.Sprintf("; to leave the %s in AWS instead, remove the finalizer %s by hand", r.kind.Resource, r.kind.Finalizer)
}

func describeScope(s v1alpha1.ResourceScope) string {
	text := fmt.Sprintf("account %s region %s", s.AccountID, s.Region)
	if s.Endpoint != "" {
		text += " at " + s.Endpoint
	}
	return text
}
