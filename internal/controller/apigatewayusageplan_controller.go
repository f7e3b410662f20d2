package controller

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/log"
	"sigs.k8s.io/controller-runtime/pkg/predicate"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/aws/usageplans"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayusageplans,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayusageplans/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigatewayusageplans/finalizers,verbs=update

// apiStageRefIndex finds the usage plans whose apiStages name an
// APIGateway, by "namespace/name".
const apiStageRefIndex = ".spec.apiStages.apiRef"

// usageWaitRetry is how soon a plan or key waiting for another object
// looks again; the watches usually bring it back sooner.
const usageWaitRetry = 30 * time.Second

// APIGatewayUsagePlans is the APIGatewayUsagePlan kind: how the shared
// managed reconciler reaches an object's usage plan in AWS.
type APIGatewayUsagePlans struct {
	AWS    *session.Factory
	Reader client.Reader
}

// Kind describes the kind to the managed reconciler.
func (k *APIGatewayUsagePlans) Kind() managed.Kind[*v1alpha1.APIGatewayUsagePlan] {
	return managed.Kind[*v1alpha1.APIGatewayUsagePlan]{
		Name:            "APIGatewayUsagePlan",
		Resource:        "usage plan",
		Finalizer:       v1alpha1.APIGatewayUsagePlanFinalizer,
		AdoptAnnotation: v1alpha1.AdoptUsagePlanIDAnnotation,
		New:             func() *v1alpha1.APIGatewayUsagePlan { return &v1alpha1.APIGatewayUsagePlan{} },
		Connect:         k.connect,
		RecordedID:      func(obj *v1alpha1.APIGatewayUsagePlan) string { return obj.Status.UsagePlanID },
		Forget: func(obj *v1alpha1.APIGatewayUsagePlan) {
			obj.Status.UsagePlanID, obj.Status.APIStages, obj.Status.KeyCount = "", nil, 0
		},
		ReadyMessage: func(obj *v1alpha1.APIGatewayUsagePlan) string {
			return fmt.Sprintf("Usage plan %s matches the spec (%d API stages, %d keys)", obj.Status.UsagePlanID, len(obj.Status.APIStages), obj.Status.KeyCount)
		},
	}
}

func (k *APIGatewayUsagePlans) connect(ctx context.Context, obj *v1alpha1.APIGatewayUsagePlan, p *providers.Resolved) (managed.External, error) {
	if err := refuseTags("usage plan", obj.Spec.Tags, p); err != nil {
		return nil, err
	}
	plans, err := usageplans.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	desired := usageplans.Plan{
		Name: obj.Namespace + "/" + obj.Name, Description: obj.Spec.Description,
		Tags: ownership.Merge(p.DefaultTags, obj.Spec.Tags, ownership.Tags(obj.Namespace, obj.Name, string(obj.UID))),
	}
	if t := obj.Spec.Throttle; t != nil {
		desired.Throttle = &usageplans.Throttle{RateLimit: float64(t.RateLimit), BurstLimit: t.BurstLimit}
	}
	if q := obj.Spec.Quota; q != nil {
		desired.Quota = &usageplans.Quota{Limit: q.Limit, Offset: q.Offset, Period: string(q.Period)}
	}
	// A plan being deleted needs no stage resolved: its stages are
	// removed whatever they are.
	if obj.GetDeletionTimestamp().IsZero() {
		apis, err := gateway.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
		if err != nil {
			return nil, err
		}
		resolver := &apiStageResolver{reader: k.Reader, apis: apis, plan: obj, scope: p.Scope}
		if desired.Stages, err = resolver.resolve(ctx); err != nil {
			return nil, err
		}
	}
	return &planExternal{obj: obj, plans: plans, slots: k.AWS, clientKey: p.ClientKey, desired: desired}, nil
}

// apiStageResolver turns a plan's apiStages into AWS API ids, proving each
// API is its APIGateway's.
type apiStageResolver struct {
	reader client.Reader
	apis   gateway.Client
	plan   *v1alpha1.APIGatewayUsagePlan
	scope  v1alpha1.ResourceScope
}

