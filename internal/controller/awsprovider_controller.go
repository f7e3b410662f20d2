package controller

import (
	"context"
	"fmt"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/client-go/util/workqueue"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
)

const (
	// revalidatePeriod is how often credentials are checked again while they
	// work: keys get revoked and roles get changed outside Kubernetes.
	revalidatePeriod = 5 * time.Minute
	// invalidCredentialsRetry is how soon refused credentials are tried
	// again, in case the fix was made in AWS (a trust policy, a key
	// re-enabled); a Secret change is picked up at once by the watch.
	invalidCredentialsRetry = time.Minute
)

// AWSProviderReconciler authenticates providers with STS and keeps them while
// APIGateways use them.
type AWSProviderReconciler struct {
	client.Client
	AWS      AWSClients
	Recorder events.EventRecorder
}

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=awsproviders/finalizers,verbs=update
// +kubebuilder:rbac:groups="",resources=secrets,verbs=get;list;watch

// Reconcile authenticates the provider and tracks the APIGateways using it.
func (r *AWSProviderReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	provider := &v1alpha1.AWSProvider{}
	if err := r.Get(ctx, req.NamespacedName, provider); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}
	before := provider.Status.DeepCopy()
	defer func() {
		result, retErr = r.summarize(provider, result, retErr)
		reconcileTotal.WithLabelValues("AWSProvider", reconcileResult(result.RequeueAfter > 0, retErr)).Inc()
		recordReadyTransition(r.Recorder, provider, before.Conditions, provider.Status.Conditions)
		base := provider.DeepCopy()
		base.Status = *before
		if err := patchStatus(ctx, r.Client, provider, base); err != nil {
			retErr = kerrors.NewAggregate([]error{retErr, err})
		}
	}()

	dependents, err := gatewaysUsing(ctx, r.Client, client.ObjectKeyFromObject(provider))
	if err != nil {
		return ctrl.Result{}, err
	}
	r.markInUse(provider, dependents)
	if !provider.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, provider, dependents)
	}
	if err := addFinalizer(ctx, r.Client, provider, v1alpha1.AWSProviderFinalizer); err != nil {
		return ctrl.Result{}, err
	}
	return r.authenticate(ctx, provider)
}

// authenticate asks STS who the credentials are. Success is the only thing
// that makes a provider Ready.
func (r *AWSProviderReconciler) authenticate(ctx context.Context, provider *v1alpha1.AWSProvider) (ctrl.Result, error) {
	settings, err := providerSettings(ctx, r.Client, provider)
	if err != nil {
		return ctrl.Result{}, err
	}
	// The AWS layer remembers an identity per settings; dropping it when a
	// check is due makes the check reach STS, so revoked keys are noticed.
	fresh := authenticationDue(provider)
	if fresh {
		r.AWS.Forget(clientKey(provider))
	}
	identity, err := r.AWS.Identity(ctx, clientKey(provider), settings)
	if err != nil {
		if gateway.IsTerminal(err) {
			return ctrl.Result{}, stalled(v1alpha1.ReasonCredentialsInvalid, "STS refused the credentials: %s", gateway.Message(err))
		}
		return ctrl.Result{}, err
	}
	provider.Status.AccountID = identity.Account
	provider.Status.CallerIdentity = identity.ARN
	if fresh {
		now := metav1.Now()
		provider.Status.LastAuthenticationTime = &now
	}
	return ctrl.Result{RequeueAfter: jittered(revalidatePeriod)}, nil
}

// authenticationDue reports whether STS must be asked again rather than
// trusting the last answer: the provider is not ready, its spec changed, or
// the last check is older than the revalidation period.
func authenticationDue(provider *v1alpha1.AWSProvider) bool {
	last := provider.Status.LastAuthenticationTime
	return !provider.Status.Ready || last == nil ||
		provider.Status.ObservedGeneration != provider.Generation ||
		time.Since(last.Time) >= revalidatePeriod*9/10
}

// reconcileDelete keeps the provider while any APIGateway still needs it to
// reach AWS (their own deletion included), then lets it go.
func (r *AWSProviderReconciler) reconcileDelete(ctx context.Context, provider *v1alpha1.AWSProvider, dependents []v1alpha1.APIGateway) (ctrl.Result, error) {
	if len(dependents) > 0 {
		wasWaiting := isWaitingForDependents(provider)
		result, err := r.authenticate(ctx, provider)
		setCondition(&provider.Status.Conditions, provider.Generation, v1alpha1.ConditionReconciling, metav1.ConditionTrue,
			v1alpha1.ReasonWaitingForDependents, "Deletion waits for the APIGateways using this provider: "+gatewayNames(dependents))
		if !wasWaiting {
			r.Recorder.Eventf(provider, nil, corev1.EventTypeNormal, v1alpha1.ReasonWaitingForDependents, "Delete",
				"Deletion waits for %d APIGateway(s) using this provider: %s", len(dependents), gatewayNames(dependents))
		}
		return result, err
	}
	providerReady.DeleteLabelValues(clientKey(provider), provider.Spec.Region)
	r.AWS.Forget(clientKey(provider))
	log.FromContext(ctx).Info("Released provider: no APIGateway uses it")
	return ctrl.Result{}, removeFinalizer(ctx, r.Client, provider, v1alpha1.AWSProviderFinalizer)
}

