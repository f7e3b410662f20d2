package controller

import (
	"context"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/tools/events"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// patchStatus writes the status of obj, as one merge patch computed against
// base (the object as fetched, status included). Nothing is sent when
// nothing changed, and an object that is already gone is not an error.
func patchStatus(ctx context.Context, c client.Client, obj, base client.Object) error {
	if equality.Semantic.DeepEqual(obj, base) {
		return nil
	}
	return ignoreGone(c.Status().Patch(ctx, obj, client.MergeFrom(base)))
}

// addFinalizer persists a finalizer on obj. The optimistic lock keeps the
// patch from overwriting a finalizer someone else added meanwhile.
func addFinalizer(ctx context.Context, c client.Client, obj client.Object, finalizer string) error {
	base := obj.DeepCopyObject().(client.Object)
	if !controllerutil.AddFinalizer(obj, finalizer) {
		return nil
	}
	return c.Patch(ctx, obj, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{}))
}

func removeFinalizer(ctx context.Context, c client.Client, obj client.Object, finalizer string) error {
	base := obj.DeepCopyObject().(client.Object)
	if !controllerutil.RemoveFinalizer(obj, finalizer) {
		return nil
	}
	return ignoreGone(c.Patch(ctx, obj, client.MergeFromWithOptions(base, client.MergeFromWithOptimisticLock{})))
}

// recordReadyTransition records one event when the Ready condition moved,
// with the condition's reason as the event's reason: a failure repeating on
// every pass makes one event, not one per pass.
func recordReadyTransition(recorder events.EventRecorder, obj runtime.Object, before, after []metav1.Condition) {
	ready, changed := readyChanged(before, after)
	if !changed {
		return
	}
	eventType := corev1.EventTypeWarning
	if ready.Status == metav1.ConditionTrue || ready.Reason == v1alpha1.ReasonProgressing || ready.Reason == v1alpha1.ReasonDeleting {
		eventType = corev1.EventTypeNormal
	}
	recorder.Eventf(obj, nil, eventType, ready.Reason, "Reconcile", "%s", ready.Message)
}