// resolve checks each apiStage: its APIGateway, of the plan's namespace
// (APIGateway has no consent field, so a plan covers only its own
// namespace's APIs), must be REST, in the plan's account and region, Ready,
// declare the stage, and its API must carry the APIGateway's owner-uid tag
// in AWS (status.apiId is a cache anyone with status rights can write).
func (r *apiStageResolver) resolve(ctx context.Context) ([]usageplans.Stage, error) {
	var stages []usageplans.Stage
	for i, ref := range r.plan.Spec.APIStages {
		where := fmt.Sprintf("apiStages[%d] (APIGateway %s, stage %s)", i, ref.APIRef.Name, ref.Stage)
		gw := &v1alpha1.APIGateway{}
		if err := r.reader.Get(ctx, types.NamespacedName{Namespace: r.plan.Namespace, Name: ref.APIRef.Name}, gw); err != nil {
			if apierrors.IsNotFound(err) {
				return nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonAPIStageNotReady, "%s: APIGateway %s/%s not found", where, r.plan.Namespace, ref.APIRef.Name)
			}
			return nil, err
		}
		if gw.Spec.ProtocolType != v1alpha1.ProtocolREST {
			return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
				"%s names a %s API: AWS has usage plans for REST APIs only; name a REST APIGateway (protocolType: REST) or remove the entry", where, gw.Spec.ProtocolType)
		}
		if !slices.ContainsFunc(gw.Spec.Stages, func(s v1alpha1.Stage) bool { return s.Name == ref.Stage }) {
			return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec, "%s: the APIGateway declares no stage %q in spec.stages; name one of its stages", where, ref.Stage)
		}
		if scope := gw.Status.Scope; scope != nil && !scope.SameAWS(r.scope) {
			return nil, outcome.Stall(v1alpha1.ReasonInvalidSpec,
				"%s: the API lives in %s, but this plan lives in %s: a usage plan covers the APIs of its own account and region; use a provider of the API's account and region",
				where, describeAWS(*scope), describeAWS(r.scope))
		}
		if !gw.Status.Ready || gw.Status.APIID == "" {
			return nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonAPIStageNotReady, "%s waits for the APIGateway to be Ready", where)
		}
		api, err := r.apis.Get(ctx, gateway.ProtocolREST, gw.Status.APIID)
		if awserrors.IsNotFound(err) {
			return nil, outcome.Wait(usageWaitRetry, v1alpha1.ReasonAPIStageNotReady, "%s: REST API %s is not in this plan's account and region (yet)", where, gw.Status.APIID)
		}
		if err != nil {
			return nil, err
		}
		if !ownership.OwnedBy(api.Tags, string(gw.UID)) {
			return nil, outcome.Stall(v1alpha1.ReasonNotOwned,
				"%s: the APIGateway's status names REST API %s, which %s: it is not added to the plan", where, api.ID, ownerWords(api.Tags))
		}
		stage := usageplans.Stage{APIID: api.ID, Stage: ref.Stage}
		for key, t := range ref.Throttle {
			if stage.Throttle == nil {
				stage.Throttle = map[string]usageplans.Throttle{}
			}
			stage.Throttle[usageplans.MethodKey(key)] = usageplans.Throttle{RateLimit: float64(t.RateLimit), BurstLimit: t.BurstLimit}
		}
		stages = append(stages, stage)
	}
	return stages, nil
}

// planExternal is one object's usage plan in one account and region.
type planExternal struct {
	obj       *v1alpha1.APIGatewayUsagePlan
	plans     *usageplans.Client
	slots     *session.Factory
	clientKey string
	desired   usageplans.Plan
	current   usageplans.Plan
}

func (e *planExternal) uid() string { return string(e.obj.UID) }

// Observe reads the plan status names, kept only when it carries this
// object's mark; otherwise it looks for the plan carrying the mark (names
// are not unique in AWS), which a crash between create and status write
// leaves.
func (e *planExternal) Observe(ctx context.Context) (managed.Observation, error) {
	var observed managed.Observation
	if id := e.obj.Status.UsagePlanID; id != "" {
		plan, err := e.plans.Plan(ctx, id)
		switch {
		case err == nil && plan.OwnedBy(e.uid()):
			return e.found(plan), nil
		case err == nil:
			observed.Foreign = &managed.Foreign{ID: id, Owner: plan.Tags[ownership.OwnerTagKey]}
		case !awserrors.IsNotFound(err):
			return observed, err
		}
	}
	all, err := e.plans.Plans(ctx)
	if err != nil {
		return observed, err
	}
	for _, plan := range all {
		if plan.OwnedBy(e.uid()) {
			found := e.found(plan)
			found.Foreign = observed.Foreign
			return found, nil
		}
	}
	return observed, nil
}

func (e *planExternal) found(plan usageplans.Plan) managed.Observation {
	e.current = plan
	e.obj.Status.UsagePlanID = plan.ID
	return managed.Observation{Exists: true, ID: plan.ID, Changes: usageplans.ComparePlans(plan, e.desired).Changes}
}

func (e *planExternal) Create(ctx context.Context) (managed.Observation, error) {
	created, err := e.plans.CreatePlan(ctx, e.desired)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(created), nil
}