func (r *AWSProviderReconciler) markInUse(provider *v1alpha1.AWSProvider, dependents []v1alpha1.APIGateway) {
	if len(dependents) == 0 {
		setCondition(&provider.Status.Conditions, provider.Generation, v1alpha1.ConditionInUse, metav1.ConditionFalse,
			v1alpha1.ReasonNotInUse, "No APIGateway uses this provider")
		return
	}
	setCondition(&provider.Status.Conditions, provider.Generation, v1alpha1.ConditionInUse, metav1.ConditionTrue,
		v1alpha1.ReasonInUse, fmt.Sprintf("Used by %d APIGateway(s): %s", len(dependents), gatewayNames(dependents)))
}

// summarize sorts the outcome once: refused or missing credentials → Stalled
// (retried after a while for refusals, since the fix may be made in AWS);
// anything else failing → the error, for the workqueue's backoff.
func (r *AWSProviderReconciler) summarize(provider *v1alpha1.AWSProvider, result ctrl.Result, err error) (ctrl.Result, error) {
	conditions, generation := &provider.Status.Conditions, provider.Generation
	waitingForDependents := isWaitingForDependents(provider)
	defer func() {
		ready := 0.0
		if provider.Status.Ready {
			ready = 1
		}
		if provider.DeletionTimestamp.IsZero() || waitingForDependents {
			providerReady.WithLabelValues(clientKey(provider), provider.Spec.Region).Set(ready)
		}
	}()
	if st, ok := asStalled(err); ok {
		markStalled(conditions, generation, st.reason, st.message)
		provider.Status.Ready = false
		provider.Status.ObservedGeneration = generation
		if st.reason == v1alpha1.ReasonCredentialsInvalid {
			return ctrl.Result{RequeueAfter: invalidCredentialsRetry}, nil
		}
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	if err != nil {
		markReconciling(conditions, generation, v1alpha1.ReasonAWSUnavailable, gateway.Message(err))
		provider.Status.Ready = false
		return ctrl.Result{}, err
	}
	if !provider.DeletionTimestamp.IsZero() && !waitingForDependents {
		return result, nil
	}
	reconciling := meta.FindStatusCondition(*conditions, v1alpha1.ConditionReconciling)
	markReady(conditions, generation, fmt.Sprintf("Authenticated as %s", provider.Status.CallerIdentity))
	if waitingForDependents && reconciling != nil {
		meta.SetStatusCondition(conditions, *reconciling) // deletion still in progress
	}
	provider.Status.Ready = true
	provider.Status.ObservedGeneration = generation
	return result, nil
}

func isWaitingForDependents(provider *v1alpha1.AWSProvider) bool {
	c := meta.FindStatusCondition(provider.Status.Conditions, v1alpha1.ConditionReconciling)
	return !provider.DeletionTimestamp.IsZero() && c != nil && c.Reason == v1alpha1.ReasonWaitingForDependents
}

func gatewayNames(gateways []v1alpha1.APIGateway) string {
	names := make([]string, len(gateways))
	for i := range gateways {
		names[i] = gateways[i].Namespace + "/" + gateways[i].Name
	}
	return strings.Join(names, ", ")
}

// SetupWithManager watches providers (spec changes only), the Secrets they
// read (credential rotation) and the APIGateways that use them (in-use
// tracking: a provider being deleted waits for the last one to go).
func (r *AWSProviderReconciler) SetupWithManager(mgr ctrl.Manager, options controller.Options) error {
	if options.RateLimiter == nil {
		// Transient STS failures back off, but never past the revalidation period.
		options.RateLimiter = workqueue.NewTypedItemExponentialFailureRateLimiter[reconcile.Request](time.Second, revalidatePeriod)
	}
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.AWSProvider{}, builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		Watches(&corev1.Secret{}, handler.EnqueueRequestsFromMapFunc(r.providersReadingSecret)).
		Watches(&v1alpha1.APIGateway{}, handler.EnqueueRequestsFromMapFunc(providerOfGateway),
			builder.WithPredicates(predicate.GenerationChangedPredicate{})).
		WithOptions(options).
		Named("awsprovider").
		Complete(r)
}

func (r *AWSProviderReconciler) providersReadingSecret(ctx context.Context, secret client.Object) []reconcile.Request {
	var providers v1alpha1.AWSProviderList
	if err := r.List(ctx, &providers, client.MatchingFields{credentialsSecretIndex: client.ObjectKeyFromObject(secret).String()}); err != nil {
		log.FromContext(ctx).Error(err, "Listing the providers of a Secret failed", "secret", client.ObjectKeyFromObject(secret))
		return nil
	}
	requests := make([]reconcile.Request, len(providers.Items))
	for i := range providers.Items {
		requests[i] = requestFor(client.ObjectKeyFromObject(&providers.Items[i]))
	}
	return requests
}

func providerOfGateway(_ context.Context, o client.Object) []reconcile.Request {
	return []reconcile.Request{requestFor(providerKey(o.(*v1alpha1.APIGateway)))}
}
