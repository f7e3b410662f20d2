package controller

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	kerrors "k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/client-go/tools/events"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/controller/controllerutil"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/session"
)

// deleteConfirmRetry is how soon a Delete is checked again while AWS still
// reports the API.
const deleteConfirmRetry = 5 * time.Second

// APIGatewayReconciler keeps an AWS API Gateway API as an APIGateway describes it.
type APIGatewayReconciler struct {
	client.Client
	AWS      AWSClients
	Recorder events.EventRecorder
	// ResyncPeriod is how often a Ready API is re-observed to heal drift.
	ResyncPeriod time.Duration
	// Inventory, when set, serves reads from one shared list walk per
	// account, region and family; nil reads each API on its own.
	Inventory *gateway.Inventory
}

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways/finalizers,verbs=update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// Reconcile brings the AWS API to the spec, or carries out the deletion policy.
func (r *APIGatewayReconciler) Reconcile(ctx context.Context, req ctrl.Request) (result ctrl.Result, retErr error) {
	obj := &v1alpha1.APIGateway{}
	if err := r.Get(ctx, req.NamespacedName, obj); err != nil {
		return ctrl.Result{}, client.IgnoreNotFound(err)
	}

	// Whatever happens below, the outcome is sorted once and the status
	// written once, by a patch of the status alone.
	before := obj.Status.DeepCopy()
	defer func() {
		result, retErr = r.summarize(obj, result, retErr)
		reconcileTotal.WithLabelValues("APIGateway", reconcileResult(result.RequeueAfter > 0, retErr)).Inc()
		recordReadyTransition(r.Recorder, obj, before.Conditions, obj.Status.Conditions)
		base := obj.DeepCopy()
		base.Status = *before
		if err := patchStatus(ctx, r.Client, obj, base); err != nil {
			retErr = kerrors.NewAggregate([]error{retErr, err})
		}
	}()

	if !obj.DeletionTimestamp.IsZero() {
		return r.reconcileDelete(ctx, obj)
	}
	// The finalizer is stored before anything exists in AWS, so that no API
	// can be created that a deletion would not see.
	if !controllerutil.ContainsFinalizer(obj, v1alpha1.APIGatewayFinalizer) {
		if err := addFinalizer(ctx, r.Client, obj, v1alpha1.APIGatewayFinalizer); err != nil {
			return ctrl.Result{}, err
		}
	}
	provider, gw, err := r.connect(ctx, obj)
	if err != nil {
		return ctrl.Result{}, err
	}
	return r.reconcileAPI(ctx, obj, gw, desiredAPI(obj, provider))
}

// reconcileAPI finds the API (tracked, adopted or tagged as ours), creates it
// when there is none and brings it to desired in place otherwise.
func (r *APIGatewayReconciler) reconcileAPI(ctx context.Context, obj *v1alpha1.APIGateway, gw gateway.Client, desired gateway.API) (ctrl.Result, error) {
	observed, err := findOwnedAPI(ctx, gw, obj, desired.Protocol)
	if err != nil {
		return ctrl.Result{}, err
	}
	deletedOutside := obj.Status.APIID != "" && (observed == nil || observed.ID != obj.Status.APIID)
	if deletedOutside {
		r.Recorder.Eventf(obj, nil, corev1.EventTypeWarning, v1alpha1.ReasonDriftDetected, "Reconcile",
			"API %s was deleted outside Kubernetes", obj.Status.APIID)
		// The status must not name an API that is gone. Forgetting it also
		// keeps a recreate that waits for a CreateRestApi slot from
		// reporting the deletion again on every pass.
		forgetObservedAPI(obj)
	}
	if observed == nil {
		if observed, err = r.adoptedAPI(ctx, gw, obj, desired.Protocol); err != nil {
			return ctrl.Result{}, err
		}
	}

	var current gateway.API
	if observed == nil {
		if current, err = r.createAPI(ctx, gw, obj, desired); err != nil {
			return ctrl.Result{}, err
		}
		if deletedOutside {
			r.Recorder.Eventf(obj, nil, corev1.EventTypeNormal, v1alpha1.ReasonDriftHealed, "Reconcile",
				"Recreated the API as %s", current.ID)
		}
	} else if current, err = r.updateAPIIfChanged(ctx, gw, obj, *observed, desired); err != nil {
		return ctrl.Result{}, err
	}
	recordObservedAPI(obj, current)
	return ctrl.Result{RequeueAfter: jittered(r.ResyncPeriod)}, nil
}

