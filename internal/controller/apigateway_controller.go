package controller

import (
	"context"
	"time"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/equality"
	"k8s.io/utils/ptr"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/builder"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/controller"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/handler"
	"sigs.k8s.io/controller-runtime/pkg/predicate"

	"github.com/runner-codes/infra-operator/api/v1alpha1"
	"github.com/runner-codes/infra-operator/internal/aws/awserrors"
	"github.com/runner-codes/infra-operator/internal/aws/domains"
	"github.com/runner-codes/infra-operator/internal/aws/gateway"
	"github.com/runner-codes/infra-operator/internal/aws/lambdaperm"
	"github.com/runner-codes/infra-operator/internal/aws/openapi"
	"github.com/runner-codes/infra-operator/internal/aws/ownership"
	"github.com/runner-codes/infra-operator/internal/aws/serving"
	"github.com/runner-codes/infra-operator/internal/aws/session"
	"github.com/runner-codes/infra-operator/internal/aws/vpclinks"
	"github.com/runner-codes/infra-operator/internal/awsquotas"
	"github.com/runner-codes/infra-operator/internal/providers"
	"github.com/runner-codes/infra-operator/internal/reconciler/managed"
	"github.com/runner-codes/infra-operator/internal/reconciler/outcome"
)

// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways,verbs=get;list;watch;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=aws-infra-operator.runner.codes,resources=apigateways/finalizers,verbs=update
// +kubebuilder:rbac:groups=events.k8s.io,resources=events,verbs=create;patch

// APIGateways is the APIGateway kind: how the shared managed reconciler
// reaches an API in AWS.
type APIGateways struct {
	AWS *session.Factory
	// Inventory, when set, serves reads from one shared list walk per
	// account, region and family; nil reads each API on its own.
	Inventory *gateway.Inventory
	// Reader reads the APIGatewayVPCLinks integrations name (the
	// manager's cache).
	Reader client.Reader
	// ConfigMaps reads the ConfigMaps holding OpenAPI documents: a live
	// reader, since the cache holds only their metadata.
	ConfigMaps client.Reader
	// ResponseResync is how long a full read of a WebSocket API's route and
	// integration responses serves the passes after it (AWS lists them one
	// child at a time); 0 reads them every pass.
	ResponseResync time.Duration
}

// Kind describes the APIGateway kind to the managed reconciler.
func (k *APIGateways) Kind() managed.Kind[*v1alpha1.APIGateway] {
	return managed.Kind[*v1alpha1.APIGateway]{
		Name:            "APIGateway",
		Resource:        "API",
		Finalizer:       v1alpha1.APIGatewayFinalizer,
		AdoptAnnotation: v1alpha1.AdoptAPIIDAnnotation,
		New:             func() *v1alpha1.APIGateway { return &v1alpha1.APIGateway{} },
		Connect:         k.connect,
		RecordedID:      func(obj *v1alpha1.APIGateway) string { return obj.Status.APIID },
		Forget:          forgetObservedAPI,
		ReadyMessage:    func(obj *v1alpha1.APIGateway) string { return "API " + obj.Status.APIID + " matches the spec" },
	}
}

// connect checks what can be checked before any AWS call and returns the
// External of the object's API in the provider's account and region.
func (k *APIGateways) connect(ctx context.Context, obj *v1alpha1.APIGateway, p *providers.Resolved) (managed.External, error) {
	if err := refuseTags("API", obj.Spec.Tags, p); err != nil {
		return nil, err
	}
	raw, err := gateway.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	gw := raw
	if k.Inventory != nil {
		gw = k.Inventory.Client(raw, inventoryScope(p))
	}
	servingClient, err := serving.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	permissions, err := lambdaperm.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	links, err := vpclinks.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	domainClient, err := domains.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	documents, err := openapi.ClientFor(ctx, k.AWS, p.ClientKey, p.Settings)
	if err != nil {
		return nil, err
	}
	ext := &apiExternal{
		obj: obj, gw: gw, raw: raw, slots: k.AWS, clientKey: p.ClientKey, desired: desiredAPI(obj, p.DefaultTags),
		serving: servingClient, responseResync: k.ResponseResync, permissions: permissions, openAPI: documents, account: p.Scope.AccountID, region: p.Scope.Region,
		vpcLinks: &vpcLinkResolver{reader: k.Reader, links: links, gateway: obj, scope: p.Scope},
		domains:  &domainMapper{reader: k.Reader, domains: domainClient, gateway: obj, scope: p.Scope},
	}
	// Only the operator writes the digest tag: one in spec.tags would
	// claim a document was applied.
	delete(ext.desired.Tags, openapi.DigestTagKey)
	// Deleting needs no document: a missing ConfigMap must not keep the API.
	if obj.DeletionTimestamp.IsZero() {
		if err := ext.readDocument(ctx, k.ConfigMaps); err != nil {
			return nil, err
		}
	}
	return ext, nil
}

