package reconciler

import (
	"context"
	"errors"
	"testing"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/client/fake"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

func object() *v1alpha1.AWSProvider {
	return &v1alpha1.AWSProvider{ObjectMeta: metav1.ObjectMeta{Name: "p", Namespace: "ns", Generation: 3}}
}

func ready(*v1alpha1.AWSProvider) string { return "all good" }

// summarize sorts every outcome once into kstatus conditions and a result.
func TestSummarize(t *testing.T) {
	cause := errors.New("cause")
	tests := []struct {
		name       string
		err        error
		wantReady  bool
		wantReason string
		// conditions that must be True besides Ready's status
		wantTrue    []string
		wantGen     int64
		wantRequeue time.Duration
		terminal    bool
		returnsErr  bool
	}{
		{name: "success", wantReady: true, wantReason: v1alpha1.ReasonSucceeded, wantGen: 3},
		{name: "stalled", err: &outcome.Stalled{Reason: "Bad", Message: "fix it", Err: cause}, wantReason: "Bad",
			wantTrue: []string{v1alpha1.ConditionStalled}, wantGen: 3, terminal: true, returnsErr: true},
		{name: "stalled with retry", err: &outcome.Stalled{Reason: "Denied", Message: "IAM", RetryAfter: time.Minute}, wantReason: "Denied",
			wantTrue: []string{v1alpha1.ConditionStalled}, wantGen: 3, wantRequeue: time.Minute},
		{name: "waiting", err: outcome.Wait(5*time.Second, "Slot", "later"), wantReason: "Slot",
			wantTrue: []string{v1alpha1.ConditionReconciling}, wantRequeue: 5 * time.Second},
		{name: "waiting, still ready", err: &outcome.Waiting{Reason: "Dependents", Message: "m", After: time.Second, StillReady: true},
			wantReady: true, wantReason: v1alpha1.ReasonSucceeded, wantTrue: []string{v1alpha1.ConditionReconciling}, wantGen: 3, wantRequeue: time.Second},
		{name: "transient with its own words", err: &outcome.Transient{Reason: "Flaky", Message: "stable words", Err: cause}, wantReason: "Flaky",
			wantTrue: []string{v1alpha1.ConditionReconciling}, returnsErr: true},
		{name: "anything else", err: cause, wantReason: v1alpha1.ReasonAWSUnavailable, wantTrue: []string{v1alpha1.ConditionReconciling}, returnsErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj := object()
			result, err := summarize(obj, ctrl.Result{}, tt.err, ready)
			st := obj.Status.ReconcileStatus
			readyCondition := meta.FindStatusCondition(st.Conditions, v1alpha1.ConditionReady)
			if readyCondition == nil || readyCondition.Reason != tt.wantReason || (readyCondition.Status == metav1.ConditionTrue) != tt.wantReady {
				t.Fatalf("Ready = %+v, want ready %v reason %s", readyCondition, tt.wantReady, tt.wantReason)
			}
			if st.Ready != tt.wantReady || st.ObservedGeneration != tt.wantGen {
				t.Fatalf("status ready %v observedGeneration %d, want %v %d", st.Ready, st.ObservedGeneration, tt.wantReady, tt.wantGen)
			}
			for _, c := range []string{v1alpha1.ConditionStalled, v1alpha1.ConditionReconciling} {
				want := false
				for _, w := range tt.wantTrue {
					want = want || w == c
				}
				if meta.IsStatusConditionTrue(st.Conditions, c) != want {
					t.Errorf("%s true = %v, want %v", c, !want, want)
				}
			}
			if result.RequeueAfter != tt.wantRequeue {
				t.Errorf("RequeueAfter = %s, want %s", result.RequeueAfter, tt.wantRequeue)
			}
			if (err != nil) != tt.returnsErr || errors.Is(err, reconcile.TerminalError(nil)) != tt.terminal {
				t.Errorf("err = %v, want returned %v terminal %v", err, tt.returnsErr, tt.terminal)
			}
		})
	}
}

// A Ready condition that repeats, message and all, is no transition: no
// second event.
func TestReadyChangedOnlyOnTransitions(t *testing.T) {
	before, after := object(), object()
	_, _ = summarize(before, ctrl.Result{}, errors.New("dial tcp: refused"), ready)
	_, _ = summarize(after, ctrl.Result{}, errors.New("dial tcp: refused"), ready)
	if _, changed := readyChanged(before.Status.Conditions, after.Status.Conditions); changed {
		t.Fatal("the same failure twice counted as a transition")
	}
	_, _ = summarize(after, ctrl.Result{}, nil, ready)
	if _, changed := readyChanged(before.Status.Conditions, after.Status.Conditions); !changed {
		t.Fatal("failure → ready was not a transition")
	}
}

func TestStatusJSONHoldsTheStatusAlone(t *testing.T) {
	obj := object()
	obj.Finalizers = []string{"f"}
	obj.Status.AccountID = "123"
	raw, err := statusJSON(obj)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(raw); got != `{"status":{"accountID":"123","ready":false}}` {
		t.Fatalf("statusJSON = %s", got)
	}
}

// A status patch computed against a stale copy must not land: its merge
// patch would leave set a field the last pass set and this one cleared.
func TestPatchStatusRefusesAStaleBase(t *testing.T) {
	ctx := context.Background()
	scheme := runtime.NewScheme()
	if err := v1alpha1.AddToScheme(scheme); err != nil {
		t.Fatal(err)
	}
	stored := object()
	c := fake.NewClientBuilder().WithScheme(scheme).WithObjects(stored).WithStatusSubresource(stored).Build()
	stale := &v1alpha1.AWSProvider{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(stored), stale); err != nil {
		t.Fatal(err)
	}

	// The last pass wrote an account id; the cache still holds the copy
	// from before it.
	last := stale.DeepCopy()
	last.Status.AccountID = "123"
	if err := patchStatus(ctx, c, last, stale); err != nil {
		t.Fatal(err)
	}

	// This pass, run on the stale copy, clears it: the diff against the
	// stale copy holds nothing to clear, so only the guard stops it.
	pass := stale.DeepCopy()
	pass.Status.AccountID = ""
	pass.Status.Ready = true
	if err := patchStatus(ctx, c, pass, stale); !apierrors.IsConflict(err) {
		t.Fatalf("a patch from a stale copy answered %v, want a conflict", err)
	}

	// Run again on fresh data, the pass lands whole.
	fresh := &v1alpha1.AWSProvider{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(stored), fresh); err != nil {
		t.Fatal(err)
	}
	pass = fresh.DeepCopy()
	pass.Status.AccountID = ""
	pass.Status.Ready = true
	if err := patchStatus(ctx, c, pass, fresh); err != nil {
		t.Fatal(err)
	}
	got := &v1alpha1.AWSProvider{}
	if err := c.Get(ctx, client.ObjectKeyFromObject(stored), got); err != nil {
		t.Fatal(err)
	}
	if got.Status.AccountID != "" || !got.Status.Ready {
		t.Fatalf("status after the fresh pass = %+v", got.Status)
	}
}