// createSlotLead is how far ahead of its reserved CreateRestApi slot a create
// may wait in a worker. A slot further away requeues the object instead, so
// that workers serve HTTP and WEBSOCKET APIs meanwhile; slots are reserved in
// order, so REST creates still leave back to back at AWS's pace.
const createSlotLead = time.Second

// slotPriority is the workqueue priority of a pass coming back for its
// reserved CreateRestApi slot, above every other pass (0 by default).
const slotPriority = 10

func (r *APIGatewayReconciler) createAPI(ctx context.Context, gw gateway.Client, obj *v1alpha1.APIGateway, desired gateway.API) (gateway.API, error) {
	key := providerKey(obj)
	holder := string(obj.UID)
	if wait := r.AWS.ReserveCreateSlot(key.Namespace+"/"+key.Name, desired.Protocol, desired.EndpointType, holder); wait > createSlotLead {
		// The pass comes back ahead of the queue's backlog: a slot nobody is
		// there to use is quota lost for good.
		return gateway.API{}, &waitError{
			reason:   v1alpha1.ReasonProgressing,
			message:  "Waiting for a CreateRestApi slot: AWS allows one every 3 seconds (30 for EDGE) per account and region",
			after:    wait - createSlotLead/2,
			priority: ptr.To(slotPriority),
		}
	}
	created, err := gw.Create(session.WithSlotHolder(ctx, holder), desired)
	if err != nil {
		return created, err
	}
	log.FromContext(ctx).Info("Created API", "apiId", created.ID, "protocol", created.Protocol)
	return created, nil
}

// updateAPIIfChanged makes no AWS write when observed already matches. A
// difference on a spec that was already fully applied is drift (someone
// changed the API outside Kubernetes): it is reverted, with events saying so.
func (r *APIGatewayReconciler) updateAPIIfChanged(ctx context.Context, gw gateway.Client, obj *v1alpha1.APIGateway, observed, desired gateway.API) (gateway.API, error) {
	changes := gateway.Diff(observed, desired)
	if len(changes) == 0 {
		return observed, nil
	}
	described := describeChanges(changes)
	drift := specApplied(obj)
	if drift {
		r.Recorder.Eventf(obj, nil, corev1.EventTypeWarning, v1alpha1.ReasonDriftDetected, "Reconcile",
			"API %s was changed outside Kubernetes: %s", observed.ID, described)
	}
	updated, err := gw.Update(ctx, observed, desired)
	if err != nil {
		return updated, err
	}
	log.FromContext(ctx).Info("Updated API", "apiId", observed.ID, "changes", described)
	if drift {
		r.Recorder.Eventf(obj, nil, corev1.EventTypeNormal, v1alpha1.ReasonDriftHealed, "Reconcile",
			"Reverted API %s to the spec: %s", observed.ID, described)
	}
	return updated, nil
}