// inventoryScope names what one list walk sees: an account and region at an
// endpoint. Providers reaching the same account share it.
func inventoryScope(p *providers.Resolved) string {
	return p.Scope.AccountID + "|" + p.Scope.Region + "|" + p.Scope.Endpoint
}

// forgetObservedAPI clears what status says of an API that is gone, or not
// this object's.
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

// SetupWithManager watches APIGateways (spec and annotation changes only:
// status writes must not start passes), the providers they use, the VPC
// links they name and the ConfigMaps holding their OpenAPI documents
// (metadata only).
func (k *APIGateways) SetupWithManager(mgr ctrl.Manager, r *managed.Reconciler[*v1alpha1.APIGateway], options controller.Options) error {
	gatewaysOf := handler.EnqueueRequestsFromMapFunc(referrerRequests[*v1alpha1.APIGateway](mgr.GetClient()))
	return ctrl.NewControllerManagedBy(mgr).
		For(&v1alpha1.APIGateway{}, builder.WithPredicates(predicate.Or(
			predicate.GenerationChangedPredicate{}, predicate.AnnotationChangedPredicate{}))).
		Watches(&v1alpha1.AWSProvider{}, gatewaysOf, builder.WithPredicates(providerReadinessChanged())).
		Watches(&v1alpha1.ClusterAWSProvider{}, gatewaysOf, builder.WithPredicates(providerReadinessChanged())).
		Watches(&v1alpha1.APIGatewayVPCLink{}, handler.EnqueueRequestsFromMapFunc(vpcLinkRefs.gatewaysNaming(mgr.GetClient())), builder.WithPredicates(vpcLinkServingChanged())).
		Watches(&v1alpha1.APIGatewayDomainName{}, handler.EnqueueRequestsFromMapFunc(domainRefs.gatewaysNaming(mgr.GetClient())), builder.WithPredicates(domainReadinessChanged())).
		WatchesMetadata(&corev1.ConfigMap{}, handler.EnqueueRequestsFromMapFunc(gatewaysOfConfigMap(mgr.GetClient()))).
		WithOptions(options).
		Named("apigateway").
		Complete(r)
}

// providerReadinessChanged passes provider events that can change what an
// object sees: creation, deletion, readiness and account flips and spec
// changes, but not the periodic re-authentication that only moves a
// timestamp.
func providerReadinessChanged() predicate.Predicate {
	return predicate.Funcs{
		UpdateFunc: func(e event.UpdateEvent) bool {
			before, okBefore := e.ObjectOld.(providers.Provider)
			after, okAfter := e.ObjectNew.(providers.Provider)
			if !okBefore || !okAfter {
				return false
			}
			was, is := before.GetProviderStatus(), after.GetProviderStatus()
			return was.Ready != is.Ready || was.ObservedGeneration != is.ObservedGeneration || was.AccountID != is.AccountID ||
				!before.GetDeletionTimestamp().Equal(after.GetDeletionTimestamp()) ||
				!equality.Semantic.DeepEqual(before.GetConnection(), after.GetConnection())
		},
	}
}

// apiExternal is one APIGateway's API in one account and region.
type apiExternal struct {
	obj *v1alpha1.APIGateway
	// gw reads through the shared inventory when there is one; raw reads
	// AWS itself (adoption must see the truth, not a snapshot).
	gw, raw   gateway.Client
	slots     *session.Factory
	clientKey string
	desired   gateway.API
	// current is the API Observe found.
	current gateway.API
	// serving changes what the API serves; permissions the Lambda policies
	// letting API Gateway invoke its functions; openAPI applies documents.
	serving         *serving.Client
	responseResync  time.Duration
	permissions     *lambdaperm.Client
	openAPI         *openapi.Client
	account, region string
	// document is spec.openAPI's document, nil without one.
	document *openapi.Document
	// vpcLinks resolves the APIGatewayVPCLinks integrations name.
	vpcLinks *vpcLinkResolver
	// domains maps the stages to the APIGatewayDomainNames they name.
	domains *domainMapper
}

func (e *apiExternal) uid() string { return string(e.obj.UID) }

func (e *apiExternal) found(api gateway.API) managed.Observation {
	e.current = api
	e.keepDigestTag(api.Tags)
	changes := gateway.Diff(api, e.desired)
	described := make([]string, len(changes))
	for i, c := range changes {
		described[i] = c.String()
	}
	recordObservedAPI(e.obj, api)
	return managed.Observation{Exists: true, ID: api.ID, Changes: described}
}

func (e *apiExternal) Observe(ctx context.Context) (managed.Observation, error) {
	var observed managed.Observation
	protocol := e.desired.Protocol
	if id := e.obj.Status.APIID; id != "" {
		api, err := e.gw.Get(ctx, protocol, id)
		switch {
		case err == nil && ownership.OwnedBy(api.Tags, e.uid()):
			return e.found(api), nil
		case err == nil:
			observed.Foreign = &managed.Foreign{ID: id, Owner: api.Tags[ownership.OwnerTagKey]}
		case !awserrors.IsNotFound(err):
			return observed, err
		}
	}
	apis, err := e.gw.List(ctx, protocol)
	if err != nil {
		return observed, err
	}
	if api, ok := gateway.FindOwned(apis, e.uid()); ok {
		found := e.found(api)
		found.Foreign = observed.Foreign
		return found, nil
	}
	return observed, nil
}

