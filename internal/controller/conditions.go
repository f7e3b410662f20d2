package controller

import (
	"errors"
	"fmt"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// stalledError is a failure that only a change from the user can fix: an
// invalid spec, a missing or refused provider, credentials AWS rejects, a
// request AWS refuses. It ends the pass with Stalled=True and no retry; a spec
// change (or a watched object changing) starts the next pass.
type stalledError struct {
	reason  string
	message string
}

func (e *stalledError) Error() string { return e.message }

func stalled(reason, format string, args ...any) error {
	return &stalledError{reason: reason, message: fmt.Sprintf(format, args...)}
}

// waitError means the pass cannot finish yet for a reason outside the user's
// spec (a provider still authenticating, AWS still deleting): Reconciling=True
// and a new pass after the given delay.
type waitError struct {
	reason  string
	message string
	after   time.Duration
	// priority, when set, is the workqueue priority of the next pass.
	priority *int
}

func (e *waitError) Error() string { return e.message }

func waiting(after time.Duration, reason, format string, args ...any) error {
	return &waitError{reason: reason, message: fmt.Sprintf(format, args...), after: after}
}

func asStalled(err error) (*stalledError, bool) {
	var st *stalledError
	ok := errors.As(err, &st)
	return st, ok
}

func asWaiting(err error) (*waitError, bool) {
	var w *waitError
	ok := errors.As(err, &w)
	return w, ok
}

// The three kstatus shapes a pass can leave behind. Abnormal-true conditions
// (Reconciling, Stalled) are removed rather than set to False, as kstatus
// recommends, so that `kubectl wait --for=condition=Ready` and kstatus agree.

func markReady(conditions *[]metav1.Condition, generation int64, message string) {
	setCondition(conditions, generation, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, message)
	meta.RemoveStatusCondition(conditions, v1alpha1.ConditionReconciling)
	meta.RemoveStatusCondition(conditions, v1alpha1.ConditionStalled)
}

func markReconciling(conditions *[]metav1.Condition, generation int64, reason, message string) {
	setCondition(conditions, generation, v1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	setCondition(conditions, generation, v1alpha1.ConditionReconciling, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(conditions, v1alpha1.ConditionStalled)
}

func markStalled(conditions *[]metav1.Condition, generation int64, reason, message string) {
	setCondition(conditions, generation, v1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	setCondition(conditions, generation, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(conditions, v1alpha1.ConditionReconciling)
}

func setCondition(conditions *[]metav1.Condition, generation int64, conditionType string, status metav1.ConditionStatus, reason, message string) {
	meta.SetStatusCondition(conditions, metav1.Condition{
		Type:               conditionType,
		Status:             status,
		ObservedGeneration: generation,
		Reason:             reason,
		Message:            message,
	})
}

// readyChanged reports whether the Ready condition moved (status, reason or
// message) between two condition lists: events are recorded only then, so a
// failure that repeats every pass makes one event, not one per pass.
func readyChanged(before, after []metav1.Condition) (*metav1.Condition, bool) {
	now := meta.FindStatusCondition(after, v1alpha1.ConditionReady)
	if now == nil {
		return nil, false
	}
	was := meta.FindStatusCondition(before, v1alpha1.ConditionReady)
	if was != nil && was.Status == now.Status && was.Reason == now.Reason && was.Message == now.Message {
		return now, false
	}
	return now, true
}