// adoptedAPI returns the API the adopt annotation names, when nothing is
// tracked yet. An API owned by another object is refused: taking it would
// leave two objects fighting over one API.
func (r *APIGatewayReconciler) adoptedAPI(ctx context.Context, gw gateway.Client, obj *v1alpha1.APIGateway, protocol gateway.Protocol) (*gateway.API, error) {
	id := obj.Annotations[v1alpha1.AdoptAPIIDAnnotation]
	if id == "" {
		return nil, nil
	}
	api, err := gw.Get(ctx, protocol, id)
	if gateway.IsNotFound(err) {
		return nil, stalled(v1alpha1.ReasonAdoptionFailed, "API %s named by annotation %s was not found among the %s APIs of the provider's account and region", id, v1alpha1.AdoptAPIIDAnnotation, protocol)
	}
	if err != nil {
		return nil, err
	}
	if owner := gateway.OwnerUID(api); owner != "" && owner != string(obj.UID) {
		return nil, stalled(v1alpha1.ReasonAdoptionFailed, "API %s is owned by %s; orphan it there first", id, api.Tags[gateway.OwnerTagKey])
	}
	log.FromContext(ctx).Info("Adopting API", "apiId", id)
	return &api, nil
}

// findOwnedAPI returns the API this object owns, or nil when AWS has none:
// first the one recorded in status, then one carrying the object's UID tag.
// The tag search is what makes a crash between create and status write
// harmless: the next pass finds the API instead of creating a second one.
func findOwnedAPI(ctx context.Context, gw gateway.Client, obj *v1alpha1.APIGateway, protocol gateway.Protocol) (*gateway.API, error) {
	if id := obj.Status.APIID; id != "" {
		api, err := gw.Get(ctx, protocol, id)
		if err == nil {
			return &api, nil
		}
		if !gateway.IsNotFound(err) {
			return nil, err
		}
	}
	apis, err := gw.List(ctx, protocol)
	if err != nil {
		return nil, err
	}
	if api, ok := gateway.FindOwned(apis, string(obj.UID)); ok {
		return &api, nil
	}
	return nil, nil
}

// connect resolves the provider and returns a client for its account and region.
func (r *APIGatewayReconciler) connect(ctx context.Context, obj *v1alpha1.APIGateway) (*v1alpha1.AWSProvider, gateway.Client, error) {
	provider, err := usableProvider(ctx, r.Client, obj)
	if err != nil {
		return nil, nil, err
	}
	settings, err := providerSettings(ctx, r.Client, provider)
	if err != nil {
		return nil, nil, err
	}
	gw, err := r.AWS.Gateway(ctx, clientKey(provider), settings)
	if err != nil || r.Inventory == nil {
		return provider, gw, err
	}
	return provider, r.Inventory.Client(gw, inventoryScope(provider)), nil
}

// inventoryScope names what one list walk sees: the provider's account and
// region at its endpoint. Providers reaching the same account share it.
func inventoryScope(provider *v1alpha1.AWSProvider) string {
	account := provider.Status.AccountID
	if account == "" {
		account = "provider:" + clientKey(provider)
	}
	return account + "|" + provider.Spec.Region + "|" + provider.Spec.Endpoint
}

// summarize sorts the pass's outcome, once, into conditions and a result:
// stalled → no retry until something changes; waiting → RequeueAfter;
// refused by AWS (4xx) → stalled with AWS's message; anything else
// (throttling, 5xx, network) → the error, for the workqueue's backoff.
func (r *APIGatewayReconciler) summarize(obj *v1alpha1.APIGateway, result ctrl.Result, err error) (ctrl.Result, error) {
	conditions, generation := &obj.Status.Conditions, obj.Generation
	if err != nil && gateway.IsTerminal(err) {
		err = &stalledError{reason: v1alpha1.ReasonAWSRequestRefused, message: "AWS refused the request: " + gateway.Message(err)}
	}
	if st, ok := asStalled(err); ok {
		markStalled(conditions, generation, st.reason, st.message)
		obj.Status.Ready = false
		obj.Status.ObservedGeneration = generation
		return ctrl.Result{}, reconcile.TerminalError(err)
	}
	if w, ok := asWaiting(err); ok {
		markReconciling(conditions, generation, w.reason, w.message)
		obj.Status.Ready = false
		return ctrl.Result{RequeueAfter: w.after, Priority: w.priority}, nil
	}
	if err != nil {
		markReconciling(conditions, generation, v1alpha1.ReasonAWSUnavailable, gateway.Message(err))
		return ctrl.Result{}, err
	}
	if !obj.DeletionTimestamp.IsZero() {
		return result, nil
	}
	markReady(conditions, generation, fmt.Sprintf("API %s matches the spec", obj.Status.APIID))
	obj.Status.Ready = true
	obj.Status.ObservedGeneration = generation
	return result, nil
}