// Update sends every change in one UpdateUsagePlan call. AWS allows one
// every 20 seconds per account: the pass waits for its slot in the queue,
// not in a worker.
func (e *planExternal) Update(ctx context.Context) (managed.Observation, error) {
	delta := usageplans.ComparePlans(e.current, e.desired)
	if len(delta.Operations) > 0 {
		if err := waitForSlot(e.slots, e.clientKey, usageplans.UpdatePlanBucket, e.uid(), "UpdateUsagePlan every 20 seconds"); err != nil {
			return managed.Observation{}, err
		}
	}
	if err := e.plans.UpdatePlan(session.WithSlotHolder(ctx, e.uid()), e.current.ID, delta); err != nil {
		return managed.Observation{}, err
	}
	updated, err := e.plans.Plan(ctx, e.current.ID)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(updated), nil
}

// Delete detaches the plan's keys, removes its stages and deletes it.
func (e *planExternal) Delete(ctx context.Context) (bool, error) {
	if err := e.plans.DeletePlan(ctx, e.current); err != nil {
		return false, err
	}
	_, err := e.plans.Plan(ctx, e.current.ID)
	if awserrors.IsNotFound(err) {
		return true, nil
	}
	return false, err
}

func (e *planExternal) Release(ctx context.Context) error {
	return e.plans.Untag(ctx, e.plans.PlanARN(e.current.ID), ownership.Keys)
}

// Claim takes over a plan no one owns.
func (e *planExternal) Claim(ctx context.Context, id string) (managed.Observation, error) {
	plan, err := claimByMark(ctx, e.obj, "Usage plan", v1alpha1.AdoptUsagePlanIDAnnotation, id,
		func(ctx context.Context) (usageplans.Plan, map[string]string, error) {
			plan, err := e.plans.Plan(ctx, id)
			return plan, plan.Tags, err
		},
		func(ctx context.Context, mark map[string]string) error {
			return e.plans.Tag(ctx, e.plans.PlanARN(id), mark)
		})
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(plan), nil
}

// claimByMark takes over the resource id names for obj when no one owns
// it: the owner mark is written, then read back before any other write, so
// that of two objects claiming it at once only the one whose mark stayed
// goes on.
func claimByMark[R any](ctx context.Context, obj client.Object, resource, annotation, id string,
	read func(context.Context) (R, map[string]string, error), mark func(context.Context, map[string]string) error) (R, error) {
	var none R
	_, tags, err := read(ctx)
	if awserrors.IsNotFound(err) {
		return none, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"%s %s named by annotation %s was not found in the provider's account and region", resource, id, annotation)
	}
	if err != nil {
		return none, err
	}
	uid := string(obj.GetUID())
	if owner := ownership.OwnerUID(tags); owner != "" && owner != uid {
		return none, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"%s %s is owned by %s; orphan it there first (deletionPolicy: Orphan, then delete that object)", resource, id, tags[ownership.OwnerTagKey])
	}
	if err := mark(ctx, ownership.Tags(obj.GetNamespace(), obj.GetName(), uid)); err != nil {
		return none, err
	}
	confirmed, tags, err := read(ctx)
	if err != nil {
		return none, err
	}
	if !ownership.OwnedBy(tags, uid) {
		return none, outcome.Stall(v1alpha1.ReasonAdoptionFailed, "%s %s was adopted by %s at the same time; it is theirs now", resource, id, tags[ownership.OwnerTagKey])
	}
	return confirmed, nil
}

// ReconcileSubresources records what the plan covers in AWS and how many
// keys it has (the keys attach themselves).
func (e *planExternal) ReconcileSubresources(ctx context.Context) ([]managed.Event, error) {
	keys, err := e.plans.PlanKeys(ctx, e.current.ID)
	if err != nil {
		return nil, err
	}
	st := &e.obj.Status
	st.KeyCount = int32(len(keys))
	st.APIStages = nil
	for i, s := range e.desired.Stages {
		st.APIStages = append(st.APIStages, v1alpha1.UsagePlanStageStatus{APIRef: e.obj.Spec.APIStages[i].APIRef.Name, APIID: s.APIID, Stage: s.Stage})
	}
	return nil, nil
}

// indexUsagePlansAndKeys adds the indexes of the usage plan and API key
// kinds: the APIGateways a plan names, the plans and the value Secret a key
// names.
func indexUsagePlansAndKeys(ctx context.Context, indexer client.FieldIndexer) error {
	if err := indexAPIStageRefs(ctx, indexer); err != nil {
		return err
	}
	if err := indexValueSecrets(ctx, indexer); err != nil {
		return err
	}
	return indexUsagePlanRefs(ctx, indexer)
}

