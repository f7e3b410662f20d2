package controller

import (
	"context"
	"maps"
	"slices"

	corev1 "k8s.io/api/core/v1"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

// reconcileDelete carries out the deletion policy, then lets the object go.
// While the provider cannot be reached the finalizer stays (Stalled, with a
// message saying how to give up); removing the finalizer by hand is the way
// out and leaves the API in AWS.
func (r *APIGatewayReconciler) reconcileDelete(ctx context.Context, obj *v1alpha1.APIGateway) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.APIGatewayFinalizer) {
		return ctrl.Result{}, nil
	}
	if obj.Spec.DeletionPolicy != v1alpha1.DeletionRetain {
		if err := r.releaseAPI(ctx, obj); err != nil {
			return ctrl.Result{}, err
		}
	}
	log.FromContext(ctx).Info("Released API", "apiId", obj.Status.APIID, "deletionPolicy", obj.Spec.DeletionPolicy)
	return ctrl.Result{}, removeFinalizer(ctx, r.Client, obj, v1alpha1.APIGatewayFinalizer)
}

// releaseAPI deletes the API (Delete) or strips its ownership tags (Orphan).
// It returns nil only once AWS confirms the outcome.
func (r *APIGatewayReconciler) releaseAPI(ctx context.Context, obj *v1alpha1.APIGateway) error {
	_, gw, err := r.connect(ctx, obj)
	if st, ok := asStalled(err); ok && st.reason == v1alpha1.ReasonProviderNotFound {
		// The provider object is gone, so nothing can reach the API any
		// more: keeping the finalizer would block the namespace forever.
		r.Recorder.Eventf(obj, nil, corev1.EventTypeWarning, v1alpha1.ReasonProviderNotFound, "Delete",
			"%s; the API %s is left in AWS as it is", st.message, obj.Status.APIID)
		return nil
	}
	if err != nil {
		return stuckDeleting(err)
	}
	protocol := gateway.Protocol(obj.Spec.ProtocolType)
	observed, err := findOwnedAPI(ctx, gw, obj, protocol)
	if err != nil || observed == nil {
		return err
	}
	if obj.Spec.DeletionPolicy == v1alpha1.DeletionOrphan {
		return gw.Untag(ctx, *observed, slices.Sorted(maps.Keys(ownershipTags(obj))))
	}
	if err := gw.Delete(ctx, protocol, observed.ID); err != nil {
		return err
	}
	// AWS may answer the delete before the API is gone; the finalizer stays
	// until a read confirms it, so that no API outlives its object.
	if _, err := gw.Get(ctx, protocol, observed.ID); !gateway.IsNotFound(err) {
		if err != nil {
			return err
		}
		return waiting(deleteConfirmRetry, v1alpha1.ReasonDeleting, "Waiting for AWS to finish deleting API %s", observed.ID)
	}
	log.FromContext(ctx).Info("Deleted API", "apiId", observed.ID)
	return nil
}

// stuckDeleting adds, to a provider problem met during deletion, the way out
// for a user who would rather leave the API in AWS than fix the provider.
func stuckDeleting(err error) error {
	const wayOut = "; to leave the API in AWS instead, remove the finalizer " + v1alpha1.APIGatewayFinalizer + " by hand"
	if st, ok := asStalled(err); ok {
		return &stalledError{reason: st.reason, message: st.message + wayOut}
	}
	if w, ok := asWaiting(err); ok {
		return &waitError{reason: w.reason, message: w.message + wayOut, after: w.after}
	}
	return err
}
