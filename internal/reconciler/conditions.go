package reconciler

import (
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
)

// The three kstatus shapes a pass can leave behind. Abnormal-true conditions
// (Reconciling, Stalled) are removed rather than set to False, as kstatus
// recommends, so that `kubectl wait --for=condition=Ready` and kstatus agree.

func markReady(st *v1alpha1.ReconcileStatus, generation int64, message string) {
	SetCondition(&st.Conditions, generation, v1alpha1.ConditionReady, metav1.ConditionTrue, v1alpha1.ReasonSucceeded, message)
	meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionReconciling)
	meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionStalled)
}

func markReconciling(st *v1alpha1.ReconcileStatus, generation int64, reason, message string) {
	SetCondition(&st.Conditions, generation, v1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	SetCondition(&st.Conditions, generation, v1alpha1.ConditionReconciling, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionStalled)
}

func markStalled(st *v1alpha1.ReconcileStatus, generation int64, reason, message string) {
	SetCondition(&st.Conditions, generation, v1alpha1.ConditionReady, metav1.ConditionFalse, reason, message)
	SetCondition(&st.Conditions, generation, v1alpha1.ConditionStalled, metav1.ConditionTrue, reason, message)
	meta.RemoveStatusCondition(&st.Conditions, v1alpha1.ConditionReconciling)
}

// SetCondition sets one condition; LastTransitionTime moves only when its
// status flips.
func SetCondition(conditions *[]metav1.Condition, generation int64, conditionType string, status metav1.ConditionStatus, reason, message string) {
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