// createSlotLead is how far ahead of its reserved quota slot a create or
// delete may wait in a worker. A slot further away requeues the object
// instead, so that workers serve other APIs meanwhile; slots are reserved in
// order, so REST creates and deletes still leave back to back at AWS's pace.
const createSlotLead = time.Second

// slotPriority is the workqueue priority of a pass coming back for its
// reserved slot, above every other pass (0 by default).
const slotPriority = 10

func (e *apiExternal) waitForSlot(bucket awsquotas.Operation, limited bool, what string) error {
	if !limited {
		return nil
	}
	return waitForSlot(e.slots, e.clientKey, bucket, e.uid(), what)
}

// waitForSlot reserves the holder's slot of a bucket AWS limits on its own
// through the provider's clients, and returns a Waiting outcome when it is
// too far away to wait for in a worker; what words AWS's quota ("call every
// 30 seconds").
func waitForSlot(slots *session.Factory, clientKey string, bucket awsquotas.Operation, holder, what string) error {
	wait := slots.ReserveSlot(clientKey, bucket, holder)
	if wait <= createSlotLead {
		return nil
	}
	// The pass comes back ahead of the queue's backlog: a slot nobody is
	// there to use is quota lost for good.
	return &outcome.Waiting{
		Reason:   v1alpha1.ReasonProgressing,
		Message:  "Waiting for a " + bucket.Name + " slot: AWS allows one " + what + " per account and region",
		After:    wait - createSlotLead/2,
		Priority: ptr.To(slotPriority),
	}
}

func (e *apiExternal) Create(ctx context.Context) (managed.Observation, error) {
	bucket, limited := gateway.CreateSlotBucket(e.desired.Protocol, e.desired.EndpointType)
	if err := e.waitForSlot(bucket, limited, "every 3 seconds (30 for EDGE)"); err != nil {
		return managed.Observation{}, err
	}
	created, err := e.gw.Create(session.WithSlotHolder(ctx, e.uid()), e.desired)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(created), nil
}

func (e *apiExternal) Update(ctx context.Context) (managed.Observation, error) {
	updated, err := e.gw.Update(ctx, e.current, e.desired)
	if err != nil {
		return managed.Observation{}, err
	}
	return e.found(updated), nil
}

func (e *apiExternal) Delete(ctx context.Context) (bool, error) {
	// The API's mappings go before it, so that no domain serves a path to
	// an API that is gone.
	if err := e.domains.removeAll(ctx, e.current.ID); err != nil {
		return false, err
	}
	if err := e.revokeInvokePermissions(ctx); err != nil {
		return false, err
	}
	protocol := e.current.Protocol
	bucket, limited := gateway.DeleteSlotBucket(protocol)
	if err := e.waitForSlot(bucket, limited, "every 30 seconds"); err != nil {
		return false, err
	}
	if err := e.gw.Delete(session.WithSlotHolder(ctx, e.uid()), protocol, e.current.ID); err != nil {
		return false, err
	}
	_, err := e.raw.Get(ctx, protocol, e.current.ID)
	if awserrors.IsNotFound(err) {
		return true, nil
	}
	return false, err
}

func (e *apiExternal) Release(ctx context.Context) error {
	return e.gw.Untag(ctx, e.current, ownership.Keys)
}

// Claim takes over an API no one owns: the owner mark is written first and
// read back from AWS before any other write, so that of two objects racing
// for it only the one whose mark stayed goes on.
func (e *apiExternal) Claim(ctx context.Context, id string) (managed.Observation, error) {
	protocol := e.desired.Protocol
	api, err := e.raw.Get(ctx, protocol, id)
	if awserrors.IsNotFound(err) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"API %s named by annotation %s was not found among the %s APIs of the provider's account and region", id, v1alpha1.AdoptAPIIDAnnotation, protocol)
	}
	if err != nil {
		return managed.Observation{}, err
	}
	if owner := ownership.OwnerUID(api.Tags); owner != "" && owner != e.uid() {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"API %s is owned by %s; orphan it there first (deletionPolicy: Orphan, then delete that object)", id, api.Tags[ownership.OwnerTagKey])
	}
	mark := ownership.Tags(e.obj.Namespace, e.obj.Name, e.uid())
	if err := e.gw.Tag(ctx, api, mark); err != nil {
		return managed.Observation{}, err
	}
	confirmed, err := e.raw.Get(ctx, protocol, id)
	if err != nil {
		return managed.Observation{}, err
	}
	if !ownership.OwnedBy(confirmed.Tags, e.uid()) {
		return managed.Observation{}, outcome.Stall(v1alpha1.ReasonAdoptionFailed,
			"API %s was adopted by %s at the same time; it is theirs now", id, confirmed.Tags[ownership.OwnerTagKey])
	}
	return e.found(confirmed), nil
}
