package controller

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

const (
	// revalidatePeriod is how often credentials are checked again while they
	// work: keys get revoked and roles get changed outside Kubernetes.
	revalidatePeriod = 5 * time.Minute
	// invalidCredentialsRetry is how soon refused credentials are tried
	// again, in case the fix was made in AWS (a key re-enabled); a Secret
	// change is picked up at once by the watch.
	invalidCredentialsRetry = time.Minute
	// dependentsRetry is how soon a provider being deleted looks at its
	// dependents again; their changes usually trigger it sooner.
	dependentsRetry = 30 * time.Second
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders;clusterawsproviders,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders/status;clusterawsproviders/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders/finalizers;clusterawsproviders/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=namespaces,verbs=get;list;watch

// ProviderReconciler authenticates providers of one kind with STS, keeps
// them (and the Secret they read) while objects use them, and says which.
type ProviderReconciler[T providers.Provider] struct {
	Client   client.Client
	Secrets  *SecretProtection
	AWS      *session.Factory
	Recorder events.EventRecorder
	Kind     v1alpha1.ProviderKind
	New      func() T
}

func (r *ProviderReconciler[T]) loop() *reconciler.Loop[T] {
	return &reconciler.Loop[T]{
		Client: r.Client, Recorder: r.Recorder, Kind: string(r.Kind), New: r.New, Steps: r.steps,
		ReadyMessage: func(p T) string { return "Authenticated as " + p.GetProviderStatus().CallerIdentity },
		Summarized:   r.recordReadiness,
	}
}

// Reconcile runs one pass.
func (r *ProviderReconciler[T]) Reconcile(ctx context.Context, req ctrl.Request) (ctrl.Result, error) {
	return r.loop().Reconcile(ctx, req)
}

func (r *ProviderReconciler[T]) steps(ctx context.Context, p T) (ctrl.Result, error) {
	dependents, err := r.dependents(ctx, p)
	if err != nil {
		return ctrl.Result{}, err
	}
	markInUse(p, dependents)
	if !p.GetDeletionTimestamp().IsZero() {
		return r.reconcileDelete(ctx, p, dependents)
	}
	if err := reconciler.AddFinalizer(ctx, r.Client, p, v1alpha1.AWSProviderFinalizer); err != nil {
		return ctrl.Result{}, err
	}
	if err := r.Secrets.Reconcile(ctx, p, len(dependents) > 0); err != nil {
		return ctrl.Result{}, err
	}
	return r.authenticate(ctx, p)
}

// dependents are the objects that may hold AWS resources through the
// provider: those it allows that hold their finalizer. A refused reference
// is no dependent: it neither keeps the provider nor is named to the
// provider's owner.
func (r *ProviderReconciler[T]) dependents(ctx context.Context, p T) ([]managed.Resource, error) {
	candidates, err := referrers(ctx, r.Client, providers.KeyOf(p))
	if err != nil {
		return nil, err
	}
	var dependents []managed.Resource
	for _, obj := range candidates {
		if len(obj.GetFinalizers()) == 0 {
			continue
		}
		allowed, err := providers.Allows(ctx, r.Client, p, obj.GetNamespace())
		if err != nil {
			return nil, err
		}
		if allowed {
			dependents = append(dependents, obj)
		}
	}
	return dependents, nil
}

// authenticate asks STS who the credentials are. Success is the only thing
// that makes a provider Ready.
func (r *ProviderReconciler[T]) authenticate(ctx context.Context, p T) (ctrl.Result, error) {
	settings, err := providers.Settings(ctx, r.Secrets.Reader, p)
	if err != nil {
		return ctrl.Result{}, err
	}
	key := providers.KeyOf(p) + "|" + settings.Region
	// The AWS layer remembers an identity per settings; dropping it when a
	// check is due makes the check reach STS, so revoked keys are noticed.
	fresh := authenticationDue(p)
	if fresh {
		r.AWS.Forget(key)
	}
	identity, err := r.AWS.Identity(ctx, key, settings)
	if err != nil {
		return ctrl.Result{}, stsOutcome(err)
	}
	status := p.GetProviderStatus()
	status.AccountID = identity.Account
	status.CallerIdentity = identity.ARN
	if fresh {
		now := metav1.Now()
		status.LastAuthenticationTime = &now
	}
	return ctrl.Result{RequeueAfter: reconciler.Jittered(revalidatePeriod)}, nil
}

// stsOutcome sorts STS's refusals: a malformed request (ValidationError: the
// role ARN, the external ID) only a spec change fixes; IAM's AccessDenied
// (a trust policy) and refused keys may be fixed in AWS, so they are tried
// again now and then, saying so.
func stsOutcome(err error) error {
	message := awserrors.Message(err)
	switch {
	case awserrors.IsAccessDenied(err):
		return &outcome.Stalled{Reason: v1alpha1.ReasonAccessDenied, RetryAfter: managed.AccessDeniedRetry, Err: err,
			Message: fmt.Sprintf("STS denied the credentials: %s; retried every %s, since the IAM policy may be fixed in AWS", message, managed.AccessDeniedRetry)}
	case awserrors.IsValidation(err):
		return outcome.StallCause(err, v1alpha1.ReasonCredentialsInvalid, "STS refused the request: %s; fix the provider's spec", message)
	case awserrors.IsTerminal(err):
		return &outcome.Stalled{Reason: v1alpha1.ReasonCredentialsInvalid, RetryAfter: invalidCredentialsRetry, Err: err,
			Message: "STS refused the credentials: " + message}
	}
	return err
}

// authenticationDue reports whether STS must be asked again rather than
// trusting the last answer: the provider is not ready, its spec changed, or
// the last check is older than the revalidation period.
func authenticationDue(p providers.Provider) bool {
	status := p.GetProviderStatus()
	last := status.LastAuthenticationTime
	return !status.Ready || last == nil ||
		status.ObservedGeneration != p.GetGeneration() ||
		time.Since(last.Time) >= revalidatePeriod*9/10
}

// reconcileDelete keeps the provider, still serving, while any object
// needs it to reach AWS (their own deletion included), then lets it and its
// Secret go.
func (r *ProviderReconciler[T]) reconcileDelete(ctx context.Context, p T, dependents []managed.Resource) (ctrl.Result, error) {
	if !controllerutil.ContainsFinalizer(p, v1alpha1.AWSProviderFinalizer) {
		return ctrl.Result{}, nil
	}
	if len(dependents) > 0 {
		if !waitingForDependents(p) {
			r.Recorder.Eventf(p, nil, corev1.EventTypeNormal, v1alpha1.ReasonWaitingForDependents, "Delete",
				"Deletion waits for %d object(s) using this provider: %s", len(dependents), names(dependents))
		}
		if _, err := r.authenticate(ctx, p); err != nil {
			return ctrl.Result{}, err
		}
		return ctrl.Result{}, &outcome.Waiting{Reason: v1alpha1.ReasonWaitingForDependents, After: dependentsRetry, StillReady: true,
			Message: fmt.Sprintf("Deletion waits for the %d object(s) using this provider: %s", len(dependents), names(dependents))}
	}
	if err := r.Secrets.Reconcile(ctx, p, false); err != nil {
		return ctrl.Result{}, err
	}
	providerReady.DeleteLabelValues(providers.KeyOf(p), p.GetConnection().Region)
	r.AWS.Forget(providers.KeyOf(p) + "|" + p.GetConnection().Region)
	log.FromContext(ctx).Info("Released provider: no object uses it")
	return ctrl.Result{}, reconciler.RemoveFinalizer(ctx, r.Client, p, v1alpha1.AWSProviderFinalizer)
}

// recordReadiness sets infra_operator_provider_ready from the pass's
// outcome; a provider that is gone drops its series.
func (r *ProviderReconciler[T]) recordReadiness(p T) {
	if !p.GetDeletionTimestamp().IsZero() && !controllerutil.ContainsFinalizer(p, v1alpha1.AWSProviderFinalizer) {
		return
	}
	ready := 0.0
	if p.GetProviderStatus().Ready {
		ready = 1
	}
	providerReady.WithLabelValues(providers.KeyOf(p), p.GetConnection().Region).Set(ready)
}

func markInUse(p providers.Provider, dependents []managed.Resource) {
	status := p.GetProviderStatus()
	if len(dependents) == 0 {
		reconciler.SetCondition(&status.Conditions, p.GetGeneration(), v1alpha1.ConditionInUse, metav1.ConditionFalse,
			v1alpha1.ReasonNotInUse, "No object uses this provider")
		return
	}
	reconciler.SetCondition(&status.Conditions, p.GetGeneration(), v1alpha1.ConditionInUse, metav1.ConditionTrue,
		v1alpha1.ReasonInUse, fmt.Sprintf("Used by %d object(s): %s", len(dependents), names(dependents)))
}

// waitingForDependents reports whether the last pass already said the
// deletion waits: the event is recorded once, on the transition.
func waitingForDependents(p providers.Provider) bool {
	c := meta.FindStatusCondition(p.GetProviderStatus().Conditions, v1alpha1.ConditionReconciling)
	return c != nil && c.Reason == v1alpha1.ReasonWaitingForDependents
}

// inUse reports whether a provider's last pass found dependents.
func inUse(p providers.Provider) bool {
	return meta.IsStatusConditionTrue(p.GetProviderStatus().Conditions, v1alpha1.ConditionInUse)
}

func names(objects []managed.Resource) string {
	out := make([]string, len(objects))
	for i, o := range objects {
		out[i] = o.GetNamespace() + "/" + o.GetName()
	}
	return strings.Join(out, ", ")
}

// SetupWithManager watches the providers of the kind (spec changes only),
// the Secrets they read (credential rotation) and the objects that use them
// (in-use tracking: a provider being deleted waits for the last one).
func (r *ProviderReconciler[T]) SetupWithManager(mgr ctrl.Manager, options controller.Options) error {
	if options.RateLimiter == nil {
		// Transient STS failures back off, but never past the revalidation period.
		options.RateLimiter = workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](time.Second, revalidatePeriod)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(r.New(), builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.providersReadingSecret)).
		Watches(&v1alpha1.APIGateway{}, handler.EnqueueRequestsFromMapFunc(r.providersOf)).
		WithOptions(options).
		Named(strings.ToLower(string(r.Kind))).
		Complete(r)
}