// forgetObservedAPI clears what status says of an API that no longer exists.
func forgetObservedAPI(obj *v1alpha1.APIGateway) {
	obj.Status.APIID, obj.Status.APIEndpoint, obj.Status.ARN = "", "", ""
}

func recordObservedAPI(obj *v1alpha1.APIGateway, api gateway.API) {
	obj.Status.APIID = api.ID
	obj.Status.APIEndpoint = api.Endpoint
	obj.Status.ProtocolType = v1alpha1.ProtocolType(api.Protocol)
	obj.Status.ARN = api.ARN
	obj.Status.EndpointType = v1alpha1.EndpointType(api.EndpointType)
	if obj.Status.EndpointType == "" {
		obj.Status.EndpointType = v1alpha1.EndpointRegional
	}
}

// specApplied reports whether the current generation was already brought to
// Ready: any difference found now was made outside Kubernetes.
func specApplied(obj *v1alpha1.APIGateway) bool {
	return obj.Status.Ready && obj.Status.ObservedGeneration == obj.Generation
}

func describeChanges(changes []gateway.Change) string {
	parts := make([]string, len(changes))
	for i, c := range changes {
		parts[i] = c.String()
	}
	return strings.Join(parts, "; ")
}

// jittered spreads resyncs by ±10% so that many objects created together do
// not all call AWS in the same second.
func jittered(period time.Duration) time.Duration {
	if period <= 0 {
		return 0
	}
	return time.Duration(float64(period) * (0.9 + 0.2*rand.Float64()))
}

// SetupWithManager watches APIGateways (spec and annotation changes only:
// status writes must not start passes) and the AWSProviders they use.
func (r *APIGatewayReconciler) SetupWithManager(mgr ctrl.Manager, options controller.Options) error {
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.APIGateway{}, builder.WithPredicates(predicate.Or(
			predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.AWSProvider{},
			handler.EnqueueRequestsFromMapFunc(r.gatewaysOfProvider),
			builder.WithPredicates(providerReadinessChanged())).
		WithOptions(options).
		Named("apigateway").
		Complete(r)
}

func (r *APIGatewayReconciler) gatewaysOfProvider(ctx context.Context, o client.Object) []reconcile.Request {
	gateways, err := gatewaysUsing(ctx, r.Client, client.ObjectKeyFromObject(o))
	if err != nil {
		log.FromContext(ctx).Error(err, "Listing the APIGateways of a provider failed", "provider", client.ObjectKeyFromObject(o))
		return nil
	}
	requests := make([]reconcile.Request, len(gateways))
	for i := range gateways {
		requests[i] = requestFor(client.ObjectKeyFromObject(&gateways[i]))
	}
	return requests
}

// providerReadinessChanged passes provider events that can change what an
// APIGateway sees: creation, deletion, readiness flips and spec changes, but
// not the periodic re-authentication that only moves a timestamp.
func providerReadinessChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			before, okBefore := e.ObjectOld.(*v1alpha1.AWSProvider)
			after, okAfter := e.ObjectNew.(*v1alpha1.AWSProvider)
			if !okBefore || !okAfter {
				return false
			}
			return before.Status.Ready != after.Status.Ready ||
				before.Status.ObservedGeneration != after.Status.ObservedGeneration ||
				!equality.Semantic.DeepEqual(before.Spec, after.Spec)
		},
	}
}

// ignoreGone drops the not-found error of a status write on an object whose
// last finalizer was just removed.
func ignoreGone(err error) error {
	if apierrors.IsNotFound(err) {
		return nil
	}
	return err
}