func indexAPIStageRefs(ctx context.Context, indexer client.FieldIndexer) error {
	return indexer.IndexField(ctx, &v1alpha1.APIGatewayUsagePlan{}, apiStageRefIndex, func(o client.Object) []string {
		plan := o.(*v1alpha1.APIGatewayUsagePlan)
		var keys []string
		for _, s := range plan.Spec.APIStages {
			if key := plan.Namespace + "/" + s.APIRef.Name; !slices.Contains(keys, key) {
				keys = append(keys, key)
			}
		}
		return keys
	})
}

// SetupWithManager watches the kind (spec and annotation changes), its
// providers, the APIGateways its apiStages name (their API coming Ready, or
// being replaced, changes the plan's stages) and the API keys naming it
// (their attaching changes its key count).
func (k *APIGatewayUsagePlans) SetupWithManager(mgr ctrl.Manager, r *managed.Reconciler[*v1alpha1.APIGatewayUsagePlan], options controller.Options) error {
	return managedController[*v1alpha1.APIGatewayUsagePlan](mgr, &v1alpha1.APIGatewayUsagePlan{}).
		Watches(&v1alpha1.APIGateway{}, handler.EnqueueRequestsFromMapFunc(
			indexedRequests(mgr.GetClient(), func() client.ObjectList { return &v1alpha1.APIGatewayUsagePlanList{} }, apiStageRefIndex))).
		Watches(&v1alpha1.APIGatewayAPIKey{}, handler.EnqueueRequestsFromMapFunc(plansOfKey)).
		WithOptions(options).
		Named("apigatewayusageplan").
		Complete(r)
}

// plansOfKey maps an API key event to passes of the plans it names.
func plansOfKey(_ context.Context, o client.Object) []reconcile.Request {
	var requests []reconcile.Request
	for _, key := range usagePlanKeysOf(o.(*v1alpha1.APIGatewayAPIKey)) {
		namespace, name, _ := strings.Cut(key, "/")
		requests = append(requests, reconcile.Request{NamespacedName: types.NamespacedName{Namespace: namespace, Name: name}})
	}
	return requests
}

// managedController starts the controller of a managed kind: its own spec
// and annotation changes, and its providers' readiness.
func managedController[T managed.Resource](mgr ctrl.Manager, obj T) *builder.Builder {
	providersOf := handler.EnqueueRequestsFromMapFunc(referrerRequests[T](mgr.GetClient()))
	return ctrl.NewControllerManagedBy(mgr).
		For(obj, builder.WithPredicates(predicate.Or(predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.AWSProvider{}, providersOf, builder.WithPredicates(providerReadinessChanged())).
		Watches(&v1alpha1.ClusterAWSProvider{}, providersOf, builder.WithPredicates(providerReadinessChanged()))
}

// indexedRequests maps an event of an object to passes of the objects
// whose index names it by "namespace/name".
func indexedRequests(reader client.Reader, newList func() client.ObjectList, index string) func(context.Context, client.Object) []reconcile.Request {
	return func(ctx context.Context, o client.Object) []reconcile.Request {
		list := newList()
		if err := reader.List(ctx, list, client.MatchingFields{index: o.GetNamespace() + "/" + o.GetName()}); err != nil {
			log.FromContext(ctx).Error(err, "Listing the objects naming an object failed", "index", index, "object", o.GetNamespace()+"/"+o.GetName())
			return nil
		}
		var referrers []client.Object
		if err := meta.EachListItem(list, func(item runtime.Object) error {
			referrers = append(referrers, item.(client.Object))
			return nil
		}); err != nil {
			return nil
		}
		return requestsFor(referrers)
	}
}

// setupUsagePlansAndKeys wires the usage plan and API key kinds.
func setupUsagePlansAndKeys(mgr ctrl.Manager, opts Options, managedOptions func(string) managed.Options, controllerOptions controller.Options) error {
	plans := &APIGatewayUsagePlans{AWS: opts.AWS, Reader: mgr.GetClient()}
	if err := plans.SetupWithManager(mgr, managed.New(plans.Kind(), managedOptions("apigatewayusageplan-controller")), controllerOptions); err != nil {
		return err
	}
	keys := &APIGatewayAPIKeys{AWS: opts.AWS, Reader: mgr.GetClient(), Secrets: mgr.GetAPIReader(), Writer: mgr.GetClient()}
	return keys.SetupWithManager(mgr, managed.New(keys.Kind(), managedOptions("apigatewayapikey-controller")), controllerOptions)
}
