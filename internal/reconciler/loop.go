// Package reconciler is the reconcile skeleton every kind shares: fetch,
// the kind's steps, then the outcome sorted once into kstatus conditions and
// a result, and the status written once, by a patch of the status alone.
// Its subpackage managed adds what kinds owning AWS resources share.
package reconciler

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"time"

	jsonpatch "github.com/evanphx/json-patch/v5"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/events"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// Object is what the loop needs of a kind.
type Object interface {
	client.Object
	GetReconcileStatus() *v1alpha1.ReconcileStatus
}

// Loop reconciles one kind. The kind supplies New and Steps; everything
// around them is the same for every kind.
type Loop[T Object] struct {
	Client   client.Client
	Recorder events.EventRecorder
	// Kind names the kind in metrics.
	Kind string
	// New returns an empty object of the kind.
	New func() T
	// Steps does the kind's work on the fetched object, deletion included,
	// and returns an outcome (see package outcome) or nil.
	Steps func(ctx context.Context, obj T) (ctrl.Result, error)
	// ReadyMessage words Ready=True after a pass that succeeded.
	ReadyMessage func(obj T) string
	// Summarized, when set, sees the object once the pass's outcome is in
	// its status (a readiness gauge, say).
	Summarized func(obj T)
}

// Reconcile runs one pass.
func (l *Loop[T]) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := l.New()
	if err := l.Client.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := obj.DeepCopyObject().(T)
	defer func() {
		result, retErr = summarize(obj, result, retErr, l.ReadyMessage)
		if l.Summarized != nil {
			l.Summarized(obj)
		}
		reconcileTotal.WithLabelValues(l.Kind, reconcileResult(result.RequeueAfter > 0, retErr)).Inc()
		recordReadyTransition(l.Recorder, obj, before.GetReconcileStatus().Conditions, obj.GetReconcileStatus().Conditions)
		switch err := patchStatus(ctx, l.Client, obj, before); {
		case apierrors.IsConflict(err):
			// The pass ran on a stale copy: whatever it concluded, even a
			// stall, is run again on fresh data.
			result, retErr = ctrl.Result{}, err
		case err != nil:
			retErr = kerrors.NewAggregate([]error{retErr, err})
		}
	}()
	return l.Steps(ctx, obj)
}

// summarize sorts the pass's outcome, once, into conditions and a result:
// stalled → no retry until something changes (or after RetryAfter);
// waiting → RequeueAfter; anything else → Reconciling with a stable
// message, and the error for the workqueue's backoff.
func summarize[T Object](obj T, result ctrl.Result, err error, readyMessage func(T) string) (ctrl.Result, error) {
	st, generation := obj.GetReconcileStatus(), obj.GetGeneration()
	if s, ok := outcome.AsStalled(err); ok {
		markStalled(st, generation, s.Reason, s.Message)
		st.Ready = false
		st.ObservedGeneration = generation
		if s.RetryAfter > 0 {
			return ctrl.Result{RequeueAfter: s.RetryAfter}, nil
		}
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	if w, ok := outcome.AsWaiting(err); ok {
		if w.StillReady {
			markReady(st, generation, readyMessage(obj))
			SetCondition(&st.Conditions, generation, v1alpha1.ConditionReconciling, metav1.ConditionTrue, w.Reason, w.Message)
			st.Ready = true
			st.ObservedGeneration = generation
		} else {
			markReconciling(st, generation, w.Reason, w.Message)
			st.Ready = false
		}
		return ctrl.Result{RequeueAfter: w.After, Priority: w.Priority}, nil
	}
	if err != nil {
		reason, message := v1alpha1.ReasonAWSUnavailable, awserrors.Message(err)
		if t, ok := outcome.AsTransient(err); ok {
			reason, message = t.Reason, t.Message
		}
		markReconciling(st, generation, reason, message)
		st.Ready = false
		return ctrl.Result{}, err
	}
	if !obj.GetDeletionTimestamp().IsZero() {
		return result, nil
	}
	markReady(st, generation, readyMessage(obj))
	st.Ready = true
	st.ObservedGeneration = generation
	return result, nil
}

// patchStatus writes what changed in obj's status since before, as one merge
// patch of the status alone, guarded by obj's resourceVersion. The guard
// matters: before may come from a cache that has not seen this object's
// last status write, and a merge patch against such a base omits the
// fields the pass cleared that the base never had (a field the last pass
// set and this one emptied would stay set). A stale base therefore answers
// Conflict, and the pass is run again on fresh data. Nothing is sent when
// nothing changed, and an object already gone is not an error.
func patchStatus(ctx context.Context, c client.Client, obj, before client.Object) error {
	from, err := statusJSON(before)
	if err != nil {
		return err
	}
	to, err := statusJSON(obj)
	if err != nil {
		return err
	}
	if jsonpatch.Equal(from, to) {
		return nil
	}
	patch, err := jsonpatch.CreateMergePatch(from, to)
	if err != nil {
		return err
	}
	if patch, err = guardedBy(patch, obj.GetResourceVersion()); err != nil {
		return err
	}
	return IgnoreGone(c.Status().Patch(ctx, obj, client.RawPatch(types.MergePatchType, patch)))
}

// guardedBy adds the resourceVersion a merge patch must find on the server.
func guardedBy(patch []byte, resourceVersion string) ([]byte, error) {
	var fields map[string]any
	if err := json.Unmarshal(patch, &fields); err != nil {
		return nil, err
	}
	fields["metadata"] = map[string]any{"resourceVersion": resourceVersion}
	return json.Marshal(fields)
}

func statusJSON(obj runtime.Object) ([]byte, error) {
	u, err := runtime.DefaultUnstructuredConverter.ToUnstructured(obj)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{"status": u["status"]})
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

// IgnoreGone drops the not-found error of a write to an object whose last
// finalizer was just removed.
func IgnoreGone(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}

// Jittered spreads periodic passes by ±10% so that many objects created
// together do not all call AWS in the same second.
func Jittered(period time.Duration) time.Duration {
	if period <= 0 {
		return 0
	}
	return time.Duration(float64(period) * (0.9 + 0.2*rand.Float64()))
}