func (r *ProviderReconciler[T]) providersReadingSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	list, err := providersReading(ctx, r.Client, r.Kind, client.ObjectKeyFromObject(secret).String())
	if err != nil {
		log.FromContext(ctx).Error(err, "Listing the providers of a Secret failed", "secret", client.ObjectKeyFromObject(secret))
		return nil
	}
	return requestsFor(list)
}

// providersOf maps an object to passes of the providers of this kind it
// needs (by spec or recorded scope).
func (r *ProviderReconciler[T]) providersOf(_ context.Context, o client.Object) []reconcile.Request {
	var requests []reconcile.Request
	for _, key := range providerKeysOf(o.(managed.Resource)) {
		kind, namespace, name := splitProviderKey(key)
		if kind == r.Kind {
			requests = append(requests, reconcile.Request{NamespacedName: client.ObjectKey{Namespace: namespace, Name: name}})
		}
	}
	return requests
}

// splitProviderKey undoes providers.Key.
func splitProviderKey(key string) (v1alpha1.ProviderKind, string, string) {
	parts := strings.Split(key, "/")
	if len(parts) == 2 {
		return v1alpha1.ProviderKind(parts[0]), "", parts[1]
	}
	return v1alpha1.ProviderKind(parts[0]), parts[1], parts[2]
}
